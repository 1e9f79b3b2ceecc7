import { resolveExtends } from "./extends";
import { dedupe, IncludeExpander, type IncludeEdge, type IncludeRulesDecider } from "./includes";
import {
  classify,
  DEPRECATED_GLOBAL_DEFAULTS,
  type JobDefinition,
  effectiveJob,
  globalContext,
  injectEdgeStages,
  jobShapeDiagnostics,
  defaultConflictDiagnostics,
  commandsNestingDiagnostics,
  nestedListDiagnostics,
  stagesOf,
  type GlobalContext,
  type JobInfo,
} from "./jobs";
import type { ParsedFile } from "./load";
import { EngineCaches } from "./caches";
import { markInclusions, type InclusionKeys } from "./inclusions";
import { resolveReferences } from "./reference-tags";
import type { CMap, Diagnostic, Src, SourceHost } from "./types";
import { normaliseLocalPath } from "./paths";
import { semanticDiagnostics } from "./semantics";
import { expressionDiagnostics } from "./expression-checks";
import { schemaDiagnostics } from "./validate";
import { keywordCombinationDiagnostics } from "./job-combinations";
import { durationDiagnostics } from "./duration-checks";
import { emptyMap, get, str, toJS } from "./values";

// The engine: files in, model out. It follows GitLab's order — YAML load, includes, extends,
// !reference, edge stages, jobs — and keeps caches between runs so that an edit re-parses
// one file and re-expands only the include chains that contain it.

export const DEFAULT_ROOT = ".gitlab-ci.yml";

/** The keywords that make a key a job; a job without any of them is "no script". */
const JOB_BODY = ["script", "run", "trigger"];

export interface AnalyzeOptions {
  /** Project-relative path of the root config; `.gitlab-ci.yml` when not given. */
  readonly root?: string;
  /** Inputs a parent pipeline passes to this root through `trigger:include:inputs` (`entry`: that include entry). */
  readonly inputs?: { readonly value: CMap; readonly at: Src; readonly entry?: Src };
  /**
   * Called between steps (each file read, each stage, each job); it may throw to end the analysis
   * there, which leaves every cache as it was (they only ever keep finished work). The editor uses
   * it to give way to a request and to stop an analysis past its budget.
   */
  readonly checkpoint?: () => void;
  /** `include:rules` decided for one pipeline (the simulation's); see IncludeExpander. */
  readonly includeRules?: IncludeRulesDecider;
}

/** A child pipeline started by a trigger job from a file of this project. */
export interface ChildPipeline {
  readonly job: string;
  /** The `trigger:include` entry. */
  readonly src: Src;
  readonly file: string;
  readonly inputs?: { readonly value: CMap; readonly at: Src };
}

export interface ProjectAnalysis {
  readonly main: Model;
  /** Child pipelines reachable from the main one, each analysed as a root of its own. */
  readonly children: ReadonlyArray<{ readonly pipeline: ChildPipeline; readonly model: Model }>;
}

export const MAX_CHILD_PIPELINES = 50;

export interface Model {
  readonly root: string;
  /** Every project file of the config, root first, as loaded. */
  readonly files: ReadonlyMap<string, ParsedFile>;
  readonly includes: readonly IncludeEdge[];
  readonly hasExternalIncludes: boolean;
  /** The whole configuration after includes, extends and !reference (GitLab's "full configuration"). */
  readonly merged: CMap;
  readonly jobs: ReadonlyMap<string, JobInfo>;
  readonly stages: readonly string[];
  /** Direct `extends` parents of every key that has them. */
  readonly extendsParents: ReadonlyMap<string, ReadonlyArray<{ name: string; src: Src }>>;
  readonly diagnostics: readonly Diagnostic[];
  /** Every inclusion of a file with a `spec:` header, with the keys it defines; findings name theirs. */
  readonly inclusions: readonly InclusionKeys[];
  /** Hidden keys that jobs inherit from through extends (job templates). */
  readonly templates: ReadonlySet<string>;
  /** Child pipelines this config's trigger jobs start from project files. */
  readonly childPipelines: readonly ChildPipeline[];
  /** A job's effective definition (defaults, global variables, flattening applied); undefined for non-jobs. */
  effectiveJob(name: string): CMap | undefined;
}

export class Engine {
  constructor(
    private host: SourceHost,
    /** Kept between analyses; an engine for another tree of the same project may share the parse cache. */
    readonly caches = new EngineCaches(),
  ) {}

