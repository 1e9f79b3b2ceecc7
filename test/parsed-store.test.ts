import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { loadFile, loadWhole, type ParsedFile } from "../server/src/engine/load";
import { MemoryHost } from "../server/src/engine/memory-host";
import { restoreParsed, storeParsed } from "../server/src/engine/parsed-store";
import type { CValue } from "../server/src/engine/types";
import type { ParseStore } from "../server/src/workspace/io";
import { Workspace } from "../server/src/workspace/workspace";
import { LspClient } from "./lsp-client";
import { y } from "./helpers";

// Parsed files kept between sessions: a restored file is the file loaded again (values, positions,
// hops, sharing, anchors, findings, a big file's entries), edits after a restore load as they would
// have, data for another text or malformed data is never used, and a workspace started on a store
// parses nothing that did not change.

function shape(v: CValue | undefined): unknown {
  if (!v) return v;
  const base = {
    k: v.kind,
    s: [v.src.start, v.src.end],
    via: v.via?.map((h) => [h.kind, h.name, h.at.start, h.at.end]),
  };
  if (v.kind === "scalar") return { ...base, v: v.value, inner: v.inner && [v.inner.start, v.inner.end] };
  if (v.kind === "map")
    return {
      ...base,
      e: [...v.entries].map(([k, e]) => [
        k,
        e.keySrc.start,
        e.keySrc.end,
        e.keyInner && [e.keyInner.start, e.keyInner.end],
        shape(e.value),
      ]),
    };
  return { ...base, i: v.items.map(shape), invalid: v.kind === "ref" ? v.invalid : undefined };
}

const sig = (f: ParsedFile) =>
  JSON.stringify([
    shape(f.header),
    shape(f.content),
    f.anchors.map((a) => [a.name, a.src.start, a.src.end, shape(a.value)]),
    f.diagnostics.map((d) => `${d.severity} ${d.code} ${d.src.start}-${d.src.end} ${d.message}`),
  ]);

const roundTrip = (f: ParsedFile) => restoreParsed(f.path, f.text, JSON.parse(JSON.stringify(storeParsed(f))));

const SAMPLES: Record<string, string> = {
  "plain.yml": y(
    "spec:",
    "  inputs:",
    "    n: {default: 1}",
    "---",
    ".t: &t {image: 'alpine:3'}",
    "job:",
    "  <<: *t",
    '  "quoted key": [a, *t]',
    "  script: !reference [.t, script]",
    "dup: 1",
    "dup: 2",
    "bad: !custom x",
  ),
  "bomb.yml": y(
    "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]",
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
    "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
  ),
  "big.yml": Array.from(
    { length: 300 },
    (_, i) =>
      `.rules-${i}: &r${i}\n  rules:\n    - if: '$X == "${i}"'\njob-${i}:\n  ` +
      `extends: .rules-${i}\n  variables: *r${i > 0 ? i - 1 : 0}\n  script: [echo ${i}]\n`,
  ).join(""),
};

test("a stored file restores to exactly what loading it gives, shared values staying shared", () => {
  for (const [name, text] of Object.entries(SAMPLES)) {
    const file = loadFile(name, text);
    const restored = roundTrip(file)!;
    assert.ok(restored, name);
    assert.equal(sig(restored), sig(file), name);
    assert.equal(!!restored.entries, !!file.entries, `${name}: loaded entry by entry, restored so`);
  }
  const bomb = storeParsed(loadFile("bomb.yml", SAMPLES["bomb.yml"]));
  assert.ok(JSON.stringify(bomb).length < 5000, "aliases are stored once, not expanded (10,000 values once expanded)");
});

test("after a restore, a big file's edits reuse its entries and load as they would have", () => {
  const text = SAMPLES["big.yml"];
  const restored = roundTrip(loadFile("big.yml", text))!;
  const edited = text.replace("echo 150", "echo 150 again");
  const next = loadFile("big.yml", edited, restored);
  assert.equal(sig(next), sig(loadWhole("big.yml", edited)));
  const value = (f: ParsedFile, k: string) => (f.content?.kind === "map" ? f.content.entries.get(k)?.value : undefined);
  assert.equal(value(next, "job-10"), value(restored, "job-10"), "an untouched entry keeps its restored values");
});

