// GitLab's words for schema errors. GitLab validates a config entry by entry (its classes in
// lib/gitlab/ci/config/entry/ and lib/gitlab/config/entry/, repository gitlabhq/gitlabhq); an error
// reads "<location> <attribute> <text>", lower-cased: the location is the entry's key path joined by
// ':' (`jobs:rspec:artifacts`), the attribute humanised (`expire_in` → `expire in`, `config` for the
// entry's own value). A list's items are entries named by GitLab (`services:service`,
// `rules:rule`, `needs:need`). Each row below is one of those errors, found where our schema reports
// it: the instance path under the validated thing and the ajv keyword. Where no row matches, GitLab
// has no message of its own for the error (or reports it elsewhere) and ours stands alone.

/** What is validated: a job, the top-level keywords (and each file's include), or something GitLab does not
 * validate as such (a hidden template, a key that is not a job, a spec: header). */
export type WordingSubject =
  | { readonly kind: "job"; readonly name: string }
  | { readonly kind: "global" | "none" }
  /** A file's `spec:` header; `location` is GitLab's "`file.yml`: " before an included file's errors. */
  | { readonly kind: "header"; readonly location: string };

export interface WordingError {
  /** The ajv keyword. */
  readonly keyword: string;
  /** The instance path's segments, decoded. */
  readonly path: readonly string[];
  readonly params: Readonly<Record<string, unknown>>;
  /** The value at the path: a scalar, a list (its items may be left out), a map (its keys; values may be null);
   * undefined for a missing one. */
  readonly value: unknown;
  /** For additionalProperties: every unknown key of the map, in order (GitLab lists them all). */
  readonly unknownKeys?: readonly string[];
}

interface Row {
  /** Instance path under the subject: `#` is a list index, `*` any key, a final `...` anything below. */
  readonly at: string;
  readonly keyword: string;
  /** The key the error names (additionalProperty, missingProperty), where the text depends on it. */
  readonly key?: string;
  /** Only for a value that is a map (true) or is not (false). */
  readonly map?: boolean;
  /** GitLab's location of the entry under the subject's own (`*` filled from the path, in order);
   * `null`: GitLab's text names no location. */
  readonly entry: string | null;
  /** GitLab's text after the location. %{keys}: the unknown keys; %{key}: the key the error names;
   * %{name}: the last `*` of the path; %{human}: it humanised; %{value}: the value; %{limit}: the limit;
   * %{pointer}: the JSON pointer below the path's first segment; %{extra}: the value's keys outside `known`;
   * %{allowed}: the schema's allowed values; %{type}: the type expected, in Ruby's words. */
  readonly says: string;
  readonly known?: readonly string[];
}

const UNKNOWN = "config contains unknown keys: %{keys}";
const SCRIPT = "config should be a string or a nested array of strings up to 10 levels deep";
const STRINGS = "config should be an array of strings";
const POLICY_REFS = "config should be an array of strings or regular expressions using re2 syntax";

/** A job's errors, under `jobs:<name>`; the entries a job shares with `default:` and the top level
 * (image, services, cache, before_script, after_script) also serve those, under `default` and ``. */
