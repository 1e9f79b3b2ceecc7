import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { test } from "node:test";
import { MemoryHost } from "../server/src/engine/memory-host";
import { nodeIO } from "../server/src/node/node-io";
import type { Scenario } from "../server/src/workspace/scenario";
import { Workspace, type SimulatedPipeline } from "../server/src/workspace/workspace";
import { scenarioJunit } from "../server/src/cli/scenario-report";
import { pipelineText } from "../server/src/cli/pipeline";
import { y } from "./helpers";

// The pipeline GitLab would create, end to end: include:rules decided per pipeline, workflow:rules
// and their variables, each job's rules or only/except, parallel copies, needs, empty pipelines.
// The fixture (test/fixtures/pipeline) is a small config in the style of GitLab's own.

const root = path.resolve(__dirname, "..", "..");
const fixture = path.join(root, "test", "fixtures", "pipeline");

/** One line per created job: name, when, "may fail", and where the deciding rule is (1-based line). */
function brief(p: SimulatedPipeline): string[] {
  return p.jobs.map(
    (j) =>
      `${j.stage}/${j.name} ${j.when}${j.allowFailure ? " may-fail" : ""}` +
      (j.decidedBy ? ` @${j.decidedBy.file}:${j.decidedBy.range.start.line + 1}` : ""),
  );
}

function simulate(scenario: Scenario, ws = new Workspace(nodeIO(fixture))) {
  return ws.pipeline(ws.situation(scenario));
}

test("a push to the default branch: workflow variables, a rule set through !reference, the needs kept", () => {
  const p = simulate({});
  assert.equal(p.created, true);
  assert.equal(p.name, "main pipeline for main", "workflow:name expanded with the workflow rule's variables");
  assert.deepEqual(brief(p), [
    "build/compile on_success",
    "test/unit on_success @ci/rules.yml:5",
    "test/docs on_success @.gitlab-ci.yml:42",
    "deploy/deploy on_success @.gitlab-ci.yml:60",
  ]);
  const deploy = p.jobs.find((j) => j.name === "deploy")!;
  assert.deepEqual(deploy.needs, ["unit", "docs"]);
  assert.deepEqual(Object.fromEntries(deploy.variables), {
    DEPLOY: "yes",
    PIPELINE_KIND: "main",
    TARGET: "production",
  });
  assert.deepEqual(
    p.notCreated.map((j) => `${j.name} ${j.reason}${j.decidedBy ? ` @${j.decidedBy.range.start.line + 1}` : ""}`),
    ["nightly: [a] no-rule-matched", "nightly: [b] no-rule-matched", "legacy only-except @67"],
  );
});

test("a tag: the release file included by its include:rules, a rule's never, only: [tags], a manual job", () => {
  const p = simulate({ tag: "v1.0" });
  assert.deepEqual(brief(p), [
    "build/compile on_success",
    "test/docs on_success @.gitlab-ci.yml:42",
    "test/legacy on_success",
    "deploy/release manual may-fail",
  ]);
  assert.equal(p.notCreated.find((j) => j.name === "unit")?.reason, "rule-never");
  assert.equal(
    simulate({}).jobs.some((j) => j.name === "release"),
    false,
    "not included on a branch",
  );
});

test("a schedule: matrix copies see their own variables; the first workflow rule that matches wins", () => {
  const p = simulate({ source: "schedule" });
  assert.equal(p.name, "main pipeline for main", "the schedule runs on main, and the main rule comes first");
  assert.deepEqual(
    brief(p).filter((j) => j.includes("nightly")),
    ["test/nightly: [a] on_success @.gitlab-ci.yml:51", "test/nightly: [b] on_success may-fail @.gitlab-ci.yml:52"],
  );
});

test("a push to another branch: no workflow rule matches, so no pipeline, in GitLab's words", () => {
  const p = simulate({ branch: "feature" });
  assert.equal(p.created, false);
  assert.equal(p.message, "The pipeline did not run. Review the workflow:rules configuration for the pipeline.");
  assert.deepEqual(p.jobs, []);
});

