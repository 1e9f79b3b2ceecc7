import type { CMap, CValue } from "../types";
import { get, isNull, str } from "../values";
import { type Clause, type ClauseContext, changesClause, existsClause, ifClause } from "./clauses";

// First-match rules, as lib/gitlab/ci/build/rules.rb evaluates them for a job's `rules:` (the
// default `when` is the job's), `workflow:rules` and `include:rules` (both with `always`), and what
// a job becomes once a rule decided (lib/gitlab/ci/pipeline/seed/build.rb, config/entry/job.rb).

/** What a list of rules decided. */
export interface RuleDecision {
  /** `never` when the job (pipeline, file) is left out. */
  readonly when: string;
  /**
   * The rule that decided, `value.src` where it is written: the first one whose clauses all hold, or
   * the one whose clause raised an error. Undefined when there is no `rules:` or none matched.
   */
  readonly rule?: { readonly index: number; readonly value: CValue };
  /** The matched rule's attributes, as written; absent when it does not set them. */
  readonly allowFailure?: CValue;
  readonly startIn?: string;
  readonly variables?: CValue;
  readonly needs?: CValue;
  readonly interruptible?: boolean;
  readonly autoCancel?: CValue;
  /** GitLab's Clause::ParseError texts; the caller prefixes them ("Failed to parse rule for <job>: ", "include:"). */
  readonly errors: readonly string[];
  /** What the matched rule's clauses assumed because the context could not tell (see ClauseContext). */
  readonly unknowns?: readonly string[];
}

/** The keys of a rule that are clauses (Rule::Clause.fabricate finds a class for these); the rest are attributes. */
const CLAUSES: Readonly<Record<string, (value: CValue, ctx: ClauseContext) => Clause>> = {
  if: ifClause,
  changes: changesClause,
  exists: existsClause,
};

/**
 * Rules#evaluate. No `rules:` (undefined or null): `defaultWhen`. Otherwise the first rule whose
 * clauses, in the order written, all hold (a rule without clauses always does) gives its `when`,
 * or `defaultWhen` when it has none, and its attributes; no rule matching, or `rules: []`, is
 * `never` — `defaultWhen` is not used then. A clause error stops the evaluation: `never`, with the
 * error. Nested lists of rules are flattened, as the config does.
 */
export function evaluateRules(rules: CValue | undefined, defaultWhen: string, ctx: ClauseContext): RuleDecision {
  if (rules === undefined || isNull(rules)) return { when: defaultWhen, errors: [] };
  const list = flatRules(rules);
  for (let index = 0; index < list.length; index++) {
    const value = list[index];
    if (value.kind !== "map") continue; // no valid rule; config validation reports it
    const verdict = matchRule(value, ctx);
    if ("error" in verdict) return { when: "never", rule: { index, value }, errors: [verdict.error] };
    if (verdict.matched) return matched(value, index, defaultWhen, verdict.unknowns);
  }
  return { when: "never", errors: [] };
}

function flatRules(rules: CValue): readonly CValue[] {
  if (rules.kind !== "seq") return [];
  if (!rules.items.some((r) => r.kind === "seq")) return rules.items;
  return rules.items.flatMap((r) => (r.kind === "seq" ? flatRules(r) : [r]));
}

/**
 * Rule#matches?: `all?` over the clauses in the order written, so a clause after one that fails is
 * not evaluated (and cannot raise). A null value counts as not written (Entry::Rule#value compacts).
 */
function matchRule(rule: CMap, ctx: ClauseContext): { matched: boolean; unknowns: string[] } | { error: string } {
  const unknowns: string[] = [];
  for (const [key, e] of rule.entries) {
    const clause = CLAUSES[key];
    if (!clause || isNull(e.value)) continue;
    const verdict = clause(e.value, ctx);
    if ("error" in verdict) return verdict;
    if (verdict.unknown !== undefined) unknowns.push(verdict.unknown);
    if (!verdict.satisfied) return { matched: false, unknowns };
  }
  return { matched: true, unknowns };
}

