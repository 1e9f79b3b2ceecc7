import type { Model, ProjectAnalysis } from "../engine/engine";
import type { Diagnostic } from "../engine/types";
import { dedupe } from "../engine/includes";
import type { SeveritySetting } from "../engine/severity";
import type { LintRule, LintSettings, RuleSetting } from "./rule";
import { forceGitlabCi } from "./force-gitlab-ci";
import { conflictingRunnerTags } from "./conflicting-runner-tags";
import { dindWithoutDockerTag } from "./dind-without-docker-tag";
import { glciVariablePrefix } from "./glci-variable-prefix";
import { fastNoCloneBeforeScript } from "./fast-no-clone-before-script";
import { repoFromArtifactsNeeds } from "./repo-from-artifacts-needs";
import { customExitCode } from "./custom-exit-code";
import { dependencyProxy } from "./dependency-proxy";
import { anchorInsteadOfExtends } from "./anchor-instead-of-extends";
import { daggerVersionDrift } from "./dagger-version-drift";

// Lints for gitlab-org's CI conventions: a registry of rules, each with an id (its diagnostic
// code), a default severity and a rule page. Rules read the resolved model and the context the
// host gives them (their options, the baseline of a git comparison); they do no IO themselves.
// Severities and "off" come from settings like any other code (engine/severity.ts).

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

export type { LintRule, LintContext, LintSettings, RuleSetting } from "./rule";

export const isRule = (code: string) => RULES.some((r) => r.id === code);

/** The model with the lints' findings added to the engine's, duplicates dropped. */
export function withLints(model: Model, settings: LintSettings = {}): Model {
  return { ...model, diagnostics: dedupe([...model.diagnostics, ...lint(model, settings)]) };
}

/** A pipeline and its child pipelines, each with the lints' findings. */
export function withLintsProject(project: ProjectAnalysis, settings: LintSettings = {}): ProjectAnalysis {
  return { main: withLints(project.main, settings), children: project.children.map((c) => ({ pipeline: c.pipeline, model: withLints(c.model, settings) })) };
}

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
