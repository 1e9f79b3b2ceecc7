import { expressionIsTrue } from "../expression";
import { fabricateRegexp } from "../expression-pattern";
import { fnmatcher } from "../fnmatch";
import type { CMap, CValue } from "../types";
import { get, isNull } from "../values";
import type { ClauseContext } from "./clauses";
import type { PipelineSource, Situation } from "./situation";

// Legacy `only`/`except` (lib/gitlab/ci/build/policy/*.rb, config/entry/policy.rb, processable.rb):
// a job without `rules` is created when every `only` key holds and no `except` key does. Within a
// key, any entry is enough. `only` has `refs: [branches, tags]` under it, deep-merged, unless the
// job has `rules` or the config has `workflow:rules` and `only` is not written.

export interface PolicyInput {
  readonly situation: Situation;
  /** The variables (`only:variables`) and the diff (`only:changes`) the job's rules would see. */
  readonly ctx: ClauseContext;
  /** Whether the project has an active Kubernetes deployment platform (`kubernetes: active`); false when not told. */
  readonly kubernetesActive?: boolean;
}

export interface PolicyDecision {
  readonly included: boolean;
  /**
   * The entry that decided, where written: the `only` key that did not hold, the `except` entry
   * that did, or the `only:refs` entry that let the job in. Undefined when the implicit default
   * `only` decided, or nothing did.
   */
  readonly decidedBy?: CValue;
  /** Why, in words, e.g. "except:refs matched" or "the default only: [branches, tags] did not match". */
  readonly reason?: string;
  /** What was assumed because the input did not say. */
  readonly unknowns?: readonly string[];
}

type SpecKind = "refs" | "variables" | "changes" | "kubernetes";

/** One key of a policy (Policy.fabricate makes one specification per key). */
interface Spec {
  readonly kind: SpecKind;
  /** Its entries as text, each with the value it is written as (none for the default). */
  readonly entries: ReadonlyArray<{ readonly text: string; readonly value?: CValue }>;
  /** Where the key's value is written; undefined for the default `refs`. */
  readonly value?: CValue;
}

const KINDS: readonly SpecKind[] = ["refs", "variables", "changes", "kubernetes"];

/** Entry::Policy::DEFAULT_ONLY. */
const DEFAULT_REFS: Spec = { kind: "refs", entries: [{ text: "branches" }, { text: "tags" }] };

/**
 * Whether a job without `rules` is created (Seed::Build#included?: all_of_only? && none_of_except?).
 * A job with `rules` is decided by them alone: then only/except do not apply (included).
 */
export function onlyExceptDecision(job: CMap, hasWorkflowRules: boolean, input: PolicyInput): PolicyDecision {
  if (!isNull(get(job, "rules"))) return { included: true, reason: "the job has rules: only/except do not apply" };
  const only = get(job, "only");
  const except = get(job, "except");
  const onlyWritten = only !== undefined && !isNull(only);
  // processable.rb#compose!: the default only goes when rules or workflow:rules are used, unless written
  const onlySpecs = onlyWritten ? specsOf(only, true) : hasWorkflowRules ? [] : [DEFAULT_REFS];
  const exceptSpecs = except !== undefined && !isNull(except) ? specsOf(except, false) : [];
  const unknowns: string[] = [];
  let letIn: CValue | undefined;
  for (const spec of onlySpecs) {
    const hit = satisfied(spec, input, unknowns);
    if (!hit.holds)
      return withUnknowns(
        {
          included: false,
          decidedBy: spec.value,
          reason: spec.value ? `only:${spec.kind} did not match` : "the default only: [branches, tags] did not match",
        },
        unknowns,
      );
    if (spec.kind === "refs" && letIn === undefined) letIn = hit.by;
  }
  for (const spec of exceptSpecs) {
    const hit = satisfied(spec, input, unknowns);
    if (hit.holds)
      return withUnknowns(
        { included: false, decidedBy: hit.by ?? spec.value, reason: `except:${spec.kind} matched` },
        unknowns,
      );
  }
  return withUnknowns({ included: true, ...(letIn ? { decidedBy: letIn } : {}) }, unknowns);
}

function withUnknowns(decision: PolicyDecision, unknowns: readonly string[]): PolicyDecision {
  return unknowns.length ? { ...decision, unknowns } : decision;
}

/**
 * The keys of an `only`/`except` value (Entry::Policy#value): a list is `{refs: list}`; a hash keeps
 * its keys; `only` has the default refs deep-merged under it, so a written `refs` replaces them and
 * a hash without `refs` keeps them. A key written as null replaces the default with nothing.
 */
