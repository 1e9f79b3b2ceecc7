import * as assert from "node:assert/strict";
import { test } from "node:test";
import { loadFile } from "../server/src/engine/load";
import {
  type ClauseContext,
  changesClause,
  existsClause,
  expandExisting,
  expandPattern,
  ifClause,
  sortAndExpandAll,
} from "../server/src/engine/simulation/clauses";
import { onlyExceptDecision, refMatches } from "../server/src/engine/simulation/only-except";
import { type RuleDecision, evaluateRules, jobOutcome, jobWhen } from "../server/src/engine/simulation/rules";
import type { Situation } from "../server/src/engine/simulation/situation";
import type { CMap, CValue } from "../server/src/engine/types";
import { toJS } from "../server/src/engine/values";

// The rule evaluation of the pipeline simulation (engine/simulation/{clauses,rules,only-except}.ts)
// against GitLab's own specs: each group names the spec file of gitlabhq/gitlabhq it comes from and
// the example it reproduces, with that spec's inputs and expected results, written as YAML. Cases
// GitLab's specs do not state carry the source file they are read from.

let files = 0;
/** A YAML text as the engine's values (written under a key: a config file's content is a mapping). */
function yaml(text: string): CValue {
  const indented = text.split("\n").map((line) => `  ${line}`);
  const content = loadFile(`t${files++}.yml`, ["value:", ...indented].join("\n") + "\n").content;
  const value = content?.kind === "map" ? content.entries.get("value")?.value : undefined;
  assert.ok(value, text);
  return value;
}

function vars(record: Record<string, string> = {}): Map<string, string> {
  return new Map(Object.entries(record));
}

function ctx(over: Partial<ClauseContext> = {}): ClauseContext {
  return { variables: new Map(), changes: undefined, files: undefined, ...over };
}

/** A decision as plain data: when, the matched rule's index, and the attributes it set. */
function summary(d: RuleDecision): Record<string, unknown> {
  const out: Record<string, unknown> = { when: d.when };
  if (d.rule) out.rule = d.rule.index;
  if (d.allowFailure) out.allowFailure = toJS(d.allowFailure);
  if (d.startIn !== undefined) out.startIn = d.startIn;
  if (d.variables) out.variables = toJS(d.variables);
  if (d.needs) out.needs = toJS(d.needs);
  if (d.interruptible !== undefined) out.interruptible = d.interruptible;
  if (d.autoCancel) out.autoCancel = toJS(d.autoCancel);
  if (d.errors.length) out.errors = d.errors;
  if (d.unknowns) out.unknowns = d.unknowns;
  return out;
}

/** Evaluates rules written as YAML (a list, or `~` for no rules key). */
function rules(text: string, defaultWhen = "on_success", c: ClauseContext = ctx()): Record<string, unknown> {
  const v = text.trim() === "~" ? undefined : yaml(text);
  return summary(evaluateRules(v, defaultWhen, c));
}

function satisfied(clause: ReturnType<typeof changesClause>): boolean | string {
  return "error" in clause ? clause.error : clause.satisfied;
}

function situation(over: Partial<Situation> = {}): Situation {
  return {
    source: "push",
    ref: { kind: "branch", name: "master" },
    defaultBranch: "master",
    projectPath: "group/project",
    serverHost: "gitlab.com",
    protectedRef: true,
    variables: new Map(),
    changes: undefined,
    files: undefined,
    commit: { sha: "0123456789abcdef", message: "commit" },
    configPath: ".gitlab-ci.yml",
    ...over,
  };
}

const MR = { event: "detached", targetBranch: "master", title: "t", description: "", labels: [], iid: 1 } as const;

/** Whether a job written as YAML is created under only/except. */
function included(jobText: string, s: Situation = situation(), hasWorkflowRules = false, c = ctx()): boolean {
  return onlyExceptDecision(yaml(jobText) as CMap, hasWorkflowRules, { situation: s, ctx: c }).included;
}

// ---------------------------------------------------------------------------------------------
// Rules#evaluate — spec/lib/gitlab/ci/build/rules_spec.rb, describe '#evaluate'
// ---------------------------------------------------------------------------------------------

test("rules_spec.rb #evaluate: no rules, empty rules, first match, no match", () => {
  // 'with nil rules' (and 'and when:manual set as the default')
  assert.deepEqual(rules("~"), { when: "on_success" });
  assert.deepEqual(rules("~", "manual"), { when: "manual" });
  // 'with no rules' → never, also with a manual default
  assert.deepEqual(rules("[]"), { when: "never" });
  assert.deepEqual(rules("[]", "manual"), { when: "never" });
  // 'with one rule without any clauses'
  assert.deepEqual(rules("- when: manual\n  allow_failure: true"), { when: "manual", rule: 0, allowFailure: true });
  // 'with one matching rule'
  assert.deepEqual(rules("- if: $VAR == null\n  when: always"), { when: "always", rule: 0 });
  // 'with two matching rules': 'returns the value of the first matched rule in the list'
  assert.deepEqual(
    rules("- if: $VAR == null\n  when: delayed\n  start_in: 1 day\n- if: $VAR == null\n  when: always"),
    { when: "delayed", rule: 0, startIn: "1 day" },
  );
  // 'with a non-matching and matching rule' ('$VAR =! null' does not parse: no match)
  assert.deepEqual(
    rules("- if: $VAR =! null\n  when: delayed\n  start_in: 1 day\n- if: $VAR == null\n  when: always"),
    { when: "always", rule: 1 },
  );
  // 'with a matching and non-matching rule'
  assert.deepEqual(
    rules("- if: $VAR == null\n  when: delayed\n  start_in: 1 day\n- if: $VAR != null\n  when: always"),
    { when: "delayed", rule: 0, startIn: "1 day" },
  );
  // 'with non-matching rules', and 'does not return the default when:'
  const none = "- if: $VAR != null\n  when: delayed\n  start_in: 1 day\n- if: $VAR != null\n  when: always";
  assert.deepEqual(rules(none), { when: "never" });
  assert.deepEqual(rules(none, "manual"), { when: "never" });
});

test("rules_spec.rb #evaluate: the matched rule's attributes", () => {
  // 'with only allow_failure': matching, then non-matching
  assert.deepEqual(rules("- if: $VAR == null\n  allow_failure: true"), {
    when: "on_success",
    rule: 0,
    allowFailure: true,
  });
  assert.deepEqual(rules("- if: $VAR != null\n  allow_failure: true"), { when: "never" });
  // 'with needs': 'when single need is specified', 'when there are no needs specified'
  assert.deepEqual(rules("- if: $VAR == null\n  needs: [{job: test, artifacts: true, optional: false}]"), {
    when: "on_success",
    rule: 0,
    needs: [{ job: "test", artifacts: true, optional: false }],
  });
  assert.deepEqual(rules("- if: $VAR == null"), { when: "on_success", rule: 0 });
  // 'with variables' / 'with matching rule'
  assert.deepEqual(rules("- if: $VAR == null\n  variables: {MY_VAR: my var}"), {
    when: "on_success",
    rule: 0,
    variables: { MY_VAR: "my var" },
  });
  // 'with auto_cancel' / 'with matching rule'
  assert.deepEqual(rules("- if: $VAR == null\n  auto_cancel: {on_new_commit: interruptible}"), {
    when: "on_success",
    rule: 0,
    autoCancel: { on_new_commit: "interruptible" },
  });
  // 'with interruptible' / 'with matching rule'
  assert.deepEqual(rules("- if: $VAR == null\n  interruptible: true"), {
    when: "on_success",
    rule: 0,
    interruptible: true,
  });
  // 'with a regexp variable matching rule': the pattern comes from a variable
  assert.deepEqual(
    rules(`- if: '"abcde" =~ $pattern'`, "on_success", ctx({ variables: vars({ pattern: "/^ab.*/" }) })),
    {
      when: "on_success",
      rule: 0,
    },
  );
});