test("the CLI's JSON: a merge request with a label and a diff", () => {
  const run = spawnSync(
    process.execPath,
    [
      path.join(root, "dist", "cli.js"),
      "pipeline",
      fixture,
      "--source",
      "merge_request_event",
      "--branch",
      "feat",
      "--mr-labels",
      "docs,backend",
      "--changed",
      "src/a.rb",
      "--format",
      "json",
    ],
    { encoding: "utf8" },
  );
  assert.equal(run.status, 0, run.stderr);
  const vars = { DEPLOY: "no", PIPELINE_KIND: "review" };
  const job = (name: string, stage: string, when: string, needs: string[] | null, rule: object | null) => ({
    name,
    stage,
    when,
    allowFailure: false,
    startIn: null,
    variables: vars,
    needs,
    rule,
  });
  assert.deepEqual(JSON.parse(run.stdout), {
    created: true,
    message: null,
    name: "review pipeline for feat",
    variables: vars,
    stages: [
      { name: "build", jobs: ["compile"] },
      { name: "test", jobs: ["unit", "docs"] },
    ],
    jobs: [
      job("compile", "build", "on_success", null, null),
      job("unit", "test", "on_success", ["compile"], { file: "ci/rules.yml", line: 3 }),
      job("docs", "test", "manual", null, { file: ".gitlab-ci.yml", line: 40 }),
    ],
    errors: [],
    warnings: [],
    children: [],
  });
});

test("an empty diff leaves out the jobs that need changes; the CLI exits 1 when no pipeline is created", () => {
  const p = simulate({ source: "merge_request_event", branch: "feat", changes: "none" });
  assert.deepEqual(brief(p), ["build/compile on_success"]);
  const cli = path.join(root, "dist", "cli.js");
  const run = spawnSync(process.execPath, [cli, "pipeline", fixture, "--branch", "feature"], { encoding: "utf8" });
  assert.equal(run.status, 1);
  assert.equal(
    run.stdout,
    "push to branch feature in example/app (no diff: every changes: is true)\n" +
      "no pipeline: The pipeline did not run. Review the workflow:rules configuration for the pipeline.\n",
  );
});

test("needs on a job the rules left out fail the pipeline, unless optional; .pre alone is no pipeline", () => {
  const ws = new Workspace({
    files: new MemoryHost({
      ".gitlab-ci.yml": y(
        "build:",
        "  script: [x]",
        "  rules: [{if: $CI_COMMIT_TAG}]",
        "lint:",
        "  stage: .pre",
        "  script: [x]",
        "test:",
        "  script: [x]",
        "  needs: [build, {job: lint, optional: true}]",
        "  rules: [{if: $RUN_TESTS}]",
      ),
    }),
  });
  const failed = ws.pipeline(ws.situation({ variables: { RUN_TESTS: "1" } }));
  assert.equal(failed.created, false);
  assert.deepEqual(
    failed.errors.map((e) => `${e.at?.range.start.line}: ${e.message}`),
    [
      "6: 'test' job needs 'build' job, but 'build' does not exist in the pipeline. This might be because of " +
        "the only, except, or rules keywords. To need a job that sometimes does not exist in the pipeline, " +
        "use needs:optional.",
    ],
  );
  const tagged = ws.pipeline(ws.situation({ tag: "v1", variables: { RUN_TESTS: "1" } }));
  assert.equal(tagged.created, true);
  assert.deepEqual(tagged.jobs.find((j) => j.name === "test")!.needs, ["build", "lint"]);
  const preOnly = ws.pipeline(ws.situation({}));
  assert.deepEqual(preOnly.stages, [{ name: ".pre", jobs: ["lint"] }]);
  assert.equal(preOnly.created, false);
  assert.equal(
    preOnly.message,
    "The resulting pipeline would have been empty. Review the rules configuration for the relevant jobs.",
  );
});

test("[ci skip] in the commit message: no pipeline", () => {
  const ws = new Workspace({ files: new MemoryHost({ ".gitlab-ci.yml": y("j:", "  script: [x]") }) });
  const s = { ...ws.situation({}), commit: { sha: "a".repeat(40), message: "Fix typo [skip ci]" } };
  const p = ws.pipeline(s);
  assert.equal(p.created, false);
  assert.match(p.message!, /\[ci skip\]/);
  assert.equal(ws.pipeline({ ...s, commit: { ...s.commit, message: "Fix typo" } }).created, true);
});

