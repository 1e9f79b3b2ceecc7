// node scripts/bench-lsp.mjs [--json FILE] [--corpus DIR] [--server PATH/TO/server.js]
//
// Drives two language servers over stdio on the real gitlab-org/gitlab CI config
// (../shared/corpus/real/gitlab) and prints their figures side by side, as ratios:
//   1. Pipewright: `node dist/server.js --stdio` (run `npm run build` first)
//   2. yaml-language-server (devDependency), set up as users set it up for GitLab CI: GitLab's
//      CI JSON schema (the copy bundled in the gitlab-ci-local npm package) associated with the
//      CI file globs, `yaml.customTags: ["!reference sequence"]`, schema store off.
// Both get the same client capabilities, the same files, edits and request positions.
// Measurement groups, each in fresh server processes, servers one after the other:
//   A. startup (initialize → first / all publishDiagnostics, every YAML file of the corpus opened
//      right after `initialized`), then keystroke-to-diagnostics latency (30 edits per file, or as
//      many as fit in 25 s, at least 3: yaml-language-server takes about 10 s to validate the
//      147 KB rules file, whatever the schema), then hover/definition/completion, 30 of each;
//   B. memory: startup, then 200 keystrokes at typing pace, then VmRSS / VmHWM.
// About 2.5 minutes on 2 cores. Skips (exit 0) when the corpus is absent.
// Only Node built-ins; the JSON-RPC client is below.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import vm from "node:vm";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const project = path.resolve(here, "..");
const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const jsonOut = opt("--json");
const serverOpt = opt("--server"); // another Pipewright build's server.js (default: dist/server.js)
const corpus = path.resolve(opt("--corpus") ?? path.join(project, "..", "shared", "corpus", "real", "gitlab"));

// ---------------------------------------------------------------- what is measured, and where

const RULES_FILE = ".gitlab/ci/rules.gitlab-ci.yml";
const SMALL_FILE = ".gitlab/ci/aigw-tagging.gitlab-ci.yml";
const RAILS_FILE = ".gitlab/ci/rails.gitlab-ci.yml";
const LATENCY_EDITS = 30; // per file, unless LATENCY_BUDGET_MS is spent first
const LATENCY_BUDGET_MS = 25_000; // per file and server; at least LATENCY_MIN_EDITS edits all the same
const LATENCY_MIN_EDITS = 3;
const REQUESTS = 30; // per request position
const MEMORY_KEYSTROKES = 200; // in bursts of BURST, alternating between SMALL_FILE and RULES_FILE
const BURST = 50;
const KEYSTROKE_GAP_MS = 30;
const TIMEOUT_MS = 60_000;

if (!fs.existsSync(path.join(corpus, ".gitlab-ci.yml"))) {
  console.log(`bench-lsp skipped: no corpus at ${corpus}`);
  process.exit(0);
}
const pipewrightServer = path.resolve(serverOpt ?? path.join(project, "dist", "server.js"));
if (!fs.existsSync(pipewrightServer)) {
  console.error(`bench-lsp: ${path.relative(process.cwd(), pipewrightServer)} is missing: run \`npm run build\` first`);
  process.exit(1);
}
let yamlLsBin;
try {
  yamlLsBin = path.join(
    path.dirname(require.resolve("yaml-language-server/package.json")),
    "bin",
    "yaml-language-server",
  );
} catch {
  console.error(
    "bench-lsp: yaml-language-server is not installed: npm install -D yaml-language-server gitlab-ci-local",
  );
  process.exit(1);
}
const versionOf = (pkg) => require(`${pkg}/package.json`).version;

/**
 * GitLab's CI JSON schema (GitLab's app/assets/javascripts/editor/schema/ci.json). gitlab-ci-local
 * fetches it at build time (its `fetch-schema` script) and bun inlines it in dist/index.js as an
 * object literal, `var
 * X={$schema:"http://json-schema.org/draft-07/schema#",$id:"https://gitlab.com/.gitlab-ci.yml",...}`;
 * gitlab-ci-local's own run-time tweaks (deleting a few patterns) are statements after it and are
 * not applied. The literal is cut out by bracket matching, evaluated in an empty context, and
 * written as JSON to a temporary file for yaml-language-server to load from a file: URI.
 */
function gitlabSchema() {
  const dir = path.dirname(require.resolve("gitlab-ci-local/package.json"));
  const version = versionOf("gitlab-ci-local");
  const out = path.join(os.tmpdir(), "pipewright-bench-lsp", `gitlab-ci-local-${version}-ci.json`);
  if (fs.existsSync(out)) return { file: out, source: `gitlab-ci-local@${version} dist/index.js (inlined ci.json)` };
  const bundle = fs.readFileSync(path.join(dir, "dist", "index.js"), "utf8");
  const start = bundle.indexOf(
    '{$schema:"http://json-schema.org/draft-07/schema#",$id:"https://gitlab.com/.gitlab-ci.yml"',
  );
  if (start < 0) throw new Error(`GitLab's CI schema not found in gitlab-ci-local@${version} dist/index.js`);
  let i = start;
  let depth = 0;
  let quote = null;
  for (; i < bundle.length; i++) {
    const c = bundle[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
      else if (quote === "`" && c === "$" && bundle[i + 1] === "{")
        throw new Error("unexpected template expression in the schema literal");
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "{" || c === "[") depth++;
    else if ((c === "}" || c === "]") && --depth === 0) break;
  }
  const schema = vm.runInNewContext(`(${bundle.slice(start, i + 1)})`, Object.create(null), { timeout: 5000 });
  if (!schema.definitions?.job_template || !schema.definitions["!reference"])
    throw new Error("the literal found is not GitLab's CI schema");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(schema, null, 2));
  return { file: out, source: `gitlab-ci-local@${version} dist/index.js (inlined ci.json)` };
}

