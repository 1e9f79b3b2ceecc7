// spec/lib/gitlab/ci/config/entry/{artifacts,cache,reports,retry}_spec.rb, as keywords of job `rspec`
// ("jobs:rspec:artifacts ...", "jobs:rspec:cache ...").
import { ci, type SpecCase } from "./types";

const ARTIFACTS = "spec/lib/gitlab/ci/config/entry/artifacts_spec.rb";
const CACHE = "spec/lib/gitlab/ci/config/entry/cache_spec.rb";
const REPORTS = "spec/lib/gitlab/ci/config/entry/reports_spec.rb";
const EXPOSE_AS = "can contain only letters, digits, '-', '_' and spaces";

/** Job `rspec` with `key: flow`. */
function rspec(key: string, flow: string): Record<string, string> {
  return ci("rspec:", "  script: rspec", `  ${key}: ${flow}`);
}

function valid(spec: string, example: string, key: string, flow: string, pending?: string): SpecCase {
  return { spec, example, files: rspec(key, flow), expect: { valid: true }, pending };
}

function error(spec: string, example: string, key: string, flow: string, text: string, pending?: string): SpecCase {
  return { spec, example, files: rspec(key, flow), expect: { error: text }, pending };
}

const REPORTS_VALID: Array<[string, string]> = [
  ["junit", "junit.xml"],
  ["codequality", "gl-code-quality-report.json"],
  ["sast", "gl-sast-report.json"],
  ["secret_detection", "gl-secret-detection-report.json"],
  ["dependency_scanning", "gl-dependency-scanning-report.json"],
  ["container_scanning", "gl-container-scanning-report.json"],
  ["cluster_image_scanning", "gl-cluster-image-scanning-report.json"],
  ["dast", "gl-dast-report.json"],
  ["browser_performance", "performance.json"],
  ["load_performance", "load-performance.json"],
  ["dotenv", "build.dotenv"],
  ["terraform", "tfplan.json"],
  ["accessibility", "gl-accessibility.json"],
  ["cyclonedx", "gl-sbom.cdx.zip"],
];