test("data for another text, or malformed in any way, is not used", () => {
  const file = loadFile("plain.yml", SAMPLES["plain.yml"]);
  const data = storeParsed(file) as Record<string, unknown>;
  assert.equal(restoreParsed("plain.yml", SAMPLES["plain.yml"] + " ", data), undefined, "another text");
  assert.equal(restoreParsed("plain.yml", SAMPLES["plain.yml"], { ...data, f: 99 }), undefined, "another format");
  // every single-value corruption of the data: undefined or the same file, never an exception
  const json = JSON.stringify(data);
  let seed = 11;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let i = 0; i < 300; i++) {
    const at = Math.floor(rnd() * json.length);
    const broken =
      json.slice(0, at) + ["0", "-1", "99999", '"x"', "[]", "null"][Math.floor(rnd() * 6)] + json.slice(at + 1);
    let parsed: unknown;
    try {
      parsed = JSON.parse(broken);
    } catch {
      continue;
    }
    const restored = restoreParsed("plain.yml", SAMPLES["plain.yml"], parsed);
    if (restored) assert.ok(restored.text === SAMPLES["plain.yml"]);
  }
});

/** A store in memory, counting what is written. */
function memoryStore(): ParseStore & { data?: ReadonlyMap<string, unknown>; saves: number } {
  return {
    saves: 0,
    load() {
      return this.data;
    },
    save(files) {
      this.data = new Map(files);
      this.saves++;
    },
  };
}

test("a workspace started on the last session's store parses only what changed since", () => {
  const files = {
    ".gitlab-ci.yml": y("include: [a.yml, b.yml]", "j: {script: [x], extends: .a}"),
    "a.yml": y(".a: {image: alpine}"),
    "b.yml": y("b: {script: [b]}"),
  };
  const store = memoryStore();
  const first = new Workspace({ files: new MemoryHost(files), store });
  const expected = first.diagnostics();
  assert.equal(first.persist(), true);
  assert.equal(first.persist(), false, "nothing new to keep");
  const second = new Workspace({ files: new MemoryHost({ ...files, "b.yml": y("b: {script: [b2]}") }), store });
  assert.deepEqual(second.diagnostics(), expected);
  assert.equal(
    (second as unknown as { engine: { parseCount: number } }).engine.parseCount,
    1,
    "only b.yml, which changed, is parsed",
  );
  assert.deepEqual(second.merged(undefined, "j"), first.merged(undefined, "j"));
});

test("the language server keeps parsed files and findings at shutdown, in the cache folder it is given", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-store-"));
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-cache-"));
  try {
    fs.writeFileSync(path.join(dir, ".gitlab-ci.yml"), y("j:", "  script: [x]", "  stage: nope"));
    const session = async () => {
      const client = new LspClient(dir, cache);
      await client.start();
      await client.waitFor("pipewright/analysisDone", () => true, 30000);
      await client.stop();
      return client.received<{ uri: string; diagnostics: Array<{ code: string }> }>("textDocument/publishDiagnostics");
    };
    const first = await session();
    const stored = fs
      .readdirSync(cache, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith(".json"))
      .sort();
    assert.equal(stored.length, 2, "parsed files and findings");
    assert.match(stored[0], /^findings-/);
    assert.match(stored[1], /^parsed-/);
    const data = JSON.parse(fs.readFileSync(path.join(cache, stored[1]), "utf8"));
    assert.deepEqual(Object.keys(data), [".gitlab-ci.yml"]);
    const findings = JSON.parse(fs.readFileSync(path.join(cache, stored[0]), "utf8"));
    assert.deepEqual(
      findings.reads.map((r: [string, string]) => r[0]),
      ["r .pipewright.yml", "r .gitlab-ci.yml", "r dagger.json"],
    );
    // the next session shows them before its analysis, which agrees and publishes nothing more
    const second = await session();
    assert.deepEqual(
      first.map((p) => p.diagnostics.map((d) => d.code)),
      [["stage-unknown"]],
    );
    assert.deepEqual(second, first);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
  }
});
