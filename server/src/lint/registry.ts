import type { Model } from "../engine/engine";
import type { Diagnostic, Severity } from "../engine/types";
import type { SeveritySetting } from "../engine/severity";
import { forceGitlabCi } from "./force-gitlab-ci";
import { conflictingRunnerTags, dindWithoutDockerTag } from "./runner-tags";
import { glciVariablePrefix } from "./glci-prefix";
import { fastNoCloneBeforeScript } from "./fast-no-clone";
import { repoFromArtifactsNeeds } from "./repo-from-artifacts";
import { customExitCode } from "./exit-codes";
import { dependencyProxy } from "./dependency-proxy";
import { anchorInsteadOfExtends } from "./anchors";
import { daggerVersionDrift } from "./dagger-version";

// Lints for gitlab-org's CI conventions: a registry of rules, each with an id (its diagnostic
// code), a default severity and a rule page. Rules read the resolved model and the context the
// host gives them (their options, the baseline of a git comparison); they do no IO themselves.
// Severities and "off" come from settings like any other code (engine/severity.ts).

export interface LintRule {
  readonly id: string;
  readonly severity: Severity;
  /** One line: what the rule checks. */
  readonly summary: string;
  /** Runs only when a setting gives it a severity (opinionated rules the handbook only prefers). */
  readonly offByDefault?: boolean;
  readonly check: (model: Model, context: LintContext) => Diagnostic[];
}

/** What a rule may know besides the model; all of it is computed by the host. */
export interface LintContext {
  /** This rule's options from settings (`rules.<id>` in .pipewright.yml, `pipewright.rules`). */
  readonly options: Readonly<Record<string, unknown>>;
  /**
   * Variable names the config defined at the git baseline (merge-base with the default
   * branch); undefined when there is no baseline. A function, so only rules that need it pay.
   */
  readonly baselineVariables?: () => ReadonlySet<string> | undefined;
  /** engineVersion of the workspace's Dagger module (dagger.json), when there is one. */
  readonly daggerEngineVersion?: () => string | undefined;
}

/** A rule's settings: its severity or "off", and any options of its own. */
export interface RuleSetting {
  readonly severity?: SeveritySetting;
  readonly options: Readonly<Record<string, unknown>>;
}

export interface LintSettings {
  readonly rules?: Readonly<Record<string, RuleSetting>>;
  readonly baselineVariables?: () => ReadonlySet<string> | undefined;
  readonly daggerEngineVersion?: () => string | undefined;
}

export const RULES: readonly LintRule[] = [
  conflictingRunnerTags,
  dindWithoutDockerTag,
  glciVariablePrefix,
  forceGitlabCi,
  fastNoCloneBeforeScript,
  repoFromArtifactsNeeds,
  customExitCode,
  dependencyProxy,
  anchorInsteadOfExtends,
  daggerVersionDrift,
];

export const RULE_DOCS = (id: string) => `docs/rules/${id}.md`;

export const isRule = (code: string) => RULES.some((r) => r.id === code);

export function lint(model: Model, settings: LintSettings = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const rule of RULES) {
    const setting = settings.rules?.[rule.id];
    if (setting?.severity === "off" || (rule.offByDefault && !setting?.severity)) continue;
    out.push(...rule.check(model, { options: setting?.options ?? {}, baselineVariables: settings.baselineVariables, daggerEngineVersion: settings.daggerEngineVersion }));
  }
  return out;
}

/**
 * Reads `rules:` settings: `id: warning` or `id: { severity: warning, ...options }`.
 * Unknown keys are kept as options; a bad severity is ignored rather than failing the run.
 */
export function ruleSettings(raw: unknown, isSeverity: (v: unknown) => v is SeveritySetting): Record<string, RuleSetting> {
  const out: Record<string, RuleSetting> = {};
  if (!raw || typeof raw !== "object") return out;
  for (const [id, v] of Object.entries(raw as Record<string, unknown>)) {
    if (isSeverity(v)) out[id] = { severity: v, options: {} };
    else if (v && typeof v === "object" && !Array.isArray(v)) {
      const { severity, ...options } = v as Record<string, unknown>;
      out[id] = { severity: isSeverity(severity) ? severity : undefined, options };
    }
  }
  return out;
}