  /** Replaces the host, e.g. when the language server's overlay changes; caches stay valid by content. */
  setHost(host: SourceHost): void {
    this.host = host;
  }

  /** Files parsed since the engine was made (by every engine sharing its parse cache). */
  get parseCount(): number {
    return this.caches.parsed.parseCount;
  }

  analyze(options: AnalyzeOptions = {}): Model {
    const rootPath = options.root ?? DEFAULT_ROOT;
    const checkpoint = options.checkpoint ?? (() => {});
    const runTexts = new Map<string, ParsedFile | undefined>();
    const parse = (path: string): ParsedFile | undefined => {
      if (runTexts.has(path)) return runTexts.get(path);
      checkpoint();
      const text = this.host.readFile(path);
      const file = text === undefined ? undefined : this.caches.parsed.get(path, text, this.caches.lineage, checkpoint);
      runTexts.set(path, file);
      return file;
    };
    let listing: readonly string[] | undefined;
    const listFiles = () => (listing ??= this.host.listFiles());

    const root = parse(rootPath);
    const rootSrc: Src = { file: rootPath, start: 0, end: 0 };
    if (!root) {
      const why = this.host.unreadable?.(rootPath);
      return emptyModel(rootPath, [
        why
          ? { src: rootSrc, severity: "error", code: "file-unreadable", message: `${rootPath} ${why}` }
          : { src: rootSrc, severity: "error", code: "root-not-found", message: `${rootPath} does not exist` },
      ]);
    }
    const diagnostics: Diagnostic[] = [];
    const included = new IncludeExpander(
      parse,
      listFiles,
      this.caches.expansions,
      (p) => this.host.unreadable?.(p),
      options.includeRules,
      this.host.externalIncludes,
    ).run(root, options.inputs);
    const files = new Map<string, ParsedFile>();
    for (const f of included.files) {
      const p = parse(f);
      if (p) {
        files.set(f, p);
        // an included file's content that is not a mapping is GitLab's "`<file>`: Invalid configuration format"
        // (lib/gitlab/ci/config/external/file/base.rb, load_and_validate_expanded_hash!); the root's has none
        for (const d of p.diagnostics)
          diagnostics.push(
            d.code === "yaml-invalid-format" && f !== rootPath ? { ...d, message: `\`${f}\`: ${d.message}` } : d,
          );
      }
    }
    pushAll(diagnostics, included.diagnostics);
    if (root.content === undefined && root.diagnostics.length === 0) {
      diagnostics.push({
        src: rootSrc,
        severity: "error",
        code: "config-empty",
        message: `Please provide content of ${rootPath}`,
      });
    }
    checkpoint();
    const extended = resolveExtends(included.config, included.hasExternal, this.caches.extends, checkpoint);
    pushAll(diagnostics, extended.diagnostics);
    checkpoint();
    const referenced = resolveReferences(extended.config, included.hasExternal, this.caches.references, checkpoint);
    pushAll(diagnostics, referenced.diagnostics);
    checkpoint();
    const merged = injectEdgeStages(referenced.config);
    const jobs = classify(merged);
    // each of these passes over every job takes a few milliseconds on GitLab's config: a waiting request
    // should not wait for all of them
    checkpoint();
    if (root.content !== undefined) pushAll(diagnostics, jobShapeDiagnostics(jobs, rootPath, included.hasExternal));
    pushAll(diagnostics, defaultConflictDiagnostics(merged, jobs));
    checkpoint();
    const workflowRules = get(get(merged, "workflow"), "rules");
    const workflowHasRules =
      workflowRules !== undefined && !(workflowRules.kind === "scalar" && workflowRules.value === null);
    pushAll(diagnostics, keywordCombinationDiagnostics(jobs, workflowHasRules));
    checkpoint();
    pushAll(diagnostics, durationDiagnostics(jobs, merged));
    checkpoint();
    const ctx = globalContext(merged);
    // What every effective job depends on besides itself: reused while these are the same objects.
    const globals = ["default", "variables", ...DEPRECATED_GLOBAL_DEFAULTS].map((k) => merged.entries.get(k)?.value);
    const effectiveOf = (name: string): JobDefinition | undefined => {
      const info = jobs.get(name);
      if (!info || (info.kind !== "job" && info.kind !== "bridge")) return undefined;
      const kept = this.caches.effective.get(info.value);
      if (kept && kept.name === name && kept.kind === info.kind && kept.globals.every((g, i) => g === globals[i]))
        return kept;
      const value = effectiveJob(info, ctx);
      if (!value) return undefined;
      const diagnostics = [
        ...(info.value.kind === "map" ? commandsNestingDiagnostics(`jobs:${name}`, info.value) : []),
        ...nestedListDiagnostics(name, value),
      ].map((d) => (d.job === undefined ? { ...d, job: name } : d));
      const def = { name, kind: info.kind, globals, value, diagnostics };
      this.caches.effective.set(info.value, def);
      return def;
    };
    for (const job of jobs.values()) {
      checkpoint();
      const def = effectiveOf(job.name);
      if (def) pushAll(diagnostics, def.diagnostics);
    }
    pushAll(diagnostics, globalNestedLists(ctx));
    const defaults = merged.entries.get("default")?.value;
    if (defaults?.kind === "map") pushAll(diagnostics, commandsNestingDiagnostics("default", defaults));
    const templates = jobTemplates(jobs, extended.parents);
    // Where resolution already failed (a missing reference left a null, a bad include entry),
    // the schema would only restate the same problem less precisely.
    const failedAt = diagnostics.filter((d) => d.severity === "error" || d.severity === "warning").map((d) => d.src);
    const overlaps = (a: Src) =>
      failedAt.some(
        (b) => a.file === b.file && a.start < Math.max(b.end, b.start + 1) && b.start < Math.max(a.end, a.start + 1),
      );
    checkpoint();
    const schema = schemaDiagnostics({
      files,
      merged,
      jobs,
      templates,
      memo: this.caches.validation,
      checkpoint,
      root: rootPath,
      inclusions: included.inclusions,
    }).filter((d) => !overlaps(d.src));
    // "no script" next to a misspelt `scripts:` says the same thing twice: keep the one with the fix
    const misspelt = new Set(
      schema
        .filter(
          (d) =>
            d.code === "schema-unknown-keyword" &&
            d.fixes?.some((f) => f.edits.some((e) => JOB_BODY.includes(e.newText))),
        )
        .map((d) => d.job),
    );
    for (let i = diagnostics.length - 1; i >= 0; i--) {
      const d = diagnostics[i];
      if (d.code === "job-no-script" && misspelt.has(d.job)) diagnostics.splice(i, 1);
    }
    pushAll(diagnostics, schema);
    const stages = stagesOf(merged);
    checkpoint();
    pushAll(
      diagnostics,
      semanticDiagnostics({
        jobs,
        stages,
        effectiveJob: (name) => effectiveOf(name)?.value,
        hasExternal: included.hasExternal,
        checkpoint,
      }),
    );
    pushAll(
      diagnostics,
      expressionDiagnostics({ files, merged, jobs, effectiveJob: (name) => effectiveOf(name)?.value, checkpoint }),
    );
    const model: Model = {
      root: rootPath,
      files,
      includes: included.edges,
      hasExternalIncludes: included.hasExternal,
      merged,
      jobs,
      stages,
      extendsParents: extended.parents,
      diagnostics: foldFollowOns(dedupe(markInclusions(diagnostics, included.inclusions)), included.inputFailures),
      inclusions: included.inclusions,
      childPipelines: childPipelines(jobs),
      templates,
      effectiveJob: (name) => effectiveOf(name)?.value,
    };
    return model;
  }

