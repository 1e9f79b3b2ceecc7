import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type * as lsp from "vscode-languageserver/node";
import * as convert from "./convert";
import type { Folder, Folders } from "./folders";
import type { PositionedDiagnostic } from "../workspace/diagnostics";

// When the server analyses and what it publishes: an edit is analysed after a short while that
// adapts to how long the last analysis took, and a burst of keystrokes (edits that come while the
// last one still waits) once it pauses; only files whose diagnostics changed are
// published, the recently edited ones first; the git baseline is computed after that, and the
// lints run again with it. A file several projects hold is published once, with the findings of all of
// them, each finding once (same range, code and message). A project's first analysis is preceded by
// the last session's findings, when its files and settings are as they were then.

/** One project's counts in `pipewright/analysisDone` (its `projects`, innermost first). */
export interface ProjectSummary {
  /** The project's directory, as a file URI. */
  readonly uri: string;
  /** Its path in the workspace folder; the folder's name for the folder itself. */
  readonly name: string;
  /** Files of its configuration: 0 where there is no GitLab CI configuration. */
  readonly files: number;
  readonly jobs: number;
  readonly errors: number;
  readonly warnings: number;
}

/** The shortest wait before an analysis: events that come together (a file saved and its watch event) go as one. */
const MIN_WAIT_MS = 20;

export class Analyses {
  private timer: NodeJS.Timeout | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private lastMs = 100;
  /** An analysis gave way and is to go on. */
  private resuming = false;
  /** Recently edited or opened documents: their diagnostics go out first. */
  private recent: string[] = [];
  /** Something changed since the last analysisStarted. */
  private unannounced = false;
  /** The analysis each workspace last announced (analysisDone). */
  private readonly announced = new WeakMap<object, object>();
  /** What each project found last, by URI. */
  private readonly found = new Map<Folder, Map<string, lsp.Diagnostic[]>>();
  /** What was published last, by URI. */
  private readonly published = new Map<string, string>();

  constructor(
    private readonly connection: lsp.Connection,
    private readonly folders: () => Folders,
    private readonly safely: <T>(what: string, f: () => T) => T | null,
    /** After an analysis that changed something (the CodeLens are refreshed then). */
    private readonly changed: () => void = () => {},
  ) {}

