// spec/lib/gitlab/ci/config/entry/processable_spec.rb: what jobs and bridges share, for job `rspec`.
import { ci, type SpecCase } from "./types";

const PROCESSABLE = "spec/lib/gitlab/ci/config/entry/processable_spec.rb";

/** A config whose job `rspec` has these lines (indented under it), then the other lines. */
function rspec(body: string[], ...rest: string[]): Record<string, string> {
  return ci("rspec:", ...body.map((l) => `  ${l}`), ...rest);
}

/** processable_spec's `default:tags` table: default tags, job tags, `inherit:default`, the job's tags. */
const TAGS: Array<[string, string, string, string, string[] | undefined]> = [
  ["only local tags", "", "[a, b]", "", ["a", "b"]],
  ["only local tags", "", "[a, b]", "true", ["a", "b"]],
  ["only local tags", "", "[a, b]", "false", ["a", "b"]],
  ["global and local tags", "[b, c]", "[a, b]", "", ["a", "b"]],
  ["global and local tags", "[b, c]", "[a, b]", "true", ["a", "b"]],
  ["global and local tags", "[b, c]", "[a, b]", "false", ["a", "b"]],
  ["only global tags", "[b, c]", "", "", ["b", "c"]],
  ["only global tags", "[b, c]", "", "true", ["b", "c"]],
  ["only global tags", "[b, c]", "", "false", undefined],
  ["only global tags", "[b, c]", "", "[image]", undefined],
  ["only global tags", "[b, c]", "", "[tags]", ["b", "c"]],
];

export const processableCases: SpecCase[] = [
  ...TAGS.map(([name, defaults, tags, inherit, result]): SpecCase => ({
    spec: PROCESSABLE,
    example:
      `#compose! › with inheritance › of default:tags › ${name} (default ` +
      `${defaults || "nil"}, tags ${tags || "nil"}, inherit:default ${inherit || "nil"})`,
    files: ci(
      ...(defaults ? [`default: {tags: ${defaults}}`] : []),
      "rspec:",
      "  script: ls",
      ...(tags ? [`  tags: ${tags}`] : []),
      ...(inherit ? [`  inherit: {default: ${inherit}}`] : []),
    ),
    expect: { job: "rspec", effective: { tags: result } },
  })),
  {
    spec: PROCESSABLE,
    example: "validations › when entry config value is correct › when job name is more than 255",
    difference: "a name longer than 255 characters is shown by its first 64 characters and …",
    files: ci(`${"a".repeat(256)}:`, "  script: echo"),
    expect: { error: `jobs:${"a".repeat(256)} name is too long (maximum is 255 characters)` },
  },
  {
    spec: PROCESSABLE,
    example: "validations › when entry value is not correct › when resource_group key is not a string",
    files: rspec(["script: echo", "resource_group: 123"]),
    expect: { error: "jobs:rspec resource group should be a string" },
  },
  {
    spec: PROCESSABLE,
    example: "validations › when entry value is not correct › when a variable has an invalid data attribute",
    files: rspec(["script: echo", "variables: {VAR1: val 1, VAR2: {value: val 2, description: hello var 2}}"]),
    expect: { error: "jobs:rspec:variables:var2 config uses invalid data keys: description" },
  },
  {
    spec: PROCESSABLE,
    example:
      "#compose! › when workflow rules is not used › when last " +
      "rule contains only `when` › and its value is not `never`",
    files: rspec(["script: ls", "rules: [{if: $CI_COMMIT_BRANCH, when: on_success}, {when: on_success}]"]),
    expect: { warning: "jobs:rspec may allow multiple pipelines to run for a single action" },
  },
  {
    spec: PROCESSABLE,
    example:
      "#compose! › when workflow rules is not used › when last rule contains only `when` › and its value is `never`",
    files: rspec(["script: ls", "rules: [{if: $CI_COMMIT_BRANCH, when: on_success}, {when: never}]"]),
    expect: { absent: "jobs:rspec may allow multiple pipelines" },
  },
  {
    spec: PROCESSABLE,
    example: "#compose! › when workflow rules is not used › when last rule does not contain only `when`",
    files: rspec([
      "script: ls",
      "rules: [{if: $CI_COMMIT_BRANCH, when: on_success}, {if: $CI_MERGE_REQUEST_ID, when: always}]",
    ]),
    expect: { absent: "jobs:rspec may allow multiple pipelines" },
  },
  {
    spec: PROCESSABLE,
    example: "#compose! › when workflow rules is used › when last rule contains only `when",
    files: rspec(
      ["script: ls", "rules: [{if: $CI_COMMIT_BRANCH, when: on_success}, {when: always}]"],
      "workflow: {rules: [{when: always}]}",
    ),
    expect: { absent: "jobs:rspec may allow multiple pipelines" },
  },
  ...["iOS", "review/$CI_COMMIT_REF_NAME"].map((group): SpecCase => ({
    spec: PROCESSABLE,
    example: `#compose! › with resource group › ${group}`,
    files: rspec(["script: ls", `resource_group: ${group}`]),
    expect: { job: "rspec", effective: { resource_group: group } },
  })),
];
