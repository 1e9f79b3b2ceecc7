import * as assert from "node:assert/strict";
import { test } from "node:test";
import { MemoryHost } from "../server/src/engine/memory-host";
import type { SourceHost } from "../server/src/engine/types";
import type { PositionedDiagnostic } from "../server/src/workspace/diagnostics";
import type { FindingsStore, GitFacts } from "../server/src/workspace/io";
import { Workspace, type WorkspaceOptions } from "../server/src/workspace/workspace";
import { y } from "./helpers";

// The last session's findings, shown before the first analysis of the next: only when every read of
// the analysis that made them answers the same (texts, missing files, the listing, the settings, the
// git baseline), and then the analysis that follows finds exactly them.

/** A store in memory, as the disk one: what is saved comes back as JSON. */
function memoryFindings(): FindingsStore & { saves: number; text?: string } {
  return {
    saves: 0,
    load() {
      return this.text === undefined ? undefined : JSON.parse(this.text);
    },
    save(data) {
      this.text = JSON.stringify(data);
      this.saves++;
    },
  };
}

const FILES = {
  ".gitlab-ci.yml": y(
    "include:",
    "  - local: ci/a.yml",
    "  - local: ci/missing.yml",
    "  - local: 'parts/*.yml'",
    "job:",
    "  extends: .base",
    "  stage: nope",
    "  script: [x]",
  ),
  "ci/a.yml": y(".base:", "  image: alpine", "  scrpt: [y]"),
  "parts/one.yml": y("one:", "  script: [one]", "  needs: [jobb]"),
};

const brief = (changes: ReadonlyArray<{ file: string; diagnostics: readonly PositionedDiagnostic[] }>) =>
  changes.flatMap(({ file, diagnostics }) =>
    diagnostics.map((d) => `${file}:${d.range.start.line}:${d.range.start.character} ${d.code}`),
  );

/** As the findings come back from the store: fields without a value are not written. */
const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

/** A first session that analyses `files` and keeps what it found. */
function firstSession(files: Record<string, string>, store: FindingsStore, options?: WorkspaceOptions, git?: GitFacts) {
  const ws = new Workspace({ files: new MemoryHost(files), findings: store, git }, options);
  const changes = ws.diagnosticChanges();
  assert.equal(ws.persist(), true);
  return { ws, changes };
}

test("the last session's findings come back when nothing changed, and the analysis then finds exactly them", () => {
  const store = memoryFindings();
  const { changes, ws: first } = firstSession(FILES, store);
  assert.deepEqual(brief(changes), [
    ".gitlab-ci.yml:2:11 include-not-found",
    ".gitlab-ci.yml:6:9 stage-unknown",
    "ci/a.yml:2:2 schema-unknown-keyword",
    "parts/one.yml:2:10 needs-unknown",
  ]);
  assert.equal(first.persist(), false, "the same analysis is not kept twice");

  const second = new Workspace({ files: new MemoryHost(FILES), findings: store });
  const kept = second.keptFindings();
  assert.deepEqual(kept, json(changes), "the findings, fixes and all, by file");
  assert.deepEqual(second.keptFindings(), [], "looked at once");
  assert.deepEqual(second.diagnosticChanges(), [], "the analysis publishes nothing more");
});

test("the findings are not shown when any read would answer otherwise", () => {
  const cases: Array<[string, (ws: Workspace) => void, Record<string, string>]> = [
    ["an included file changed", () => {}, { ...FILES, "ci/a.yml": y(".base:", "  image: alpine") }],
    ["a missing include is there now", () => {}, { ...FILES, "ci/missing.yml": y("m:", "  script: [m]") }],
    ["the listing has a new match", () => {}, { ...FILES, "parts/two.yml": y("two:", "  script: [two]") }],
    [
      "the project's settings changed",
      () => {},
      { ...FILES, ".pipewright.yml": y("severity:", "  stage-unknown: off") },
    ],
    ["the user's settings changed", (ws) => ws.setUserSettings({ severity: { "needs-unknown": "off" } }), FILES],
    [
      "an open buffer differs from the disk",
      (ws) => ws.setDocument("parts/one.yml", y("one:", "  script: [1]")),
      FILES,
    ],
  ];
  for (const [what, before, files] of cases) {
    const store = memoryFindings();
    firstSession(FILES, store);
    const ws = new Workspace({ files: new MemoryHost(files), findings: store });
    before(ws);
    assert.deepEqual(ws.keptFindings(), [], what);
    assert.notDeepEqual(brief(ws.diagnosticChanges()), [], `${what}: the analysis publishes`);
  }
});

