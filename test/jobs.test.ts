import * as assert from "node:assert/strict";
import { test } from "node:test";
import { analyze, diags, effective, js, noDiagnostics, y } from "./helpers";

test("top-level keys are classified as GitLab does", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "stages: [build]",
      "variables: {A: a}",
      ".hidden: [anything]",
      "job: {script: [x]}",
      "runner: {run: [{name: s, script: x}]}",
      "bridge: {trigger: group/project}",
      "mirror: {needs: [{pipeline: $PARENT_PIPELINE_ID}]}",
      "default: {script: [oops]}",
      "workflow: {rules: [{when: always}]}",
    ),
  });
  assert.deepEqual(
    [...m.jobs.values()].map((j) => [j.name, j.kind]),
    [
      ["stages", "keyword"],
      ["variables", "keyword"],
      [".hidden", "hidden"],
      ["job", "job"],
      ["runner", "job"],
      ["bridge", "bridge"],
      ["mirror", "bridge"],
      ["default", "job"],
      ["workflow", "keyword"],
    ],
  );
});

test("a key that is neither keyword nor job is GitLab's error; a config needs a visible job", () => {
  const m = analyze({ ".gitlab-ci.yml": y("stray:", "  stage: test", ".t:") });
  assert.deepEqual(diags(m), [
    ".gitlab-ci.yml 0:0-0:5 error job-no-script jobs stray config should implement " +
      "the script:, run:, or trigger: keyword",
    ".gitlab-ci.yml 2:0-2:2 error job-blank jobs:.t config can't be blank",
    ".gitlab-ci.yml 0:0-0:0 error config-no-visible-job jobs config should contain at least one visible job",
  ]);
});

test(".pre and .post are moved to the ends of stages", () => {
  const m = analyze({ ".gitlab-ci.yml": y("stages: [.post, build, .pre, test]", "j: {script: [x]}") });
  assert.deepEqual(m.stages, [".pre", "build", "test", ".post"]);
  assert.deepEqual(js(m.merged.entries.get("stages")!.value), [".pre", "build", "test", ".post"]);
  const d = analyze({ ".gitlab-ci.yml": y("j: {script: [x]}") });
  assert.deepEqual(d.stages, [".pre", "build", "test", "deploy", ".post"]);
  assert.equal(d.merged.entries.has("stages"), false);
});

test("default: fills keys a job does not set, without merging, after extends", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "default:",
      "  image: ruby",
      "  tags: [gitlab-org]",
      "  before_script: [setup]",
      "  retry: 2",
      ".docker:",
      "  tags: [gitlab-org-docker]",
      "a:",
      "  extends: .docker",
      "  image: {name: alpine}",
      "  script: [x]",
      "b:",
      "  inherit: {default: [retry]}",
      "  script: [y]",
      "c:",
      "  inherit: {default: false}",
      "  script: [z]",
      "t:",
      "  trigger: other/project",
    ),
  });
  noDiagnostics(m);
  assert.deepEqual(effective(m, "a"), {
    extends: ".docker",
    tags: ["gitlab-org-docker"],
    image: { name: "alpine" },
    script: ["x"],
    before_script: ["setup"],
    retry: 2,
    stage: "test",
  });
  assert.deepEqual(effective(m, "b"), { inherit: { default: ["retry"] }, script: ["y"], retry: 2, stage: "test" });
  assert.deepEqual(effective(m, "c"), { inherit: { default: false }, script: ["z"], stage: "test" });
  assert.deepEqual(effective(m, "t"), { trigger: "other/project" });
});

test("deprecated top-level image and before_script act as defaults", () => {
  const m = analyze({ ".gitlab-ci.yml": y("image: node", "before_script: [npm ci]", "j:", "  script: [npm test]") });
  assert.deepEqual(effective(m, "j"), {
    script: ["npm test"],
    image: "node",
    before_script: ["npm ci"],
    stage: "test",
  });
});

test("global variables reach jobs unless inherit:variables says otherwise; job variables win", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "variables:",
      "  A: global",
      "  B: {value: bee, description: shown in the run form}",
      "a:",
      "  variables: {A: own}",
      "  script: [x]",
      "b:",
      "  inherit: {variables: [B]}",
      "  script: [x]",
      "c:",
      "  inherit: {variables: false}",
      "  script: [x]",
    ),
  });
  assert.deepEqual((effective(m, "a") as { variables: unknown }).variables, { A: "own", B: "bee" });
  assert.deepEqual((effective(m, "b") as { variables: unknown }).variables, { B: "bee" });
  assert.equal((effective(m, "c") as { variables?: unknown }).variables, undefined);
  const a = m.effectiveJob("a")!.entries.get("variables")!.value;
  const b = a.kind === "map" ? a.entries.get("B")!.value : undefined;
  assert.deepEqual(
    b!.via!.map((h) => [h.kind, h.name]),
    [["global-variables", "B"]],
  );
});

test("effective jobs of hidden jobs and keywords do not exist", () => {
  const m = analyze({ ".gitlab-ci.yml": y(".h: {script: [x]}", "j: {script: [x]}") });
  assert.equal(m.effectiveJob(".h"), undefined);
  assert.equal(m.effectiveJob("variables"), undefined);
});

