import type { Engine, Model } from "../engine";
import type { IncludeRulesDecider } from "../includes";
import type { JobInfo } from "../jobs";
import type { CMap, CValue, Diagnostic, Src } from "../types";
import { get, str } from "../values";
import { expandPattern, type ClauseContext } from "./clauses";
import { onlyExceptDecision } from "./only-except";
import { evaluateRules, jobOutcome, type RuleDecision } from "./rules";
import type { Situation } from "./situation";
import {
  includeRulesVariables,
  inheritedRootVariables,
  jobRulesVariables,
  jobVariableCircle,
  predefinedPipelineVariables,
  workflowRulesVariables,
  yamlVariables,
  LayeredVariables,
  type JobFacts,
} from "./variables";

// The pipeline GitLab would create for a situation, in GitLab's order
// (app/services/ci/create_pipeline_service.rb): [ci skip]; the config with include:rules decided
// for this pipeline; config errors; workflow:rules and the root variables; each job's rules or
// only/except; empty stages dropped; needs on jobs that are not there; an empty pipeline. Every
// decision keeps where the rule that made it is written.

/** GitLab's texts when no pipeline is created (app/models/concerns/ci/has_completion_reason.rb). */
export const WORKFLOW_FILTERED = "The pipeline did not run. Review the workflow:rules configuration for the pipeline.";
export const EMPTY_PIPELINE =
  "The resulting pipeline would have been empty. Review the rules configuration for the relevant jobs.";

/** `[ci skip]` / `[skip ci]`, any case, `-`, `_` or a space between the words (chain/skip.rb). */
const SKIP_CI = /\[(?:ci[\s_-]skip|skip[\s_-]ci)\]/i;

export interface SimulatedJob {
  readonly name: string;
  readonly stage: string;
  readonly when: string;
  readonly allowFailure: boolean;
  readonly startIn?: string;
  /** Effective YAML variables: root (after workflow:rules and inherit), job, matched rule. */
  readonly variables: ReadonlyMap<string, string>;
  /** Names of the jobs it needs, in the pipeline; undefined when the job has no `needs` (stage order). */
  readonly needs?: readonly string[];
  /** Where the job is defined. */
  readonly src: Src;
  /** The rule (or only/except entry) that decided, where it is written; undefined when nothing decided (no rules). */
  readonly decidedBy?: Src;
}

export interface NotCreatedJob {
  readonly name: string;
  readonly src: Src;
  readonly decidedBy?: Src;
  /** `never` from a rule, no rule matched, or only/except left it out. */
  readonly reason: "rule-never" | "no-rule-matched" | "only-except";
}

export interface Problem {
  readonly message: string;
  readonly src?: Src;
}

export interface Pipeline {
  readonly created: boolean;
  /** GitLab's text when the pipeline is not created. */
  readonly message?: string;
  readonly name?: string;
  /** The pipeline's YAML variables: top-level `variables:` with the matched workflow rule's over them. */
  readonly variables: ReadonlyMap<string, string>;
  readonly stages: ReadonlyArray<{ readonly name: string; readonly jobs: readonly string[] }>;
  readonly jobs: readonly SimulatedJob[];
  readonly notCreated: readonly NotCreatedJob[];
  /** The workflow rule that let the pipeline run (or stopped it). */
  readonly workflowRule?: Src;
  readonly errors: readonly Problem[];
  readonly warnings: readonly Problem[];
  /** The model the pipeline was simulated on (include:rules decided for it). */
  readonly model: Model;
}

/**
 * The config analysed with include:rules decided for one pipeline: the root's model, made by an
 * engine whose caches suit simulations (the Workspace keeps the models it made, by their decisions).
 * `checkpoint` (see AnalyzeOptions) may end a simulation anywhere, leaving every cache valid.
 */
export type ModelFor = (includeRules: IncludeRulesDecider) => Model;

/** An engine's analysis of `root`, as a ModelFor. */
export function analyzing(engine: Engine, root: string): ModelFor {
  return (includeRules) => engine.analyze({ root, includeRules });
}