const JOB: readonly Row[] = [
  // entry/job.rb, entry/processable.rb: the job's own attributes
  { at: "", keyword: "additionalProperties", entry: "", says: UNKNOWN },
  { at: "when", keyword: "type", entry: "", says: "when should be a string" },
  { at: "when", keyword: "enum", entry: "", says: "when should be one of: %{allowed}" },
  { at: "dependencies", keyword: "type", entry: "", says: "dependencies should be an array of strings" },
  { at: "dependencies/#", keyword: "type", entry: "", says: "dependencies should be an array of strings" },
  { at: "allow_failure", keyword: "type", entry: "", says: "allow failure should be a hash or a boolean value" },
  { at: "start_in", keyword: "type", entry: "", says: "start in should be a duration" },
  { at: "start_in", keyword: "pattern", entry: "", says: "start in should be a duration" },
  { at: "resource_group", keyword: "type", entry: "", says: "resource group should be a string" },
  { at: "extends", keyword: "type", entry: "", says: "extends should be an array of strings or a string" },
  { at: "extends/#", keyword: "type", entry: "", says: "extends should be an array of strings or a string" },
  { at: "rules", keyword: "type", entry: "", says: "rules should be an array containing hashes and arrays of hashes" },
  {
    at: "rules/#",
    keyword: "type",
    entry: "",
    says: "rules should be an array containing hashes and arrays of hashes",
  },
  {
    at: "rules/#/#",
    keyword: "type",
    entry: "",
    says: "rules should be an array containing hashes and arrays of hashes",
  },
  {
    at: "rules/#/#/...",
    keyword: "type",
    entry: "",
    says: "rules should be an array containing hashes and arrays of hashes",
  },
  // entry/allow_failure.rb
  { at: "allow_failure", keyword: "additionalProperties", entry: "allow_failure", says: UNKNOWN },
  {
    at: "allow_failure/exit_codes",
    keyword: "type",
    entry: "allow_failure",
    says: "exit codes should be an array of integers or an integer",
  },
  {
    at: "allow_failure/exit_codes/#",
    keyword: "type",
    entry: "allow_failure",
    says: "exit codes should be an array of integers or an integer",
  },
  // entry/stage.rb
  { at: "stage", keyword: "type", entry: "stage", says: "config should be a string" },
  // entry/commands.rb (script), entry/script.rb (before_script, after_script)
  { at: "script", keyword: "type", entry: "script", says: SCRIPT },
  { at: "script/...", keyword: "type", entry: "script", says: SCRIPT },
  { at: "before_script", keyword: "type", entry: "before_script", says: SCRIPT },
  { at: "before_script/...", keyword: "type", entry: "before_script", says: SCRIPT },
  { at: "after_script", keyword: "type", entry: "after_script", says: SCRIPT },
  { at: "after_script/...", keyword: "type", entry: "after_script", says: SCRIPT },
  // config/entry/array_of_strings.rb (tags)
  { at: "tags", keyword: "type", entry: "tags", says: STRINGS },
  { at: "tags/#", keyword: "type", entry: "tags", says: STRINGS },
  // entry/tags.rb: 50 tags or more (TAGS_LIMIT)
  { at: "tags", keyword: "maxItems", entry: "tags", says: "config must be less than the limit of 50 tags" },
  // entry/boolean.rb (interruptible)
  { at: "interruptible", keyword: "type", entry: "interruptible", says: "config should be a boolean value" },
  // entry/timeout.rb
  { at: "timeout", keyword: "type", entry: "timeout", says: "config should be a duration" },
  // entry/image.rb, entry/imageable.rb, entry/pull_policy.rb
  { at: "image", keyword: "type", entry: "image", says: "config should be a hash or a string" },
  {
    at: "image",
    keyword: "additionalProperties",
    key: "ports",
    entry: "image",
    says: "config contains disallowed keys: ports",
  },
  { at: "image", keyword: "additionalProperties", entry: "image", says: UNKNOWN },
  { at: "image/name", keyword: "type", entry: "image", says: "name should be a string" },
  { at: "image", keyword: "required", key: "name", entry: "image", says: "name can't be blank" },
  { at: "image/entrypoint", keyword: "type", entry: "image", says: "entrypoint should be an array of strings" },
  { at: "image/entrypoint/#", keyword: "type", entry: "image", says: "entrypoint should be an array of strings" },
  {
    at: "image/pull_policy",
    keyword: "type",
    entry: "image:pull_policy",
    says: "config should be an array of strings or a string",
  },
  { at: "image/pull_policy", keyword: "enum", entry: "image:pull_policy", says: "config is not included in the list" },
  {
    at: "image/pull_policy/#",
    keyword: "enum",
    entry: "image:pull_policy",
    says: "config contains unknown values: %{value}",
  },
  // entry/services.rb, entry/service.rb (with entry/imageable.rb)
  { at: "services", keyword: "type", entry: "services", says: "config should be a array" },
  { at: "services/#", keyword: "type", entry: "services:service", says: "config should be a hash or a string" },
  {
    at: "services/#",
    keyword: "additionalProperties",
    key: "ports",
    entry: "services:service",
    says: "config contains disallowed keys: ports",
  },
  { at: "services/#", keyword: "additionalProperties", entry: "services:service", says: UNKNOWN },
  { at: "services/#", keyword: "required", key: "name", entry: "services:service", says: "name can't be blank" },
  { at: "services/#/name", keyword: "type", entry: "services:service", says: "name should be a string" },
  { at: "services/#/alias", keyword: "type", entry: "services:service", says: "alias should be a string" },
  {
    at: "services/#/command",
    keyword: "type",
    entry: "services:service",
    says: "command should be an array of strings",
  },
  {
    at: "services/#/command/#",
    keyword: "type",
    entry: "services:service",
    says: "command should be an array of strings",
  },
  {
    at: "services/#/entrypoint",
    keyword: "type",
    entry: "services:service",
    says: "entrypoint should be an array of strings",
  },
  {
    at: "services/#/entrypoint/#",
    keyword: "type",
    entry: "services:service",
    says: "entrypoint should be an array of strings",
  },
  { at: "services/#/variables", keyword: "type", entry: "services:service:variables", says: "config should be a hash" },
  // entry/caches.rb, entry/cache.rb
  { at: "cache", keyword: "type", entry: "cache", says: "config should be a hash" },
  { at: "cache", keyword: "maxItems", entry: "cache", says: "config no more than %{limit} caches can be created" },
  { at: "cache", keyword: "additionalProperties", entry: "cache", says: UNKNOWN },
  { at: "cache/when", keyword: "type", entry: "cache", says: "when should be a string" },
  { at: "cache/when", keyword: "enum", entry: "cache", says: "when should be one of: on_success, on_failure, always" },
  { at: "cache/policy", keyword: "type", entry: "cache", says: "policy should be a string" },
  {
    at: "cache/policy",
    keyword: "pattern",
    entry: "cache",
    says: "policy should be a variable or one of: pull-push, push, pull",
  },
  {
    at: "cache/fallback_keys",
    keyword: "maxItems",
    entry: "cache",
    says: "fallback keys has to many entries (maximum %{limit})",
  },
  { at: "cache/fallback_keys", keyword: "type", entry: "cache:fallback_keys", says: STRINGS },
  { at: "cache/fallback_keys/#", keyword: "type", entry: "cache:fallback_keys", says: STRINGS },
  { at: "cache/untracked", keyword: "type", entry: "cache:untracked", says: "config should be a boolean value" },
  { at: "cache/unprotect", keyword: "type", entry: "cache:unprotect", says: "config should be a boolean value" },
  // entry/paths.rb
  { at: "cache/paths", keyword: "type", entry: "cache:paths", says: STRINGS },
  { at: "cache/paths/#", keyword: "type", entry: "cache:paths", says: STRINGS },
  // entry/key.rb, entry/files.rb, entry/prefix.rb
  { at: "cache/key", keyword: "type", map: true, entry: "cache:key:files", says: STRINGS },
  { at: "cache/key", keyword: "type", entry: "cache:key", says: "should be a hash, a string or a symbol" },
  { at: "cache/key", keyword: "additionalProperties", entry: "cache:key", says: UNKNOWN },
  {
    at: "cache/key",
    keyword: "required",
    entry: "cache:key",
    says: "config must use exactly one of these keys: files, files_commits",
  },
  { at: "cache/key/files", keyword: "type", entry: "cache:key:files", says: STRINGS },
  { at: "cache/key/files/#", keyword: "type", entry: "cache:key:files", says: STRINGS },
  {
    at: "cache/key/files",
    keyword: "minItems",
    entry: "cache:key:files",
    says: "config requires at least %{limit} item",
  },
  {
    at: "cache/key/files",
    keyword: "maxItems",
    entry: "cache:key:files",
    says: "config has too many items (maximum is %{limit})",
  },
  { at: "cache/key/prefix", keyword: "type", entry: "cache:key:prefix", says: "config should be a string or symbol" },
  // entry/artifacts.rb
  { at: "artifacts", keyword: "type", entry: "artifacts", says: "config should be a hash" },
  { at: "artifacts", keyword: "additionalProperties", entry: "artifacts", says: UNKNOWN },
  { at: "artifacts", keyword: "dependencies", key: "paths", entry: "artifacts", says: "paths can't be blank" },
  { at: "artifacts", keyword: "dependentRequired", key: "paths", entry: "artifacts", says: "paths can't be blank" },
  {
    at: "artifacts/access",
    keyword: "not",
    entry: "artifacts",
    says: "config these keys cannot be used together: public, access",
  },
  {
    at: "artifacts/public",
    keyword: "not",
    entry: "artifacts",
    says: "config these keys cannot be used together: public, access",
  },
  { at: "artifacts/name", keyword: "type", entry: "artifacts", says: "name should be a string" },
  { at: "artifacts/public", keyword: "type", entry: "artifacts", says: "public should be a boolean value" },
  { at: "artifacts/untracked", keyword: "type", entry: "artifacts", says: "untracked should be a boolean value" },
  { at: "artifacts/paths", keyword: "type", entry: "artifacts", says: "paths should be an array of strings" },
  { at: "artifacts/paths/#", keyword: "type", entry: "artifacts", says: "paths should be an array of strings" },
  // artifacts.rb: with expose_as, no wildcard in paths
  {
    at: "artifacts/paths/#",
    keyword: "pattern",
    entry: "artifacts",
    says: "paths can't contain '*' when used with 'expose_as'",
  },
  { at: "artifacts/exclude", keyword: "type", entry: "artifacts", says: "exclude should be an array of strings" },
  { at: "artifacts/exclude/#", keyword: "type", entry: "artifacts", says: "exclude should be an array of strings" },
  { at: "artifacts/expose_as", keyword: "type", entry: "artifacts", says: "expose as should be a string" },
  {
    at: "artifacts/expose_as",
    keyword: "maxLength",
    entry: "artifacts",
    says: "expose as is too long (maximum is %{limit} characters)",
  },
  {
    at: "artifacts/expose_as",
    keyword: "pattern",
    entry: "artifacts",
    says: "expose as can contain only letters, digits, '-', '_' and spaces",
  },
  { at: "artifacts/reports", keyword: "type", entry: "artifacts", says: "reports should be a hash" },
  { at: "artifacts/when", keyword: "type", entry: "artifacts", says: "when should be a string" },
  {
    at: "artifacts/when",
    keyword: "enum",
    entry: "artifacts",
    says: "when should be one of: on_success, on_failure, always",
  },
  { at: "artifacts/expire_in", keyword: "type", entry: "artifacts", says: "expire in should be a duration" },
  { at: "artifacts/access", keyword: "type", entry: "artifacts", says: "access should be a string" },
  {
    at: "artifacts/access",
    keyword: "enum",
    entry: "artifacts",
    says: "access should be one of: none, developer, maintainer, all",
  },
  // entry/reports/coverage_report.rb
  {
    at: "artifacts/reports/coverage_report",
    keyword: "type",
    entry: "artifacts:reports:coverage_report",
    says: "config should be a hash",
  },
  {
    at: "artifacts/reports/coverage_report",
    keyword: "additionalProperties",
    entry: "artifacts:reports:coverage_report",
    says: UNKNOWN,
  },
  {
    at: "artifacts/reports/coverage_report",
    keyword: "required",
    key: "coverage_format",
    entry: "artifacts:reports:coverage_report",
    says: "coverage format can't be blank",
  },
  {
    at: "artifacts/reports/coverage_report",
    keyword: "required",
    key: "path",
    entry: "artifacts:reports:coverage_report",
    says: "path can't be blank",
  },
  {
    at: "artifacts/reports/coverage_report/coverage_format",
    keyword: "enum",
    entry: "artifacts:reports:coverage_report",
    says: "coverage format must be one of supported formats: cobertura, jacoco.",
  },
  {
    at: "artifacts/reports/coverage_report/path",
    keyword: "type",
    entry: "artifacts:reports:coverage_report",
    says: "path should be a string",
  },
  // entry/reports.rb
  { at: "artifacts/reports", keyword: "additionalProperties", entry: "artifacts:reports", says: UNKNOWN },
  {
    at: "artifacts/reports/*",
    keyword: "type",
    entry: "artifacts:reports",
    says: "%{human} should be an array of strings or a string",
  },
  {
    at: "artifacts/reports/*/#",
    keyword: "type",
    entry: "artifacts:reports",
    says: "%{human} should be an array of strings or a string",
  },
  // entry/environment.rb, entry/kubernetes.rb
  { at: "environment", keyword: "type", entry: "environment", says: "config should be a hash or a string" },
  { at: "environment", keyword: "additionalProperties", entry: "environment", says: UNKNOWN },
  { at: "environment", keyword: "required", key: "name", entry: "environment", says: "name can't be blank" },
  // environment.rb: Gitlab::Regex.environment_name_regex, for the name alone or in the hash
  ...["environment", "environment/name"].map((at) => ({
    at,
    keyword: "pattern",
    entry: "environment",
    says:
      "name can contain only letters, digits, '-', '_', '/', '$', '{', '}', '.', and spaces, but it cannot start " +
      "or end with '/'",
  })),
  { at: "environment/url", keyword: "type", entry: "environment", says: "url should be a string" },
  {
    at: "environment/url",
    keyword: "maxLength",
    entry: "environment",
    says: "url is too long (maximum is %{limit} characters)",
  },
  { at: "environment/action", keyword: "type", entry: "environment", says: "action should be a string" },
  {
    at: "environment/action",
    keyword: "enum",
    entry: "environment",
    says: "action should be start, stop, prepare, verify, or access",
  },
  { at: "environment/on_stop", keyword: "type", entry: "environment", says: "on stop should be a string" },
  { at: "environment/auto_stop_in", keyword: "type", entry: "environment", says: "auto stop in should be a duration" },
  {
    at: "environment/deployment_tier",
    keyword: "type",
    entry: "environment",
    says: "deployment tier should be a string",
  },
  {
    at: "environment/deployment_tier",
    keyword: "enum",
    entry: "environment",
    says: "deployment tier must be one of production, staging, testing, development, other",
  },
  { at: "environment/kubernetes", keyword: "type", entry: "environment:kubernetes", says: "config should be a hash" },
  { at: "environment/kubernetes", keyword: "additionalProperties", entry: "environment:kubernetes", says: UNKNOWN },
  {
    at: "environment/kubernetes/namespace",
    keyword: "type",
    entry: "environment:kubernetes",
    says: "namespace should be a string",
  },
  {
    at: "environment/kubernetes/agent",
    keyword: "type",
    entry: "environment:kubernetes",
    says: "agent should be a string",
  },
  // entry/release.rb
  { at: "release", keyword: "additionalProperties", entry: "release", says: UNKNOWN },
  { at: "release", keyword: "required", key: "tag_name", entry: "release", says: "tag name can't be blank" },
  { at: "release", keyword: "required", key: "description", entry: "release", says: "description can't be blank" },
  { at: "release/tag_name", keyword: "type", entry: "release", says: "tag name should be a string" },
  { at: "release/tag_message", keyword: "type", entry: "release", says: "tag message should be a string" },
  { at: "release/name", keyword: "type", entry: "release", says: "name should be a string" },
  { at: "release/description", keyword: "type", entry: "release", says: "description should be a string" },
  { at: "release/ref", keyword: "type", entry: "release", says: "ref should be a string" },
  // release.rb: a commit SHA (Commit.reference_valid?) or a name Gitlab::GitRefValidator accepts
  { at: "release/ref", keyword: "pattern", entry: "release", says: "ref must be a valid ref" },
  { at: "release/released_at", keyword: "type", entry: "release", says: "released at should be a string" },
  { at: "release/released_at", keyword: "pattern", entry: "release", says: "released at must be a valid datetime" },
  {
    at: "release/milestones",
    keyword: "type",
    entry: "release",
    says: "milestones should be an array of strings or a string",
  },
  {
    at: "release/milestones/#",
    keyword: "type",
    entry: "release",
    says: "milestones should be an array of strings or a string",
  },
  // entry/release/assets.rb
  { at: "release/assets", keyword: "additionalProperties", entry: "release:assets", says: UNKNOWN },
  { at: "release/assets", keyword: "required", key: "links", entry: "release:assets", says: "links can't be blank" },
  { at: "release/assets/links", keyword: "type", entry: "release:assets", says: "links should be an array of hashes" },
  {
    at: "release/assets/links/#",
    keyword: "type",
    entry: "release:assets",
    says: "links should be an array of hashes",
  },
  // entry/hooks.rb (with entry/commands.rb)
  { at: "hooks", keyword: "type", entry: "hooks", says: "config should be a hash" },
  { at: "hooks", keyword: "additionalProperties", entry: "hooks", says: UNKNOWN },
  { at: "hooks/pre_get_sources_script", keyword: "type", entry: "hooks:pre_get_sources_script", says: SCRIPT },
  { at: "hooks/pre_get_sources_script/...", keyword: "type", entry: "hooks:pre_get_sources_script", says: SCRIPT },
  // entry/id_token.rb (id_tokens: a hash of them, each under its name)
  { at: "id_tokens/*", keyword: "additionalProperties", entry: "id_tokens:*", says: UNKNOWN },
  {
    at: "id_tokens/*",
    keyword: "required",
    key: "aud",
    entry: "id_tokens:*",
    says: "config missing required keys: aud",
  },
  {
    at: "id_tokens/*/aud",
    keyword: "type",
    entry: "id_tokens:*",
    says: "aud should be an array of strings or a string",
  },
  {
    at: "id_tokens/*/aud/#",
    keyword: "type",
    entry: "id_tokens:*",
    says: "aud should be an array of strings or a string",
  },
  // entry/trigger.rb
  { at: "trigger", keyword: "type", entry: "trigger", says: "has to be either a string or a hash" },
  { at: "trigger", keyword: "minLength", entry: "trigger", says: "config can't be blank" },
  { at: "trigger", keyword: "minProperties", entry: "trigger", says: "config can't be blank" },
  { at: "trigger", keyword: "additionalProperties", entry: "trigger", says: UNKNOWN },
  { at: "trigger/project", keyword: "not", entry: "trigger", says: "config contains unknown keys: project" },
  { at: "trigger/branch", keyword: "not", entry: "trigger", says: "config contains unknown keys: branch" },
  { at: "trigger/project", keyword: "minLength", entry: "trigger", says: "project can't be blank" },
  { at: "trigger/project", keyword: "type", entry: "trigger", says: "project should be a string" },
  { at: "trigger/branch", keyword: "type", entry: "trigger", says: "branch should be a string" },
  { at: "trigger/strategy", keyword: "type", entry: "trigger", says: "strategy should be a string" },
  { at: "trigger/strategy", keyword: "enum", entry: "trigger", says: "strategy should be depend or mirror" },
  // entry/trigger/forward.rb
  { at: "trigger/forward", keyword: "additionalProperties", entry: "trigger:forward", says: UNKNOWN },
  {
    at: "trigger/forward/yaml_variables",
    keyword: "type",
    entry: "trigger:forward",
    says: "yaml variables should be a boolean value",
  },
  {
    at: "trigger/forward/pipeline_variables",
    keyword: "type",
    entry: "trigger:forward",
    says: "pipeline variables should be a boolean value",
  },
  // entry/includes.rb and entry/include.rb, as trigger:include
  {
    at: "trigger/include/#",
    keyword: "dependencies",
    key: "job",
    entry: "trigger:include",
    says: "config must specify the job where to fetch the artifact from",
  },
  {
    at: "trigger/include/#",
    keyword: "dependentRequired",
    key: "job",
    entry: "trigger:include",
    says: "config must specify the job where to fetch the artifact from",
  },
  {
    at: "trigger/include/#",
    keyword: "dependencies",
    key: "file",
    entry: "trigger:include",
    says: "config must specify the file where to fetch the config from",
  },
  {
    at: "trigger/include/#",
    keyword: "dependentRequired",
    key: "file",
    entry: "trigger:include",
    says: "config must specify the file where to fetch the config from",
  },
  // entry/needs.rb, entry/need.rb
  { at: "needs", keyword: "type", entry: "needs", says: "config can only be a hash or an array" },
  { at: "needs/#", keyword: "type", entry: "needs:need", says: "has an unsupported type" },
  { at: "needs/#", keyword: "minLength", entry: "needs:need", says: "config can't be blank" },
  { at: "needs/#", keyword: "additionalProperties", entry: "needs:need", says: UNKNOWN },
  { at: "needs/#/job", keyword: "minLength", entry: "needs:need", says: "job can't be blank" },
  { at: "needs/#/job", keyword: "type", entry: "needs:need", says: "job should be a string" },
  { at: "needs/#/artifacts", keyword: "type", entry: "needs:need", says: "artifacts should be a boolean value" },
  { at: "needs/#/optional", keyword: "type", entry: "needs:need", says: "optional should be a boolean value" },
  // entry/product/parallel.rb, entry/product/matrix.rb as needs:need:parallel
  { at: "needs/parallel", keyword: "type", entry: "needs", says: 'config cannot use "parallel: <number>".' },
  { at: "needs/#/parallel", keyword: "type", entry: "needs", says: 'config cannot use "parallel: <number>".' },
  { at: "needs/#/parallel", keyword: "additionalProperties", entry: "needs:need:parallel", says: UNKNOWN },
  {
    at: "needs/#/parallel",
    keyword: "required",
    entry: "needs:need:parallel",
    says: "config missing required keys: matrix",
  },
  {
    at: "needs/#/parallel/matrix",
    keyword: "type",
    entry: "needs:need:parallel:matrix",
    says: "config should be an array of hashes",
  },
  {
    at: "needs/#/parallel/matrix/#",
    keyword: "type",
    entry: "needs:need:parallel:matrix",
    says: "config should be an array of hashes",
  },
  // entry/product/parallel.rb, entry/product/matrix.rb
  { at: "parallel", keyword: "type", entry: "parallel", says: "should be an integer or a hash" },
  { at: "parallel", keyword: "minimum", entry: "parallel", says: "config must be greater than or equal to %{limit}" },
  { at: "parallel", keyword: "maximum", entry: "parallel", says: "config must be less than or equal to %{limit}" },
  { at: "parallel", keyword: "additionalProperties", entry: "parallel", says: UNKNOWN },
  { at: "parallel", keyword: "required", entry: "parallel", says: "config missing required keys: matrix" },
  { at: "parallel/matrix", keyword: "type", entry: "parallel:matrix", says: "config should be an array of hashes" },
  { at: "parallel/matrix/#", keyword: "type", entry: "parallel:matrix", says: "config should be an array of hashes" },
  // entry/retry.rb
  { at: "retry", keyword: "type", entry: "retry", says: "config has to be either an integer or a hash" },
  { at: "retry", keyword: "minimum", entry: "retry", says: "config must be greater than or equal to %{limit}" },
  { at: "retry", keyword: "maximum", entry: "retry", says: "config must be less than or equal to %{limit}" },
  { at: "retry", keyword: "additionalProperties", entry: "retry", says: UNKNOWN },
  { at: "retry/max", keyword: "type", entry: "retry", says: "max must be an integer" },
  { at: "retry/max", keyword: "minimum", entry: "retry", says: "max must be greater than or equal to %{limit}" },
  { at: "retry/max", keyword: "maximum", entry: "retry", says: "max must be less than or equal to %{limit}" },
  {
    at: "retry/exit_codes",
    keyword: "type",
    entry: "retry",
    says: "exit codes should be an array of integers or an integer",
  },
  {
    at: "retry/exit_codes/#",
    keyword: "type",
    entry: "retry",
    says: "exit codes should be an array of integers or an integer",
  },
  { at: "retry/when", keyword: "type", entry: "retry", says: "when should be an array of strings or a string" },
  { at: "retry/when/#", keyword: "type", entry: "retry", says: "when should be an array of strings or a string" },
  { at: "retry/when", keyword: "enum", entry: "retry", says: "when is not included in the list" },
  { at: "retry/when/#", keyword: "enum", entry: "retry", says: "when contains unknown values: %{value}" },
  // entry/policy.rb (only, except)
  { at: "only", keyword: "type", entry: "only", says: "has to be either an array of conditions or a hash" },
  { at: "only/#", keyword: "type", entry: "only", says: POLICY_REFS },
  { at: "only", keyword: "additionalProperties", entry: "only", says: UNKNOWN },
  {
    at: "only/refs",
    keyword: "type",
    entry: "only",
    says: "refs should be an array of strings or regular expressions using re2 syntax",
  },
  {
    at: "only/refs/#",
    keyword: "type",
    entry: "only",
    says: "refs should be an array of strings or regular expressions using re2 syntax",
  },
  { at: "only/changes", keyword: "type", entry: "only", says: "changes should be an array of strings" },
  { at: "only/changes/#", keyword: "type", entry: "only", says: "changes should be an array of strings" },
  { at: "only/variables", keyword: "type", entry: "only", says: "variables should be an array of strings" },
  { at: "only/variables/#", keyword: "type", entry: "only", says: "variables should be an array of strings" },
  { at: "only/kubernetes", keyword: "enum", entry: "only", says: "kubernetes unknown value: %{value}" },
  { at: "except", keyword: "type", entry: "except", says: "has to be either an array of conditions or a hash" },
  { at: "except/#", keyword: "type", entry: "except", says: POLICY_REFS },
  { at: "except", keyword: "additionalProperties", entry: "except", says: UNKNOWN },
  {
    at: "except/refs",
    keyword: "type",
    entry: "except",
    says: "refs should be an array of strings or regular expressions using re2 syntax",
  },
  {
    at: "except/refs/#",
    keyword: "type",
    entry: "except",
    says: "refs should be an array of strings or regular expressions using re2 syntax",
  },
  { at: "except/changes", keyword: "type", entry: "except", says: "changes should be an array of strings" },
  { at: "except/changes/#", keyword: "type", entry: "except", says: "changes should be an array of strings" },
  { at: "except/variables", keyword: "type", entry: "except", says: "variables should be an array of strings" },
  { at: "except/variables/#", keyword: "type", entry: "except", says: "variables should be an array of strings" },
  { at: "except/kubernetes", keyword: "enum", entry: "except", says: "kubernetes unknown value: %{value}" },
  // entry/variables.rb, entry/variable.rb (a job's variables take value and expand)
  { at: "variables", keyword: "type", entry: "variables", says: "config should be a hash" },
  {
    at: "variables/*",
    keyword: "type",
    map: true,
    entry: "variables:*",
    says: "config uses invalid data keys: %{extra}",
    known: ["value", "expand"],
  },
  { at: "variables/*", keyword: "type", entry: null, says: "variable definition must be either a string or a hash" },
  {
    at: "variables/*",
    keyword: "additionalProperties",
    entry: "variables:*",
    says: "config uses invalid data keys: %{keys}",
  },
  { at: "variables/*/expand", keyword: "type", entry: "variables:*", says: "config expand should be a boolean value" },
  // entry/inherit.rb, entry/inherit/default.rb, entry/inherit/variables.rb
  { at: "inherit", keyword: "additionalProperties", entry: "inherit", says: UNKNOWN },
  {
    at: "inherit/default",
    keyword: "type",
    entry: "inherit:default",
    says: "config should be a boolean value or an array of strings",
  },
  {
    at: "inherit/variables",
    keyword: "type",
    entry: "inherit:variables",
    says: "config should be a boolean value or an array of strings",
  },
  // entry/coverage.rb
  { at: "coverage", keyword: "type", entry: "coverage", says: "config should be a string" },
  // entry/job.rb inputs (entry/job_input.rb, entry/base_input.rb)
  { at: "inputs/*", keyword: "required", key: "default", entry: "inputs:*", says: "must have a default value" },
  { at: "inputs/*/default", keyword: "type", entry: "", says: "inputs `%{name}`: default value is not a %{type}" },
  // entry/job.rb run: GitLab's JSON schema validator (json_schemer) words these
  { at: "run", keyword: "type", entry: "", says: "run value at root is not an array" },
  {
    at: "run/...",
    keyword: "required",
    entry: "",
    says: "run object at `%{pointer}` is missing required properties: %{key}",
  },
  {
    at: "run/...",
    keyword: "additionalProperties",
    entry: "",
    says: "run object property at `%{pointer}/%{key}` is a disallowed additional property",
  },
  {
    at: "run/...",
    keyword: "not",
    entry: "",
    says: "run object property at `%{pointer}` is a disallowed additional property",
  },
  { at: "run/...", keyword: "type", entry: "", says: "run value at `%{pointer}` is not a %{type}" },
  // entry/rules.rb, entry/rules/rule.rb, entry/rules/rule/changes.rb, entry/rules/rule/exists.rb
  { at: "rules/#", keyword: "minProperties", entry: "rules:rule", says: "config can't be blank" },
  { at: "rules/#", keyword: "additionalProperties", entry: "rules:rule", says: UNKNOWN },
  { at: "rules/#/start_in", keyword: "not", entry: "rules:rule", says: "config contains disallowed keys: start_in" },
  { at: "rules/#", keyword: "required", key: "start_in", entry: "rules:rule", says: "start in can't be blank" },
  { at: "rules/#/if", keyword: "type", entry: "rules:rule", says: "if invalid expression syntax" },
  { at: "rules/#/when", keyword: "enum", entry: "rules:rule", says: "when unknown value: %{value}" },
  {
    at: "rules/#/allow_failure",
    keyword: "type",
    entry: "rules:rule",
    says: "allow failure should be a boolean value",
  },
  {
    at: "rules/#/interruptible",
    keyword: "type",
    entry: "rules:rule",
    says: "interruptible should be a boolean value",
  },
  { at: "rules/#/variables", keyword: "type", entry: "rules:rule:variables", says: "config should be a hash" },
  { at: "rules/#/changes", keyword: "type", entry: "rules:rule:changes", says: "should be an array or a hash" },
  { at: "rules/#/changes/#", keyword: "type", entry: "rules:rule:changes", says: STRINGS },
  {
    at: "rules/#/changes",
    keyword: "maxItems",
    entry: "rules:rule:changes",
    says: "config has too many entries (maximum %{limit})",
  },
  { at: "rules/#/changes", keyword: "additionalProperties", entry: "rules:rule:changes", says: UNKNOWN },
  {
    at: "rules/#/changes",
    keyword: "required",
    entry: "rules:rule:changes",
    says: "config missing required keys: paths",
  },
  {
    at: "rules/#/changes/paths",
    keyword: "type",
    entry: "rules:rule:changes",
    says: "paths should be an array of strings",
  },
  {
    at: "rules/#/changes/paths/#",
    keyword: "type",
    entry: "rules:rule:changes",
    says: "paths should be an array of strings",
  },
  {
    at: "rules/#/changes/paths",
    keyword: "maxItems",
    entry: "rules:rule:changes",
    says: "paths has too many entries (maximum %{limit})",
  },
  {
    at: "rules/#/changes/compare_to",
    keyword: "type",
    entry: "rules:rule:changes",
    says: "compare to should be a string",
  },
  {
    at: "rules/#/exists",
    keyword: "type",
    entry: "rules:rule:exists",
    says: "should be a string, an array of strings, or a hash",
  },
  { at: "rules/#/exists/#", keyword: "type", entry: "rules:rule:exists", says: STRINGS },
  {
    at: "rules/#/exists",
    keyword: "maxItems",
    entry: "rules:rule:exists",
    says: "config has too many entries (maximum %{limit})",
  },
  { at: "rules/#/exists", keyword: "additionalProperties", entry: "rules:rule:exists", says: UNKNOWN },
  // an empty map is accepted (exists.rb's ComplexExists); one with project: or ref: needs paths:
  ...["dependencies", "dependentRequired"].flatMap((keyword) =>
    ["paths", "project"].map((key) => ({
      at: "rules/#/exists",
      keyword,
      key,
      entry: "rules:rule:exists",
      says: `config missing required keys: ${key}`,
    })),
  ),
  {
    at: "rules/#/exists/paths",
    keyword: "type",
    entry: "rules:rule:exists",
    says: "paths should be an array of strings",
  },
  {
    at: "rules/#/exists/paths/#",
    keyword: "type",
    entry: "rules:rule:exists",
    says: "paths should be an array of strings",
  },
  {
    at: "rules/#/exists/paths",
    keyword: "maxItems",
    entry: "rules:rule:exists",
    says: "paths has too many entries (maximum %{limit})",
  },
  { at: "rules/#/exists/project", keyword: "type", entry: "rules:rule:exists", says: "project should be a string" },
  { at: "rules/#/exists/ref", keyword: "type", entry: "rules:rule:exists", says: "ref should be a string" },
];

