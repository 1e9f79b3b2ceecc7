import * as assert from "node:assert/strict";
import { test } from "node:test";
import { expressionIsTrue } from "../server/src/engine/expression";
import { loadWhole } from "../server/src/engine/load";
import type { Situation } from "../server/src/engine/simulation/situation";
import {
  type JobFacts,
  PLACEHOLDERS,
  expandString,
  includeRulesVariables,
  inheritedRootVariables,
  jobGroupName,
  jobRulesVariables,
  jobVariables,
  variableCircle,
  mergeVariables,
  predefinedPipelineVariables,
  rubyFloatToS,
  slugify,
  sortAndExpandAll,
  variablesMap,
  workflowRulesVariables,
  workflowVariableItems,
  yamlRawVariables,
  yamlVariables,
} from "../server/src/engine/simulation/variables";
import type { CScalar, CValue } from "../server/src/engine/types";
import { get } from "../server/src/engine/values";

// The variables an `if:` sees while GitLab creates a pipeline (engine/simulation/variables.ts). Each
// group names where its expectations come from in gitlabhq/gitlabhq, or in
// /work/shared/research/pipeline-simulation.md (§4.3, §5, §8) when they come from the research's table.

const SHA = "0123456789abcdef0123456789abcdef01234567";
const BEFORE = "89abcdef0123456789abcdef0123456789abcdef";
const ZEROS = "0000000000000000000000000000000000000000";
const NO_VARS: ReadonlyMap<string, string> = new Map();

function situation(over: Partial<Situation> = {}): Situation {
  return {
    source: "push",
    ref: { kind: "branch", name: "feature/Login" },
    defaultBranch: "main",
    projectPath: "Group/sub/project",
    serverHost: "gitlab.example.com",
    protectedRef: false,
    variables: new Map(),
    user: { login: "alice", name: "Alice Liddell", email: "alice@example.com", id: 42 },
    changes: undefined,
    files: undefined,
    commit: { sha: SHA, message: "Fix the build\n\nIt was broken.\n", beforeSha: BEFORE },
    configPath: ".gitlab-ci.yml",
    ...over,
  };
}

const JOB: JobFacts = { name: "test", stage: "test", when: "on_success" };

function rules(s: Situation, root = NO_VARS, job = NO_VARS, facts: JobFacts = JOB): Map<string, string> {
  const layered = jobRulesVariables(s, root, job, facts);
  // the layered view answers as the collection GitLab builds, name by name and in full
  const reference = variablesMap(jobVariables(s, root, job, facts).items);
  assert.deepEqual(new Map([...layered].sort()), new Map([...reference].sort()));
  for (const key of reference.keys()) assert.equal(layered.get(key), reference.get(key), key);
  return new Map(layered);
}

/** The variables that differ by pipeline source, each present with its value or undefined (absent). */
const PER_SOURCE = [
  "CI_PIPELINE_SOURCE",
  "CI_COMMIT_BRANCH",
  "CI_COMMIT_TAG",
  "CI_COMMIT_TAG_MESSAGE",
  "CI_COMMIT_REF_NAME",
  "CI_COMMIT_REF_SLUG",
  "CI_COMMIT_BEFORE_SHA",
  "CI_COMMIT_REF_PROTECTED",
  "CI_MERGE_REQUEST_IID",
  "CI_MERGE_REQUEST_EVENT_TYPE",
  "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA",
  "CI_MERGE_REQUEST_TARGET_BRANCH_SHA",
  "CI_OPEN_MERGE_REQUESTS",
  "CI_PIPELINE_TRIGGERED",
  "CI_TRIGGER_SHORT_TOKEN",
  "CI_PIPELINE_SCHEDULE_DESCRIPTION",
  "CI_UPSTREAM_PROJECT_ID",
] as const;

type PerSource = Partial<Record<(typeof PER_SOURCE)[number], string>>;

function perSource(vars: ReadonlyMap<string, string>): PerSource {
  const out: PerSource = {};
  for (const k of PER_SOURCE) if (vars.has(k)) out[k] = vars.get(k);
  return out;
}

const MR = {
  targetBranch: "main",
  title: "Draft: Add login",
  description: "Adds it.",
  labels: ["ui", "backend"],
  iid: 7,
};

// --- §8, one column at a time (builder/pipeline.rb, ci/pipeline.rb, merge_request.rb, builder.rb) ----

test("§8 push, branch: the branch, the push's before sha, no tag, no merge request", () => {
  assert.deepEqual(perSource(rules(situation())), {
    CI_PIPELINE_SOURCE: "push",
    CI_COMMIT_BRANCH: "feature/Login",
    CI_COMMIT_REF_NAME: "feature/Login",
    CI_COMMIT_REF_SLUG: "feature-login",
    CI_COMMIT_BEFORE_SHA: BEFORE,
    CI_COMMIT_REF_PROTECTED: "false",
  });
  // docs only (predefined_variables.md, GitLab 19.1): the merge base, in pipelines for non-default branches
  assert.equal(rules(situation()).get("CI_COMMIT_DEFAULT_BRANCH_BASE_SHA"), PLACEHOLDERS.otherSha);
  const main = situation({ ref: { kind: "branch", name: "main" } });
  assert.equal(rules(main).has("CI_COMMIT_DEFAULT_BRANCH_BASE_SHA"), false);
  // a new branch: GitLab's before sha is zeros (the host gives none)
  const created = situation({ commit: { sha: SHA, message: "x" } });
  assert.equal(rules(created).get("CI_COMMIT_BEFORE_SHA"), ZEROS);
});