// ---------------------------------------------------------------- a small stdio JSON-RPC client

class LspClient {
  /** @param config (section, scopeUri) => value answered to workspace/configuration */
  constructor(name, args, config, env = {}) {
    this.name = name;
    this.config = config;
    this.proc = spawn(process.execPath, args, {
      cwd: project,
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, ...env },
    });
    this.pid = this.proc.pid;
    this.chunks = [];
    this.length = 0;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = new Set();
    this.stderr = "";
    this.exited = false;
    this.proc.stdout.on("data", (chunk) => this.receive(chunk));
    this.proc.stderr.on("data", (d) => (this.stderr = (this.stderr + d).slice(-4000)));
    this.proc.on("exit", (code, signal) => {
      this.exited = true;
      for (const [, p] of this.pending) p.reject(new Error(`${name} exited (${code ?? signal})`));
      for (const l of this.listeners)
        l.fail?.(new Error(`${name} exited (${code ?? signal}): ${this.stderr.slice(-500)}`));
    });
    this.proc.stdin.on("error", () => undefined);
  }

  receive(chunk) {
    const at = performance.now();
    this.chunks.push(chunk);
    this.length += chunk.length;
    let buf = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.length);
    for (;;) {
      const header = buf.indexOf("\r\n\r\n");
      if (header < 0) break;
      const length = Number(/Content-Length: *(\d+)/i.exec(buf.subarray(0, header).toString("ascii"))?.[1]);
      if (buf.length < header + 4 + length) break;
      const msg = JSON.parse(buf.subarray(header + 4, header + 4 + length).toString("utf8"));
      buf = buf.subarray(header + 4 + length);
      this.dispatch(msg, at);
    }
    this.chunks = buf.length ? [buf] : [];
    this.length = buf.length;
  }

  dispatch(msg, at) {
    if (msg.method === undefined) {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (!p) return;
      if (msg.error) p.reject(new Error(`${this.name}: ${JSON.stringify(msg.error)}`));
      else p.resolve({ result: msg.result, at });
      return;
    }
    if (msg.id !== undefined) {
      // a request from the server: configuration is answered per item, the rest with null
      let result = null;
      if (msg.method === "workspace/configuration")
        result = (msg.params?.items ?? []).map((it) => this.config(it.section, it.scopeUri) ?? null);
      this.write({ jsonrpc: "2.0", id: msg.id, result });
      return;
    }
    for (const l of [...this.listeners]) l.on(msg, at);
  }

  write(msg) {
    const body = Buffer.from(JSON.stringify(msg), "utf8");
    this.proc.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]));
  }

  notify(method, params) {
    this.write({ jsonrpc: "2.0", method, params });
  }

  /** Resolves with { result, ms } (ms from sending to the response being read). */
  request(method, params, timeout = TIMEOUT_MS) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${method} timed out`));
      }, timeout);
      const sent = performance.now();
      this.pending.set(id, {
        resolve: ({ result, at }) => (clearTimeout(timer), resolve({ result, ms: at - sent })),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.write({ jsonrpc: "2.0", id, method, params });
    });
  }

  /** Calls `on(msg, at)` for every notification until it returns a value other than undefined. */
  until(on, what, timeout = TIMEOUT_MS) {
    return new Promise((resolve, reject) => {
      const l = {
        on: (msg, at) => {
          const v = on(msg, at);
          if (v !== undefined) done(null, v);
        },
        fail: (e) => done(e),
      };
      const timer = setTimeout(() => done(new Error(`${this.name}: timed out waiting for ${what}`)), timeout);
      const done = (e, v) => {
        clearTimeout(timer);
        this.listeners.delete(l);
        e ? reject(e) : resolve(v);
      };
      if (this.exited) return done(new Error(`${this.name} has exited: ${this.stderr.slice(-500)}`));
      this.listeners.add(l);
    });
  }

  /** Waits for the next publishDiagnostics for `uri`; resolves with its arrival time and diagnostics. */
  nextDiagnostics(uri, timeout) {
    return this.until(
      (m, at) =>
        m.method === "textDocument/publishDiagnostics" && m.params.uri === uri
          ? { at, diagnostics: m.params.diagnostics }
          : undefined,
      `diagnostics of ${uri}`,
      timeout,
    );
  }

  memory() {
    const status = fs.readFileSync(`/proc/${this.pid}/status`, "utf8");
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(status)?.[1]);
    return { rssMB: kb("VmRSS") / 1024, hwmMB: kb("VmHWM") / 1024 };
  }

  async stop() {
    if (this.exited) return;
    await this.request("shutdown", null, 5000).catch(() => undefined);
    this.notify("exit", null);
    await new Promise((resolve) => {
      const t = setTimeout(() => (this.proc.kill(), resolve()), 2000);
      this.proc.once("exit", () => (clearTimeout(t), resolve()));
    });
  }
}

// ---------------------------------------------------------------- the corpus and the two servers

const listYaml = (dir, acc = []) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) listYaml(p, acc);
    else if (/\.ya?ml$/.test(e.name)) acc.push(path.relative(corpus, p).split(path.sep).join("/"));
  }
  return acc;
};
const files = listYaml(corpus);
const texts = new Map(files.map((f) => [f, fs.readFileSync(path.join(corpus, f), "utf8")]));
const uriOf = (rel) => pathToFileURL(path.join(corpus, rel)).href;
const relOf = (uri) => path.relative(corpus, fileURLToPath(uri)).split(path.sep).join("/");
for (const f of [RULES_FILE, SMALL_FILE, RAILS_FILE]) {
  if (!texts.has(f)) {
    console.log(`bench-lsp skipped: ${f} is not in ${corpus}`);
    process.exit(0);
  }
}

const schema = gitlabSchema();
const yamlSettings = {
  schemas: {
    [pathToFileURL(schema.file).href]: [
      ".gitlab-ci.yml",
      "*.gitlab-ci.yml",
      ".gitlab/ci/**/*.yml",
      ".gitlab/ci/**/*.yaml",
    ],
  },
  customTags: ["!reference sequence"],
  validate: true,
  hover: true,
  completion: true,
  schemaStore: { enable: false },
  kubernetesCRDStore: { enable: false },
};

// Pipewright keeps parsed files and its compiled code between sessions in a cache folder; the bench gives it
// one of its own, empty at first: the first startup measures a first session, the later runs a usual one.
const pipewrightCache = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-bench-cache-"));
process.on("exit", () => fs.rmSync(pipewrightCache, { recursive: true, force: true }));

const SERVERS = {
  pipewright: {
    label: "pipewright",
    version: versionOf(project), // the project's own package.json, via its directory
    args: [pipewrightServer, "--stdio"],
    languageId: "gitlab-ci",
    config: () => null, // defaults for every `pipewright` setting
    env: { PIPEWRIGHT_CACHE_DIR: pipewrightCache },
  },
  yamlls: {
    label: "yaml-language-server",
    version: versionOf("yaml-language-server"),
    args: [yamlLsBin, "--stdio"],
    languageId: "yaml",
    config: (section) => (section === "yaml" ? yamlSettings : null),
  },
};

// as VS Code's: it takes file watchers (nothing changes on disk during the bench, so no event is owed)
const CAPABILITIES = {
  workspace: {
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: true },
    publishDiagnostics: {
      relatedInformation: true,
      versionSupport: true,
      codeDescriptionSupport: true,
      dataSupport: true,
    },
    hover: { contentFormat: ["markdown", "plaintext"] },
    completion: {
      completionItem: { snippetSupport: true, documentationFormat: ["markdown", "plaintext"] },
      contextSupport: true,
    },
    definition: { linkSupport: true },
  },
};

/** Holds a server's view of each document, for incremental edits. */
class Docs {
  constructor(client, languageId) {
    this.client = client;
    this.languageId = languageId;
    this.text = new Map();
    this.version = new Map();
  }
  open(rel, text = texts.get(rel)) {
    this.text.set(rel, text);
    this.version.set(rel, 1);
    this.client.notify("textDocument/didOpen", {
      textDocument: { uri: uriOf(rel), languageId: this.languageId, version: 1, text },
    });
  }
  /** Replaces [start, end) (UTF-16 offsets) with `insert`, as one incremental didChange. */
  change(rel, start, end, insert) {
    const text = this.text.get(rel);
    const pos = (offset) => {
      const before = text.slice(0, offset);
      const line = before.split("\n").length - 1;
      return { line, character: offset - (before.lastIndexOf("\n") + 1) };
    };
    const range = { start: pos(start), end: pos(end) };
    this.text.set(rel, text.slice(0, start) + insert + text.slice(end));
    const version = this.version.get(rel) + 1;
    this.version.set(rel, version);
    this.client.notify("textDocument/didChange", {
      textDocument: { uri: uriOf(rel), version },
      contentChanges: [{ range, text: insert }],
    });
  }
}

/** Starts a server, opens every YAML file right after `initialized`, waits until each has diagnostics. */
async function start(key, { edited } = {}) {
  const s = SERVERS[key];
  const client = new LspClient(s.label, s.args, s.config, s.env);
  const docs = new Docs(client, s.languageId);
  const seen = new Map(); // uri -> time of its first publishDiagnostics
  const counts = new Map(); // uri -> diagnostics in its latest publication
  let publications = 0;
  let first;
  const openUris = new Set(files.map(uriOf));
  const recorder = {
    on: (m, at) => {
      if (m.method !== "textDocument/publishDiagnostics") return;
      first ??= at;
      publications++;
      if (!seen.has(m.params.uri)) seen.set(m.params.uri, at);
      counts.set(m.params.uri, m.params.diagnostics);
    },
  };
  client.listeners.add(recorder);
  const t0 = performance.now();
  const init = await client.request("initialize", {
    processId: process.pid,
    clientInfo: { name: "pipewright-bench-lsp" },
    locale: "en",
    rootUri: pathToFileURL(corpus).href,
    workspaceFolders: [{ uri: pathToFileURL(corpus).href, name: "gitlab" }],
    capabilities: CAPABILITIES,
  });
  client.notify("initialized", {});
  // `edited`: a file whose buffer differs from the disk (as one edited since the last session)
  for (const f of files) docs.open(f, f === edited ? `${texts.get(f)}# edited since the last session\n` : undefined);
  // Wait until every opened file has had diagnostics at least once. Pipewright publishes only for
  // the files of the config it analyses, so for it the wait also ends once an analysis is done and
  // no file has had its first diagnostics for SETTLE_MS (the figures come from the timestamps).
  const SETTLE_MS = 1500;
  const allSeen = () => [...openUris].every((u) => seen.has(u));
  await new Promise((resolve, reject) => {
    let analysed = false;
    let known = 0;
    let lastNew = performance.now();
    const deadline = setTimeout(
      () => finish(new Error(`${s.label}: timed out waiting for diagnostics for every opened file`)),
      TIMEOUT_MS,
    );
    const poll = setInterval(() => {
      if (seen.size !== known) {
        known = seen.size;
        lastNew = performance.now();
      } else if (analysed && performance.now() - lastNew >= SETTLE_MS) finish();
    }, 50);
    const l = {
      on: (m) => {
        if (allSeen()) return finish();
        if (m.method === "pipewright/analysisDone") analysed = true;
      },
      fail: (e) => finish(e),
    };
    const finish = (e) => {
      clearTimeout(deadline);
      clearInterval(poll);
      client.listeners.delete(l);
      e ? reject(e) : resolve();
    };
    client.listeners.add(l); // after `recorder`, so `seen` is up to date when `l` runs
  });
  const allOpened = allSeen() ? Math.max(...[...openUris].map((u) => seen.get(u))) - t0 : null;
  client.listeners.delete(recorder);
  return { client, docs, seen, counts, publications, t0, init, firstMs: first - t0, allOpenedMs: allOpened };
}

