import type { Code } from "../engine/codes";
import type { Model } from "../engine/engine";
import type { Diagnostic, Severity, SeveritySetting } from "../engine/types";

// What a lint rule is and what it may know: the resolved model, its options, and facts the
// host computed for it (the git baseline, the Dagger module's engine version).

export interface LintRule {
  /** The rule's id, which is also its diagnostic code. */
  readonly id: Code;
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
  /** For rules that walk the whole config: call it now and then (per file, per top-level key); it may throw. */
  readonly checkpoint?: () => void;
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
  /** Called before each rule; it may throw to end the run there (see AnalyzeOptions.checkpoint). */
  readonly checkpoint?: () => void;
}
