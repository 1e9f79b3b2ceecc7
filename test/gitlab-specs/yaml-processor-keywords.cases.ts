// spec/lib/gitlab/ci/yaml_processor_spec.rb, "Error handling": one keyword of job `rspec` (or a global one) wrong.
import { ci, type SpecCase } from "./types";

const SPEC = "spec/lib/gitlab/ci/yaml_processor_spec.rb";

function errorCase(example: string, lines: string[], error: string, pending?: string): SpecCase {
  return { spec: SPEC, example: `Error handling › ${example}`, files: ci(...lines), expect: { error }, pending };
}

const ALLOWED_WHEN = "on_success, on_failure, always, manual, delayed";
const COMMANDS = "config should be a string or a nested array of strings up to 10 levels deep";

export const yamlProcessorKeywordCases: SpecCase[] = [
  {
    spec: SPEC,
    example: "Error handling › when object is invalid",
    files: ci("invalid_yaml"),
    expect: { error: "Invalid configuration format" },
  },
  {
    spec: SPEC,
    example: "#execute › when the YAML could not be parsed (a YAML string)",
    files: ci("--- 'invalid: yaml: test'"),
    expect: { error: "Invalid configuration format" },
  },
  {
    spec: SPEC,
    example: "#execute › when YAML content is empty",
    files: { ".gitlab-ci.yml": "" },
    expect: { error: "Please provide content of .gitlab-ci.yml" },
  },
  errorCase(
    "returns errors if tags parameter is invalid",
    ["rspec: {script: test, tags: mysql}"],
    "jobs:rspec:tags config should be an array of strings",
  ),
  errorCase(
    "returns errors if job before_script parameter is not an array of strings",
    ["rspec: {script: test, before_script: [10, test]}"],
    `jobs:rspec:before_script ${COMMANDS}`,
  ),
  errorCase(
    "returns errors if job after_script parameter is not an array of strings",
    ["rspec: {script: test, after_script: [10, test]}"],
    `jobs:rspec:after_script ${COMMANDS}`,
  ),
  errorCase(
    "returns errors if image parameter is invalid",
    ["image: [test]", "rspec: {script: test}"],
    "image config should be a hash or a string",
  ),
  errorCase("returns errors if job name is blank", ['"": {script: test}'], "jobs:job name can't be blank"),
  errorCase("returns errors if job name is non-string", ["10: {script: test}"], "jobs:10 name should be a symbol"),
  errorCase(
    "returns errors if job image parameter is invalid",
    ["rspec: {script: test, image: [test]}"],
    "jobs:rspec:image config should be a hash or a string",
  ),
  errorCase(
    "returns errors if services parameter is not an array",
    ["services: test", "rspec: {script: test}"],
    "services config should be a array",
  ),
  errorCase(
    "returns errors if services parameter is not an array of strings",
    ["services: [10, test]", "rspec: {script: test}"],
    "services:service config should be a hash or a string",
  ),
  errorCase(
    "returns errors if job services parameter is not an array",
    ["rspec: {script: test, services: test}"],
    "jobs:rspec:services config should be a array",
  ),
  errorCase(
    "returns errors if job services parameter is not an array of strings",
    ["rspec: {script: test, services: [10, test]}"],
    "jobs:rspec:services:service config should be a hash or a string",
  ),
  errorCase(
    "returns error if job configuration is invalid",
    ["extra: bundle update"],
    "jobs extra config should implement the script:, run:, or trigger: keyword",
  ),
  errorCase(
    "returns errors if services configuration is not correct",
    ["extra: {script: rspec, services: test}"],
    "jobs:extra:services config should be a array",
  ),
  errorCase(
    "returns errors if there are no jobs defined",
    ["before_script: [bundle update]"],
    "jobs config should contain at least one visible job",
  ),
  errorCase(
    "returns errors if the job script is not defined",
    ["rspec: {before_script: test}"],
    "jobs rspec config should implement the script:, run:, or trigger: keyword",
  ),
  errorCase(
    "returns errors if there are no visible jobs defined",
    ["before_script: [bundle update]", ".hidden: {script: ls}"],
    "jobs config should contain at least one visible job",
  ),
  errorCase(
    "returns errors if job allow_failure parameter is not an boolean",
    ["rspec: {script: test, allow_failure: string}"],
    "jobs:rspec allow failure should be a hash or a boolean value",
  ),
  errorCase(
    "returns errors if job exit_code parameter from allow_failure is not an integer",
    ["rspec: {script: test, allow_failure: {exit_codes: string}}"],
    "jobs:rspec:allow_failure exit codes should be an array of integers or an integer",
  ),
  errorCase(
    "returns errors if job stage is not a string",
    ["rspec: {script: test, stage: 1}"],
    "jobs:rspec:stage config should be a string",
  ),
  errorCase(
    "returns errors if job stage is not a pre-defined stage",
    ["rspec: {script: test, stage: acceptance}"],
    "rspec job: chosen stage acceptance does not exist; available stages are .pre, build, test, deploy, .post",
  ),
  errorCase(
    "returns errors if job stage is not a defined stage",
    ["stages: [build, test]", "rspec: {script: test, stage: acceptance}"],
    "rspec job: chosen stage acceptance does not exist; available stages are .pre, build, test, .post",
  ),
  errorCase(
    "returns errors if stages is not an array",
    ["stages: test", "rspec: {script: test}"],
    `stages ${COMMANDS.replace("a string or ", "an array of strings or ")}`,
  ),
  errorCase(
    "returns errors if stages is not an array of strings",
    ["stages: [true, test]", "rspec: {script: test}"],
    `stages ${COMMANDS.replace("a string or ", "an array of strings or ")}`,
  ),
  errorCase(
    "returns errors if variables is not a map",
    ["variables: test", "rspec: {script: test}"],
    "variables config should be a hash",
  ),
  errorCase(
    "returns errors if variables is not a map of scalars",
    ["variables: {test: []}", "rspec: {script: test}"],
    "variable definition must be either a string or a hash",
  ),
  errorCase(
    "returns errors if job when is not on_success, on_failure or always",
    ["rspec: {script: test, when: 1}"],
    `jobs:rspec when should be one of: ${ALLOWED_WHEN}`,
  ),
  errorCase(
    "returns errors if job artifacts:name is not an a string",
    ["stages: [build, test]", "rspec: {script: test, artifacts: {name: 1}}"],
    "jobs:rspec:artifacts name should be a string",
  ),
  errorCase(
    "returns errors if job artifacts:when is not an a predefined value",
    ["stages: [build, test]", "rspec: {script: test, artifacts: {when: 1}}"],
    "jobs:rspec:artifacts when should be one of: on_success, on_failure, always",
  ),
  errorCase(
    "returns errors if job artifacts:expire_in is not an a string",
    ["stages: [build, test]", "rspec: {script: test, artifacts: {expire_in: 1}}"],
    "jobs:rspec:artifacts expire in should be a duration",
  ),
  errorCase(
    "returns errors if job artifacts:expire_in is not an a valid duration",
    ["stages: [build, test]", "rspec: {script: test, artifacts: {expire_in: 7 elephants}}"],
    "jobs:rspec:artifacts expire in should be a duration",
  ),
  errorCase(
    "returns errors if job artifacts:untracked is not an array of strings",
    ["stages: [build, test]", "rspec: {script: test, artifacts: {untracked: string}}"],
    "jobs:rspec:artifacts untracked should be a boolean value",
  ),
  errorCase(
    "returns errors if job artifacts:paths is not an array of strings",
    ["stages: [build, test]", "rspec: {script: test, artifacts: {paths: string}}"],
    "jobs:rspec:artifacts paths should be an array of strings",
  ),
  errorCase(
    "returns errors if cache:untracked is not an array of strings",
    ["cache: {untracked: string}", "rspec: {script: test}"],
    "cache:untracked config should be a boolean value",
  ),
  errorCase(
    "returns errors if cache:paths is not an array of strings",
    ["cache: {paths: string}", "rspec: {script: test}"],
    "cache:paths config should be an array of strings",
  ),
  errorCase(
    "returns errors if cache:key is not a string",
    ["cache: {key: 1}", "rspec: {script: test}"],
    "cache:key should be a hash, a string or a symbol",
  ),
  errorCase(
    "returns errors if job cache:key is not an a string",
    ["rspec: {script: test, cache: {key: 1}}"],
    "jobs:rspec:cache:key should be a hash, a string or a symbol",
  ),
  errorCase(
    "returns errors if job cache:key:files is not an array of strings",
    ["rspec: {script: test, cache: {key: {files: [1]}}}"],
    "jobs:rspec:cache:key:files config should be an array of strings",
  ),
  errorCase(
    "returns errors if job cache:key:files is an empty array",
    ["rspec: {script: test, cache: {key: {files: []}}}"],
    "jobs:rspec:cache:key:files config requires at least 1 item",
  ),
  errorCase(
    "returns errors if job cache:key:prefix is not an a string",
    ["rspec: {script: test, cache: {key: {prefix: 1, files: [file]}}}"],
    "jobs:rspec:cache:key:prefix config should be a string or symbol",
  ),
  errorCase(
    "returns errors if job cache:untracked is not an array of strings",
    ["rspec: {script: test, cache: {untracked: string}}"],
    "jobs:rspec:cache:untracked config should be a boolean value",
  ),
  errorCase(
    "returns errors if job cache:paths is not an array of strings",
    ["rspec: {script: test, cache: {paths: string}}"],
    "jobs:rspec:cache:paths config should be an array of strings",
  ),
  errorCase(
    "returns errors if job dependencies is not an array of strings",
    ["rspec: {script: test, dependencies: string}"],
    "jobs:rspec dependencies should be an array of strings",
  ),
  errorCase(
    "returns errors if pipeline variables expression policy is invalid",
    ["rspec: {script: test, only: {variables: ['== null']}}"],
    "jobs:rspec:only variables invalid expression syntax",
  ),
  errorCase(
    "returns errors if pipeline changes policy is invalid",
    ["rspec: {script: test, only: {changes: [1]}}"],
    "jobs:rspec:only changes should be an array of strings",
  ),
  errorCase(
    "returns errors if extended hash configuration is invalid",
    ["rspec: {extends: something, script: test}"],
    "rspec: unknown keys in `extends` (something)",
  ),
  errorCase(
    "returns errors if parallel is invalid",
    ["rspec: {parallel: test, script: test}"],
    "jobs:rspec:parallel should be an integer or a hash",
  ),
  errorCase(
    "when the pipeline has a circular dependency",
    [
      "job_a: {stage: test, script: build, needs: [job_c]}",
      "job_b: {stage: test, script: test, needs: [job_a]}",
      "job_c: {stage: test, script: deploy, needs: [job_b]}",
    ],
    'The pipeline has circular dependencies: topological sort failed: ["job_a", "job_c", "job_b"]',
  ),
  errorCase(
    "when the pipeline has a circular dependency › when a job has a self-dependency",
    ["job_0: {stage: test, script: build}", "job: {stage: test, script: build, needs: [job_0, job]}"],
    "The pipeline has circular dependencies: self-dependency: job",
  ),
];
