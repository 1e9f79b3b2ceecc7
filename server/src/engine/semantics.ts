import type { Code } from "./codes";
import type { JobInfo } from "./jobs";
import type { CMap, CValue, Diagnostic, Fix, Related, Severity, Src } from "./types";
import { ClosestNames } from "./did-you-mean";
import { gatherRelated } from "./gather";
import { get, str } from "./values";

// The checks GitLab makes after the schema (YamlProcessor's logical validation): stages that
// exist, needs and dependencies that point at real jobs in the same or earlier stages, no
// duplicate or circular needs, matrix sizes, on_stop jobs. They run on effective jobs, so a
// stage or need inherited from a template is checked in the job that uses it and reported
// where it is written.

/** Undefined needs reported one by one per `needs` list; the rest are counted in one more finding. */
const MAX_UNKNOWN_NEEDS = 100;
/** Did-you-mean for unknown needs and stages, kept while the jobs and the stages stay the same. */
const closestJobs = new ClosestNames();
const closestStages = new ClosestNames();

export interface SemanticInput {
  readonly jobs: ReadonlyMap<string, JobInfo>;
  readonly stages: readonly string[];
  readonly effectiveJob: (name: string) => CMap | undefined;
  /** Jobs may come from includes we cannot read: "unknown" findings are then warnings. */
  readonly hasExternal: boolean;
  /** Called before each job (see AnalyzeOptions.checkpoint). */
  readonly checkpoint?: () => void;
}

export const MAX_MATRIX_JOBS = 200;
/** `parallel: N` at most (GitLab's Entry::Product::Parallel). */
export const MAX_PARALLEL = 200;
/** GitLab's `ci_needs_size_limit` plan limit, 50 by default and on GitLab.com (Seed::Build#needs_errors). */
export const MAX_NEEDS = 50;
/** A job's name, in characters (Entry::Processable: `validates :name, length: { maximum: 255 }`). */
export const MAX_JOB_NAME = 255;

interface NeedRef {
  name: string;
  src: Src;
  optional: boolean;
  matrix: boolean;
  /** The `needs` item as written. */
  entry: CValue;
}

/** Each `needs` list's entries, read once per list value: an edit reads only the lists it changed again. */
const needRefsOf = new WeakMap<CValue, readonly NeedRef[]>();

/** `needs` entries that name a job of this pipeline (not other projects' or pipelines'). */
function needRefs(needs: CValue | undefined): readonly NeedRef[] {
  if (!needs || needs.kind !== "seq") return [];
  let refs = needRefsOf.get(needs);
  if (!refs) needRefsOf.set(needs, (refs = readNeedRefs(needs)));
  return refs;
}

function readNeedRefs(needs: CValue & { kind: "seq" }): NeedRef[] {
  const out: NeedRef[] = [];
  for (const n of needs.items) {
    if (n.kind === "scalar" && typeof n.value === "string")
      out.push({ name: n.value, src: n.src, optional: false, matrix: false, entry: n });
    else if (n.kind === "map" && !n.entries.has("project") && !n.entries.has("pipeline")) {
      const job = get(n, "job");
      const name = str(job);
      if (name !== undefined) {
        const optional = get(n, "optional");
        out.push({
          name,
          src: job!.src,
          optional: optional?.kind === "scalar" && optional.value === true,
          matrix: n.entries.has("parallel"),
          entry: n,
        });
      }
    }
  }
  return out;
}