/** Simulates the pipeline of a config for a situation. */
export function simulate(modelFor: ModelFor, situation: Situation, checkpoint?: () => void): Pipeline {
  const errors: Problem[] = [];
  const ctx = (variables: ReadonlyMap<string, string>): ClauseContext => ({
    variables,
    changes: situation.changes,
    files: situation.files,
  });

  // include:rules see only the project's and the pipeline's variables (Builder#config_variables)
  const includeCtx = ctx(includeRulesVariables(situation));
  const decideInclude: IncludeRulesDecider = (rules) => {
    const d = evaluateRules(rules, "always", includeCtx);
    for (const e of d.errors) errors.push({ message: `include:${e}`, src: rules.src });
    return d.when === "never" ? "skip" : "include";
  };
  const model = modelFor(decideInclude);
  const base = { model, variables: new Map<string, string>(), stages: [], jobs: [], notCreated: [], warnings: [] };

  if (SKIP_CI.test(situation.commit.message)) {
    const message = "The commit message asks to skip CI ([ci skip]): GitLab records a skipped pipeline.";
    return { ...base, created: false, message, errors: [...errors, { message }] };
  }
  // GitLab creates no pipeline from an invalid config; the jobs its rules select are still worked
  // out, so that a user sees what the pipeline will be once the errors are fixed
  const configErrors = model.diagnostics.filter((d) => d.severity === "error").map(problem);

  // workflow:rules, with the top-level variables; the matched rule's variables go over them
  const topLevel = yamlVariables(get(model.merged, "variables"));
  const workflow = get(model.merged, "workflow");
  const workflowRules = get(workflow, "rules");
  // `workflow: {rules: []}` is no workflow:rules to GitLab (`has_rules?` asks for a present list)
  const hasWorkflowRules = workflowRules?.kind === "seq" && workflowRules.items.length > 0;
  const wf = hasWorkflowRules
    ? evaluateRules(workflowRules, "always", ctx(workflowRulesVariables(situation, topLevel)))
    : undefined;
  const rootVariables = rootVariablesOf(topLevel, wf?.variables);
  if (wf?.when === "never")
    return {
      ...base,
      variables: rootVariables,
      created: false,
      message: configErrors[0]?.message ?? WORKFLOW_FILTERED,
      workflowRule: wf.rule?.value.src,
      errors: [...configErrors, ...errors, { message: WORKFLOW_FILTERED, src: wf.rule?.value.src }],
    };

  const jobs: Array<SimulatedJob & { wanted?: readonly Need[] }> = [];
  const notCreated: NotCreatedJob[] = [];
  for (const info of model.jobs.values()) {
    checkpoint?.();
    if (info.kind !== "job" && info.kind !== "bridge") continue;
    const effective = model.effectiveJob(info.name);
    if (!effective) continue;
    for (const instance of instances(info.name, get(effective, "parallel"))) {
      // a parallel:matrix job has up to 200 copies, each decided on its own
      checkpoint?.();
      const outcome = decideJob(info, effective, instance, rootVariables, hasWorkflowRules, situation, ctx);
      if (outcome.errors.length) errors.push(...outcome.errors.map((message) => ({ message, src: info.keySrc })));
      if (outcome.job) jobs.push(outcome.job);
      else if (outcome.notCreated) notCreated.push(outcome.notCreated);
    }
  }

  // stages in the config's order, only those with a job; jobs in definition order within each
  const stages = model.stages
    .map((name) => ({ name, jobs: jobs.filter((j) => j.stage === name).map((j) => j.name) }))
    .filter((s) => s.jobs.length > 0);
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const needs = withNeeds(stages.flatMap((s) => s.jobs.map((n) => byName.get(n)!)));
  errors.push(...needs.errors);

  const name = workflowName(workflow, rootVariables, situation);
  const result = {
    ...base,
    variables: rootVariables,
    stages,
    jobs: needs.jobs,
    notCreated,
    name,
    workflowRule: wf?.rule?.value.src,
  };
  if (configErrors.length)
    return { ...result, created: false, message: configErrors[0].message, errors: [...configErrors, ...errors] };
  if (errors.length) return { ...result, created: false, message: errors.map((e) => e.message).join("\n"), errors };
  if (!stages.some((s) => s.name !== ".pre" && s.name !== ".post"))
    return { ...result, created: false, message: EMPTY_PIPELINE, errors: [{ message: EMPTY_PIPELINE }] };
  return { ...result, created: true, errors };
}