/** The top level's own entries (and include:, checked per file), under no location of their own. */
const GLOBAL: readonly Row[] = [
  // entry/stages.rb
  {
    at: "stages",
    keyword: "type",
    entry: "stages",
    says: "config should be an array of strings or a nested array of strings up to 10 levels deep",
  },
  {
    at: "stages/...",
    keyword: "type",
    entry: "stages",
    says: "config should be an array of strings or a nested array of strings up to 10 levels deep",
  },
  // entry/default.rb
  { at: "default", keyword: "type", entry: "default", says: "config should be a hash" },
  { at: "default", keyword: "additionalProperties", entry: "default", says: UNKNOWN },
  // entry/variables.rb, entry/variable.rb (the top level's variables also take description and options)
  { at: "variables", keyword: "type", entry: "variables", says: "config should be a hash" },
  {
    at: "variables/*",
    keyword: "type",
    map: true,
    entry: "variables:*",
    says: "config uses invalid data keys: %{extra}",
    known: ["value", "description", "expand", "options"],
  },
  { at: "variables/*", keyword: "type", entry: null, says: "variable definition must be either a string or a hash" },
  {
    at: "variables/*",
    keyword: "additionalProperties",
    entry: "variables:*",
    says: "config uses invalid data keys: %{keys}",
  },
  {
    at: "variables/*/description",
    keyword: "type",
    entry: "variables:*",
    says: "config description must be an alphanumeric string",
  },
  { at: "variables/*/expand", keyword: "type", entry: "variables:*", says: "config expand should be a boolean value" },
  {
    at: "variables/*/options",
    keyword: "type",
    entry: "variables:*",
    says: "config options should be an array of strings",
  },
  {
    at: "variables/*/options/#",
    keyword: "type",
    entry: "variables:*",
    says: "config options should be an array of strings",
  },
  // entry/workflow.rb, entry/auto_cancel.rb
  { at: "workflow", keyword: "type", entry: "workflow", says: "config should be a hash" },
  { at: "workflow", keyword: "additionalProperties", entry: "workflow", says: UNKNOWN },
  { at: "workflow/name", keyword: "type", entry: "workflow", says: "name should be a string" },
  {
    at: "workflow/name",
    keyword: "maxLength",
    entry: "workflow",
    says: "name is too long (maximum is %{limit} characters)",
  },
  { at: "workflow/auto_cancel", keyword: "additionalProperties", entry: "workflow:auto_cancel", says: UNKNOWN },
  {
    at: "workflow/auto_cancel/on_new_commit",
    keyword: "enum",
    entry: "workflow:auto_cancel",
    says: "on new commit must be one of: conservative, interruptible, none",
  },
  {
    at: "workflow/auto_cancel/on_job_failure",
    keyword: "enum",
    entry: "workflow:auto_cancel",
    says: "on job failure must be one of: none, all",
  },
  // entry/rules.rb, entry/rules/rule.rb as workflow:rules
  { at: "workflow/rules", keyword: "type", entry: "workflow:rules", says: "config should be a array" },
  { at: "workflow/rules/#", keyword: "type", entry: "workflow:rules:rule", says: "config should be a hash" },
  { at: "workflow/rules/#", keyword: "minProperties", entry: "workflow:rules:rule", says: "config can't be blank" },
  { at: "workflow/rules/#", keyword: "additionalProperties", entry: "workflow:rules:rule", says: UNKNOWN },
  { at: "workflow/rules/#/if", keyword: "type", entry: "workflow:rules:rule", says: "if invalid expression syntax" },
  { at: "workflow/rules/#/when", keyword: "enum", entry: "workflow:rules:rule", says: "when unknown value: %{value}" },
  {
    at: "workflow/rules/#/variables",
    keyword: "type",
    entry: "workflow:rules:rule:variables",
    says: "config should be a hash",
  },
  {
    at: "workflow/rules/#/changes",
    keyword: "type",
    entry: "workflow:rules:rule:changes",
    says: "should be an array or a hash",
  },
  { at: "workflow/rules/#/changes/#", keyword: "type", entry: "workflow:rules:rule:changes", says: STRINGS },
  {
    at: "workflow/rules/#/exists",
    keyword: "type",
    entry: "workflow:rules:rule:exists",
    says: "should be a string, an array of strings, or a hash",
  },
  { at: "workflow/rules/#/exists/#", keyword: "type", entry: "workflow:rules:rule:exists", says: STRINGS },
  ...["dependencies", "dependentRequired"].flatMap((keyword) =>
    ["paths", "project"].map((key) => ({
      at: "workflow/rules/#/exists",
      keyword,
      key,
      entry: "workflow:rules:rule:exists",
      says: `config missing required keys: ${key}`,
    })),
  ),
  {
    at: "workflow/rules/#/auto_cancel",
    keyword: "additionalProperties",
    entry: "workflow:rules:rule:auto_cancel",
    says: UNKNOWN,
  },
  {
    at: "workflow/rules/#/auto_cancel/on_new_commit",
    keyword: "enum",
    entry: "workflow:rules:rule:auto_cancel",
    says: "on new commit must be one of: conservative, interruptible, none",
  },
  {
    at: "workflow/rules/#/auto_cancel/on_job_failure",
    keyword: "enum",
    entry: "workflow:rules:rule:auto_cancel",
    says: "on job failure must be one of: none, all",
  },
  // entry/include/rules/rule.rb: External::Rules says `include:` before the rule entry's own error
  { at: "include/#/rules/#", keyword: "type", entry: "include:rule", says: "config should be a hash" },
  { at: "include/#/rules/#", keyword: "minProperties", entry: "include:rule", says: "config can't be blank" },
  { at: "include/#/rules/#", keyword: "additionalProperties", entry: "include:rule", says: UNKNOWN },
  { at: "include/#/rules/#/when", keyword: "enum", entry: "include:rule", says: "when unknown value: %{value}" },
  { at: "include/rules/#", keyword: "type", entry: "include:rule", says: "config should be a hash" },
  { at: "include/rules/#", keyword: "minProperties", entry: "include:rule", says: "config can't be blank" },
  { at: "include/rules/#", keyword: "additionalProperties", entry: "include:rule", says: UNKNOWN },
  { at: "include/rules/#/when", keyword: "enum", entry: "include:rule", says: "when unknown value: %{value}" },
];