test("§8 push, tag: CI_COMMIT_TAG and its message, no CI_COMMIT_BRANCH (Ci::Pipeline#branch? is !tag?)", () => {
  const s = situation({ ref: { kind: "tag", name: "v1.2.0" }, protectedRef: true, commit: { sha: SHA, message: "x" } });
  assert.deepEqual(perSource(rules(s)), {
    CI_PIPELINE_SOURCE: "push",
    CI_COMMIT_TAG: "v1.2.0",
    CI_COMMIT_TAG_MESSAGE: "",
    CI_COMMIT_REF_NAME: "v1.2.0",
    CI_COMMIT_REF_SLUG: "v1-2-0",
    CI_COMMIT_BEFORE_SHA: ZEROS,
    CI_COMMIT_REF_PROTECTED: "true",
  });
});

test("§8 merge request, detached: the MR's variables, SOURCE/TARGET_BRANCH_SHA empty, no CI_COMMIT_BRANCH", () => {
  const s = situation({
    source: "merge_request_event",
    protectedRef: true,
    mergeRequest: { event: "detached", ...MR },
  });
  const vars = rules(s);
  assert.deepEqual(perSource(vars), {
    CI_PIPELINE_SOURCE: "merge_request_event",
    CI_COMMIT_REF_NAME: "feature/Login",
    CI_COMMIT_REF_SLUG: "feature-login",
    CI_COMMIT_BEFORE_SHA: ZEROS,
    // git_ref of an MR pipeline is refs/heads/refs/merge-requests/7/head: no protected branch (inferred)
    CI_COMMIT_REF_PROTECTED: "false",
    CI_MERGE_REQUEST_IID: "7",
    CI_MERGE_REQUEST_EVENT_TYPE: "detached",
    CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: "",
    CI_MERGE_REQUEST_TARGET_BRANCH_SHA: "",
    CI_OPEN_MERGE_REQUESTS: "Group/sub/project!7",
  });
  // spec/lib/gitlab/ci/variables/builder/pipeline_spec.rb "exposes merge request pipeline variables"
  const mr = Object.fromEntries([...vars].filter(([k]) => k.startsWith("CI_MERGE_REQUEST_")));
  assert.deepEqual(mr, {
    CI_MERGE_REQUEST_EVENT_TYPE: "detached",
    CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: "",
    CI_MERGE_REQUEST_TARGET_BRANCH_SHA: "",
    CI_MERGE_REQUEST_DIFF_ID: PLACEHOLDERS.mergeRequestDiffId,
    CI_MERGE_REQUEST_DIFF_BASE_SHA: PLACEHOLDERS.otherSha,
    CI_MERGE_REQUEST_ID: "7",
    CI_MERGE_REQUEST_IID: "7",
    CI_MERGE_REQUEST_REF_PATH: "refs/merge-requests/7/head",
    CI_MERGE_REQUEST_PROJECT_ID: PLACEHOLDERS.projectId,
    CI_MERGE_REQUEST_PROJECT_PATH: "Group/sub/project",
    CI_MERGE_REQUEST_PROJECT_URL: "https://gitlab.example.com/Group/sub/project",
    CI_MERGE_REQUEST_TARGET_BRANCH_NAME: "main",
    CI_MERGE_REQUEST_TARGET_BRANCH_PROTECTED: "true",
    CI_MERGE_REQUEST_TITLE: "Draft: Add login",
    CI_MERGE_REQUEST_DRAFT: "true",
    CI_MERGE_REQUEST_DESCRIPTION: "Adds it.",
    CI_MERGE_REQUEST_DESCRIPTION_IS_TRUNCATED: "false",
    CI_MERGE_REQUEST_LABELS: "backend,ui", // label_names, ordered by title
    CI_MERGE_REQUEST_SQUASH_ON_MERGE: "false",
    CI_MERGE_REQUEST_SOURCE_PROJECT_ID: PLACEHOLDERS.projectId,
    CI_MERGE_REQUEST_SOURCE_PROJECT_PATH: "Group/sub/project",
    CI_MERGE_REQUEST_SOURCE_PROJECT_URL: "https://gitlab.example.com/Group/sub/project",
    CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: "feature/Login",
    CI_MERGE_REQUEST_SOURCE_BRANCH_PROTECTED: "true",
  });
});

