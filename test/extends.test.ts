import * as assert from "node:assert/strict";
import { test } from "node:test";
import { analyze, diags, job, noDiagnostics, sourceText, y } from "./helpers";

test("extends deep-merges hashes, replaces arrays and scalars, and the job's own keys win", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      ".base:",
      "  image: ruby:3",
      "  variables: {A: base, B: base}",
      "  script: [base]",
      "  tags: [docker]",
      "  artifacts: {paths: [a], expire_in: 1d}",
      "job:",
      "  extends: .base",
      "  variables: {B: job}",
      "  script: [job]",
      "  artifacts: {paths: [b]}",
    ),
  });
  noDiagnostics(m);
  assert.deepEqual(job(m, "job"), {
    image: "ruby:3",
    variables: { A: "base", B: "job" },
    script: ["job"],
    tags: ["docker"],
    artifacts: { paths: ["b"], expire_in: "1d" },
    extends: ".base",
  });
});

test("null removes an inherited key; an empty hash keeps the parent's", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      ".base:",
      "  variables: {A: a}",
      "  cache: {key: k}",
      "  script: [x]",
      "j1:",
      "  extends: .base",
      "  variables: {}",
      "  cache: null",
    ),
  });
  assert.deepEqual(job(m, "j1"), { variables: { A: "a" }, cache: null, script: ["x"], extends: ".base" });
});

test("several parents apply in order, later ones winning, then the job", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      ".a:",
      "  variables: {X: a, Y: a}",
      "  script: [a]",
      ".b:",
      "  variables: {X: b}",
      "  script: [b]",
      "j:",
      "  extends: [.a, .b]",
      "  variables: {Z: j}",
    ),
  });
  assert.deepEqual(job(m, "j"), { variables: { X: "b", Y: "a", Z: "j" }, script: ["b"], extends: [".a", ".b"] });
});

test("extends works across files, both ways, and on a job merged from two files", () => {
  const m = analyze({
    ".gitlab-ci.yml": y("include: t.yml", ".main-tmpl:", "  stage: build", "job:", "  extends: .tmpl", "  script: [x]"),
    "t.yml": y(".tmpl:", "  image: alpine", "other:", "  extends: .main-tmpl", "  script: [y]", "job:", "  tags: [t]"),
  });
  noDiagnostics(m);
  assert.deepEqual(job(m, "job"), { image: "alpine", tags: ["t"], extends: ".tmpl", script: ["x"] });
  assert.deepEqual(job(m, "other"), { stage: "build", extends: ".main-tmpl", script: ["y"] });
});

test("an inherited value keeps its source and says which extends brought it", () => {
  const m = analyze({
    ".gitlab-ci.yml": y("include: t.yml", "job:", "  extends: .tmpl", "  script: [x]"),
    "t.yml": y(".tmpl:", "  image: alpine"),
  });
  const image = m.merged.entries.get("job")!.value;
  const v = image.kind === "map" ? image.entries.get("image")!.value : undefined;
  assert.equal(v!.src.file, "t.yml");
  assert.equal(sourceText(m, v!), "alpine");
  assert.deepEqual(
    v!.via!.map((h) => [h.kind, h.name, h.at.file]),
    [["extends", ".tmpl", ".gitlab-ci.yml"]],
  );
});

test("an unknown parent is GitLab's error at the name", () => {
  const m = analyze({ ".gitlab-ci.yml": y("job:", "  extends: [.nope, .also-nope]", "  script: [x]") });
  assert.deepEqual(diags(m), [
    ".gitlab-ci.yml 1:12-1:17 error extends-unknown-parent job: unknown keys in `extends` (.nope)",
    ".gitlab-ci.yml 1:19-1:29 error extends-unknown-parent job: unknown keys in `extends` (.also-nope)",
  ]);
});

test("a parent that is not a hash is an invalid base", () => {
  const m = analyze({ ".gitlab-ci.yml": y(".list: [a, b]", "job:", "  extends: .list", "  script: [x]") });
  assert.deepEqual(diags(m), [
    ".gitlab-ci.yml 2:11-2:16 error extends-invalid-base job: invalid base hashes in `extends` (.list)",
  ]);
});

test("a cycle is GitLab's circular dependency error, with the chain", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(".a:", "  extends: .b", ".b:", "  extends: .a", "job:", "  extends: .a", "  script: [x]"),
  });
  assert.deepEqual(diags(m), [
    ".gitlab-ci.yml 3:11-3:13 error extends-circular .a: circular dependency detected in `extends` (.a → .b → .a)",
  ]);
});

function chain(levels: number): string[] {
  const lines = [".l0:", "  variables: {L0: x}"];
  for (let i = 1; i <= levels; i++) lines.push(`.l${i}:`, `  extends: .l${i - 1}`);
  lines.push("job:", `  extends: .l${levels}`, "  script: [x]");
  return lines;
}

test("eleven levels of inheritance work; twelve are nesting too deep", () => {
  const ok = analyze({ ".gitlab-ci.yml": y(...chain(10)) });
  noDiagnostics(ok);
  assert.deepEqual((job(ok, "job") as { variables: unknown }).variables, { L0: "x" });
  const deep = analyze({ ".gitlab-ci.yml": y(...chain(11)) });
  assert.deepEqual(diags(deep), [
    ".gitlab-ci.yml 3:11-3:14 error extends-nesting-too-deep .l1: nesting too " +
      "deep in `extends` (GitLab allows 11 levels of inheritance)",
  ]);
});

test("extends must name jobs", () => {
  const m = analyze({ ".gitlab-ci.yml": y("job:", "  extends: {a: b}", "  script: [x]") });
  assert.deepEqual(diags(m), [
    ".gitlab-ci.yml 1:11-1:17 error extends-invalid job: `extends` must be a job name or a list of job names",
  ]);
});
