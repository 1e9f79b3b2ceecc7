// spec/lib/gitlab/ci/yaml_processor_spec.rb: when/rules, cross-pipeline needs, hidden jobs, anchors, "#execute",
// parent-child pipelines; and the smaller spec/lib/gitlab/ci/yaml_processor/test_cases/*_spec.rb split from it.
import { ci, type SpecCase } from "./types";

const SPEC = "spec/lib/gitlab/ci/yaml_processor_spec.rb";

function errorCase(example: string, lines: string[], error: string, pending?: string): SpecCase {
  return { spec: SPEC, example, files: ci(...lines), expect: { error }, pending };
}

export const yamlProcessorMiscCases: SpecCase[] = [
  {
    spec: SPEC,
    example: "with when/rules › is valid",
    files: ci(
      "var_default: {stage: build, script: test, rules: [{if: '$VAR == null'}]}",
      "var_when: {stage: build, script: test, rules: [{if: '$VAR == null', when: always}]}",
      "var_and_changes: {stage: build, script: test, rules: [{if: '$VAR == null', changes: [README], when: always}]}",
      "changes_not_var: {stage: test, script: test, rules: [{if: '$VAR != null', changes: [README]}]}",
      "var_not_changes: {stage: test, script: test, rules: [{if: " +
        "'$VAR == null', changes: [other/file.rb], when: always}]}",
      "nothing: {stage: test, script: test, rules: [{when: manual}]}",
      "var_never: {stage: deploy, script: test, rules: [{if: '$VAR == null', when: never}]}",
      "var_delayed: {stage: deploy, script: test, rules: [{if: '$VAR == null', when: delayed, start_in: 3 hours}]}",
      "two_rules: {stage: deploy, script: test, rules: [{if: '$VAR == " +
        "null', when: on_success}, {changes: [README], when: manual}]}",
    ),
    expect: { valid: true },
  },
  {
    spec: SPEC,
    example: "with when/rules › used with job-level when",
    files: ci("var_default: {stage: build, script: test, when: always, rules: [{if: '$VAR == null'}]}"),
    expect: { valid: true },
  },
  errorCase(
    "with when/rules › used with job-level when:delayed",
    ["var_default: {stage: build, script: test, when: delayed, start_in: 10 minutes, rules: [{if: '$VAR == null'}]}"],
    "jobs:var_default config key may not be used with `rules`: start_in",
  ),
  {
    spec: SPEC,
    example: "cross pipeline needs › when configuration is valid",
    files: ci(
      "rspec:",
      "  stage: test",
      "  script: rspec",
      "  needs:",
      "    - pipeline: $THE_PIPELINE_ID",
      "      job: dependency-job",
    ),
    expect: { valid: true },
  },
  {
    spec: SPEC,
    example: "cross pipeline needs › when configuration is valid › when pipeline ID is hard-coded",
    files: ci(
      "rspec:",
      "  stage: test",
      "  script: rspec",
      "  needs:",
      '    - pipeline: "123"',
      "      job: dependency-job",
    ),
    expect: { valid: true },
  },
  errorCase(
    "cross pipeline needs › when configuration is not valid",
    [
      "rspec:",
      "  stage: test",
      "  script: rspec",
      "  needs:",
      "    - pipeline: $THE_PIPELINE_ID",
      "      job: dependency-job",
      "      something: else",
    ],
    "jobs:rspec:needs:need config contains unknown keys: something",
  ),
  {
    spec: SPEC,
    example: "Hidden jobs › when hidden job have a script definition",
    files: ci(".hidden_job: {image: 'image:1.0', script: test}", "normal_job: {script: test}"),
    expect: { valid: true },
  },
  {
    spec: SPEC,
    example: "Hidden jobs › when hidden job doesn't have a script definition",
    files: ci(".hidden_job: {image: 'image:1.0'}", "normal_job: {script: test}"),
    expect: { valid: true },
  },
  {
    spec: SPEC,
    example: "YAML Alias/Anchor › when template is a job",
    files: ci("job1: &JOBTMPL", "  stage: build", "  script: execute-script-for-job", "job2: *JOBTMPL"),
    expect: { job: "job2", effective: { stage: "build", script: "execute-script-for-job" } },
  },
  {
    spec: SPEC,
    example: "YAML Alias/Anchor › when template is a hidden job",
    files: ci(
      ".template: &JOBTMPL",
      "  stage: build",
      "  script: execute-script-for-job",
      "job1: *JOBTMPL",
      "job2: *JOBTMPL",
    ),
    expect: { job: "job1", effective: { stage: "build", script: "execute-script-for-job" } },
  },
  {
    spec: SPEC,
    example: "YAML Alias/Anchor › when job adds its own keys to a template definition",
    files: ci(
      ".template: &JOBTMPL",
      "  stage: build",
      "job1:",
      "  <<: *JOBTMPL",
      "  script: execute-script-for-job",
      "job2:",
      "  <<: *JOBTMPL",
      "  script: execute-script-for-job",
    ),
    expect: { job: "job2", effective: { stage: "build", script: "execute-script-for-job" } },
  },
  {
    spec: SPEC,
    example: "#execute › when the configuration contains multiple keyword-syntax errors (unknown key)",
    files: ci("rspec: {script: test, bad_tags: mysql, rules: {wrong: format}}"),
    expect: { error: "jobs:rspec config contains unknown keys: bad_tags" },
  },
  {
    spec: SPEC,
    example: "#execute › when the configuration contains multiple keyword-syntax errors (rules)",
    files: ci("rspec: {script: test, bad_tags: mysql, rules: {wrong: format}}"),
    expect: { error: "jobs:rspec rules should be an array containing hashes and arrays of hashes" },
  },
  {
    spec: SPEC,
    example: "Job rules › changes › with paths",
    files: ci("rspec:", "  script: exit 0", "  rules:", "    - changes:", "        paths: [README.md]"),
    expect: { valid: true },
  },
  {
    spec: SPEC,
    example: "Workflow rules › changes",
    files: ci("workflow:", "  rules:", "    - changes: [README.md]", "rspec:", "  script: exit 0"),
    expect: { valid: true },
  },
  {
    spec: SPEC,
    example: "with parent-child pipeline › when artifact and job are specified",
    files: ci(
      "build1: {stage: build, script: test}",
      "test1: {stage: test, trigger: {include: [{artifact: generated.yml, job: build1}]}}",
    ),
    expect: { valid: true },
  },
  errorCase(
    "with parent-child pipeline › when job is not specified while artifact is",
    ["build1: {stage: build, script: test}", "test1: {stage: test, trigger: {include: [{artifact: generated.yml}]}}"],
    "jobs:test1:trigger:include config must specify the job where to fetch the artifact from",
  ),
  {
    spec: SPEC,
    example: "with parent-child pipeline › when project and file are specified",
    files: ci(
      "build1: {stage: build, script: test}",
      "test1: {stage: test, trigger: {include: [{file: generated.yml, project: my-namespace/my-project}]}}",
    ),
    expect: { valid: true },
  },
  errorCase(
    "with parent-child pipeline › when file is not specified while project is",
    ["build1: {stage: build, script: test}", "test1: {stage: test, trigger: {include: [{project: something}]}}"],
    "jobs:test1:trigger:include config must specify the file where to fetch the config from",
  ),
  {
    spec: SPEC,
    example: "with parent-child pipeline › when include is a string",
    files: ci("build1: {stage: build, script: test}", "test1: {stage: test, trigger: {include: generated.yml}}"),
    expect: { valid: true },
  },
  ...(
    [
      ["build1", "true", true],
      ["build2", "false", false],
      ["build3", "", undefined],
      ["bridge1", "true", true],
      ["bridge3", "", undefined],
    ] as const
  ).map(([name, value, result]): SpecCase => ({
    spec: "spec/lib/gitlab/ci/yaml_processor/test_cases/interruptible_spec.rb",
    example: `with interruptible › returns jobs with their interruptible value › ${name}`,
    files: ci(
      `${name}:`,
      name.startsWith("build") ? "  script: rspec" : "  trigger: some/project",
      ...(value ? [`  interruptible: ${value}`] : []),
    ),
    expect: { job: name, effective: { interruptible: result } },
  })),
  ...(
    [
      ["true", "build3", true],
      ["true", "bridge3", true],
      ["false", "build3", false],
      ["true", "build2", false],
    ] as const
  ).map(([dflt, name, result]): SpecCase => ({
    spec: "spec/lib/gitlab/ci/yaml_processor/test_cases/interruptible_spec.rb",
    example: `with interruptible › when default:interruptible is ${dflt} › ${name}`,
    files: ci(
      `default: {interruptible: ${dflt}}`,
      `${name}:`,
      name.startsWith("build") ? "  script: rspec" : "  trigger: some/project",
      ...(name === "build2" ? ["  interruptible: false"] : []),
    ),
    expect: { job: name, effective: { interruptible: result } },
  })),
  {
    spec: "spec/lib/gitlab/ci/yaml_processor/test_cases/job_inputs_spec.rb",
    example: "includes the inputs in build's attributes",
    files: ci(
      "job_with_inputs:",
      "  script: echo",
      "  inputs:",
      '    string_input: {default: "hello"}',
      "    number_input: {type: number, default: 42}",
      "    boolean_input: {type: boolean, default: true}",
    ),
    expect: { valid: true },
  },
  {
    spec: "spec/lib/gitlab/ci/yaml_processor/test_cases/needs_parallel_matrix_spec.rb",
    example: "when using needs:parallel:matrix › when using matrix expressions",
    files: ci(
      "build:",
      "  script: echo build",
      "  parallel: {matrix: [{OS: [linux], ARCH: [amd64, arm64]}]}",
      "test:",
      "  script: echo test",
      "  parallel: {matrix: [{OS: [linux], ARCH: [amd64, arm64]}]}",
      "  needs:",
      "    - job: build",
      "      parallel: {matrix: [{OS: ['$[[ matrix.OS ]]'], ARCH: ['$[[ matrix.ARCH ]]']}]}",
    ),
    expect: { valid: true },
  },
  {
    spec: "spec/lib/gitlab/ci/yaml_processor/test_cases/needs_parallel_matrix_spec.rb",
    example: "when using matrix expressions › when matrix expressions reference non-existent values",
    files: ci(
      "build:",
      "  script: echo build",
      "  parallel: {matrix: [{OS: [linux], ARCH: [amd64, arm64]}]}",
      "test:",
      "  script: echo test",
      "  parallel: {matrix: [{OS: [linux], ARCH: [amd64, arm64]}]}",
      "  needs:",
      "    - job: build",
      "      parallel: {matrix: [{OS: ['$[[ matrix.OS ]]'], MISSING: ['$[[ matrix.NONEXISTENT ]]']}]}",
    ),
    expect: { error: "test job: 'NONEXISTENT' does not exist in matrix configuration" },
  },
];
