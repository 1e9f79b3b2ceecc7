import * as assert from "node:assert/strict";
import { test } from "node:test";
import { analyze, diags, job, y } from "./helpers";

const schemaOnly = (m: ReturnType<typeof analyze>) => diags(m).filter((d) => d.split(" ")[3].startsWith("schema"));

test("an unknown keyword in a job is reported at the key, with a suggestion", () => {
  const m = analyze({ ".gitlab-ci.yml": y("rspec:", "  scripts: [bin/rspec]", "  script: [x]") });
  assert.deepEqual(schemaOnly(m), [
    ".gitlab-ci.yml 1:2-1:9 error schema-unknown-keyword jobs:rspec config contains unknown keys: scripts. " +
      'unknown keyword "scripts" in job "rspec" — did you mean "script"?',
  ]);
});

test("a value outside an enum lists the allowed values, at the value", () => {
  const m = analyze({ ".gitlab-ci.yml": y("j:", "  when: sometimes", "  script: [x]") });
  assert.deepEqual(schemaOnly(m), [
    ".gitlab-ci.yml 1:8-1:17 error schema-enum jobs:j when should be one of: on_success, on_failure, always, " +
      'manual, delayed. "when" must be one of: on_success, on_failure, always, manual, delayed',
  ]);
});

test("a value of the wrong type says what is expected", () => {
  const m = analyze({ ".gitlab-ci.yml": y("j:", "  interruptible: sometimes", "  script: [x]") });
  assert.deepEqual(schemaOnly(m), [
    ".gitlab-ci.yml 1:17-1:26 error schema-type jobs:j:interruptible config should be a boolean value. " +
      '"interruptible" must be true or false',
  ]);
});

test("a nested unknown key names its parent", () => {
  const m = analyze({ ".gitlab-ci.yml": y("j:", "  script: [x]", "  artifacts:", "    pathz: [out/]") });
  assert.deepEqual(schemaOnly(m), [
    ".gitlab-ci.yml 3:4-3:9 error schema-unknown-keyword jobs:j:artifacts config contains unknown keys: pathz. " +
      'unknown keyword "pathz" in "artifacts" — did you mean "paths"?',
  ]);
});

test(
  "an error in a template used by several jobs is reported once, at the template, " +
    "with the jobs as related information",
  () => {
    const m = analyze({
      ".gitlab-ci.yml": y(
        "include: templates.yml",
        "a:",
        "  extends: .base",
        "  script: [x]",
        "b:",
        "  extends: .base",
        "  script: [y]",
      ),
      "templates.yml": y(".base:", "  image: ruby", "  timeout: [1h]"),
    });
    assert.deepEqual(schemaOnly(m), ['templates.yml 2:11-2:15 error schema-type "timeout" must be a string']);
    const d = m.diagnostics.find((x) => x.code === "schema-type")!;
    assert.deepEqual(
      d.related!.map((r) => [r.src.file, r.message]),
      [
        [".gitlab-ci.yml", 'used by job "a"'],
        [".gitlab-ci.yml", 'used by job "b"'],
      ],
    );
  },
);

test("an unknown key in a template is named after the template", () => {
  const m = analyze({ ".gitlab-ci.yml": y(".base:", "  imagee: ruby", "a:", "  extends: .base", "  script: [x]") });
  assert.deepEqual(schemaOnly(m), [
    '.gitlab-ci.yml 1:2-1:8 error schema-unknown-keyword unknown keyword "imagee" in ".base" — did you mean "image"?',
  ]);
});

test("a hidden key that no job extends is data, not a template: it is not validated", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      ".if-mr: &if-mr",
      "  if: $CI_MERGE_REQUEST_IID",
      ".vars:",
      "  FOO: bar",
      "j:",
      "  rules: [*if-mr]",
      "  variables: !reference [.vars]",
      "  script: [x]",
    ),
  });
  assert.deepEqual(schemaOnly(m), []);
});

