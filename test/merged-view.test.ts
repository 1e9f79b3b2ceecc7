import * as assert from "node:assert/strict";
import { test } from "node:test";
import { parse } from "yaml";
import { mergedView } from "../server/src/features/merged-view";
import { MemoryHost } from "../server/src/engine/memory-host";
import { Workspace } from "../server/src/workspace/workspace";
import { analyze, js, y } from "./helpers";

// The merged views say where each value comes from: a comment on each line whose value is written in
// another file or reached through other hops than its parent's, and each line's source for F12.

const files = {
  ".gitlab-ci.yml": y(
    "include: [t.yml]",
    "variables: {G1: g, G2: g}",
    "default:",
    "  image: ruby",
    "build:",
    "  extends: .base",
    "  script:",
    "    - make",
    "    - |",
    "      echo a",
    "      echo b",
    "  rules: !reference [.rules, rules]",
    "  variables: {OWN: o}",
    "x: {stage: build, script: [y]}",
  ),
  "t.yml": y(
    ".base:",
    "  stage: test",
    "  cache: {paths: [a, b]}",
    ".rules:",
    "  rules:",
    "    - if: $A",
    "      when: manual",
  ),
};

test("a job's view: its own keys first, then what extends brings, then what default: and globals do", () => {
  const model = analyze(files);
  const view = mergedView(model, model.effectiveJob("build")!, ["effective definition"]);
  assert.equal(
    view.text,
    y(
      "# effective definition",
      "extends: .base  # .gitlab-ci.yml:6",
      "script:         # .gitlab-ci.yml:7",
      "  - make",
      "  - |",
      "    echo a",
      "    echo b",
      "rules:          # .gitlab-ci.yml:12, via !reference .rules.rules",
      "  - if: $A      # t.yml:6, via !reference .rules.rules",
      "    when: manual",
      "variables:      # .gitlab-ci.yml:13",
      "  OWN: o",
      "  G1: g         # .gitlab-ci.yml:2, via global variables",
      "  G2: g         # .gitlab-ci.yml:2, via global variables",
      "stage: test     # t.yml:2, via extends .base",
      "cache:          # t.yml:3, via extends .base",
      "  paths:",
      "    - a",
      "    - b",
      "image: ruby     # .gitlab-ci.yml:4, via default:",
    ),
  );
  // it reads back as the job it shows
  assert.deepEqual(parse(view.text), js(model.effectiveJob("build")));
  // each line's source: the block scalar's lines lead to the string, a list item to itself
  const text = (i: number) => {
    const s = view.sources[i];
    return s ? model.files.get(s.file)!.text.slice(s.start, s.end).split("\n")[0] : undefined;
  };
  // the line of a key holding a list or map leads to the key, any other line to its value
  assert.deepEqual([0, 2, 3, 6, 8, 14, 17, 19].map(text), [
    undefined,
    "script",
    "make",
    "|",
    "$A",
    "test",
    "a",
    "ruby",
  ]);
});

test("values that need quoting, empty ones and unresolved references read back", () => {
  const model = analyze({
    ".gitlab-ci.yml": y(
      "j:",
      "  script: ['a: b', '#c', ' lead', 'trail ', \"x\\ty\", 'l1\\n  l2\\n']",
      "  variables: {'a b': '', N: 1, T: true, Z: null}",
      "  cache: {}",
      "  tags: []",
    ),
  });
  const view = mergedView(model, model.effectiveJob("j")!, []);
  assert.deepEqual(parse(view.text), js(model.effectiveJob("j")));
});

test("the job list has stages and places, and the job under the cursor", () => {
  const ws = new Workspace({ files: new MemoryHost(files) });
  const list = ws.jobList(".gitlab-ci.yml", { line: 7, character: 6 });
  assert.deepEqual(
    list.jobs.map((j) => [j.name, j.stage, `${j.at.file}:${j.at.range.start.line}`]),
    [
      ["build", "test", ".gitlab-ci.yml:4"],
      ["x", "build", ".gitlab-ci.yml:13"],
    ],
  );
  assert.equal(list.current, "build");
  assert.equal(ws.jobList(".gitlab-ci.yml", { line: 1, character: 3 }).current, undefined);
});