test("rule.rb / entry/rules/rule.rb: a null key is not written; nested rule lists are flattened", () => {
  // Entry::Rule#value compacts nil values: `if: null` is no clause, `when: null` is the default
  assert.deepEqual(rules("- if: null\n  when: null"), { when: "on_success", rule: 0 });
  // Entry::Rules flattens nested lists (nested_array_of_hashes_or_arrays)
  assert.deepEqual(rules("- [{if: $A}, {if: $B}]\n- when: manual"), { when: "manual", rule: 2 });
  // the rule's `src` is where the rule is written
  const list = yaml("- if: $A\n- when: always\n") as CValue & { kind: "seq" };
  assert.equal(evaluateRules(list, "on_success", ctx()).rule?.value, list.items[1]);
});

// ---------------------------------------------------------------------------------------------
// Rule#matches? — spec/lib/gitlab/ci/build/rules/rule_spec.rb, describe '#matches?'
// Clause::If — spec/lib/gitlab/ci/build/rules/rule/clause/if_spec.rb
// ---------------------------------------------------------------------------------------------

test("rule_spec.rb #matches?: clauses are ANDed", () => {
  // 'with one matching clause'
  assert.equal(rules("- if: $VAR == null\n  when: always").when, "always");
  // 'with two matching clauses' (no diff: changes is true)
  assert.equal(rules("- if: $VAR == null\n  changes: '**/*'\n  when: always").when, "always");
  // 'with a matching and non-matching clause'
  assert.equal(rules("- if: $VAR != null\n  changes: '$VAR == null'\n  when: always").when, "never");
  // 'with two non-matching clauses'
  assert.equal(rules("- if: $VAR != null\n  changes: README\n  when: always").when, "never");
});

test("if_spec.rb #satisfied_by?: string and regexp comparisons, variables on both sides", () => {
  const ok = (text: string, v: Record<string, string> = {}) =>
    satisfied(ifClause(yaml(`'${text}'`), ctx({ variables: vars(v) })));
  // 'when expression is a basic string comparison'
  assert.equal(ok('"value" == "value"'), true);
  assert.equal(ok('"value" == "other"'), false);
  // 'when expression is a regexp'
  assert.equal(ok('"abcde" =~ /^ab.*/'), true);
  assert.equal(ok('"abcde" =~ /^af.*/'), false);
  // 'when both side of the expression are variables'
  assert.equal(ok("$teststring =~ $pattern", { teststring: "abcde", pattern: "/^ab.*/" }), true);
  assert.equal(ok("$teststring =~ $pattern", { teststring: "abcde", pattern: "/^af.*/" }), false);
});

// ---------------------------------------------------------------------------------------------
// Seed::Build with rules — spec/lib/gitlab/ci/pipeline/seed/build_spec.rb, 'using rules:'
// ---------------------------------------------------------------------------------------------

test("seed/build_spec.rb 'using rules:' / 'with a matching if: rule' tables", () => {
  const tables: Array<[string, string[]]> = [
    [
      "never", // 'with an explicit `when: never`'
      [
        "- {if: $VARIABLE == null, when: never}",
        "- {if: $VARIABLE == null, when: never}\n- {if: $VARIABLE == null, when: always}",
        `- {if: '$VARIABLE != "the wrong value"', when: never}\n- {if: $VARIABLE == null, when: always}`,
      ],
    ],
    [
      "always", // 'with an explicit `when: always`'
      [
        "- {if: $VARIABLE == null, when: always}",
        "- {if: $VARIABLE == null, when: always}\n- {if: $VARIABLE == null, when: never}",
        `- {if: '$VARIABLE != "the wrong value"', when: always}\n- {if: $VARIABLE == null, when: never}`,
      ],
    ],
    [
      "on_failure", // 'with an explicit `when: on_failure`' (CI_JOB_NAME is rspec)
      [
        `- {if: '$CI_JOB_NAME == "rspec" && $VAR == null', when: on_failure}`,
        `- {if: $VARIABLE != null, when: delayed, start_in: 1 day}\n` +
          `- {if: '$CI_JOB_NAME   == "rspec"', when: on_failure}`,
        `- {if: '$VARIABLE == "the wrong value"', when: delayed, start_in: 1 day}\n` +
          `- {if: '$CI_JOB_NAME == "rspec"', when: on_failure}`,
      ],
    ],
    [
      "on_success", // 'without an explicit when: value'
      [
        "- {if: $VARIABLE == null}",
        "- {if: $VARIABLE == null}\n- {if: $VARIABLE == null}",
        `- {if: '$VARIABLE != "the wrong value"'}\n- {if: $VARIABLE == null}`,
      ],
    ],
  ];
  const c = ctx({ variables: vars({ CI_JOB_NAME: "rspec" }) });
  for (const [when, sets] of tables) for (const set of sets) assert.equal(rules(set, "on_success", c).when, when, set);
  // 'with an explicit `when: delayed`': 'correctly populates when:' with options start_in
  for (const set of [
    "- {if: $VARIABLE == null, when: delayed, start_in: 1 day}",
    "- {if: $VARIABLE == null, when: delayed, start_in: 1 day}\n- {if: $VARIABLE == null, when: never}",
    `- {if: '$VARIABLE != "the wrong value"', when: delayed, start_in: 1 day}\n- {if: $VARIABLE == null, when: never}`,
  ])
    assert.deepEqual(rules(set), { when: "delayed", rule: 0, startIn: "1 day" }, set);
});

test("seed/build_spec.rb 'using rules:' / 'with no matching rule', 'with no rules', errors", () => {
  for (const set of [
    "- {if: $VARIABLE != null, when: never}",
    "- {if: $VARIABLE != null, when: never}\n- {if: $VARIABLE != null, when: always}",
    `- {if: '$VARIABLE == "the wrong value"', when: never}\n- {if: $VARIABLE != null, when: always}`,
    "- {if: $VARIABLE != null, when: always}",
    "- {if: $VARIABLE != null, when: always}\n- {if: $VARIABLE != null, when: never}",
    `- {if: '$VARIABLE == "the wrong value"', when: always}\n- {if: $VARIABLE != null, when: never}`,
    "- {if: $VARIABLE != null}",
    "- {if: $VARIABLE != null}\n- {if: $VARIABLE != null}",
    `- {if: '$VARIABLE == "the wrong value"'}\n- {if: $VARIABLE != null}`,
  ])
    assert.deepEqual(rules(set), { when: "never" }, set);
  // 'with no rules'
  assert.deepEqual(rules("[]"), { when: "never" });
  // 'with invalid rules raising error': never, and the clause's message
  const invalid = ctx({ changes: ["README.md"], compareTo: () => "invalid" });
  assert.deepEqual(
    rules("- changes: {paths: [README.md], compare_to: invalid-ref}\n  when: never", "on_success", invalid),
    { when: "never", rule: 0, errors: ["rules:changes:compare_to is not a valid ref"] },
  );
  // a clause error stops the evaluation only when reached: an `if` written before it that fails
  // leaves it unevaluated (Rule#matches? is `all?` over the clauses in written order)
  assert.deepEqual(
    rules("- if: $NOPE\n  changes: {paths: [a], compare_to: bad}\n- when: manual", "on_success", invalid),
    { when: "manual", rule: 1 },
  );
});