test("a value pulled in by !reference is checked where the job uses it and reported where it is written", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(".shared:", "  tags: docker", "j:", "  tags: !reference [.shared, tags]", "  script: [x]"),
  });
  assert.deepEqual(schemaOnly(m), ['.gitlab-ci.yml 1:8-1:14 error schema-type "tags" must be a list']);
});

test("include entries and the spec header are validated in the file that writes them", () => {
  const m = analyze({
    ".gitlab-ci.yml": y("include:", "  - local: t.yml", "    inputs: {a: x}", "    rulez: []", "j:", "  script: [x]"),
    "t.yml": y("spec:", "  inputs:", "    a:", "      descripton: the a", "---", "t:", "  script: [x]"),
  });
  const d = schemaOnly(m);
  assert.ok(
    d.some((x) => x.startsWith('.gitlab-ci.yml 3:4-3:9 error schema-unknown-keyword unknown keyword "rulez"')),
    d.join("\n"),
  );
  assert.ok(
    d.some((x) =>
      x.startsWith(
        "t.yml 3:6-3:16 error schema-unknown-keyword `t.yml`: header:spec:inputs:a config contains unknown keys: " +
          'descripton. unknown keyword "descripton" in "spec:inputs:a" — did you mean "description"?',
      ),
    ),
    d.join("\n"),
  );
});

test("a missing required key is reported at the key that lacks it", () => {
  const m = analyze({ ".gitlab-ci.yml": y("j:", "  script: [x]", "  release:", "    description: notes") });
  assert.deepEqual(schemaOnly(m), [
    `.gitlab-ci.yml 2:2-2:9 error schema-required jobs:j:release tag name can't be blank. "release" needs "tag_name"`,
  ]);
});

test("a pattern error says in words what is expected", () => {
  const m = analyze({ ".gitlab-ci.yml": y("j:", "  script: [x]", "  trigger: {project: /group/project/}") });
  assert.deepEqual(schemaOnly(m), [
    '.gitlab-ci.yml 2:21-2:36 error schema-pattern "trigger:project" must be ' +
      "a full project path such as my-group/my-project, without leading or trailing slashes",
  ]);
});

test("a number out of bounds names the bound", () => {
  const m = analyze({ ".gitlab-ci.yml": y("j:", "  script: [x]", "  parallel: 500") });
  assert.deepEqual(schemaOnly(m), [
    ".gitlab-ci.yml 2:12-2:15 error schema-limit jobs:j:parallel config must be less than or equal to 200. " +
      '"parallel" must be at most 200',
  ]);
});

test("a bad variable name is reported at the name", () => {
  const m = analyze({ ".gitlab-ci.yml": y("j:", "  script: [x]", "  variables:", "    MY-VAR: x") });
  assert.deepEqual(schemaOnly(m), [
    '.gitlab-ci.yml 3:4-3:10 error schema-pattern key "MY-VAR" in "variables" ' +
      "may contain only letters, digits and underscores",
  ]);
});

test("a template is not faulted for keys the jobs that extend it add", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      ".rel:",
      "  release: {description: notes}",
      "j:",
      "  extends: .rel",
      "  release: {tag_name: v1}",
      "  script: [x]",
    ),
  });
  assert.deepEqual(schemaOnly(m), []);
});

test("a misspelt script is one finding with its fix, not also a job without a script", () => {
  const m = analyze({ ".gitlab-ci.yml": y("build:", "  scripts: [make]", "ok:", "  script: [x]") });
  assert.deepEqual(diags(m), [
    '.gitlab-ci.yml 1:2-1:9 error schema-unknown-keyword unknown keyword "scripts" ' +
      'in job "build" — did you mean "script"?',
  ]);
  assert.deepEqual(m.diagnostics[0].fixes, [
    { title: 'Change to "script"', edits: [{ src: { file: ".gitlab-ci.yml", start: 9, end: 16 }, newText: "script" }] },
  ]);
});

