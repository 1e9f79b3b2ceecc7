import type * as lsp from "vscode-languageserver/node";
import type { Workspace } from "../workspace/workspace";
import type { Folder, Folders } from "./folders";

// How a request is answered: on the newest analysis when it comes soon enough, from the last finished one when
// not (see FRESH_WAIT_MS), and never with an exception (it is logged and the request gets its empty answer).
// The analyses ask `giveWay` at each checkpoint; what they should do depends on the request being answered.

/**
 * How much analysis of one version a request that only reads (hover, definition, completion...) waits
 * for before it is answered from the last finished analysis: enough for a keystroke in GitLab's own
 * config (about 60 ms), so answers normally see the latest one, and a config that takes long does
 * not hold the editor. Requests that make edits (rename, code actions) and commands wait for the
 * newest analysis however long it takes, within the budget: their edits must fit the text.
 */
const FRESH_WAIT_MS = 100;

export type Answering = "reading" | "editing";

type At<P> = (ws: Workspace, file: string, p: P, folder: Folder) => unknown;

export class Requests {
  /** What kind of request is being answered now, if any. */
  private answering: Answering | undefined;

  constructor(
    private readonly connection: lsp.Connection,
    private readonly folders: () => Folders,
    /** Brings the analyses up to date with the edits so far (they give way as `giveWay` says). */
    private readonly fresh: () => void,
    /**
     * `waiting`: a message the client sent has waited its grace (the two-thread server's; see threads.ts);
     * `pending`: one is waiting at all.
     */
    private readonly signals: { readonly waiting?: () => boolean; readonly pending?: () => boolean } = {},
  ) {}

  /**
   * The workspaces' giveWay for idle work (the lenses): stop as soon as a message waits. What it did so far
   * is cheap to do again, and a request would otherwise wait for the grace an analysis gets (10 ms).
   */
  readonly idleGiveWay = (): boolean => !!(this.signals.pending ?? this.signals.waiting)?.();

  /** The workspaces' giveWay: whether an analysis that has taken `spentMs` should stop for now. */
  readonly giveWay = (spentMs: number): boolean =>
    this.answering !== "editing" &&
    (!!this.signals.waiting?.() || (this.answering === "reading" && spentMs >= FRESH_WAIT_MS));

  /** f's result, or null when it threw (logged). */
  readonly safely = <T>(what: string, f: () => T): T | null => {
    try {
      return f();
    } catch (e) {
      this.connection.console.error(`pipewright: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : e}`);
      return null;
    }
  };

  /** A request's answer: `safely`, marked as answering. */
  private answer<T>(what: string, kind: Answering, f: () => T): T | null {
    this.answering = kind;
    try {
      return this.safely(what, f);
    } finally {
      this.answering = undefined;
    }
  }

  /** A handler for a request about a document: fresh results first, then one Workspace call for its folder and file. */
  readonly on =
    <P extends { textDocument: { uri: string } }, R>(what: string, none: R, f: At<P>, kind: Answering = "reading") =>
    (p: P): R =>
      (this.answer(what, kind, () => {
        this.fresh();
        const at = this.folders().locate(p.textDocument.uri);
        return at ? (f(at.folder.workspace, at.file, p, at.folder) ?? none) : none;
      }) ?? none) as R;

  /** The answer to a request that may name a document: about its folder, else the first. */
  readonly inFolder = <R>(
    what: string,
    none: R,
    uri: string | undefined,
    f: (ws: Workspace, file: string | undefined, folder: Folder) => R,
    kind: Answering = "reading",
  ): R =>
    this.answer(what, kind, () => {
      this.fresh();
      const { folder, file } = this.folders().folderOf(uri);
      return folder ? f(folder.workspace, file, folder) : none;
    }) ?? none;
}