// ---------------------------------------------------------------- edits

/**
 * Call right before sending an edit of `uri`: resolves when the server has answered it with
 * diagnostics for `uri` ({ at, via: "publish" }). Pipewright publishes for every file after each
 * analysis; should a build publish only the files whose diagnostics changed, an edit that changes
 * none gets no publication, and the end of the analysis that started after the edit counts instead
 * ({ via: "analysisDone" }, counted in the report). For Pipewright, `done` then resolves when that
 * analysis has finished publishing (its `pipewright/analysisDone`), so that the next edit starts
 * from a quiet server.
 */
function editAnswered(key, client, uri) {
  let answer;
  let started = false;
  let resolveAnswer, rejectAnswer, resolveDone;
  const answered = new Promise((res, rej) => ((resolveAnswer = res), (rejectAnswer = rej)));
  const done = new Promise((res) => (resolveDone = res));
  // one listener, called synchronously for each message, so that an analysisDone read in the same
  // chunk as the publication is not missed
  const finish = () => {
    clearTimeout(timer);
    client.listeners.delete(l);
    resolveDone();
  };
  const l = {
    on: (m, at) => {
      if (!answer) {
        if (m.method === "textDocument/publishDiagnostics" && m.params.uri === uri) {
          answer = { at, via: "publish" };
          resolveAnswer(answer);
          if (key !== "pipewright") finish();
          else {
            // its analysisDone follows
            clearTimeout(timer);
            timer = setTimeout(finish, 5000);
          }
        } else if (key === "pipewright" && m.method === "pipewright/analysisStarted") started = true;
        else if (key === "pipewright" && m.method === "pipewright/analysisDone" && started) {
          answer = { at, via: "analysisDone" };
          resolveAnswer(answer);
          finish();
        }
      } else if (m.method === "pipewright/analysisDone") finish();
    },
    fail: (e) => (answer ? finish() : (rejectAnswer(e), finish())),
  };
  let timer = setTimeout(() => {
    if (!answer) rejectAnswer(new Error(`${client.name}: timed out waiting for diagnostics of ${relOf(uri)}`));
    finish();
  }, TIMEOUT_MS);
  client.listeners.add(l);
  return { answered, done };
}

