// spec/lib/gitlab/ci/yaml_processor_spec.rb: scripts, images, variables, extends, include, when, parallel, cache.
import { y } from "../helpers";
import { ci, type SpecCase } from "./types";

const SPEC = "spec/lib/gitlab/ci/yaml_processor_spec.rb";

/** `inherit:` of a job and what it inherits of a global (or default:) before_script. */
const inheritTable: Array<[string, unknown]> = [
  ["", ["global script"]],
  ["{default: false}", undefined],
  ["{default: true}", ["global script"]],
  ["{default: [before_script]}", ["global script"]],
  ["{default: [image]}", undefined],
];

const beforeScript: SpecCase[] = inheritTable.flatMap(([inherit, result]): SpecCase[] =>
  [false, true].map((inDefault) => ({
    spec: SPEC,
    example:
      `Scripts handling › before_script › in global context${inDefault ? " › in default context" : ""} › ` +
      `inherit: ${inherit || "nil"}`,
    files: ci(
      inDefault ? 'default: {before_script: ["global script"]}' : 'before_script: ["global script"]',
      "test:",
      '  script: ["script"]',
      ...(inherit ? [`  inherit: ${inherit}`] : []),
    ),
    expect: { job: "test", effective: { before_script: result } },
  })),
);

export const yamlProcessorJobCases: SpecCase[] = [
  ...beforeScript,
  {
    spec: SPEC,
    example: "Scripts handling › before_script › overwritten in local context",
    files: ci('before_script: ["global script"]', "test:", '  before_script: ["local script"]', '  script: ["script"]'),
    expect: { job: "test", effective: { before_script: ["local script"] } },
  },
  {
    spec: SPEC,
    example: "Scripts handling › before_script › when script is nested arrays of strings",
    files: ci(
      'before_script: [[["global script"], "echo 1"], "echo 2", ["ls"], "pwd"]',
      "test:",
      '  script: ["script"]',
    ),
    expect: { job: "test", effective: { before_script: ["global script", "echo 1", "echo 2", "ls", "pwd"] } },
  },
  {
    spec: SPEC,
    example: "Scripts handling › script › when script is nested arrays of strings",
    files: ci("test:", '  script: [[["script"], "echo 1", "echo 2"], "ls"]'),
    expect: { job: "test", effective: { script: ["script", "echo 1", "echo 2", "ls"] } },
  },
  {
    spec: SPEC,
    example: "Scripts handling › after_script › in global context",
    files: ci('after_script: ["after_script"]', "test:", '  script: ["script"]'),
    expect: { job: "test", effective: { after_script: ["after_script"] } },
  },
  {
    spec: SPEC,
    example: "Scripts handling › after_script › overwritten in local context",
    files: ci('after_script: ["global"]', "test:", '  after_script: ["local after_script"]', '  script: ["script"]'),
    expect: { job: "test", effective: { after_script: ["local after_script"] } },
  },
  {
    spec: SPEC,
    example: "Scripts handling › after_script › when script is nested arrays of strings",
    files: ci(
      'after_script: [[["global script"], "echo 1"], "echo 2", ["ls"], "pwd"]',
      "test:",
      '  script: ["script"]',
    ),
    expect: { job: "test", effective: { after_script: ["global script", "echo 1", "echo 2", "ls", "pwd"] } },
  },
  {
    spec: SPEC,
    example: "Scripts handling › hooks › when it is a simple script",
    files: ci("test:", '  script: ["script"]', '  hooks: {pre_get_sources_script: ["echo 1", "echo 2", "pwd"]}'),
    expect: { job: "test", effective: { hooks: { pre_get_sources_script: ["echo 1", "echo 2", "pwd"] } } },
  },
  {
    spec: SPEC,
    example: "Scripts handling › hooks › when it is nested arrays of strings",
    files: ci(
      "test:",
      '  script: ["script"]',
      '  hooks: {pre_get_sources_script: [[["global script"], "echo 1"], "echo 2", ["ls"], "pwd"]}',
    ),
    expect: {
      job: "test",
      effective: { hooks: { pre_get_sources_script: ["global script", "echo 1", "echo 2", "ls", "pwd"] } },
    },
  },
  {
    spec: SPEC,
    example: "Scripts handling › hooks › when receiving from the default",
    files: ci(
      'default: {hooks: {pre_get_sources_script: ["echo 1", "echo 2", "pwd"]}}',
      "test:",
      '  script: ["script"]',
    ),
    expect: { job: "test", effective: { hooks: { pre_get_sources_script: ["echo 1", "echo 2", "pwd"] } } },
  },
  {
    spec: SPEC,
    example: "Scripts handling › hooks › when overriding the default",
    files: ci(
      'default: {hooks: {pre_get_sources_script: ["echo 1", "echo 2", "pwd"]}}',
      "test:",
      '  script: ["script"]',
      '  hooks: {pre_get_sources_script: ["echo 3", "echo 4", "pwd"]}',
    ),
    expect: { job: "test", effective: { hooks: { pre_get_sources_script: ["echo 3", "echo 4", "pwd"] } } },
  },
  {
    spec: SPEC,
    example: "Image and service handling › when extended docker configuration is used › returns image and service",
    files: ci(
      'image: {name: "image:1.0", entrypoint: ["/usr/local/bin/init", "run"]}',
      "services:",
      "  - mysql",
      '  - {name: "docker:dind", alias: docker,',
      '     entrypoint: ["/usr/local/bin/init", "run"], command: ["/usr/local/bin/init", "run"]}',
      'before_script: ["pwd"]',
      "rspec: {script: rspec}",
    ),
    expect: {
      job: "rspec",
      effective: {
        before_script: ["pwd"],
        image: { name: "image:1.0", entrypoint: ["/usr/local/bin/init", "run"] },
        services: [
          "mysql",
          {
            name: "docker:dind",
            alias: "docker",
            entrypoint: ["/usr/local/bin/init", "run"],
            command: ["/usr/local/bin/init", "run"],
          },
        ],
      },
    },
  },
  {
    spec: SPEC,
    example: "Image and service handling › when extended docker configuration is not used › overridden for job",
    files: ci(
      'image: "image:1.0"',
      "services: [mysql]",
      "rspec:",
      '  image: "image:2.0"',
      '  services: [postgresql, "docker:dind"]',
      "  script: rspec",
    ),
    expect: { job: "rspec", effective: { image: "image:2.0", services: ["postgresql", "docker:dind"] } },
  },
  {
    spec: SPEC,
    example: "Image and service handling › when image has pull_policy",
    files: ci("image:", "  name: ruby:2.7", "  pull_policy: if-not-present", "test:", "  script: exit 0"),
    expect: { valid: true },
  },
  {
    spec: SPEC,
    example: "Image and service handling › when a service has pull_policy",
    files: ci("services:", "  - name: postgres:11.9", "    pull_policy: if-not-present", "test:", "  script: exit 0"),
    expect: { valid: true },
  },
  {
    spec: SPEC,
    example: "Image and service handling › when image and service have docker options",
    files: ci(
      "test:",
      "  script: exit 0",
      "  image:",
      "    name: ruby:2.7",
      "    docker: {platform: linux/amd64, user: dave}",
      "  services:",
      "    - name: postgres:11.9",
      "      docker: {platform: linux/amd64, user: john}",
    ),
    expect: { valid: true },
  },
  {
    spec: SPEC,
    example:
      "Variables › when job variables are defined › when syntax is incorrect › when variables defined but invalid",
    files: ci("before_script: [pwd]", "rspec:", "  script: rspec", "  variables: [VAR1 value1 VAR2 value2]"),
    expect: { error: "jobs:rspec:variables config should be a hash" },
  },
  {
    spec: SPEC,
    example: "Variables › ... › when variables key defined but value not specified",
    files: ci("before_script: [pwd]", "rspec:", "  script: rspec", "  variables: null"),
    expect: { valid: true },
  },
  {
    spec: SPEC,
    example: "Variables › when variables have different type of values",
    files: ci("rspec:", "  variables:", "    VAR1: value1", "    VAR2: :value2", "    VAR3: 123", "  script: rspec"),
    expect: { valid: true },
  },
  {
    spec: SPEC,
    example: "Variables › when variables have data other than value",
    files: ci(
      "variables:",
      "  VAR1: value1",
      "  VAR2: {value: value2, description: description2}",
      "  VAR3: {value: value3, expand: false}",
      "rspec:",
      "  script: rspec",
      "  variables:",
      "    VAR4: value4",
      "    VAR5: {value: value5, expand: false}",
      "    VAR6: {value: value6, expand: true}",
    ),
    expect: { valid: true },
  },
  {
    spec: SPEC,
    example: "when using `extends` › when using simple `extends`",
    files: ci(".template:", "  script: test", "rspec:", "  extends: .template", "  image: ruby:alpine"),
    expect: { job: "rspec", effective: { script: "test", image: "ruby:alpine" } },
  },
  ...(
    [
      ["test1", "{VAR1: test1 var 1, VAR2: test2 var 2}", { VAR1: "test1 var 1", VAR2: "test2 var 2" }],
      ["test2", "{VAR2: test2 var 2}", { VAR1: "base var 1", VAR2: "test2 var 2" }],
      ["test3", "{}", { VAR1: "base var 1" }],
      ["test4", "null", null],
    ] as const
  ).map(([name, variables, result]): SpecCase => ({
    spec: SPEC,
    example: `when using \`extends\` › when overriding \`extends\` › ${name}`,
    files: ci(
      ".base:",
      "  script: test",
      "  variables:",
      "    VAR1: base var 1",
      `${name}:`,
      "  extends: .base",
      `  variables: ${variables}`,
    ),
    expect: { job: name, effective: { script: "test", variables: result } },
  })),
  {
    spec: SPEC,
    example: "when using `extends` › when using recursive `extends`",
    files: ci(
      "rspec:",
      "  extends: .test",
      "  script: rspec",
      "  when: always",
      ".template:",
      "  before_script:",
      "    - bundle install",
      ".test:",
      "  extends: .template",
      "  script: test",
      "  image: image:test",
    ),
    expect: {
      job: "rspec",
      effective: { before_script: ["bundle install"], script: "rspec", image: "image:test", when: "always" },
    },
  },
  {
    spec: SPEC,
    example: "Include › with no project context › when an array of wrong keyed object is provided",
    files: ci("include:", "  - yolo: /local.gitlab-ci.yml", "rspec: {script: test}"),
    expect: {
      error:
        '`{"yolo":"/local.gitlab-ci.yml"}` does not have a valid subkey for include. Valid subkeys are: ' +
        "`local`, `project`, `remote`, `template`, `artifact`, `component`",
    },
  },
  {
    spec: SPEC,
    example: "Include › with no project context › when the include type is incorrect",
    files: ci("include: {name: /local.gitlab-ci.yml}", "rspec: {script: test}"),
    expect: { error: '`{"name":"/local.gitlab-ci.yml"}` does not have a valid subkey for include.' },
  },
  {
    spec: SPEC,
    example: "Include › with no project context › when an array of mixed typed objects is provided",
    files: ci(
      "include:",
      "  - https://gitlab.com/awesome-project/raw/master/.before-script-template.yml",
      "  - template: Auto-DevOps.gitlab-ci.yml",
      "rspec: {script: test}",
    ),
    expect: { valid: true },
  },
  {
    spec: SPEC,
    example: "Include › within a project › when the included internal file is present",
    files: {
      ...ci("include: /local.gitlab-ci.yml", "rspec: {script: test}"),
      "local.gitlab-ci.yml": y("job1:", "  script: hello"),
    },
    expect: { job: "job1", effective: { script: "hello" } },
  },
  {
    spec: SPEC,
    example: "Include › within a project › when the included internal file is not present",
    files: ci("include: /local.gitlab-ci.yml", "rspec: {script: test}"),
    expect: { error: "Local file `local.gitlab-ci.yml` does not exist!" },
  },
  ...["on_success", "on_failure", "always", "manual"].map((when): SpecCase => ({
    spec: SPEC,
    example: `when: › ${when} creates one build and sets when:`,
    files: ci("rspec:", "  script: rspec", `  when: ${when}`),
    expect: { valid: true },
  })),
  {
    spec: SPEC,
    example: "when: › delayed › with start_in",
    files: ci("rspec:", "  script: rspec", "  when: delayed", "  start_in: 1 hour"),
    expect: { valid: true },
  },
  {
    spec: SPEC,
    example: "when: › delayed › without start_in",
    files: ci("rspec:", "  script: rspec", "  when: delayed"),
    expect: { error: "jobs:rspec start in should be a duration" },
  },
  {
    spec: SPEC,
    example: "Parallel › when job is parallelized",
    files: ci("rspec:", "  script: rspec", "  parallel: 5", "  variables: {VAR1: 1}"),
    expect: { valid: true },
  },
  {
    spec: SPEC,
    example: "Parallel › with build matrix",
    files: ci(
      "rspec:",
      "  script: rspec",
      "  variables: {VAR1: 1}",
      "  parallel:",
      "    matrix:",
      "      - {PROVIDER: aws, STACK: [monitoring, app1, app2]}",
      "      - {PROVIDER: ovh, STACK: [monitoring, backup, app]}",
      "      - {PROVIDER: gcp, STACK: [data, processing]}",
    ),
    expect: { valid: true },
  },
  {
    spec: SPEC,
    example: "cache › when cache definition has unknown keys",
    files: ci("cache: {untracked: true, invalid: key}", "rspec: {script: rspec}"),
    expect: { error: "cache config contains unknown keys: invalid" },
  },
  {
    spec: SPEC,
    example: "cache › returns cache when defined globally",
    files: ci('cache: {paths: ["logs/", "binaries/"], untracked: true, key: key}', "rspec: {script: rspec}"),
    expect: { job: "rspec", effective: { cache: { paths: ["logs/", "binaries/"], untracked: true, key: "key" } } },
  },
  {
    spec: SPEC,
    example: "cache › returns cache when defined in default context",
    files: ci(
      'default: {cache: {paths: ["logs/", "binaries/"], untracked: true, key: {files: [file]}}}',
      "rspec: {script: rspec}",
    ),
    expect: {
      job: "rspec",
      effective: { cache: { paths: ["logs/", "binaries/"], untracked: true, key: { files: ["file"] } } },
    },
  },
  {
    spec: SPEC,
    example: "cache › overwrite cache when defined for a job and globally",
    files: ci(
      'cache: {paths: ["logs/", "binaries/"], untracked: true, key: global}',
      "rspec:",
      "  script: rspec",
      '  cache: {paths: ["test/"], untracked: false, key: local}',
    ),
    expect: { job: "rspec", effective: { cache: { paths: ["test/"], untracked: false, key: "local" } } },
  },
  {
    spec: SPEC,
    example: "id_tokens › when defined as default",
    files: ci("default: {id_tokens: {ID_TOKEN_1: {aud: 'http://gcp.com'}}}", "rspec: {script: rspec}"),
    expect: { job: "rspec", effective: { id_tokens: { ID_TOKEN_1: { aud: "http://gcp.com" } } } },
  },
  {
    spec: SPEC,
    example: "id_tokens › when defined as default and on job level",
    files: ci(
      "default: {id_tokens: {ID_TOKEN_1: {aud: 'http://gcp.com'}}}",
      "rspec: {script: rspec, id_tokens: {ID_TOKEN_2: {aud: 'http://job.com'}}}",
    ),
    expect: { job: "rspec", effective: { id_tokens: { ID_TOKEN_2: { aud: "http://job.com" } } } },
  },
];
