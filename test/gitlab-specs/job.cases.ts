// spec/lib/gitlab/ci/config/entry/job_spec.rb and processable_spec.rb: one job, named `rspec` as the specs
// name it; GitLab prefixes the entry's "job ..." messages with the job's place, "jobs:rspec ...".
import { ci, type SpecCase } from "./types";

const JOB = "spec/lib/gitlab/ci/config/entry/job_spec.rb";

/** A config whose job `rspec` has these lines (indented under it), then the other lines. */
function rspec(body: string[], ...rest: string[]): Record<string, string> {
  return ci("rspec:", ...body.map((l) => `  ${l}`), ...rest);
}

const DEEP_RULES = "[" + "{if: '$THIS == \"other\"', when: always}, [".repeat(11) + "{if: $X}" + "]".repeat(11) + "]";

export const jobCases: SpecCase[] = [
  {
    spec: JOB,
    example: "validations › when entry config value is correct › is valid",
    files: rspec(["script: rspec"]),
    expect: { valid: true },
  },
  {
    spec: JOB,
    example: 'validations › when entry config value is correct › when config uses both "when:" and "rules:"',
    files: rspec(["script: echo", "when: on_failure", "rules: [{if: $VARIABLE, when: on_success}]"]),
    expect: { valid: true },
  },
  {
    spec: JOB,
    example: "validations › when entry config value is correct › when delayed job › when start_in is specified",
    files: rspec(["script: echo", "when: delayed", "start_in: 1 week"]),
    expect: { valid: true },
  },
  {
    spec: JOB,
    example: "validations › when entry config value is correct › when has needs › when has dependencies",
    files: rspec(
      ["stage: test", "script: echo", "dependencies: [another-job]", "needs: [another-job]"],
      "another-job: {stage: build, script: echo}",
    ),
    expect: { valid: true },
  },
  {
    spec: JOB,
    example: "validations › when entry config value is correct › when has needs › when it is a release",
    files: rspec([
      'script: ["make changelog | tee release_changelog.txt"]',
      'release: {tag_name: "v0.06", name: "Release $CI_TAG_NAME", description: "./release_changelog.txt"}',
    ]),
    expect: { valid: true },
  },
  {
    spec: JOB,
    example: "validations › when entry config value is correct › when rules are used (nested lists)",
    files: rspec([
      "script: ls",
      "cache: {key: test}",
      "rules:",
      "  - {if: '$CI_PIPELINE_SOURCE == \"schedule\"', when: never}",
      "  - - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH",
      '    - if: $CI_PIPELINE_SOURCE == "merge_request_event"',
    ]),
    expect: { valid: true },
  },
  {
    spec: JOB,
    example: "validations › when entry value is not correct › when unknown keys detected",
    files: rspec(["script: rspec", "unknown: true"]),
    expect: { error: "jobs:rspec config contains unknown keys: unknown" },
  },
  ...["script", "before_script", "after_script"].map((key): SpecCase => ({
    spec: JOB,
    example: `validations › when entry value is not correct › when mutually exclusive keys are used with run › ${key}`,
    files: rspec([`${key}: rspec`, "run: [{name: step1, step: some reference}]"]),
    expect: { error: `jobs:rspec config these keys cannot be used together: ${key}, run` },
  })),
  ...(
    [
      [
        "when only step is used without name",
        "[{step: some reference}]",
        "run object at `/0` is missing required properties: name",
      ],
      [
        "when only script is used without name",
        "[{script: echo}]",
        "run object at `/0` is missing required properties: name",
      ],
      [
        "when step and script are used together",
        "[{name: step1, step: some reference, script: echo}]",
        "run object property at `/0/script` is a disallowed additional property",
      ],
      [
        "when a required subkey is missing",
        "[{name: step1}]",
        "run object at `/0` is missing required properties: step",
      ],
      [
        "when a subkey is invalid",
        "[{name: step1, step: some step, invalid_key: some value}]",
        "run object property at `/0/invalid_key` is a disallowed additional property",
      ],
      ["when run value is not an array", "invalid", "run value at root is not an array"],
      [
        "with invalid env value type",
        "[{name: step1, script: echo $MY_VAR, env: {MY_VAR: 123}}]",
        "run value at `/0/env/my_var` is not a string",
      ],
    ] as const
  ).map(([example, run, error]): SpecCase => ({
    spec: JOB,
    example: `validations › when entry value is not correct › when run value is invalid › ${example}`,
    files: rspec(["stage: build", `run: ${run}`]),
    expect: { error: `jobs:rspec ${error}` },
  })),
  {
    spec: JOB,
    example: "when composed › #value › when run keyword is used",
    files: rspec(["run: [{name: step1, step: some reference}, {name: step2, script: echo}]"]),
    expect: { valid: true },
  },
  {
    spec: JOB,
    example: "when composed › #value › when run keyword is used › with valid inputs",
    files: rspec(["stage: build", "run: [{name: step1, script: 'echo ${{env.MY_ENV}}', env: {MY_ENV: some value}}]"]),
    expect: { valid: true },
  },
  {
    spec: JOB,
    example:
      "validations › when entry value is not correct › when parallel " +
      "value is not correct › when it is not a numeric value",
    files: rspec(["script: echo", "parallel: true"]),
    expect: { error: "jobs:rspec:parallel should be an integer or a hash" },
  },
  {
    spec: JOB,
    example:
      "validations › when entry value is not correct › when parallel value is not correct › when it is lower than one",
    files: rspec(["script: echo", "parallel: 0"]),
    expect: { error: "jobs:rspec:parallel config must be greater than or equal to 1" },
  },
  {
    spec: JOB,
    example:
      "validations › when entry value is not correct › when parallel value is not correct › when it is an empty hash",
    files: rspec(["script: echo", "parallel: {}"]),
    expect: { error: "jobs:rspec:parallel config missing required keys: matrix" },
  },
  {
    spec: JOB,
    example: "validations › when entry value is not correct › when delayed job › when start_in is empty",
    files: rspec(["script: echo", "when: delayed", "start_in: null"]),
    expect: { error: "jobs:rspec start in should be a duration" },
  },
  {
    spec: JOB,
    example:
      "validations › when entry value is not correct › when delayed job › when start_in is not formatted as a duration",
    files: rspec(["script: echo", "when: delayed", "start_in: test"]),
    expect: { error: "jobs:rspec start in should be a duration" },
  },
  {
    spec: JOB,
    example: "validations › when entry value is not correct › when delayed job › when start_in is longer than one week",
    files: rspec(["script: echo", "when: delayed", "start_in: 8 days"]),
    expect: { error: "jobs:rspec start in should not exceed the limit" },
  },
  {
    spec: JOB,
    example:
      "validations › when entry value is not correct › when the `when` keyword is not a string › when it is an array",
    files: rspec(["script: exit 0", "when: [always]"]),
    expect: { error: "jobs:rspec when should be a string" },
  },
  {
    spec: JOB,
    example:
      "validations › when entry value is not correct › when the `when` keyword is not a string › when it is a boolean",
    files: rspec(["script: exit 0", "when: true"]),
    expect: { error: "jobs:rspec when should be a string" },
  },
  {
    spec: JOB,
    example: "validations › when entry value is not correct › when start_in specified without delayed specification",
    files: rspec(["script: echo", "start_in: 1 day"]),
    expect: { error: "jobs:rspec start in must be blank" },
  },
  {
    spec: JOB,
    example: "validations › ... › when the job has needs › and there are dependencies that are not included in needs",
    files: rspec(
      ["stage: test", "script: echo", "dependencies: [another-job]", "needs: [build-job]"],
      "another-job: {stage: build, script: echo}",
      "build-job: {stage: build, script: echo}",
    ),
    expect: { error: "jobs:rspec dependencies the another-job should be part of needs" },
  },
  {
    spec: JOB,
    example: "validations › ... › when the job has needs › ... › and they are only cross pipeline needs",
    files: rspec(["script: echo", "dependencies: [rspec]", "needs: [{job: rspec, pipeline: other}]"]),
    expect: { error: "jobs:rspec needs corresponding to dependencies must be from the same pipeline" },
  },
  {
    spec: JOB,
    example:
      "validations › when entry value is not correct › when timeout value " +
      "is not correct › when it is higher than instance wide timeout",
    files: rspec(["timeout: 3 months", "script: test"]),
    expect: { error: "jobs:rspec:timeout config should not exceed the limit" },
  },
  {
    spec: JOB,
    example:
      "validations › when entry value is not correct › when timeout value is not correct › when it is not a duration",
    files: rspec(["timeout: 100", "script: test"]),
    expect: { error: "jobs:rspec:timeout config should be a duration" },
  },
  {
    spec: JOB,
    example: "validations › when entry value is not correct › when timeout value is correct",
    files: rspec(["script: echo", "timeout: 1m 1s"]),
    expect: { valid: true },
  },
  {
    spec: JOB,
    example:
      "validations › when entry value is not correct › when it is a release › when `release:description` is missing",
    files: rspec([
      'script: ["make changelog | tee release_changelog.txt"]',
      'release: {tag_name: "v0.06", name: "Release $CI_TAG_NAME"}',
    ]),
    expect: { error: "jobs:rspec:release description can't be blank" },
  },
  {
    spec: JOB,
    example:
      "validations › when entry value is not correct › when invalid " +
      "rules are used › with rules nested more than max allowed levels",
    files: rspec(["script: ls", `rules: ${DEEP_RULES}`]),
    expect: { error: "jobs:rspec rules should be an array containing hashes and arrays of hashes" },
  },
  {
    spec: JOB,
    example:
      "validations › when entry value is not correct › when invalid rules are used › with rules with invalid keys",
    files: rspec([
      "script: ls",
      "rules:",
      "  - invalid_key: invalid",
      "  - - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH",
    ]),
    expect: { error: "jobs:rspec:rules:rule config contains unknown keys: invalid_key" },
  },
  {
    spec: JOB,
    example: "validations › when only: is used with rules:",
    files: rspec(["only: [merge_requests]", "rules: [{if: $THIS}]", "script: echo"]),
    expect: { error: "jobs:rspec config key may not be used with `rules`: only" },
  },
  {
    spec: JOB,
    example: "validations › when only: is used with rules: › and only: is blank",
    files: rspec(["only: null", "rules: [{if: $THIS}]", "script: echo"]),
    expect: { valid: true },
  },
  {
    spec: JOB,
    example: "validations › when only: is used with rules: › and rules: is blank",
    files: rspec(["only: [merge_requests]", "rules: null", "script: echo"]),
    expect: { valid: true },
  },
  {
    spec: JOB,
    example: "validations › when except: is used with rules:",
    files: rspec(["except: {refs: [master]}", "rules: [{if: $THIS}]", "script: echo"]),
    expect: { error: "jobs:rspec config key may not be used with `rules`: except" },
  },
  {
    spec: JOB,
    example: "validations › when except: is used with rules: › and except: is blank",
    files: rspec(["except: null", "rules: [{if: $THIS}]", "script: echo"]),
    expect: { valid: true },
  },
  {
    spec: JOB,
    example: "validations › when except: is used with rules: › and rules: is blank",
    files: rspec(["except: {refs: [master]}", "rules: null", "script: echo"]),
    expect: { valid: true },
  },
  {
    spec: JOB,
    example: "validations › when only: and except: are both used with rules:",
    files: rspec(["only: [merge_requests]", "except: {refs: [master]}", "rules: [{if: $THIS}]", "script: echo"]),
    expect: { error: "jobs:rspec config key may not be used with `rules`: only, except" },
  },
  {
    spec: JOB,
    example: "validations › when only: and except: are both used with rules: › when only: and except: as both blank",
    files: rspec(["only: null", "except: null", "rules: [{if: $THIS}]", "script: echo"]),
    expect: { valid: true },
  },
  {
    spec: JOB,
    example: "validations › when only: and except: are both used with rules: › when rules: is blank",
    files: rspec(["only: [merge_requests]", "except: {refs: [master]}", "rules: null", "script: echo"]),
    expect: { valid: true },
  },
  {
    spec: JOB,
    example: "validations › when job is not a pages job › if the config contains a publish entry",
    files: rspec(["script: echo", "publish: foo"]),
    expect: { error: "jobs:rspec publish can only be used within a `pages` job" },
  },
  {
    spec: JOB,
    example: "validations › when job is a job named pages › when it has a publish entry",
    files: ci("pages:", "  script: echo", "  publish: foo"),
    expect: { valid: true },
  },
  {
    spec: JOB,
    example: "validations › when job is a job named pages › when it has a pages entry",
    files: ci("pages:", "  script: echo", "  pages: {path_prefix: foo}"),
    expect: { valid: true },
  },
  {
    spec: JOB,
    example: "validations › when job is a pages job with a custom name › when pages entry is a boolean",
    files: rspec(["script: echo", "pages: true"]),
    expect: { valid: true },
  },
  {
    spec: JOB,
    example: "validations › when job is a pages job with a custom name › when it has a publish entry",
    files: rspec(["script: echo", "pages: true", "publish: foo"]),
    expect: { valid: true },
  },
  {
    spec: JOB,
    example: "validations › when the job has inputs › returns the inputs in #value",
    files: rspec([
      "script: echo",
      "inputs:",
      "  test_string: {default: hello}",
      "  test_number: {type: number, default: 666}",
      "  test_boolean: {type: boolean, default: true}",
      "  test_array: {type: array, default: [item1, item2]}",
    ]),
    expect: { valid: true },
  },
  {
    spec: JOB,
    example: "validations › when the job has inputs › when an input is missing a default value",
    files: rspec(["script: echo", "inputs:", "  test_input: {type: string}"]),
    expect: { error: "jobs:rspec:inputs:test_input must have a default value" },
  },
  {
    spec: JOB,
    example: "validations › when the job has inputs › when an input has an invalid default value type",
    files: rspec(["script: echo", "inputs:", "  number_input: {type: number, default: not_a_number}"]),
    expect: { error: "jobs:rspec inputs `number_input`: default value is not a number" },
  },
  {
    spec: JOB,
    example: "when composed › when job is using tags › when limit is reached",
    files: rspec([`tags: [${Array.from({ length: 100 }, (_, i) => `tag-${i}`).join(", ")}]`, "script: test"]),
    expect: { error: "jobs:rspec:tags config must be less than the limit of 50 tags" },
  },
  {
    spec: JOB,
    example: "when composed › when job is using tags › when limit is not reached",
    files: rspec(["tags: [tag1, tag2]", "script: test"]),
    expect: { valid: true },
  },
  {
    spec: JOB,
    example: "when composed › #value › with retry present in the config › with exit_codes present",
    files: rspec(["script: rspec", "retry: {max: 1, when: always, exit_codes: 255}"]),
    expect: { valid: true },
  },
  {
    spec: JOB,
    example: "#ignored? › when job is a manual action › when job is dynamically allowed to fail",
    files: rspec(["script: deploy", "when: manual", "allow_failure: {exit_codes: 42}"]),
    expect: { valid: true },
  },
];