function specsOf(policy: CValue, isOnly: boolean): Spec[] {
  if (policy.kind !== "map") return [{ kind: "refs", entries: entriesOf(policy), value: policy }];
  const specs: Spec[] = [];
  for (const [key, e] of policy.entries)
    if ((KINDS as readonly string[]).includes(key))
      specs.push({ kind: key as SpecKind, entries: entriesOf(e.value), value: e.value });
  if (!isOnly) return specs;
  // deep_merge keeps the default's key first: refs are checked first, written or not
  const refs = specs.find((s) => s.kind === "refs") ?? DEFAULT_REFS;
  return [refs, ...specs.filter((s) => s.kind !== "refs")];
}

/** A key's entries as Array() reads them: a list, or one value; nothing for null. */
function entriesOf(v: CValue): Array<{ text: string; value: CValue }> {
  const items = v.kind === "seq" ? v.items : [v];
  const out: Array<{ text: string; value: CValue }> = [];
  for (const item of items)
    if (item.kind === "scalar" && item.value !== null) out.push({ text: String(item.value), value: item });
  return out;
}

/** Whether a specification holds, and the entry that made it hold. */
function satisfied(spec: Spec, input: PolicyInput, unknowns: string[]): { holds: boolean; by?: CValue } {
  const { situation, ctx } = input;
  switch (spec.kind) {
    case "refs": {
      const hit = spec.entries.find((e) => refMatches(e.text, situation));
      return { holds: hit !== undefined, by: hit?.value };
    }
    case "variables": {
      // policy/variables.rb: any expression truthful, with the raw variables
      const hit = spec.entries.find((e) => expressionIsTrue(e.text, ctx.variables, ctx.inputs));
      return { holds: hit !== undefined, by: hit?.value };
    }
    case "changes": {
      // policy/changes.rb: no diff is true; the patterns are not expanded and have no limit
      if (ctx.changes === undefined) return { holds: true };
      const matchers = spec.entries.map((e) => fnmatcher(e.text));
      const changes = ctx.changes;
      const hit = spec.entries.find((_, i) => changes.some((p) => matchers[i](p)));
      return { holds: hit !== undefined, by: hit?.value };
    }
    case "kubernetes":
      if (input.kubernetesActive === undefined)
        unknowns.push("whether Kubernetes is active is unknown; taken as not active");
      return { holds: input.kubernetesActive === true };
  }
}

/**
 * policy/refs.rb: `pattern@group/project` also requires the pipeline's project to be that one (the
 * text is split at the first `@`). A pattern matches when it is `tags` in a tag pipeline,
 * `branches` in a branch pipeline (neither a tag nor for a merge request), the pipeline's source
 * without `_event` or its plural (`pushes`, `merge_requests`, `schedules`...; so never
 * `merge_request_events`), or — only in branch and tag pipelines — a `/regex/flags` RE2 finds in
 * the ref, or the ref itself. A regex RE2 cannot compile is compared as text.
 */
export function refMatches(written: string, situation: Situation): boolean {
  const at = written.indexOf("@");
  const pattern = at < 0 ? written : written.slice(0, at);
  if (at >= 0 && written.slice(at + 1) !== situation.projectPath) return false;
  const forMergeRequest = situation.mergeRequest !== undefined;
  const tag = !forMergeRequest && situation.ref.kind === "tag";
  const branch = !tag && !forMergeRequest;
  if (tag && pattern === "tags") return true;
  if (branch && pattern === "branches") return true;
  const source = situation.source.replace(/_event$/, "");
  if (pattern === source || pattern === PLURALS[situation.source]) return true;
  if (!branch && !tag) return false;
  const regexp = fabricateRegexp(pattern);
  return regexp ? regexp.test(situation.ref.name) : pattern === situation.ref.name;
}

/** ActiveSupport's `pluralize` of each source without `_event`, as refs.rb compares it. */
const PLURALS: Readonly<Record<PipelineSource, string>> = {
  push: "pushes",
  merge_request_event: "merge_requests",
  schedule: "schedules",
  web: "webs",
  api: "apis",
  trigger: "triggers",
  pipeline: "pipelines",
  parent_pipeline: "parent_pipelines",
  external_pull_request_event: "external_pull_requests",
  chat: "chats",
  webide: "webides",
  security_orchestration_policy: "security_orchestration_policies",
  ondemand_dast_scan: "ondemand_dast_scans",
  ondemand_dast_validation: "ondemand_dast_validations",
};
