import * as assert from "node:assert/strict";
import { test } from "node:test";
import { Engine } from "../server/src/engine/engine";
import { MemoryHost } from "../server/src/engine/memory-host";
import { Workspace } from "../server/src/workspace/workspace";
import { toJS } from "../server/src/engine/values";
import { y } from "./helpers";

const files = {
  ".gitlab-ci.yml": y(
    "build: {script: [make]}",
    "docs:",
    "  trigger:",
    "    include:",
    "      - local: ci/docs.yml",
    "        inputs: {target: epub}",
    "pdf:",
    "  trigger: {include: ci/docs.yml}",
    "gone:",
    "  trigger: {include: ci/missing.yml}",
  ),
  "ci/docs.yml": y(
    "spec:",
    "  inputs:",
    "    target: {options: [html, pdf, epub], default: pdf}",
    "---",
    "render:",
    "  script:",
    "    - make $[[ inputs.target ]]",
  ),
};

test("child pipelines started from project files are analysed as roots of their own, with their inputs", () => {
  const project = new Engine(new MemoryHost(files)).analyzeProject();
  assert.deepEqual(
    project.main.childPipelines.map((c) => [c.job, c.file, c.inputs ? toJS(c.inputs.value) : null]),
    [
      ["docs", "ci/docs.yml", { target: "epub" }],
      ["pdf", "ci/docs.yml", null],
      ["gone", "ci/missing.yml", null],
    ],
  );
  assert.deepEqual(
    project.children.map((c) => toJS(c.model.merged.entries.get("render")?.value ?? c.model.merged)),
    [{ script: ["make epub"] }, { script: ["make pdf"] }, {}],
  );
});

test("a missing child pipeline file is a warning at the trigger job; input errors land in the parent", () => {
  const d = new Workspace({
    files: new MemoryHost({ ...files, ".gitlab-ci.yml": files[".gitlab-ci.yml"].replace("epub", "odt") }),
  }).diagnostics();
  assert.deepEqual(
    d.map((x) => [x.file, x.range.start.line, x.range.start.character, x.severity, x.message]),
    [
      [
        ".gitlab-ci.yml",
        5,
        25,
        "error",
        "`target` input: `odt` cannot be used because it is not in the list of allowed options",
      ],
      [
        ".gitlab-ci.yml",
        9,
        21,
        "warning",
        'Local file `ci/missing.yml` does not exist!: job "gone" cannot start its child pipeline',
      ],
    ],
  );
});
