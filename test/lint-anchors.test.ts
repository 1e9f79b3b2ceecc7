import * as assert from "node:assert/strict";
import { test } from "node:test";
import type { Model } from "../server/src/engine/engine";
import type { Diagnostic } from "../server/src/engine/types";
import { toJS } from "../server/src/engine/values";
import type { LintSettings } from "../server/src/lint/registry";
import { analyze, applyFix, diags, y } from "./helpers";

const CODE = "anchor-instead-of-extends";
const ON: LintSettings = { rules: { [CODE]: { severity: "information", options: {} } } };

const run = (files: Record<string, string>, root?: string) => analyze(files, root, ON);
const lints = (m: Model) => diags(m).filter((d) => d.split(" ")[3] === CODE);
const others = (m: Model) => diags(m).filter((d) => d.split(" ")[3] !== CODE);
const only = (m: Model): Diagnostic[] => m.diagnostics.filter((d) => d.code === CODE);

const MERGE_TAIL = "through a YAML anchor, which works only inside this file and hides where the keys come from";
const ALIAS = (name: string, ref: string) =>
  `alias *${name} works only inside this file and hides where the value comes from: use ${ref}`;
const CHECK = "and check the result (extends merges nested maps such as variables, where << replaces them)";

/**
 * Applies the one fix of a finding, then checks what the fix promises: the text, the same
 * effective jobs, no new diagnostics, and nothing left for this rule to say there.
 */
function fixKeepsBehaviour(files: Record<string, string>, d: Diagnostic, jobs: string[], expected: string) {
  assert.equal(d.fixes?.length, 1);
  const fixed = applyFix(files, d.fixes![0]);
  assert.equal(fixed[d.src.file], expected);
  const before = run(files);
  const after = run(fixed);
  for (const name of jobs) {
    const was = before.effectiveJob(name);
    assert.ok(was, `job ${name} exists`);
    assert.deepEqual(toJS(after.effectiveJob(name)!), toJS(was), `effective ${name}`);
  }
  assert.deepEqual(others(after), others(before));
  return after;
}

// lines 0-12: one of each case the rule reports
const ALL = y(
  ".base: &base",
  "  image: ruby:3.3",
  "  tags: [docker]",
  ".setup:",
  "  before_script: &setup",
  "    - bundle install",
  "build:",
  "  <<: *base",
  "  before_script: *setup",
  "  script: [rake build]",
  "test:",
  "  extends: .base",
  "  script: [*setup, rake test]",
);

test("off by default: no finding unless a setting gives the rule a severity", () => {
  assert.deepEqual(lints(analyze({ ".gitlab-ci.yml": ALL })), []);
  assert.deepEqual(
    lints(analyze({ ".gitlab-ci.yml": ALL }, undefined, { rules: { [CODE]: { severity: "off", options: {} } } })),
    [],
  );
  assert.equal(lints(run({ ".gitlab-ci.yml": ALL })).length, 3);
});

test("a: <<: of a hidden job into a job suggests extends, with no automatic fix", () => {
  const m = run({ ".gitlab-ci.yml": ALL });
  assert.deepEqual(
    lints(m)[0],
    `.gitlab-ci.yml 7:6-7:11 information ${CODE} <<: *base merges .base ${MERGE_TAIL}: use extends: .base, ${CHECK}`,
  );
  const d = only(m)[0];
  assert.equal(d.fixes, undefined);
  assert.deepEqual(
    d.related?.map((r) => `${r.src.start}-${r.src.end} ${r.message}`),
    ["7-12 the anchor &base"],
  );
});