/** The names GitLab gives the copies of a parallel job: `job 1/3`, or `job: [a, b]` per matrix permutation. */
export function instanceNames(name: string, parallel: CValue | undefined): string[] {
  if (parallel?.kind === "scalar" && typeof parallel.value === "number") {
    // GitLab runs 2 to 200 copies; any other number is the schema's to report, not to enumerate
    const n = parallel.value;
    if (!Number.isInteger(n) || n < 1 || n > MAX_PARALLEL) return [];
    return Array.from({ length: n }, (_, i) => `${name} ${i + 1}/${n}`);
  }
  const matrix = get(parallel, "matrix");
  if (!matrix || matrix.kind !== "seq") return [];
  const out: string[] = [];
  for (const entry of matrix.items) {
    if (entry.kind !== "map") continue;
    let combos: string[][] = [[]];
    for (const e of entry.entries.values()) {
      const values = e.value.kind === "seq" ? e.value.items : [e.value];
      const texts = values
        .filter((v) => v.kind === "scalar" && v.value !== null)
        .map((v) => String((v as { value: unknown }).value));
      if (combos.length * texts.length > MAX_MATRIX_JOBS) return out;
      combos = combos.flatMap((c) => texts.map((t) => [...c, t]));
    }
    for (const c of combos) out.push(`${name}: [${c.join(", ")}]`);
  }
  return out;
}

/** The copies' names per `parallel` value and job name: every analysis asks for every job's. */
const copiesOf = new WeakMap<CValue, Map<string, readonly string[]>>();

function copies(name: string, parallel: CValue | undefined): readonly string[] {
  if (!parallel) return [];
  let byName = copiesOf.get(parallel);
  if (!byName) copiesOf.set(parallel, (byName = new Map()));
  let names = byName.get(name);
  if (!names) byName.set(name, (names = instanceNames(name, parallel)));
  return names;
}

/** What a job's own findings depend on besides its value: the pipeline's jobs, their stages and copies. */
interface World {
  readonly names: readonly string[];
  /** Each job's `stage`, as written (undefined: the default). */
  readonly stages: ReadonlyArray<string | undefined>;
  /** Each job's `parallel` value: its copies' names. */
  readonly parallels: ReadonlyArray<CValue | undefined>;
  readonly pipelineStages: readonly string[];
  readonly hasExternal: boolean;
}

