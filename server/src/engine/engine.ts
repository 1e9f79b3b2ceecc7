import { resolveExtends } from "./extends";
import { dedupe, IncludeExpander, type Expansion, type IncludeEdge } from "./includes";
import { classify, effectiveJob, globalContext, injectEdgeStages, jobShapeDiagnostics, nestedListDiagnostics, stagesOf, type GlobalContext, type JobInfo } from "./jobs";
import { loadFile, type ParsedFile } from "./load";
import { resolveReferences } from "./references";
import type { CMap, Diagnostic, Src, SourceHost } from "./types";
import { emptyMap } from "./values";

// The engine: files in, model out. It follows GitLab's order — YAML load, includes, extends,
// !reference, edge stages, jobs — and keeps caches between runs so that an edit re-parses
// one file and re-expands only the include chains that contain it.

export const DEFAULT_ROOT = ".gitlab-ci.yml";

export interface AnalyzeOptions {
  /** Project-relative path of the root config; `.gitlab-ci.yml` when not given. */
  readonly root?: string;
}

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
  /** A job's effective definition (defaults, global variables, flattening applied); undefined for non-jobs. */
  effectiveJob(name: string): CMap | undefined;
}

export class Engine {
  private readonly parsed = new Map<string, ParsedFile>();
  private readonly expansions = new Map<string, Expansion>();
  /** Files parsed since the engine was made; lets tests and benchmarks see what a run re-did. */
  parseCount = 0;

  constructor(private host: SourceHost) {}

  /** Replaces the host, e.g. when the language server's overlay changes; caches stay valid by content. */
  setHost(host: SourceHost): void {
    this.host = host;
  }

  analyze(options: AnalyzeOptions = {}): Model {
    const rootPath = options.root ?? DEFAULT_ROOT;
    const runTexts = new Map<string, ParsedFile | undefined>();
    const parse = (path: string): ParsedFile | undefined => {
      if (runTexts.has(path)) return runTexts.get(path);
      const text = this.host.readFile(path);
      let file: ParsedFile | undefined;
      if (text !== undefined) {
        const cached = this.parsed.get(path);
        if (cached && cached.text === text) file = cached;
        else {
          file = loadFile(path, text);
          this.parseCount++;
          this.parsed.set(path, file);
        }
      } else {
        this.parsed.delete(path);
      }
      runTexts.set(path, file);
      return file;
    };
    let listing: readonly string[] | undefined;
    const listFiles = () => (listing ??= this.host.listFiles());

    const root = parse(rootPath);
    const rootSrc: Src = { file: rootPath, start: 0, end: 0 };
    if (!root) {
      return emptyModel(rootPath, [{ src: rootSrc, severity: "error", code: "root-not-found", message: `${rootPath} does not exist` }]);
    }
    const diagnostics: Diagnostic[] = [];
    const included = new IncludeExpander(parse, listFiles, this.expansions).run(root);
    const files = new Map<string, ParsedFile>();
    for (const f of included.files) {
      const p = parse(f);
      if (p) {
        files.set(f, p);
        diagnostics.push(...p.diagnostics);
      }
    }
    diagnostics.push(...included.diagnostics);
    if (root.content === undefined && root.diagnostics.length === 0) {
      diagnostics.push({ src: rootSrc, severity: "error", code: "config-empty", message: `Please provide content of ${rootPath}` });
    }
    const extended = resolveExtends(included.config, included.hasExternal);
    diagnostics.push(...extended.diagnostics);
    const referenced = resolveReferences(extended.config, included.hasExternal);
    diagnostics.push(...referenced.diagnostics);
    const merged = injectEdgeStages(referenced.config);
    const jobs = classify(merged);
    if (root.content !== undefined) diagnostics.push(...jobShapeDiagnostics(jobs, rootPath, included.hasExternal));
    const ctx = globalContext(merged);
    const effective = new Map<string, CMap | undefined>();
    const effectiveOf = (name: string) => {
      if (!effective.has(name)) {
        const info = jobs.get(name);
        effective.set(name, info ? effectiveJob(info, ctx) : undefined);
      }
      return effective.get(name);
    };
    for (const job of jobs.values()) {
      const eff = effectiveOf(job.name);
      if (eff) diagnostics.push(...nestedListDiagnostics(job.name, eff));
    }
    diagnostics.push(...globalNestedLists(ctx));
    return {
      root: rootPath,
      files,
      includes: included.edges,
      hasExternalIncludes: included.hasExternal,
      merged,
      jobs,
      stages: stagesOf(merged),
      extendsParents: extended.parents,
      diagnostics: dedupe(diagnostics),
      effectiveJob: effectiveOf,
    };
  }
}

function globalNestedLists(ctx: GlobalContext): Diagnostic[] {
  return ctx.defaults ? nestedListDiagnostics("default", ctx.defaults).map((d) => ({ ...d, message: d.message.replace(/^jobs:default/, "default") })) : [];
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
    effectiveJob: () => undefined,
  };
}
