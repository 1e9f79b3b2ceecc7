import { fileURLToPath, pathToFileURL } from "node:url";
import * as lsp from "vscode-languageserver/node";
import { nodeIO } from "../node/node-io";
import { type Credentials, remoteIncludesFor } from "../node/remote-credentials";
import { cacheDir } from "../node/parse-store";
import { Workspace } from "../workspace/workspace";
import { CAPABILITIES } from "./capabilities";
import type { CompletionAnswer } from "../workspace/workspace";
import { completionList } from "./convert";
import { Folders } from "./folders";
import type { Requests } from "./requests";

// What the client told the server when it started, and the settings it gives since: the workspace folders (one
// Workspace each), where parsed files are kept between sessions, and the `pipewright.*` settings, pulled
// (workspace/configuration) or pushed (didChangeConfiguration) as the client can. A client that can register
// file watching is asked to watch the files an analysis reads, so changes on disk reach the server.

export class Session {
  folders: Folders;
  private storeDir: string | undefined;
  private pullSettings = false;
  private canRefreshLenses = false;
  private canWatchFiles = false;
  private canRegisterConfiguration = false;
  /** The client takes a completion list's shared edit range once (LSP 3.17 itemDefaults.editRange). */
  private editRangeDefault = false;

  /** False in a workspace the user has not trusted (VS Code's Restricted Mode): no fetching, no cache, no git. */
  private trusted = true;
  /** The instance and token the client stored for the user; the token goes to that instance only. */
  private credentials: Credentials = {};

  constructor(
    private readonly connection: lsp.Connection,
    /** When analyses give way, and how a failure is contained (lsp/requests.ts). */
    private readonly requests: Pick<Requests, "giveWay" | "idleGiveWay" | "safely">,
    /** External includes arrived: analyse again. */
    private readonly fetched: () => void,
  ) {
    this.folders = new Folders([], this.makeWorkspace);
    connection.onNotification("pipewright/credentials", (p: unknown) => {
      this.credentials = readCredentials(p);
      for (const f of this.folders.list) f.workspace.reopenExternals();
      this.fetched();
    });
  }

  private readonly makeWorkspace = (dir: string): Workspace =>
    new Workspace(
      nodeIO(dir, {
        storeDir: this.storeDir,
        remoteIncludes: this.trusted ? (config) => remoteIncludesFor(process.env, this.credentials)(config) : undefined,
        git: this.trusted,
      }),
      {
        baseline: "later",
        budget: true,
        giveWay: this.requests.giveWay,
        idleGiveWay: this.requests.idleGiveWay,
        onFetch: (arrived) => this.showProgress(arrived),
      },
    );

  /** A progress notification for a fetch that takes more than a second; analysis again when it ends. */
  private showProgress(arrived: Promise<void>): void {
    let ended = false;
    const timer = setTimeout(async () => {
      if (ended) return;
      const progress = await this.connection.window.createWorkDoneProgress().catch(() => undefined);
      if (!progress) return;
      progress.begin("Pipewright", undefined, "Fetching includes from GitLab");
      await arrived;
      progress.done();
    }, 1000);
    void arrived.then(() => {
      ended = true;
      clearTimeout(timer);
      this.fetched();
    });
  }

  initialize(params: lsp.InitializeParams): lsp.InitializeResult | lsp.ResponseError<lsp.InitializeError> {
    // a second initialize would move the workspace under the client's feet
    if (this.folders.list.length)
      return new lsp.ResponseError(lsp.ErrorCodes.InvalidRequest, "already initialized", { retry: false });
    const {
      cacheDir: clientCache,
      trusted,
      credentials,
      ...settings
    } = (params.initializationOptions ?? {}) as Record<string, unknown>;
    this.storeDir = cacheDir(clientCache);
    this.trusted = trusted !== false;
    this.credentials = readCredentials(credentials);
    const root = params.rootUri ? fileURLToPath(params.rootUri) : process.cwd();
    const dirs = params.workspaceFolders?.map((f) => fileURLToPath(f.uri)) ?? [root];
    this.folders = new Folders(dirs, this.makeWorkspace);
    for (const f of this.folders.list) this.warn(f.workspace.setUserSettings(settings));
    this.pullSettings = !!params.capabilities.workspace?.configuration;
    this.canRefreshLenses = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    this.canWatchFiles = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    this.canRegisterConfiguration = !!params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration;
    this.editRangeDefault =
      params.capabilities.textDocument?.completion?.completionList?.itemDefaults?.includes("editRange") ?? false;
    return { capabilities: CAPABILITIES, serverInfo: { name: "pipewright" } };
  }

  async initialized(): Promise<void> {
    if (this.canWatchFiles)
      void this.connection.client
        .register(lsp.DidChangeWatchedFilesNotification.type, { watchers: WATCHED })
        .catch((e: Error) => this.connection.console.warn(`pipewright: file watching not registered: ${e.message}`));
    if (!this.pullSettings) return;
    // only a client that said it can register it gets the registration (eglot warns on every start otherwise)
    if (this.canRegisterConfiguration)
      void this.connection.client
        .register(lsp.DidChangeConfigurationNotification.type, { section: "pipewright" })
        .catch(() => undefined);
    await this.requests.safely("settings", () => this.loadSettings());
  }

  async configurationChanged(change: lsp.DidChangeConfigurationParams): Promise<void> {
    if (this.pullSettings) {
      await this.requests.safely("settings", () => this.loadSettings());
      return;
    }
    // clients without workspace/configuration push the settings with the notification
    const pushed = (change.settings as { pipewright?: unknown } | null)?.pipewright;
    for (const f of this.folders.list) this.warn(f.workspace.setUserSettings(pushed));
  }

  /** Completion answers as this client takes them best. */
  completionList(answers: readonly CompletionAnswer[]): lsp.CompletionList {
    return completionList(answers, this.editRangeDefault);
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

/** The files whose changes on disk matter: what an include can name (GitLab includes only YAML), and the settings. */
const WATCHED: lsp.FileSystemWatcher[] = [{ globPattern: "**/*.{yml,yaml}" }, { globPattern: "**/.pipewright.yml" }];

/** `{gitlabUrl, token}` as the client sends them; anything else is no credentials. */
function readCredentials(raw: unknown): Credentials {
  const c = (raw ?? {}) as { gitlabUrl?: unknown; token?: unknown };
  if (typeof c.gitlabUrl !== "string" || typeof c.token !== "string" || c.token === "") return {};
  return { gitlabUrl: c.gitlabUrl.replace(/\/+$/, ""), token: { kind: "private", value: c.token } };
}