test("seed/build_spec.rb 'with job: rules but no explicit when:': the job's when is the default", () => {
  // 'with a manual job': matched → manual; not matched → never
  assert.equal(rules("- if: $VAR == null", "manual").when, "manual");
  assert.equal(rules("- if: $VAR != null", "manual").when, "never");
  // 'with an automatic job'
  assert.equal(rules("- if: $VAR == null", "on_success").when, "on_success");
  assert.equal(rules("- if: $VAR != null", "on_success").when, "never");
});

test("seed/build_spec.rb 'with a rule using CI_ENVIRONMENT_NAME variable'", () => {
  const set = `- if: '$CI_ENVIRONMENT_NAME == "test"'`;
  assert.equal(rules(set, "on_success", ctx({ variables: vars({ CI_ENVIRONMENT_NAME: "test" }) })).when, "on_success");
  assert.equal(rules(set, "on_success", ctx({ variables: vars({ CI_ENVIRONMENT_NAME: "dev" }) })).when, "never");
  assert.equal(rules(set).when, "never"); // 'when environment:name is not set'
});

// ---------------------------------------------------------------------------------------------
// What the job becomes — spec/lib/gitlab/ci/config/entry/job_spec.rb '#ignored?',
// spec/lib/gitlab/ci/pipeline/seed/build_spec.rb 'with allow_failure', 'with job:rules:[needs:]',
// 'with job:rules:[interruptible:]', 'with job:when:delayed', 'with job:rules:[when:delayed]'
// ---------------------------------------------------------------------------------------------

function outcome(jobText: string, decision?: RuleDecision): Record<string, unknown> {
  const job = yaml(jobText) as CMap;
  const rulesValue = job.entries.get("rules")?.value;
  const d = decision ?? evaluateRules(rulesValue, jobWhen(job), ctx());
  const o = jobOutcome(job, d);
  const out: Record<string, unknown> = { when: o.when, allowFailure: o.allowFailure };
  if (o.exitCodes) out.exitCodes = toJS(o.exitCodes);
  if (o.startIn !== undefined) out.startIn = o.startIn;
  if (o.needs) out.needs = toJS(o.needs);
  if (o.interruptible !== undefined) out.interruptible = o.interruptible;
  return out;
}

test("job_spec.rb '#ignored?': allow_failure from the job-level keys", () => {
  // 'when job is a manual action' / 'when it is not specified if job is allowed to fail' → ignored
  assert.deepEqual(outcome("script: deploy\nwhen: manual"), { when: "manual", allowFailure: true });
  // '... when job is allowed to fail' → ignored
  assert.deepEqual(outcome("script: deploy\nwhen: manual\nallow_failure: true"), {
    when: "manual",
    allowFailure: true,
  });
  // '... when job is not allowed to fail' → not ignored
  assert.deepEqual(outcome("script: deploy\nwhen: manual\nallow_failure: false"), {
    when: "manual",
    allowFailure: false,
  });
  // 'when job is not a manual action': not specified → not ignored; allowed → ignored
  assert.deepEqual(outcome("script: deploy"), { when: "on_success", allowFailure: false });
  assert.deepEqual(outcome("script: deploy\nallow_failure: true"), { when: "on_success", allowFailure: true });
  // Job#static_allow_failure: an exit_codes hash counts as false, and the codes are kept
  assert.deepEqual(outcome("script: deploy\nallow_failure: {exit_codes: [42]}"), {
    when: "on_success",
    allowFailure: false,
    exitCodes: [42],
  });
});

test("rules and allow_failure: the rule's value wins, else the job-level keys only", () => {
  // seed/build_spec.rb 'with allow_failure': 'when rules does not override allow_failure' keeps the exit codes
  const job = "script: x\nallow_failure: {exit_codes: [42]}\nrules:\n  - if: $VAR == null\n    when: always";
  assert.deepEqual(outcome(job), { when: "always", allowFailure: false, exitCodes: [42] });
  // 'when rules set allow_failure to true' / 'to false': allow_failure_criteria is dropped
  assert.deepEqual(outcome(job + "\n    allow_failure: true"), { when: "always", allowFailure: true });
  assert.deepEqual(outcome(job + "\n    allow_failure: false"), { when: "always", allowFailure: false });
  // doc/ci/yaml/_index.md rules:allow_failure — a rule's `when: manual` makes a blocking manual job
  // (Job#ignored? reads the job-level `when`, which is not manual)
  assert.deepEqual(outcome("script: x\nrules:\n  - when: manual"), { when: "manual", allowFailure: false });
  // ... while a job-level `when: manual` with a rule setting no `when` stays manual and may fail
  assert.deepEqual(outcome("script: x\nwhen: manual\nrules:\n  - if: $VAR == null"), {
    when: "manual",
    allowFailure: true,
  });
  // (inferred from job.rb) job-level manual, rule `when: on_success`: allow_failure still from the job
  assert.deepEqual(outcome("script: x\nwhen: manual\nrules:\n  - when: on_success"), {
    when: "on_success",
    allowFailure: true,
  });
});

test("seed/build_spec.rb: start_in, needs and interruptible after a rule", () => {
  // 'with job:when:delayed' (no rules): the job's start_in
  assert.deepEqual(outcome("script: x\nwhen: delayed\nstart_in: 3 hours"), {
    when: "delayed",
    allowFailure: false,
    startIn: "3 hours",
  });
  // 'with job:rules:[when:delayed]' / 'is matched'
  assert.deepEqual(outcome("script: x\nrules:\n  - {if: $VAR == null, when: delayed, start_in: 3 hours}"), {
    when: "delayed",
    allowFailure: false,
    startIn: "3 hours",
  });
  // 'with job:rules:[needs:]' / 'when rule evaluates to true': 'overrides the job needs'
  const needs = "script: x\nneeds: [rspec]\nrules:\n  - if: $VAR == null\n    needs: [build-job]";
  assert.deepEqual(outcome(needs), { when: "on_success", allowFailure: false, needs: ["build-job"] });
  // 'when rule evaluates to false': 'keeps the job needs' (the job is left out, its needs stay)
  assert.deepEqual(outcome(needs.replace("$VAR == null", "$VAR == true")), {
    when: "never",
    allowFailure: false,
    needs: ["rspec"],
  });
  // 'with multiple rules' / 'when a rule evaluates to true': the first matching rule's needs
  assert.deepEqual(
    outcome(
      "script: x\nneeds: [rspec]\nrules:\n  - {if: $VAR == true, needs: [rspec-1]}\n" +
        "  - {if: $VAR2 == true, needs: [rspec-2]}\n  - {if: $VAR3 == null, needs: [rspec, lint]}",
    ),
    { when: "on_success", allowFailure: false, needs: ["rspec", "lint"] },
  );
  // 'with job:rules:[interruptible:]': overrides, adds, does not change, does not change
  const inter = (job: string) => outcome(job).interruptible;
  assert.equal(inter("script: x\ninterruptible: false\nrules:\n  - {if: $VAR == null, interruptible: true}"), true);
  assert.equal(inter("script: x\nrules:\n  - {if: $VAR == null, interruptible: true}"), true);
  assert.equal(inter("script: x\ninterruptible: false\nrules:\n  - {if: $VAR == null}"), false);
  assert.equal(inter("script: x\ninterruptible: false\nrules:\n  - {if: $VAR == true, interruptible: true}"), false);
});

