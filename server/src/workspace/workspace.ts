import { EngineCaches } from "../engine/caches";
import { DEFAULT_ROOT, Engine, type ChildPipeline, type Model } from "../engine/engine";
import type { ParsedFile } from "../engine/load";
import { restoreParsed, storeParsed } from "../engine/parsed-store";
import { OverlayHost } from "../engine/memory-host";
import { isExternalPath } from "../engine/external";
import { markInclusions } from "../engine/inclusions";
import { rehomeExternalFindings } from "./external-findings";
import type { Mutable } from "./scenario-flags";
import { HostWithExternals, type RemoteIncludesMode, WorkspaceExternals } from "./external-includes";
import { LineIndex, type Position, type Range } from "../engine/text";
import type { CMap, CValue, Diagnostic, SourceHost, Src, TextEdit } from "../engine/types";
import { complete, withLineBlanked, type CompletionKind } from "../features/completion";
import { conversions, daggerCompletion, daggerHover, insertJobActions } from "../features/dagger/actions";
import { findModule, moduleEngineVersion, type DaggerModule } from "../features/dagger/module";
import type { RunnerOptions } from "../features/dagger/kubernetes-runner";
import { daggerRunnerFiles, type RunnerFiles } from "./dagger-runner";
import { definition } from "../features/definitions";
import { occurrences, rename } from "../features/find-references";
import { hover } from "../features/hover";
import { mergedView, type MergedView } from "../features/merged-view";
import { get } from "../engine/values";
import { jobAt } from "../model/variables";
import { usedIn } from "../features/used-by";
import { outline, workspaceSymbols, type OutlineSymbol, type SymbolKind } from "../features/symbols";
import { lint } from "../lint/registry";
import type { LintSettings } from "../lint/rule";
import { Baseline } from "./baseline";
import { askingHost, keep, ReadRecorder, stillHolding, type Answer, type Reads } from "./kept-findings";
import {
  diagnosticsByFile,
  Positions,
  sortedDiagnostics,
  type FileEdit,
  type Located,
  type PositionedDiagnostic,
} from "./diagnostics";
import type { WorkspaceIO } from "./io";
import { applySuppressions, filesOf } from "./suppressions";
import { describeSituation, situationOf, type Scenario } from "./scenario";
import type { NamedScenario } from "./scenario-settings";
import { checkScenario, type ScenarioResult } from "./scenario-tests";
import { decisionOf, editorScenarios, lensTitle, type JobDecisions, type LabelledScenario } from "./job-decisions";
import { scenarioFromArgs, ScenarioFlagError } from "./scenario-flags";
import { expressionTable } from "./expression-hover";
import { workflowRulesVariables } from "../engine/simulation/variables";
import { spotAt } from "../model/locate";
import {
  simulate,
  type ModelFor,
  type NotCreatedJob,
  type Pipeline,
  type Problem,
  type SimulatedJob,
} from "../engine/simulation/simulate";
import type { Situation } from "../engine/simulation/situation";
import { childSituation, forwardOf } from "../engine/simulation/child";
import {
  effectiveSettings,
  NO_SETTINGS,
  PROJECT_SETTINGS_FILE,
  readProjectSettings,
  readUserSettings,
  type Settings,
  type SettingsLayer,
} from "./settings";

// A Workspace is one project as the CLI and the editor see it: its files (the disk, with open
// buffers laid over it), its settings (the project's and the user's), the git baseline, the Dagger
// module, and the engine with every cache. It answers in positions (line/character) and project-
// relative paths, so the hosts above it only translate: argv to calls and back, LSP to calls and back.

export interface WorkspaceOptions {
  /** Roots that replace the configured ones (the CLI's --root). */
  readonly roots?: readonly string[];
  /**
   * When the GLCI_ rule first needs the git baseline: "now" computes it within the analysis (the CLI);
   * "later" leaves the rule quiet until `computeBaseline()` (the editor, once the first diagnostics are out).
   */
  readonly baseline?: "now" | "later";
  /**
   * The editor's: when this says so (a request or an edit is waiting; it is told the time spent on this
   * version so far), an analysis stops at its next checkpoint and the last finished analysis answers
   * meanwhile; the analysis runs again when next asked.
   */
  readonly giveWay?: (spentMs: number) => boolean;
  /** The same for idle work (the lenses' pipelines), which may stop sooner; giveWay when absent. */
  readonly idleGiveWay?: () => boolean;
  /**
   * The editor's: an analysis of one version that takes longer than the `analysisBudget` setting, over
   * all its runs, is given up with one diagnostic, and the last finished analysis stays.
   */
  readonly budget?: boolean;
  /** Replaces the `remoteIncludes` setting (the CLI's --fetch and --offline). */
  readonly remoteIncludes?: RemoteIncludesMode;
  /** Replaces the `gitlabUrl` setting (the CLI's --gitlab-url). */
  readonly gitlabUrl?: string;
  /**
   * Told of each fetch of external includes as it starts, with a promise of its end, after which the
   * workspace is stale: the editor shows progress and analyses again (the CLI awaits `analyzeSettled`).
   */
  readonly onFetch?: (arrived: Promise<void>) => void;
}

/** Thrown at a checkpoint: the analysis gives way to a waiting request, or is over its budget. */
const GIVE_WAY = new Error("giving way");
const OVER_BUDGET = new Error("over budget");

const NO_ANALYSIS: Analysis = {
  roots: [],
  missingRoots: [],
  models: [],
  diagnostics: new Map(),
  summary: { files: 0, jobs: 0, errors: 0, warnings: 0, ms: 0 },
};

/** One root's pipeline and the child pipelines its trigger jobs start. */
export interface RootAnalysis {
  readonly root: string;
  readonly main: Model;
  readonly children: ReadonlyArray<{ readonly pipeline: ChildPipeline; readonly model: Model }>;
}

export interface Summary {
  readonly files: number;
  readonly jobs: number;
  readonly errors: number;
  readonly warnings: number;
  readonly ms: number;
}

/** The result of one analysis of every root. */
export interface Analysis {
  readonly roots: readonly RootAnalysis[];
  /** Roots the settings name that do not exist. */
  readonly missingRoots: readonly string[];
  /** Every model: each root's main pipeline, then its child pipelines. */
  readonly models: readonly Model[];
  /** Findings by file, for every file of every model (empty when clean). */
  readonly diagnostics: ReadonlyMap<string, readonly PositionedDiagnostic[]>;
  readonly summary: Summary;
}

/** A merged view's text and, per line, where its value is written. */
export interface MergedAnswer {
  readonly text: string;
  readonly sources: ReadonlyArray<Located | undefined>;
}