/** Result.new(when: rule's when || default_when, and the rule's attributes). */
function matched(rule: CMap, index: number, defaultWhen: string, unknowns: readonly string[]): RuleDecision {
  const attribute = (key: string): CValue | undefined => {
    const v = get(rule, key);
    return v === undefined || isNull(v) ? undefined : v;
  };
  const interruptible = attribute("interruptible");
  return {
    when: str(attribute("when")) ?? defaultWhen,
    rule: { index, value: rule },
    errors: [],
    ...optional("allowFailure", attribute("allow_failure")),
    ...optional("startIn", scalarText(attribute("start_in"))),
    ...optional("variables", attribute("variables")),
    ...optional("needs", attribute("needs")),
    ...optional("interruptible", interruptible?.kind === "scalar" ? interruptible.value === true : undefined),
    ...optional("autoCancel", attribute("auto_cancel")),
    ...(unknowns.length ? { unknowns } : {}),
  };
}

/** `{ [key]: value }`, or nothing when the value is undefined (so absent attributes stay absent keys). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function scalarText(v: CValue | undefined): string | undefined {
  return v?.kind === "scalar" && v.value !== null ? String(v.value) : undefined;
}

/** What a job is once its rules (or only/except) let it in. */
export interface JobOutcome {
  readonly when: string;
  readonly allowFailure: boolean;
  /** `allow_failure:exit_codes`, kept only when no rule set `allow_failure`. */
  readonly exitCodes?: CValue;
  /** Only for `when: delayed`. */
  readonly startIn?: string;
  /** The matched rule's `needs` when it has one (replacing the job's), else the job's own. */
  readonly needs?: CValue;
  readonly interruptible?: boolean;
}

/** The job-level `when` (Entry::Job), `on_success` when not written: the default of its rules. */
export function jobWhen(job: CMap): string {
  return str(get(job, "when")) ?? "on_success";
}

/**
 * A job's attributes after the decision (seed/build.rb#attributes over Entry::Job#value):
 * - `allow_failure`: the rule's when it sets one; else from the job-level keys only (Job#ignored?):
 *   its `allow_failure` (`exit_codes:` counts as false), or whether the job-level `when` is
 *   `manual`. So `rules: [{when: manual}]` gives a blocking manual job, while a job-level
 *   `when: manual` with a rule that sets no `when` stays manual and may fail.
 * - `exit_codes` are dropped when a rule sets `allow_failure` (allow_failure_criteria_attributes).
 * - `start_in`: the rule's (rules allow it only with `when: delayed`); the job's own only without
 *   rules (config validation forbids it with rules); and only when the outcome is `delayed`.
 * - `needs` and `interruptible`: the rule's replace the job's.
 */
export function jobOutcome(job: CMap, decision: RuleDecision): JobOutcome {
  const ruleAllowFailure = booleanOf(decision.allowFailure);
  const own = get(job, "allow_failure");
  const hasOwn = own !== undefined && !isNull(own);
  const allowFailure =
    ruleAllowFailure ?? (hasOwn ? own.kind === "scalar" && own.value === true : jobWhen(job) === "manual");
  const exitCodes = ruleAllowFailure === undefined && own?.kind === "map" ? get(own, "exit_codes") : undefined;
  const hasRules = !isNull(get(job, "rules"));
  const startIn =
    decision.when !== "delayed"
      ? undefined
      : (decision.startIn ?? (hasRules ? undefined : scalarText(get(job, "start_in"))));
  const needs = decision.needs ?? nonNull(get(job, "needs"));
  const interruptible = decision.interruptible ?? booleanOf(nonNull(get(job, "interruptible")));
  return {
    when: decision.when,
    allowFailure,
    ...optional("exitCodes", exitCodes),
    ...optional("startIn", startIn),
    ...optional("needs", needs),
    ...optional("interruptible", interruptible),
  };
}

function nonNull(v: CValue | undefined): CValue | undefined {
  return v === undefined || isNull(v) ? undefined : v;
}

function booleanOf(v: CValue | undefined): boolean | undefined {
  return v?.kind === "scalar" && typeof v.value === "boolean" ? v.value : undefined;
}
