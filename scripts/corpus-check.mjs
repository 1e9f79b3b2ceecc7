// Corpus check (npm run corpus): `pipewright check` on every real config of ../shared/corpus/real
// must not crash, its merged view must hold the jobs written in the root file, and every error it
// reports must be one we confirmed as real (test/corpus-known-errors.json, each with the reason).
// The same contract as ../shared/tools/real-corpora.mjs, with our list of confirmed errors.
// Skips cleanly without ../shared.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const real = path.resolve(root, "..", "shared", "corpus", "real");
if (!fs.existsSync(real)) {
  console.log("corpus checks skipped: ../shared/corpus/real is not here");
  process.exit(0);
}
const cli = path.join(root, "dist", "cli.js");
const known = JSON.parse(fs.readFileSync(path.join(root, "test", "corpus-known-errors.json"), "utf8"));
const reserved = new Set([
  "default",
  "include",
  "stages",
  "variables",
  "workflow",
  "image",
  "services",
  "cache",
  "before_script",
  "after_script",
  "types",
  "spec",
]);
let failures = 0;
for (const name of fs.readdirSync(real).sort()) {
  const dir = path.join(real, name);
  if (!fs.statSync(dir).isDirectory()) continue;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, "check", dir, "--format", "json"], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  const ms = Math.round(performance.now() - t0);
  let diags;
  try {
    diags = JSON.parse(r.stdout);
  } catch {}
  if (!Array.isArray(diags) || ![0, 1].includes(r.status)) {
    failures++;
    console.log(`${name}: CRASH (exit ${r.status}) ${(r.stderr || "").split("\n")[0]}`);
    continue;
  }
  const m = spawnSync(process.execPath, [cli, "merged", dir, "--format", "json"], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  const merged = JSON.parse(m.stdout || "{}");
  const rootJobs = fs
    .readFileSync(path.join(dir, ".gitlab-ci.yml"), "utf8")
    .split("\n")
    .map((l) => /^([^\s#.'"-][^:]*):(\s|$)/.exec(l)?.[1])
    .filter((k) => k && !reserved.has(k));
  const missing = rootJobs.filter((j) => !(j in merged));
  if (missing.length) {
    failures++;
    console.log(`${name}: merged view lacks root jobs ${missing.slice(0, 5).join(", ")}`);
  }
  const allowed = known[name] ?? [];
  const errors = diags.filter((d) => d.severity === "error");
  const surprise = errors.filter((e) => !allowed.some((k) => e.file === k.file && e.message.includes(k.mentions)));
  const counts = {};
  for (const d of diags) counts[d.severity] = (counts[d.severity] ?? 0) + 1;
  console.log(
    `${name}: ${ms} ms, ${JSON.stringify(counts)}` +
      (errors.length - surprise.length ? `, ${errors.length - surprise.length} confirmed errors` : ""),
  );
  for (const e of surprise.slice(0, 10))
    console.log(`    unexplained: ${e.file}:${e.range.start.line + 1}: ${e.message} [${e.code}]`);
  failures += surprise.length;
}
console.log(`real corpora: ${failures === 0 ? "all as expected" : `${failures} problems`}`);
process.exit(failures === 0 ? 0 : 1);