  /** The main pipeline and every child pipeline it starts from files of the project. */
  analyzeProject(options: AnalyzeOptions = {}): ProjectAnalysis {
    const main = this.analyze(options);
    const children: Array<{ pipeline: ChildPipeline; model: Model }> = [];
    const seen = new Set([main.root]);
    const queue = main.childPipelines.map((pipeline) => ({ pipeline, parent: main }));
    while (queue.length && children.length < MAX_CHILD_PIPELINES) {
      const { pipeline, parent } = queue.shift()!;
      const key = `${pipeline.file}\u0000${pipeline.inputs ? JSON.stringify(toJS(pipeline.inputs.value)) : ""}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const inputs = pipeline.inputs && { ...pipeline.inputs, entry: pipeline.src };
      let model = this.analyze({ root: pipeline.file, inputs, checkpoint: options.checkpoint });
      if (model.files.size === 0) {
        // Said at the trigger job, where the path is written. The parent pipeline still runs;
        // only this job fails when it tries to start the child, hence a warning.
        model = {
          ...model,
          diagnostics: markInclusions(
            [
              {
                src: pipeline.src,
                severity: "warning",
                code: "include-not-found",
                job: pipeline.job,
                message:
                  `Local file \`${pipeline.file}\` does not exist!: job "${pipeline.job}" ` +
                  `cannot start its child pipeline`,
              },
            ],
            parent.inclusions,
          ),
        };
      }
      children.push({ pipeline, model });
      for (const child of model.childPipelines) queue.push({ pipeline: child, parent: model });
    }
    return { main, children };
  }
}

