import { fileURLToPath, pathToFileURL } from "node:url";
import * as lsp from "vscode-languageserver/node";
import { nodeIO } from "../node/node-io";
import { cacheDir } from "../node/parse-store";
import { Workspace } from "../workspace/workspace";
import { CAPABILITIES } from "./capabilities";
import { Folders } from "./folders";

// What the client told the server when it started, and the settings it gives since: the workspace folders (one
// Workspace each), where parsed files are kept between sessions, and the `pipewright.*` settings, pulled
// (workspace/configuration) or pushed (didChangeConfiguration) as the client can.

export class Session {
  folders: Folders;
  private storeDir: string | undefined;
  private pullSettings = false;
  private canRefreshLenses = false;

  constructor(
    private readonly connection: lsp.Connection,
    private readonly giveWay: (spentMs: number) => boolean,
    private readonly idleGiveWay: () => boolean,
    private readonly safely: <T>(what: string, f: () => T) => T | null,
  ) {
    this.folders = new Folders([], this.makeWorkspace);
  }

  private readonly makeWorkspace = (dir: string): Workspace =>
    new Workspace(nodeIO(dir, { storeDir: this.storeDir }), {
      baseline: "later",
      budget: true,
      giveWay: this.giveWay,
      idleGiveWay: this.idleGiveWay,
    });

  initialize(params: lsp.InitializeParams): lsp.InitializeResult | lsp.ResponseError<lsp.InitializeError> {
    // a second initialize would move the workspace under the client's feet
    if (this.folders.list.length)
      return new lsp.ResponseError(lsp.ErrorCodes.InvalidRequest, "already initialized", { retry: false });
    const { cacheDir: clientCache, ...settings } = (params.initializationOptions ?? {}) as Record<string, unknown>;
    this.storeDir = cacheDir(clientCache);
    const root = params.rootUri ? fileURLToPath(params.rootUri) : process.cwd();
    const dirs = params.workspaceFolders?.map((f) => fileURLToPath(f.uri)) ?? [root];
    this.folders = new Folders(dirs, this.makeWorkspace);
    for (const f of this.folders.list) this.warn(f.workspace.setUserSettings(settings));
    this.pullSettings = !!params.capabilities.workspace?.configuration;
    this.canRefreshLenses = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    return { capabilities: CAPABILITIES, serverInfo: { name: "pipewright" } };
  }

  async initialized(): Promise<void> {
    if (!this.pullSettings) return;
    void this.connection.client.register(lsp.DidChangeConfigurationNotification.type, { section: "pipewright" });
    await this.safely("settings", () => this.loadSettings());
  }

  async configurationChanged(change: lsp.DidChangeConfigurationParams): Promise<void> {
    if (this.pullSettings) {
      await this.safely("settings", () => this.loadSettings());
      return;
    }
    // clients without workspace/configuration push the settings with the notification
    const pushed = (change.settings as { pipewright?: unknown } | null)?.pipewright;
    for (const f of this.folders.list) this.warn(f.workspace.setUserSettings(pushed));
  }

  /** Asks the client to ask for the CodeLens again, when it can. */
  refreshLenses(): void {
    if (this.canRefreshLenses) void this.connection.sendRequest(lsp.CodeLensRefreshRequest.type).catch(() => undefined);
  }

  private async loadSettings(): Promise<void> {
    const scopes = this.folders.list.map((f) => ({ scopeUri: pathToFileURL(f.dir).href, section: "pipewright" }));
    const all = (await this.connection.workspace.getConfiguration(scopes)) as unknown[];
    this.folders.list.forEach((f, i) => this.warn(f.workspace.setUserSettings(all[i])));
  }

  private warn(problems: string[]): void {
    for (const p of problems) this.connection.console.warn(p);
  }
}