/** A job for a picker: its name, stage and where it is defined. */
export interface JobListItem {
  readonly name: string;
  readonly stage: string;
  readonly at: Located;
}

export interface HoverAnswer {
  readonly markdown: string;
  readonly range: Range;
}

export interface CompletionAnswer {
  readonly label: string;
  readonly kind: CompletionKind | "function" | "flag";
  readonly detail?: string;
  readonly documentation?: string;
  /** Sort order: lower first. */
  readonly rank: number;
  /** The text to put in place of `range`, when the item says exactly what it replaces. */
  readonly textEdit?: { readonly range: Range; readonly newText: string };
  /** What the client matches what was typed against, when it is not the label (after an opened quote). */
  readonly filterText?: string;
}

/** A change to the project: files to create (with their text), then edits of existing files. */
export interface ProjectChange {
  readonly create: ReadonlyArray<{ readonly file: string; readonly text: string }>;
  readonly edits: readonly FileEdit[];
}

export type ActionKind = "refactor.rewrite" | "source.pipewright.insertDaggerJob";

export interface Action {
  readonly title: string;
  readonly kind: ActionKind;
  readonly change: ProjectChange;
  /** The one to offer first for this cursor (LSP isPreferred). */
  readonly preferred?: boolean;
  /**
   * A change the user should look at before it is applied (several files, files created): an editor
   * that can shows a preview, with `description` under the title.
   */
  readonly confirm?: { readonly description?: string };
}

export interface Symbol {
  readonly name: string;
  readonly kind: SymbolKind;
  readonly detail?: string;
  readonly range: Range;
  readonly selection: Range;
  readonly children?: readonly Symbol[];
}

