// Includes as GitLab's whole-config specs see them: spec/lib/gitlab/ci/config_spec.rb and
// spec/lib/gitlab/ci/config/external/{processor,mapper/verifier,mapper/matcher}_spec.rb.
import { y } from "../helpers";
import { ci, type SpecCase } from "./types";

const CONFIG = "spec/lib/gitlab/ci/config_spec.rb";
const PROCESSOR = "spec/lib/gitlab/ci/config/external/processor_spec.rb";
const VERIFIER = "spec/lib/gitlab/ci/config/external/mapper/verifier_spec.rb";
const INCLUDE_RULE = "spec/lib/gitlab/ci/config/entry/include/rules/rule_spec.rb";
const SUBKEYS = "Valid subkeys are: `local`, `project`, `remote`, `template`, `artifact`, `component`";

export const includeCases: SpecCase[] = [
  {
    spec: CONFIG,
    example: "when config is valid › #to_hash › when yml has stages",
    files: ci("image: image:1.0", "stages: [custom_stage]", "rspec: {script: [gem install rspec, rspec]}"),
    expect: { merged: { stages: [".pre", "custom_stage", ".post"] } },
  },
  {
    spec: CONFIG,
    example: "when using extendable hash › correctly extends the hash",
    files: ci("image: image:1.0", "rspec:", "  script: rspec", "test:", "  extends: rspec", "  image: ruby:alpine"),
    expect: { merged: { test: { extends: "rspec", image: "ruby:alpine", script: "rspec" } } },
  },
  {
    spec: CONFIG,
    example: "when config is invalid › when yml is incorrect",
    files: ci("// invalid"),
    expect: { error: "Invalid configuration format" },
  },
  {
    spec: CONFIG,
    example: "when config is invalid › when yml is too big",
    files: ci("--- &1", "- hi", "- *1"),
    expect: { error: "The parsed YAML is too big" },
  },
  {
    spec: CONFIG,
    example: "when config is invalid › when config logic is incorrect",
    files: ci('before_script: "ls"'),
    expect: { error: "jobs config should contain at least one visible job" },
  },
  {
    spec: CONFIG,
    example: "when config is invalid › when invalid extended hash has been provided",
    files: ci("test:", "  extends: test", "  script: rspec"),
    expect: { error: "test: circular dependency detected in `extends`" },
  },
  {
    spec: CONFIG,
    example: "when config is invalid › when ports have been set › in the main image",
    files: ci("image:", "  name: image:1.0", "  ports: [80]", "test: {script: rspec}"),
    expect: { error: "image config contains disallowed keys: ports" },
  },
  {
    spec: CONFIG,
    example: "when config is invalid › when ports have been set › in the job image",
    files: ci("image: image:1.0", "test:", "  script: rspec", "  image:", "    name: image:1.0", "    ports: [80]"),
    expect: { error: "jobs:test:image config contains disallowed keys: ports" },
  },
  {
    spec: CONFIG,
    example: "when config is invalid › when ports have been set › in the services",
    files: ci(
      "test:",
      "  script: rspec",
      "  image: image:1.0",
      "  services:",
      "    - {name: test, alias: test, ports: [80]}",
    ),
    expect: { error: "jobs:test:services:service config contains disallowed keys: ports" },
  },
  {
    spec: CONFIG,
    example: "when config is invalid › when yaml uses circular !reference",
    files: ci(
      "job-1:",
      "  script:",
      "    - !reference [job-2, before_script]",
      "job-2:",
      "  before_script: !reference [job-1, script]",
    ),
    expect: { error: '!reference ["job-2", "before_script"] is part of a circular chain' },
  },
  {
    spec: CONFIG,
    example: "when using 'include' directive › when gitlab_ci.yml has invalid 'include' defined",
    files: ci("include: invalid", "rspec: {script: x}"),
    expect: { error: "Included file `invalid` does not have YAML extension!" },
  },
  {
    spec: CONFIG,
    example: "when using 'include' directive › when gitlab_ci.yml has ambigious 'include' defined",
    files: ci("include:", "  remote: http://url", "  local: /local/file.yml", "rspec: {script: x}"),
    expect: { error: `Each include must use only one of: ${SUBKEYS.slice("Valid subkeys are: ".length)}` },
  },
  {
    spec: CONFIG,
    example: "when using 'include' directive › when both external files and gitlab_ci.yml defined the same key",
    files: {
      ...ci("include: [other.yml]", "image: image:1.0", "j: {script: x}"),
      "other.yml": y("image: php:5-fpm-alpine"),
    },
    expect: { merged: { image: "image:1.0" } },
  },
  {
    spec: CONFIG,
    example: "when using 'include' directive › when both ... define a dictionary of distinct variables",
    files: {
      ...ci("include: [other.yml]", "variables: {C: gamma, D: delta}", "j: {script: x}"),
      "other.yml": y("variables: {A: alpha, B: beta}"),
    },
    expect: { merged: { variables: { A: "alpha", B: "beta", C: "gamma", D: "delta" } } },
  },
  {
    spec: CONFIG,
    example: "when using 'include' directive › when both ... define a dictionary of overlapping variables",
    files: {
      ...ci("include: [other.yml]", "variables: {C: gamma, D: delta}", "j: {script: x}"),
      "other.yml": y("variables: {A: alpha, B: beta, C: omnicron}"),
    },
    expect: { merged: { variables: { A: "alpha", B: "beta", C: "gamma", D: "delta" } } },
  },
  {
    spec: CONFIG,
    example:
      "when using 'include' directive › when both external files and gitlab_ci.yml define a job › merges the jobs",
    files: {
      ...ci("include: [other.yml]", "job1:", "  variables: {VARIABLE_DEFINED_IN_MAIN_FILE: some value}"),
      "other.yml": y("job1:", "  script:", "  - echo 'hello from remote file'"),
    },
    expect: {
      merged: {
        job1: { script: ["echo 'hello from remote file'"], variables: { VARIABLE_DEFINED_IN_MAIN_FILE: "some value" } },
      },
    },
  },
  {
    spec: CONFIG,
    example: "when using 'include' directive › ... define a job › when the script key is in both",
    files: {
      ...ci("include: [other.yml]", "job1:", "  script:", "  - echo 'hello from main file'"),
      "other.yml": y("job1:", "  script:", "  - echo 'hello from remote file'"),
    },
    expect: { merged: { job1: { script: ["echo 'hello from main file'"] } } },
  },
  {
    spec: CONFIG,
    example: "when using 'include' directive › when including file from artifact › when artifact key is missing",
    files: ci("include:", "  - job: rspec", "rspec: {script: x}"),
    expect: { error: '`{"job":"rspec"}` does not have a valid subkey for include. ' + SUBKEYS },
  },
  {
    spec: PROCESSOR,
    example: "#perform › when an invalid local file is defined",
    files: ci("include: /lib/gitlab/ci/templates/non-existent-file.yml", "image: image:1.0", "j: {script: x}"),
    expect: { error: "Local file `lib/gitlab/ci/templates/non-existent-file.yml` does not exist!" },
  },
  {
    spec: PROCESSOR,
    example: "#perform › with a valid local external file is defined",
    files: {
      ...ci("include: /lib/gitlab/ci/templates/template.yml", "image: image:1.0", "j: {script: x}"),
      "lib/gitlab/ci/templates/template.yml": y("before_script:", "  - ruby -v", "  - which ruby"),
    },
    expect: { merged: { image: "image:1.0", before_script: ["ruby -v", "which ruby"] } },
  },
  {
    spec: PROCESSOR,
    example: "#perform › when external files are defined but not valid",
    files: {
      ...ci("include: /lib/gitlab/ci/templates/template.yml", "image: image:1.0", "j: {script: x}"),
      "lib/gitlab/ci/templates/template.yml": "invalid content file ////\n",
    },
    expect: { error: "`lib/gitlab/ci/templates/template.yml`: Invalid configuration format" },
  },
  {
    spec: PROCESSOR,
    example: "#perform › when local file path has wildcard › fetches the matched files",
    files: {
      ...ci("include: myfolder/*.yml", "image: image:1.0"),
      "myfolder/file1.yml": y("my_build:", "  script: echo Hello World"),
      "myfolder/file2.yml": y("my_test:", "  script: echo Hello World"),
    },
    expect: { merged: { my_build: { script: "echo Hello World" }, my_test: { script: "echo Hello World" } } },
  },
  {
    spec: PROCESSOR,
    example: "#perform › when rules defined › when a rule is invalid",
    files: {
      ...ci("include: [{local: builds.yml, rules: [{allow_failure: [$MY_VAR]}]}]", "j: {script: x}"),
      "builds.yml": y("b: {script: x}"),
    },
    expect: { error: "include:rule config contains unknown keys: allow_failure" },
  },
  {
    spec: VERIFIER,
    example: "#process › when a file includes other files",
    files: {
      ...ci("include: [{local: nested_configs.yml}]"),
      "nested_configs.yml": y("include:", "  - local: myfolder/file1.yml", "  - local: myfolder/file2.yml"),
      "myfolder/file1.yml": y("my_build:", "  script: echo Hello World"),
      "myfolder/file2.yml": y("my_test:", "  script: echo Hello World"),
    },
    expect: { merged: { my_build: { script: "echo Hello World" }, my_test: { script: "echo Hello World" } } },
  },
  {
    spec: VERIFIER,
    example: "#process › when there is an invalid file",
    files: ci("include: [{local: myfolder/invalid.yml}]", "j: {script: x}"),
    expect: { error: "Local file `myfolder/invalid.yml` does not exist!" },
  },
  {
    spec: VERIFIER,
    example: "#process › max includes detection › when there is a circular include",
    files: {
      ...ci("include: myfolder/file1.yml", "j: {script: x}"),
      "myfolder/file1.yml": y("include: myfolder/file1.yml"),
    },
    expect: { error: "Maximum of 150 nested includes are allowed!" },
    difference: "GitLab reports the loop only when it reaches its 150-file limit; we name the loop (include-cycle)",
  },
  {
    spec: VERIFIER,
    example: "#process › max includes detection › when files are not nested › when duplicate files are included",
    files: {
      ...ci("include: [myfolder/file1.yml, myfolder/file2.yml, myfolder/file2.yml]"),
      "myfolder/file1.yml": y("my_build: {script: echo}"),
      "myfolder/file2.yml": y("my_test: {script: echo}"),
    },
    expect: { valid: true },
  },
  {
    spec: "spec/lib/gitlab/ci/config/external/mapper/matcher_spec.rb",
    example: "#process › when a location is not valid",
    files: ci("include: [{invalid: file.yml}]", "j: {script: x}"),
    expect: { error: '`{"invalid":"file.yml"}` does not have a valid subkey for include. ' + SUBKEYS },
  },
  ...(
    [
      [
        "when specifying an if: clause › with when: <invalid string>",
        "{if: '$THIS || $THAT', when: on_success}",
        "include:rule when unknown value: on_success",
      ],
      [
        "when specifying an if: clause › when if: clause is invalid",
        "{if: '$MY_VAR =='}",
        "include:rule if invalid expression syntax",
      ],
      [
        "when specifying an if: clause › when if: clause has an integer operand",
        "{if: '$MY_VAR == 123'}",
        "include:rule if invalid expression syntax",
      ],
      [
        "when specifying an unknown keyword",
        "{invalid: something}",
        "include:rule config contains unknown keys: invalid",
      ],
      ["when config is blank", "{}", "include:rule config can't be blank"],
      ["when config type is invalid", "invalid", "include:rule config should be a hash"],
    ] as const
  ).map(([example, rule, error]): SpecCase => ({
    spec: INCLUDE_RULE,
    example,
    files: {
      ...ci(`include: [{local: builds.yml, rules: [${rule}]}]`, "j: {script: x}"),
      "builds.yml": y("b: {script: x}"),
    },
    expect: { error },
  })),
  ...(
    [
      ["when specifying an if: clause › with when: null", "{if: '$THIS || $THAT', when: null}"],
      ["when specifying an exists: clause › with a string", "{exists: paths/**/*.rb}"],
      ["when specifying an exists: clause › with a nil value", "{exists: null}"],
      [
        "when specifying an exists: clause › with a hash › with project: and ref:",
        "{exists: {paths: [this.md], project: path/to/project, ref: refs/heads/branch1}}",
      ],
      [
        "when specifying a changes: clause › with paths: and compare_to:",
        "{changes: {paths: [Dockerfile], compare_to: branch1}}",
      ],
    ] as const
  ).map(([example, rule]): SpecCase => ({
    spec: INCLUDE_RULE,
    example,
    files: {
      ...ci(`include: [{local: builds.yml, rules: [${rule}]}]`, "j: {script: x}"),
      "builds.yml": y("b: {script: x}"),
    },
    expect: { valid: true },
  })),
];