/**
 * Hidden keys that jobs inherit from through extends, directly or not. Only these are job
 * templates; other hidden keys may hold any data (a variables map, a rule, an anchor).
 */
function jobTemplates(
  jobs: ReadonlyMap<string, JobInfo>,
  parents: ReadonlyMap<string, ReadonlyArray<{ name: string }>>,
): Set<string> {
  const out = new Set<string>();
  const visit = (name: string) => {
    for (const p of parents.get(name) ?? []) {
      if (out.has(p.name)) continue;
      out.add(p.name);
      visit(p.name);
    }
  };
  for (const j of jobs.values()) if (j.kind === "job" || j.kind === "bridge") visit(j.name);
  return out;
}

/** `trigger:include` entries that name a file of this project (a string or `local:`). */
function childPipelines(jobs: ReadonlyMap<string, JobInfo>): ChildPipeline[] {
  const out: ChildPipeline[] = [];
  for (const j of jobs.values()) {
    if (j.kind !== "bridge") continue;
    const include = get(get(j.value, "trigger"), "include");
    if (!include) continue;
    for (const item of include.kind === "seq" ? include.items : [include]) {
      const location = item.kind === "scalar" ? str(item) : str(get(item, "local"));
      if (!location || location.includes("$") || location.includes("*")) continue;
      const file = normaliseLocalPath(location);
      if (file === undefined) continue;
      const inputs = get(item, "inputs");
      out.push({
        job: j.name,
        src: item.src,
        file,
        inputs: inputs?.kind === "map" ? { value: inputs, at: inputs.src } : undefined,
      });
    }
  }
  return out;
}

function globalNestedLists(ctx: GlobalContext): Diagnostic[] {
  return ctx.defaults
    ? nestedListDiagnostics("default", ctx.defaults).map((d) => ({
        ...d,
        message: d.message.replace(/^jobs:default/, "default"),
      }))
    : [];
}

function emptyModel(root: string, diagnostics: Diagnostic[]): Model {
  return {
    root,
    files: new Map(),
    includes: [],
    hasExternalIncludes: false,
    merged: emptyMap({ file: root, start: 0, end: 0 }),
    jobs: new Map(),
    stages: stagesOf(emptyMap({ file: root, start: 0, end: 0 })),
    extendsParents: new Map(),
    diagnostics,
    inclusions: [],
    childPipelines: [],
    templates: new Set(),
    effectiveJob: () => undefined,
  };
}

/** At most this many consequences are listed under the input error that caused them. */
const MAX_FOLLOW_ONS = 20;

/**
 * GitLab stops at a file whose inputs fail; we go on, so a value that kept its `$[[ inputs.x ]]` block
 * (a stage named `$[[ inputs.job_stage ]]`, say) makes findings of its own. Those are consequences: they
 * are listed under the input error, as related information, rather than reported beside it.
 */
function foldFollowOns(diagnostics: Diagnostic[], failures: ReadonlyMap<string, Diagnostic>): Diagnostic[] {
  if (failures.size === 0) return diagnostics;
  const folded = new Map<Diagnostic, Diagnostic[]>();
  const kept: Diagnostic[] = [];
  for (const d of diagnostics) {
    const cause = failures.get(d.src.file);
    if (cause && d !== cause && !d.code.startsWith("input-") && d.message.includes("$[[")) {
      const list = folded.get(cause) ?? [];
      folded.set(cause, list);
      list.push(d);
    } else kept.push(d);
  }
  return kept.map((d) => {
    const consequences = folded.get(d);
    if (!consequences) return d;
    const related = consequences.slice(0, MAX_FOLLOW_ONS).map((c) => ({ src: c.src, message: `and so: ${c.message}` }));
    return { ...d, related: [...(d.related ?? []), ...related] };
  });
}

/** Appends a list however long: `push(...list)` overflows the stack past about 100,000 items. */
function pushAll<T>(into: T[], items: readonly T[]): void {
  for (const item of items) into.push(item);
}