const EMPTY_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export class Workspace {
  private readonly caches = new EngineCaches();
  private readonly engine: Engine;
  private readonly overlay = new Map<string, string>();
  /** The project's files with the editor's buffers over them. */
  private readonly projectHost: SourceHost;
  /** What the engine reads: the project's files, and fetched files when remote includes are on. */
  private host: SourceHost;
  /** External includes as the settings last configured them, with the settings they came from. */
  private externals: { key: string; externals?: WorkspaceExternals } = { key: "off" };
  /** The fetch started after the last analysis, until it has arrived. */
  private fetchingNow: Promise<void> | undefined;
  private readonly baseline?: Baseline;
  private baselineWanted = false;
  private user: SettingsLayer = NO_SETTINGS;
  private project:
    { text: string | undefined; settings: SettingsLayer; diagnostics: readonly Diagnostic[] } | undefined;
  private module:
    { reads: ReadonlyArray<readonly [string, string | undefined]>; module: DaggerModule | undefined } | undefined;
  private current: Analysis | undefined;
  /** The pipeline simulation's engine: the same files and caches, but include expansions of its own. */
  private simulationEngine: Engine | undefined;
  /** The editor's scenarios' pipelines, for one version and root. */
  private lensPipelines: { version: Analysis; root: string; pipelines: ScenarioPipeline[] } | undefined;
  /** Models the simulation made, for the current analysis only. */
  private simulated: SimulatedModel[] = [];
  /** The last analysis that ran to its end, which answers while a newer one gives way. */
  private finished: Analysis | undefined;
  /** Time spent so far on analysing the current version, over the runs that gave way. */
  private spentMs = 0;
  /** How many runs gave way (for tests and the log). */
  gaveWay = 0;
  /** Per file, the last model in which it parsed: completion works on half-typed text with it. */
  private readonly lastGood = new Map<string, Model>();
  /** What the host was last given of each file's diagnostics, to hand it only what changed. */
  private readonly handedOut = new Map<string, string>();
  /** The last session's parsed files (loaded on first use), and each file's data as last stored. */
  private stored: ReadonlyMap<string, unknown> | undefined | null = null;
  private readonly storedData = new WeakMap<ParsedFile, unknown>();
  private storedFiles = new Map<string, ParsedFile>();
  /** What the running analysis reads, noted when findings are kept between sessions. */
  private recorder: ReadRecorder | undefined;
  /** Each finished analysis's reads, for keeping its findings. */
  private readonly readsOf = new WeakMap<Analysis, Reads>();
  /** The analysis whose findings were kept last, and whether the last session's were looked at. */
  private keptAnalysis: Analysis | undefined;
  private keptLookedAt = false;

  constructor(
    readonly io: WorkspaceIO,
    private readonly options: WorkspaceOptions = {},
  ) {
    this.projectHost = new OverlayHost(io.files, this.overlay);
    this.host = this.projectHost;
    this.engine = new Engine(this.host, this.caches);
    if (io.git) this.baseline = new Baseline(io.git, this.caches.parsed);
    if (io.store) this.caches.parsed.restore = (path, text) => this.restore(path, text);
  }

  // ---- what changes: buffers, files on disk, the user's settings

  /** An editor buffer's text, which wins over the disk until it is closed. */
  setDocument(file: string, text: string): void {
    if (this.overlay.get(file) === text) return;
    // opening a file as it is on disk changes nothing the analysis reads: an editor that opens files while
    // the first analysis runs does not make it run again
    const asOnDisk = !this.overlay.has(file) && this.io.files.readFile(file) === text;
    this.overlay.set(file, text);
    if (!asOnDisk) this.changed();
  }

  closeDocument(file: string): void {
    const text = this.overlay.get(file);
    if (this.overlay.delete(file) && this.io.files.readFile(file) !== text) this.changed();
  }

  /** Files changed on disk (these, or any): read them again. */
  filesChanged(paths?: readonly string[]): void {
    this.io.files.invalidate(paths);
    this.changed();
  }

  /** The editor's `pipewright.*` settings; returns what had to be ignored, for the host to log. */
  setUserSettings(raw: unknown): string[] {
    const { settings, problems } = readUserSettings(raw);
    // the client sends its settings when the server starts, and on every change of any setting of its own
    if (JSON.stringify(settings) === JSON.stringify(this.user)) return problems;
    this.user = settings;
    this.changed();
    return problems;
  }

  /** A new version to analyse, with a whole budget of its own. */
  private changed(): void {
    this.current = undefined;
    this.spentMs = 0;
  }

  /** True when something changed since the last analysis. */
  get stale(): boolean {
    return this.current === undefined;
  }

  /** Project files as the editor sees them: unsaved buffers first. */
  readFile(file: string): string | undefined {
    return this.host.readFile(file);
  }

  // ---- analysis

  /**
   * Analyses every root, unless nothing changed since the last analysis. In the editor, a run that
   * gives way returns the last finished analysis (and `stale` stays true); one over its budget
   * returns it with a diagnostic that says so.
   */
  analyze(): Analysis {
    if (this.current) return this.current;
    const started = performance.now();
    const settings = this.settings();
    this.configureExternals(settings);
    const budgetMs = this.options.budget ? settings.analysisBudget * 1000 : Infinity;
    const giveWay = this.options.giveWay;
    const checkpoint = () => {
      const spent = this.spentMs + performance.now() - started;
      if (spent > budgetMs) throw OVER_BUDGET;
      if (giveWay?.(spent)) throw GIVE_WAY;
    };
    try {
      this.current = this.run(settings, started, checkpoint);
      this.finished = this.current;
      this.fetchWanted();
      return this.current;
    } catch (e) {
      const spent = this.spentMs + performance.now() - started;
      if (e === GIVE_WAY) {
        this.spentMs = spent;
        this.gaveWay++;
        return this.finished ?? NO_ANALYSIS;
      }
      if (e !== OVER_BUDGET) throw e;
      this.current = this.overBudget(settings, spent);
      return this.current;
    }
  }

  /**
   * The first root's model alone, as GitLab reads it: no child pipelines, lints or positioned findings (the
   * API's `merged`, which a fuzzed GitLab config made take 2.5 s for the lints and findings it threw away).
   */
  mainModel(): Model | undefined {
    const settings = this.settings();
    this.configureExternals(settings);
    const root = settings.roots.find(
      (r) => this.host.readFile(r) !== undefined || (this.io.files.exists?.(r) ?? false),
    );
    return root === undefined ? undefined : this.engine.analyze({ root });
  }

  /** The last finished analysis, with a warning at the main root that this version was given up. */
  private overBudget(settings: Settings, spentMs: number): Analysis {
    const last = this.finished ?? NO_ANALYSIS;
    const root = settings.roots[0] ?? DEFAULT_ROOT;
    const note: PositionedDiagnostic = {
      file: root,
      range: EMPTY_RANGE,
      severity: "warning",
      code: "analysis-budget",
      message:
        `Pipewright stopped analysing this version of the configuration after ${(spentMs / 1000).toFixed(1)} s, ` +
        `its analysis budget (the analysisBudget setting, ${settings.analysisBudget} s); ` +
        (this.finished ? "the findings shown are from the last analysis that finished" : "no analysis has finished"),
    };
    const diagnostics = new Map(last.diagnostics);
    diagnostics.set(root, [note, ...(diagnostics.get(root) ?? [])]);
    return { ...last, diagnostics, summary: { ...last.summary, ms: Math.round(spentMs) } };
  }

  /** An analysis of every root; with a store of findings, every read it makes is noted with it. */
  private run(settings: Settings, started: number, checkpoint: () => void): Analysis {
    if (!this.io.findings || this.externals.externals) return this.runOnce(settings, started, checkpoint);
    const host = this.host;
    const recorder = new ReadRecorder(host, (p) => this.io.files.exists?.(p) ?? false);
    recorder.reads.set(`r ${PROJECT_SETTINGS_FILE}`, this.project?.text);
    this.recorder = recorder;
    this.host = recorder;
    this.engine.setHost(recorder);
    try {
      const analysis = this.runOnce(settings, started, checkpoint);
      this.readsOf.set(analysis, recorder.reads);
      return analysis;
    } finally {
      this.recorder = undefined;
      this.host = host;
      this.engine.setHost(host);
    }
  }

  /** Whether a file is there, readable or not (noted when reads are). */
  private there(path: string): boolean {
    return this.recorder ? this.recorder.exists(path) : (this.io.files.exists?.(path) ?? false);
  }

  private runOnce(settings: Settings, started: number, checkpoint: () => void): Analysis {
    const roots: RootAnalysis[] = [];
    const missingRoots: string[] = [];
    for (const root of settings.roots) {
      // a root that is there but cannot be read (too big, not a file) is analysed, and says so
      const there = this.host.readFile(root) !== undefined || this.there(root);
      if (there) roots.push({ root, ...this.engine.analyzeProject({ root, checkpoint }) });
      else missingRoots.push(root);
    }
    const models = roots.flatMap((r) => [r.main, ...r.children.map((c) => c.model)]);
    const lintSettings = { ...this.lintSettings(settings), checkpoint };
    const findings: Diagnostic[] = [...(this.project?.diagnostics ?? [])];
    // a loop, not push(...): a broken config can have more findings than a call takes arguments
    for (const m of models) {
      for (const f of m.diagnostics) findings.push(f);
      // gitlab-org's conventions are for the project's own files, not for someone else's fetched ones
      for (const f of markInclusions(lint(m, lintSettings), m.inclusions))
        if (!isExternalPath(f.src.file)) findings.push(f);
    }
    // ---- pipewright-disable comments (workspace/suppressions.ts): what they silence goes, unused ones are said
    const unsuppressed = applySuppressions(findings, filesOf(models));
    findings.length = 0;
    for (const f of unsuppressed) findings.push(f);
    // ---- end of suppressions
    const positions = new Positions(models, (file) =>
      file === PROJECT_SETTINGS_FILE && this.project?.text !== undefined ? new LineIndex(this.project.text) : undefined,
    );
    const diagnostics = diagnosticsByFile(rehomeExternalFindings(findings, models), positions, settings.severity);
    this.caches.prune();
    for (const m of models)
      for (const [f, parsed] of m.files)
        if (!parsed.diagnostics.some((d) => d.code === "yaml-syntax")) this.lastGood.set(f, m);
    for (const f of this.lastGood.keys()) if (!positions.index(f)) this.lastGood.delete(f);
    const all = sortedDiagnostics(diagnostics);
    const summary: Summary = {
      files: new Set(models.flatMap((m) => [...m.files.keys()])).size,
      jobs: roots.reduce(
        (n, r) => n + [...r.main.jobs.values()].filter((j) => j.kind === "job" || j.kind === "bridge").length,
        0,
      ),
      errors: all.filter((d) => d.severity === "error").length,
      warnings: all.filter((d) => d.severity === "warning").length,
      ms: Math.round(performance.now() - started),
    };
    return { roots, missingRoots, models, diagnostics, summary };
  }

  /** Opens (or closes) the include cache when the remote-include settings changed. */
  private configureExternals(settings: Settings): void {
    const mode = this.options.remoteIncludes ?? settings.remoteIncludes;
    const instanceUrl = this.options.gitlabUrl ?? settings.gitlabUrl;
    const open = mode !== "off" && this.io.remoteIncludes !== undefined;
    const key = open ? JSON.stringify([mode, instanceUrl, settings.includeRefreshMinutes]) : "off";
    if (key === this.externals.key) return;
    const externals = open
      ? new WorkspaceExternals(
          this.io.remoteIncludes!({ instanceUrl, refreshMinutes: settings.includeRefreshMinutes }),
          mode,
        )
      : undefined;
    this.externals = { key, externals };
    this.host = externals ? new HostWithExternals(this.projectHost, externals) : this.projectHost;
    this.engine.setHost(this.host);
    this.simulationEngine?.setHost(this.host);
  }

  /** Fetches what the last analysis could not read, then analyses again (the host is told). */
  private fetchWanted(): void {
    const fetch = this.externals.externals?.fetchWanted();
    if (!fetch) return;
    const done: Promise<void> = fetch.then(() => {
      if (this.fetchingNow === done) this.fetchingNow = undefined;
      this.changed();
    });
    this.fetchingNow = done;
    this.options.onFetch?.(done);
  }

  /** Opens the include cache again at the next analysis: the host's credentials changed. */
  reopenExternals(): void {
    this.externals = { key: "" };
    this.changed();
  }

  /** The fetch of external includes under way, if any: the CLI awaits it and analyses again. */
  get fetching(): Promise<void> | undefined {
    return this.fetchingNow;
  }

  /**
   * Analyses until every external include the settings allow is fetched (or has failed): the CLI's
   * analysis. Bounded: each round can only reveal includes nested one level deeper.
   */
  async analyzeSettled(): Promise<Analysis> {
    let analysis = this.analyze();
    for (let round = 0; round < 20 && this.fetchingNow; round++) {
      await this.fetchingNow;
      analysis = this.analyze();
    }
    return analysis;
  }

  /** Where a fetched file's copy is on disk; undefined for project files. */
  externalCopy(path: string): string | undefined {
    return isExternalPath(path) ? this.externals.externals?.remote.diskPath(path) : undefined;
  }

  /** The settings analyses run with: `.pipewright.yml` (read again only when its text changed), then the user's. */
  private settings(): Settings {
    const text = this.host.readFile(PROJECT_SETTINGS_FILE);
    if (!this.project || this.project.text !== text) this.project = { text, ...readProjectSettings(text) };
    return effectiveSettings(this.project.settings, this.user, this.options.roots);
  }

  private lintSettings(settings: Settings): LintSettings {
    let engine: { version: string | undefined } | undefined;
    return {
      rules: settings.rules,
      baselineVariables: () => {
        if (!this.baseline) return undefined;
        const names = this.baselineNames(settings.roots);
        this.recorder?.reads.set("b", names && [...names].sort());
        return names;
      },
      // read once per analysis, not once per model (GitLab's config has dozens of child pipelines)
      daggerEngineVersion: () => (engine ??= { version: moduleEngineVersion((p) => this.host.readFile(p)) }).version,
    };
  }

  /** The git baseline's names as the GLCI_ rule is given them now. */
  private baselineNames(roots: readonly string[]): ReadonlySet<string> | undefined {
    if (!this.baseline) return undefined;
    if (this.options.baseline !== "later") return this.baseline.variables(roots);
    const known = this.baseline.known(roots);
    if (!known) this.baselineWanted = true;
    return known?.names;
  }

  /** What, besides what it reads, the findings of an analysis depend on. */
  private findingsContext(): string {
    return JSON.stringify([this.user, this.options.roots ?? null, this.options.baseline ?? null]);
  }

  /**
   * The last session's findings, when every read of its last analysis answers the same now (the files
   * have not changed, nor the settings, nor the git baseline): what an editor can show before the first
   * analysis of this session ends. Looked at once, before any analysis; the files returned count as
   * handed out, so `diagnosticChanges` then gives only those the analysis sees differently.
   */
  keptFindings(): Array<{ file: string; diagnostics: readonly PositionedDiagnostic[] }> {
    if (this.keptLookedAt || this.finished || !this.io.findings) return [];
    this.keptLookedAt = true;
    const data = this.io.findings.load();
    if (data && typeof data === "object") this.baseline?.seed((data as { baseline?: unknown }).baseline);
    const settings = this.settings();
    this.configureExternals(settings);
    if (this.externals.externals) return [];
    const ask = askingHost(this.host, (p) => this.io.files.exists?.(p) ?? false);
    const files = stillHolding(data, this.findingsContext(), (question): Answer | null => {
      if (question !== "b") return ask(question);
      const names = this.baselineNames(settings.roots);
      return names && [...names].sort();
    });
    if (!files) return [];
    const out: Array<{ file: string; diagnostics: readonly PositionedDiagnostic[] }> = [];
    for (const [file, diagnostics] of files) {
      this.handedOut.set(file, JSON.stringify(diagnostics));
      out.push({ file, diagnostics });
    }
    return out;
  }

  /**
   * Computes the git baseline an analysis asked for and could not wait for ("later"); true when it
   * did, so the next analysis (cheap: only the lints run again) gives the GLCI_ findings.
   */
  computeBaseline(): boolean {
    if (!this.baselineWanted || !this.baseline) return false;
    this.baselineWanted = false;
    const roots = this.settings().roots;
    if (this.baseline.known(roots)) return false;
    // outside git there is no baseline, and the rule stays as quiet as it was
    if (this.baseline.variables(roots) === undefined) return false;
    this.changed();
    return true;
  }

  /** Whether an analysis is waiting for the git baseline. */
  get wantsBaseline(): boolean {
    return this.baselineWanted;
  }

  /** A file as the last session's store has it, when it was stored from this very text. */
  private restore(path: string, text: string): ParsedFile | undefined {
    if (this.stored === null) this.stored = this.io.store?.load();
    const data = this.stored?.get(path);
    const file = data === undefined ? undefined : restoreParsed(path, text, data);
    if (file) {
      this.storedData.set(file, data);
      this.storedFiles.set(path, file);
    }
    return file;
  }

  /**
   * Keeps the last analysis for the next session: its findings with what it read, and its parsed files
   * when any differs from what is kept; true when it wrote.
   */
  persist(): boolean {
    const reads = this.current && this.readsOf.get(this.current);
    let wrote = false;
    if (this.io.findings && this.current && reads && this.keptAnalysis !== this.current) {
      this.io.findings.save(keep(this.findingsContext(), reads, this.current.diagnostics, this.baseline?.kept));
      this.keptAnalysis = this.current;
      wrote = true;
    }
    return this.persistParsed() || wrote;
  }

  /** The parsed files of the last analysis, when any differs from what is kept; each is made data once per version. */
  private persistParsed(): boolean {
    if (!this.io.store || !this.current) return false;
    const files = new Map<string, ParsedFile>();
    for (const m of this.current.models)
      for (const [path, f] of m.files) if (!files.has(path) && !isExternalPath(path)) files.set(path, f);
    if (files.size === this.storedFiles.size && [...files].every(([p, f]) => this.storedFiles.get(p) === f))
      return false;
    const data = new Map<string, unknown>();
    for (const [path, f] of files) {
      let d = this.storedData.get(f);
      if (d === undefined) this.storedData.set(f, (d = storeParsed(f)));
      data.set(path, d);
    }
    this.io.store.save(data);
    this.storedFiles = files;
    return true;
  }

  /** All findings, as the CLI prints them: files in include order, then by position. */
  diagnostics(): PositionedDiagnostic[] {
    return sortedDiagnostics(this.analyze().diagnostics);
  }

  /**
   * The files whose diagnostics changed since the last call (cleared ones included, with none),
   * `first` before the others: what an editor has to publish.
   */
  diagnosticChanges(
    first: readonly string[] = [],
  ): Array<{ file: string; diagnostics: readonly PositionedDiagnostic[] }> {
    const byFile = this.analyze().diagnostics;
    const out: Array<{ file: string; diagnostics: readonly PositionedDiagnostic[] }> = [];
    for (const [file, diagnostics] of byFile) {
      const print = JSON.stringify(diagnostics);
      if (this.handedOut.get(file) === print) continue;
      this.handedOut.set(file, print);
      out.push({ file, diagnostics });
    }
    for (const file of this.handedOut.keys()) {
      if (byFile.has(file)) continue;
      this.handedOut.delete(file);
      out.push({ file, diagnostics: [] });
    }
    const rank = (f: string) => (first.includes(f) ? first.indexOf(f) : first.length);
    return out.sort((a, b) => rank(a.file) - rank(b.file));
  }

  /** Whether the file is part of a configuration: a root or a file one includes, whatever its name. */
  inConfig(file: string): boolean {
    return this.analyze().models.some((m) => m.files.has(file));
  }

  // ---- features, at a position of a file

  /** The model a file belongs to (the first root's first), with the file's line index. */
  private at(file: string, position: Position) {
    const model = this.analyze().models.find((m) => m.files.has(file));
    const parsed = model?.files.get(file);
    return model && parsed
      ? { model, parsed, offset: parsed.lines.offset(position), positions: this.positions() }
      : undefined;
  }

  private positions(): Positions {
    return new Positions(this.analyze().models, (file) => {
      const text = this.host.readFile(file);
      return text === undefined ? undefined : new LineIndex(text);
    });
  }

  /** The workspace's Dagger module, parsed again only when dagger.json or its source changed. */
  daggerModule(): DaggerModule | undefined {
    const kept = this.module;
    if (kept && kept.reads.every(([p, text]) => this.host.readFile(p) === text)) return kept.module;
    const reads: Array<readonly [string, string | undefined]> = [];
    const module = findModule((p) => {
      const text = this.host.readFile(p);
      reads.push([p, text]);
      return text;
    });
    this.module = { reads, module };
    return module;
  }

  hover(file: string, position: Position): HoverAnswer | undefined {
    const at = this.at(file, position);
    if (!at) return undefined;
    const call = daggerHover(at.parsed.lines, at.offset, this.daggerModule());
    if (call) return { markdown: call.markdown, range: at.parsed.lines.range(call.start, call.end) };
    const h = hover(at.model, file, at.offset);
    const answer = h ? { markdown: h.markdown, range: at.positions.range(h.src) } : undefined;
    return this.withScenarios(answer, at.parsed, at.offset, at.positions);
  }

  /** On a rule's `if:`, what it gives in each of the editor's scenarios, under the hover. */
  private withScenarios(
    answer: HoverAnswer | undefined,
    parsed: ParsedFile,
    offset: number,
    positions: Positions,
  ): HoverAnswer | undefined {
    const spot = spotAt(parsed, offset);
    const value = spot?.value ?? spot?.key?.value;
    if (spot?.path[spot.path.length - 1] !== "if" || value?.kind !== "scalar" || typeof value.value !== "string")
      return answer;
    const analysis = this.analyze();
    const root = analysis.roots.find((r) => r.main.files.has(parsed.path)) ?? analysis.roots[0];
    if (!root) return answer;
    const scenarios = this.editorPipelines(analysis, root.root).map(({ label, situation, pipeline }) => ({
      label,
      variables: workflowRulesVariables(situation, pipeline.variables),
    }));
    const table = expressionTable(value.value, scenarios);
    if (!table) return answer;
    return {
      markdown: answer ? `${answer.markdown}\n\n${table}` : table,
      range: answer?.range ?? positions.range(value.src),
    };
  }

  definition(file: string, position: Position): Located[] {
    const at = this.at(file, position);
    if (!at) return [];
    return definition(at.model, file, at.offset).map((src) =>
      src.start === 0 && src.end === 0 ? { file: src.file, range: EMPTY_RANGE } : at.positions.located(src),
    );
  }

  references(file: string, position: Position): Located[] {
    const at = this.at(file, position);
    const occ = at && occurrences(at.model, file, at.offset);
    return occ ? occ.places.map((src) => at.positions.located(src)) : [];
  }

  prepareRename(file: string, position: Position): { range: Range; placeholder: string } | undefined {
    const at = this.at(file, position);
    const occ = at && occurrences(at.model, file, at.offset);
    // a name a fetched file uses too cannot be renamed: that file is someone else's
    if (occ?.places.some((s) => isExternalPath(s.file))) return undefined;
    const here = occ?.places.find((s) => s.file === file && s.start <= at!.offset && at!.offset <= s.end);
    return here ? { range: at!.positions.range(here), placeholder: occ!.name } : undefined;
  }

  rename(file: string, position: Position, newName: string): FileEdit[] | undefined {
    const at = this.at(file, position);
    const edits = at && rename(at.model, file, at.offset, newName);
    if (edits?.some((e) => isExternalPath(e.src.file))) return undefined;
    return edits?.map((e) => ({ ...at!.positions.located(e.src), newText: e.newText }));
  }

  completion(file: string, position: Position): CompletionAnswer[] {
    const text = this.host.readFile(file);
    if (text === undefined) return [];
    const lines = new LineIndex(text);
    const offset = lines.offset(position);
    const calls = daggerCompletion(lines, offset, this.daggerModule());
    if (calls.length) {
      return calls.map((c, i) => ({
        label: c.label,
        kind: c.kind,
        detail: c.detail,
        documentation: c.documentation,
        rank: i,
        textEdit: { range: lines.range(c.start, c.end), newText: c.insertText },
      }));
    }
    const analysis = this.analyze();
    const model = this.lastGood.get(file) ?? analysis.models.find((m) => m.files.has(file)) ?? analysis.models[0];
    if (!model) return [];
    const structure = this.structure(file, text, offset, model);
    // every value item replaces the same range: it is computed once
    let range: { start: number; end: number; range: Range } | undefined;
    return complete(model, file, text, offset, () => this.host.listFiles(), structure).map((c): CompletionAnswer => {
      const answer: Mutable<CompletionAnswer> = { label: c.label, kind: c.kind, rank: c.rank };
      if (c.detail !== undefined) answer.detail = c.detail;
      if (c.documentation !== undefined) answer.documentation = c.documentation;
      if (c.filterText !== undefined) answer.filterText = c.filterText;
      if (c.edit) {
        if (range?.start !== c.edit.start || range.end !== c.edit.end)
          range = { start: c.edit.start, end: c.edit.end, range: lines.range(c.edit.start, c.edit.end) };
        answer.textEdit = { range: range.range, newText: c.edit.newText };
      }
      return answer;
    });
  }

  /**
   * The parse of the text with the line being typed blanked (through the parse cache: a big file
   * parses only the entry being typed in); when something else in the file does not parse either,
   * the last good parse, as long as everything above the line is the same there.
   */
  private structure(file: string, text: string, offset: number, lastGood: Model): ParsedFile {
    const blanked = this.caches.parsed.get(file, withLineBlanked(text, offset));
    if (blanked.content) return blanked;
    const good = lastGood.files.get(file);
    const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
    return good && good.text.startsWith(text.slice(0, lineStart)) ? good : blanked;
  }

  /** Refactorings and source actions at a position; `only` filters by kind as LSP clients ask. */
  actions(file: string, position: Position, only?: readonly string[]): Action[] {
    const at = this.at(file, position);
    if (!at) return [];
    const wants = (kind: ActionKind) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
    const out: Action[] = [];
    const module = this.daggerModule();
    if (wants("refactor.rewrite")) {
      for (const c of conversions(at.model, file, at.offset, module, (p) => this.host.readFile(p))) {
        const create = Object.entries(c.createFiles)
          .filter(([f]) => this.host.readFile(f) === undefined)
          .map(([f, text]) => ({ file: f, text }));
        out.push({
          title: c.title,
          kind: "refactor.rewrite",
          change: { create, edits: this.fileEdits([...c.configEdits, ...c.moduleEdits], at.positions) },
          preferred: c.preferred,
          confirm: { description: c.notes.length ? c.notes.join(" ") : undefined },
        });
      }
    }
    // only when asked for by kind: a source action is not something to offer at every cursor move
    if (only && wants("source.pipewright.insertDaggerJob")) {
      for (const a of insertJobActions(at.model, file, module))
        out.push({
          title: a.title,
          kind: "source.pipewright.insertDaggerJob",
          change: { create: [], edits: this.fileEdits(a.edits, at.positions) },
        });
    }
    return out;
  }

  /**
   * "Write Dagger Kubernetes runner manifests": the runner side of the jobs converted for the Kubernetes executor
   * (workspace/dagger-runner.ts), pinned to dagger.json's engine version, each file said new, the same, or replacing.
   */
  daggerKubernetesRunner(options: RunnerOptions = {}): RunnerFiles | { error: string } {
    const read = (p: string) => this.host.readFile(p);
    return daggerRunnerFiles(options, {
      read,
      exists: (p) => read(p) !== undefined || (this.io.files.exists?.(p) ?? false),
      engineVersion: moduleEngineVersion(read),
      gitlabUrl: this.options.gitlabUrl ?? this.settings().gitlabUrl,
    });
  }

  private fileEdits(edits: readonly TextEdit[], positions: Positions): FileEdit[] {
    return edits.map((e) => ({ ...positions.located(e.src), newText: e.newText }));
  }

  outline(file: string): Symbol[] {
    const model = this.analyze().models.find((m) => m.files.has(file));
    if (!model) return [];
    const positions = this.positions();
    const toSymbol = (s: OutlineSymbol): Symbol => ({
      name: s.name,
      kind: s.kind,
      detail: s.detail,
      range: positions.range(s.range),
      selection: positions.range(s.selection),
      children: s.children?.map(toSymbol),
    });
    return outline(model, file).map(toSymbol);
  }

  symbols(query: string): Array<Located & { name: string; kind: "job" | "hidden" }> {
    const positions = this.positions();
    return workspaceSymbols(this.analyze().models, query).map((s) => ({
      name: s.name,
      kind: s.kind,
      ...positions.located(s.src),
    }));
  }

  /** The model of the file's pipeline, or the first root's. */
  private modelOf(file: string | undefined): Model | undefined {
    const models = this.analyze().models;
    return (file !== undefined ? models.find((m) => m.files.has(file)) : undefined) ?? models[0];
  }

  /** GitLab's "full configuration" of the file's pipeline, or a job's effective definition, as YAML. */
  /**
   * The merged configuration, or one job's effective definition, as YAML that says where each value comes
   * from (features/merged-view.ts), with each line's source for hover and go-to-definition in the view.
   */
  merged(file: string | undefined, job?: string): MergedAnswer | { error: string } {
    const model = this.modelOf(file);
    if (!model) return { error: "no GitLab CI configuration found in this workspace" };
    const positions = new Positions(this.analyze().models);
    const answer = (view: MergedView): MergedAnswer => ({
      text: view.text,
      sources: view.sources.map((src) => (src ? positions.located(src) : undefined)),
    });
    if (job !== undefined) {
      const value = model.effectiveJob(job);
      if (!value) return { error: `no job named "${job}"` };
      const info = model.jobs.get(job);
      const stage = get(value, "stage");
      const where = info ? positions.located(info.keySrc) : undefined;
      return answer(
        mergedView(model, value, [
          `effective definition of job "${job}" (pipewright)`,
          ...(where ? [`defined in ${where.file}:${where.range.start.line + 1}`] : []),
          ...(stage?.kind === "scalar" ? [`stage ${String(stage.value)}`] : []),
          "each value's source is in the comment on its line, or on the line above it; F12 goes there",
        ]),
      );
    }
    return answer(mergedView(model, model.merged, [`merged configuration of ${model.root} (pipewright)`]));
  }

  /** Names of the jobs of the file's pipeline (or the first root's). */
  jobs(file?: string): string[] {
    return this.jobList(file).jobs.map((j) => j.name);
  }

  /**
   * The jobs of the file's pipeline with their stage and place, for a picker; and the job whose
   * definition holds `position` in `file`, if any.
   */
  jobList(file?: string, position?: Position): { jobs: JobListItem[]; current?: string } {
    const model = this.modelOf(file);
    if (!model) return { jobs: [] };
    const positions = new Positions(this.analyze().models);
    const jobs = [...model.jobs.values()]
      .filter((j) => j.kind === "job" || j.kind === "bridge")
      .map((j) => {
        const stage = get(model.effectiveJob(j.name), "stage");
        return {
          name: j.name,
          stage: stage?.kind === "scalar" ? String(stage.value) : "test",
          at: positions.located(j.keySrc),
        };
      });
    const at = file !== undefined && position ? this.at(file, position) : undefined;
    const current = at ? jobAt(at.parsed, at.offset) : undefined;
    return { jobs, current: current && jobs.some((j) => j.name === current) ? current : undefined };
  }

  // ---- pipeline simulation

  /**
   * The config of `root` with include:rules decided for a pipeline. A model made for the same version
   * of the project is used again when every include:rules decision it took comes out the same: most
   * situations include the same files, so a CodeLens over four scenarios analyses once or twice.
   */
  private simulationModels(root: string, checkpoint?: () => void, inputs?: CMap): ModelFor {
    return (decide) => {
      const version = this.analyze();
      if (this.simulated.some((m) => m.version !== version)) {
        this.simulated = this.simulated.filter((m) => m.version === version);
        // the simulation's include expansions, to those the last version's simulations used: each edit of an
        // include's inputs expands it anew (robustness.mjs: +90 MB over 100 such edits before this)
        this.simulationEngine?.caches.expansions.prune();
      }
      const same = this.simulated.find(
        (m) =>
          m.root === root &&
          m.inputs === inputs &&
          m.decisions.every(([rules, from, was]) => decide(rules, from) === was),
      );
      if (same) return same.model;
      this.simulationEngine ??= new Engine(this.host, this.caches.forSimulation());
      const decisions: SimulatedModel["decisions"] = [];
      const model = this.simulationEngine.analyze({
        root,
        inputs: inputs && { value: inputs, at: inputs.src },
        checkpoint,
        includeRules: (rules, from) => {
          const d = decide(rules, from);
          decisions.push([rules, from, d]);
          return d;
        },
      });
      this.simulated = [{ version, root, inputs, decisions, model }, ...this.simulated].slice(0, MAX_SIMULATED_MODELS);
      return model;
    };
  }

  /**
   * For each job defined in `file`: whether it runs in the editor's scenarios (MR, default branch,
   * tag, schedule, the project's own), and what decided each time. The pipelines are simulated once
   * per version of the project.
   */
  jobDecisions(file: string, compute = true): JobDecisions[] {
    const analysis = this.analyze();
    const root = analysis.roots.find((r) => r.main.files.has(file));
    if (!root) return [];
    // the editor asks without computing: the pipelines come from prepareLenses, after the diagnostics
    const kept = this.lensPipelines?.root === root.root ? this.lensPipelines.pipelines : [];
    const pipelines = compute ? this.editorPipelines(analysis, root.root) : kept;
    if (!pipelines.length) return [];
    const positions = new Positions(analysis.models);
    const out: JobDecisions[] = [];
    for (const info of root.main.jobs.values()) {
      if ((info.kind !== "job" && info.kind !== "bridge") || info.keySrc.file !== file) continue;
      const decisions = pipelines.map(({ label, pipeline }) => decisionOf(label, info.name, pipeline));
      out.push({ job: info.name, range: positions.range(info.keySrc), decisions, title: lensTitle(decisions) });
    }
    return out;
  }

  /**
   * Above each template and rule set written in `file`: how many jobs use it, through `extends` and
   * `!reference` at any depth, and which keywords do (features/used-by.ts; computed once per analysis, for
   * every key at once). Who they are is `usedByUsers`'s, asked on a click: on GitLab's config the lenses
   * of one file would otherwise carry 200-400 KB of locations on every refresh.
   */
  usedBy(file: string): Array<{ name: string; title: string; range: Range }> {
    const analysis = this.analyze();
    const positions = new Positions(analysis.models);
    const models = analysis.models.filter((m) => m.files.has(file));
    return usedIn(models, file).map((u) => ({ name: u.name, title: u.title, range: positions.range(u.at) }));
  }

  /** The jobs, then the keywords, that use the template or rule set `name` written in `file`. */
  usedByUsers(file: string, name: string): Located[] {
    const analysis = this.analyze();
    const positions = new Positions(analysis.models);
    const u = usedIn(
      analysis.models.filter((m) => m.files.has(file)),
      file,
    ).find((x) => x.name === name);
    return u ? [...u.jobs, ...u.keywords].map((j) => positions.located(j.src)) : [];
  }

  /**
   * Simulates the editor's scenarios for the current version (each root), giving way as an analysis
   * does; true when they are ready (jobDecisions then has them), false when it gave way.
   */
  prepareLenses(): boolean {
    // never the analysis of a new version: that is the host's to run, and to announce
    if (this.stale) return false;
    const analysis = this.analyze();
    // a version over its budget gets no new lenses: the last ones stay
    if (analysis !== this.finished) return true;
    const started = performance.now();
    const idle = this.options.idleGiveWay;
    const checkpoint = () => {
      if (idle ? idle() : this.options.giveWay?.(performance.now() - started)) throw GIVE_WAY;
    };
    try {
      for (const r of analysis.roots) this.editorPipelines(analysis, r.root, checkpoint);
      return true;
    } catch (e) {
      if (e !== GIVE_WAY) throw e;
      return false;
    }
  }

  private editorPipelines(version: Analysis, root: string, checkpoint?: () => void): ScenarioPipeline[] {
    const kept = this.lensPipelines;
    if (kept && kept.version === version && kept.root === root) return kept.pipelines;
    const pipelines = this.editorScenarios().map(({ label, scenario }) => {
      const situation = this.situation(scenario, root);
      // the lenses say where the jobs of the config run, not its children's: those are simulated when shown
      return { label, situation, pipeline: this.pipeline(situation, root, checkpoint, { children: false }) };
    });
    this.lensPipelines = { version, root, pipelines };
    return pipelines;
  }

  /** The editor's scenarios: MR, the default branch, a tag, a schedule, then the project's own. */
  editorScenarios(): LabelledScenario[] {
    const settings = this.settings();
    const head = this.io.git?.head?.();
    return editorScenarios(settings.defaultBranch ?? head?.defaultBranch ?? "main", head, settings.scenarios);
  }

  /**
   * The pipeline of one of the editor's scenarios (by label) or of a line of `pipewright pipeline` flags, for the
   * root whose config holds `file` (the main root when none does), with what was simulated in words.
   */
  viewPipeline(
    request: { readonly label?: string; readonly args?: string },
    file?: string,
  ): { readonly title: string; readonly pipeline: SimulatedPipeline } | { readonly error: string } {
    const analysis = this.analyze();
    const root = (file && analysis.roots.find((r) => r.main.files.has(file))) || analysis.roots[0];
    const rootPath = root?.root ?? this.settings().roots[0] ?? DEFAULT_ROOT;
    let simulated: { readonly situation: Situation; readonly pipeline: SimulatedPipeline } | undefined;
    if (request.args === undefined) {
      const label = request.label ?? this.editorScenarios()[0].label;
      const known = this.editorPipelines(analysis, rootPath).find((p) => p.label === label);
      if (!known) return { error: `no scenario "${label}"` };
      // again, with its children this time (the models the lenses made are used again)
      simulated = { situation: known.situation, pipeline: this.pipeline(known.situation, rootPath) };
    } else {
      try {
        const situation = this.situation(scenarioFromArgs(request.args, this.scenarios()), rootPath);
        simulated = { situation, pipeline: this.pipeline(situation, rootPath) };
      } catch (e) {
        if (e instanceof ScenarioFlagError) return { error: e.message };
        throw e;
      }
    }
    const { situation, pipeline } = simulated;
    return { title: `${describeSituation(situation)} in ${situation.projectPath}`, pipeline };
  }

  /** The scenarios of `.pipewright.yml` and the user's settings. */
  scenarios(): readonly NamedScenario[] {
    return this.settings().scenarios;
  }

  /** Every scenario's pipeline, with its expectations checked (`pipewright test`). */
  testScenarios(root?: string): ScenarioResult[] {
    return this.scenarios().map((scenario) => {
      const pipeline = this.pipeline(this.situation(scenario, root), root);
      return { scenario, pipeline, checks: checkScenario(scenario, pipeline) };
    });
  }

  /** The situation a scenario describes, completed from settings and git. */
  situation(scenario: Scenario, root?: string): Situation {
    const settings = this.settings();
    return situationOf(scenario, {
      settings,
      head: this.io.git?.head?.(),
      changedSince: this.io.git?.changedSince ? (ref) => this.io.git!.changedSince!(ref) : undefined,
      files: this.host.listFiles(),
      configPath: root ?? settings.roots[0] ?? DEFAULT_ROOT,
    });
  }

  /** The pipeline GitLab would create for a situation, from the main root (or `root`), in positions. */
  pipeline(
    situation: Situation,
    root?: string,
    checkpoint?: () => void,
    options: PipelineOptions = {},
  ): SimulatedPipeline {
    const models = this.simulationModels(root ?? this.settings().roots[0] ?? DEFAULT_ROOT, checkpoint, options.inputs);
    const p = simulate(models, situation, checkpoint);
    const positions = new Positions([p.model]);
    const at = (src: Src | undefined) => (src ? positions.located(src) : undefined);
    const problems = (list: readonly Problem[]) => list.map((e) => ({ message: e.message, at: at(e.src) }));
    return {
      created: p.created,
      message: p.message,
      name: p.name,
      variables: p.variables,
      stages: p.stages,
      jobs: p.jobs.map((j) => ({ ...j, src: positions.located(j.src), decidedBy: at(j.decidedBy) })),
      notCreated: p.notCreated.map((j) => ({ ...j, src: positions.located(j.src), decidedBy: at(j.decidedBy) })),
      workflowRule: at(p.workflowRule),
      errors: problems(p.errors),
      warnings: problems(p.warnings),
      children: options.children === false ? [] : this.childPipelines(p, situation, checkpoint, options.depth ?? 0),
    };
  }

  /**
   * The child pipelines the created trigger jobs of `parent` start, each simulated for the situation the trigger
   * passes down (engine/simulation/child.ts): those of one local file, at most MAX_CHILD_DEPTH levels down.
   */
  private childPipelines(
    parent: Pipeline,
    situation: Situation,
    checkpoint: (() => void) | undefined,
    depth: number,
  ): SimulatedPipeline["children"] {
    if (depth >= MAX_CHILD_DEPTH || !parent.created) return [];
    const out: Array<SimulatedPipeline["children"][number]> = [];
    for (const job of parent.jobs) {
      const base = parent.model.jobs.has(job.name) ? job.name : job.name.replace(/ \d+\/\d+$|: \[.*\]$/s, "");
      const includes = parent.model.childPipelines.filter((c) => c.job === base);
      // a trigger that includes several files starts one child of them all, which the engine does not put together
      if (includes.length !== 1) continue;
      const [{ file, inputs }] = includes;
      const forward = forwardOf(parent.model.effectiveJob(base));
      const pipeline = this.pipeline(childSituation(situation, job, forward, file), file, checkpoint, {
        inputs: inputs?.value,
        depth: depth + 1,
      });
      out.push({ job: job.name, file, pipeline });
    }
    return out;
  }
}

