import type { Folders } from "./folders";

// The CodeLens's pipelines are simulated after the diagnostics are out, as idle work that gives way
// to any message (like an analysis); the client is then asked to fetch the lenses again. A lens
// request itself never simulates: it answers with what is ready, the last version's until then.

export class Lenses {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly folders: () => Folders,
    private readonly safely: <T>(what: string, f: () => T) => T | null,
    private readonly refresh: () => void,
  ) {}

  /** After an analysis: simulate when the thread is free, and again until every folder is ready. */
  prepare(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      // an edit not analysed yet: the analysis comes first, with its notifications (analysisStarted, the
      // diagnostics, analysisDone), and asks for the lenses again when it is done. Analysing it from here
      // would leave the editor waiting for those notifications (the bench did: its edits never answered).
      if (this.folders().list.some((f) => f.workspace.stale)) return;
      const ready = this.safely("code lens pipelines", () =>
        this.folders().list.every((f) => f.workspace.prepareLenses()),
      );
      if (ready === false) this.prepare();
      else if (ready) this.refresh();
    }, 20);
  }
}
