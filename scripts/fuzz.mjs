// Mutation fuzzer (npm run fuzz): mutated versions of the real configs of ../shared/corpus/real go through
// Pipewright's API in this process (a worker thread), and any exception out of check() or merged() is a
// crash, any analysis over 2 s is slow, any input that gets no answer in 30 s is a hang.
//
//   node scripts/fuzz.mjs [--seed N] [--count N] [--seconds S] [--corpus NAME[,NAME]] [--index I[,J]]
//                         [--slow-ms MS] [--hang-ms MS] [--jobs N] [--max-repros N] [--verbose]
//
// defaults: seed 1, 10000 inputs, no time limit. Input i of a seed is made from (seed, i) alone, so
// `--seed N --index I` makes it again. Each input: a corpus (small ones more often: the largest takes a
// second an input), one of its files (the root and the files included most, more often), 1-4 mutations
// (scripts/fuzz-mutations.mjs), then check() and merged() on all the files of the config, sometimes
// merged() of one job too. An analysis over the limit is run again, under the profiler: it is slow when
// both runs are, and the finding says where the time went; a hang is sampled for a second before the
// worker is terminated. Each finding gets a folder .fuzz/<seed>-<index>/ (the files of the config,
// mutations.json, error.txt; at most --max-repros, default 50, of one kind) and one line here, with a
// summary by kind at the end; progress goes to stderr every 1000 inputs. --jobs N runs N workers (the
// timings are then less reliable on a small machine). The last line is
//   fuzz: N inputs, C crashes, S slow, H hangs (seed X, T s)
// and the exit status is 1 when C+S+H > 0. Skips (exit 0) when ../shared/corpus is not here.
import fs from "node:fs";
import inspector from "node:inspector";
import { createRequire, findSourceMap, SourceMap } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { corpusContext, makeInput } from "./fuzz-mutations.mjs";

const SELF = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SELF), "..");

// ───────────────────────────── the worker: analyses ─────────────────────────────

function analyseMessages() {
  // stack traces through the bundle name the TypeScript sources
  process.setSourceMapsEnabled(true);
  const api = createRequire(SELF)(workerData.api);
  const run = async (call, input) => {
    const opts = { files: input.files };
    if (input.root !== undefined) opts.root = input.root;
    if (input.settings !== undefined) opts.settings = input.settings;
    if (call.job !== undefined) opts.job = call.job;
    const t0 = performance.now();
    try {
      const value = await api[call.fn](opts);
      const ms = performance.now() - t0;
      // what the CLI does next: print it as JSON
      JSON.stringify(value);
      return { ok: true, ms };
    } catch (e) {
      const ms = performance.now() - t0;
      const err = e instanceof Error ? e : new Error(`non-Error thrown: ${String(e)}`);
      return { ok: false, ms, error: { name: err.name, message: String(err.message), stack: String(err.stack) } };
    }
  };
  // a promise the API forgets to handle, or an exception thrown from a timer, is a crash of the call too
  const stray = [];
  process.on("unhandledRejection", (e) => stray.push(e));
  process.on("uncaughtException", (e) => stray.push(e));
  parentPort.on("message", async (input) => {
    const results = [];
    for (const call of input.calls) {
      const label = call.job === undefined ? call.fn : `${call.fn} job=${JSON.stringify(call.job)}`;
      parentPort.postMessage({ id: input.id, started: label });
      stray.length = 0;
      const r = await run(call, input);
      await new Promise((resolve) => setImmediate(resolve));
      if (stray.length && r.ok) {
        const e = stray[0] instanceof Error ? stray[0] : new Error(String(stray[0]));
        Object.assign(r, { ok: false, error: { name: e.name, message: `(not caught) ${e.message}`, stack: e.stack } });
      }
      if (r.ok && r.ms > input.slowMs) {
        // once more, warm and profiled: a slow run that is not slow again was the machine, not the input
        parentPort.postMessage({ id: input.id, started: `${label} (again)` });
        const again = await profiled(() => run(call, input));
        r.again = again.ms;
        r.hot = again.hot;
      }
      results.push({ label, ...r });
    }
    parentPort.postMessage({ id: input.id, results, heap: process.memoryUsage().heapUsed });
  });
}