test("keys named __proto__ are keys: reported when unknown, kept in the merged view", () => {
  const m = analyze({
    ".gitlab-ci.yml": y("job:", "  script: [echo]", "  __proto__: {script: 1}", "  variables:", "    __proto__: x"),
  });
  assert.deepEqual(diags(m), [
    ".gitlab-ci.yml 2:2-2:11 error schema-unknown-keyword jobs:job config contains unknown keys: __proto__. " +
      'unknown keyword "__proto__" in job "job"',
  ]);
  const merged = job(m, "job") as Record<string, unknown>;
  assert.deepEqual(Object.keys(merged), ["script", "__proto__", "variables"]);
  assert.equal(Object.getPrototypeOf(merged), Object.prototype);
  assert.equal(JSON.stringify(merged.variables), '{"__proto__":"x"}');
});

test("a misspelt key 100 KB long gets no suggestion, at once (a fuzz find: 2.7 s of edit distances)", () => {
  // an explicit key: YAML limits implicit ones to 1,024 characters
  const m = analyze({ ".gitlab-ci.yml": y("j:", "  script: [x]", `  ? ${"s".repeat(100000)}`, "  : 1") });
  const d = m.diagnostics.filter((x) => x.code === "schema-unknown-keyword");
  assert.equal(d.length, 1);
  assert.equal(d[0].fixes, undefined);
});

test("a job with hundreds of unknown keys: the first 100 reported, with 'did you mean', then one for the rest", () => {
  const keys = Array.from({ length: 300 }, (_, i) => `  scriptz${i}: 1`);
  const m = analyze({ ".gitlab-ci.yml": y("j:", "  script: [x]", "  imag: alpine", ...keys) });
  const found = diags(m).filter((d) => d.includes(" schema-unknown-keyword "));
  assert.equal(found.length, 101);
  // GitLab's message names every unknown key; ours names ten and counts the rest
  const all =
    "jobs:j config contains unknown keys: imag, scriptz0, scriptz1, scriptz2, scriptz3, scriptz4, " +
    "scriptz5, scriptz6, scriptz7, scriptz8 and 291 more.";
  assert.equal(
    found[0],
    `.gitlab-ci.yml 2:2-2:6 error schema-unknown-keyword ${all} ` +
      'unknown keyword "imag" in job "j" — did you mean "image"?',
  );
  assert.equal(
    found[99],
    `.gitlab-ci.yml 101:2-101:11 error schema-unknown-keyword ${all} ` +
      'unknown keyword "scriptz98" in job "j" — did you mean "script"?',
  );
  assert.equal(
    found[100],
    '.gitlab-ci.yml 102:2-102:11 error schema-unknown-keyword 201 more schema errors in job "j", from here on ' +
      "(the first 100 are shown)",
  );
});

test("a rule list of 20,000 wrong items: 100 findings and a count (a fuzz find: 47,000 took 9 s)", () => {
  const items = Array.from({ length: 20000 }, (_, i) => `    - echo ${i}`);
  const m = analyze({ ".gitlab-ci.yml": y("j:", "  script: [x]", "  rules:", ...items) });
  const found = m.diagnostics.filter((d) => d.job === "j" && d.code.startsWith("schema"));
  assert.equal(found.length, 101);
  assert.match(found[100].message, /^19900 more schema errors in job "j", from here on \(the first 100 are shown\)$/);
});

test("a top-level variable's value must be one of its options, compared as written", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "variables:",
      "  ENV: {value: qa, options: [dev, prod]}",
      "  N: {value: 1, options: ['1']}",
      "  OK: {value: dev, options: [dev]}",
      "j: {script: [x]}",
    ),
  });
  assert.deepEqual(diags(m), [
    ".gitlab-ci.yml 1:15-1:17 error variable-not-in-options variables:env config value must be present in options. " +
      'ENV\'s value "qa" is not one of its options: "dev", "prod"',
    ".gitlab-ci.yml 2:13-2:14 error variable-not-in-options variables:n config value must be present in options. " +
      'N\'s value 1 is not one of its options: "1"',
  ]);
});