test("pipewright test: the fixture's scenarios pass; a failed expectation says what happened and where", () => {
  const cli = path.join(root, "dist", "cli.js");
  const ok = spawnSync(process.execPath, [cli, "test", fixture], { encoding: "utf8" });
  assert.equal(ok.status, 0, ok.stdout);
  assert.match(ok.stdout, /^5 scenarios, 13 checks: 13 passed, 0 failed$/m);

  const ws = new Workspace({
    files: new MemoryHost({
      ".gitlab-ci.yml": y(
        "unit:",
        "  script: [x]",
        "  rules:",
        "    - if: $CI_COMMIT_TAG",
        "      when: never",
        "    - when: manual",
        "lint:",
        "  script: [x]",
      ),
      ".pipewright.yml": y(
        "scenarios:",
        "  tag:",
        "    tag: v1",
        "    expect: {run: [unit, nope], skip: [lint], when: {lint: manual}, created: true}",
        "  typo:",
        "    sourc: push",
        "    expect: {when: {unit: sometimes}}",
      ),
    }),
  });
  const results = ws.testScenarios();
  assert.deepEqual(
    results.map((r) => [
      r.scenario.name,
      r.checks.map((c) => (c.ok ? `ok ${c.name}` : `FAIL ${c.name}: ${c.message}`)),
    ]),
    [
      [
        "tag",
        [
          "ok creates a pipeline",
          "FAIL runs unit: unit is not created: a rule says never (.gitlab-ci.yml:4)",
          "FAIL runs nope: there is no job nope",
          "FAIL does not run lint: lint runs (on_success) (.gitlab-ci.yml:7)",
          "FAIL runs lint as manual: lint runs as on_success (.gitlab-ci.yml:7)",
        ],
      ],
    ],
    "the scenario with mistakes is left out",
  );
  assert.deepEqual(
    ws.diagnostics().map((d) => `${d.file}:${d.range.start.line}:${d.range.start.character} ${d.code} ${d.message}`),
    [
      // GitLab's own warning: a last rule `when: manual`, and no workflow:rules
      ".gitlab-ci.yml:5:6 rules-multiple-pipelines jobs:unit may allow multiple pipelines to run for a single " +
        "action due to `rules:when` clause with no `workflow:rules` - read more: " +
        "https://docs.gitlab.com/ee/ci/jobs/job_troubleshooting.html" +
        "#job-may-allow-multiple-pipelines-to-run-for-a-single-action-warning",
      ".pipewright.yml:5:11 settings-invalid scenario typo: unknown key sourc: ignored",
      ".pipewright.yml:6:26 settings-invalid " +
        "scenario typo: expect.when of unit must be one of on_success, on_failure, always, manual, delayed: ignored",
    ],
  );
});

test("pipewright test --format junit: a suite per scenario, a case per check, failures with their message", () => {
  const ws = new Workspace({
    files: new MemoryHost({
      ".gitlab-ci.yml": y("a:", "  script: [x]", "  rules: [{if: $CI_COMMIT_TAG}]", "b:", "  script: [x]"),
      ".pipewright.yml": y("scenarios:", "  push <main>:", "    expect: {run: [a]}"),
    }),
  });
  assert.equal(
    scenarioJunit(ws.testScenarios()),
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<testsuites name="pipewright scenarios" tests="1" failures="1">',
      '  <testsuite name="push &lt;main&gt;" tests="1" failures="1">',
      '    <testcase classname="push &lt;main&gt;" name="runs a">',
      '      <failure message="a is not created: no rule matched (.gitlab-ci.yml:1)">' +
        "a is not created: no rule matched (.gitlab-ci.yml:1)</failure>",
      "    </testcase>",
      "  </testsuite>",
      "</testsuites>",
      "",
    ].join("\n"),
  );
});

