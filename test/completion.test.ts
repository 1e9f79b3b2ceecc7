import * as assert from "node:assert/strict";
import { test } from "node:test";
import { complete } from "../server/src/features/completion";
import { MemoryHost } from "../server/src/engine/memory-host";
import { completionList, MAX_COMPLETIONS } from "../server/src/lsp/convert";
import { LineIndex } from "../server/src/engine/text";
import { Workspace } from "../server/src/workspace/workspace";
import { analyze, y } from "./helpers";

const files = {
  ".gitlab-ci.yml": y(
    "stages: [build, test, deploy]",
    "include: t.yml",
    "build:",
    "  stage: build",
    "  script: [make]",
    "deploy:",
    "  stage: deploy",
    "  script: [ship]",
    "unit:",
    "  extends: .base",
    "  script: [test]",
  ),
  "t.yml": y(".base:", "  image: ruby", "  variables: {A: a}", ".unused:", "  tags: [x]"),
  "ci/other.yml": "o: {script: [x]}\n",
};

/** Completion at the `|` of an edited root file, with the model of the last analysis (before the edit). */
function at(edited: string, analysedAfterEdit = false) {
  const offset = edited.indexOf("|");
  const text = edited.replace("|", "");
  const model = analyze(analysedAfterEdit ? { ...files, ".gitlab-ci.yml": text } : files);
  return complete(model, ".gitlab-ci.yml", text, offset, () => Object.keys(files));
}
const labels = (items: ReturnType<typeof at>) =>
  [...items].sort((a, b) => a.rank - b.rank || a.label.localeCompare(b.label)).map((i) => i.label);

test("keys under a job are job keywords, with their documentation", () => {
  const items = at(files[".gitlab-ci.yml"] + "lint:\n  |");
  assert.ok(labels(items).includes("script") && labels(items).includes("rules") && labels(items).includes("artifacts"));
  assert.ok(!labels(items).includes("stages"));
  assert.match(items.find((i) => i.label === "artifacts")!.documentation!, /docs\.gitlab\.com/);
});

test("keys under a nested keyword come from its schema", () => {
  assert.ok(labels(at(files[".gitlab-ci.yml"] + "lint:\n  script: [x]\n  artifacts:\n    |")).includes("expire_in"));
});

test("extends offers templates first, the ones jobs already use before the rest", () => {
  assert.deepEqual(labels(at(files[".gitlab-ci.yml"] + "lint:\n  extends: |")).slice(0, 2), [".base", ".unused"]);
});

test("extends says what each hidden key is for, as its hover says: template, rule set, rule, hidden job or key", () => {
  const kinds = {
    ".gitlab-ci.yml": y(
      ".base: {image: ruby}",
      ".rules:",
      "  rules: [{if: $A}]",
      ".rule: {if: $B, when: manual}",
      ".changes: {changes: [a/*]}",
      ".manual-job: {script: [x]}",
      ".trigger-job: {trigger: child.yml}",
      ".tags: {tags: [x]}",
      "unit: {extends: .base, script: [test]}",
    ),
  };
  const text = kinds[".gitlab-ci.yml"] + "lint:\n  extends: ";
  const items = complete(analyze(kinds), ".gitlab-ci.yml", text, text.length, () => []);
  assert.deepEqual(Object.fromEntries(items.map((i) => [i.label, i.detail])), {
    ".base": "template",
    ".rules": "rule set",
    ".rule": "rule",
    ".changes": "rule",
    ".manual-job": "hidden job",
    ".trigger-job": "hidden job",
    ".tags": "hidden key",
    unit: "job",
  });
  // the same words after `!reference [`
  const ref = kinds[".gitlab-ci.yml"] + "lint:\n  script: !reference [";
  const refItems = complete(analyze(kinds), ".gitlab-ci.yml", ref, ref.length, () => []);
  assert.equal(refItems.find((i) => i.label === ".rules")?.detail, "rule set");
  assert.equal(refItems.find((i) => i.label === ".base")?.detail, "template");
});

test("needs offers this stage's and earlier stages' jobs, never a later one's, never the job itself", () => {
  assert.deepEqual(
    labels(at(files[".gitlab-ci.yml"].replace("  extends: .base", "  extends: .base\n  needs:\n    - |"))),
    ["build"],
  );
});

test("stage offers the pipeline's stages in order", () => {
  assert.deepEqual(labels(at(files[".gitlab-ci.yml"] + "lint:\n  stage: |")), [
    ".pre",
    "build",
    "test",
    "deploy",
    ".post",
  ]);
});

test("!reference offers jobs, then the keys of the chosen one", () => {
  assert.ok(labels(at(files[".gitlab-ci.yml"] + "lint:\n  script: !reference [|")).includes(".base"));
  assert.deepEqual(labels(at(files[".gitlab-ci.yml"] + "lint:\n  script: !reference [.base, |")), [
    "image",
    "variables",
  ]);
});

test("include: local offers the project's YAML files, those not yet included first", () => {
  assert.deepEqual(labels(at(files[".gitlab-ci.yml"].replace("include: t.yml", "include:\n  - t.yml\n  - local: |"))), [
    "ci/other.yml",
    "t.yml",
  ]);
});