/** `default:`'s entries are the job's (entry/default.rb); the job's own attributes are not among them. */
const DEFAULT = JOB.filter((r) => r.entry);

/** Top-level keywords that are the job's entries, read by the same classes (entry/root.rb). */
const JOB_SHAPED = ["image", "services", "cache", "before_script", "after_script"];

/** A `spec:` header's errors, under `header` (config/header/root.rb, spec.rb, input.rb). */
const HEADER: readonly Row[] = [
  { at: "spec", keyword: "additionalProperties", entry: "spec", says: UNKNOWN },
  { at: "spec/inputs/*", keyword: "additionalProperties", entry: "spec:inputs:*", says: UNKNOWN },
];

/** GitLab's message for a schema error, or undefined where GitLab has none. */
export function gitlabWording(subject: WordingSubject, e: WordingError): string | undefined {
  return gitlabWordings(subject, e)[0];
}

/**
 * Every error GitLab gives where ours has one: an enum error on a value of the wrong type is two in GitLab,
 * the type error first and then the allowed values (`when: 1`: "when should be a string" and "when should be
 * one of: ..."; entry/job.rb validates both), where it has words for both.
 */
export function gitlabWordings(subject: WordingSubject, e: WordingError): string[] {
  if (subject.kind === "none") return [];
  let rows = GLOBAL;
  let path = e.path;
  let prefix = "";
  if (subject.kind === "header") {
    // the Interpolator reports an included file's header errors as the file's: "`t.yml`: header:spec ..."
    return wordingsIn(HEADER, "header", e, path).map((text) => `${subject.location}${text}`);
  }
  if (subject.kind === "job") {
    rows = JOB;
    prefix = `jobs:${subject.name}`;
  } else if (path[0] === "default" && path.length > 1) {
    rows = DEFAULT;
    path = path.slice(1);
    prefix = "default";
  } else if (JOB_SHAPED.includes(path[0])) {
    rows = JOB;
  }
  return wordingsIn(rows, prefix, e, path);
}