export const artifactsCacheCases: SpecCase[] = [
  valid(ARTIFACTS, "validation › when entry config value is correct", "artifacts", "{paths: [public/]}"),
  valid(
    ARTIFACTS,
    "... › when value includes 'reports' keyword",
    "artifacts",
    "{paths: [public/], reports: {junit: junit.xml}}",
  ),
  valid(
    ARTIFACTS,
    "... › when value includes 'expose_as' keyword",
    "artifacts",
    "{paths: [results.txt], expose_as: Test results}",
  ),
  valid(ARTIFACTS, "... › when value includes 'public' keyword", "artifacts", "{paths: [results.txt], public: false}"),
  error(
    ARTIFACTS,
    "#errors › when value of attribute is invalid",
    "artifacts",
    "{name: 10}",
    "jobs:rspec:artifacts name should be a string",
  ),
  error(
    ARTIFACTS,
    "#errors › when there is an unknown key present",
    "artifacts",
    "{test: 100}",
    "jobs:rspec:artifacts config contains unknown keys: test",
  ),
  error(
    ARTIFACTS,
    "#errors › when 'reports' keyword is not hash",
    "artifacts",
    "{paths: [public/], reports: junit.xml}",
    "jobs:rspec:artifacts reports should be a hash",
  ),
  error(
    ARTIFACTS,
    "#errors › when 'public' is not a boolean",
    "artifacts",
    "{paths: [results.txt], public: 'false'}",
    "jobs:rspec:artifacts public should be a boolean value",
  ),
  error(
    ARTIFACTS,
    "#errors › when 'expose_as' is not a string",
    "artifacts",
    "{paths: [results.txt], expose_as: 1}",
    "jobs:rspec:artifacts expose as should be a string",
  ),
  error(
    ARTIFACTS,
    "#errors › when 'expose_as' is too long",
    "artifacts",
    `{paths: [results.txt], expose_as: ${"A".repeat(101)}}`,
    "jobs:rspec:artifacts expose as is too long (maximum is 100 characters)",
  ),
  error(
    ARTIFACTS,
    "#errors › when 'expose_as' is an empty string",
    "artifacts",
    "{paths: [results.txt], expose_as: ''}",
    `jobs:rspec:artifacts expose as ${EXPOSE_AS}`,
  ),
  error(
    ARTIFACTS,
    "#errors › when 'expose_as' contains invalid characters",
    "artifacts",
    `{paths: [results.txt], expose_as: '<script>alert("xss");</script>'}`,
    `jobs:rspec:artifacts expose as ${EXPOSE_AS}`,
  ),
  error(
    ARTIFACTS,
    "#errors › when 'expose_as' is used without 'paths'",
    "artifacts",
    "{expose_as: Test results}",
    "jobs:rspec:artifacts paths can't be blank",
  ),
  error(
    ARTIFACTS,
    "#errors › when 'paths' includes '*' and 'expose_as' is defined",
    "artifacts",
    "{expose_as: Test results, paths: [test.txt, test*.txt]}",
    "jobs:rspec:artifacts paths can't contain '*' when used with 'expose_as'",
  ),
  error(
    ARTIFACTS,
    "when access keyword is used › when used with public",
    "artifacts",
    "{paths: [results.txt], public: true, access: all}",
    "jobs:rspec:artifacts config these keys cannot be used together: public, access",
  ),
  error(
    ARTIFACTS,
    "when access keyword is used › when value is not one from expected list",
    "artifacts",
    "{paths: [results.txt], access: random}",
    "jobs:rspec:artifacts access should be one of: none, developer, maintainer, all",
  ),
  valid(
    ARTIFACTS,
    "when access keyword is used › valid artifacts access developer",
    "artifacts",
    "{paths: [results.txt], access: developer}",
  ),
  valid(
    ARTIFACTS,
    "when access keyword is used › valid artifacts access maintainer",
    "artifacts",
    "{paths: [results.txt], access: maintainer}",
  ),
  error(
    ARTIFACTS,
    "when the `when` keyword is not a string › when it is an array",
    "artifacts",
    "{paths: [results.txt], when: [always]}",
    "jobs:rspec:artifacts when should be a string",
  ),
  valid(
    ARTIFACTS,
    "excluded artifacts › when configuration is valid",
    "artifacts",
    "{untracked: true, exclude: [some/directory/]}",
  ),
  error(
    ARTIFACTS,
    "excluded artifacts › when configuration is not valid",
    "artifacts",
    "{untracked: true, exclude: 1234}",
    "jobs:rspec:artifacts exclude should be an array of strings",
  ),
  ...REPORTS_VALID.map(([report, file]) =>
    valid(
      REPORTS,
      `validation › when entry config value is correct › ${report} › when value is not array`,
      "artifacts",
      `{reports: {${report}: ${file}}}`,
    ),
  ),
  valid(
    REPORTS,
    "validation › when coverage_report is specified › and another report is specified",
    "artifacts",
    "{reports: {coverage_report: {path: cobertura-coverage.xml, " +
      "coverage_format: cobertura}, dast: gl-dast-report.json}}",
  ),
  valid(REPORTS, "validation › when coverage_report is nil", "artifacts", "{reports: {coverage_report: null}}"),
  error(
    REPORTS,
    "#errors › when value of attribute is invalid (junit)",
    "artifacts",
    "{reports: {junit: 10}}",
    "jobs:rspec:artifacts:reports junit should be an array of strings or a string",
  ),
  error(
    REPORTS,
    "#errors › when there is an unknown key present",
    "artifacts",
    "{reports: {codeclimate: codeclimate.json}}",
    "jobs:rspec:artifacts:reports config contains unknown keys: codeclimate",
  ),
  valid(
    CACHE,
    "validations › when entry config value is correct",
    "cache",
    "{key: some key, untracked: true, paths: [some/path/], unprotect: false}",
  ),
  valid(
    CACHE,
    "validations › ... › with files and prefix",
    "cache",
    "{key: {files: [a-file, other-file], prefix: prefix-value}, paths: [p/]}",
  ),
  ...["pull-push", "push", "pull", "$VARIABLE"].map((policy) =>
    valid(
      CACHE,
      `validations › ... › with \`policy\` › ${policy}`,
      "cache",
      `{key: k, paths: [p/], policy: '${policy}'}`,
    ),
  ),
  valid(
    CACHE,
    "validations › ... › with `fallback_keys`",
    "cache",
    "{key: k, paths: [p/], fallback_keys: [key-1, key-2]}",
  ),
  error(CACHE, "#errors › when is not a hash", "cache", "ls", "jobs:rspec:cache config should be a hash"),
  error(
    CACHE,
    "#errors › when descendants are invalid › with empty key",
    "cache",
    "{key: {}}",
    "jobs:rspec:cache:key config must use exactly one of these keys: files, files_commits",
  ),
  error(
    CACHE,
    "#errors › when descendants are invalid › with invalid files",
    "cache",
    "{key: {files: a-file}}",
    "jobs:rspec:cache:key:files config should be an array of strings",
  ),
  error(
    CACHE,
    "#errors › when descendants are invalid › with prefix without files",
    "cache",
    "{key: {prefix: a-prefix}}",
    "jobs:rspec:cache:key config must use exactly one of these keys: files, files_commits",
  ),
  error(
    CACHE,
    "#errors › when descendants are invalid › when there is an unknown key present",
    "cache",
    "{key: {unknown: a-file}}",
    "jobs:rspec:cache:key config contains unknown keys: unknown",
  ),
  error(
    CACHE,
    "#errors › when there is an unknown key present",
    "cache",
    "{invalid: true}",
    "jobs:rspec:cache config contains unknown keys: invalid",
  ),
  error(
    CACHE,
    "#errors › when the `when` keyword is not a valid string › when `when` is unknown",
    "cache",
    "{when: unknown}",
    "jobs:rspec:cache when should be one of: on_success, on_failure, always",
  ),
  error(
    CACHE,
    "#errors › when the `when` keyword is not a valid string › when it is a boolean",
    "cache",
    "{when: true}",
    "jobs:rspec:cache when should be a string",
  ),
  error(
    CACHE,
    "#errors › when the `policy` keyword is not a valid string › when `policy` is unknown",
    "cache",
    "{policy: unknown}",
    "jobs:rspec:cache policy should be a variable or one of: pull-push, push, pull",
  ),
  error(
    CACHE,
    "#errors › when the `policy` keyword is not a valid string › when it is an array",
    "cache",
    "{policy: [pull-push]}",
    "jobs:rspec:cache policy should be a string",
  ),
];