const sameList = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The worlds of the last analyses (a config's main pipeline and its child pipelines alternate). */
const recentWorlds: World[] = [];
const RECENT_WORLDS = 32;

/** The kept world equal to this one, so that identity tells two analyses' worlds are the same. */
function worldOf(w: World): World {
  for (const r of recentWorlds)
    if (
      r.hasExternal === w.hasExternal &&
      sameList(r.names, w.names) &&
      sameList(r.stages, w.stages) &&
      sameList(r.parallels, w.parallels) &&
      sameList(r.pipelineStages, w.pipelineStages)
    )
      return r;
  recentWorlds.unshift(w);
  if (recentWorlds.length > RECENT_WORLDS) recentWorlds.pop();
  return w;
}

/** Each effective job's own findings, with the job's name, the world and the on_stop job they were found in. */
const ownFindings = new WeakMap<
  CMap,
  { name: string; world: World; stop: CMap | undefined; findings: readonly Diagnostic[] }
>();

function matrixSize(parallel: CValue | undefined): number {
  const matrix = get(parallel, "matrix");
  if (!matrix || matrix.kind !== "seq") return 0;
  let total = 0;
  for (const entry of matrix.items) {
    if (entry.kind !== "map") continue;
    let product = 1;
    for (const e of entry.entries.values()) product *= e.value.kind === "seq" ? e.value.items.length : 1;
    total += product;
  }
  return total;
}

/** A job's name as Ruby's String#inspect writes it in a list (GitLab's job names are plain text). */
const inspect = (name: string) => JSON.stringify(name);

export function semanticDiagnostics(input: SemanticInput): Diagnostic[] {
  const out: Diagnostic[] = [];
  /** The job being checked, which the findings are about. */
  let current: string | undefined;
  const report = (src: Src, code: Code, message: string, severity: Severity = "error", fixes?: Fix[]) =>
    out.push({
      src,
      code,
      message,
      severity,
      ...(fixes ? { fixes } : {}),
      ...(current !== undefined ? { job: current } : {}),
    });
  const unknownSeverity: Severity = input.hasExternal ? "warning" : "error";
  const maybeExternal = input.hasExternal ? " (it may come from an include that cannot be read offline)" : "";
  const visible = [...input.jobs.values()].filter((j) => j.kind === "job" || j.kind === "bridge");
  const checkpoint = input.checkpoint ?? (() => {});
  const effective = new Map<string, CMap | undefined>();
  for (const j of visible) {
    checkpoint();
    effective.set(j.name, input.effectiveJob(j.name));
  }
  // a need may name a job or one of its parallel copies
  const jobOf = new Map<string, string>();
  const instancesOf = new Map<string, number>();
  for (const name of effective.keys()) {
    jobOf.set(name, name);
    const instances = copies(name, get(effective.get(name), "parallel"));
    instancesOf.set(name, instances.length);
    for (const i of instances) if (!jobOf.has(i)) jobOf.set(i, name);
  }
  const stageOf = (name: string): string => str(get(effective.get(jobOf.get(name) ?? name), "stage")) ?? "test";
  // each stage's first place, as indexOf finds it, without a scan per call (10,000 stages in a fuzzed config)
  const stagePlace = new Map<string, number>();
  input.stages.forEach((s, i) => stagePlace.has(s) || stagePlace.set(s, i));
  // asked for each need of each job: once per name
  const stageIndexes = new Map<string, number>();
  const stageIndex = (name: string) => {
    let i = stageIndexes.get(name);
    if (i === undefined) stageIndexes.set(name, (i = stagePlace.get(stageOf(name)) ?? -1));
    return i;
  };
  /**
   * True when `dep` runs in a later stage than `job`, or in a stage that does not exist (YamlProcessor's
   * validate_job_dependency!: "not defined in current or prior stages"); a job whose own stage does not exist
   * is reported for that alone (GitLab checks a job's stage first).
   */
  const later = (dep: string, job: string) =>
    stageIndex(job) >= 0 && (stageIndex(dep) < 0 || stageIndex(dep) > stageIndex(job));
  /** A dependency in no stage may be in one of the stages of an include that cannot be read. */
  const laterSeverity = (dep: string): Severity => (stageIndex(dep) < 0 ? unknownSeverity : "error");
  const graph = new Map<string, readonly NeedRef[]>();
  /** The names a need on this job stands for: its copies', if it is parallel. */
  const expandedNames = (name: string): readonly string[] =>
    jobOf.get(name) === name && (instancesOf.get(name) ?? 0) > 0
      ? copies(name, get(effective.get(name), "parallel"))
      : [name];
  // GitLab counts needs after its Normalizer has expanded them: a need on a parallel job is a need
  // on each copy, one with `parallel:matrix` a need on each chosen permutation
  const expandedCount = (n: NeedRef): number =>
    n.matrix ? matrixSize(get(n.entry, "parallel")) : Math.max(1, instancesOf.get(n.name) ?? 1);
  const tooManyNeeds = (job: string, written: CValue | undefined, needs: readonly NeedRef[]) => {
    const count = needs.reduce((sum, n) => sum + expandedCount(n), 0);
    if (written && count > MAX_NEEDS)
      report(
        written.src,
        "needs-too-many",
        `${job}: one job can only need ${MAX_NEEDS} others, but you have listed ${count}. ` +
          "See needs keyword documentation for more details",
      );
  };
  const closestJob = closestJobs.among(jobOf.keys());
  // once, not per job: a fuzzed config with 10,000 stages and a thousand jobs in a missing one spent seconds
  // comparing each job's stage with every stage and writing the list again
  const stageSet = new Set(input.stages);
  const closestStage = closestStages.among(input.stages);
  const availableStages = `available stages are ${input.stages.join(", ")}`;
  /** One `needs` list (a job's, or one of its rules'): too many, unknown, in a later stage, listed twice. */
  const checkNeeds = (job: string, written: CValue | undefined, needs: readonly NeedRef[]) => {
    tooManyNeeds(job, written, needs);
    const seen = new Map<string, number>();
    let unknown = 0;
    for (const n of needs) {
      if (!n.matrix) seen.set(n.name, (seen.get(n.name) ?? 0) + 1);
      if (!jobOf.has(n.name)) {
        if (n.optional) continue;
        // a list of 23,000 unknown needs (a fuzzed config) made as many findings; GitLab reports the first
        if (++unknown <= MAX_UNKNOWN_NEEDS)
          report(
            n.src,
            "needs-unknown",
            `${job} job: undefined need: ${n.name}${maybeExternal}`,
            unknownSeverity,
            closestJob.fix(n.name, n.src),
          );
        else if (unknown === MAX_UNKNOWN_NEEDS + 1) {
          const rest = needs.filter((m) => !m.optional && !jobOf.has(m.name)).length - MAX_UNKNOWN_NEEDS;
          report(
            n.src,
            "needs-unknown",
            `${job} job: ${rest} more undefined needs, from here on (the first ${MAX_UNKNOWN_NEEDS} are shown)`,
            unknownSeverity,
          );
        }
      } else {
        // a need on a parallel job is a need on each copy, whose names GitLab checks again (yaml_processor.rb)
        const long = n.matrix ? undefined : expandedNames(n.name).find((e) => [...e].length > MAX_JOB_NAME);
        if (long !== undefined)
          report(
            n.src,
            "needs-name-too-long",
            `${job} job: need \`${long}\` name is too long (maximum is ${MAX_JOB_NAME} characters)`,
          );
        else if (later(n.name, job))
          report(
            n.src,
            "needs-later-stage",
            `${job} job: need ${n.name} is not defined in current or prior stages`,
            laterSeverity(n.name),
          );
      }
    }
    const duplicated = [...seen].filter(([, c]) => c > 1).map(([n]) => n);
    if (duplicated.length)
      report(
        needs.find((n) => duplicated.includes(n.name))!.src,
        "needs-duplicate",
        `${job} has the following needs duplicated: ${duplicated.join(", ")}.`,
      );
  };
  const templateStages = new Map<string, Diagnostic & { related: Related[] }>();
  /**
   * `$[[ matrix.X ]]` in a need's parallel:matrix takes X from each of the job's own permutations, so X must be a
   * dimension of every entry of its matrix (Gitlab::Ci::Config::Interpolation::MatrixInterpolator's error).
   */
  const matrixExpressions = (name: string, job: CMap, needs: readonly NeedRef[]) => {
    const own = get(get(job, "parallel"), "matrix");
    if (own?.kind !== "seq") return;
    const entries = own.items.filter((e): e is CMap => e.kind === "map");
    if (entries.length === 0) return;
    const known = (v: string) => entries.every((e) => e.entries.has(v));
    for (const n of needs) {
      const matrix = get(get(n.entry, "parallel"), "matrix");
      if (!n.matrix || matrix?.kind !== "seq") continue;
      for (const entry of matrix.items) {
        if (entry.kind !== "map") continue;
        for (const e of entry.entries.values())
          for (const v of e.value.kind === "seq" ? e.value.items : [e.value]) {
            if (v.kind !== "scalar" || typeof v.value !== "string") continue;
            for (const m of v.value.matchAll(/\$\[\[\s*matrix\.([\w-]+)\s*\]\]/g))
              if (!known(m[1]))
                report(v.src, "needs-matrix-unknown", `${name} job: '${m[1]}' does not exist in matrix configuration`);
          }
      }
    }
  };

  /** The findings of a job that depend on its own value (and on the world, see `ownFindings`). */
  const ownChecks = (j: JobInfo, job: CMap, needs: readonly NeedRef[]) => {
    matrixExpressions(j.name, job, needs);
    checkNeeds(j.name, get(job, "needs"), needs);
    // a rule's needs are checked as the job's own are (YamlProcessor#validate_job_needs! on each rule)
    const rules = get(job, "rules");
    if (rules?.kind === "seq")
      for (const r of rules.items) checkNeeds(j.name, get(r, "needs"), needRefs(get(r, "needs")));

    const deps = get(job, "dependencies");
    if (deps?.kind === "seq") {
      // the Job entry's check comes first, and GitLab stops there (entry/job.rb): with needs, every dependency
      // must be one of them, and needs only on other pipelines cannot serve any
      const needsValue = get(job, "needs");
      const hasNeeds = needsValue?.kind === "seq" && needsValue.items.length > 0;
      const needNames = new Set(needs.map((n) => n.name));
      const crossOnly = hasNeeds && needs.length === 0;
      const named = deps.items.filter((d) => str(d) !== undefined);
      const missing = hasNeeds && !crossOnly ? named.filter((d) => !needNames.has(str(d)!)) : [];
      if (crossOnly && named.length > 0)
        report(
          needsValue!.src,
          "dependencies-cross-pipeline",
          `jobs:${j.name} needs corresponding to dependencies must be from the same pipeline`,
        );
      else if (missing.length > 0)
        report(
          missing[0].src,
          "dependencies-not-in-needs",
          `jobs:${j.name} dependencies the ${missing.map((d) => str(d)).join(", ")} should be part of needs`,
        );
      else
        for (const d of named) {
          const name = str(d)!;
          if (!jobOf.has(name))
            report(
              d.src,
              "dependencies-unknown",
              `${j.name} job: undefined dependency: ${name}${maybeExternal}`,
              unknownSeverity,
            );
          else if (later(name, j.name))
            report(
              d.src,
              "dependencies-later-stage",
              `${j.name} job: dependency ${name} is not defined in current or prior stages`,
              laterSeverity(name),
            );
        }
    }

    const parallel = get(job, "parallel");
    if (matrixSize(parallel) > MAX_MATRIX_JOBS) {
      report(
        get(parallel, "matrix")!.src,
        "parallel-matrix-too-many",
        `${j.name} job: parallel:matrix config generates too many jobs (maximum is ${MAX_MATRIX_JOBS})`,
      );
    }

    const environment = get(job, "environment");
    const onStop = get(environment, "on_stop");
    const stopName = str(onStop);
    if (stopName !== undefined) {
      const stopJob = effective.get(stopName);
      const envName = str(get(environment, "name"));
      if (!stopJob)
        report(
          onStop!.src,
          "environment-on-stop-unknown",
          `${j.name} job: on_stop job ${stopName} is not defined${maybeExternal}`,
          unknownSeverity,
        );
      else {
        const stopEnv = get(stopJob, "environment");
        const stopEnvName = stopEnv?.kind === "scalar" ? str(stopEnv) : str(get(stopEnv, "name"));
        if (!stopEnv)
          report(
            onStop!.src,
            "environment-on-stop-invalid",
            `${j.name} job: on_stop job ${stopName} does not have environment defined`,
          );
        else if (stopEnvName !== envName)
          report(
            onStop!.src,
            "environment-on-stop-invalid",
            `${j.name} job: on_stop job ${stopName} have different environment name`,
          );
        else if (str(get(stopEnv, "action")) !== "stop")
          report(
            onStop!.src,
            "environment-on-stop-invalid",
            `${j.name} job: on_stop job ${stopName} needs to have action stop defined`,
          );
      }
    }
  };

  // what every job's own findings depend on besides its value: one object while it stays the same
  const world = worldOf({
    names: [...effective.keys()],
    stages: [...effective.keys()].map((name) => str(get(effective.get(name), "stage"))),
    parallels: [...effective.values()].map((job) => get(job, "parallel")),
    pipelineStages: input.stages,
    hasExternal: input.hasExternal,
  });

  for (const j of visible) {
    checkpoint();
    const job = effective.get(j.name);
    if (!job) continue;
    current = j.name;
    const length = [...j.name].length; // Ruby counts characters, not UTF-16 units
    if (length > MAX_JOB_NAME) {
      // GitLab prints the whole name; a name this long is shown by its start
      const shown = `${[...j.name].slice(0, 64).join("")}…`;
      report(j.keySrc, "job-name-too-long", `jobs:${shown} name is too long (maximum is ${MAX_JOB_NAME} characters)`);
    }
    const stage = get(job, "stage");
    const stageName = stageOf(j.name);
    if (!stageSet.has(stageName)) {
      const severity: Severity = input.hasExternal ? "warning" : "error";
      const available = availableStages;
      if (stage?.kind === "scalar" && stage.via?.length) {
        // written once in a template: one finding there, in GitLab's words for the first job it
        // reaches, with every job as related information
        const key = `${stage.src.file}:${stage.src.start}`;
        const first = templateStages.get(key);
        if (first) first.related.push({ src: j.keySrc, message: `used by job "${j.name}"` });
        else {
          const d = {
            src: stage.src,
            code: "stage-unknown" as const,
            severity,
            message: `${j.name} job: chosen stage ${stageName} does not exist; ${available}`,
            related: [{ src: j.keySrc, message: `used by job "${j.name}"` }],
          };
          templateStages.set(key, d);
          out.push(d);
        }
      } else {
        const written = stage?.kind === "scalar" && stage.src !== j.keySrc;
        report(
          written ? stage.src : j.keySrc,
          "stage-unknown",
          `${j.name} job: chosen stage ${stageName} does not exist; ${available}`,
          severity,
          written ? closestStage.fix(stageName, stage.src) : undefined,
        );
      }
    }

    const needs = needRefs(get(job, "needs"));
    graph.set(j.name, needs);
    // a job's own findings (needs, dependencies, matrix, on_stop) depend on its value, the pipeline's jobs (their
    // names, stages and copies) and its on_stop job: an edit checks again only the jobs it changed
    const stop = effective.get(str(get(get(job, "environment"), "on_stop")) ?? "");
    const kept = ownFindings.get(job);
    if (kept && kept.name === j.name && kept.world === world && kept.stop === stop) {
      for (const d of kept.findings) out.push(d);
      continue;
    }
    const from = out.length;
    ownChecks(j, job, needs);
    ownFindings.set(job, { name: j.name, world, stop, findings: out.slice(from) });
  }

  current = undefined;
  // needs cycles, found as GitLab's Dag finds them (yaml_processor/dag.rb: Ruby's TSort, Tarjan's strongly
  // connected components, jobs in the order they are defined, needs in the order written): a job that
  // needs itself is "self-dependency: <job>", a loop "topological sort failed: [<jobs in visiting order>]".
  // GitLab stops at the first; each loop is reported here, at the need that closes it.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  /** The job a need stands for: a need on a parallel copy is a need on its job. */
  const target = (n: NeedRef) => jobOf.get(n.name) ?? n.name;
  const connect = (name: string) => {
    index.set(name, index.size);
    low.set(name, index.get(name)!);
    stack.push(name);
    onStack.add(name);
    for (const n of graph.get(name) ?? []) {
      const t = target(n);
      if (!index.has(t)) {
        connect(t);
        low.set(name, Math.min(low.get(name)!, low.get(t)!));
      } else if (onStack.has(t)) low.set(name, Math.min(low.get(name)!, index.get(t)!));
    }
    if (low.get(name) !== index.get(name)) return;
    const component = stack.splice(stack.indexOf(name));
    for (const c of component) onStack.delete(c);
    const cyclic = (c: string) => (graph.get(c) ?? []).find((n) => target(n) === name);
    if (component.length === 1) {
      const self = cyclic(name);
      if (self) report(self.src, "needs-cycle", `The pipeline has circular dependencies: self-dependency: ${name}`);
      return;
    }
    const closing = [...component].reverse().find(cyclic)!;
    report(
      cyclic(closing)!.src,
      "needs-cycle",
      `The pipeline has circular dependencies: topological sort failed: [${component.map(inspect).join(", ")}]`,
    );
  };
  for (const name of graph.keys()) if (!index.has(name)) connect(name);

  if (visible.length > 0 && visible.every((j) => stageOf(j.name) === ".pre" || stageOf(j.name) === ".post")) {
    report(
      visible[0].keySrc,
      "pipeline-only-edge-stages",
      "every job is in the .pre or .post stage: GitLab does not create a pipeline that has only those",
      "warning",
    );
  }
  return gatherRelated(out);
}