test("§8 merged results and merge trains: the event type, and source/target shas set (target_sha present)", () => {
  for (const event of ["merged_result", "merge_train"] as const) {
    const s = situation({ source: "merge_request_event", mergeRequest: { event, ...MR } });
    assert.deepEqual(perSource(rules(s)), {
      CI_PIPELINE_SOURCE: "merge_request_event",
      CI_COMMIT_REF_NAME: "feature/Login",
      CI_COMMIT_REF_SLUG: "feature-login",
      CI_COMMIT_BEFORE_SHA: ZEROS,
      CI_COMMIT_REF_PROTECTED: "false",
      CI_MERGE_REQUEST_IID: "7",
      CI_MERGE_REQUEST_EVENT_TYPE: event,
      CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: SHA,
      CI_MERGE_REQUEST_TARGET_BRANCH_SHA: PLACEHOLDERS.otherSha,
      CI_OPEN_MERGE_REQUESTS: "Group/sub/project!7",
    });
  }
});

test("merge_request.rb: optional keys absent when empty; a fork's source project differs", () => {
  const s = situation({
    source: "merge_request_event",
    mergeRequest: { event: "detached", ...MR, title: "Add login", labels: [], sourceProjectPath: "alice/project" },
  });
  const vars = rules(s);
  assert.equal(vars.has("CI_MERGE_REQUEST_LABELS"), false);
  assert.equal(vars.has("CI_MERGE_REQUEST_ASSIGNEES"), false);
  assert.equal(vars.has("CI_MERGE_REQUEST_MILESTONE"), false);
  assert.equal(vars.get("CI_MERGE_REQUEST_DRAFT"), "false");
  assert.equal(vars.get("CI_MERGE_REQUEST_SOURCE_PROJECT_PATH"), "alice/project");
  assert.equal(vars.get("CI_MERGE_REQUEST_SOURCE_PROJECT_URL"), "https://gitlab.example.com/alice/project");
  assert.ok(expressionIsTrue("$CI_MERGE_REQUEST_SOURCE_PROJECT_ID != $CI_PROJECT_ID", vars));
  // Gitlab::Regex.merge_request_draft: [draft], (draft), draft: at the start, any case
  for (const [title, draft] of [
    ["[Draft] x", "true"],
    ["(DRAFT) x", "true"],
    ["draft: x", "true"],
    ["Drafting x", "false"],
    ["x Draft: y", "false"],
  ]) {
    const t = situation({ source: "merge_request_event", mergeRequest: { event: "detached", ...MR, title } });
    assert.equal(rules(t).get("CI_MERGE_REQUEST_DRAFT"), draft, title);
  }
});

test("merge_request.rb#truncate_mr_description: more than 2700 characters are cut to 2697 and '...'", () => {
  const long = "é".repeat(2701);
  const s = situation({ source: "merge_request_event", mergeRequest: { event: "detached", ...MR, description: long } });
  const vars = rules(s);
  assert.equal(vars.get("CI_MERGE_REQUEST_DESCRIPTION"), "é".repeat(2697) + "...");
  assert.equal(vars.get("CI_MERGE_REQUEST_DESCRIPTION_IS_TRUNCATED"), "true");
  const exact = situation({
    source: "merge_request_event",
    mergeRequest: { event: "detached", ...MR, description: "a".repeat(2700) },
  });
  assert.equal(rules(exact).get("CI_MERGE_REQUEST_DESCRIPTION_IS_TRUNCATED"), "false");
});

test("§8 schedule: the schedule's description and variables, the ref's branch, before sha zeros", () => {
  const s = situation({
    source: "schedule",
    ref: { kind: "branch", name: "main" },
    protectedRef: true,
    schedule: { description: "Nightly", variables: new Map([["NIGHTLY", "1"]]) },
  });
  const vars = rules(s);
  assert.deepEqual(perSource(vars), {
    CI_PIPELINE_SOURCE: "schedule",
    CI_COMMIT_BRANCH: "main",
    CI_COMMIT_REF_NAME: "main",
    CI_COMMIT_REF_SLUG: "main",
    CI_COMMIT_BEFORE_SHA: ZEROS,
    CI_COMMIT_REF_PROTECTED: "true",
    CI_PIPELINE_SCHEDULE_DESCRIPTION: "Nightly",
  });
  assert.equal(vars.get("NIGHTLY"), "1");
  // a schedule's variables only exist in schedule pipelines (pipeline.pipeline_schedule)
  assert.equal(rules({ ...s, source: "web" }).has("NIGHTLY"), false);
});

test("§8 web and api: the branch or tag of the ref, before sha zeros even when the host knows one", () => {
  for (const source of ["web", "api"] as const) {
    assert.deepEqual(perSource(rules(situation({ source }))), {
      CI_PIPELINE_SOURCE: source,
      CI_COMMIT_BRANCH: "feature/Login",
      CI_COMMIT_REF_NAME: "feature/Login",
      CI_COMMIT_REF_SLUG: "feature-login",
      CI_COMMIT_BEFORE_SHA: ZEROS,
      CI_COMMIT_REF_PROTECTED: "false",
    });
    const tag = rules(situation({ source, ref: { kind: "tag", name: "v2" } }));
    assert.equal(tag.get("CI_COMMIT_TAG"), "v2");
    assert.equal(tag.has("CI_COMMIT_BRANCH"), false);
  }
});

