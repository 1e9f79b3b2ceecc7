// The global keywords: spec/lib/gitlab/ci/config/entry/{root,variables,workflow,default}_spec.rb.
import { ci, type SpecCase } from "./types";

const ROOT = "spec/lib/gitlab/ci/config/entry/root_spec.rb";
const VARIABLES = "spec/lib/gitlab/ci/config/entry/variables_spec.rb";
const WORKFLOW = "spec/lib/gitlab/ci/config/entry/workflow_spec.rb";
const DEFAULT = "spec/lib/gitlab/ci/config/entry/default_spec.rb";
const STAGES = "spec/lib/gitlab/ci/config/entry/stages_spec.rb";
const IMAGE = "spec/lib/gitlab/ci/config/entry/image_spec.rb";

const TOP_LEVEL = [
  "before_script: [ls, pwd]",
  "image: image:1.0",
  "default: {}",
  "services: ['postgres:9.1', 'mysql:5.5']",
  "variables:",
  "  VAR: root",
  "  VAR2: {value: val 2, description: this is var 2}",
  "  VAR3: {value: val3, options: [val3, val4, val5], description: this is var 3 and some options}",
  "after_script: [make clean]",
  "stages: [build, test, pages, release]",
  "cache: {key: k, untracked: true, paths: [public/]}",
  "rspec: {script: [rspec, ls]}",
  "spinach: {before_script: [], variables: {}, script: spinach}",
  "release:",
  "  stage: release",
  "  before_script: []",
  "  after_script: []",
  "  variables: {VAR: job}",
  '  script: ["make changelog | tee release_changelog.txt"]',
  '  release: {tag_name: v0.06, name: "Release $CI_TAG_NAME", description: "./release_changelog.txt"}',
];

const MIX = [
  "before_script: [ls, pwd]",
  "after_script: [make clean]",
  "default: {image: image:1.0, services: ['postgres:9.1', 'mysql:5.5']}",
  "variables: {VAR: root}",
  "stages: [build, test, pages]",
  "cache: {key: k, untracked: true, paths: [public/]}",
  "rspec: {script: [rspec, ls]}",
  "spinach: {before_script: [], variables: {VAR: job}, script: spinach}",
];