interface PipelineOptions {
  /** False: the trigger jobs' child pipelines are not simulated. */
  readonly children?: boolean;
  /** A child pipeline's `trigger:include:inputs`. */
  readonly inputs?: CMap;
  /** How many levels of child pipelines are above this one. */
  readonly depth?: number;
}

/** Children of children at most this deep: GitLab allows two levels of child pipelines below the parent. */
const MAX_CHILD_DEPTH = 2;

/** One of the editor's scenarios, simulated. */
interface ScenarioPipeline {
  readonly label: string;
  readonly situation: Situation;
  readonly pipeline: SimulatedPipeline;
}

/** A model the simulation made, with the include:rules decisions that shaped it, in the order taken. */
interface SimulatedModel {
  readonly version: Analysis;
  readonly root: string;
  /** A child pipeline's `trigger:include:inputs`. */
  readonly inputs?: CMap;
  readonly decisions: Array<readonly [rules: CValue, from: string, decision: "include" | "skip"]>;
  readonly model: Model;
}

/** Different include:rules outcomes a project's pipelines have, and their child pipelines': a handful each. */
const MAX_SIMULATED_MODELS = 16;

type Positioned<T> = Omit<T, "src" | "decidedBy"> & { readonly src: Located; readonly decidedBy?: Located };

/** A simulated pipeline as the hosts get it: sources as file and range. */
export interface SimulatedPipeline {
  readonly created: boolean;
  readonly message?: string;
  readonly name?: string;
  readonly variables: ReadonlyMap<string, string>;
  readonly stages: Pipeline["stages"];
  readonly jobs: ReadonlyArray<Positioned<SimulatedJob>>;
  readonly notCreated: ReadonlyArray<Positioned<NotCreatedJob>>;
  readonly workflowRule?: Located;
  readonly errors: ReadonlyArray<{ readonly message: string; readonly at?: Located }>;
  readonly warnings: ReadonlyArray<{ readonly message: string; readonly at?: Located }>;
  /** The child pipelines its trigger jobs start (`job` is the trigger job, `file` the child's config). */
  readonly children: ReadonlyArray<{
    readonly job: string;
    readonly file: string;
    readonly pipeline: SimulatedPipeline;
  }>;
}