test("a: a job that already extends is told to add the hidden job at the end of its extends", () => {
  const m = run({
    ".gitlab-ci.yml": y(
      ".rules-tpl: &rules-tpl",
      "  rules: [{ when: manual }]",
      ".build:",
      "  stage: build",
      "job:",
      "  extends: .build",
      "  <<: *rules-tpl",
      "  script: [make]",
    ),
  });
  assert.deepEqual(lints(m), [
    `.gitlab-ci.yml 6:6-6:16 information ${CODE} <<: *rules-tpl merges .rules-tpl ` +
      `${MERGE_TAIL}: add .rules-tpl at the end of its extends, ${CHECK}`,
  ]);
});

test("a: a job template (a hidden key jobs extend) is reported like a job", () => {
  const m = run({
    ".gitlab-ci.yml": y(
      ".base: &base",
      "  image: alpine",
      ".tpl:",
      "  <<: *base",
      "  stage: test",
      "job:",
      "  extends: .tpl",
      "  script: [x]",
    ),
  });
  assert.deepEqual(lints(m), [
    `.gitlab-ci.yml 3:6-3:11 information ${CODE} <<: *base merges .base ${MERGE_TAIL}: use extends: .base, ${CHECK}`,
  ]);
});

test("b: an alias as a keyword's whole value: the fix writes the !reference and the job stays the same", () => {
  const files = { ".gitlab-ci.yml": ALL };
  const m = run(files);
  assert.equal(
    lints(m)[1],
    `.gitlab-ci.yml 8:17-8:23 information ${CODE} ${ALIAS("setup", "!reference [.setup, before_script]")}`,
  );
  const d = only(m)[1];
  assert.equal(d.fixes![0].title, "Use !reference [.setup, before_script]");
  const lines = ALL.split("\n");
  lines[8] = "  before_script: !reference [.setup, before_script]";
  const after = fixKeepsBehaviour(files, d, ["build", "test"], lines.join("\n"));
  assert.equal(lints(after).length, 2);
});

test("c: an alias as an item of a script list: GitLab flattens the list either way", () => {
  const files = { ".gitlab-ci.yml": ALL };
  const m = run(files);
  assert.equal(
    lints(m)[2],
    `.gitlab-ci.yml 12:11-12:17 information ${CODE} ${ALIAS("setup", "!reference [.setup, before_script]")}`,
  );
  const lines = ALL.split("\n");
  lines[12] = "  script: [!reference [.setup, before_script], rake test]";
  fixKeepsBehaviour(files, only(m)[2], ["build", "test"], lines.join("\n"));
});

test("c: block items, the whole value of a hidden key, a scalar and needs are all reachable", () => {
  const text = y(
    ".install: &install",
    "  - npm ci",
    "  - npm run build",
    ".login: &login docker login -u me",
    '".deps, shared":',
    "  needs: &deps [prepare]",
    "prepare:",
    "  script: [x]",
    "job:",
    "  needs:",
    "    - *deps",
    "  script:",
    "    - *install",
    "    - *login",
    "    - npm test",
  );
  const files = { ".gitlab-ci.yml": text };
  const m = run(files);
  assert.deepEqual(lints(m), [
    `.gitlab-ci.yml 10:6-10:11 information ${CODE} ${ALIAS("deps", '!reference [".deps, shared", needs]')}`,
    `.gitlab-ci.yml 12:6-12:14 information ${CODE} ${ALIAS("install", "!reference [.install]")}`,
    `.gitlab-ci.yml 13:6-13:12 information ${CODE} ${ALIAS("login", "!reference [.login]")}`,
  ]);
  const expected = [
    text.replace("    - *deps", '    - !reference [".deps, shared", needs]'),
    text.replace("    - *install", "    - !reference [.install]"),
    text.replace("    - *login", "    - !reference [.login]"),
  ];
  only(m).forEach((d, i) => fixKeepsBehaviour(files, d, ["job", "prepare"], expected[i]));
});

