import * as assert from "node:assert/strict";
import { test } from "node:test";
import { definition } from "../server/src/features/definitions";
import { hover } from "../server/src/features/hover";
import { analyze, y } from "./helpers";

const files = {
  ".gitlab-ci.yml": y(
    "include:",
    "  - local: t.yml",
    "    inputs: {env: prod}",
    "variables:",
    "  GLOBAL_V: g",
    "# Builds the thing.",
    "build:",
    "  extends: .tmpl",
    "  script:",
    "    - make $TMPL_V $GLOBAL_V ${CI_COMMIT_REF_SLUG}",
  ),
  "t.yml": y(
    "spec:",
    "  inputs:",
    "    env:",
    "      options: [staging, prod]",
    "      description: Where to deploy.",
    "---",
    ".tmpl:",
    "  variables:",
    "    TMPL_V: t",
    "deploy-$[[ inputs.env ]]:",
    "  script: [deploy]",
  ),
};
const m = analyze(files);
const off = (file: keyof typeof files, needle: string, delta = 1) => files[file].indexOf(needle) + delta;

test("hover on a job key shows where it is, the comment above it, and the resolved job", () => {
  const h = hover(m, ".gitlab-ci.yml", off(".gitlab-ci.yml", "build:"))!;
  assert.equal(
    h.markdown.split("\n\n").slice(0, 2).join("\n\n"),
    "**job** `build` — defined in [`.gitlab-ci.yml:7`](pipewright-source:.gitlab-ci.yml#L7)\n\nBuilds the thing.",
  );
  assert.match(h.markdown, /```yaml\nvariables:\n  GLOBAL_V: g\n  TMPL_V: t\nextends: \.tmpl\nscript:/);
});

test("hover on an input block shows its spec", () => {
  const h = hover(m, "t.yml", off("t.yml", "$[[", 5))!;
  assert.equal(h.markdown, "**input** `env` — type string, required, one of `staging`, `prod`\n\nWhere to deploy.");
});

test("hover on a variable shows where the job gets it from, through its template", () => {
  const h = hover(m, ".gitlab-ci.yml", off(".gitlab-ci.yml", "$TMPL_V", 2))!;
  assert.equal(
    h.markdown,
    "**variable** `TMPL_V` — defined in [`t.yml:9`](pipewright-source:t.yml#L9)\n\n```yaml\nt\n```",
  );
});

test("hover on a predefined variable explains it", () => {
  const h = hover(m, ".gitlab-ci.yml", off(".gitlab-ci.yml", "CI_COMMIT_REF_SLUG", 3))!;
  assert.match(h.markdown, /^\*\*predefined variable\*\* `CI_COMMIT_REF_SLUG` — .+/);
  assert.match(h.markdown, /docs\.gitlab\.com\/ci\/variables\/predefined_variables/);
});

test("definition of a variable and of an input", () => {
  const v = definition(m, ".gitlab-ci.yml", off(".gitlab-ci.yml", "$GLOBAL_V", 3));
  assert.deepEqual(
    v.map((s) => [s.file, files[s.file as keyof typeof files].slice(s.start, s.end)]),
    [[".gitlab-ci.yml", "GLOBAL_V"]],
  );
  const i = definition(m, "t.yml", off("t.yml", "$[[", 5));
  assert.deepEqual(
    i.map((s) => [s.file, files["t.yml"].slice(s.start, s.end)]),
    [["t.yml", "env"]],
  );
});

test("hidden keys are named for what they are, their users counted by kind, the jobs reached in all", () => {
  const project = {
    ".gitlab-ci.yml": y(
      ".if-mr: &if-mr",
      "  if: $CI_MERGE_REQUEST_IID",
      ".rules:mr:",
      "  rules: [*if-mr]",
      ".base:",
      "  image: ruby",
      ".test:",
      "  extends: .base",
      "  rules: !reference [.rules:mr, rules]",
      "a: {extends: .test, script: [x]}",
      "b: {extends: .test, script: [x]}",
      "c: {extends: .base, script: [x]}",
      ".off:",
      "  script: [x]",
      ".vars:",
      "  A: 1",
    ),
  };
  const model = analyze(project);
  const head = (needle: string) =>
    hover(model, ".gitlab-ci.yml", project[".gitlab-ci.yml"].indexOf(needle) + 1)!
      .markdown.split("\n\n")
      .filter((p) => !p.startsWith("```"));
  assert.deepEqual(head(".base:"), [
    "**template** `.base` — defined in [`.gitlab-ci.yml:5`](pipewright-source:.gitlab-ci.yml#L5)",
    "extended by 1 template and 1 job: `.test`, `c`",
    "used by 3 jobs in all",
  ]);
  assert.deepEqual(head(".rules:mr:"), [
    "**rule set** `.rules:mr` — defined in [`.gitlab-ci.yml:3`](pipewright-source:.gitlab-ci.yml#L3)",
    "referenced by 1 template: `.test`",
    "used by 2 jobs in all",
  ]);
  assert.deepEqual(head(".if-mr:"), [
    "**rule** `.if-mr` — defined in [`.gitlab-ci.yml:1`](pipewright-source:.gitlab-ci.yml#L1)",
  ]);
  assert.deepEqual(head(".off:"), [
    "**hidden job** `.off` — defined in [`.gitlab-ci.yml:13`](pipewright-source:.gitlab-ci.yml#L13)",
  ]);
  assert.deepEqual(head(".vars:"), [
    "**hidden key** `.vars` — defined in [`.gitlab-ci.yml:15`](pipewright-source:.gitlab-ci.yml#L15)",
  ]);
});
