import type { Model } from "../engine/engine";
import type { Diagnostic } from "../engine/types";
import { dedupe } from "../engine/includes";
import { markInclusions } from "../engine/inclusions";
import type { LintRule, LintSettings } from "./rule";
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
import { daggerWithoutEngine } from "./dagger-without-engine";

// Lints for gitlab-org's CI conventions: a registry of rules, each with an id (its diagnostic
// code), a default severity and a rule page. Rules read the resolved model and the context the
// host gives them (their options, the baseline of a git comparison); they do no IO themselves.
// Severities and "off" come from settings like any other code (workspace/settings.ts).

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
  daggerWithoutEngine,
];

export type { LintRule, LintContext, LintSettings, RuleSetting } from "./rule";

/** The model with the lints' findings added to the engine's, duplicates dropped. */
export function withLints(model: Model, settings: LintSettings = {}): Model {
  return {
    ...model,
    diagnostics: dedupe([...model.diagnostics, ...markInclusions(lint(model, settings), model.inclusions)]),
  };
}

export function lint(model: Model, settings: LintSettings = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const rule of RULES) {
    const setting = settings.rules?.[rule.id];
    if (setting?.severity === "off" || (rule.offByDefault && !setting?.severity)) continue;
    settings.checkpoint?.();
    out.push(
      ...rule.check(model, {
        options: setting?.options ?? {},
        baselineVariables: settings.baselineVariables,
        daggerEngineVersion: settings.daggerEngineVersion,
        checkpoint: settings.checkpoint,
      }),
    );
  }
  return out;
}
