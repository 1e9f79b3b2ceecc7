// npm run bench: how fast and how big the resolution of each real config is, then the language
// server against yaml-language-server (scripts/bench-lsp.mjs). Figures are
// given against a peer measured in the same process: parsing the same files with the
// `yaml` package alone (what any YAML-based tool pays before it knows anything). Peak
// memory comes from a child process per corpus, so corpora do not share a heap.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const project = path.resolve(here, "..");
const corpusDir = process.argv[2] ?? path.resolve(project, "..", "shared", "corpus", "real");

if (process.argv[2] === "--child") {
  // child mode: one corpus, prints JSON figures
  const dir = process.argv[3];
  const { Engine } = require(path.join(project, "out/server/src/engine/engine.js"));
  const { DiskHost } = require(path.join(project, "out/server/src/node/disk-host.js"));
  const { parseAllDocuments } = require("yaml");
  const host = new DiskHost(dir);
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const time = (f, n) => {
    const xs = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      f();
      xs.push(performance.now() - t);
    }
    return median(xs);
  };
  const first = new Engine(host).analyze();
  const files = [...first.files.keys()];
  const texts = files.map((f) => host.readFile(f));
  const runs = 15;
  const cold = time(() => new Engine(host).analyze(), runs);
  const yamlOnly = time(() => texts.forEach((t) => parseAllDocuments(t, { version: "1.1" })), runs);
  // warm: one long-lived engine, one file edited (a comment appended) before each run
  const engine = new Engine(host);
  engine.analyze();
  const edited = files[files.length - 1];
  let n = 0;
  const editHost = {
    readFile: (p) => (p === edited ? host.readFile(p) + `\n# edit ${n}\n` : host.readFile(p)),
    listFiles: () => host.listFiles(),
  };
  engine.setHost(editHost);
  const warm = time(() => {
    n++;
    engine.analyze();
  }, runs);
  const unchanged = time(() => engine.analyze(), runs);
  // validation alone: the schema over globals, includes, headers, jobs and templates, then GitLab's logical checks
  const { schemaDiagnostics } = require(path.join(project, "out/server/src/engine/validate.js"));
  const { semanticDiagnostics } = require(path.join(project, "out/server/src/engine/semantics.js"));
  const validate = time(() => {
    schemaDiagnostics({ files: first.files, merged: first.merged, jobs: first.jobs, templates: first.templates });
    semanticDiagnostics({
      jobs: first.jobs,
      stages: first.stages,
      effectiveJob: first.effectiveJob,
      hasExternal: first.hasExternalIncludes,
    });
  }, runs);
  // the gitlab-org lints, every rule on (the off-by-default one and GLCI_ in mode all included)
  const { lint, RULES } = require(path.join(project, "out/server/src/lint/registry.js"));
  const allOn = {
    rules: Object.fromEntries(
      RULES.map((r) => [
        r.id,
        { severity: r.severity, options: r.id === "glci-variable-prefix" ? { mode: "all" } : {} },
      ]),
    ),
  };
  const lints = time(() => lint(first, allOn), runs);
  // the pipeline simulation after an analysis: one scenario (a merge request with a diff), and the
  // four the editor's CodeLens shows (MR, push to the default branch, tag, schedule)
  const { Workspace } = require(path.join(project, "out/server/src/workspace/workspace.js"));
  const { nodeIO } = require(path.join(project, "out/server/src/node/node-io.js"));
  const ws = new Workspace(nodeIO(dir));
  ws.analyze();
  const scenarios = [
    { source: "merge_request_event", branch: "feature", changed: [edited] },
    {},
    { tag: "v1.0.0" },
    { source: "schedule" },
  ].map((sc) => ws.situation(sc));
  ws.pipeline(scenarios[0]);
  const simulation = time(() => ws.pipeline(scenarios[0]), runs);
  // as the lenses simulate them: the config's own jobs, its child pipelines not simulated
  const fourScenarios = time(
    () => scenarios.forEach((sc) => ws.pipeline(sc, undefined, undefined, { children: false })),
    runs,
  );
  const jobs = [...first.jobs.values()].filter((j) => j.kind === "job" || j.kind === "bridge").length;
  const bytes = texts.reduce((s, t) => s + t.length, 0);
  process.stdout.write(
    JSON.stringify({
      files: files.length,
      bytes,
      jobs,
      cold,
      yamlOnly,
      warm,
      unchanged,
      validate,
      lints,
      simulation,
      fourScenarios,
      maxRssMB: process.resourceUsage().maxRSS / 1024,
    }),
  );
  process.exit(0);
}

