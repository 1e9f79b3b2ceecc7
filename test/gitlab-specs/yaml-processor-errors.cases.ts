// spec/lib/gitlab/ci/yaml_processor_spec.rb: artifacts, release, environments, timeout, dependencies, needs.
import { ci, type SpecCase } from "./types";

const SPEC = "spec/lib/gitlab/ci/yaml_processor_spec.rb";

/** `it_behaves_like 'returns errors'` over a one-file config. */
function errorCase(example: string, lines: string[], error: string, pending?: string): SpecCase {
  return { spec: SPEC, example, files: ci(...lines), expect: { error }, pending };
}

const ENV_NAME =
  "can contain only letters, digits, '-', '_', '/', '$', '{', " +
  "'}', '.', and spaces, but it cannot start or end with '/'";

/** The "Dependencies" and "Job Needs" configs: build1, build2 (and parallel) in build, test1, test2, deploy. */
function pipeline(test1: string[], parallel = true): string[] {
  return [
    "build1: {stage: build, script: test}",
    "build2: {stage: build, script: test}",
    ...(parallel ? ["parallel: {stage: build, script: test, parallel: 2}"] : []),
    "test1:",
    "  stage: test",
    "  script: test",
    ...test1.map((l) => `  ${l}`),
    "test2: {stage: test, script: test}",
    "deploy: {stage: deploy, script: test}",
  ];
}