/** Offset just after `anchor` (the first occurrence) in `text`. */
function after(text, anchor, file) {
  const i = text.indexOf(anchor);
  if (i < 0) throw new Error(`${file}: \`${anchor}\` not found`);
  return i + anchor.length;
}

/**
 * Latency edits change a string value in place, each to a new content: a suffix `_bN` after
 * `anchor` (the first edit inserts it, later ones replace the previous one).
 * RULES_FILE: the variable in `.ai-gateway:rules:tagging`'s `if: '$AIGW_TAGGING_ACCESS_TOKEN == null'`
 * SMALL_FILE: the script line `- bash scripts/aigw-tagging.sh` (its job extends `.ai-gateway:rules:tagging`)
 */
const EDIT_AT = {
  [RULES_FILE]: "if: '$AIGW_TAGGING_ACCESS_TOKEN",
  [SMALL_FILE]: "- bash scripts/aigw-tagging",
};

async function latencies(key, client, docs, rel, n) {
  const uri = uriOf(rel);
  const at = after(docs.text.get(rel), EDIT_AT[rel], rel);
  let previous = "";
  const ms = [];
  let viaAnalysisDone = 0;
  const began = performance.now();
  for (let i = 1; i <= n && (i <= LATENCY_MIN_EDITS || performance.now() - began < LATENCY_BUDGET_MS); i++) {
    const token = `_b${i}`;
    const { answered, done } = editAnswered(key, client, uri);
    const sent = performance.now();
    docs.change(rel, at, at + previous.length, token);
    previous = token;
    const { at: got, via } = await answered;
    ms.push(got - sent);
    if (via === "analysisDone") viaAnalysisDone++;
    await done; // the rest of that analysis' publications, before the next edit
  }
  // The last suffix stays: putting the original text back would cost yaml-language-server one
  // more full validation of the file (about 10 s for the rules file) for nothing measured.
  return { ms, viaAnalysisDone };
}

/**
 * Listens for `ms` while nothing is asked of the server: how many analyses (Pipewright) and
 * publications it sends on its own. A server that keeps re-analysing while idle skews every figure.
 */
function idle(client, ms) {
  return new Promise((resolve) => {
    const n = { analyses: 0, publications: 0 };
    const l = {
      on: (m) => {
        if (m.method === "pipewright/analysisDone") n.analyses++;
        else if (m.method === "textDocument/publishDiagnostics") n.publications++;
      },
    };
    client.listeners.add(l);
    setTimeout(() => (client.listeners.delete(l), resolve(n)), ms);
  });
}

/** Resolves once the server has sent no notification for `ms`, or after `max` ms. */
function quiet(client, ms, max = 5000) {
  return new Promise((resolve) => {
    let timer = setTimeout(done, ms);
    const cap = setTimeout(done, max);
    const l = { on: () => (clearTimeout(timer), (timer = setTimeout(done, ms))), fail: done };
    function done() {
      clearTimeout(timer);
      clearTimeout(cap);
      client.listeners.delete(l);
      resolve();
    }
    client.listeners.add(l);
  });
}

/**
 * Memory: MEMORY_KEYSTROKES one-character insertions KEYSTROKE_GAP_MS apart, in bursts of BURST
 * typed into one string (the same places as the latency edits), alternating SMALL_FILE and
 * RULES_FILE; after each burst, wait for that file's diagnostics (the servers' debounce means one
 * analysis per burst, as when typing). The text typed is kept (files grow by 100 characters each).
 */
