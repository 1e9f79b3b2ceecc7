import * as assert from "node:assert/strict";
import { test } from "node:test";
import { complete } from "../server/src/features/completion";
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

test("needs offers earlier stages first, then the same stage, and never the job itself", () => {
  assert.deepEqual(
    labels(at(files[".gitlab-ci.yml"].replace("  extends: .base", "  extends: .base\n  needs:\n    - |"))),
    ["build", "deploy"],
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
