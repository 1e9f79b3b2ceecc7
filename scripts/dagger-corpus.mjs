// Dagger conversion on real configs (npm run dagger:corpus): every job of every config in
// ../shared/corpus/real is converted (Docker executor, or both with --all-executors), the edited
// config is analysed again and must gain no error, no YAML error and no runner-tag finding, and
// all generated functions of a config, put in one module, must type-check against the real SDK, and
// the server's scanner must find in that module what the TypeScript compiler's parser finds.
// A converted job keeps its effective runner tags unless the action's title names the new ones
// ("runs on gitlab-org-docker"): a change the title does not announce is a failure.
// Skips cleanly without ../shared. Needs a build (out/).
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const real = path.resolve(root, "..", "shared", "corpus", "real");
if (!fs.existsSync(real)) {
  console.log("dagger corpus check skipped: ../shared/corpus/real is not here");
  process.exit(0);
}
const require = createRequire(import.meta.url);
const out = (p) => require(path.join(root, "out", p));
const { Engine } = out("server/src/engine/engine.js");
const { DiskHost } = out("server/src/node/disk-host.js");
const { OverlayHost } = out("server/src/engine/memory-host.js");
const { readProjectSettings } = out("server/src/workspace/settings.js");
const { withLints } = out("server/src/lint/registry.js");
const { convertJob, effectiveTags } = out("server/src/features/dagger/convert.js");
const { newModuleFiles } = out("server/src/features/dagger/new-module.js");
const { parseFunctions } = out("server/src/features/dagger/functions.js");
const { typecheckModule } = out("test/typecheck.js");
const { scannerDifferences } = out("test/compiler-functions.js");