test("§8 trigger: CI_PIPELINE_TRIGGERED, CI_TRIGGER_SHORT_TOKEN, job-level (builder.rb, build_spec.rb)", () => {
  const s = situation({ source: "trigger", variables: new Map([["DEPLOY", "yes"]]) });
  const vars = rules(s);
  assert.deepEqual(perSource(vars), {
    CI_PIPELINE_SOURCE: "trigger",
    CI_COMMIT_BRANCH: "feature/Login",
    CI_COMMIT_REF_NAME: "feature/Login",
    CI_COMMIT_REF_SLUG: "feature-login",
    CI_COMMIT_BEFORE_SHA: ZEROS,
    CI_COMMIT_REF_PROTECTED: "false",
    CI_PIPELINE_TRIGGERED: "true",
    CI_TRIGGER_SHORT_TOKEN: PLACEHOLDERS.triggerShortToken,
  });
  assert.equal(vars.get("DEPLOY"), "yes");
  // they are the job's, not the project's or the pipeline's predefined variables
  assert.equal(predefinedPipelineVariables(s).has("CI_PIPELINE_TRIGGERED"), false);
  assert.equal(includeRulesVariables(s).has("CI_PIPELINE_TRIGGERED"), false);
});

test("§8 pipeline (multi-project downstream): upstream variables, another project", () => {
  assert.deepEqual(perSource(rules(situation({ source: "pipeline" }))), {
    CI_PIPELINE_SOURCE: "pipeline",
    CI_COMMIT_BRANCH: "feature/Login",
    CI_COMMIT_REF_NAME: "feature/Login",
    CI_COMMIT_REF_SLUG: "feature-login",
    CI_COMMIT_BEFORE_SHA: ZEROS,
    CI_COMMIT_REF_PROTECTED: "false",
    CI_UPSTREAM_PROJECT_ID: PLACEHOLDERS.upstreamProjectId,
  });
});

test("§8 parent_pipeline: the parent's ref and before sha; a child of an MR pipeline has the MR, no branch", () => {
  assert.deepEqual(perSource(rules(situation({ source: "parent_pipeline" }))), {
    CI_PIPELINE_SOURCE: "parent_pipeline",
    CI_COMMIT_BRANCH: "feature/Login",
    CI_COMMIT_REF_NAME: "feature/Login",
    CI_COMMIT_REF_SLUG: "feature-login",
    CI_COMMIT_BEFORE_SHA: BEFORE,
    CI_COMMIT_REF_PROTECTED: "false",
    CI_UPSTREAM_PROJECT_ID: PLACEHOLDERS.projectId,
  });
  const child = situation({ source: "parent_pipeline", mergeRequest: { event: "merged_result", ...MR } });
  assert.deepEqual(perSource(rules(child)), {
    CI_PIPELINE_SOURCE: "parent_pipeline",
    CI_COMMIT_REF_NAME: "feature/Login",
    CI_COMMIT_REF_SLUG: "feature-login",
    CI_COMMIT_BEFORE_SHA: BEFORE,
    CI_COMMIT_REF_PROTECTED: "false",
    CI_MERGE_REQUEST_IID: "7",
    CI_MERGE_REQUEST_EVENT_TYPE: "merged_result",
    CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: SHA,
    CI_MERGE_REQUEST_TARGET_BRANCH_SHA: PLACEHOLDERS.otherSha,
    CI_OPEN_MERGE_REQUESTS: "Group/sub/project!7",
    CI_UPSTREAM_PROJECT_ID: PLACEHOLDERS.projectId,
  });
  // a merge request given with another source is not this pipeline's (Ci::Pipeline#merge_request? is false)
  assert.equal(
    rules(situation({ source: "web", mergeRequest: { event: "detached", ...MR } })).has("CI_MERGE_REQUEST_IID"),
    false,
  );
});

// --- §8 rows set everywhere, and the ones rules never see --------------------------------------------

test("§8 everywhere: project, server and commit variables (project.rb, builder/pipeline.rb)", () => {
  const vars = predefinedPipelineVariables(situation());
  const expected: Record<string, string> = {
    CI: "true",
    GITLAB_CI: "true",
    CI_SERVER_HOST: "gitlab.example.com",
    CI_SERVER_URL: "https://gitlab.example.com",
    CI_SERVER_PORT: "443",
    CI_SERVER_PROTOCOL: "https",
    CI_SERVER_NAME: "GitLab",
    CI_PROJECT_PATH: "Group/sub/project",
    CI_PROJECT_PATH_SLUG: "group-sub-project",
    CI_PROJECT_NAME: "project",
    CI_PROJECT_NAMESPACE: "Group/sub",
    CI_PROJECT_ROOT_NAMESPACE: "Group",
    CI_PROJECT_URL: "https://gitlab.example.com/Group/sub/project",
    CI_DEFAULT_BRANCH: "main",
    CI_CONFIG_PATH: ".gitlab-ci.yml",
    CI_API_V4_URL: "https://gitlab.example.com/api/v4",
    CI_REGISTRY_IMAGE: "registry.gitlab.example.com/group/sub/project",
    CI_DEPENDENCY_PROXY_SERVER: "gitlab.example.com:443",
    CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX: "gitlab.example.com:443/group/dependency_proxy/containers",
    CI_PIPELINE_IID: PLACEHOLDERS.pipelineIid,
    CI_CONFIG_REF_URI: "gitlab.example.com/Group/sub/project//.gitlab-ci.yml@refs/heads/feature/Login",
    CI_COMMIT_SHA: SHA,
    CI_COMMIT_SHORT_SHA: "01234567",
    CI_COMMIT_MESSAGE: "Fix the build\n\nIt was broken.\n",
    CI_COMMIT_MESSAGE_IS_TRUNCATED: "false",
    CI_COMMIT_TITLE: "Fix the build",
    CI_COMMIT_DESCRIPTION: "\nIt was broken.",
    CI_COMMIT_AUTHOR: "Alice Liddell <alice@example.com>",
  };
  for (const [k, v] of Object.entries(expected)) assert.equal(vars.get(k), v, k);
});

