// The real corpora with their external includes served: each corpus is analysed with remote includes
// off (what a user without them sees), then fetched from a GitLab stand-in on 127.0.0.1 that serves
// test/fixtures/external/<corpus>/ (small plausible files of our own in place of the real projects,
// components, templates and remote files), through the real fetcher and a fresh include cache.
//
//   node scripts/external-corpus.mjs            before/after counts per corpus
//   node scripts/external-corpus.mjs --bench    gitlab-runner: warm-cache analysis against one without
//                                              external includes (the remote-includes issue's 1.2x)
//   node scripts/external-corpus.mjs --json     the counts as JSON (for the test)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const project = path.resolve(here, "..");
const corpusDir = path.resolve(project, "..", "shared", "corpus", "real");
const fixturesDir = path.join(project, "test", "fixtures", "external");
const out = (p) => require(path.join(project, "out", p));
const { Workspace } = out("server/src/workspace/workspace.js");
const { nodeIO } = out("server/src/node/node-io.js");
const { remoteIncludes } = out("server/src/node/remote-includes.js");
const { startStandIn } = out("test/support/gitlab-stand-in.js");
const { loadExternalFixtures } = out("test/support/external-fixtures.js");

if (!fs.existsSync(corpusDir)) {
  console.log(`external corpus skipped: no corpus at ${corpusDir}`);
  process.exit(0);
}

/** A remote include's URL as the stand-in serves it (the fixtures' `remote/<host>/<path>`). */
const remoteAt = (standIn) => (url) => `${standIn.url}/remote/${url.replace(/^https?:\/\//i, "")}`;

/** An include cache for the corpus's instance, its API and remote files answered by the stand-in. */
function openCache(standIn, instanceUrl, cacheDir) {
  return () => remoteIncludes({ instanceUrl, connectTo: standIn.url, rewriteRemote: remoteAt(standIn), cacheDir });
}

function counts(analysis) {
  const all = [...analysis.diagnostics.values()].flat();
  const by = (s) => all.filter((d) => d.severity === s).length;
  const codes = {};
  for (const d of all) codes[d.code] = (codes[d.code] ?? 0) + 1;
  return {
    errors: by("error"),
    warnings: by("warning"),
    notes: by("information"),
    hints: by("hint"),
    unread: all.filter((d) => d.code === "include-external").length,
    failed: all.filter((d) => d.code === "include-fetch-failed").length,
    // findings that only say "an include that cannot be read offline may explain this"
    maybeExternal: all.filter(
      (d) => /cannot be read offline|could not be read/.test(d.message) && d.code !== "include-external",
    ).length,
    codes,
  };
}

async function corpus(name) {
  const dir = path.join(corpusDir, name);
  const before = counts(new Workspace(nodeIO(dir)).analyze());
  const fixtures = path.join(fixturesDir, name);
  if (!fs.existsSync(fixtures)) return { name, before };
  const { instanceUrl, data } = loadExternalFixtures(fixtures);
  const standIn = await startStandIn(data);
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "pw-external-corpus-"));
  try {
    const ws = new Workspace(nodeIO(dir, { remoteIncludes: openCache(standIn, instanceUrl, cacheDir) }), {
      remoteIncludes: "fetch",
    });
    const analysis = await ws.analyzeSettled();
    const files = new Set(analysis.models.flatMap((m) => [...m.files.keys()].filter((f) => f.startsWith("//"))));
    return {
      name,
      instanceUrl,
      before,
      after: counts(analysis),
      fetchedFiles: files.size,
      requests: standIn.requests.length,
    };
  } finally {
    await standIn.close();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}

async function bench(name) {
  const dir = path.join(corpusDir, name);
  const { instanceUrl, data } = loadExternalFixtures(path.join(fixturesDir, name));
  const standIn = await startStandIn(data);
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "pw-external-bench-"));
  const open = openCache(standIn, instanceUrl, cacheDir);
  try {
    await new Workspace(nodeIO(dir, { remoteIncludes: open }), { remoteIncludes: "fetch" }).analyzeSettled();
    await standIn.close(); // warm: everything below comes from the cache, as offline
    const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const time = (make) => {
      const xs = [];
      for (let i = 0; i < 15; i++) {
        const ws = make();
        const t = performance.now();
        ws.analyze();
        xs.push(performance.now() - t);
      }
      return median(xs);
    };
    // each run: a new workspace (cold engine caches), as `pipewright check` pays it
    const without = time(() => new Workspace(nodeIO(dir)));
    const warm = time(() => new Workspace(nodeIO(dir, { remoteIncludes: open }), { remoteIncludes: "cache" }));
    return { name, without, warm, ratio: warm / without };
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
if (args.includes("--bench")) {
  const b = await bench("gitlab-runner");
  console.log(
    `external includes, ${b.name}: cold analysis with every external include read from a warm cache ` +
      `${b.warm.toFixed(1)} ms, with remote includes off ${b.without.toFixed(1)} ms: ` +
      `${b.ratio.toFixed(2)}x (target at most 1.2x)`,
  );
} else {
  const names = fs
    .readdirSync(corpusDir)
    .filter((n) => fs.statSync(path.join(corpusDir, n)).isDirectory())
    .sort();
  const results = [];
  for (const n of names) results.push(await corpus(n));
  if (args.includes("--json")) process.stdout.write(JSON.stringify(results, null, 2) + "\n");
  else {
    const cell = (c) => (c ? `${c.errors} / ${c.warnings} / ${c.notes}` : "-");
    const head = ["corpus", "before: errors / warnings / notes", "unread includes", "after fetching", "unread"];
    head.push("failed", '"may be in an include" before → after', "fetched files");
    console.log(`| ${head.join(" | ")} |`);
    console.log("|---|---|---|---|---|---|---|---|");
    for (const r of results)
      console.log(
        `| ${r.name} | ${cell(r.before)} | ${r.before.unread} | ${cell(r.after)} | ${r.after?.unread ?? "-"} | ` +
          `${r.after?.failed ?? "-"} | ${r.before.maybeExternal} → ${r.after?.maybeExternal ?? "-"} | ` +
          `${r.fetchedFiles ?? "-"} |`,
      );
  }
}