test("above each job, where it runs: MR, default branch, tag, schedule, then the project's scenarios", () => {
  const ws = new Workspace(nodeIO(fixture));
  const lens = (file: string) => ws.jobDecisions(file).map((d) => `${d.range.start.line} ${d.job}: ${d.title}`);
  const own = " · docs merge request ✗ · default branch ✓ · release tag ✗ · nightly ✓ · feature push –";
  assert.deepEqual(lens(".gitlab-ci.yml").slice(1, 2), [`28 unit: MR ✓ · main ✓ · tag ✗ · schedule ✓${own}`]);
  assert.deepEqual(lens("ci/release.yml"), [
    "0 release: MR ✗ · main ✗ · tag ✓ manual · schedule ✗ · docs merge request ✗ · default branch ✗ · " +
      "release tag ✓ manual · nightly ✗ · feature push –",
  ]);
  const unit = ws.jobDecisions(".gitlab-ci.yml")[1].decisions;
  assert.deepEqual(
    unit.map((d) => [
      d.label,
      d.outcome,
      d.why,
      d.decidedBy && `${d.decidedBy.file}:${d.decidedBy.range.start.line + 1}`,
    ]),
    [
      ["MR", "runs", undefined, "ci/rules.yml:3"],
      ["main", "runs", undefined, "ci/rules.yml:5"],
      ["tag", "skipped", "a rule says never", "ci/rules.yml:6"],
      ["schedule", "runs", undefined, "ci/rules.yml:5"],
      ["docs merge request", "skipped", "no rule matched", undefined],
      ["default branch", "runs", undefined, "ci/rules.yml:5"],
      ["release tag", "skipped", "a rule says never", "ci/rules.yml:6"],
      ["nightly", "runs", undefined, "ci/rules.yml:5"],
      [
        "feature push",
        "no-pipeline",
        "The pipeline did not run. Review the workflow:rules configuration for the pipeline.",
        undefined,
      ],
    ],
  );
});

test("hover on an if: shows what it gives in each scenario, and the variables it read there", () => {
  const ws = new Workspace(nodeIO(fixture));
  // `    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH` in workflow:rules
  const h = ws.hover(".gitlab-ci.yml", { line: 9, character: 30 })!;
  const table = h.markdown.slice(h.markdown.indexOf("**In the editor's scenarios**")).split("\n");
  assert.deepEqual(table.slice(2, 8), [
    "| scenario | result | variables read |",
    "|---|---|---|",
    '| MR | ✗ false | `$CI_COMMIT_BRANCH` is not set, `$CI_DEFAULT_BRANCH` = "main" |',
    '| main | ✓ true | `$CI_COMMIT_BRANCH` = "main", `$CI_DEFAULT_BRANCH` = "main" |',
    '| tag | ✗ false | `$CI_COMMIT_BRANCH` is not set, `$CI_DEFAULT_BRANCH` = "main" |',
    '| schedule | ✓ true | `$CI_COMMIT_BRANCH` = "main", `$CI_DEFAULT_BRANCH` = "main" |',
  ]);
  assert.equal(table.length, 2 + 2 + 9, "a row per scenario: four, then the project's five");
  assert.equal(ws.hover(".gitlab-ci.yml", { line: 25, character: 3 })?.markdown.includes("scenarios"), false);
});