// ---------------------------------------------------------------------------------------------
// workflow:rules — lib/gitlab/ci/pipeline/chain/evaluate_workflow_rules.rb (Rules.new(..., default_when:
// 'always')); include:rules — spec/lib/gitlab/ci/config/external/rules_spec.rb '#evaluate'
// ---------------------------------------------------------------------------------------------

test("workflow:rules: first match with `always` as the default; none matching stops the pipeline", () => {
  const wf = (text: string, v: Record<string, string> = {}) => rules(text, "always", ctx({ variables: vars(v) }));
  assert.deepEqual(wf(`- if: '$CI_PIPELINE_SOURCE == "push"'`, { CI_PIPELINE_SOURCE: "push" }), {
    when: "always",
    rule: 0,
  });
  assert.deepEqual(wf(`- if: '$CI_PIPELINE_SOURCE == "push"'`, { CI_PIPELINE_SOURCE: "web" }), { when: "never" });
  assert.deepEqual(wf(`- if: $CI_COMMIT_TAG\n  when: never\n- when: always`, { CI_COMMIT_TAG: "v1" }), {
    when: "never",
    rule: 0,
  });
  // workflow:rules:variables and auto_cancel of the matched rule (chain/seed.rb root_variables)
  assert.deepEqual(
    wf("- if: $A\n  variables: {X: one}\n- variables: {X: two}\n  auto_cancel: {on_new_commit: none}", {}),
    { when: "always", rule: 1, variables: { X: "two" }, autoCancel: { on_new_commit: "none" } },
  );
});

test("external/rules_spec.rb #evaluate: include:rules", () => {
  const inc = (text: string, c: ClauseContext = ctx()) => rules(text, "always", c).when !== "never";
  // 'when there is no rule'
  assert.equal(inc("~"), true);
  // 'when there is a rule with if:' matching / not matching; 'with when: specified'
  const hello = ctx({ variables: vars({ MY_VAR: "hello" }) });
  assert.equal(inc(`- if: '$MY_VAR == "hello"'`, hello), true);
  assert.equal(inc(`- if: '$MY_VAR == "hello"'`, ctx({ variables: vars({ MY_VAR: "invalid" }) })), false);
  assert.equal(inc(`- if: '$MY_VAR == "hello"'\n  when: never`, hello), false);
  assert.equal(inc(`- if: '$MY_VAR == "hello"'\n  when: always`, hello), true);
  assert.equal(inc(`- if: '$MY_VAR == "hello"'\n  when: null`, hello), true);
  // 'when there is a rule with exists:' (top-level files listed)
  assert.equal(inc("- exists: file.txt", ctx({ files: ["file.txt"] })), true);
  assert.equal(inc("- exists: file.txt", ctx({ files: ["README.md"] })), false);
  // 'when there is a rule with changes:', list and paths: forms
  assert.equal(inc("- changes: [file.txt]", ctx({ changes: ["file.txt"] })), true);
  assert.equal(inc("- changes: [file.txt]", ctx({ changes: ["README.md"] })), false);
  assert.equal(inc("- changes: {paths: [file.txt]}", ctx({ changes: ["file.txt"] })), true);
  // 'when compare_to: is invalid' raises (the caller prefixes "include:")
  assert.deepEqual(
    rules("- changes: {paths: [file.txt], compare_to: invalid}", "always", ctx({ compareTo: () => "invalid" })).errors,
    ["rules:changes:compare_to is not a valid ref"],
  );
});

// ---------------------------------------------------------------------------------------------
// only/except refs — spec/lib/gitlab/ci/build/policy/refs_spec.rb '#satisfied_by?'
// ---------------------------------------------------------------------------------------------

test("refs_spec.rb: refs, tags, paths, sources, regular expressions", () => {
  const master = situation();
  // 'when matching ref'
  assert.equal(included("only: [master, deploy]", master), true);
  assert.equal(included("only: [feature, fix]", master), false);
  // 'when matching tags'
  const tag = situation({ ref: { kind: "tag", name: "feature" } });
  assert.equal(included("only: [master, tags]", tag), true);
  assert.equal(included("only: [master, tags]", situation({ ref: { kind: "branch", name: "feature" } })), false);
  // 'when also matching a path'
  assert.equal(included("only: [master@group/project]", master), true);
  assert.equal(included("only: [master@some/fork/repository]", master), false);
  // 'when matching a source'
  assert.equal(included("only: [pushes]", master), true);
  assert.equal(included("only: [triggers]", master), false);
  // 'when source is merge_request_event'
  const mr = situation({ source: "merge_request_event", mergeRequest: MR });
  assert.equal(included("only: [merge_requests]", mr), true);
  assert.equal(included("only: [merge_request_events]", mr), false);
  // 'when source is external_pull_request_event'
  const epr = situation({ source: "external_pull_request_event" });
  assert.equal(included("only: [external_pull_requests]", epr), true);
  assert.equal(included("only: [external_pull_request_events]", epr), false);
  // 'when source is pipeline', 'when source is parent_pipeline': plural and singular
  assert.equal(included("only: [pipelines]", situation({ source: "pipeline" })), true);
  assert.equal(included("only: [pipeline]", situation({ source: "pipeline" })), true);
  assert.equal(included("only: [parent_pipelines]", situation({ source: "parent_pipeline" })), true);
  assert.equal(included("only: [parent_pipeline]", situation({ source: "parent_pipeline" })), true);
  // 'when matching a ref by a regular expression'
  const docs = situation({ ref: { kind: "branch", name: "docs-something" } });
  assert.equal(included("only: ['/docs-.*/']", docs), true);
  assert.equal(included("only: ['/DOCS-.*/i']", docs), true);
  assert.equal(included("only: ['/fix-.*/']", docs), false);
  // 'when unsafe regexp is used' / 'ignores invalid regexp' (RE2 has no lookahead)
  assert.equal(included("only: ['/^(?!master).+/']", docs), false);
});

test("refs.rb: ref names and regular expressions only in branch and tag pipelines", () => {
  // matches_single_ref?: "the pattern matching does not work for merge requests pipelines"
  const mr = situation({ source: "merge_request_event", mergeRequest: MR, ref: { kind: "branch", name: "feature" } });
  assert.equal(refMatches("feature", mr), false);
  assert.equal(refMatches("/feat/", mr), false);
  assert.equal(refMatches("branches", mr), false);
  // nor in a child pipeline of a merge request pipeline (merge_request? holds there too)
  const child = situation({ source: "parent_pipeline", mergeRequest: MR });
  assert.equal(refMatches("branches", child), false);
  assert.equal(refMatches("parent_pipelines", child), true);
  // sources other than the specs' table: chat(s), schedules, web, api, triggers
  assert.equal(refMatches("chats", situation({ source: "chat" })), true);
  assert.equal(refMatches("chat", situation({ source: "chat" })), true);
  assert.equal(refMatches("schedules", situation({ source: "schedule" })), true);
  // an external pull request is not `merge_requests` (refs.rb compares with external_merge_request, no source)
  assert.equal(refMatches("merge_requests", situation({ source: "external_pull_request_event" })), false);
  // `pattern@`: the text after the first `@` is the project path
  assert.equal(refMatches("master@", situation()), false);
});

