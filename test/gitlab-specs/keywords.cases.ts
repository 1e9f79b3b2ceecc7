// spec/lib/gitlab/ci/config/entry/{environment,release,trigger,bridge}_spec.rb: keywords of one job, which GitLab
// names "jobs:<job>:environment ...", "jobs:<job>:release ...", "jobs:<job>:trigger ...".
import { ci, type SpecCase } from "./types";

const ENVIRONMENT = "spec/lib/gitlab/ci/config/entry/environment_spec.rb";
const RELEASE = "spec/lib/gitlab/ci/config/entry/release_spec.rb";
const TRIGGER = "spec/lib/gitlab/ci/config/entry/trigger_spec.rb";
const BRIDGE = "spec/lib/gitlab/ci/config/entry/bridge_spec.rb";

function environment(example: string, flow: string, error?: string): SpecCase {
  return {
    spec: ENVIRONMENT,
    example,
    files: ci(
      "deploy:",
      "  script: deploy",
      `  environment: ${flow}`,
      "close_app: {script: x, environment: {name: production, action: stop}}",
    ),
    expect: error ? { error: `jobs:deploy:environment ${error}` } : { valid: true },
  };
}

function release(example: string, flow: string, error?: string): SpecCase {
  return {
    spec: RELEASE,
    example,
    files: ci("rspec:", "  script: make changelog", `  release: ${flow}`),
    expect: error ? { error: `jobs:rspec:release ${error}` } : { valid: true },
  };
}

function trigger(example: string, flow: string, error?: string): SpecCase {
  return {
    spec: TRIGGER,
    example,
    files: ci("bridge:", `  trigger: ${flow}`),
    expect: error ? { error: `jobs:bridge:trigger ${error}` } : { valid: true },
  };
}

/** `my_bridge` with these lines, and the `.some-key` template the spec's base config extends. */
function bridge(example: string, lines: string[], error?: string): SpecCase {
  return {
    spec: BRIDGE,
    example,
    files: ci(".some-key: {variables: {X: x}}", "my_bridge:", ...lines.map((l) => `  ${l}`)),
    expect: error ? { error } : { valid: true },
  };
}

const BASE = [
  "trigger: {project: some/project, branch: feature}",
  "extends: .some-key",
  "stage: deploy",
  "variables: {VARIABLE: '123'}",
];