function wordingsIn(rows: readonly Row[], prefix: string, e: WordingError, path: readonly string[]): string[] {
  // (ajv's `false schema` is our schema's way of writing `not: {}`)
  const keywords =
    e.keyword === "enum" && typeof e.value !== "string"
      ? ["type", "enum"]
      : [e.keyword === "false schema" ? "not" : e.keyword];
  const named = e.params.additionalProperty ?? e.params.missingProperty;
  const out: string[] = [];
  for (const keyword of keywords)
    for (const row of byKeyword(rows, keyword)) {
      if (row.key !== undefined && row.key !== named) continue;
      const isMap = typeof e.value === "object" && e.value !== null && !Array.isArray(e.value);
      if (row.map !== undefined && row.map !== isMap) continue;
      const names = match(row.at, path);
      if (!names) continue;
      out.push(fill(row, e, prefix, names, path));
      break;
    }
  return out;
}

/** Each table's rows by keyword, and each pattern's segments, worked out once. */
const indexes = new Map<readonly Row[], Map<string, Row[]>>();
const patterns = new Map<string, readonly string[]>();

function byKeyword(rows: readonly Row[], keyword: string): readonly Row[] {
  let index = indexes.get(rows);
  if (!index) {
    index = new Map();
    for (const r of rows) index.set(r.keyword, [...(index.get(r.keyword) ?? []), r]);
    indexes.set(rows, index);
  }
  return index.get(keyword) ?? [];
}