test("unset or nil while rules run: CI_PIPELINE_ID/URL, CREATED_AT, NAME, CI_JOB_ID (§1, persisted_variables)", () => {
  const vars = rules(situation());
  for (const k of ["CI_PIPELINE_ID", "CI_PIPELINE_URL", "CI_PIPELINE_CREATED_AT", "CI_PIPELINE_NAME", "CI_JOB_ID"])
    assert.equal(vars.has(k), false, k);
  assert.equal(vars.has("CI_PROJECT_DESCRIPTION"), false);
  assert.ok(expressionIsTrue("$CI_PIPELINE_NAME == null", vars));
});

test("Commit#full_title/#description: the first line; the rest chomped, or all of it after a title of 100+", () => {
  const at = (message: string) => {
    const vars = predefinedPipelineVariables(situation({ commit: { sha: SHA, message } }));
    return [vars.get("CI_COMMIT_TITLE"), vars.get("CI_COMMIT_DESCRIPTION")];
  };
  assert.deepEqual(at("One line"), ["One line", ""]);
  assert.deepEqual(at("Title\r\nBody\n"), ["Title", "Body"]);
  const long = "x".repeat(100) + "\nbody";
  assert.deepEqual(at(long), ["x".repeat(100), long]);
});

test("builder/pipeline.rb: a commit message over 100 000 bytes is cut and marked truncated", () => {
  const message = "a".repeat(99_999) + "é";
  const vars = predefinedPipelineVariables(situation({ commit: { sha: SHA, message } }));
  assert.equal(vars.get("CI_COMMIT_MESSAGE_IS_TRUNCATED"), "true");
  assert.equal(vars.get("CI_COMMIT_MESSAGE"), "a".repeat(99_999));
});

test("CI_PIPELINE_IID: allocated by Chain::Seed after include and workflow rules, so '' there (inferred)", () => {
  const s = situation();
  assert.equal(includeRulesVariables(s).get("CI_PIPELINE_IID"), "");
  assert.equal(workflowRulesVariables(s, NO_VARS).get("CI_PIPELINE_IID"), "");
  assert.equal(predefinedPipelineVariables(s, "config").get("CI_PIPELINE_IID"), "");
  assert.equal(rules(s).get("CI_PIPELINE_IID"), PLACEHOLDERS.pipelineIid);
});

// --- job predefined variables (builder.rb#predefined_variables_from_job_attr, context/build_spec.rb) ----

test("job predefined: name, slug, group name, stage, CI_JOB_MANUAL for a job-level manual or delayed when", () => {
  const vars = rules(situation(), NO_VARS, NO_VARS, { name: "Deploy: [Prod, EU]", stage: "deploy", when: "manual" });
  assert.equal(vars.get("CI_JOB_NAME"), "Deploy: [Prod, EU]");
  assert.equal(vars.get("CI_JOB_NAME_SLUG"), "deploy---prod--eu");
  assert.equal(vars.get("CI_JOB_GROUP_NAME"), "Deploy");
  assert.equal(vars.get("CI_JOB_STAGE"), "deploy");
  assert.equal(vars.get("CI_JOB_MANUAL"), "true");
  assert.equal(vars.get("CI_NODE_TOTAL"), "1");
  assert.equal(vars.has("CI_NODE_INDEX"), false);
  assert.equal(rules(situation(), NO_VARS, NO_VARS, { ...JOB, when: "delayed" }).get("CI_JOB_MANUAL"), "true");
  assert.equal(rules(situation()).has("CI_JOB_MANUAL"), false);
  const parallel = rules(situation(), NO_VARS, NO_VARS, { ...JOB, nodeIndex: 1, nodeTotal: 2 });
  assert.equal(parallel.get("CI_NODE_INDEX"), "1");
  assert.equal(parallel.get("CI_NODE_TOTAL"), "2");
});

test("CommitStatus#group_name: parallel and matrix suffixes removed (context/build_spec.rb: 'some-job')", () => {
  assert.equal(jobGroupName("some-job: [ruby, ubuntu]"), "some-job");
  assert.equal(jobGroupName("some-job"), "some-job");
  assert.equal(jobGroupName("rspec 1/3"), "rspec");
  assert.equal(jobGroupName("rspec:unit 2/10"), "rspec:unit");
});

test("Gitlab::Utils.slugify: lower-case, a-z0-9 kept, 63 at most, no dash at either end", () => {
  assert.equal(slugify("Feature/Login_Page"), "feature-login-page");
  assert.equal(slugify("--a--"), "a");
  assert.equal(slugify("x".repeat(70)), "x".repeat(63));
  assert.equal(slugify("ab😀c"), "ab-c"); // one character, one dash
});