const rootMemo = new WeakMap<ReadonlyMap<string, string>, WeakMap<CValue | typeof NONE, ReadonlyMap<string, string>>>();
const NONE = {};

/**
 * The pipeline's YAML variables: the top-level ones with the matched workflow rule's over them; one
 * map for the same two (both are kept by identity), so what is worked out per root is done once.
 */
function rootVariablesOf(topLevel: ReadonlyMap<string, string>, rule: CValue | undefined): ReadonlyMap<string, string> {
  let byRule = rootMemo.get(topLevel);
  if (!byRule) rootMemo.set(topLevel, (byRule = new WeakMap()));
  let root = byRule.get(rule ?? NONE);
  if (!root) byRule.set(rule ?? NONE, (root = new Map([...topLevel, ...yamlVariables(rule)])));
  return root;
}

function problem(d: Diagnostic): Problem {
  return { message: d.message, src: d.src };
}

interface Instance {
  readonly name: string;
  /** CI_NODE_INDEX / CI_NODE_TOTAL for `parallel: N`, and a matrix permutation's variables. */
  readonly node?: { readonly index: number; readonly total: number };
  readonly matrix?: ReadonlyMap<string, string>;
}

/** The jobs GitLab makes of one job: itself, `job 1/N`…, or one per matrix permutation (Normalizer). */
function instances(name: string, parallel: CValue | undefined): Instance[] {
  if (parallel?.kind === "scalar" && typeof parallel.value === "number") {
    const n = parallel.value;
    if (!Number.isInteger(n) || n < 1 || n > 200) return [{ name }];
    return Array.from({ length: n }, (_, i) => ({ name: `${name} ${i + 1}/${n}`, node: { index: i + 1, total: n } }));
  }
  const matrix = get(parallel, "matrix");
  if (matrix?.kind !== "seq") return [{ name }];
  const out: Instance[] = [];
  for (const entry of matrix.items) {
    if (entry.kind !== "map") continue;
    let combos: Array<Array<[string, string]>> = [[]];
    for (const [key, e] of entry.entries) {
      const values = (e.value.kind === "seq" ? e.value.items : [e.value])
        .map((v) => (v.kind === "scalar" && v.value !== null ? String(v.value) : undefined))
        .filter((v): v is string => v !== undefined);
      combos = combos.flatMap((c) => values.map((v): Array<[string, string]> => [...c, [key, v]]));
      if (combos.length > 200) return out;
    }
    for (const c of combos) out.push({ name: `${name}: [${c.map(([, v]) => v).join(", ")}]`, matrix: new Map(c) });
  }
  return out.length ? out : [{ name }];
}

interface JobDecision {
  /** A created job, with the needs it asks for (checked once every job is known). */
  readonly job?: SimulatedJob & { readonly wanted?: readonly Need[] };
  readonly notCreated?: NotCreatedJob;
  readonly errors: readonly string[];
}

function decideJob(
  info: JobInfo,
  effective: CMap,
  instance: Instance,
  rootVariables: ReadonlyMap<string, string>,
  hasWorkflowRules: boolean,
  situation: Situation,
  ctx: (variables: ReadonlyMap<string, string>) => ClauseContext,
): JobDecision {
  const stage = str(get(effective, "stage")) ?? "test";
  const jobWhen = str(get(effective, "when")) ?? "on_success";
  const root = inheritedRootVariables(rootVariables, inheritance(get(get(info.value, "inherit"), "variables")));
  const written = yamlVariables(get(info.value, "variables"));
  const own = instance.matrix ? new Map([...written, ...instance.matrix]) : written;
  const environment = get(effective, "environment");
  const envName = str(environment) ?? str(get(environment, "name"));
  const facts: JobFacts = {
    name: instance.name,
    stage,
    when: jobWhen,
    environment: envName === undefined ? undefined : { name: envName, action: str(get(environment, "action")) },
    nodeIndex: instance.node?.index,
    nodeTotal: instance.node?.total,
  };
  const visible = jobRulesVariables(situation, root, own, facts);
  const rules = get(effective, "rules");
  let decision: RuleDecision;
  if (rules) {
    decision = evaluateRules(rules, jobWhen, ctx(visible));
    if (decision.errors.length)
      return { errors: decision.errors.map((e) => `Failed to parse rule for ${instance.name}: ${e}`) };
    if (decision.when === "never")
      return {
        errors: [],
        notCreated: {
          name: instance.name,
          src: info.keySrc,
          decidedBy: decision.rule?.value.src,
          reason: decision.rule ? "rule-never" : "no-rule-matched",
        },
      };
  } else {
    const policy = onlyExceptDecision(effective, hasWorkflowRules, { situation, ctx: ctx(visible) });
    if (!policy.included)
      return {
        errors: [],
        notCreated: { name: instance.name, src: info.keySrc, decidedBy: policy.decidedBy?.src, reason: "only-except" },
      };
    decision = { when: jobWhen, errors: [] };
  }
  // variables that name each other in a circle fail the pipeline, for a job that is created
  const circle = jobVariableCircle(situation, root, own, facts);
  if (circle) return { errors: [`${instance.name}: ${circle}`] };
  const outcome = jobOutcome(effective, decision);
  const needs = outcome.needs ?? get(effective, "needs");
  return {
    errors: [],
    job: {
      name: instance.name,
      stage,
      when: outcome.when,
      allowFailure: outcome.allowFailure,
      startIn: outcome.startIn,
      variables: new LayeredVariables([yamlVariables(decision.variables), own, root]),
      wanted: needs?.kind === "seq" ? needsOf(needs) : undefined,
      src: info.keySrc,
      decidedBy: decision.rule?.value.src,
    },
  };
}