export const yamlProcessorErrorCases: SpecCase[] = [
  {
    spec: SPEC,
    example: "Artifacts › returns artifacts with expire_in never keyword",
    files: ci("rspec:", "  script: rspec", '  artifacts: {paths: ["releases/"], expire_in: never}'),
    expect: { valid: true },
  },
  ...["on_success", "on_failure", "always"].map((when): SpecCase => ({
    spec: SPEC,
    example: `Artifacts › returns artifacts for when ${when} defined`,
    files: ci("rspec:", "  script: rspec", `  artifacts: {paths: ["logs/", "binaries/"], when: ${when}}`),
    expect: { valid: true },
  })),
  errorCase(
    "Artifacts › when artifacts syntax is wrong",
    ["test:", "  script:", '    - echo "Hello world"', "  artifacts:", "    - paths:", "    - test/"],
    "jobs:test:artifacts config should be a hash",
  ),
  {
    spec: SPEC,
    example: "Artifacts › populates a build options with complete artifacts configuration",
    files: ci(
      "test:",
      '  script: echo "Hello World"',
      "  artifacts:",
      "    paths: [my/test]",
      "    exclude: [my/test/something]",
    ),
    expect: { valid: true },
  },
  {
    spec: SPEC,
    example: "release › returns release info",
    files: ci(
      "stages: [build, test, release]",
      "release:",
      "  stage: release",
      "  only: [tags]",
      '  script: ["make changelog | tee release_changelog.txt"]',
      "  release:",
      '    tag_name: "$CI_COMMIT_TAG"',
      '    tag_message: "Annotated tag message"',
      '    name: "Release $CI_TAG_NAME"',
      '    description: "./release_changelog.txt"',
      "    ref: b3235930aa443112e639f941c69c578912189bdd",
      "    released_at: '2019-03-15T08:00:00Z'",
      "    milestones: [m1, m2, m3]",
      "    assets:",
      "      links:",
      '        - {name: cool-app.zip, url: "http://my.awesome.download.site/1.0-$CI_COMMIT_SHORT_SHA.zip"}',
      '        - {name: cool-app.exe, url: "http://my.awesome.download.site/1.0-$CI_COMMIT_SHORT_SHA.exe"}',
    ),
    expect: { valid: true },
  },
  ...(
    [
      ["when a production environment is specified", "production"],
      ["when hash is specified", "{name: production, url: 'http://production.gitlab.com'}"],
      [
        "when hash is specified › the url has a port as variable",
        "{name: production, url: 'http://production.gitlab.com:$PORT'}",
      ],
      ["when no environment is specified", "null"],
    ] as const
  ).map(([example, environment]): SpecCase => ({
    spec: SPEC,
    example: `#environment › ${example}`,
    files: ci("deploy_to_production:", "  stage: deploy", "  script: test", `  environment: ${environment}`),
    expect: { valid: true },
  })),
  errorCase(
    "#environment › is not a string",
    ["deploy_to_production: {stage: deploy, script: test, environment: 1}"],
    "jobs:deploy_to_production:environment config should be a hash or a string",
  ),
  errorCase(
    "#environment › is not a valid string",
    ["deploy_to_production: {stage: deploy, script: test, environment: 'production:staging'}"],
    `jobs:deploy_to_production:environment name ${ENV_NAME}`,
  ),
  {
    spec: SPEC,
    example: "#environment › when on_stop is specified › with matching job",
    files: ci(
      "review: {stage: deploy, script: test, environment: {name: review, on_stop: close_review}}",
      "close_review: {stage: deploy, script: test, environment: {name: review, action: stop}}",
    ),
    expect: { valid: true },
  },
  ...(
    [
      ["without matching job", "", "is not defined"],
      ["with close job without environment", "{stage: deploy, script: test}", "does not have environment defined"],
      [
        "with close job for different environment",
        "{stage: deploy, script: test, environment: production}",
        "have different environment name",
      ],
      [
        "with close job without stop action",
        "{stage: deploy, script: test, environment: {name: review}}",
        "needs to have action stop defined",
      ],
    ] as const
  ).map(([example, close, error]) =>
    errorCase(
      `#environment › when on_stop is specified › ${example}`,
      [
        "review: {stage: deploy, script: test, environment: {name: review, on_stop: close_review}}",
        ...(close ? [`close_review: ${close}`] : []),
      ],
      `review job: on_stop job close_review ${error}`,
    ),
  ),
  errorCase(
    "Timeout › when an invalid timeout was provided",
    ["deploy_to_production: {stage: deploy, script: test, timeout: not-a-number}"],
    "jobs:deploy_to_production:timeout config should be a duration",
  ),
  {
    spec: SPEC,
    example: "Timeout › when some valid timeout was provided",
    files: ci("deploy_to_production: {stage: deploy, script: test, timeout: 1m 3s}"),
    expect: { valid: true },
  },
  ...(
    [
      ["no dependencies", "null"],
      ["dependencies to builds", "[build1, build2]"],
    ] as const
  ).map(([example, deps]): SpecCase => ({
    spec: SPEC,
    example: `Dependencies › ${example}`,
    files: ci(...pipeline([`dependencies: ${deps}`], false)),
    expect: { valid: true },
  })),
  errorCase(
    "Dependencies › undefined dependency",
    pipeline(["dependencies: [undefined]"], false),
    "test1 job: undefined dependency: undefined",
  ),
  errorCase(
    "Dependencies › dependencies to deploy",
    pipeline(["dependencies: [deploy]"], false),
    "test1 job: dependency deploy is not defined in current or prior stages",
  ),
  errorCase(
    "Dependencies › when a job depends on another job that references a not-yet defined stage",
    [
      "stages: [version]",
      "version:",
      "  stage: version",
      '  dependencies: ["release:components:versioning"]',
      '  script: ["./versioning/versioning"]',
      ".release_go: {stage: build, script: [cd versioning]}",
      '"release:components:versioning": {stage: build, script: [cd versioning]}',
    ],
    "version job: dependency release:components:versioning is not defined in current or prior stages",
  ),
  ...(
    [
      ["no needs", "null"],
      ["needs a job from the same stage", "[test2]"],
      ["needs two builds", "[build1, build2]"],
      [
        "needs two builds (hashes)",
        "[{job: parallel, artifacts: false}, {job: build1, artifacts: true, optional: true}, build2]",
      ],
      ["needs parallel job", "[parallel]"],
      ["needs dependencies artifacts", "[build1, {job: build2}, {job: parallel, artifacts: true}]"],
      ["when need is an undefined job › when need is optional", "[{job: undefined, optional: true}]"],
    ] as const
  ).map(([example, needs]): SpecCase => ({
    spec: SPEC,
    example: `Job Needs › ${example}`,
    files: ci(...pipeline([`needs: ${needs}`])),
    expect: { valid: true },
  })),
  errorCase(
    "Job Needs › needs parallel job › when expanded job name is too long",
    [
      ...pipeline(["needs: [" + "a".repeat(255) + "]"]),
      `${"a".repeat(255)}: {stage: build, script: test, parallel: 1}`,
    ],
    `test1 job: need \`${"a".repeat(255)} 1/1\` name is too long (maximum is 255 characters)`,
  ),
  {
    spec: SPEC,
    example: "Job Needs › needs parallel job › when parallel job has matrix specified",
    files: ci(
      ...pipeline(["needs: [parallel]"], false),
      "parallel: {stage: build, script: test, parallel: {matrix: [{VAR1: '1', VAR2: '2'}]}}",
    ),
    expect: { valid: true },
  },
  errorCase(
    "Job Needs › needs parallel job › when parallel job has matrix specified › when expanded job name is too long",
    [
      ...pipeline(["needs: [parallel]"], false),
      `parallel: {stage: build, script: test, parallel: {matrix: ` +
        `[{VAR1: '${"1".repeat(127)}', VAR2: '${"2".repeat(127)}'}]}}`,
    ],
    `test1 job: need \`parallel: [${"1".repeat(127)}, ` +
      `${"2".repeat(127)}]\` name is too long (maximum is 255 characters)`,
  ),
  errorCase(
    "Job Needs › when need is an undefined job",
    pipeline(["needs: [undefined]"]),
    "test1 job: undefined need: undefined",
  ),
  errorCase(
    "Job Needs › needs to deploy",
    pipeline(["needs: [deploy]"]),
    "test1 job: need deploy is not defined in current or prior stages",
  ),
  errorCase(
    "Job Needs › duplicate needs › when needs are specified in an array",
    pipeline(["needs: [build1, build1]"]),
    "test1 has the following needs duplicated: build1.",
  ),
  errorCase(
    "Job Needs › duplicate needs › when a job is specified multiple times",
    pipeline([
      "needs: [{job: build2, artifacts: true, optional: false}, {job: build2, artifacts: true, optional: false}]",
    ]),
    "test1 has the following needs duplicated: build2.",
  ),
  errorCase(
    "Job Needs › duplicate needs › when job is specified multiple times with different attributes",
    pipeline([
      "needs: [{job: build2, artifacts: false, optional: true}, {job: build2, artifacts: true, optional: false}]",
    ]),
    "test1 has the following needs duplicated: build2.",
  ),
  errorCase(
    "Job Needs › needs and dependencies that are mismatching",
    pipeline(["needs: [build1]", "dependencies: [build2]"]),
    "jobs:test1 dependencies the build2 should be part of needs",
  ),
  errorCase(
    "Job Needs › needs with a Hash type and dependencies with a string type that are mismatching",
    pipeline(["needs: [build1, {job: build2}]", "dependencies: [build3]"]),
    "jobs:test1 dependencies the build3 should be part of needs",
  ),
  errorCase(
    "Job Needs › needs with an array type and dependency with a string type",
    pipeline(["needs: [build1]", "dependencies: deploy"]),
    "jobs:test1 dependencies should be an array of strings",
  ),
  errorCase(
    "Job Needs › needs with a string type and dependency with an array type",
    pipeline(["needs: build1", "dependencies: [deploy]"]),
    "jobs:test1:needs config can only be a hash or an array",
  ),
  errorCase(
    "Job Needs › needs with a Hash type and dependency with a string type",
    pipeline(["needs: {job: build1}", "dependencies: deploy"]),
    "jobs:test1 dependencies should be an array of strings",
  ),
  {
    spec: SPEC,
    example: "Job Needs › needs with parallel:matrix",
    files: ci(
      "build1:",
      "  stage: build",
      "  script: build",
      "  parallel: {matrix: [{PROVIDER: [aws], STACK: [monitoring, app1, app2]}]}",
      "test1:",
      "  stage: test",
      "  script: test",
      "  needs: [{job: build1, parallel: {matrix: [{PROVIDER: [aws], STACK: [app1]}]}}]",
    ),
    expect: { valid: true },
  },
];