test("environment (context/build_spec.rb): name expanded, action start, tier and url as written", () => {
  const s = situation({ ref: { kind: "branch", name: "main" } });
  const facts: JobFacts = { ...JOB, environment: { name: "test", url: "http://example.com/$X", tier: "testing" } };
  const vars = rules(s, NO_VARS, NO_VARS, facts);
  assert.equal(vars.get("CI_ENVIRONMENT_NAME"), "test");
  assert.equal(vars.get("CI_ENVIRONMENT_ACTION"), "start");
  assert.equal(vars.get("CI_ENVIRONMENT_TIER"), "testing");
  assert.equal(vars.get("CI_ENVIRONMENT_URL"), "http://example.com/$X");
  assert.equal(vars.has("CI_ENVIRONMENT_SLUG"), false);
  // "when environment and kubernetes namespace include variables": env-$CI_COMMIT_REF_NAME → env-main
  const named = rules(s, NO_VARS, NO_VARS, { ...JOB, environment: { name: "env-$CI_COMMIT_REF_NAME" } });
  assert.equal(named.get("CI_ENVIRONMENT_NAME"), "env-main");
  assert.equal(named.has("CI_ENVIRONMENT_TIER"), false); // no deployment_tier, no environment known yet
  assert.equal(named.has("CI_ENVIRONMENT_URL"), false);
  // "when environment includes nested variables": env-$NESTED_VAR → env-nested-main
  const yaml = new Map([["NESTED_VAR", "nested-$CI_COMMIT_REF_NAME"]]);
  const nested = jobVariables(s, NO_VARS, yaml, { ...JOB, environment: { name: "env-$NESTED_VAR", action: "stop" } });
  assert.equal(nested.environment, "env-nested-main");
  assert.equal(variablesMap(nested.items).get("CI_ENVIRONMENT_ACTION"), "stop");
  // a name that expands to blank is no environment (`environment.present?`)
  const blank = rules(s, NO_VARS, NO_VARS, { ...JOB, environment: { name: "$UNDEFINED" } });
  assert.equal(blank.has("CI_ENVIRONMENT_NAME"), false);
  assert.equal(blank.has("CI_ENVIRONMENT_ACTION"), false);
});

// --- precedence (Collection#to_hash: later wins; the order of builder.rb) -----------------------------

test("§4.3 precedence: schedule variables over pipeline variables over GITLAB_USER_* over YAML over predefined", () => {
  const root = new Map([
    ["CI_COMMIT_BRANCH", "from-root"],
    ["CI_JOB_STAGE", "from-root"],
    ["GITLAB_USER_LOGIN", "from-root"],
    ["A", "root"],
    ["B", "root"],
  ]);
  const s = situation({
    source: "schedule",
    variables: new Map([
      ["A", "pipeline"],
      ["B", "pipeline"],
    ]),
    schedule: { description: "x", variables: new Map([["B", "schedule"]]) },
  });
  const vars = rules(s, root);
  assert.equal(vars.get("CI_COMMIT_BRANCH"), "from-root"); // YAML over pipeline predefined
  assert.equal(vars.get("CI_JOB_STAGE"), "from-root"); // YAML over job predefined
  assert.equal(vars.get("GITLAB_USER_LOGIN"), "alice"); // GITLAB_USER_* after YAML
  assert.equal(vars.get("A"), "pipeline");
  assert.equal(vars.get("B"), "schedule");
});

test("§4.3 a job's variables over the root's; inherit:variables filters it (Helpers.inherit_yaml_variables)", () => {
  const root = new Map([
    ["A", "root"],
    ["B", "root"],
  ]);
  const job = new Map([["A", "job"]]);
  assert.deepEqual(pick(rules(situation(), root, job), ["A", "B"]), { A: "job", B: "root" });
  assert.deepEqual([...inheritedRootVariables(root, false)], []);
  assert.deepEqual([...inheritedRootVariables(root, ["B", "C"])], [["B", "root"]]);
  assert.deepEqual([...inheritedRootVariables(root, true)], [...root]);
});

test("§5 workflow:rules:variables over top-level variables (chain/seed.rb#root_variables, merge_variables)", () => {
  const topLevel = new Map([
    ["DEPLOY", "no"],
    ["KEEP", "1"],
  ]);
  const root = mergeVariables(topLevel, new Map([["DEPLOY", "yes"]]));
  assert.deepEqual(
    [...root],
    [
      ["DEPLOY", "yes"],
      ["KEEP", "1"],
    ],
  );
  assert.equal(rules(situation(), root).get("DEPLOY"), "yes");
});

test("§4.3 a rule's own variables: not among what its if sees (seed/build.rb merges them after the rules)", () => {
  // rules: [{ if: '$FROM_RULE == "x"', variables: { FROM_RULE: "x" } }] — the rule's variables are not passed
  const vars = rules(situation(), new Map([["TOP", "1"]]));
  assert.equal(expressionIsTrue('$FROM_RULE == "x"', vars), false);
  assert.equal(expressionIsTrue('$TOP == "1"', vars), true);
});