// ---------------------------------------------------------------------------------------------
// Seed::Build inclusion — spec/lib/gitlab/ci/pipeline/seed/build_spec.rb 'applying job inclusion policies'
// (the pipeline: ref master, a branch push, project group/project)
// ---------------------------------------------------------------------------------------------

test("seed/build_spec.rb 'applying job inclusion policies'", () => {
  // 'when no branch policy is specified' (a branch pipeline: the default only holds)
  assert.equal(included("script: x"), true);
  const three = (onlyRefs: string, only: boolean, except: boolean, both: boolean) => {
    assert.equal(included(`only: {refs: ${onlyRefs}}`), only, `only ${onlyRefs}`);
    assert.equal(included(`except: {refs: ${onlyRefs}}`), except, `except ${onlyRefs}`);
    assert.equal(included(`only: {refs: ${onlyRefs}}\nexcept: {refs: ${onlyRefs}}`), both, `both ${onlyRefs}`);
  };
  three("[deploy]", false, true, false); // 'when branch policy does not match'
  three("['/^deploy$/']", false, true, false); // 'when branch regexp policy does not match'
  three("[deploy, master]", true, false, false); // 'when branch policy matches'
  three("[branches]", true, false, false); // 'when keyword policy matches'
  three("[tags]", false, true, false); // 'when keyword policy does not match'
  three("['branches@group/project']", true, false, false); // 'when repository path matches'
  three("['branches@fork']", false, true, false); // 'when repository path does not match'
});

test("seed/build_spec.rb 'with source-keyword policy': matches and non-matches", () => {
  const sources: Array<[string, Situation["source"]]> = [
    ["pushes", "push"],
    ["web", "web"],
    ["triggers", "trigger"],
    ["schedules", "schedule"],
    ["api", "api"],
  ];
  const deploy = (source: Situation["source"]) => situation({ source, ref: { kind: "branch", name: "deploy" } });
  for (const [keyword, source] of sources) {
    assert.equal(included(`only: {refs: [${keyword}]}`, deploy(source)), true, `${keyword} ${source}`);
    assert.equal(included(`except: {refs: [${keyword}]}`, deploy(source)), false, `${keyword} ${source}`);
    for (const [, other] of sources.filter(([k]) => k !== keyword))
      assert.equal(included(`only: {refs: [${keyword}]}`, deploy(other)), false, `${keyword} ${other}`);
  }
});

// ---------------------------------------------------------------------------------------------
// The default only — lib/gitlab/ci/config/entry/policy.rb (Policy#value deep-merges DEFAULT_ONLY),
// lib/gitlab/ci/config/entry/processable.rb#compose! (dropped with rules or workflow:rules)
// ---------------------------------------------------------------------------------------------

test("the default only: [branches, tags], and when it goes", () => {
  const mr = situation({ source: "merge_request_event", mergeRequest: MR });
  const tag = situation({ ref: { kind: "tag", name: "v1" } });
  // no only/except: branches and tags, not merge request pipelines
  assert.equal(included("script: x", situation()), true);
  assert.equal(included("script: x", tag), true);
  assert.equal(included("script: x", mr), false);
  // with workflow:rules the default is dropped: the job runs in the merge request pipeline
  assert.equal(included("script: x", mr, true), true);
  // a hash without refs keeps the default refs under it (only:variables alone is not enough for an MR)
  const yes = ctx({ variables: vars({ RUN: "yes" }) });
  assert.equal(included("only: {variables: [$RUN]}", mr, false, yes), false);
  assert.equal(included("only: {variables: [$RUN]}", situation(), false, yes), true);
  // ... even with workflow:rules, when only is written
  assert.equal(included("only: {variables: [$RUN]}", mr, true, yes), false);
  // written refs replace the default
  assert.equal(included("only: [merge_requests]", mr), true);
  // except alone keeps the default only (without workflow:rules) and drops it with them
  assert.equal(included("except: [main]", mr), false);
  assert.equal(included("except: [main]", mr, true), true);
  // a job with rules: only/except do not apply
  assert.equal(included("rules: [{when: never}]", mr), true);
});

test("onlyExceptDecision says which entry decided", () => {
  const decide = (text: string, s: Situation = situation()) =>
    onlyExceptDecision(yaml(text) as CMap, false, { situation: s, ctx: ctx() });
  const onlyList = yaml("only: [deploy]") as CMap;
  const d1 = onlyExceptDecision(onlyList, false, { situation: situation(), ctx: ctx() });
  assert.deepEqual(
    [d1.included, d1.decidedBy, d1.reason],
    [false, onlyList.entries.get("only")!.value, "only:refs did not match"],
  );
  const d2 = decide("except: [feature, master]");
  assert.deepEqual(
    [d2.included, d2.decidedBy && toJS(d2.decidedBy), d2.reason],
    [false, "master", "except:refs matched"],
  );
  const d3 = decide("script: x", situation({ source: "merge_request_event", mergeRequest: MR }));
  assert.deepEqual(
    [d3.included, d3.decidedBy, d3.reason],
    [false, undefined, "the default only: [branches, tags] did not match"],
  );
  const d4 = decide("only: [tags, master]");
  assert.deepEqual([d4.included, d4.decidedBy && toJS(d4.decidedBy)], [true, "master"]);
});

// ---------------------------------------------------------------------------------------------
// only/except variables — spec/lib/gitlab/ci/build/policy/variables_spec.rb '#satisfied_by?'
// ---------------------------------------------------------------------------------------------

test("variables_spec.rb: any expression truthful", () => {
  const c = ctx({
    variables: vars({ CI_PROJECT_ID: "1", CI_PROJECT_NAME: "", MY_VARIABLE: "my-var", CI_PIPELINE_SOURCE: "push" }),
  });
  const only = (list: string) => included(`only: {variables: ${list}}`, situation(), false, c);
  assert.equal(only("[$CI_PROJECT_ID, $UNDEFINED]"), true); // 'is satisfied by at least one matching statement'
  assert.equal(only("[$MY_VARIABLE]"), true); // 'is satisfied by a matching pipeline variable'
  assert.equal(only("[$CI_PROJECT_NAME]"), false); // 'is not satisfied by an overridden empty variable'
  assert.equal(only(`['$CI_PIPELINE_SOURCE == "push"']`), true); // 'is satisfied by a truthy pipeline expression'
  assert.equal(only(`['$CI_PIPELINE_SOURCE == "invalid source"']`), false); // '... falsy pipeline expression'
  assert.equal(only("['$UNDEFINED == null']"), true); // 'is satisfied by a truthy expression using undefined variable'
  assert.equal(only("[$UNDEFINED]"), false); // 'is not satisfied by a falsy expression using undefined variable'
  // Seed::Build#none_of_except?: except excludes when any of its keys holds
  assert.equal(included("except: {refs: [tags], variables: [$MY_VARIABLE]}", situation(), false, c), false);
});