test("a job without script is worded as GitLab's Entry::Jobs does: its name humanized and lower-cased", () => {
  const m = analyze({
    ".gitlab-ci.yml": y("Build_Job.x:", "  stage: test", "owner_id: {image: a}", "j: {script: [x]}"),
  });
  assert.deepEqual(diags(m), [
    ".gitlab-ci.yml 0:0-0:11 error job-no-script jobs build job x config should implement " +
      "the script:, run:, or trigger: keyword",
    ".gitlab-ci.yml 2:0-2:8 error job-no-script jobs owner config should implement " +
      "the script:, run:, or trigger: keyword",
  ]);
});

test("a keyword set both at the top level and in default: is GitLab's error, at the top-level key", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "image: a",
      "cache: {paths: [x]}",
      "default: {image: b, tags: [t]}",
      "tags: [u]",
      "j: {script: [x]}",
    ),
  });
  const found = m.diagnostics.filter((d) => d.code === "default-conflict");
  assert.deepEqual(
    found.map((d) => [d.src.start, d.src.end, d.message, d.related?.map((r) => r.src.start)]),
    [[0, 5, "image is defined in top-level and `default:` entry", [39]]],
  );
});

test("a job named '' is GitLab's 'jobs:job name can't be blank', at its key", () => {
  const m = analyze({ ".gitlab-ci.yml": y("'': {script: [x]}") });
  assert.deepEqual(diags(m), [".gitlab-ci.yml 0:0-0:2 error job-name-blank jobs:job name can't be blank"]);
});

test("publish outside pages, parallel: N on a trigger job, too many cross-pipeline needs, rules too deep", () => {
  const cross = Array.from({ length: 6 }, (_, i) => `{pipeline: p${i}, job: a}`).join(", ");
  const m = analyze({
    ".gitlab-ci.yml": y(
      "j: {script: [x], publish: public}",
      "pages: {script: [x], publish: public}",
      "site: {script: [x], publish: public, pages: true}",
      "t: {trigger: a/b, parallel: 2}",
      "u: {trigger: a/b, parallel: {matrix: [{A: [1, 2]}]}}",
      `c: {script: [x], needs: [${cross}]}`,
      "r: {script: [x], rules: [[[[[[[[[[[{when: always}]]]]]]]]]]]}",
      "s: {script: [x], rules: [[[[[[[[[[{when: always}]]]]]]]]]]}",
    ),
  });
  const codes = ["job-publish-outside-pages", "bridge-parallel-number", "needs-cross-pipeline-limit", "rules-too-deep"];
  assert.deepEqual(
    diags(m).filter((d) => codes.includes(d.split(" ")[3])),
    [
      ".gitlab-ci.yml 0:17-0:24 error job-publish-outside-pages jobs:j publish can only be used within a `pages` job",
      '.gitlab-ci.yml 3:28-3:29 error bridge-parallel-number jobs:t:parallel config cannot use "parallel: <number>".',
      ".gitlab-ci.yml 5:24-5:168 error needs-cross-pipeline-limit jobs:c:needs config must be less than or equal to 5",
      ".gitlab-ci.yml 6:24-6:60 error rules-too-deep jobs:r rules should be an array containing hashes and arrays " +
        "of hashes",
    ],
  );
});

test("a job key YAML reads as a number or boolean is GitLab's 'name should be a symbol', as Ruby prints it", () => {
  const m = analyze({
    ".gitlab-ci.yml": y("10: {script: [x]}", "3.5: {script: [x]}", "yes: {script: [x]}", "'11': {script: [x]}"),
  });
  assert.deepEqual(
    diags(m).filter((d) => d.includes("job-name-type")),
    [
      ".gitlab-ci.yml 0:0-0:2 error job-name-type jobs:10 name should be a symbol",
      ".gitlab-ci.yml 1:0-1:3 error job-name-type jobs:3.5 name should be a symbol",
      ".gitlab-ci.yml 2:0-2:3 error job-name-type jobs:true name should be a symbol",
    ],
  );
});

test("an only/except ref that RE2 cannot read is GitLab's re2 error, at the ref", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "a: {script: [x], only: [main, '/^release-.*$/i', '/*x/']}",
      "b: {script: [x], except: {refs: ['/a(?=b)/']}}",
      "c: {script: [x], only: ['/ok/x']}",
    ),
  });
  assert.deepEqual(
    diags(m).filter((d) => d.includes("policy-regexp-invalid")),
    [
      ".gitlab-ci.yml 0:49-0:55 error policy-regexp-invalid jobs:a:only config should be an array of strings or " +
        "regular expressions using re2 syntax",
      ".gitlab-ci.yml 1:33-1:43 error policy-regexp-invalid jobs:b:except refs should be an array of strings or " +
        "regular expressions using re2 syntax",
      ".gitlab-ci.yml 2:24-2:31 error policy-regexp-invalid jobs:c:only config should be an array of strings or " +
        "regular expressions using re2 syntax",
    ],
  );
});
