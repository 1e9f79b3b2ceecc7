// spec/lib/gitlab/ci/config/entry/rules/rule_spec.rb and rules_spec.rb: a rule of job `rspec`; GitLab names a
// rule's errors "jobs:rspec:rules:rule ..." and its changes/exists "jobs:rspec:rules:rule:changes ...".
import { ci, type SpecCase } from "./types";

const RULE = "spec/lib/gitlab/ci/config/entry/rules/rule_spec.rb";
const RULES = "spec/lib/gitlab/ci/config/entry/rules_spec.rb";

/** Job `rspec` with one rule, written in flow style. */
function rule(flow: string): Record<string, string> {
  return ci("rspec:", "  script: echo", `  rules: [${flow}]`);
}

const AT = "jobs:rspec:rules:rule";

export const rulesCases: SpecCase[] = [
  {
    spec: RULE,
    example: ".new › with a when: value but no clauses",
    files: rule("{when: manual}"),
    expect: { valid: true },
  },
  {
    spec: RULE,
    example: ".new › with an allow_failure: value but no clauses",
    files: rule("{allow_failure: true}"),
    expect: { valid: true },
  },
  {
    spec: RULE,
    example: ".new › with an interruptible: value but no clauses",
    files: rule("{interruptible: true}"),
    expect: { valid: true },
  },
  {
    spec: RULE,
    example: ".new › when specifying an if: clause",
    files: rule("{if: '$THIS || $THAT', when: manual, allow_failure: true, interruptible: true}"),
    expect: { valid: true },
  },
  {
    spec: RULE,
    example: ".new › using a list of multiple expressions",
    files: rule(`{if: ['$MY_VAR == "this"', '$YOUR_VAR == "that"']}`),
    expect: { error: `${AT} if invalid expression syntax` },
  },
  {
    spec: RULE,
    example: ".new › when specifying an invalid if: clause expression",
    files: rule("{if: '$MY_VAR =='}"),
    expect: { error: `${AT} if invalid expression syntax` },
  },
  {
    spec: RULE,
    example: ".new › when specifying an if: clause expression with an invalid token",
    files: rule("{if: '$MY_VAR == 123'}"),
    expect: { error: `${AT} if invalid expression syntax` },
  },
  {
    spec: RULE,
    example: ".new › when using invalid regex in an if: clause",
    files: rule("{if: '$MY_VAR =~ /some ( thing/'}"),
    expect: { error: `${AT} if invalid expression syntax` },
  },
  {
    spec: RULE,
    example: '.new › when using an if: clause with lookahead regex character "?"',
    files: rule("{if: '$CI_COMMIT_REF =~ /^(?!master).+/'}"),
    expect: { error: `${AT} if invalid expression syntax` },
  },
  {
    spec: RULE,
    example: ".new › when using a changes: clause",
    files: rule("{changes: [app/, lib/, spec/, other/*, paths/**/*.rb]}"),
    expect: { valid: true },
  },
  {
    spec: RULE,
    example: ".new › when using a string as an invalid changes: clause",
    files: rule("{changes: a regular string}"),
    expect: { error: `${AT}:changes should be an array or a hash` },
  },
  {
    spec: RULE,
    example: ".new › when using a list as an invalid changes: clause",
    files: rule("{changes: [1, 2]}"),
    expect: { error: `${AT}:changes config should be an array of strings` },
  },
  {
    spec: RULE,
    example: ".new › when using a long list as an invalid changes: clause",
    files: rule(`{changes: [${Array(51).fill("app/").join(", ")}]}`),
    expect: { error: `${AT}:changes config has too many entries (maximum 50)` },
  },
  {
    spec: RULE,
    example: ".new › when specifying an exists: clause › with a string",
    difference:
      "GitLab's Exists entry still takes one string, with a TODO to remove it (gitlab issue 455040), while GitLab's " +
      "own JSON schema (its schema tests, our schema suite) rejects it: we follow the schema, a list is the form " +
      "that lasts",
    files: rule("{exists: paths/**/*.rb}"),
    expect: { valid: true },
  },
  {
    spec: RULE,
    example: ".new › when specifying an exists: clause › with a nil value",
    files: rule("{exists: null}"),
    expect: { valid: true },
  },
  {
    spec: RULE,
    example: ".new › when specifying an exists: clause › with an array › when empty array",
    files: rule("{exists: []}"),
    expect: { valid: true },
  },
  {
    spec: RULE,
    example: ".new › when specifying an exists: clause › with an array › when array contains integers",
    files: rule("{exists: [1, 2, 3]}"),
    expect: { error: `${AT}:exists config should be an array of strings` },
  },
  {
    spec: RULE,
    example: ".new › when specifying an exists: clause › with an array › when array has more items than MAX_PATHS",
    files: rule(`{exists: [${Array(51).fill("app/*").join(", ")}]}`),
    expect: { error: `${AT}:exists config has too many entries (maximum 50)` },
  },
  {
    spec: RULE,
    example: ".new › when specifying an exists: clause › with a hash › when empty hash",
    files: rule("{exists: {}}"),
    expect: { valid: true },
  },
  {
    spec: RULE,
    example: ".new › when specifying an exists: clause › with a hash › with paths: › with project: and ref:",
    files: rule("{exists: {paths: [this.md], project: path/to/project, ref: refs/heads/branch1}}"),
    expect: { valid: true },
  },
  {
    spec: RULE,
    example: ".new › specifying a delayed job",
    files: rule("{if: '$THIS || $THAT', when: delayed, start_in: 2 days}"),
    expect: { valid: true },
  },
  {
    spec: RULE,
    example: ".new › specifying a delayed job › without a when: key",
    files: rule("{if: '$THIS || $THAT', start_in: 15 minutes}"),
    expect: { error: `${AT} config contains disallowed keys: start_in` },
  },
  {
    spec: RULE,
    example: ".new › specifying a delayed job › without a start_in: key",
    files: rule("{if: '$THIS || $THAT', when: delayed}"),
    expect: { error: `${AT} start in can't be blank` },
  },
  {
    spec: RULE,
    example: ".new › specifying a delayed job › when start_in value is longer than a week",
    files: rule("{if: '$THIS || $THAT', when: delayed, start_in: 2 weeks}"),
    expect: { error: `${AT} start in should not exceed the limit` },
  },
  {
    spec: RULE,
    example: ".new › when specifying unknown policy",
    files: rule("{invalid: something}"),
    expect: { error: `${AT} config contains unknown keys: invalid` },
  },
  {
    spec: RULE,
    example: ".new › when clause is empty",
    files: rule("{}"),
    expect: { error: `${AT} config can't be blank` },
  },
  {
    spec: RULE,
    example: ".new › when policy strategy does not match",
    files: rule("string strategy"),
    expect: { error: "jobs:rspec rules should be an array containing hashes and arrays of hashes" },
  },
  {
    spec: RULE,
    example: ".new › when: validation › with an invalid boolean when:",
    files: rule(`{if: '$THIS == "that"', when: false}`),
    expect: { error: `${AT} when unknown value: false` },
  },
  {
    spec: RULE,
    example: ".new › when: validation › with an invalid string when:",
    files: rule(`{if: '$THIS == "that"', when: explode}`),
    expect: { error: `${AT} when unknown value: explode` },
  },
  {
    spec: RULE,
    example: ".new › when: validation › with an invalid when (workflow:rules allow always and never only)",
    files: ci("workflow:", `  rules: [{if: '$THIS == "that"', when: on_success}]`, "rspec: {script: echo}"),
    expect: { error: "workflow:rules:rule when unknown value: on_success" },
  },
  {
    spec: RULE,
    example: ".new › when: validation › with an invalid variables",
    files: rule(`{if: '$THIS == "that"', variables: hello}`),
    expect: { error: `${AT}:variables config should be a hash` },
  },
  {
    spec: RULE,
    example: ".new › when: validation › with an invalid auto_cancel (of a workflow rule)",
    files: ci(
      "workflow:",
      `  rules: [{if: '$THIS == "that"', auto_cancel: {on_new_commit: xyz}}]`,
      "rspec: {script: echo}",
    ),
    expect: {
      error: "workflow:rules:rule:auto_cancel on new commit must be one of: conservative, interruptible, none",
    },
  },
  {
    spec: RULE,
    example: ".new › allow_failure: validation › with an invalid string allow_failure:",
    files: rule(`{if: '$THIS == "that"', allow_failure: always}`),
    expect: { error: `${AT} allow failure should be a boolean value` },
  },
  {
    spec: RULE,
    example: ".new › interruptible: validation › with a boolean value",
    files: rule(`{if: '$THIS == "that"', interruptible: false}`),
    expect: { valid: true },
  },
  {
    spec: RULE,
    example: ".new › interruptible: validation › with a null value",
    files: rule(`{if: '$THIS == "that"', interruptible: null}`),
    expect: { valid: true },
  },
  {
    spec: RULE,
    example: ".new › interruptible: validation › with a string value",
    files: rule(`{if: '$THIS == "that"', interruptible: string}`),
    expect: { error: `${AT} interruptible should be a boolean value` },
  },
  {
    spec: RULE,
    example: "#value › when using a changes: clause › when using changes with paths and compare_to",
    files: rule("{changes: {paths: [app/, lib/], compare_to: branch1}}"),
    expect: { valid: true },
  },
  {
    spec: RULES,
    example: ".new › with a list of two rules",
    files: ci(
      "workflow:",
      "  rules:",
      `    - {if: '$THIS == "that"', when: always}`,
      "    - {if: $SKIP, when: never}",
      "rspec: {script: echo}",
    ),
    expect: { valid: true },
  },
  {
    spec: RULES,
    example: ".new › with a single rule object",
    files: ci("rspec:", "  script: echo", "  rules: {if: $SKIP, when: never}"),
    expect: { error: "jobs:rspec rules should be an array containing hashes and arrays of hashes" },
  },
  {
    spec: RULES,
    example: ".new › with rules nested more than one level",
    files: ci(
      "rspec:",
      "  script: echo",
      "  rules:",
      `    - {if: '$THIS == "that"', when: always}`,
      `    - [{if: $SKIP, when: never}, [{if: '$THIS == "other"', when: always}]]`,
    ),
    expect: { valid: true },
  },
  {
    spec: RULES,
    example: "#value › with rules nested more than one level",
    files: ci(
      "rspec:",
      "  script: echo",
      "  rules:",
      "    - {if: $A, when: always}",
      "    - [{if: $SKIP, when: never}, [{if: $B, when: always}]]",
    ),
    expect: {
      job: "rspec",
      effective: {
        rules: [
          { if: "$A", when: "always" },
          { if: "$SKIP", when: "never" },
          { if: "$B", when: "always" },
        ],
      },
    },
  },
];