/** `inherit:variables` as written: true (all, the default), false (none), or a list of names. */
function inheritance(inherit: CValue | undefined): boolean | string[] {
  if (inherit?.kind === "scalar" && inherit.value === false) return false;
  if (inherit?.kind === "seq") return inherit.items.map(str).filter((n): n is string => n !== undefined);
  return true;
}

interface Need {
  readonly name: string;
  readonly optional: boolean;
}

/** The jobs of this pipeline a `needs` list names (not other projects' or pipelines'). */
function needsOf(needs: CValue & { kind: "seq" }): Need[] {
  const out: Need[] = [];
  for (const n of needs.items) {
    if (n.kind === "scalar" && typeof n.value === "string") out.push({ name: n.value, optional: false });
    else if (n.kind === "map" && !n.entries.has("project") && !n.entries.has("pipeline")) {
      const name = str(get(n, "job"));
      const optional = get(n, "optional");
      if (name !== undefined) out.push({ name, optional: optional?.kind === "scalar" && optional.value === true });
    }
  }
  return out;
}

/**
 * Each job with its needs as created, and GitLab's errors (seed/build.rb#needs_errors): a need on a
 * job that is not in the pipeline fails it, unless optional (then the need is dropped). A need on a
 * parallel job is met by its copies.
 */
function withNeeds(jobs: ReadonlyArray<SimulatedJob & { readonly wanted?: readonly Need[] }>): {
  jobs: SimulatedJob[];
  errors: Problem[];
} {
  const present = new Set(jobs.map((j) => j.name));
  for (const j of jobs) present.add(j.name.replace(/ \d+\/\d+$|: \[.*\]$/, ""));
  const errors: Problem[] = [];
  const out = jobs.map(({ wanted, ...job }) => {
    if (!wanted) return job;
    for (const n of wanted)
      if (!present.has(n.name) && !n.optional)
        errors.push({
          message:
            `'${job.name}' job needs '${n.name}' job, but '${n.name}' does not exist in the pipeline. ` +
            "This might be because of the only, except, or rules keywords. " +
            "To need a job that sometimes does not exist in the pipeline, use needs:optional.",
          src: job.src,
        });
    return { ...job, needs: wanted.filter((n) => present.has(n.name)).map((n) => n.name) };
  });
  return { jobs: out, errors };
}

/** `workflow:name`, stripped and expanded with the pipeline's variables; empty means none (populate_metadata.rb). */
function workflowName(workflow: CValue | undefined, root: ReadonlyMap<string, string>, situation: Situation) {
  const raw = str(get(workflow, "name"));
  if (raw === undefined) return undefined;
  const variables = new Map([...predefinedPipelineVariables(situation), ...root, ...situation.variables]);
  const name = expandPattern(raw, variables)
    .replace(/\$\{?\w+\}?/g, "")
    .trim();
  return name === "" ? undefined : name.slice(0, 255);
}
