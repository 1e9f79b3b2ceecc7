import type { Severity } from "./types";

// Every diagnostic code, in one typed table: a finding's `code` can only be one of these. For each:
// the severity it is reported with by default (some codes are lowered to a warning where an include
// that cannot be read offline could explain them), the section of docs/diagnostics.md that explains
// it, and — where GitLab reports the same problem — GitLab's message, with `%{...}` for what varies:
// our message then starts with GitLab's text (a test checks both against the messages we emit and
// the docs). `%{location}` is GitLab's "`file.yml`: " before a problem of an included file, empty
// at the root. Lint rules' codes are their ids; their pages are docs/rules/<id>.md; every other code has
// its row in docs/diagnostics.md, anchored by the code (docsPage). A new code goes into
// schemas/pipewright.schema.json too (`severity:` and `rules:` name codes; a test keeps the two in step).

export type Section = "yaml" | "includes" | "extends" | "jobs" | "schema" | "logic" | "lint" | "settings";

export interface CodeInfo {
  readonly severity: Severity;
  readonly section: Section;
  /** GitLab's message for the problem, where it has one. */
  readonly gitlab?: string;
}

export const CODES = {
  "yaml-syntax": { severity: "error", section: "yaml" },
  "yaml-unknown-alias": { severity: "error", section: "yaml" },
  "yaml-recursive-alias": { severity: "error", section: "yaml", gitlab: "The parsed YAML is too big" },
  "yaml-duplicate-key": { severity: "warning", section: "yaml" },
  "yaml-too-big": { severity: "error", section: "yaml", gitlab: "The parsed YAML is too big" },
  "yaml-text-too-big": { severity: "error", section: "yaml", gitlab: "The provided YAML is too big" },
  "yaml-too-many-documents": { severity: "error", section: "yaml" },
  "yaml-invalid-format": { severity: "error", section: "yaml", gitlab: "%{location}Invalid configuration format" },
  "yaml-unknown-tag": { severity: "warning", section: "yaml" },
  "yaml-complex-key": { severity: "error", section: "yaml" },

  "file-unreadable": { severity: "error", section: "includes" },
  "include-not-found": { severity: "error", section: "includes", gitlab: "Local file `%{location}` does not exist!" },
  "include-empty": { severity: "error", section: "includes", gitlab: "Local file `%{location}` is empty!" },
  "include-not-yaml": {
    severity: "error",
    section: "includes",
    gitlab: "Included file `%{location}` does not have YAML extension!",
  },
  "include-outside-project": { severity: "error", section: "includes" },
  "include-cycle": { severity: "error", section: "includes" },
  "include-limit": { severity: "error", section: "includes", gitlab: "Maximum of %{max} nested includes are allowed!" },
  "include-invalid": { severity: "error", section: "includes" },
  "include-no-match": { severity: "warning", section: "includes" },
  "include-external": { severity: "information", section: "includes" },
  "include-fetch-failed": { severity: "error", section: "includes" },
  "include-cached": { severity: "information", section: "includes" },
  "include-variables": { severity: "information", section: "includes" },
  "input-required": {
    severity: "error",
    section: "includes",
    gitlab: "%{location}`%{name}` input: required value has not been provided",
  },
  "input-unknown": { severity: "error", section: "includes", gitlab: "%{location}unknown input arguments: %{names}" },
  "input-unexpected": {
    severity: "error",
    section: "includes",
    gitlab: "%{location}Given inputs not defined in the `spec` section of the included configuration file",
  },
  "input-type": {
    severity: "error",
    section: "includes",
    gitlab: "%{location}`%{name}` input: %{what} is not a%{n} %{type}",
  },
  "input-option": {
    severity: "error",
    section: "includes",
    gitlab: "%{location}`%{name}` input: `%{value}` cannot be used because it is not in the list of allowed options",
  },
  "input-regex": { severity: "error", section: "includes" },
  "input-spec-invalid": {
    severity: "error",
    section: "includes",
    gitlab: "unknown input specification for `%{name}` (valid types: array, boolean, number, string)",
  },
  "interpolation-error": { severity: "error", section: "includes" },
  "interpolation-limit": { severity: "error", section: "includes" },

  "extends-unknown-parent": {
    severity: "error",
    section: "extends",
    gitlab: "%{job}: unknown keys in `extends` (%{keys})",
  },
  "extends-invalid-base": {
    severity: "error",
    section: "extends",
    gitlab: "%{job}: invalid base hashes in `extends` (%{keys})",
  },
  "extends-circular": {
    severity: "error",
    section: "extends",
    gitlab: "%{job}: circular dependency detected in `extends`",
  },
  "extends-nesting-too-deep": {
    severity: "error",
    section: "extends",
    gitlab: "%{job}: nesting too deep in `extends`",
  },
  "extends-invalid": { severity: "error", section: "extends" },
  "reference-not-found": { severity: "error", section: "extends", gitlab: "!reference %{path} could not be found" },
  "reference-circular": {
    severity: "error",
    section: "extends",
    gitlab: "!reference %{path} is part of a circular chain",
  },
  "reference-invalid": { severity: "error", section: "extends" },
  "reference-limit": { severity: "error", section: "extends" },

  "nested-list": { severity: "error", section: "jobs" },
  "commands-too-deep": {
    severity: "error",
    section: "jobs",
    gitlab: "%{path} config should be a string or a nested array of strings up to 10 levels deep",
  },
  "job-no-script": {
    severity: "error",
    section: "jobs",
    gitlab: "jobs %{job} config should implement the script:, run:, or trigger: keyword",
  },
  "job-publish-outside-pages": {
    severity: "error",
    section: "jobs",
    gitlab: "jobs:%{job} publish can only be used within a `pages` job",
  },
  "bridge-parallel-number": {
    severity: "error",
    section: "jobs",
    gitlab: 'jobs:%{job}:parallel config cannot use "parallel: <number>".',
  },
  "needs-cross-pipeline-limit": {
    severity: "error",
    section: "jobs",
    gitlab: "jobs:%{job}:needs config must be less than or equal to %{limit}",
  },
  "rules-too-deep": {
    severity: "error",
    section: "jobs",
    gitlab: "jobs:%{job} rules should be an array containing hashes and arrays of hashes",
  },
  "job-key-with-rules": {
    severity: "error",
    section: "jobs",
    gitlab: "jobs:%{job} config key may not be used with `rules`: %{keys}",
  },
  "job-keys-exclusive": {
    severity: "error",
    section: "jobs",
    gitlab: "jobs:%{job} config these keys cannot be used together: %{keys}",
  },
  "job-start-in-blank": { severity: "error", section: "jobs", gitlab: "jobs:%{job} start in must be blank" },
  "job-start-in-missing": { severity: "error", section: "jobs", gitlab: "jobs:%{job} start in should be a duration" },
  "duration-invalid": { severity: "error", section: "jobs", gitlab: "%{location} %{attribute} should be a duration" },
  "duration-over-limit": {
    severity: "error",
    section: "jobs",
    gitlab: "%{location} %{attribute} should not exceed the limit",
  },
  "rules-multiple-pipelines": {
    severity: "warning",
    section: "jobs",
    gitlab:
      "jobs:%{job} may allow multiple pipelines to run for a single action due to `rules:when` clause with no " +
      "`workflow:rules` - read more: %{url}",
  },
  "job-name-too-long": {
    severity: "error",
    section: "jobs",
    gitlab: "jobs:%{job} name is too long (maximum is %{limit} characters)",
  },
  "job-blank": { severity: "error", section: "jobs", gitlab: "jobs:%{job} config can't be blank" },
  "job-name-type": { severity: "error", section: "jobs", gitlab: "jobs:%{job} name should be a symbol" },
  "policy-regexp-invalid": {
    severity: "error",
    section: "jobs",
    gitlab: "jobs:%{job}:%{keyword} %{attribute} should be an array of strings or regular expressions using re2 syntax",
  },
  "job-name-blank": { severity: "error", section: "jobs", gitlab: "jobs:job name can't be blank" },
  "default-conflict": {
    severity: "error",
    section: "jobs",
    gitlab: "%{key} is defined in top-level and `default:` entry",
  },
  "config-no-visible-job": {
    severity: "error",
    section: "jobs",
    gitlab: "jobs config should contain at least one visible job",
  },
  "config-empty": { severity: "error", section: "jobs", gitlab: "Please provide content of %{file}" },
  "root-not-found": { severity: "error", section: "jobs" },

  // GitLab's exact words for each place are in schema-wording.ts: "<location> <attribute> <text>"
  "schema-unknown-keyword": {
    severity: "error",
    section: "schema",
    gitlab: "%{location} config contains unknown keys: %{keys}",
  },
  "schema-type": { severity: "error", section: "schema", gitlab: "%{location} %{error}" },
  "schema-enum": { severity: "error", section: "schema", gitlab: "%{location} %{error}" },
  "schema-required": { severity: "error", section: "schema", gitlab: "%{location} %{error}" },
  "schema-pattern": { severity: "error", section: "schema", gitlab: "%{location} %{error}" },
  "schema-limit": { severity: "error", section: "schema", gitlab: "%{location} %{error}" },
  "schema-invalid": { severity: "error", section: "schema", gitlab: "%{location} %{error}" },
  "variable-not-in-options": {
    severity: "error",
    section: "schema",
    gitlab: "variables:%{name} config value must be present in options",
  },

  "stage-unknown": {
    severity: "error",
    section: "logic",
    gitlab: "%{job} job: chosen stage %{stage} does not exist; available stages are %{stages}",
  },
  "needs-unknown": { severity: "error", section: "logic", gitlab: "%{job} job: undefined need: %{need}" },
  "needs-later-stage": {
    severity: "error",
    section: "logic",
    gitlab: "%{job} job: need %{need} is not defined in current or prior stages",
  },
  "needs-duplicate": {
    severity: "error",
    section: "logic",
    gitlab: "%{job} has the following needs duplicated: %{needs}.",
  },
  "needs-cycle": {
    severity: "error",
    section: "logic",
    gitlab: "The pipeline has circular dependencies: %{cycle}",
  },
  "needs-name-too-long": {
    severity: "error",
    section: "logic",
    gitlab: "%{job} job: need `%{need}` name is too long (maximum is %{limit} characters)",
  },
  "expression-invalid": { severity: "error", section: "logic", gitlab: "%{location} invalid expression syntax" },
  "needs-too-many": {
    severity: "error",
    section: "logic",
    gitlab:
      "%{job}: one job can only need %{limit} others, but you have listed %{count}. " +
      "See needs keyword documentation for more details",
  },
  "dependencies-unknown": {
    severity: "error",
    section: "logic",
    gitlab: "%{job} job: undefined dependency: %{dependency}",
  },
  "dependencies-later-stage": {
    severity: "error",
    section: "logic",
    gitlab: "%{job} job: dependency %{dependency} is not defined in current or prior stages",
  },
  "dependencies-not-in-needs": {
    severity: "error",
    section: "logic",
    gitlab: "jobs:%{job} dependencies the %{dependency} should be part of needs",
  },
  "needs-matrix-unknown": {
    severity: "error",
    section: "logic",
    gitlab: "%{job} job: '%{name}' does not exist in matrix configuration",
  },
  "dependencies-cross-pipeline": {
    severity: "error",
    section: "logic",
    gitlab: "jobs:%{job} needs corresponding to dependencies must be from the same pipeline",
  },
  "parallel-matrix-too-many": {
    severity: "error",
    section: "logic",
    gitlab: "%{job} job: parallel:matrix config generates too many jobs (maximum is %{max})",
  },
  "environment-on-stop-unknown": {
    severity: "error",
    section: "logic",
    gitlab: "%{job} job: on_stop job %{stop} is not defined",
  },
  "environment-on-stop-invalid": {
    severity: "error",
    section: "logic",
    gitlab: "%{job} job: on_stop job %{stop} %{problem}",
  },
  "pipeline-only-edge-stages": { severity: "warning", section: "logic" },

  "conflicting-runner-tags": { severity: "error", section: "lint" },
  "dind-without-docker-tag": { severity: "warning", section: "lint" },
  "force-gitlab-ci": { severity: "warning", section: "lint" },
  "glci-variable-prefix": { severity: "warning", section: "lint" },
  "fast-no-clone-before-script": { severity: "warning", section: "lint" },
  "repo-from-artifacts-needs": { severity: "warning", section: "lint" },
  "custom-exit-code": { severity: "hint", section: "lint" },
  "dependency-proxy": { severity: "hint", section: "lint" },
  "dagger-version-drift": { severity: "warning", section: "lint" },
  "dagger-without-engine": { severity: "warning", section: "lint" },
  "anchor-instead-of-extends": { severity: "information", section: "lint" },

  "settings-invalid": { severity: "warning", section: "settings" },
  "analysis-budget": { severity: "warning", section: "settings" },
  "suppression-unused": { severity: "warning", section: "settings" },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;

export function isCode(s: string): s is Code {
  return Object.prototype.hasOwnProperty.call(CODES, s);
}

/** A GitLab message template as a pattern that a message starting with that text matches. */
export function templatePattern(template: string): RegExp {
  const parts = template.split(/%\{\w+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join("[^]*?")}`);
}

/**
 * Where a code is explained: its rule page for a lint; otherwise its row of docs/diagnostics.md, whose
 * anchor is the code (`docs/diagnostics.md#yaml-syntax`): GitLab's message, what triggers it, the fix.
 */
export function docsPage(code: Code): string {
  return CODES[code].section === "lint" ? `docs/rules/${code}.md` : `docs/diagnostics.md#${code}`;
}