test("a file opened as it is on disk is no change: the findings still hold", () => {
  const store = memoryFindings();
  const { changes } = firstSession(FILES, store);
  const ws = new Workspace({ files: new MemoryHost(FILES), findings: store });
  ws.setDocument("parts/one.yml", FILES["parts/one.yml"]);
  assert.equal(ws.stale, true, "nothing analysed yet");
  assert.deepEqual(ws.keptFindings(), json(changes));
  ws.diagnosticChanges();
  ws.setDocument("ci/a.yml", FILES["ci/a.yml"]);
  assert.equal(ws.stale, false, "opening a file as it is on disk does not make the analysis run again");
  ws.closeDocument("ci/a.yml");
  assert.equal(ws.stale, false, "nor does closing it");
});

/** A repository whose baseline commit is `commit`, where GLCI_OLD was already defined. */
function repository(commit: () => string): GitFacts {
  const then = new MemoryHost({ ".gitlab-ci.yml": y("variables:", "  GLCI_OLD: 1", "job:", "  script: [x]") });
  return { baselineCommit: commit, filesAt: (): SourceHost => then };
}

test("the git baseline is kept with the findings: the same commit shows them at once, another does not", () => {
  const files = { ".gitlab-ci.yml": y("variables:", "  GLCI_OLD: 1", "  NEW_ONE: 2", "job:", "  script: [x]") };
  const store = memoryFindings();
  let commit = "c0ffee";
  const git = repository(() => commit);
  const first = new Workspace({ files: new MemoryHost(files), findings: store, git }, { baseline: "later" });
  assert.deepEqual(brief(first.diagnosticChanges()), [], "the first analysis does not wait for git");
  assert.equal(first.computeBaseline(), true);
  const withBaseline = first.diagnosticChanges();
  assert.deepEqual(brief(withBaseline), [".gitlab-ci.yml:2:2 glci-variable-prefix"]);
  assert.equal(first.persist(), true);

  const second = new Workspace({ files: new MemoryHost(files), findings: store, git }, { baseline: "later" });
  assert.deepEqual(second.keptFindings(), json(withBaseline), "the baseline of the same commit is known at once");
  assert.deepEqual(second.diagnosticChanges(), []);
  assert.equal(second.wantsBaseline, false, "and not computed again");

  commit = "beef";
  const third = new Workspace({ files: new MemoryHost(files), findings: store, git }, { baseline: "later" });
  assert.deepEqual(third.keptFindings(), [], "another baseline commit");
  assert.deepEqual(brief(third.diagnosticChanges()), [], "the analysis waits for the new baseline");
});

test("malformed kept findings are ignored, never trusted", () => {
  const store = memoryFindings();
  const { changes } = firstSession(FILES, store);
  const good = JSON.parse(store.text!);
  const bad: unknown[] = [
    null,
    "text",
    { ...good, format: 99 },
    { ...good, reads: "x" },
    { ...good, reads: [["q ?", "1"]] },
    { ...good, files: [[".gitlab-ci.yml", [{ message: "no range" }]]] },
    { ...good, files: [[".gitlab-ci.yml", [{ ...changes[0].diagnostics[0], severity: "fatal" }]]] },
    { ...good, files: [[".gitlab-ci.yml", [{ ...changes[0].diagnostics[0], fixes: [{ title: "t" }] }]]] },
  ];
  for (const data of bad) {
    store.text = JSON.stringify(data);
    const ws = new Workspace({ files: new MemoryHost(FILES), findings: store });
    assert.deepEqual(ws.keptFindings(), [], JSON.stringify(data).slice(0, 60));
    assert.equal(brief(ws.diagnosticChanges()).length, 4, "the analysis publishes everything");
  }
});
