// The pipeline view: a webview panel showing the pipeline GitLab would create for a scenario. The
// server simulates it (`pipewright/pipeline`), pipeline-layout.ts positions it here in the extension
// host, and pipeline-html.ts draws it; clicks in the page come back as messages and open the source.
import * as crypto from "node:crypto";
import * as vscode from "vscode";
import type { PipelineResult, PipelineViewData, PipelineViewJob } from "../../server/src/lsp/pipeline-protocol";
import { pipelineErrorHtml, pipelineHtml, type ChildDrawing } from "./pipeline-html";
import { layoutPipeline } from "./pipeline-layout";

type Location = NonNullable<PipelineViewJob["location"]>;

export interface PipelineRequest {
  readonly scenario?: string;
  readonly args?: string;
}

export type PipelineFetch = (request: PipelineRequest) => Promise<PipelineResult>;
export type PipelineOpen = (location: Location) => Thenable<unknown>;

const VIEW_TYPE = "pipewright.pipeline";

export class PipelineView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private request: PipelineRequest = {};
  /** The data (or error) behind the page shown, as JSON: a refresh that brings the same leaves the page. */
  private shownKey: string | undefined;
  private shown: PipelineViewData | undefined;
  private running: Promise<void> | undefined;
  private rerun = false;

  constructor(
    private readonly fetch: PipelineFetch,
    private readonly open: PipelineOpen,
  ) {}

  /** The data of the page last shown (for tests). */
  get lastData(): PipelineViewData | undefined {
    return this.shown;
  }

  /** Shows the pipeline of `request`, in the open panel if there is one. */
  show(request: PipelineRequest): Promise<void> {
    this.request = { scenario: request.scenario, args: request.args };
    const title = `Pipeline: ${requestLabel(this.request)}`;
    if (this.panel) {
      this.panel.title = title;
      this.panel.reveal();
    } else {
      this.panel = this.createPanel(title);
    }
    return this.refresh();
  }

  /**
   * Simulates the current request again if the panel is open. Cheap to call after every analysis: while one
   * refresh runs, further calls only ask for one more run after it.
   */
  refresh(): Promise<void> {
    if (!this.panel) return Promise.resolve();
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = this.refreshLoop().finally(() => (this.running = undefined));
    return this.running;
  }

  dispose(): void {
    this.panel?.dispose();
    this.closed();
  }

  private createPanel(title: string): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, title, vscode.ViewColumn.Beside, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [],
    });
    this.panelDisposables = [
      panel.onDidDispose(() => this.closed()),
      panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message)),
    ];
    return panel;
  }

  private closed(): void {
    for (const d of this.panelDisposables) d.dispose();
    this.panelDisposables = [];
    this.panel = undefined;
    this.shownKey = undefined;
    this.shown = undefined;
  }

  private async refreshLoop(): Promise<void> {
    do {
      this.rerun = false;
      await this.update();
    } while (this.rerun && this.panel);
  }

  private async update(): Promise<void> {
    const request = this.request;
    let result: PipelineResult;
    try {
      result = await this.fetch(request);
    } catch (e) {
      result = { error: errorText(e) };
    }
    // a newer request came while this one ran: its own run follows
    if (request !== this.request || !this.panel) return;
    const key = JSON.stringify(result);
    if (key === this.shownKey) return;
    const html = await this.render(result);
    if (request !== this.request || !this.panel) return;
    this.panel.webview.html = html;
    this.shownKey = key;
    this.shown = "error" in result ? undefined : result;
  }

  private async render(result: PipelineResult): Promise<string> {
    const cspSource = this.panel?.webview.cspSource ?? "";
    if ("error" in result) return pipelineErrorHtml(result.error, { cspSource });
    try {
      const layout = await layoutPipeline(result);
      const children: ChildDrawing[] = [];
      for (const c of childPipelines(result))
        children.push({ job: c.job, file: c.file, data: c.pipeline, layout: await layoutPipeline(c.pipeline) });
      return pipelineHtml(result, layout, { nonce: nonce(), cspSource }, children);
    } catch (e) {
      return pipelineErrorHtml(`Could not lay out the pipeline: ${errorText(e)}`, { cspSource });
    }
  }

  private onMessage(message: unknown): void {
    // the page names the pipeline by its place: 0 the main one, then the children as childPipelines lists them
    const n = (message as { pipeline?: unknown } | null)?.pipeline;
    const pipeline = !this.shown ? undefined : !n ? this.shown : childPipelines(this.shown)[Number(n) - 1]?.pipeline;
    const location = pipeline && messageLocation(pipeline, message);
    if (!location) return;
    Promise.resolve(this.open(location)).then(undefined, (e: unknown) => {
      void vscode.window.showErrorMessage(`Pipewright: could not open ${location.uri}: ${errorText(e)}`);
    });
  }
}

/** The location a message from the page points at, or undefined for a message it does not understand. */
function messageLocation(data: PipelineViewData, message: unknown): Location | undefined {
  if (typeof message !== "object" || message === null) return undefined;
  const m = message as { type?: unknown; index?: unknown; kind?: unknown };
  if (typeof m.index !== "number" || !Number.isInteger(m.index) || m.index < 0) return undefined;
  const index = m.index;
  switch (m.type) {
    case "open": {
      const job = data.jobs[index];
      return job ? (job.location ?? job.rule ?? undefined) : undefined;
    }
    case "openNotCreated": {
      // the rule that left the job out explains why; the job's key when no rule did
      const job = data.notCreated[index];
      return job ? (job.rule ?? job.location ?? undefined) : undefined;
    }
    case "openProblem": {
      const list = m.kind === "error" ? data.errors : m.kind === "warning" ? data.warnings : [];
      return list[index]?.location ?? undefined;
    }
    default:
      return undefined;
  }
}

/** Every child pipeline, children of children after their parent: the order the page numbers them in. */
function childPipelines(data: PipelineViewData): Array<PipelineViewData["children"][number]> {
  return data.children.flatMap((c) => [c, ...childPipelines(c.pipeline)]);
}

function requestLabel(request: PipelineRequest): string {
  return request.scenario ?? request.args ?? "default";
}

/** 24 random bytes: 32 base64 characters. */
function nonce(): string {
  return crypto.randomBytes(24).toString("base64");
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