async function typing(key, client, docs) {
  const order = [SMALL_FILE, RULES_FILE];
  const offsets = new Map(order.map((f) => [f, after(docs.text.get(f), EDIT_AT[f], f)]));
  const letters = "abcdefghijklmnopqrstuvwxyz";
  let typed = 0;
  for (let b = 0; typed < MEMORY_KEYSTROKES; b++) {
    const rel = order[b % 2];
    const uri = uriOf(rel);
    const n = Math.min(BURST, MEMORY_KEYSTROKES - typed);
    let wait;
    for (let k = 0; k < n; k++, typed++) {
      if (k > 0) await new Promise((r) => setTimeout(r, KEYSTROKE_GAP_MS));
      if (k === n - 1) wait = editAnswered(key, client, uri); // the answer to the burst's last keystroke
      const at = offsets.get(rel);
      docs.change(rel, at, at, letters[typed % 26]);
      offsets.set(rel, at + 1);
    }
    await wait.answered;
    await wait.done;
  }
  return typed;
}

// ---------------------------------------------------------------- requests

/** A position at `needle` + `delta` characters, in `rel`'s text (as the server has it). */
function positionOf(text, rel, needle, delta = 0) {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`${rel}: \`${needle}\` not found`);
  const before = text.slice(0, i + delta);
  return { line: before.split("\n").length - 1, character: i + delta - (before.lastIndexOf("\n") + 1) };
}

// Appended to SMALL_FILE (once, for the completion requests): a job being typed.
const COMPLETION_TAIL = "\nbench-job:\n  stage: test\n  \n  extends: \n";

const REQUEST_POSITIONS = [
  {
    id: "hover-reference",
    method: "textDocument/hover",
    file: RAILS_FILE,
    needle: '!reference [".rails:rules:single-redis", rules]',
    delta: 20,
    what:
      "hover on a !reference target, `.rails:rules:single-redis` in `!reference " +
      '[".rails:rules:single-redis", rules]`',
  },
  {
    id: "hover-job",
    method: "textDocument/hover",
    file: SMALL_FILE,
    needle: "trigger-ai-gateway-tagging:",
    delta: 8,
    what: "hover on a job name, `trigger-ai-gateway-tagging`",
  },
  {
    id: "hover-keyword",
    method: "textDocument/hover",
    file: SMALL_FILE,
    needle: "  before_script:",
    delta: 5,
    what: "hover on a keyword, `before_script:` of that job",
  },
  {
    id: "definition-extends",
    method: "textDocument/definition",
    file: SMALL_FILE,
    needle: "- .ai-gateway:rules:tagging",
    delta: 8,
    what: "definition on an `extends:` parent, `.ai-gateway:rules:tagging` (defined in rules.gitlab-ci.yml)",
  },
  {
    id: "definition-reference",
    method: "textDocument/definition",
    file: RAILS_FILE,
    needle: '!reference [".rails:rules:single-redis", rules]',
    delta: 20,
    what: "definition on the same !reference target",
  },
  {
    id: "completion-extends",
    method: "textDocument/completion",
    file: SMALL_FILE,
    tail: true,
    needle: "\n  extends: \n",
    delta: 12,
    what: "completion after `extends: ` in a job being typed (appended to the small file)",
  },
  {
    id: "completion-key",
    method: "textDocument/completion",
    file: SMALL_FILE,
    tail: true,
    needle: "stage: test\n  \n",
    delta: 14,
    what: "completion at the start of a job key (an empty `  ` line in that job)",
  },
];

/** What a response holds, to tell an empty answer from a real one. */
function describe(method, result) {
  if (result == null) return "null";
  if (method === "textDocument/hover") {
    const c = result.contents;
    const text =
      typeof c === "string"
        ? c
        : Array.isArray(c)
          ? c.map((x) => (typeof x === "string" ? x : x.value)).join(" ")
          : (c?.value ?? "");
    return text.trim() ? `${text.length} chars: ${JSON.stringify(text.replace(/\s+/g, " ").slice(0, 70))}` : "empty";
  }
  if (method === "textDocument/definition") {
    const list = Array.isArray(result) ? result : [result];
    if (!list.length) return "empty";
    const l = list[0];
    const uri = l.targetUri ?? l.uri;
    const range = l.targetSelectionRange ?? l.range;
    return `${list.length} location(s): ${uri.startsWith("file:") ? relOf(uri) : uri}:${range.start.line + 1}`;
  }
  if (method === "textDocument/completion") {
    const items = Array.isArray(result) ? result : (result.items ?? []);
    return `${items.length} items${
      items.length
        ? `: ${items
            .slice(0, 4)
            .map((i) => i.label)
            .join(", ")}${items.length > 4 ? ", …" : ""}`
        : ""
    }`;
  }
  return JSON.stringify(result).slice(0, 60);
}

async function requests(key, client, docs) {
  const out = {};
  let tailAdded = false;
  for (const p of REQUEST_POSITIONS) {
    if (p.tail && !tailAdded) {
      const text = docs.text.get(SMALL_FILE);
      const { answered, done } = editAnswered(key, client, uriOf(SMALL_FILE));
      docs.change(SMALL_FILE, text.length, text.length, COMPLETION_TAIL);
      await answered;
      await done;
      tailAdded = true;
    }
    const position = positionOf(docs.text.get(p.file), p.file, p.needle, p.delta);
    const params = { textDocument: { uri: uriOf(p.file) }, position };
    if (p.method === "textDocument/completion") params.context = { triggerKind: 1 };
    const ms = [];
    let result;
    for (let i = 0; i < REQUESTS; i++) {
      const r = await client.request(p.method, params);
      ms.push(r.ms);
      result = r.result;
    }
    out[p.id] = {
      ms,
      position: { file: p.file, line: position.line + 1, character: position.character + 1 },
      answer: describe(p.method, result),
    };
  }
  return out;
}

