import * as assert from "node:assert/strict";
import { test } from "node:test";
import { occurrences, rename } from "../server/src/features/find-references";
import { analyze, y } from "./helpers";

const files = {
  ".gitlab-ci.yml": y(
    "include: t.yml",
    "a:",
    "  extends: [.base]",
    '  script: !reference [".base", script]',
    "b:",
    "  needs: [a, {job: a}]",
    "  dependencies: [a]",
    "  script: [x]",
  ),
  "t.yml": y(".base:", "  script: &steps [make]", ".other:", "  script: *steps", "  after_script:", "    - *steps"),
};

const places = (m: ReturnType<typeof analyze>, occ: ReturnType<typeof occurrences>) =>
  occ!.places.map((s) => {
    const f = m.files.get(s.file)!;
    const p = f.lines.position(s.start);
    return `${s.file}:${p.line}:${p.character}:${f.text.slice(s.start, s.end)}`;
  });

test("references of a template: its definition, extends entries and !reference targets, across files", () => {
  const m = analyze(files);
  const offset = files["t.yml"].indexOf(".base");
  assert.deepEqual(places(m, occurrences(m, "t.yml", offset)), [
    "t.yml:0:0:.base",
    ".gitlab-ci.yml:2:12:.base",
    ".gitlab-ci.yml:3:23:.base",
  ]);
});

test("references of a job from a needs entry: needs, needs:job, dependencies", () => {
  const m = analyze(files);
  const offset = files[".gitlab-ci.yml"].indexOf("needs: [a") + 8;
  assert.deepEqual(places(m, occurrences(m, ".gitlab-ci.yml", offset)), [
    ".gitlab-ci.yml:1:0:a",
    ".gitlab-ci.yml:5:10:a",
    ".gitlab-ci.yml:5:19:a",
    ".gitlab-ci.yml:6:17:a",
  ]);
});

test("references of an anchor stay in its file: the anchor and every alias", () => {
  const m = analyze(files);
  const offset = files["t.yml"].indexOf("*steps") + 2;
  assert.deepEqual(places(m, occurrences(m, "t.yml", offset)), [
    "t.yml:1:11:steps",
    "t.yml:3:11:steps",
    "t.yml:5:7:steps",
  ]);
});

test("rename edits every file in one go, and the result resolves the same", () => {
  const m = analyze(files);
  const edits = rename(m, "t.yml", files["t.yml"].indexOf(".base"), ".compile")!;
  const apply = (file: string) =>
    edits
      .filter((e) => e.src.file === file)
      .sort((a, b) => b.src.start - a.src.start)
      .reduce((t, e) => t.slice(0, e.src.start) + e.newText + t.slice(e.src.end), files[file as keyof typeof files]);
  const after = analyze({ ".gitlab-ci.yml": apply(".gitlab-ci.yml"), "t.yml": apply("t.yml") });
  assert.equal(apply(".gitlab-ci.yml").includes('!reference [".compile", script]'), true);
  assert.deepEqual(
    after.diagnostics.map((d) => d.message),
    m.diagnostics.map((d) => d.message),
  );
  assert.deepEqual(after.effectiveJob("a") && [...after.effectiveJob("a")!.entries.keys()], [
    "script",
    "extends",
    "stage",
  ]);
});
