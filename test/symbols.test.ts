import * as assert from "node:assert/strict";
import { test } from "node:test";
import { outline, type OutlineSymbol } from "../server/src/features/symbols";
import { analyze, y } from "./helpers";

test("the outline groups jobs by stage in pipeline order, then hidden jobs and anchors", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "stages: [build, test, deploy]",
      ".tmpl: &t",
      "  image: ruby",
      "ship:",
      "  stage: deploy",
      "  script: [x]",
      "make:",
      "  stage: build",
      "  extends: .tmpl",
      "  script: [x]",
      "unit:",
      "  <<: *t",
      "  script: [x]",
    ),
  });
  const show = (s: OutlineSymbol): unknown =>
    s.children ? [s.name, s.kind, s.children.map(show)] : [s.name, s.kind, s.detail ?? null];
  assert.deepEqual(outline(m, ".gitlab-ci.yml").map(show), [
    ["stages", "keyword", null],
    ["build", "stage", [["make", "job", null]]],
    ["test", "stage", [["unit", "job", null]]],
    ["deploy", "stage", [["ship", "job", null]]],
    ["hidden jobs", "group", [[".tmpl", "hidden", "template"]]],
    ["anchors", "group", [["&t", "anchor", null]]],
  ]);
});
