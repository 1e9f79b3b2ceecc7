import type * as lsp from "vscode-languageserver/node";
import * as convert from "./convert";
import type { Folders } from "./folders";

// When the server analyses and what it publishes: an edit is analysed after a short while that
// adapts to how long the last analysis took, and a burst of keystrokes (edits that come while the
// last one still waits) once it pauses; only files whose diagnostics changed are
// published, the recently edited ones first; the git baseline is computed after that, and the
// lints run again with it.

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

  constructor(
    private readonly connection: lsp.Connection,
    private readonly folders: () => Folders,
    private readonly safely: <T>(what: string, f: () => T) => T | null,
    /** After an analysis that changed something (the CodeLens are refreshed then). */
    private readonly changed: () => void = () => {},
  ) {}

  /** Something changed: analyse after a third of the last analysis's time, between 20 and 200 ms. */
  schedule(ms = Math.min(200, Math.max(20, this.lastMs / 3))): void {
    this.unannounced = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.safely("analysis", () => this.run()), ms);
  }

  /** A document was edited or opened: its diagnostics go out first. */
  touched(uri: string): void {
    this.recent = [uri, ...this.recent.filter((u) => u !== uri).slice(0, 20)];
    // an edit that comes while the last one still waits is typing: analyse when it pauses
    this.schedule(this.timer ? Math.min(300, Math.max(150, this.lastMs)) : undefined);
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
    // a request that needed the newest version may have analysed it before this ran: it is new all the same
    let changed = stale;
    this.resuming = false;
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
      const first = this.recent
        .map((uri) => folders.locate(uri))
        .filter((at) => at?.folder === folder)
        .map((at) => at!.file);
      for (const { file, diagnostics } of folder.workspace.diagnosticChanges(first)) {
        void this.connection.sendDiagnostics({
          uri: folder.uri(file),
          diagnostics: diagnostics.map((d) => convert.diagnostic(folder, d)),
        });
      }
    }
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
    void this.connection.sendNotification("pipewright/analysisDone", total);
    this.changed();
    setImmediate(() =>
      this.safely("git baseline", () => folders.list.some((f) => f.workspace.computeBaseline()) && this.schedule(0)),
    );
  }
}