// --- workflow:rules and include:rules --------------------------------------------------------------

test("§5 workflow:rules: predefined but CI_JOB_*/CI_BUILD_*, top-level YAML, GITLAB_USER_*, pipeline variables", () => {
  const topLevel = new Map([
    ["CI_DEFAULT_BRANCH", "yaml"],
    ["CI_JOB_TOKEN_SCOPE", "dropped"],
    ["CI_BUILD_X", "dropped"],
    ["A", "yaml"],
    ["GITLAB_USER_LOGIN", "yaml"],
  ]);
  const s = situation({ variables: new Map([["A", "pipeline"]]) });
  const vars = workflowRulesVariables(s, topLevel);
  assert.equal(vars.get("CI_DEFAULT_BRANCH"), "yaml");
  assert.equal(vars.has("CI_JOB_TOKEN_SCOPE"), false); // context/global.rb rejects /\ACI_(JOB|BUILD)/, YAML too
  assert.equal(vars.has("CI_BUILD_X"), false);
  assert.equal(
    [...vars.keys()].some((k) => /^CI_(JOB|BUILD)/.test(k)),
    false,
  );
  assert.equal(vars.get("CI_NODE_TOTAL"), "1"); // the stub job's, not filtered (§5, inferred)
  assert.equal(vars.has("CI_ENVIRONMENT_NAME"), false);
  assert.equal(vars.get("A"), "pipeline");
  assert.equal(vars.get("GITLAB_USER_LOGIN"), "alice");
  assert.equal(vars.get("CI_COMMIT_BRANCH"), "feature/Login");
  // the ordered collection has the same content
  assert.deepEqual(variablesMap(workflowVariableItems(s, topLevel)), vars);
});

test("§8 include:rules (Builder#config_variables): predefined, pipeline and schedule variables only", () => {
  const s = situation({
    source: "schedule",
    variables: new Map([["P", "1"]]),
    schedule: { description: "d", variables: new Map([["S", "2"]]) },
  });
  const vars = includeRulesVariables(s);
  assert.equal(vars.get("P"), "1");
  assert.equal(vars.get("S"), "2");
  assert.equal(vars.get("CI_PIPELINE_SOURCE"), "schedule");
  assert.equal(vars.get("CI_PIPELINE_SCHEDULE_DESCRIPTION"), "d");
  for (const k of ["GITLAB_USER_LOGIN", "GITLAB_USER_ID", "CI_JOB_NAME", "CI_NODE_TOTAL"])
    assert.equal(vars.has(k), false, k);
  assert.deepEqual(pick(vars, ["CI_COMMIT_BRANCH", "CI_PROJECT_PATH"]), {
    CI_COMMIT_BRANCH: "feature/Login",
    CI_PROJECT_PATH: "Group/sub/project",
  });
});

// --- expansion ------------------------------------------------------------------------------------

test("rules:if reads values as written (Clause::If uses context.variables_hash = Collection#to_hash)", () => {
  const root = new Map([
    ["A", "a"],
    ["B", "$A-x"],
  ]);
  const vars = rules(situation(), root);
  assert.equal(vars.get("B"), "$A-x");
  assert.ok(expressionIsTrue('$B == "$A-x"', vars));
  assert.equal(expressionIsTrue('$B == "a-x"', vars), false);
  assert.equal(workflowRulesVariables(situation(), root).get("B"), "$A-x");
});

test("Collection#sort_and_expand_all: nested references, escapes, raw values, unknown names, a circle", () => {
  const expand = (pairs: Array<[string, string, boolean?]>) => {
    const result = sortAndExpandAll(pairs.map(([key, value, raw]) => ({ key, value, raw })));
    return { vars: Object.fromEntries(variablesMap(result.items)), error: result.error };
  };
  assert.deepEqual(
    expand([
      ["C", "$B/c"],
      ["B", "${A}/b"],
      ["A", "a"],
    ]).vars,
    { C: "a/b/c", B: "a/b", A: "a" },
  );
  assert.deepEqual(
    expand([
      ["A", "a"],
      ["B", "$$A %%A%% ${} %A% $NOPE."],
    ]).vars,
    { A: "a", B: "$$A %%A%% ${} a ." },
  );
  assert.deepEqual(
    expand([
      ["A", "a"],
      ["R", "$A", true],
      ["B", "$R"],
    ]).vars,
    { A: "a", R: "$A", B: "$A" },
  );
  // an earlier item of the same name is what a self-reference reads (builder order: predefined first)
  assert.deepEqual(
    expand([
      ["P", "main"],
      ["P", "$P-x"],
    ]).vars,
    { P: "main-x" },
  );
  assert.deepEqual(
    expand([
      ["A", "$B"],
      ["B", "$A"],
      ["C", "$C"],
    ]),
    {
      vars: { A: "$B", B: "$A", C: "$C" },
      error: 'circular variable reference detected: ["A", "B"]',
    },
  );
});