/** fn() under V8's sampling profiler; its result gets `hot`, where the time went (see hotSpots). */
async function profiled(fn) {
  const session = new inspector.Session();
  const post = (method, params) =>
    new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  try {
    session.connect();
    await post("Profiler.enable");
    await post("Profiler.setSamplingInterval", { interval: 500 });
    await post("Profiler.start");
  } catch {
    return fn();
  }
  const r = await fn();
  try {
    r.hot = hotSpots((await post("Profiler.stop")).profile);
  } catch {}
  session.disconnect();
  return r;
}

const sourceMaps = new Map();

/** The source map of a script: the one Node keeps for a module this thread loaded, or its .map file. */
function sourceMap(url) {
  if (!sourceMaps.has(url)) {
    let map = findSourceMap(url);
    if (!map && url.startsWith("file://")) {
      try {
        map = new SourceMap(JSON.parse(fs.readFileSync(fileURLToPath(url) + ".map", "utf8")));
      } catch {}
    }
    sourceMaps.set(url, map);
  }
  return sourceMaps.get(url);
}

/** A profile frame as `name (file:line)`, through the bundle's source map to Pipewright's sources. */
function frameName(cf) {
  const name = cf.functionName || "(anonymous)";
  if (!cf.url) return name;
  let file = cf.url;
  let line = cf.lineNumber + 1;
  const entry = sourceMap(cf.url)?.findEntry(cf.lineNumber, cf.columnNumber);
  if (entry?.originalSource) {
    file = entry.originalSource;
    line = entry.originalLine + 1;
  }
  file = file.replace(/^file:\/\//, "");
  const rel = path.relative(ROOT, file);
  return `${name} (${rel.startsWith("..") ? file : rel}:${line})`;
}

/**
 * The three places with the most samples of their own, each with the innermost of Pipewright's functions
 * it was called from (what to look at when the place is a regular expression or a library), as
 * `{ where, via, share }`.
 */
function hotSpots(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const time = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    time.set(id, (time.get(id) ?? 0) + dt);
    total += dt;
  });
  const spots = new Map();
  for (const [id, t] of time) {
    const n = byId.get(id);
    if (["(idle)", "(program)", "(root)"].includes(n.callFrame.functionName)) continue;
    const where = frameName(n.callFrame);
    let via = "";
    for (let p = id; p !== undefined && !via; p = parent.get(p)) {
      const f = frameName(byId.get(p).callFrame);
      if (/\(server\/src\//.test(f) && (p !== id || !/\(server\/src\//.test(where))) via = f;
      else if (p === id && /\(server\/src\//.test(where)) via = where;
    }
    const key = `${where}\0${via}`;
    spots.set(key, { where, via: via === where ? "" : via, ms: (spots.get(key)?.ms ?? 0) + t / 1000 });
  }
  return [...spots.values()]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 3)
    .map((s) => ({ where: s.where, via: s.via, share: total ? Math.round((100 * s.ms * 1000) / total) : 0 }));
}

const hotText = (h) => `${h.where}${h.via ? ` via ${h.via}` : ""} ${h.share}%`;

// ───────────────────────────── the main thread ─────────────────────────────

function parseArgs(argv) {
  const o = { seed: 1, count: 10000, seconds: Infinity, corpus: undefined, index: undefined, slowMs: 2000 };
  Object.assign(o, { hangMs: 30000, jobs: 1, maxRepros: 50 });
  const num = (name, v) => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < 0) usage(`${name} wants a number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === "--seed") o.seed = num(a, v) >>> 0;
    else if (a === "--count") o.count = Math.floor(num(a, v));
    else if (a === "--seconds") o.seconds = num(a, v);
    else if (a === "--slow-ms") o.slowMs = num(a, v);
    else if (a === "--hang-ms") o.hangMs = num(a, v);
    else if (a === "--jobs") o.jobs = Math.max(1, Math.floor(num(a, v)));
    else if (a === "--max-repros") o.maxRepros = Math.floor(num(a, v));
    else if (a === "--corpus") o.corpus = String(v ?? usage("--corpus wants a name")).split(",");
    else if (a === "--index")
      o.index = String(v ?? usage("--index wants a number"))
        .split(",")
        .map((x) => num(a, x));
    else if (a === "--verbose") {
      o.verbose = true;
      i--;
    } else if (a === "--help" || a === "-h") usage();
    else usage(`unknown argument ${a}`);
    i++;
  }
  return o;
}

function usage(problem) {
  if (problem) console.error(`fuzz: ${problem}`);
  console.error(
    "usage: node scripts/fuzz.mjs [--seed N] [--count N] [--seconds S] [--corpus NAME[,NAME]] [--index I[,J]]" +
      " [--slow-ms MS] [--hang-ms MS] [--jobs N] [--max-repros N] [--verbose]",
  );
  process.exit(problem ? 2 : 0);
}

function readTree(dir, base = dir, out = {}) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) readTree(p, base, out);
    else if (e.isFile()) out[path.relative(base, p).split(path.sep).join("/")] = fs.readFileSync(p, "utf8");
  }
  return out;
}

let workerInspector;

/** The main thread's inspector session, attached to every worker (NodeWorker domain); undefined when none. */
async function inspectWorkers() {
  if (workerInspector !== undefined) return workerInspector;
  workerInspector = null;
  try {
    const session = new inspector.Session();
    session.connect();
    const post = (method, params) =>
      new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
    const sessions = new Map();
    const waiting = new Map();
    let seq = 0;
    session.on("NodeWorker.attachedToWorker", ({ params }) =>
      sessions.set(Number(params.workerInfo.workerId), params.sessionId),
    );
    session.on("NodeWorker.receivedMessageFromWorker", ({ params }) => {
      const m = JSON.parse(params.message);
      waiting.get(m.id)?.(m);
      waiting.delete(m.id);
    });
    await post("NodeWorker.enable", { waitForDebuggerOnStart: false });
    const send = (threadId, method, p = {}) =>
      new Promise((resolve, reject) => {
        const sessionId = sessions.get(threadId);
        if (!sessionId) return reject(new Error("worker not attached"));
        const id = ++seq;
        waiting.set(id, resolve);
        setTimeout(() => waiting.delete(id) && reject(new Error("no answer")), 5000);
        post("NodeWorker.sendMessageToWorker", { sessionId, message: JSON.stringify({ id, method, params: p }) }).catch(
          reject,
        );
      });
    workerInspector = { send };
  } catch {}
  return workerInspector;
}

/** hotSpots of `ms` of a (stuck) worker's time; undefined when the inspector cannot tell. */
async function sampleWorker(worker, ms) {
  try {
    const wi = await inspectWorkers();
    if (!wi) return undefined;
    await wi.send(worker.threadId, "Profiler.enable");
    await wi.send(worker.threadId, "Profiler.setSamplingInterval", { interval: 500 });
    await wi.send(worker.threadId, "Profiler.start");
    await new Promise((resolve) => setTimeout(resolve, ms));
    const r = await wi.send(worker.threadId, "Profiler.stop");
    return r.result?.profile ? hotSpots(r.result.profile) : undefined;
  } catch {
    return undefined;
  }
}

/** One worker thread at a time, replaced when it hangs or dies. */
class Analyser {
  constructor(api, hangMs) {
    this.api = api;
    this.hangMs = hangMs;
    this.worker = undefined;
    this.output = "";
  }

  async start() {
    await inspectWorkers();
    this.output = "";
    const w = new Worker(SELF, {
      workerData: { api: this.api },
      stdout: true,
      stderr: true,
      // an analysis that eats memory kills its worker (ERR_WORKER_OUT_OF_MEMORY), not the fuzzer; the stack is
      // the main thread's (V8's 984 kB, Node keeps 192 kB of the thread's stack aside), not a worker's 4 MB, so
      // that a recursion that overflows in the CLI or the language server overflows here too
      resourceLimits: { maxOldGenerationSizeMb: 4096, stackSizeMb: (984 + 192) / 1024 },
    });
    const keep = (d) => (this.output = (this.output + d).slice(-4000));
    w.stdout.on("data", keep);
    w.stderr.on("data", keep);
    // events of a worker already given up (terminated after a hang) are not about the current input
    w.on("message", (msg) => w === this.worker && this.pending?.onMessage(msg));
    w.on("error", (e) => w === this.worker && this.pending?.onError(e));
    w.on("exit", (code) => w === this.worker && this.pending?.onExit(code));
    this.worker = w;
  }

  /** → { results } | { hang: label } | { died: error } */
  async analyse(input) {
    if (!this.worker) await this.start();
    const worker = this.worker;
    return new Promise((resolve) => {
      let timer;
      let current = "start";
      let failure;
      const finish = (r) => {
        clearTimeout(timer);
        this.pending = undefined;
        resolve(r);
      };
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(async () => {
          this.worker = undefined;
          // where it is stuck: a second of samples through the inspector, which reaches a busy thread
          const hot = await sampleWorker(worker, 1000);
          worker.terminate().catch(() => {});
          finish({ hang: current, hot });
        }, this.hangMs);
      };
      this.pending = {
        onMessage: (msg) => {
          if (msg.id !== input.id) return;
          if (msg.started) {
            current = msg.started;
            arm();
          } else finish({ results: msg.results, heap: msg.heap });
        },
        onError: (e) => {
          failure = { name: e?.name ?? "Error", message: String(e?.message ?? e), stack: String(e?.stack ?? e) };
          failure.code = e?.code;
        },
        onExit: (code) => {
          this.worker = undefined;
          const e = failure ?? { name: "WorkerExit", message: `worker exited with code ${code}`, stack: "" };
          e.during = current;
          e.output = this.output;
          finish({ died: e });
        },
      };
      arm();
      worker.postMessage(input);
    });
  }

  stop() {
    const w = this.worker;
    this.worker = undefined;
    return w ? w.terminate() : Promise.resolve();
  }
}

/** `at fn (server/src/x.ts:12:3)`: the first frame in Pipewright's sources, or the first frame. */
function topFrame(stack) {
  const frames = String(stack)
    .split("\n")
    .filter((l) => /^\s+at /.test(l));
  const ours = frames.find((l) => /server\/src\//.test(l)) ?? frames[0];
  if (!ours) return "?";
  return ours
    .trim()
    .replace(/^at /, "")
    .replace(/\(?(?:file:\/\/)?[^\s()]*?(server\/src\/[^():]+:\d+)(?::\d+)?\)?/, "($1)");
}

/** A crash's identity: the error and where it was thrown, without the data that varies. */
function signature(e) {
  const msg = String(e.message)
    .split("\n")[0]
    .replace(/\d+/g, "N")
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, "…")
    .slice(0, 140);
  return `${e.name}: ${msg} @ ${topFrame(e.stack)}`;
}

function writeRepro(dir, input, finding, opts) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const skipped = [];
  for (const [rel, text] of Object.entries(input.files)) {
    const p = path.resolve(dir, rel);
    if (!rel || !p.startsWith(dir + path.sep)) {
      skipped.push(rel);
      continue;
    }
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  const rel = path.relative(ROOT, dir);
  const meta = {
    seed: opts.seed,
    index: input.index,
    corpus: input.corpus,
    mutatedFile: input.file,
    addedFiles: input.added,
    mutations: input.mutations,
    root: input.root ?? null,
    settings: input.settings ?? null,
    calls: input.calls.map((c) => (c.job === undefined ? c.fn : `${c.fn} job=${JSON.stringify(c.job)}`)),
    finding: finding.kind,
    reproduce: `node scripts/fuzz.mjs --seed ${opts.seed} --index ${input.index}`,
    api: `require("pipewright").${finding.call?.split(" ")[0] ?? "check"}({ files: <every file of this folder>${
      input.root !== undefined ? `, root: ${JSON.stringify(input.root)}` : ""
    }${input.settings !== undefined ? ", settings" : ""} })`,
    cli: [
      `node dist/cli.js ${finding.call?.startsWith("merged") ? "merged" : "check"} ${rel} --format json --debug`,
      input.root !== undefined ? ` --root ${JSON.stringify(input.root)}` : "",
      / job=/.test(finding.call ?? "")
        ? ` --job ${finding.call.replace(/^.*? job=/, "").replace(/ \(again\)$/, "")}`
        : "",
      input.settings !== undefined ? " (and the editor settings above)" : "",
    ].join(""),
    unwritten: skipped,
  };
  fs.writeFileSync(path.join(dir, "mutations.json"), JSON.stringify(meta, null, 2) + "\n");
  fs.writeFileSync(path.join(dir, "error.txt"), finding.text + "\n");
}

async function main() {
  const started = performance.now();
  const opts = parseArgs(process.argv.slice(2));
  const real = path.resolve(ROOT, "..", "shared", "corpus", "real");
  if (!fs.existsSync(path.resolve(ROOT, "..", "shared", "corpus")) || !fs.existsSync(real)) {
    console.log("fuzz: skipped, ../shared/corpus/real is not here");
    process.exit(0);
  }
  const api = path.join(ROOT, "dist", "api.js");
  if (!fs.existsSync(api)) {
    console.error("fuzz: dist/api.js is missing: run npm run build first");
    process.exit(2);
  }
  let names = fs
    .readdirSync(real)
    .filter((n) => fs.statSync(path.join(real, n)).isDirectory())
    .sort();
  if (opts.corpus) {
    const unknown = opts.corpus.filter((n) => !names.includes(n));
    if (unknown.length) usage(`no corpus ${unknown.join(", ")} (there are ${names.join(", ")})`);
    names = names.filter((n) => opts.corpus.includes(n));
  }
  const corpora = names.map((n) => corpusContext(n, readTree(path.join(real, n)))).filter((c) => c.paths.length);
  if (!corpora.length) {
    console.log("fuzz: skipped, no configs in ../shared/corpus/real");
    process.exit(0);
  }
  // by size, not by time, so that the inputs depend on the seed alone: the largest corpus (0.57 MB, about a
  // second an input) comes in one input of 45, a 40 kB one in every 7
  for (const c of corpora) c.weight = Math.min(1, (40000 / c.bytes) ** 0.75);

  const outDir = path.join(ROOT, ".fuzz");
  const analyser = new Analyser(api, opts.hangMs);
  const totals = { inputs: 0, crashes: 0, slow: 0, hangs: 0, unconfirmed: 0 };
  const signatures = new Map();
  let slowest = { ms: 0 };
  let heap = 0;
  const perCorpus = {};
  const seconds = () => (performance.now() - started) / 1000;

  // the unmutated corpora first: warms the worker up and says what an input costs
  const base = [];
  for (const c of corpora) {
    const r = await analyser.analyse({
      id: `base-${c.name}`,
      files: c.files,
      calls: [{ fn: "check" }, { fn: "merged" }],
      slowMs: Infinity,
    });
    const bad = r.results?.find((x) => !x.ok);
    if (!r.results || bad) {
      // a crash on the real config itself: the fuzzer's findings would all be this one
      const what = bad ? signature(bad.error) : r.hang ? "hang" : r.died?.message;
      console.log(`CRASH unmutated ${c.name} (${path.relative(ROOT, path.join(real, c.name))}): ${what}`);
      totals.crashes++;
      continue;
    }
    base.push(`${c.name} ${Math.round(r.results.reduce((s, x) => s + x.ms, 0))} ms`);
  }
  console.error(`fuzz: seed ${opts.seed}; unmutated check+merged: ${base.join(", ")}`);

  const indices = opts.index ?? Array.from({ length: opts.count }, (_, i) => i);
  const make = (index) => {
    try {
      return { index, ...makeInput(opts.seed, index, corpora) };
    } catch (e) {
      // a bug of the fuzzer, not of Pipewright: say so, and go on
      console.error(`fuzz: cannot make input ${index}: ${e?.stack ?? e}`);
      return undefined;
    }
  };
  let taken = 0;
  /** The next input to analyse; null when there is none left. */
  const take = () => {
    while (taken < indices.length) {
      const input = make(indices[taken++]);
      if (input) return Object.assign(input, { id: input.index, slowMs: opts.slowMs });
    }
    return null;
  };
  const lane = async (analyser) => {
    let next = take();
    while (next && seconds() < opts.seconds) {
      const input = next;
      const pending = analyser.analyse(input);
      // the next input is made while the worker analyses this one
      next = take();
      record(input, await pending);
    }
    await analyser.stop();
  };
  const record = (input, r) => {
    totals.inputs++;
    if (r.heap) heap = r.heap;
    let finding;
    if (r.hang) {
      totals.hangs++;
      const spot = r.hot?.find((h) => !/^\(garbage collector\)/.test(h.where)) ?? r.hot?.[0];
      finding = {
        kind: "HANG",
        call: r.hang,
        line:
          `${r.hang}: no answer in ${opts.hangMs / 1000} s` +
          (r.hot?.length ? `; hot: ${r.hot.map(hotText).join(", ")}` : ""),
        sig: `hang in ${r.hang.split(" ")[0]}${spot ? `: ${spot.where}${spot.via ? ` via ${spot.via}` : ""}` : ""}`,
        text: [
          `HANG: ${r.hang} gave no answer in ${opts.hangMs} ms; the worker was terminated.`,
          ...(r.hot?.length
            ? ["where it was stuck (a second of samples before the end):", ...r.hot.map((h) => `  ${hotText(h)}`)]
            : []),
        ].join("\n"),
      };
    } else if (r.died) {
      totals.crashes++;
      const e = r.died;
      finding = {
        kind: "CRASH",
        call: e.during,
        line: `${e.during}: worker died: ${e.code ?? ""} ${e.name}: ${e.message.split("\n")[0].slice(0, 200)}`,
        sig: `worker died: ${e.code ?? e.name}`,
        text: `CRASH (the worker died) during ${e.during}\n${e.stack}\n\nworker output:\n${e.output}`,
      };
    } else {
      const pc = (perCorpus[input.corpus] ??= { n: 0, ms: 0 });
      pc.n++;
      pc.ms += r.results.reduce((a, x) => a + x.ms + (x.again ?? 0), 0);
      for (const x of r.results)
        if (x.ok && x.ms > slowest.ms) slowest = { ms: x.ms, index: input.index, corpus: input.corpus, label: x.label };
      const crashed = r.results.filter((x) => !x.ok);
      const slow = r.results.filter((x) => x.ok && x.ms > opts.slowMs && x.again > opts.slowMs);
      totals.unconfirmed += r.results.filter((x) => x.ok && x.ms > opts.slowMs && !(x.again > opts.slowMs)).length;
      const times = r.results.map(
        (x) => `${x.label}: ${Math.round(x.ms)} ms${x.again !== undefined ? ` (again ${Math.round(x.again)} ms)` : ""}`,
      );
      if (crashed.length) {
        totals.crashes++;
        const first = crashed[0];
        finding = {
          kind: "CRASH",
          call: first.label,
          line: `${first.label}: ${first.error.name}: ${first.error.message.split("\n")[0].slice(0, 200)} at ${topFrame(
            first.error.stack,
          )}`,
          sig: signature(first.error),
          text: [
            "CRASH: an exception out of the API",
            ...crashed.map((x) => `\n== ${x.label} (${Math.round(x.ms)} ms)\n${x.error.stack}`),
            "\n== times",
            ...times,
          ].join("\n"),
        };
      } else if (slow.length) {
        totals.slow++;
        const worst = slow.reduce((a, b) => (Math.min(b.ms, b.again) > Math.min(a.ms, a.again) ? b : a));
        // by where the time goes, not by the gc: that is the cause to look for
        const spot = worst.hot?.find((h) => !/^\(garbage collector\)/.test(h.where)) ?? worst.hot?.[0];
        finding = {
          kind: "SLOW",
          call: worst.label,
          line:
            `${worst.label}: ${Math.round(worst.ms)} ms, again ${Math.round(worst.again)} ms` +
            (worst.hot?.length ? `; hot: ${worst.hot.map(hotText).join(", ")}` : ""),
          sig: `slow ${worst.label.split(" ")[0]}${spot ? `: ${spot.where}${spot.via ? ` via ${spot.via}` : ""}` : ""}`,
          text: [
            `SLOW: over ${opts.slowMs} ms twice`,
            ...times,
            "",
            "where the second run spent its time (own samples, with the Pipewright function it was called from):",
            ...slow.flatMap((x) => (x.hot ?? []).map((h) => `  ${x.label}: ${hotText(h)}`)),
          ].join("\n"),
        };
      }
    }
    if (opts.verbose) {
      const times = r.results?.map((x) => `${x.label} ${Math.round(x.ms)}${x.ok ? "" : "!"}`).join(", ");
      const ops = input.mutations.map((x) => `${x.op}(${x.detail.slice(0, 50)})`).join(" + ");
      console.error(`#${input.index} ${input.corpus} ${input.file}: ${times ?? (r.hang ? "hang" : "died")}; ${ops}`);
    }
    if (finding) {
      const dir = path.join(outDir, `${opts.seed}-${input.index}`);
      const s = signatures.get(finding.sig) ?? { count: 0, first: path.relative(ROOT, dir) };
      s.count++;
      signatures.set(finding.sig, s);
      // a bug that most inputs reach would fill the disk with copies of the largest config: the first
      // --max-repros of each kind are kept, the others can be made again with --index
      let where = path.relative(ROOT, dir);
      if (s.count <= opts.maxRepros) writeRepro(dir, input, finding, opts);
      else where = `(not written: ${opts.maxRepros} like it already; --seed ${opts.seed} --index ${input.index})`;
      const ops = input.mutations.map((x) => x.op).join("+");
      console.log(`${finding.kind} #${input.index} ${input.corpus} ${input.file} [${ops}] ${finding.line} → ${where}`);
    }
    if (totals.inputs % 1000 === 0) {
      console.error(
        `fuzz: ${totals.inputs} inputs, ${totals.crashes} crashes, ${totals.slow} slow, ${totals.hangs} hangs, ` +
          `${seconds().toFixed(0)} s; slowest ${Math.round(slowest.ms)} ms (#${slowest.index} ${slowest.corpus} ` +
          `${slowest.label}); worker heap ${Math.round(heap / 1048576)} MB`,
      );
    }
  };
  const lanes = [analyser];
  for (let j = 1; j < opts.jobs; j++) lanes.push(new Analyser(api, opts.hangMs));
  await Promise.all(lanes.map(lane));

  console.error(
    `fuzz: inputs and mean analysis time by corpus: ${Object.entries(perCorpus)
      .map(([n, c]) => `${n} ${c.n} × ${Math.round(c.ms / c.n)} ms`)
      .join(", ")}`,
  );
  if (signatures.size) {
    console.log(`distinct findings (${signatures.size}):`);
    for (const [sig, s] of [...signatures].sort((a, b) => b[1].count - a[1].count))
      console.log(`  ${s.count}× ${sig} (first: ${s.first})`);
  }
  if (totals.unconfirmed)
    console.log(`note: ${totals.unconfirmed} analyses took over ${opts.slowMs} ms once but not when run again`);
  if (slowest.label)
    console.log(
      `slowest analysis: ${Math.round(slowest.ms)} ms (#${slowest.index} ${slowest.corpus} ${slowest.label})`,
    );
  const bad = totals.crashes + totals.slow + totals.hangs;
  console.log(
    `fuzz: ${totals.inputs} inputs, ${totals.crashes} crashes, ${totals.slow} slow, ${totals.hangs} hangs ` +
      `(seed ${opts.seed}, ${seconds().toFixed(1)} s)`,
  );
  process.exit(bad ? 1 : 0);
}

// at the end: main() uses the class above, which only exists once its definition has run
if (isMainThread) await main();
else analyseMessages();