/** The `*` segments of the path if the pattern matches it. */
function match(at: string, path: readonly string[]): string[] | undefined {
  let pattern = patterns.get(at);
  if (!pattern) patterns.set(at, (pattern = at.split("/").filter(Boolean)));
  const names: string[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p === "...") return i < path.length ? names : undefined;
    const s = path[i];
    if (s === undefined) return undefined;
    if (p === "#" ? !/^\d+$/.test(s) : p === "*" ? false : p !== s) return undefined;
    if (p === "*") names.push(s);
  }
  return pattern.length === path.length ? names : undefined;
}

/** Past this many unknown keys, the list says how many more: every finding of the map repeats it. */
const MAX_KEYS = 10;

function list(keys: readonly string[]): string {
  if (keys.length <= MAX_KEYS) return keys.join(", ");
  return `${keys.slice(0, MAX_KEYS).join(", ")} and ${keys.length - MAX_KEYS} more`;
}

const TYPE_NAMES: Record<string, string> = {
  string: "string",
  number: "number",
  integer: "integer",
  boolean: "boolean",
  array: "array",
  object: "hash",
};

function fill(row: Row, e: WordingError, prefix: string, names: string[], path: readonly string[]): string {
  let i = 0;
  const entry = row.entry?.replace(/\*/g, () => names[i++] ?? "");
  const location = entry === undefined ? "" : [prefix, entry].filter(Boolean).join(":");
  const name = names[names.length - 1] ?? "";
  const allowed = Array.isArray(e.params.allowedValues) ? e.params.allowedValues.map(String) : [];
  const known = new Set(row.known ?? []);
  const extra =
    typeof e.value === "object" && e.value !== null ? Object.keys(e.value).filter((k) => !known.has(k)) : [];
  const values: Record<string, string> = {
    keys: list(e.unknownKeys ?? [String(e.params.additionalProperty)]),
    key: String(e.params.additionalProperty ?? e.params.missingProperty ?? ""),
    name,
    human: name.replace(/_/g, " "),
    value: String(e.value),
    limit: String(e.params.limit),
    allowed: allowed.join(", "),
    type: TYPE_NAMES[String(e.params.type).split(",")[0]] ?? String(e.params.type),
    pointer: path
      .slice(1)
      .map((s) => `/${s}`)
      .join(""),
    extra: extra.join(", "),
  };
  const says = row.says.replace(/%\{(\w+)\}/g, (_, k: string) => values[k] ?? "");
  return (location ? `${location} ${says}` : says).toLowerCase();
}