test("a job whose variables refer to each other in a circle reports GitLab's expansion error", () => {
  const job = new Map([
    ["A", "$B"],
    ["B", "$A"],
  ]);
  const result = jobVariables(situation(), NO_VARS, job, JOB);
  assert.equal(variableCircle(result.items), 'circular variable reference detected: ["A", "B"]');
  assert.equal(variablesMap(result.items).get("A"), "$B");
  assert.equal(variableCircle(jobVariables(situation(), NO_VARS, new Map([["A", "$B"]]), JOB).items), undefined);
});

test("ExpandVariables.expand: $X, ${X}, %X%; unknown names vanish; no $$ escape", () => {
  const vars = new Map([["X", "x"]]);
  assert.equal(expandString("$X-${X}-%X%-$Y-$$X", vars), "x-x-x--$x");
});

test("raw YAML variables (expand: false) are not expanded in the environment name's variables", () => {
  const s = situation({ ref: { kind: "branch", name: "main" } });
  const job = new Map([
    ["A", "$CI_COMMIT_REF_NAME"],
    ["B", "$CI_COMMIT_REF_NAME"],
  ]);
  const env = (raw?: ReadonlySet<string>) =>
    jobVariables(s, NO_VARS, job, { ...JOB, environment: { name: "$A/$B" }, rawVariables: raw }).environment;
  assert.equal(env(), "main/main");
  assert.equal(env(new Set(["B"])), "main/$CI_COMMIT_REF_NAME");
});

// --- YAML variables ------------------------------------------------------------------------------------

function variablesOf(text: string): { value: CValue | undefined; written: (v: CScalar) => string } {
  const file = loadWhole(".gitlab-ci.yml", text);
  return { value: get(file.content, "variables"), written: (v) => text.slice(v.src.start, v.src.end) };
}

const YAML_VARIABLES = [
  "variables:",
  "  STR: hello",
  "  QUOTED: '010'",
  "  INT: 10",
  "  OCT: 010",
  "  HEX: 0x1F",
  "  SEXAGESIMAL: 1:20",
  "  FLOAT: 1.5",
  "  WHOLE: 2.0",
  "  BIG: 1.0e+20",
  "  SMALL: 0.00001",
  "  INF: .inf",
  "  NEG_INF: -.inf",
  "  NAN: .nan",
  "  BOOL: true",
  "  BOOL_YES: yes",
  "  BOOL_OFF: off",
  "  NULL_VALUE: ~",
  "  EMPTY: ''",
  "  LIST: [a, b]",
  "  COMPLEX: { value: v, description: d, options: [v, w] }",
  "  COMPLEX_NUM: { value: 3 }",
  "  COMPLEX_NO_VALUE: { description: d }",
  "  COMPLEX_NULL: { value: null }",
  "  COMPLEX_LIST: { value: [a] }",
  "  RAW: { value: $X, expand: false }",
  "  EXPANDED: { value: $X, expand: true }",
  "",
].join("\n");

test("yamlVariables (entry/variable.rb): to_s of scalars, the hash form's value, invalid ones left out", () => {
  const { value, written } = variablesOf(YAML_VARIABLES);
  const expected = {
    STR: "hello",
    QUOTED: "010",
    INT: "10",
    OCT: "8",
    HEX: "31",
    SEXAGESIMAL: "80",
    FLOAT: "1.5",
    WHOLE: "2.0",
    BIG: "1.0e+20",
    SMALL: "1.0e-05",
    INF: "Infinity",
    NEG_INF: "-Infinity",
    NAN: "NaN",
    BOOL: "true",
    BOOL_YES: "true",
    BOOL_OFF: "false",
    EMPTY: "",
    COMPLEX: "v",
    COMPLEX_NUM: "3",
    COMPLEX_NO_VALUE: "",
    COMPLEX_NULL: "",
    RAW: "$X",
    EXPANDED: "$X",
  };
  assert.deepEqual(Object.fromEntries(yamlVariables(value, written)), expected);
  // without the written text a whole float reads as the integer JavaScript holds
  const plain = yamlVariables(value);
  assert.equal(plain.get("WHOLE"), "2");
  assert.equal(plain.get("BIG"), "100000000000000000000");
  assert.equal(plain.get("FLOAT"), "1.5");
  assert.deepEqual([...yamlRawVariables(value)], ["RAW"]);
  assert.deepEqual(yamlVariables(undefined), new Map());
});

test("Ruby's Float#to_s (numeric.c flo_to_s): fixed notation up to 16 integer digits, else e±XX", () => {
  const cases: Array<[number, string]> = [
    [1.5, "1.5"],
    [100, "100.0"],
    [0.1, "0.1"],
    [0.0001, "0.0001"],
    [0.00001, "1.0e-05"],
    [1e15, "1000000000000000.0"],
    [1e16, "1.0e+16"],
    [1.25e20, "1.25e+20"],
    [-2.5, "-2.5"],
    [-0, "-0.0"],
    [0, "0.0"],
    [123456789.125, "123456789.125"],
  ];
  for (const [n, s] of cases) assert.equal(rubyFloatToS(n), s, String(n));
});

function pick(vars: ReadonlyMap<string, string>, keys: readonly string[]): Record<string, string | undefined> {
  return Object.fromEntries(keys.map((k) => [k, vars.get(k)]));
}