test("an enum value of the wrong type is GitLab's two errors: the type, then the allowed values", () => {
  const m = analyze({ ".gitlab-ci.yml": y("j:", "  script: [x]", "  when: 1", "  artifacts: {when: 2}") });
  assert.deepEqual(schemaOnly(m), [
    ".gitlab-ci.yml 3:20-3:21 error schema-type jobs:j:artifacts when should be a string. " +
      '"artifacts:when" must be a string',
    ".gitlab-ci.yml 3:20-3:21 error schema-enum jobs:j:artifacts when should be one of: on_success, on_failure, " +
      'always. "artifacts:when" must be one of: on_success, on_failure, always',
    '.gitlab-ci.yml 2:8-2:9 error schema-type jobs:j when should be a string. "when" must be a string',
    ".gitlab-ci.yml 2:8-2:9 error schema-enum jobs:j when should be one of: on_success, on_failure, always, manual, " +
      'delayed. "when" must be one of: on_success, on_failure, always, manual, delayed',
  ]);
});

test("tags, release ref and milestones, rules:exists, expose_as: as GitLab's entries check them", () => {
  const tags = Array.from({ length: 50 }, (_, i) => `t${i}`).join(", ");
  const m = analyze({
    ".gitlab-ci.yml": y(
      "j:",
      "  script: [x]",
      `  tags: [${tags}]`,
      "  release: {tag_name: v1, description: d, ref: 'a..b', milestones: m1}",
      "  rules: [{exists: {}}, {exists: {project: a/b}}]",
      "  artifacts: {expose_as: report, paths: [a.txt, '*.txt']}",
      "k:",
      "  script: [x]",
      `  tags: [${tags.replace(", t49", "")}]`,
      "  release: {tag_name: v1, description: d, ref: 0123abc}",
    ),
  });
  assert.deepEqual(schemaOnly(m), [
    ".gitlab-ci.yml 5:48-5:55 error schema-pattern jobs:j:artifacts paths can't contain '*' when used with " +
      "'expose_as'. \"artifacts:paths[1]\" must not hold a '*' wildcard when expose_as is set: the merge request " +
      "links to each path",
    '.gitlab-ci.yml 3:47-3:53 error schema-pattern jobs:j:release ref must be a valid ref. "release:ref" must be ' +
      "a commit SHA or a name git accepts for a branch (no spaces, '..', '~', '^', ':', '?', '*', '[' or '\\')",
    ".gitlab-ci.yml 4:33-4:47 error schema-invalid jobs:j:rules:rule:exists config missing required keys: paths. " +
      '"rules[1]:exists" with "project" also needs "paths"',
    ".gitlab-ci.yml 2:8-2:248 error schema-limit jobs:j:tags config must be less than the limit of 50 tags. " +
      '"tags" must have at most 49 items',
  ]);
});

test("an environment name outside GitLab's characters, or starting or ending with '/', is GitLab's error", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "a: {script: [x], environment: 'production:staging'}",
      "b: {script: [x], environment: {name: review/}}",
      "c: {script: [x], environment: {name: 'review/${CI_COMMIT_REF_SLUG} 1.0'}}",
    ),
  });
  assert.deepEqual(
    schemaOnly(m).map((d) => d.split(". ")[0]),
    [
      ".gitlab-ci.yml 0:30-0:50 error schema-pattern jobs:a:environment name can contain only letters, digits, '-', " +
        "'_', '/', '$', '{', '}', '.', and spaces, but it cannot start or end with '/'",
      ".gitlab-ci.yml 1:37-1:44 error schema-pattern jobs:b:environment name can contain only letters, digits, '-', " +
        "'_', '/', '$', '{', '}', '.', and spaces, but it cannot start or end with '/'",
    ],
  );
});
