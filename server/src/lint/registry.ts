import type { Model } from "../engine/engine";
import type { Diagnostic, Severity } from "../engine/types";
import { forceGitlabCi } from "./force-gitlab-ci";
import { conflictingRunnerTags, dindWithoutDockerTag } from "./runner-tags";

// Lints for gitlab-org's CI conventions: a registry of rules, each with an id (its diagnostic
// code), a default severity and a rule page. Rules read the resolved model only; severities
// and "off" come from settings like any other code (engine/severity.ts).

export interface LintRule {
  readonly id: string;
  readonly severity: Severity;
  /** One line: what the rule checks. */
  readonly summary: string;
  readonly check: (model: Model) => Diagnostic[];
}

export const RULES: readonly LintRule[] = [conflictingRunnerTags, dindWithoutDockerTag, forceGitlabCi];

export const RULE_DOCS = (id: string) => `docs/rules/${id}.md`;

export function lint(model: Model): Diagnostic[] {
  return RULES.flatMap((r) => r.check(model));
}