  /** Something changed: analyse after a third of the last analysis's time, between 20 and 200 ms. */
  schedule(ms = Math.min(200, Math.max(MIN_WAIT_MS, this.lastMs / 3))): void {
    this.unannounced = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.safely("analysis", () => this.run()), ms);
  }

  /** A document was edited or opened: its diagnostics go out first. */
  touched(uri: string): void {
    this.recent = [uri, ...this.recent.filter((u) => u !== uri).slice(0, 20)];
    // an edit that comes while the last one still waits is typing: analyse when it pauses; one on its own is
    // analysed at once (an analysis gives way to the next edit anyway, and what it finished stays cached)
    this.schedule(this.timer ? Math.min(300, Math.max(150, this.lastMs)) : MIN_WAIT_MS);
  }

  /** Before answering a request: a pending analysis runs now, so answers see the latest keystroke. */
  fresh(): void {
    if (this.timer) this.run();
  }

  /** Keeps the parsed files of every folder for the next session (also when the server shuts down). */
  persist(): void {
    clearTimeout(this.saveTimer);
    for (const f of this.folders().list) this.safely("keeping parsed files", () => f.workspace.persist());
  }

  /**
   * Analyses what changed and publishes the files whose diagnostics changed. An analysis that gave
   * way to a request goes on once the waiting messages are answered.
   */
  run(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const folders = this.folders();
    const stale = folders.list.some((f) => f.workspace.stale);
    // a run that resumes an analysis covers the edits made meanwhile too: they are announced as started
    if (stale && (this.unannounced || !this.resuming)) {
      void this.connection.sendNotification("pipewright/analysisStarted", {});
      this.unannounced = false;
    }
    const total = { files: 0, jobs: 0, errors: 0, warnings: 0, ms: 0 };
    // each project's own counts: the client's status bar shows those of the active file's project
    const projects: ProjectSummary[] = [];
    // a request that needed the newest version may have analysed it before this ran: it is new all the same
    let changed = stale;
    this.resuming = false;
    /** URIs whose findings changed in some project. */
    const dirty = new Set<string>();
    // projects that went (their folder was removed, their config deleted): what they found goes with them
    for (const [gone, byUri] of this.found) {
      if (folders.list.includes(gone)) continue;
      this.found.delete(gone);
      for (const uri of byUri.keys()) dirty.add(uri);
      if (!changed) void this.connection.sendNotification("pipewright/analysisStarted", {});
      changed = true;
    }
    this.publishKept(folders.list);
    for (const folder of folders.list) {
      const analysis = folder.workspace.analyze();
      const summary = analysis.summary;
      if (folder.workspace.stale) {
        this.resuming = true;
        continue;
      }
      if (this.announced.get(folder.workspace) !== analysis) {
        if (!changed) void this.connection.sendNotification("pipewright/analysisStarted", {});
        changed = true;
        this.announced.set(folder.workspace, analysis);
      }
      for (const k of Object.keys(total) as Array<keyof typeof total>) total[k] += summary[k];
      projects.push({
        uri: pathToFileURL(folder.dir).href,
        name: path.relative(folder.root, folder.dir).split(path.sep).join("/") || path.basename(folder.root),
        files: summary.files,
        jobs: summary.jobs,
        errors: summary.errors,
        warnings: summary.warnings,
      });
      this.take(folder, folder.workspace.diagnosticChanges(), dirty);
    }
    this.publish(dirty);
    if (this.resuming) {
      // timers run after the waiting messages have been handled (they are queued as immediates)
      this.timer = setTimeout(() => this.safely("analysis", () => this.run()), 1);
      return;
    }
    if (!changed) return;
    this.lastMs = total.ms;
    // parsed files are kept for the next session once the editor has been quiet for a while
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.persist(), 3000);
    this.saveTimer.unref();
    void this.connection.sendNotification("pipewright/analysisDone", { ...total, projects });
    this.changed();
    setImmediate(() =>
      this.safely("git baseline", () => folders.list.some((f) => f.workspace.computeBaseline()) && this.schedule(0)),
    );
  }

  /**
   * A new project's findings from the last session, published at once when they still hold (its files
   * and settings are as they were): its first analysis, which follows, then publishes only what it finds
   * differently.
   */
  private publishKept(folders: readonly Folder[]): void {
    const dirty = new Set<string>();
    for (const folder of folders)
      if (!this.found.has(folder)) this.take(folder, folder.workspace.keptFindings(), dirty);
    this.publish(dirty);
  }

  /** Notes a project's changed findings by URI, and which URIs they touched. */
  private take(
    folder: Folder,
    changes: ReadonlyArray<{ file: string; diagnostics: readonly PositionedDiagnostic[] }>,
    dirty: Set<string>,
  ): void {
    const byUri = this.found.get(folder) ?? new Map<string, lsp.Diagnostic[]>();
    this.found.set(folder, byUri);
    for (const { file, diagnostics } of changes) {
      const uri = folder.uri(file);
      if (diagnostics.length)
        byUri.set(
          uri,
          diagnostics.map((d) => convert.diagnostic(folder, d)),
        );
      else byUri.delete(uri);
      dirty.add(uri);
    }
  }

  /** Publishes the files whose findings changed, the recently edited ones first: every project's, each once. */
  private publish(dirty: ReadonlySet<string>): void {
    const rank = (uri: string) => (this.recent.includes(uri) ? this.recent.indexOf(uri) : this.recent.length);
    for (const uri of [...dirty].sort((a, b) => rank(a) - rank(b))) {
      const seen = new Set<string>();
      const diagnostics: lsp.Diagnostic[] = [];
      for (const byUri of this.found.values())
        for (const d of byUri.get(uri) ?? []) {
          const key = JSON.stringify([d.range, d.code, d.message]);
          if (seen.has(key)) continue;
          seen.add(key);
          diagnostics.push(d);
        }
      const print = JSON.stringify(diagnostics);
      if (this.published.get(uri) === print) continue;
      this.published.set(uri, print);
      void this.connection.sendDiagnostics({ uri, diagnostics });
    }
  }
}