export const globalCases: SpecCase[] = [
  {
    spec: ROOT,
    example: "when configuration is valid › when top-level entries are defined › has no errors",
    files: ci(...TOP_LEVEL),
    expect: { valid: true },
  },
  {
    spec: ROOT,
    example: "when configuration is valid › when top-level entries are defined › #jobs_value (rspec)",
    files: ci(...TOP_LEVEL),
    expect: {
      job: "rspec",
      effective: {
        script: ["rspec", "ls"],
        before_script: ["ls", "pwd"],
        image: "image:1.0",
        services: ["postgres:9.1", "mysql:5.5"],
        cache: { key: "k", untracked: true, paths: ["public/"] },
        after_script: ["make clean"],
      },
    },
  },
  {
    spec: ROOT,
    example: "when configuration is valid › when top-level entries are defined › #jobs_value (spinach)",
    files: ci(...TOP_LEVEL),
    expect: { job: "spinach", effective: { before_script: [], after_script: ["make clean"], image: "image:1.0" } },
  },
  {
    spec: ROOT,
    example: "when configuration is valid › when a mix of top-level and default entries is used › has no errors",
    files: ci(...MIX),
    expect: { valid: true },
  },
  {
    spec: ROOT,
    example: "when configuration is valid › when a mix of top-level and default entries is used › #jobs_value",
    files: ci(...MIX),
    expect: {
      job: "rspec",
      effective: {
        before_script: ["ls", "pwd"],
        after_script: ["make clean"],
        image: "image:1.0",
        services: ["postgres:9.1", "mysql:5.5"],
        cache: { key: "k", untracked: true, paths: ["public/"] },
      },
    },
  },
  {
    spec: ROOT,
    example: "when configuration is valid › when variables resembles script-type job",
    files: ci("variables: {script: ENV_VALUE}", "rspec: {script: echo Hello World}"),
    expect: { valid: true },
  },
  {
    spec: ROOT,
    example: "when configuration is valid › when entries are specified but not defined",
    files: ci("variables: null", "rspec: {script: rspec}"),
    expect: { valid: true },
  },
  {
    spec: ROOT,
    example:
      "when configuration is valid › when variables have `options` data › and the value is in the `options` array",
    files: ci("variables: {VAR: {value: val1, options: [val1, val2]}}", "rspec: {script: bin/rspec}"),
    expect: { valid: true },
  },
  {
    spec: ROOT,
    example:
      "when configuration is valid › when variables have `options` data › and the value is not in the `options` array",
    files: ci("variables: {VAR: {value: val, options: [val1, val2]}}", "rspec: {script: bin/rspec}"),
    expect: { error: "variables:var config value must be present in options" },
  },
  {
    spec: ROOT,
    example: 'when configuration is valid › when variables have "expand" data',
    files: ci(
      "variables: {VAR1: val 1, VAR2: {value: val 2, expand: false}, VAR3: {value: val 3, expand: true}}",
      "rspec: {script: rspec}",
    ),
    expect: { valid: true },
  },
  {
    spec: ROOT,
    example: "when configuration is not valid › when before script is a number",
    files: ci("before_script: 123", "rspec: {script: rspec}"),
    expect: { error: "before_script config should be a string or a nested array of strings up to 10 levels deep" },
  },
  {
    spec: ROOT,
    example: "when configuration is not valid › when a variable has an invalid data key",
    files: ci("variables: {VAR1: {invalid: hello}}", "rspec: {script: hello}"),
    expect: { error: "variables:var1 config uses invalid data keys: invalid" },
  },
  {
    spec: VARIABLES,
    example: "with numeric keys and values in the config",
    files: ci("variables: {10: 20}", "rspec: {script: rspec}"),
    expect: { valid: true },
  },
  {
    spec: VARIABLES,
    example:
      "when entry config value has unallowed value key-value pair " +
      "(in a job) › there is no description for job variables",
    files: ci("rspec:", "  script: rspec", "  variables: {VARIABLE_1: {value: value, description: variable 1}}"),
    expect: { error: "jobs:rspec:variables:variable_1 config uses invalid data keys: description" },
  },
  {
    spec: VARIABLES,
    example: "when entry config value has options › when metadata has allowed_value_data (global variables)",
    files: ci(
      "variables: {VARIABLE_1: {value: value1, options: [value1, value2], description: variable 1}}",
      "rspec: {script: rspec}",
    ),
    expect: { valid: true },
  },
  {
    spec: VARIABLES,
    example: "when entry value is an array",
    files: ci("variables: [VAR, test]", "rspec: {script: rspec}"),
    expect: { error: "variables config should be a hash" },
  },
  {
    spec: VARIABLES,
    example: "when metadata has allowed_value_data › when entry value has hash with other key-pairs",
    files: ci(
      "variables: {VARIABLE_1: {value: value 1, hello: variable 1}, VARIABLE_2: value 2}",
      "rspec: {script: rspec}",
    ),
    expect: { error: "variables:variable_1 config uses invalid data keys: hello" },
  },
  {
    spec: VARIABLES,
    example: "when metadata has allowed_value_data › when entry config value has hash without description",
    files: ci("variables: {VARIABLE_1: {value: value 1}}", "rspec: {script: rspec}"),
    expect: { valid: true },
  },
  {
    spec: WORKFLOW,
    example: "validations › when work config value is a string",
    files: ci("workflow: build", "rspec: {script: rspec}"),
    expect: { error: "workflow config should be a hash" },
  },
  {
    spec: WORKFLOW,
    example: "validations › when work config value is a hash › with an invalid key",
    files: ci("workflow: {trash: [{if: $VAR}]}", "rspec: {script: rspec}"),
    expect: { error: "workflow config contains unknown keys: trash" },
  },
  {
    spec: WORKFLOW,
    example: "validations › when config has rules › when rules has an invalid key",
    files: ci("workflow: {rules: [{if: $VAR, trash: something}]}", "rspec: {script: rspec}"),
    expect: { error: "workflow:rules:rule config contains unknown keys: trash" },
  },
  {
    spec: WORKFLOW,
    example: "validations › when config has rules › when rules has auto_cancel",
    files: ci("workflow: {rules: [{if: $VAR, auto_cancel: {on_new_commit: interruptible}}]}", "rspec: {script: rspec}"),
    expect: { valid: true },
  },
  {
    spec: WORKFLOW,
    example: "with workflow name › with a blank name",
    files: ci("workflow: {name: ''}", "rspec: {script: rspec}"),
    expect: { valid: true },
  },
  {
    spec: WORKFLOW,
    example: "with workflow name › with too long name",
    files: ci(`workflow: {name: ${"a".repeat(256)}}`, "rspec: {script: rspec}"),
    expect: { error: "workflow name is too long (maximum is 255 characters)" },
  },
  {
    spec: WORKFLOW,
    example: "with workflow name › when name is nil",
    files: ci("workflow: {name: null}", "rspec: {script: rspec}"),
    expect: { valid: true },
  },
  {
    spec: WORKFLOW,
    example: "with auto_cancel",
    files: ci(
      "workflow: {auto_cancel: {on_new_commit: interruptible, on_job_failure: none}}",
      "rspec: {script: rspec}",
    ),
    expect: { valid: true },
  },
  {
    spec: DEFAULT,
    example: "validations › when default entry is empty",
    files: ci("default: {}", "rspec: {script: rspec}"),
    expect: { valid: true },
  },
  {
    spec: DEFAULT,
    example: "validations › when default entry is not correct › incorrect config value type",
    files: ci("default: [incorrect]", "rspec: {script: rspec}"),
    expect: { error: "default config should be a hash" },
  },
  {
    spec: DEFAULT,
    example: "validations › when default entry is not correct › when unknown keys detected",
    files: ci("default: {unknown: true}", "rspec: {script: rspec}"),
    expect: { error: "default config contains unknown keys: unknown" },
  },
  {
    spec: DEFAULT,
    example: "#compose! › when default entry inherits configuration from root › raises error (image in both)",
    files: ci("image: ruby:3", "default: {image: some_image}", "rspec: {script: rspec}"),
    expect: { error: "image is defined in top-level and `default:` entry" },
  },
  {
    spec: DEFAULT,
    example: "#compose! › when default entry inherits configuration from root › raises error (before_script in both)",
    files: ci("before_script: [a]", "default: {before_script: [b]}", "rspec: {script: rspec}"),
    expect: { error: "before_script is defined in top-level and `default:` entry" },
  },
  {
    spec: DEFAULT,
    example: "#compose! › when default entry inherits a non-defined configuration from root",
    files: ci("after_script: [specified]", "default: {image: some_image}", "rspec: {script: rspec}"),
    expect: { job: "rspec", effective: { image: "some_image", after_script: ["specified"] } },
  },
  {
    spec: STAGES,
    example: "validations › when entry value is not correct",
    files: ci("stages: {test: true}", "rspec: {script: rspec}"),
    expect: {
      error: "stages config should be an array of strings or a nested array of strings up to 10 levels deep",
    },
  },
  {
    spec: STAGES,
    example: "validations › when entry config value is correct (nested lists of stages)",
    files: ci("stages: [[stage1, stage2], stage3]", "rspec: {stage: stage2, script: rspec}"),
    expect: { valid: true },
  },
  {
    spec: IMAGE,
    example: "when configuration is a hash",
    files: ci("rspec:", "  script: rspec", "  image: {name: 'ruby:2.2', entrypoint: [/bin/sh, run]}"),
    expect: { valid: true },
  },
  {
    spec: IMAGE,
    example: "when unexpected key is specified",
    files: ci("rspec:", "  script: rspec", "  image: {name: 'ruby:2.2', non_existing: test}"),
    expect: { error: "jobs:rspec:image config contains unknown keys: non_existing" },
  },
];