// ---------------------------------------------------------------------------------------------
// only/except changes — spec/lib/gitlab/ci/build/policy/changes_spec.rb; kubernetes —
// spec/lib/gitlab/ci/build/policy/kubernetes_spec.rb (has_kubernetes_active?)
// ---------------------------------------------------------------------------------------------

test("policy changes_spec.rb 'paths matching' and kubernetes", () => {
  const c = ctx({ changes: ["some/modified/ruby/file.rb", "some/other_file.txt", "some/.dir/file"] });
  const only = (globs: string) => included(`only: {changes: ${globs}}`, situation(), false, c);
  assert.equal(only("[some/other_file.txt]"), true); // 'is satisfied by matching literal path'
  assert.equal(only("['some/*.txt']"), true); // 'is satisfied by matching simple pattern'
  assert.equal(only("['some/**/*.rb']"), true); // 'is satisfied by matching recusive pattern'
  assert.equal(only("['some/*/file']"), true); // 'is satisfied by matching a pattern with a dot'
  assert.equal(only("['some/**/*.{rb,txt}']"), true); // 'is satisfied by matching a pattern with a glob'
  assert.equal(only("['some/*.rb']"), false); // 'is not satisfied when pattern does not match path'
  assert.equal(only("['invalid/*.md']"), false); // 'is not satisfied when pattern does not match'
  assert.equal(only("['invalid/*.{md,rake}']"), false); // 'is not satified when pattern with glob does not match'
  // 'when modified paths can not be evaluated' → 'is always satisfied'
  assert.equal(included("only: {changes: ['invalid/*']}", situation(), false, ctx()), true);
  // kubernetes: active holds only when the project has an active platform
  const k = (active: boolean | undefined) =>
    onlyExceptDecision(yaml("only: {kubernetes: active}") as CMap, false, {
      situation: situation(),
      ctx: ctx(),
      kubernetesActive: active,
    });
  assert.equal(k(true).included, true);
  assert.equal(k(false).included, false);
  assert.deepEqual(k(undefined).unknowns, ["whether Kubernetes is active is unknown; taken as not active"]);
});

// ---------------------------------------------------------------------------------------------
// rules:changes — spec/lib/gitlab/ci/build/rules/rule/clause/changes_spec.rb '#satisfied_by?'
// ---------------------------------------------------------------------------------------------

test("changes_spec.rb 'a glob matching rule' table", () => {
  const table: Array<[string, string[], boolean]> = [
    ["Dockerfile", ["Dockerfile", "Gemfile"], true], // 'exact top-level match'
    ["Dockerfile", ["Gemfile"], false], // 'exact top-level no match'
    ["Docker*", ["Dockerfile", "Gemfile"], true], // 'pattern top-level match'
    ["Docker*", ["Gemfile"], false], // 'pattern top-level no match'
    ["project/build.properties", ["project/build.properties"], true], // 'exact nested match'
    ["project/build.properties", ["project/README.md"], false], // 'exact nested no match'
    ["src/**/*.go", ["src/gitlab.com/goproject/goproject.go"], true], // 'pattern nested match'
    ["src/**/*.go", ["src/gitlab.com/goproject/README.md"], false], // 'pattern nested no match'
    ["*.go", ["main.go", "cmd/goproject/main.go"], true], // 'ext top-level match'
    ["*.go", ["cmd/goproject/main.go"], false], // 'ext nested no match'
    ["/*.go", ["main.go", "cmd/goproject/main.go"], false], // 'ext slash no match'
  ];
  for (const [glob, changes, expected] of table) {
    assert.equal(satisfied(changesClause(yaml(`paths: ['${glob}']`), ctx({ changes }))), expected, glob);
    assert.equal(satisfied(changesClause(yaml(`['${glob}']`), ctx({ changes }))), expected, `list ${glob}`);
  }
});

test("changes_spec.rb: no diff, empty lists, variable expansion", () => {
  // 'when pipeline is nil' (no diff), with no paths at all → true
  assert.equal(satisfied(changesClause(yaml("paths: []"), ctx())), true);
  // an empty diff is false; no pattern with a diff is false (changes.rb)
  assert.equal(satisfied(changesClause(yaml("['**/*']"), ctx({ changes: [] }))), false);
  assert.equal(satisfied(changesClause(yaml("[]"), ctx({ changes: ["a"] }))), false);
  // 'when using variable expansion': 'when modified paths are nil' → true
  const helm = yaml("paths: ['$HELM_DIR/**/*']");
  assert.equal(satisfied(changesClause(helm, ctx())), true);
  // 'when context has the specified variables'
  assert.equal(
    satisfied(changesClause(helm, ctx({ changes: ["helm/test.txt"], variables: vars({ HELM_DIR: "helm" }) }))),
    true,
  );
  // 'when the variable is nested': HELM_DIR is he$SUFFIX, expanded before the pattern is
  const nested = vars({ HELM_DIR: "he$SUFFIX", SUFFIX: "lm" });
  assert.equal(satisfied(changesClause(helm, ctx({ changes: ["helm/test.txt"], variables: nested }))), true);
  // 'when variable expansion does not match': the unknown $in stays literal and matches a `$` path
  const literal = yaml("paths: ['path/with/$in/it/*']");
  assert.equal(satisfied(changesClause(literal, ctx({ changes: ["path/with/$in/it/file.txt"] }))), true);
});

test("changes_spec.rb 'when using compare_to'", () => {
  // the repository of the spec: feature_1 adds file1.txt then (tag_1 after file1) file2.txt; feature_2
  // updates file2.txt. The diffs from each merge base, as the host would compute them:
  const diffs: Record<string, Record<string, string[]>> = {
    feature_1: { master: ["file1.txt", "file2.txt"], tag_1: ["file2.txt"] },
    feature_2: { master: ["file1.txt", "file2.txt"], feature_1: ["file2.txt"], tag_1: ["file2.txt"] },
  };
  const table: Array<[string, string, string, boolean]> = [
    ["feature_1", "master", "file1.txt", true],
    ["feature_1", "master", "README.md", false],
    ["feature_1", "master", "xyz.md", false],
    ["feature_2", "master", "file1.txt", true],
    ["feature_2", "master", "file2.txt", true],
    ["feature_2", "feature_1", "file1.txt", false],
    ["feature_2", "feature_1", "file2.txt", true],
    ["feature_1", "tag_1", "file1.txt", false],
    ["feature_1", "tag_1", "file2.txt", true],
    ["feature_2", "tag_1", "file2.txt", true],
  ];
  const host = (ref: string) => (to: string) => diffs[ref][to] ?? ("invalid" as const);
  for (const [ref, compareTo, path, expected] of table) {
    const clause = yaml(`paths: [${path}]\ncompare_to: ${compareTo}`);
    assert.equal(
      satisfied(changesClause(clause, ctx({ compareTo: host(ref) }))),
      expected,
      `${ref} ${compareTo} ${path}`,
    );
  }
  // 'when compare_to is not a valid ref' → ParseError
  assert.equal(
    satisfied(changesClause(yaml("paths: [file1.txt]\ncompare_to: xyz"), ctx({ compareTo: host("feature_2") }))),
    "rules:changes:compare_to is not a valid ref",
  );
  // 'when using variable expansion', also nested: compare_to is expanded like the paths
  const prefix = vars({ FEATURE_BRANCH_NAME_PREFIX: "feature_" });
  const c = (v: Map<string, string>) => ctx({ variables: v, compareTo: host("feature_2") });
  assert.equal(
    satisfied(changesClause(yaml("paths: [file2.txt]\ncompare_to: '${FEATURE_BRANCH_NAME_PREFIX}1'"), c(prefix))),
    true,
  );
  const nested = vars({ FEATURE_BRANCH_NAME_PREFIX: "feature_", NESTED_REF_VAR: "${FEATURE_BRANCH_NAME_PREFIX}1" });
  assert.equal(satisfied(changesClause(yaml("paths: [file2.txt]\ncompare_to: $NESTED_REF_VAR"), c(nested))), true);
  // compare_to works without a push diff too; with no host to diff, it is assumed true and said so
  assert.deepEqual(changesClause(yaml("paths: [a]\ncompare_to: main"), ctx()), {
    satisfied: true,
    unknown: "the paths changed since `main` (compare_to) are unknown",
  });
});