const executors = process.argv.includes("--all-executors") ? ["docker", "kubernetes"] : ["docker"];
const key = (d) => `${d.code}|${d.src.file}|${d.message}`;
const TAGS = new Set(["conflicting-runner-tags", "dind-without-docker-tag"]);
// A converted job the dagger-without-engine lint finds without an engine is listed, not failed: the
// conversion keeps a job's own services:, which replace the Docker-in-Docker service of .dagger.
const ENGINE = "dagger-without-engine";
let failures = 0;
const totals = {
  converted: 0,
  announced: 0,
  silent: 0,
  cacheMounted: 0,
  cachePartly: 0,
  cacheDropped: 0,
  services: 0,
  afterScript: 0,
  noEngine: 0,
};
for (const name of fs.readdirSync(real).sort()) {
  const dir = path.join(real, name);
  const settingsFile = path.join(dir, ".pipewright.yml");
  const { settings } = readProjectSettings(
    fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, "utf8") : undefined,
  );
  const rootFile = settings.ciConfigPath ?? ".gitlab-ci.yml";
  const lint = { rules: settings.rules };
  if (!fs.existsSync(path.join(dir, rootFile))) continue;
  const t0 = performance.now();
  const disk = new DiskHost(dir);
  const engine = new Engine(disk);
  const model = withLints(engine.analyze({ root: rootFile }), lint);
  const before = new Set(
    model.diagnostics.filter((d) => d.severity === "error" || TAGS.has(d.code) || d.code === ENGINE).map(key),
  );
  const methods = new Map();
  let converted = 0;
  const broken = [];
  const noEngine = [];
  const tagged = { announced: 0, silent: [] };
  for (const job of model.jobs.values()) {
    if (job.kind !== "job") continue;
    for (const executor of executors) {
      const c = convertJob(model, job.name, { executor });
      if (!c) continue;
      converted++;
      if (/drops its cache/.test(c.title)) totals.cacheDropped++;
      if (/drops part of its cache/.test(c.title)) totals.cachePartly++;
      if (/withMountedCache\(/.test(c.method)) totals.cacheMounted++;
      if (/withServiceBinding\(/.test(c.method)) totals.services++;
      if (/after_script runs/.test(c.method)) totals.afterScript++;
      const tagsBefore = effectiveTags(model, job.name);
      methods.set(c.method.match(/^ {2}(\w+)\(/m)[1], c.method);
      const edited = new Map();
      for (const e of [...c.configEdits].sort((a, b) => b.src.start - a.src.start)) {
        const text = edited.get(e.src.file) ?? model.files.get(e.src.file).text;
        edited.set(e.src.file, text.slice(0, e.src.start) + e.newText + text.slice(e.src.end));
      }
      engine.setHost(new OverlayHost(disk, edited));
      const after = withLints(engine.analyze({ root: rootFile }), lint);
      // the job really extends `.dagger` (a `- .dagger` item once landed in a new script instead)
      if (!(after.extendsParents.get(job.name) ?? []).some((p) => p.name === ".dagger"))
        broken.push(`${job.name} (${executor}): does not extend .dagger after the edit`);
      const tagsAfter = effectiveTags(after, job.name);
      const same = (a, b) => a.length === b.length && a.every((t, i) => t === b[i]);
      if (!same(tagsBefore, tagsAfter)) {
        if (
          c.title.includes(`runs on ${tagsAfter.join(", ")})`) ||
          c.title.includes(`runs on ${tagsAfter.join(", ")},`)
        )
          tagged.announced++;
        else tagged.silent.push(`${job.name} (${executor}): tags [${tagsBefore}] became [${tagsAfter}]: "${c.title}"`);
      }
      // the edited version reused the entries of big files and moved them; analysing the original
      // again puts them back where `model`, used for the next job, has them
      engine.setHost(disk);
      engine.analyze({ root: rootFile });
      const bad = after.diagnostics.filter((d) => (d.severity === "error" || TAGS.has(d.code)) && !before.has(key(d)));
      if (bad.length) broken.push(`${job.name} (${executor}): ${bad.map((d) => `${d.code} ${d.message}`).join("; ")}`);
      for (const d of after.diagnostics)
        if (d.code === ENGINE && !before.has(key(d))) noEngine.push(`${job.name} (${executor}): ${d.message}`);
    }
  }
  engine.setHost(disk);
  const module = newModuleFiles("ci", "v0.21.9", [...methods.values()].join("\n"), [
    "dag",
    "Container",
    "Directory",
    "Secret",
    "object",
    "func",
    "argument",
  ]);
  const typeErrors = typecheckModule(module);
  const index = module[".dagger/src/index.ts"];
  const misread = scannerDifferences(index, "Ci");
  // agreeing on nothing would pass too: the scanner must also find every generated function
  const found = parseFunctions(index, "Ci").functions.length;
  if (found !== methods.size) misread.push(`the scanner found ${found} of ${methods.size} functions`);
  const ms = Math.round(performance.now() - t0);
  console.log(
    `${name}: ${converted} conversions, ${broken.length} broke the config, ` +
      `${tagged.announced} tag changes announced, ${tagged.silent.length} silent, ` +
      `${methods.size} functions, ${typeErrors.length} type errors, ${misread.length} misread, ${ms} ms`,
  );
  for (const b of broken.slice(0, 5)) console.log(`  ${b}`);
  for (const b of tagged.silent.slice(0, 5)) console.log(`  ${b}`);
  for (const b of noEngine.slice(0, 5)) console.log(`  no engine: ${b}`);
  totals.noEngine += noEngine.length;
  totals.converted += converted;
  totals.announced += tagged.announced;
  totals.silent += tagged.silent.length;
  failures += tagged.silent.length;
  for (const t of typeErrors.slice(0, 5)) console.log(`  ${t}`);
  for (const m of misread.slice(0, 5)) console.log(`  scanner and compiler differ: ${m}`);
  // a converted job must reach a Dagger engine (the conversion drops services that would replace .dagger's)
  failures += broken.length + typeErrors.length + misread.length + noEngine.length;
}
console.log(
  `${totals.converted} conversions: ${totals.announced} change the job's tags as their title says, ` +
    `${totals.silent} silently; ${totals.cacheMounted} mount cache volumes, ${totals.cachePartly} drop part of ` +
    `the job's cache, ${totals.cacheDropped} all of it; ${totals.services} bind services; ` +
    `${totals.afterScript} run an after_script; ` +
    `${totals.noEngine} leave a job without a Dagger engine`,
);
console.log(
  failures
    ? `dagger corpus check: ${failures} failures`
    : "dagger corpus check: all conversions keep the config valid, reach an engine and type-check, and the scanner " +
        "reads them right",
);
process.exit(failures ? 1 : 0);
