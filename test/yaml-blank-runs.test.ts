import * as assert from "node:assert/strict";
import { test } from "node:test";
import { parseAllDocuments } from "yaml";
import { foldBlankRuns } from "../server/src/engine/yaml-blank-runs";
import { analyze, diags, job } from "./helpers";

// A million blank lines between two keys took the yaml package 3 s (a fuzzed config, #1458 of seed 1);
// long runs between nodes are folded into one comment line of the same length before parsing.

const RUN = "\n".repeat(120_000);
const COMMENTS = RUN.replaceAll("\n", "  # c\n");
const parsed = (text: string) =>
  parseAllDocuments(text, { version: "1.1", uniqueKeys: false }).map((d) => ({
    value: d.toJS() as unknown,
    errors: d.errors.map((e) => [e.code, e.pos]),
  }));

test("runs between nodes are folded, offsets kept, values and errors unchanged", () => {
  const cases = {
    "between top-level keys": `a: 1\n${RUN}b: 2\n`,
    "between nested items, with comments": `a:\n  x: 1\n${RUN}  y:\n    - 1\n${COMMENTS}    - 2\nb: 3\n`,
    "CRLF lines": `a: 1\r\n${"\r\n".repeat(120_000)}b: 2\r\n`,
    "at the end": `a: 1\n${RUN}`,
  };
  for (const [name, text] of Object.entries(cases)) {
    const folded = foldBlankRuns(text);
    assert.notEqual(folded, text, name);
    assert.equal(folded.length, text.length, name);
    assert.ok(folded.split("\n").length < 10, name);
    assert.deepEqual(parsed(folded), parsed(text), name);
  }
  assert.equal(foldBlankRuns(`a: 1\n${RUN}b: 2\n`), `a: 1\n#${" ".repeat(RUN.length - 2)}\nb: 2\n`);
});

test("runs that may be part of a scalar or a flow collection are left as they are", () => {
  const cases = {
    "kept by a |+ block": `a: |+\n  x\n${RUN}b: 2\n`,
    "inside a block": `a: |\n  x\n${RUN}  y\nb: 2\n`,
    "continuing a plain scalar": `a: word\n${RUN}  more\nb: 2\n`,
    "inside flow collections": `a: [1,\n${RUN} 2]\nb: {c: 1,\n${RUN} d: 2}\n`,
    "inside a quoted scalar": `a: "x\n${RUN}  y"\nb: 2\n`,
    "a short file": "a: 1\n\n\n\nb: 2\n",
  };
  for (const [name, text] of Object.entries(cases)) assert.equal(foldBlankRuns(text), text, name);
});

test("a config with a million blank lines is analysed with the file's own line numbers", () => {
  const model = analyze({
    ".gitlab-ci.yml": `a:\n  script: [x]\n${"\n".repeat(1_000_000)}b:\n  script: [y]\n  stage: nope\n`,
  });
  assert.deepEqual(job(model, "b"), { script: ["y"], stage: "nope" });
  assert.deepEqual(diags(model), [
    ".gitlab-ci.yml 1000004:9-1000004:13 error stage-unknown b job: chosen stage nope does not exist; " +
      "available stages are .pre, build, test, deploy, .post",
  ]);
});