test("changes.rb: duplicates, and the 50,000 comparisons limit", () => {
  const many = Array.from({ length: 25_001 }, (_, i) => `f${i}.txt`);
  // 25,001 paths × 2 patterns > 50,000: true without matching
  assert.equal(satisfied(changesClause(yaml("[nope.md, no.md]"), ctx({ changes: many }))), true);
  // duplicates are removed before counting: 25,001 × 1 stays under the limit, and nothing matches
  assert.equal(satisfied(changesClause(yaml("[nope.md, nope.md]"), ctx({ changes: many }))), false);
  // ... also once expanded: $DIR/x.md and docs/x.md are the same pattern
  assert.equal(
    satisfied(
      changesClause(yaml("['$DIR/x.md', docs/x.md]"), ctx({ changes: many, variables: vars({ DIR: "docs" }) })),
    ),
    false,
  );
});

test("seed/build_spec.rb 'with a matching changes: rule' tables", () => {
  const c = ctx({ changes: ["app/models/ci/pipeline.rb", "spec/models/ci/pipeline_spec.rb", ".gitlab-ci.yml"] });
  for (const paths of [
    "['*/**/*.rb']",
    "[app/models/ci/pipeline.rb]",
    "['spec/**/*.rb']",
    "['*.yml']",
    "['.*.yml']",
    "['**/*']",
    "['*/**/*.rb', '*.yml']",
    "['.*.yml', '**/*']",
  ]) {
    // 'with an explicit `when: never`', 'with an explicit `when: always`', 'without an explicit when: value'
    assert.equal(
      rules(
        `- {changes: {paths: ${paths}}, when: never}\n- {changes: {paths: ${paths}}, when: always}`,
        "on_success",
        c,
      ).when,
      "never",
    );
    assert.equal(
      rules(
        `- {changes: {paths: ${paths}}, when: always}\n- {changes: {paths: ${paths}}, when: never}`,
        "on_success",
        c,
      ).when,
      "always",
    );
    assert.equal(rules(`- changes: {paths: ${paths}}`, "on_success", c).when, "on_success");
  }
});

// ---------------------------------------------------------------------------------------------
// rules:exists — spec/lib/gitlab/ci/build/rules/rule/clause/exists_spec.rb and the shared example
// 'a glob matching rule' (spec/support/shared_examples/ci/...)
// ---------------------------------------------------------------------------------------------

test("exists: 'a glob matching rule' shared examples", () => {
  const table: Array<[string, string[], boolean]> = [
    ["Dockerfile", ["Dockerfile", "Gemfile"], true], // 'exact top-level match'
    ["Dockerfile", ["Gemfile"], false], // 'exact top-level no match'
    ["Docker*", ["Dockerfile", "Gemfile"], true], // 'pattern top-level match'
    ["Docker*", ["Gemfile"], false], // 'pattern top-level no match'
    ["project/build.properties", ["project/build.properties"], true], // 'exact nested match'
    ["project/build.properties", ["project/README.md"], false], // 'exact nested no match'
    ["src/**/*.go", ["src/gitlab.com/goproject/goproject.go"], true], // 'pattern nested match'
    ["src/**/*.go", ["src/gitlab.com/goproject/README.md"], false], // 'pattern nested no match'
    ["*.go", ["main.go", "cmd/goproject/main.go"], true], // 'ext top-level match'
    ["**/*.so.1", ["lib/lib64/lib.so.1"], true], // 'multi ext nested match'
    ["*.go", ["cmd/goproject/main.go"], false], // 'ext nested no match'
    ["/*.go", ["main.go", "cmd/goproject/main.go"], false], // 'ext slash no match'
    ["**/*.xcodeproj/*", ["a.xcodeproj/x.pbxproj"], true], // 'dir with dot match'
    ["**/*.xcodeproj/*", ["main/x.pbxproj"], false], // 'dir with dot no match'
    ["*.xcodeproj/*", ["a.xcodeproj/x.pbxproj"], true], // 'top dir with dot match'
    ["*.xcodeproj/*", ["main/x.pbxproj"], false], // 'top dir with dot no match'
    ["**/*.y*ml", ["hello/world.yml"], true], // 'ext with glob match 1'
    ["**/*.y*ml", ["hello/world.yaml"], true], // 'ext with glob match 2'
  ];
  for (const [glob, files, expected] of table) {
    assert.equal(satisfied(existsClause(yaml(`['${glob}']`), ctx({ files }))), expected, glob);
    assert.equal(satisfied(existsClause(yaml(`paths: ['${glob}']`), ctx({ files }))), expected, `paths ${glob}`);
  }
});

test("exists_spec.rb: no globs, variables in paths, the comparisons limit", () => {
  const files = ["subdir/my_file.txt", "README.md"];
  const v = vars({
    SUBDIR: "subdir",
    FILE_TXT: "file.txt",
    FULL_PATH_VALID: "subdir/my_file.txt",
    FULL_PATH_INVALID: "subdir/does_not_exist.txt",
    NESTED_FULL_PATH_VALID: "$SUBDIR/my_file.txt",
  });
  const c = ctx({ files, variables: v });
  // 'when there are no globs' → falsey, before anything is listed (even with no file list)
  assert.equal(satisfied(existsClause(yaml("[]"), ctx())), false);
  // 'when a file path is in a variable': matches, does not match, nested and matches
  assert.equal(satisfied(existsClause(yaml("[$FULL_PATH_VALID]"), c)), true);
  assert.equal(satisfied(existsClause(yaml("[$FULL_PATH_INVALID]"), c)), false);
  assert.equal(satisfied(existsClause(yaml("[$NESTED_FULL_PATH_VALID]"), c)), true);
  // 'when a file path has a variable': $SUBDIR/**/* matches, $UNKNOWN/**/* does not
  assert.equal(satisfied(existsClause(yaml("['$SUBDIR/**/*']"), c)), true);
  assert.equal(satisfied(existsClause(yaml("['$UNKNOWN/**/*']"), c)), false);
  // 'when the pattern comparision limit is reached' → truthy (50,001 files × 1 wildcard pattern)
  const many = Array.from({ length: 50_001 }, (_, i) => `d/f${i}`);
  assert.equal(satisfied(existsClause(yaml("['**/*definitely_not_a_matching_glob*']"), ctx({ files: many }))), true);
  // ... counted over the top-level files only when no pattern has `/` or `**` (50,001 nested files, none listed)
  assert.equal(satisfied(existsClause(yaml("['*definitely_not_a_matching_glob*']"), ctx({ files: many }))), false);
});