if (!fs.existsSync(corpusDir)) {
  console.log(`bench skipped: no corpus at ${corpusDir}`);
  process.exit(0);
}
const rows = [];
for (const name of fs.readdirSync(corpusDir).sort()) {
  const dir = path.join(corpusDir, name);
  if (!fs.statSync(dir).isDirectory()) continue;
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--child", dir], { encoding: "utf8" });
  if (r.status !== 0) {
    rows.push([name, "failed: " + r.stderr.split("\n")[0]]);
    continue;
  }
  const f = JSON.parse(r.stdout);
  rows.push([
    name,
    String(f.files),
    `${Math.round(f.bytes / 1024)} KB`,
    String(f.jobs),
    f.cold.toFixed(1),
    f.yamlOnly.toFixed(1),
    (f.cold / f.yamlOnly).toFixed(2) + "x",
    f.warm.toFixed(1),
    (f.warm / f.cold).toFixed(2) + "x",
    f.unchanged.toFixed(1),
    f.validate.toFixed(1),
    (f.validate / f.cold).toFixed(2) + "x",
    f.lints.toFixed(1),
    (f.lints / f.cold).toFixed(2) + "x",
    (f.simulation / f.cold).toFixed(2) + "x",
    (f.fourScenarios / f.cold).toFixed(2) + "x",
    f.maxRssMB.toFixed(0),
  ]);
}
const head = [
  "corpus",
  "files",
  "size",
  "jobs",
  "cold ms",
  "yaml-only ms",
  "cold/yaml",
  "1-file edit ms",
  "edit/cold",
  "no-change ms",
  "validate ms",
  "validate/cold",
  "lints ms",
  "lints/cold",
  "pipeline/cold",
  "4 pipelines/cold",
  "peak RSS MB",
];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
const line = (r) => "| " + r.map((c, i) => (c ?? "").padEnd(widths[i])).join(" | ") + " |";
console.log(line(head));
console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
for (const r of rows) console.log(line(r));
console.log(
  [
    "",
    "cold: a new engine resolves the whole config (median of 15); yaml-only: the same files parsed by the yaml package",
    "alone; 1-file edit: a long-lived engine re-analyses after one included file changed; validate: schema and logical",
    "checks of every job, template, include and header of the resolved config, without caches; lints: every gitlab-org",
    "rule on (anchor-instead-of-extends and GLCI_ in mode all included), over the finished model; pipeline: the",
    "simulated pipeline of a merge request after an analysis, its child pipelines included; 4 pipelines: MR, push to",
    "the default branch, tag and schedule, as the editor's CodeLens shows them (no child pipelines); peak RSS: the",
    "whole child process.",
  ].join("\n"),
);

// External includes: gitlab-runner analysed with every external include read from a warm include cache,
// against the same analysis with remote includes off (scripts/external-corpus.mjs).
const external = spawnSync(process.execPath, [path.join(here, "external-corpus.mjs"), "--bench"], {
  stdio: ["ignore", "inherit", "inherit"],
});
if (external.status !== 0) process.exitCode = external.status ?? 1;

// The language server on GitLab's own config, against yaml-language-server set up as users set it
// up for GitLab CI, in the same run: startup, keystroke-to-diagnostics, requests, memory.
const lsp = spawnSync(process.execPath, [path.join(here, "bench-lsp.mjs"), ...process.argv.slice(3)], {
  stdio: ["ignore", "inherit", "inherit"],
});
if (lsp.status !== 0) process.exitCode = lsp.status ?? 1;