test("a trigger job's child pipeline: source parent_pipeline, the trigger's variables, the MR kept, inputs", () => {
  const ws = new Workspace({
    files: new MemoryHost({
      ".gitlab-ci.yml": y(
        "variables: {GLOBAL: g}",
        "docs:",
        "  variables: {TARGET: pdf}",
        "  rules:",
        "    - if: $CI_PIPELINE_SOURCE == 'merge_request_event' || $CI_COMMIT_BRANCH",
        "  trigger:",
        "    include:",
        "      - local: ci/docs.yml",
        "        inputs: {format: epub}",
        "quiet:",
        "  variables: {TARGET: html}",
        "  trigger:",
        "    include: ci/docs.yml",
        "    forward: {yaml_variables: false, pipeline_variables: true}",
      ),
      "ci/docs.yml": y(
        "spec:",
        "  inputs:",
        "    format: {default: html}",
        "---",
        "render-$[[ inputs.format ]]:",
        "  script: [make]",
        "  rules:",
        "    - if: $CI_PIPELINE_SOURCE == 'parent_pipeline' && $TARGET == 'pdf'",
        "      when: manual",
        "    - if: $CI_PIPELINE_SOURCE == 'parent_pipeline' && $FROM_FORM == 'yes'",
        "mr-only:",
        "  script: [make]",
        "  rules:",
        "    - if: $CI_MERGE_REQUEST_IID",
      ),
    }),
  });
  const children = (p: SimulatedPipeline) =>
    p.children.map((c) => [c.job, c.file, c.pipeline.created, brief(c.pipeline)]);
  const push = ws.pipeline(ws.situation({ variables: { FROM_FORM: "yes" } }));
  assert.deepEqual(brief(push), ["test/docs on_success @.gitlab-ci.yml:5", "test/quiet on_success"]);
  assert.deepEqual(children(push), [
    // the trigger's YAML variables, its inputs; no merge request
    ["docs", "ci/docs.yml", true, ["test/render-epub manual @ci/docs.yml:8"]],
    // no YAML variables forwarded, the pipeline's are
    ["quiet", "ci/docs.yml", true, ["test/render-html on_success @ci/docs.yml:10"]],
  ]);
  // a child of a merge request pipeline is one too; `quiet` has neither rules nor only: not in an MR pipeline
  const mr = ws.pipeline(ws.situation({ source: "merge_request_event", branch: "fix" }));
  assert.deepEqual(children(mr), [
    [
      "docs",
      "ci/docs.yml",
      true,
      ["test/render-epub manual @ci/docs.yml:8", "test/mr-only on_success @ci/docs.yml:14"],
    ],
  ]);
});

test("a rule set shared by jobs: once per pipeline, unless a job's own variables change what it reads", () => {
  const ws = new Workspace({
    files: new MemoryHost({
      ".gitlab-ci.yml": y(
        "variables: {MODE: fast}",
        ".rules:",
        "  rules:",
        "    - if: $MODE == 'fast' && $CI_COMMIT_BRANCH",
        "    - if: $CI_JOB_NAME == 'd'",
        "a: {script: [x], rules: !reference [.rules, rules]}",
        "b: {script: [x], variables: {MODE: slow}, rules: !reference [.rules, rules]}",
        "c: {script: [x], rules: !reference [.rules, rules]}",
        "d: {script: [x], variables: {MODE: slow}, rules: !reference [.rules, rules]}",
        "e: {script: [x], inherit: {variables: false}, rules: !reference [.rules, rules]}",
      ),
    }),
  });
  const p = ws.pipeline(ws.situation({}));
  assert.deepEqual(brief(p), [
    "test/a on_success @.gitlab-ci.yml:4",
    "test/c on_success @.gitlab-ci.yml:4",
    "test/d on_success @.gitlab-ci.yml:5",
  ]);
  assert.deepEqual(
    p.notCreated.map((j) => j.name),
    ["b", "e"],
  );
});

test("the CLI's text: each child pipeline under its trigger job", () => {
  const ws = new Workspace({
    files: new MemoryHost({
      ".gitlab-ci.yml": y(
        "build: {script: [make]}",
        "docs:",
        "  variables: {TARGET: pdf}",
        "  trigger: {include: [{local: ci/docs.yml, inputs: {format: epub}}]}",
      ),
      "ci/docs.yml": y(
        "spec:",
        "  inputs:",
        "    format: {default: html}",
        "---",
        "render-$[[ inputs.format ]]:",
        "  script: [make]",
        "  rules:",
        "    - if: $CI_PIPELINE_SOURCE == 'parent_pipeline' && $TARGET == 'pdf'",
        "      when: manual",
      ),
    }),
  });
  const situation = ws.situation({ project: "g/p" });
  assert.equal(
    pipelineText(ws.pipeline(situation), situation),
    [
      "push to branch main in g/p (no diff: every changes: is true)",
      "pipeline: 2 jobs in 1 stage",
      "test",
      "  build  on_success",
      "  docs   on_success",
      "child pipeline of docs (ci/docs.yml):",
      "  pipeline: 1 job in 1 stage",
      "  test",
      "    render-epub  manual                  ci/docs.yml:8",
      "",
    ].join("\n"),
  );
});