test("exists_spec.rb 'when rules:exists:project is provided'", () => {
  const other = (project: string, ref: string | undefined) => {
    if (project !== "group/other") return "no-project" as const;
    if (ref === undefined) return ["file.txt"];
    return ref === "new_branch"
      ? ["file.txt", "file_on_new_branch.txt"]
      : ref === "abc123"
        ? ["file.txt"]
        : ("no-ref" as const);
  };
  const c = ctx({
    projectFiles: other,
    variables: vars({ FILE_TXT: "file.txt", SUBDIR: "subdir", NEW_BRANCH: "new_branch" }),
  });
  const ex = (text: string) => satisfied(existsClause(yaml(text), c));
  assert.equal(ex("{paths: [file.txt], project: group/other}"), true); // 'when the user has access to the project'
  assert.equal(ex("{paths: [file_does_not_exist.txt], project: group/other}"), false); // 'when the file does not exist'
  assert.equal(ex("{paths: [$FILE_TXT], project: group/other}"), true); // 'when the project path contains a variable'
  // 'when the project path is invalid' (and with a variable in it)
  assert.equal(
    ex("{paths: [file.txt], project: invalid/path}"),
    "rules:exists:project `invalid/path` not found or access denied",
  );
  assert.equal(
    ex("{paths: [file.txt], project: invalid/path/$SUBDIR}"),
    "rules:exists:project `invalid/path/subdir` not found or access denied",
  );
  // 'with ref:': on the branch, not at an older sha, the ref from a variable, an invalid ref
  assert.equal(ex("{paths: [file_on_new_branch.txt], project: group/other, ref: new_branch}"), true);
  assert.equal(ex("{paths: [file_on_new_branch.txt], project: group/other, ref: abc123}"), false);
  assert.equal(ex("{paths: [file_on_new_branch.txt], project: group/other, ref: $NEW_BRANCH}"), true);
  assert.equal(
    ex("{paths: [file.txt], project: group/other, ref: invalid/ref/$NEW_BRANCH}"),
    "rules:exists:ref `invalid/ref/new_branch` is not a valid ref in project `group/other`",
  );
});

test("exists.rb: a trailing slash asks for a folder; unknown files are assumed to exist", () => {
  // gitlab-org/gitlab#630776's layout: docs/ exists whatever the other files are; doc/ does not
  const files = [
    ".gitlab-ci.yml",
    "Cargo.toml",
    "README.md",
    "a.txt",
    "b.txt",
    "c.txt",
    "docs/guide.md",
    "src/main.rs",
    "z.txt",
  ];
  assert.equal(satisfied(existsClause(yaml("[docs/]"), ctx({ files }))), true);
  assert.equal(satisfied(existsClause(yaml("[src/]"), ctx({ files }))), true);
  assert.equal(satisfied(existsClause(yaml("[doc/]"), ctx({ files }))), false);
  // an extension glob also matches at the top level (path.end_with?)
  assert.equal(satisfied(existsClause(yaml("['**/*.toml']"), ctx({ files }))), true);
  // one string is a list of one (SimpleExists)
  assert.equal(satisfied(existsClause(yaml("Cargo.toml"), ctx({ files }))), true);
  // no file list: assumed true, and said so
  assert.deepEqual(existsClause(yaml("[Dockerfile]"), ctx()), {
    satisfied: true,
    unknown: "the files of the commit are unknown",
  });
  // which a matched rule reports
  assert.deepEqual(rules("- exists: [Dockerfile]"), {
    when: "on_success",
    rule: 0,
    unknowns: ["the files of the commit are unknown"],
  });
});

// ---------------------------------------------------------------------------------------------
// Pattern expansion — spec/lib/expand_variables_spec.rb '#expand_existing',
// spec/lib/gitlab/ci/variables/collection_spec.rb '#sort_and_expand_all'
// ---------------------------------------------------------------------------------------------

test("expand_variables_spec.rb '#expand_existing'", () => {
  const v = vars({ variable: "value", variable2: "result" });
  assert.equal(expandExisting("key", v), "key"); // 'no expansion'
  assert.equal(expandExisting("key$variable", v), "keyvalue"); // 'simple expansion'
  assert.equal(expandExisting("key${variable}", v), "keyvalue"); // 'complex expansion'
  assert.equal(expandExisting("key%variable%", v), "keyvalue"); // 'expansion using %'
  assert.equal(expandExisting("key$variable$variable2", v), "keyvalueresult"); // 'multiple simple expansions'
  assert.equal(expandExisting("key${variable2}${variable}", v), "keyresultvalue"); // 'out-of-order complex expansion'
  // 'nested expansion is not expanded' (one pass)
  const nested = vars({ variable: "value", variable2: "$variable3", variable3: "result" });
  assert.equal(expandExisting("key$variable$variable2", nested), "keyvalue$variable3");
  // 'with missing variables'
  assert.equal(expandExisting("key$variable", vars()), "key$variable");
  assert.equal(expandExisting("key${variable}${variable2}", vars({ variable: "value" })), "keyvalue${variable2}");
  assert.equal(expandExisting("key%variable%%variable2%", vars({ variable: "value" })), "keyvalue%variable2%");
  // the clauses expand against the sorted and expanded variables, so nesting resolves there
  assert.equal(expandPattern("key$variable$variable2", nested), "keyvalueresult");
});

test("collection_spec.rb '#sort_and_expand_all' (keep_undefined: false)", () => {
  const all = (record: Record<string, string>) => Object.fromEntries(sortAndExpandAll(vars(record)));
  // 'simple expansions'
  assert.deepEqual(
    all({
      variable: "value",
      variable2: "result",
      variable3: "key$variable$variable2",
      variable4: "key$variable$variable3",
    }),
    { variable: "value", variable2: "result", variable3: "keyvalueresult", variable4: "keyvaluekeyvalueresult" },
  );
  // 'out-of-order expansion'
  assert.deepEqual(all({ variable3: "key$variable2$variable", variable: "value", variable2: "result" }), {
    variable3: "keyresultvalue",
    variable: "value",
    variable2: "result",
  });
  // 'escaped characters in complex expansions discarding undefined are kept intact'
  assert.deepEqual(all({ variable2: "key_${variable4}_$${HOME}_%%HOME%%", variable: "value_$${HOME}_%%HOME%%" }), {
    variable2: "key__$${HOME}_%%HOME%%",
    variable: "value_$${HOME}_%%HOME%%",
  });
  // 'missing variable discarding original'
  assert.deepEqual(all({ variable2: "key$variable" }), { variable2: "key" });
  // 'variable value referencing password with special characters'
  assert.deepEqual(all({ VAR: "$PASSWORD", PASSWORD: "my_password$$_%%_$A", A: "value" }), {
    VAR: "my_password$$_%%_value",
    PASSWORD: "my_password$$_%%_value",
    A: "value",
  });
  // 'cyclic dependency causes original array to be returned'
  const cyclic = { variable: "$variable2", variable2: "$variable3", variable3: "key$variable$variable2" };
  assert.deepEqual(all(cyclic), cyclic);
});