test("b: a map (variables) gets the fix when nothing merges it with another map", () => {
  const text = y(".vars:", "  variables: &vars", "    A: '1'", "job:", "  variables: *vars", "  script: [echo $A]");
  const files = { ".gitlab-ci.yml": text };
  const m = run(files);
  assert.deepEqual(lints(m), [
    `.gitlab-ci.yml 4:13-4:18 information ${CODE} ${ALIAS("vars", "!reference [.vars, variables]")}`,
  ]);
  fixKeepsBehaviour(files, only(m)[0], ["job"], text.replace("*vars\n", "!reference [.vars, variables]\n"));
});

test("b: no fix for a map that extends merges with the parent's, since !reference would replace it", () => {
  const m = run({
    ".gitlab-ci.yml": y(
      ".vars:",
      "  variables: &vars",
      "    A: '1'",
      ".parent:",
      "  variables:",
      "    B: '2'",
      "job:",
      "  extends: .parent",
      "  variables: *vars",
      "  script: [x]",
    ),
  });
  assert.deepEqual(lints(m), [
    `.gitlab-ci.yml 8:13-8:18 information ${CODE} ${ALIAS("vars", "!reference [.vars, variables]")} ` +
      `(no automatic fix: extends or an include merges this map with another ` +
      `one, which a reference would replace instead)`,
  ]);
  assert.equal(only(m)[0].fixes, undefined);
});

test("b: no fix for a map that a job extending this one merges with its own", () => {
  const m = run({
    ".gitlab-ci.yml": y(
      ".vars:",
      "  variables: &vars",
      "    A: '1'",
      ".tpl:",
      "  variables: *vars",
      "job:",
      "  extends: .tpl",
      "  variables:",
      "    B: '2'",
      "  script: [x]",
    ),
  });
  assert.equal(only(m).length, 1);
  assert.equal(only(m)[0].fixes, undefined);
});

test("b: a child that replaces every key of the aliased map leaves the fix safe", () => {
  const text = y(
    ".vars:",
    "  variables: &vars",
    "    A: '1'",
    ".tpl:",
    "  variables: *vars",
    "job:",
    "  extends: .tpl",
    "  variables:",
    "    A: '2'",
    "    B: '3'",
    "  script: [x]",
  );
  const files = { ".gitlab-ci.yml": text };
  const m = run(files);
  fixKeepsBehaviour(files, only(m)[0], ["job"], text.replace("*vars\n", "!reference [.vars, variables]\n"));
});

test("b: no fix when another file or extends changes the hidden key the reference would read", () => {
  const why =
    "(no automatic fix: .h is changed by extends or by another file, so the reference would read a different value)";
  const overridden = run({
    // the including file is merged last, so its .h wins over the template's
    ".gitlab-ci.yml": y("include: [ci/template.yml]", ".h:", "  script: [echo project]"),
    "ci/template.yml": y(".h:", "  script: &s [echo template]", "job:", "  script: *s"),
  });
  assert.deepEqual(lints(overridden), [
    `ci/template.yml 3:10-3:12 information ${CODE} ${ALIAS("s", "!reference [.h, script]")} ${why}`,
  ]);
  const extended = run({
    ".gitlab-ci.yml": y(
      ".p:",
      "  variables: { B: '2' }",
      ".h:",
      "  extends: .p",
      "  variables: &v { A: '1' }",
      "job:",
      "  variables: *v",
      "  script: [x]",
    ),
  });
  assert.deepEqual(lints(extended), [
    `.gitlab-ci.yml 6:13-6:15 information ${CODE} ${ALIAS("v", "!reference [.h, variables]")} ${why}`,
  ]);
});

test("an anchored value holding a !reference itself is still matched, and the fix keeps the job", () => {
  const text = y(
    ".common:",
    "  script: [echo common]",
    ".h:",
    "  script: &s",
    "    - !reference [.common, script]",
    "    - echo h",
    "job:",
    "  script: *s",
  );
  const files = { ".gitlab-ci.yml": text };
  const m = run(files);
  fixKeepsBehaviour(files, only(m)[0], ["job"], text.replace("*s\n", "!reference [.h, script]\n"));
});