// ---------------------------------------------------------------- yaml-language-server sanity check

/**
 * Checks that yaml-language-server validates against the schema: a probe file (opened from memory,
 * under .gitlab/ci/ so that the glob applies) with a misspelt keyword and a wrong type must get schema
 * diagnostics, and no corpus file may have an "Unresolved tag" diagnostic for `!reference`.
 */
async function yamlLsSanity(client, docs, counts) {
  const probe = ".gitlab/ci/zz-bench-lsp-probe.gitlab-ci.yml";
  const wait = client.nextDiagnostics(uriOf(probe));
  docs.open(
    probe,
    "probe-job:\n  stage: test\n  script:\n    - echo hi\n  whenn: manual\n " +
      " retry: many\n  rules:\n    - !reference [.x, rules]\n",
  );
  const { diagnostics } = await wait;
  const unresolved = [...counts.values()].flat().filter((d) => /unresolved tag/i.test(d.message));
  return {
    probe: diagnostics.map((d) => `${d.range.start.line + 1}: ${d.message.split("\n")[0]}`),
    corpusUnresolvedTags: unresolved.length,
  };
}

// ---------------------------------------------------------------- run

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)];
};

async function groupA(key) {
  const s = await start(key);
  const { client, docs, seen, counts } = s;
  const published = [...seen.keys()].map(relOf);
  const graphLast = Math.max(...seen.values()) - s.t0;
  const diagnosticsTotal = [...counts.values()].reduce((n, d) => n + d.length, 0);
  // what the diagnostics are: by severity, and the most frequent messages (numbers and quoted names folded)
  const all = [...counts.values()].flat();
  const bySeverity = {};
  const byMessage = new Map();
  for (const d of all) {
    const sev = ["?", "error", "warning", "information", "hint"][d.severity ?? 0] ?? "?";
    bySeverity[sev] = (bySeverity[sev] ?? 0) + 1;
    const m = `${d.code ? `[${d.code}] ` : ""}${d.message
      .split("\n")[0]
      .replace(/`[^`]*`|"[^"]*"|\d+/g, "…")
      .slice(0, 90)}`;
    byMessage.set(m, (byMessage.get(m) ?? 0) + 1);
  }
  const diagnosticSummary = { bySeverity, top: [...byMessage].sort((a, b) => b[1] - a[1]).slice(0, 12) };
  const diagnosticList = [...counts].flatMap(([uri, ds]) =>
    ds.map((d) => ({
      file: relOf(uri),
      line: d.range.start.line + 1,
      severity: d.severity,
      code: d.code,
      message: d.message.split("\n")[0],
    })),
  );
  // any re-analysis or re-validation after the didOpen burst settles before editing
  await quiet(client, 1000);
  const idleAfterStartup = await idle(client, 2000);
  const rules = await latencies(key, client, docs, RULES_FILE, LATENCY_EDITS);
  const small = await latencies(key, client, docs, SMALL_FILE, LATENCY_EDITS);
  const reqs = await requests(key, client, docs);
  const sanity = key === "yamlls" ? await yamlLsSanity(client, docs, counts) : undefined;
  const mem = client.memory();
  await client.stop();
  return {
    initializeMs: s.init.ms,
    firstDiagnosticsMs: s.firstMs,
    allOpenedDiagnosticsMs: s.allOpenedMs,
    publishedFiles: published.length,
    lastPublishedMs: graphLast,
    publishedSet: published,
    publicationsAtStartup: s.publications,
    idleAfterStartup,
    diagnosticsAfterOpen: diagnosticsTotal,
    diagnosticSummary,
    diagnostics: diagnosticList,
    editLatencyMs: { [RULES_FILE]: rules.ms, [SMALL_FILE]: small.ms },
    editsAnsweredByAnalysisDone: { [RULES_FILE]: rules.viaAnalysisDone, [SMALL_FILE]: small.viaAnalysisDone },
    requests: reqs,
    sanity,
    memoryAfterGroupA: mem,
  };
}

async function groupB(key) {
  const s = await start(key);
  const { client, docs } = s;
  await quiet(client, 1000);
  const afterOpen = client.memory();
  const t = performance.now();
  const keystrokes = await typing(key, client, docs);
  const typingMs = performance.now() - t;
  const afterEdits = client.memory();
  await client.stop();
  return {
    startup: { firstDiagnosticsMs: s.firstMs, allOpenedDiagnosticsMs: s.allOpenedMs },
    afterOpen,
    afterEdits,
    keystrokes,
    typingMs,
  };
}

const began = performance.now();
const raw = {
  date: new Date().toISOString(),
  node: process.version,
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGB: Math.round(os.totalmem() / 2 ** 30) },
  corpus: {
    dir: corpus,
    yamlFiles: files.length,
    bytes: [...texts.values()].reduce((n, t) => n + Buffer.byteLength(t), 0),
  },
  servers: Object.fromEntries(
    Object.entries(SERVERS).map(([k, s]) => [
      k,
      {
        label: s.label,
        version: s.version,
        command: ["node", ...s.args.map((a) => (a.startsWith("-") ? a : path.relative(project, a)))].join(" "),
        languageId: s.languageId,
      },
    ]),
  ),
  yamlLanguageServer: { schema: schema.source, schemaFile: schema.file, settings: yamlSettings },
  pipewrightBuild: { server: pipewrightServer, modified: fs.statSync(pipewrightServer).mtime.toISOString() },
  files: {
    rules: RULES_FILE,
    small: SMALL_FILE,
    smallLines: texts.get(SMALL_FILE).trimEnd().split("\n").length,
    rulesBytes: Buffer.byteLength(texts.get(RULES_FILE)),
  },
  method: {
    latencyEdits: LATENCY_EDITS,
    requestsPerPosition: REQUESTS,
    memory: { keystrokes: MEMORY_KEYSTROKES, burst: BURST, gapMs: KEYSTROKE_GAP_MS },
    positions: REQUEST_POSITIONS.map(({ id, what }) => ({ id, what })),
    percentiles: "nearest rank",
  },
  results: {},
};

console.error(
  `bench-lsp: ${files.length} YAML files in ${path.relative(process.cwd(), corpus) || corpus}; ` +
    `GitLab CI schema from ${schema.source}`,
);
try {
  console.error("bench-lsp: pipewright: first session (no parsed files kept from an earlier one)…");
  const firstSession = await start("pipewright");
  await firstSession.client.stop();
  raw.pipewrightFirstSession = {
    firstDiagnosticsMs: firstSession.firstMs,
    lastPublishedMs: Math.max(...firstSession.seen.values()) - firstSession.t0,
  };
  // a start with one file changed since the last session: right after the first, whose files are the disk's (a
  // session with edits keeps its buffers' texts, as an editor would have saved them); a quiet session then
  // leaves the disk's texts kept again for the usual start measured next
  console.error("bench-lsp: pipewright: a start with a file changed since the last session…");
  const editedStart = await start("pipewright", { edited: SMALL_FILE });
  await editedStart.client.stop();
  raw.pipewrightEditedStart = {
    firstDiagnosticsMs: editedStart.firstMs,
    lastPublishedMs: Math.max(...editedStart.seen.values()) - editedStart.t0,
  };
  await (await start("pipewright")).client.stop();
  for (const key of Object.keys(SERVERS)) {
    console.error(`bench-lsp: ${SERVERS[key].label}: startup, edits, requests…`);
    raw.results[key] = { A: await groupA(key) };
  }
  for (const key of Object.keys(SERVERS)) {
    console.error(`bench-lsp: ${SERVERS[key].label}: ${MEMORY_KEYSTROKES} keystrokes for memory…`);
    raw.results[key].B = await groupB(key);
  }
} catch (e) {
  console.error(`bench-lsp failed: ${e.stack ?? e}`);
  process.exit(1);
}
raw.totalSeconds = (performance.now() - began) / 1000;

// ---------------------------------------------------------------- report

const P = raw.results.pipewright;
const Y = raw.results.yamlls;
const fmt = (v, unit) =>
  v == null || Number.isNaN(v)
    ? "—"
    : unit === "MB"
      ? `${v.toFixed(1)} MB`
      : v >= 100
        ? `${Math.round(v)} ms`
        : `${v.toFixed(1)} ms`;
const ratio = (a, b) => (a == null || b == null || !b ? "—" : `${(a / b).toFixed(2)}×`);
const rows = [];
const row = (metric, p, y, unit = "ms", pNote = "", yNote = "") =>
  rows.push(`| ${metric} | ${fmt(p, unit)}${pNote} | ${fmt(y, unit)}${yNote} | ${ratio(p, y)} |`);
const noResult = (answer) => (/^(null|empty|0 items)/.test(answer) ? " (no result)" : "");

// diagnostics for every opened file: for Pipewright only the files of its analysis get any
const bothSet = P.A.publishedSet.filter((f) => Y.A.publishedSet.includes(f));
row("initialize response", P.A.initializeMs, Y.A.initializeMs);
row("first publishDiagnostics (any file)", P.A.firstDiagnosticsMs, Y.A.firstDiagnosticsMs);
row(
  "first publishDiagnostics, Pipewright's first session",
  raw.pipewrightFirstSession.firstDiagnosticsMs,
  Y.A.firstDiagnosticsMs,
);
row(
  "the same, a file changed since Pipewright's last session",
  raw.pipewrightEditedStart.firstDiagnosticsMs,
  Y.A.firstDiagnosticsMs,
);
row(`diagnostics for every opened file (${files.length})`, P.A.allOpenedDiagnosticsMs, Y.A.allOpenedDiagnosticsMs);
row(
  `diagnostics for every file each server publishes for (pipewright ${P.A.publishedFiles}, ` +
    `yaml-ls ${Y.A.publishedFiles})`,
  P.A.lastPublishedMs,
  Y.A.lastPublishedMs,
);
row("the same, Pipewright's first session", raw.pipewrightFirstSession.lastPublishedMs, Y.A.lastPublishedMs);
row(
  "the same, a file changed since Pipewright's last session",
  raw.pipewrightEditedStart.lastPublishedMs,
  Y.A.lastPublishedMs,
);
for (const [label, rel] of [
  [`edit → diagnostics, ${path.basename(RULES_FILE)} (${Math.round(raw.files.rulesBytes / 1024)} KB)`, RULES_FILE],
  [`edit → diagnostics, ${path.basename(SMALL_FILE)} (${raw.files.smallLines} lines)`, SMALL_FILE],
]) {
  const n = `n ${P.A.editLatencyMs[rel].length} / ${Y.A.editLatencyMs[rel].length}`;
  row(`${label} p50 (${n})`, pct(P.A.editLatencyMs[rel], 50), pct(Y.A.editLatencyMs[rel], 50));
  row(`${label} p95 (${n})`, pct(P.A.editLatencyMs[rel], 95), pct(Y.A.editLatencyMs[rel], 95));
}
for (const p of REQUEST_POSITIONS) {
  const [pr, yr] = [P.A.requests[p.id], Y.A.requests[p.id]];
  row(
    `${p.id} p50 (n ${pr.ms.length})`,
    pct(pr.ms, 50),
    pct(yr.ms, 50),
    "ms",
    noResult(pr.answer),
    noResult(yr.answer),
  );
  row(
    `${p.id} p95 (n ${pr.ms.length})`,
    pct(pr.ms, 95),
    pct(yr.ms, 95),
    "ms",
    noResult(pr.answer),
    noResult(yr.answer),
  );
}
row("RSS after opening every file", P.B.afterOpen.rssMB, Y.B.afterOpen.rssMB, "MB");
row(`RSS after ${MEMORY_KEYSTROKES} keystrokes`, P.B.afterEdits.rssMB, Y.B.afterEdits.rssMB, "MB");
row(`peak RSS (VmHWM) after ${MEMORY_KEYSTROKES} keystrokes`, P.B.afterEdits.hwmMB, Y.B.afterEdits.hwmMB, "MB");

const lines = [];
lines.push(
  `## LSP benchmark: ${raw.corpus.yamlFiles} YAML files (${Math.round(raw.corpus.bytes / 1024)} ` +
    `KB) of ${path.basename(corpus)}`,
);
lines.push("");
lines.push(
  `pipewright ${raw.servers.pipewright.version} (${path.relative(process.cwd(), pipewrightServer)}, ` +
    `built ${raw.pipewrightBuild.modified.slice(0, 16).replace("T", " ")} UTC) ` +
    `vs yaml-language-server ${raw.servers.yamlls.version} with GitLab's CI ` +
    `schema from ${schema.source}; node ${process.version}, ${raw.machine.cpus} CPUs`,
);
lines.push("");
lines.push("| metric | pipewright | yaml-language-server | ratio (pipewright / yaml-ls) |");
lines.push("|---|---:|---:|---:|");
lines.push(...rows);
lines.push("");
const sev = (r) =>
  Object.entries(r.A.diagnosticSummary.bySeverity)
    .map(([k, n]) => `${n} ${k}`)
    .join(", ");
