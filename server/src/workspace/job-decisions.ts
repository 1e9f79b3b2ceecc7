import type { Range } from "../engine/text";
import type { Located } from "./diagnostics";
import type { HeadFacts } from "./io";
import type { Scenario } from "./scenario";
import type { NamedScenario } from "./scenario-settings";
import type { SimulatedPipeline } from "./workspace";

// What the editor shows above each job: whether it runs in the pipelines that matter — a merge
// request with the current changes, a push to the default branch, a tag, a schedule, and the
// project's own scenarios — and which rule decided each time.

export interface LabelledScenario {
  /** Short, for the CodeLens: "MR", "main", "tag", "schedule", or the scenario's name. */
  readonly label: string;
  readonly scenario: Scenario;
}

/** The editor's scenarios: the four every project has, then the project's and the user's own. */
export function editorScenarios(
  defaultBranch: string,
  head: HeadFacts | undefined,
  named: readonly NamedScenario[],
): LabelledScenario[] {
  const branch = head?.branch && head.branch !== defaultBranch ? head.branch : "feature";
  return [
    { label: "MR", scenario: { source: "merge_request_event", branch } },
    { label: defaultBranch, scenario: { branch: defaultBranch } },
    { label: "tag", scenario: { tag: "v1.0.0" } },
    { label: "schedule", scenario: { source: "schedule" } },
    ...named.map((s) => ({ label: s.name, scenario: s })),
  ];
}

/** One job in one scenario. */
export interface Decision {
  readonly label: string;
  /** "runs": created; "skipped": the rules left it out; "no-pipeline": none is created at all. */
  readonly outcome: "runs" | "skipped" | "no-pipeline";
  readonly when?: string;
  readonly allowFailure?: boolean;
  /** Why it is skipped, or why there is no pipeline. */
  readonly why?: string;
  /** The rule (or only/except entry, or workflow rule) that decided. */
  readonly decidedBy?: Located;
}

export interface JobDecisions {
  readonly job: string;
  /** The job's name where it is defined. */
  readonly range: Range;
  readonly decisions: readonly Decision[];
  /** One line: `MR ✓ manual · main ✓ · tag ✗ · schedule ✓`. */
  readonly title: string;
}

/** Why a job is not created, in words (the lenses, the pipeline view). */
export const NOT_CREATED_REASONS = {
  "rule-never": "a rule says never",
  "no-rule-matched": "no rule matched",
  "only-except": "only/except",
};

/** How one job fares in one scenario's pipeline (its parallel copies count as the job). */
export function decisionOf(label: string, job: string, p: SimulatedPipeline): Decision {
  const mine = <T extends { name: string }>(j: T) =>
    j.name === job || j.name.startsWith(`${job} `) || j.name.startsWith(`${job}: [`);
  if (!p.created && !p.jobs.some(mine))
    return { label, outcome: "no-pipeline", why: p.message, decidedBy: p.workflowRule };
  const created = p.jobs.find(mine);
  if (created)
    return {
      label,
      outcome: "runs",
      when: created.when,
      allowFailure: created.allowFailure,
      decidedBy: created.decidedBy,
    };
  const left = p.notCreated.find(mine);
  if (!left) return { label, outcome: "skipped", why: "its file is not included in this pipeline (include:rules)" };
  return { label, outcome: "skipped", why: NOT_CREATED_REASONS[left.reason], decidedBy: left.decidedBy };
}

/** `MR ✓ manual · main ✓ · tag ✗ · schedule –`: ✓ runs (with its when unless on_success), ✗ skipped, – no pipeline. */
export function lensTitle(decisions: readonly Decision[]): string {
  return decisions
    .map((d) => {
      if (d.outcome === "no-pipeline") return `${d.label} –`;
      if (d.outcome === "skipped") return `${d.label} ✗`;
      return `${d.label} ✓${d.when && d.when !== "on_success" ? ` ${d.when}` : ""}`;
    })
    .join(" · ");
}