test("$ offers the job's variables, then global ones, then predefined ones", () => {
  const items = at(
    files[".gitlab-ci.yml"].replace("  script: [test]", "  variables: {OWN: x}\n  script:\n    - echo $|"),
    true,
  );
  const sorted = labels(items);
  assert.deepEqual(sorted.slice(0, 2), ["A", "OWN"]);
  assert.ok(sorted.includes("CI_COMMIT_SHA"));
});

test("keys inside a list item come from the item's schema: a rule's keywords under rules", () => {
  const items = labels(at(files[".gitlab-ci.yml"] + "lint:\n  script: [x]\n  rules:\n    - if: $X\n      |"));
  assert.ok(
    ["changes", "exists", "when", "allow_failure"].every((k) => items.includes(k)),
    items.join(" "),
  );
  assert.ok(!items.includes("script"));
});

test("the keys enclosing the line come from the parse, not from reading the lines above", () => {
  // the quoted string's second line looks like a key at indent 2; the parse knows it is not one
  const text = files[".gitlab-ci.yml"] + 'lint:\n  script: [x]\n  artifacts:\n    name: "a\n  when: b"\n    |';
  assert.ok(labels(at(text)).includes("expire_in"));
});

// ---- exact edits: the whole value being typed is replaced, whatever the client takes for a word

const PROJECT = {
  ".gitlab-ci.yml": y(
    "stages: [build, test]",
    "clone test images:",
    "  stage: build",
    "  script: [x]",
    "clone docs:",
    "  stage: test",
    "  script: [x]",
    "lint:",
    "  stage: test",
    "  script: [x]",
    ".linux integration kubernetes:",
    "  image: alpine",
    ".scalar: just a string",
    ".used:",
    "  tags: [a]",
    "u1: {extends: .used, script: [x]}",
    "u2: {extends: .used, script: [x]}",
  ),
};

/** The workspace's completion at `|` in a new job appended to the project, as `label → edit`. */
function edits(job: string): Record<string, string> {
  const text = PROJECT[".gitlab-ci.yml"] + job;
  const offset = text.indexOf("|");
  const ws = new Workspace({ files: new MemoryHost(PROJECT) });
  ws.analyze();
  ws.setDocument(".gitlab-ci.yml", text.replace("|", ""));
  const lines = new LineIndex(text.replace("|", ""));
  const out: Record<string, string> = {};
  for (const c of ws.completion(".gitlab-ci.yml", lines.position(offset))) {
    const e = c.textEdit!;
    const r = `${e.range.start.line}:${e.range.start.character}-${e.range.end.line}:${e.range.end.character}`;
    out[c.label] = `${r} ${e.newText}${c.filterText ? ` (filter ${c.filterText})` : ""}`;
  }
  return out;
}

test("completion replaces the whole name being typed: spaces, quotes, flow lists", () => {
  // a block list item with spaces: from after `- ` to the end of the line; the jobs of this or an earlier
  // stage whose names hold what is typed, in order (as editors filter)
  const block = edits("new:\n  stage: test\n  script: [x]\n  needs:\n    - clone te|");
  assert.deepEqual(Object.keys(block), ["clone test images"]);
  assert.deepEqual(Object.keys(edits("new:\n  stage: test\n  script: [x]\n  needs:\n    - |")).sort(), [
    "clone docs",
    "clone test images",
    "lint",
    "u1",
    "u2",
  ]);
  assert.equal(block["clone test images"], "21:6-21:14 clone test images");
  // inside an opened quote: the quote is part of the range, closed in the new text, and matched
  const quoted = edits('new:\n  stage: test\n  script: [x]\n  needs: ["clone t|');
  assert.equal(quoted["clone test images"], '20:10-20:18 "clone test images" (filter "clone test images)');
  // a flow list: the item between `,` and `]`; the names already listed are left out
  const flow = edits("new:\n  stage: test\n  script: [x]\n  needs: [lint, clo|]");
  assert.equal(flow["clone test images"], "20:16-20:19 clone test images");
  assert.equal(flow.lint, undefined);
  // extends: maps only (not `.scalar`), not the parents already listed, the most extended first
  const more = edits("new:\n  script: [x]\n  extends:\n    - .linux integration kubernetes\n    - .|");
  assert.equal(Object.keys(more)[0], ".used");
  assert.equal(more[".linux integration kubernetes"], undefined);
  const parents = edits("new:\n  script: [x]\n  extends: .li|");
  assert.equal(parents[".linux integration kubernetes"], "19:11-19:14 .linux integration kubernetes");
  assert.equal(parents[".scalar"], undefined);
});

test("the client gets the best 200 items at once, and is told to ask again as the user types", () => {
  const answers = Array.from({ length: 250 }, (_, i) => ({
    label: `.t${i}`,
    kind: "template" as const,
    rank: 249 - i,
  }));
  const list = completionList(answers, false);
  assert.equal(list.isIncomplete, true);
  assert.equal(list.items.length, MAX_COMPLETIONS);
  assert.deepEqual([list.items[0].label, list.items[199].label], [".t249", ".t50"]);
  assert.equal(completionList(answers.slice(0, 10), false).isIncomplete, false);
});