test("findings are in every file of the config, and default: keywords count", () => {
  const files = {
    ".gitlab-ci.yml": y("include: [ci/setup.yml]", "job:", "  script: [x]"),
    "ci/setup.yml": y(".setup:", "  before_script: &setup [bundle install]", "default:", "  before_script: *setup"),
  };
  const m = run(files);
  assert.deepEqual(lints(m), [
    `ci/setup.yml 3:17-3:23 information ${CODE} ${ALIAS("setup", "!reference [.setup, before_script]")}`,
  ]);
  fixKeepsBehaviour(
    files,
    only(m)[0],
    ["job"],
    files["ci/setup.yml"].replace("*setup", "!reference [.setup, before_script]"),
  );
});

test("silent: rules items, the way gitlab-org's rules file uses anchors", () => {
  const m = run({
    ".gitlab-ci.yml": y(
      ".if-mr: &if-mr",
      "  if: $CI_MERGE_REQUEST_IID",
      ".code-patterns: &code-patterns",
      "  - '**/*.rb'",
      ".rules:",
      "  rules: &rules-list",
      "    - <<: *if-mr",
      "      changes: *code-patterns",
      "      when: never",
      "    - *if-mr",
      "job:",
      "  rules:",
      "    - <<: *if-mr",
      "      when: manual",
      "    - *if-mr",
      "  script: [x]",
    ),
  });
  assert.deepEqual(lints(m), []);
});

test("silent: anchors with no extends or !reference equivalent", () => {
  const m = run({
    ".gitlab-ci.yml": y(
      // on a visible job, in a list, on a global keyword
      "build:",
      "  script: &build-script [make]",
      "variables:",
      "  RUBY: &ruby '3.3'",
      ".h:",
      "  paths: [&p dist/]",
      ".tag: &tag docker",
      "other:",
      "  script: *build-script",
      "  variables: { V: *ruby }",
      "  artifacts: { paths: [*p] }",
      // tags is not flattened: only the whole value would be reported
      "  tags: [*tag]",
      // merges inside a keyword or a list item: no extends or !reference adds keys there
      ".vars: &vars",
      "  A: '1'",
      ".cache: &cache",
      "  key: k",
      "  paths: [x]",
      "third:",
      "  variables:",
      "    <<: *vars",
      "    B: '2'",
      "  cache:",
      "    - <<: *cache",
      "      policy: push",
      "  script: [x]",
    ),
  });
  assert.deepEqual(lints(m), []);
});

test("silent: <<: into fragments that an extends key would break", () => {
  const m = run({
    ".gitlab-ci.yml": y(
      ".cache: &cache",
      "  key: k",
      "  paths: [x]",
      // anchored itself: its aliases copy the text, extends and all
      ".cache-push: &cache-push",
      "  <<: *cache",
      "  policy: push",
      // taken whole by !reference: the extends key would be copied into artifacts
      ".artifacts: &artifacts",
      "  paths: [dist/]",
      ".artifacts-long:",
      "  <<: *artifacts",
      "  expire_in: 7 days",
      // a hidden key no job extends is not a job template
      ".unused:",
      "  <<: *cache",
      "job:",
      "  cache: [*cache-push]",
      "  artifacts: !reference [.artifacts-long]",
      "  script: [x]",
    ),
  });
  assert.deepEqual(
    lints(m).map((d) => d.split(" ").slice(0, 2).join(" ")),
    [".gitlab-ci.yml 14:10-14:21"],
  );
});

test("silent: an alias in extends, which GitLab resolves before any !reference", () => {
  const m = run({
    ".gitlab-ci.yml": y(
      ".names:",
      "  extends: &base-name .base",
      ".base:",
      "  image: alpine",
      "job:",
      "  extends: *base-name",
      "  script: [x]",
    ),
  });
  assert.deepEqual(lints(m), []);
});