lines.push(
  `Diagnostics after opening: pipewright ${P.A.diagnosticsAfterOpen} (${sev(P)}) ` +
    `in ${P.A.publishedFiles} files, yaml-language-server ${Y.A.diagnosticsAfterOpen} ` +
    `(${sev(Y)}) in ${Y.A.publishedFiles} files; files both publish for: ${bothSet.length}.`,
);
const unpublished = files.filter((f) => !P.A.publishedSet.includes(f));
if (unpublished.length)
  lines.push(
    `Pipewright publishes only for the files of the config it analyses: ${unpublished.length} ` +
      `of the ${files.length} opened files are not part of the config it analyses ` +
      `(not reached by \`include\` from .gitlab-ci.yml or from a child pipeline ` +
      `it can read, e.g. ${unpublished.slice(0, 3).join(", ")}) and get none, ` +
      `so "every opened file" is never reached (—).`,
  );
for (const [k, r] of [
  ["pipewright", P],
  ["yaml-language-server", Y],
]) {
  const n = r.A.idleAfterStartup;
  if (n.analyses > 1 || n.publications > 0)
    lines.push(
      `**Warning: ${k} kept working while idle after startup (${n.analyses} analyses, ` +
        `${n.publications} publications in 2 s with no edit): its figures below ` +
        `the startup rows are skewed.**`,
    );
}
for (const [rel, n] of Object.entries(P.A.editsAnsweredByAnalysisDone)) {
  if (n)
    lines.push(
      `Pipewright published nothing for ${path.basename(rel)} after ${n} of its ` +
        `edits (diagnostics unchanged): for those the latency runs to \`pipewright/analysisDone\`.`,
    );
}
lines.push(
  "Edit latency: didChange sent → that file's next publishDiagnostics, each " +
    "server's debounce included (200 ms in yaml-language-server); the next " +
    "edit waits for it (and for Pipewright, for `pipewright/analysisDone`).",
);
lines.push(
  "Startup: Pipewright keeps parsed files, its compiled code and its last findings between sessions " +
    "(in a cache folder of the bench's own here); its first session starts with none of them; a usual " +
    "start shows the last findings at once when every file is as the last session read it, then " +
    "analyses (rebuilding unchanged files from what was kept) and publishes what differs; the start " +
    `with ${path.basename(SMALL_FILE)} changed since the last session waits for that analysis.`,
);
lines.push(
  `Memory: fresh processes; RSS once every file has diagnostics, then after ` +
    `${MEMORY_KEYSTROKES} one-character keystrokes ${KEYSTROKE_GAP_MS} ms apart, ` +
    `in bursts of ${BURST} alternating between ${path.basename(SMALL_FILE)} ` +
    `and ${path.basename(RULES_FILE)}, waiting for that file's diagnostics ` +
    `after each burst.`,
);
lines.push("");
lines.push("Request answers (last of each series):");
for (const p of REQUEST_POSITIONS) {
  const pos = P.A.requests[p.id].position;
  lines.push(
    `- ${p.id} (${pos.file}:${pos.line}:${pos.character}, ${p.what}): pipewright ` +
      `${P.A.requests[p.id].answer}; yaml-ls ${Y.A.requests[p.id].answer}`,
  );
}
lines.push("");
lines.push(
  `yaml-language-server check: probe file diagnostics [${Y.A.sanity.probe.join(" | ")}]; ` +
    `"Unresolved tag" diagnostics in the corpus: ${Y.A.sanity.corpusUnresolvedTags}.`,
);
const schemaApplied = Y.A.sanity.probe.some((d) => /whenn/.test(d)) && Y.A.sanity.corpusUnresolvedTags === 0;
if (!schemaApplied) {
  lines.push(
    "**Warning: yaml-language-server did not validate the probe against GitLab's " +
      "schema, or flagged `!reference`: its figures are not those of a configured " +
      "server.**",
  );
  process.exitCode = 1;
}
lines.push(`Total run: ${raw.totalSeconds.toFixed(1)} s.`);
console.log(lines.join("\n"));

if (jsonOut) {
  fs.writeFileSync(jsonOut, JSON.stringify(raw, null, 2) + "\n");
  console.error(`bench-lsp: raw figures written to ${jsonOut}`);
}