export const keywordCases: SpecCase[] = [
  environment("when configuration is a string", "production"),
  environment("when configuration is a hash", "{name: development, url: 'https://example.gitlab.com'}"),
  ...["start", "prepare", "verify", "access"].map((action) =>
    environment(`when valid action is used › ${action}`, `{name: production, action: ${action}}`),
  ),
  environment("when wrong action type is used", "{name: production, action: [stop]}", "action should be a string"),
  environment(
    "when invalid action is used",
    "{name: production, action: invalid}",
    "action should be start, stop, prepare, verify, or access",
  ),
  environment("when on_stop is used", "{name: production, on_stop: close_app}"),
  environment("when invalid on_stop is used", "{name: production, on_stop: false}", "on stop should be a string"),
  environment(
    "when wrong url type is used",
    "{name: production, url: ['https://meow.meow']}",
    "url should be a string",
  ),
  environment(
    "when variables are used for environment",
    "{name: review/$CI_COMMIT_REF_NAME, url: 'https://$CI_COMMIT_REF_NAME.review.gitlab.com'}",
  ),
  environment(
    "when auto_stop_in is specified › when auto_stop_in is correct format",
    "{name: production, on_stop: close_app, auto_stop_in: 2 days}",
  ),
  environment(
    "when auto_stop_in is specified › when variables are used for auto_stop_in",
    "{name: production, on_stop: close_app, auto_stop_in: $TTL}",
  ),
  environment(
    "when configuration is invalid › when configuration is an array",
    "[env]",
    "config should be a hash or a string",
  ),
  environment(
    "when configuration is invalid › when environment name is not present",
    "{url: 'https://example.gitlab.com'}",
    "name can't be blank",
  ),
  {
    ...environment("kubernetes › is a string", "{name: production, kubernetes: production}"),
    expect: { error: "jobs:deploy:environment:kubernetes config should be a hash" },
  },
  environment("kubernetes › is a hash", "{name: production, kubernetes: {namespace: production}}"),
  environment("kubernetes › is nil", "{name: production, kubernetes: null}"),
  environment("deployment_tier › is a string", "{name: customer-portal, deployment_tier: production}"),
  environment("deployment_tier › is nil", "{name: customer-portal, deployment_tier: null}"),
  environment(
    "deployment_tier › is unknown value",
    "{name: customer-portal, deployment_tier: unknown}",
    "deployment tier must be one of production, staging, testing, development, other",
  ),
  release("validation › when entry config value is correct", "{tag_name: v0.06, description: ./release_changelog.txt}"),
  ...["b3235930aa443112e639f941c69c578912189bdd", "b3235930", "fix/123-branch-name", "v1.2.3", "v1.2.3-rc"].map((ref) =>
    release(
      `validation › when value includes 'ref' keyword › ${ref}`,
      `{tag_name: v0.06, description: d, ref: ${ref}}`,
    ),
  ),
  release(
    "validation › when value includes 'milestones' keyword › for a single milestone",
    "{tag_name: v0.06, description: d, milestones: m1}",
  ),
  release("validation › when 'tag_message' is nil", "{tag_name: v0.06, description: d, tag_message: null}"),
  release(
    "#errors › when value of attribute is invalid",
    "{tag_name: v0.06, description: 10}",
    "description should be a string",
  ),
  release(
    "#errors › when release tag_name is missing",
    "{description: ./release_changelog.txt}",
    "tag name can't be blank",
  ),
  release(
    "#errors › when there is an unknown key present",
    "{tag_name: v, description: d, test: 100}",
    "config contains unknown keys: test",
  ),
  release(
    "#errors › when `released_at` is not a valid date",
    "{tag_name: v, description: d, released_at: ABC123}",
    "released at must be a valid datetime",
  ),
  release(
    "#errors › when `ref` is not valid",
    "{tag_name: v, description: d, ref: 'invalid\\branch'}",
    "ref must be a valid ref",
  ),
  release(
    "#errors › when `milestones` is not an array of strings",
    "{tag_name: v, description: d, milestones: [1, 2, 3]}",
    "milestones should be an array of strings or a string",
  ),
  release(
    "#errors › when `tag_message` is not a string",
    "{tag_name: v, description: d, tag_message: 100}",
    "tag message should be a string",
  ),
  trigger("when trigger config is a non-empty string", "some/project"),
  trigger("when trigger config an empty string", "''", "config can't be blank"),
  trigger(
    "when trigger is a hash - cross-project › when project is an empty string",
    "{project: ''}",
    "project can't be blank",
  ),
  trigger(
    "... › when project is not a string › when project is an array",
    "{project: [some/project]}",
    "project should be a string",
  ),
  trigger(
    "... › when project is not a string › when project is a boolean",
    "{project: true}",
    "project should be a string",
  ),
  trigger("... › when strategy is provided › when strategy is depend", "{project: some/project, strategy: depend}"),
  trigger(
    "... › when strategy is provided › when strategy is invalid",
    "{project: some/project, strategy: notdepend}",
    "strategy should be ",
  ),
  trigger(
    "... › when config contains unknown keys",
    "{project: some/project, unknown: 123}",
    "config contains unknown keys: unknown",
  ),
  trigger("... › with forward", "{project: some/project, forward: {pipeline_variables: true}}"),
  trigger(
    "when trigger is a hash - parent-child › with project",
    "{project: some/project, include: path/to/config.yml}",
    "config contains unknown keys: project",
  ),
  trigger(
    "when trigger is a hash - parent-child › with branch",
    "{branch: feature, include: path/to/config.yml}",
    "config contains unknown keys: branch",
  ),
  trigger(
    "when trigger configuration is not valid › when branch is not provided",
    "123",
    "has to be either a string or a hash",
  ),
  bridge("when bridge trigger is a hash", ["trigger: {project: some/project, branch: feature}"]),
  bridge("when bridge configuration contains trigger, when, extends, stage, only, except, and variables", [
    ...BASE,
    "when: always",
    "only: {variables: [$SOMEVARIABLE]}",
    "except: {refs: [feature]}",
  ]),
  bridge("when bridge configuration uses rules", [...BASE, "rules: [{if: '$VAR == null', when: never}]"]),
  bridge("when bridge configuration uses rules with job:when", [
    ...BASE,
    "when: always",
    "rules: [{if: '$VAR == null', when: never}]",
  ]),
  bridge(
    "when bridge configuration uses rules with only",
    [...BASE, "only: {variables: [$SOMEVARIABLE]}", "rules: [{if: '$VAR == null', when: never}]"],
    "jobs:my_bridge config key may not be used with `rules`: only",
  ),
  bridge(
    "when bridge configuration uses rules with except",
    [...BASE, "except: {refs: [feature]}", "rules: [{if: '$VAR == null', when: never}]"],
    "jobs:my_bridge config key may not be used with `rules`: except",
  ),
  bridge(
    "when bridge config contains unknown keys",
    ["trigger: some/project", "unknown: 123"],
    "jobs:my_bridge config contains unknown keys: unknown",
  ),
  bridge(
    "when bridge config contains parallel › when parallel config is a number",
    ["trigger: some/project", "parallel: 2"],
    'jobs:my_bridge:parallel config cannot use "parallel: <number>".',
  ),
  bridge("when bridge config contains parallel › when parallel config is a matrix", [
    "trigger: some/project",
    "parallel: {matrix: [{PROVIDER: aws, STACK: [monitoring, app1]}, {PROVIDER: gcp, STACK: [data]}]}",
  ]),
  bridge("when bridge trigger contains forward", [
    "trigger: {project: some/project, forward: {pipeline_variables: true}}",
  ]),
  bridge(
    "#when › when the `when` keyword is not a string › when it is an array",
    ["trigger: some/project", "when: [always]"],
    "jobs:my_bridge when should be a string",
  ),
];
