import { fileURLToPath, pathToFileURL } from "node:url";
import * as lsp from "vscode-languageserver/node";
import { nodeIO } from "../node/node-io";
import { type Credentials, remoteIncludesFor } from "../node/remote-credentials";
import { cacheDir } from "../node/parse-store";
import { discoverProjects } from "../node/discover-projects";
import { Workspace } from "../workspace/workspace";
import { CAPABILITIES } from "./capabilities";
import type { Action, CompletionAnswer } from "../workspace/workspace";
import { codeAction, completionList } from "./convert";
import { type Folder, Folders } from "./folders";
import type { Requests } from "./requests";

// What the client told the server when it started, and the settings it gives since: the workspace folders (and
// the projects found in them, one Workspace each: lsp/folders.ts) and the folders it adds and removes, where
// parsed files are kept between sessions, and the `pipewright.*` settings, pulled (workspace/configuration)
// or pushed (didChangeConfiguration) as the client can. A client that can register file watching is asked to
// watch the files an analysis reads, so changes on disk reach the server.

export class Session {
  folders: Folders;
  private storeDir: string | undefined;
  private pullSettings = false;
  /** The client took the file watchers: it reports changes to the files they cover. */
  private watching = false;
  private canRefreshLenses = false;
  private canWatchFiles = false;
  private canRegisterConfiguration = false;
  private canChangeFolders = false;
  /** The settings the client gave last, for every workspace (pushed or in initializationOptions)... */
  private settings: unknown;
  /** ...and those it gave for a workspace folder (pulled): a project found later starts with them. */
  private readonly folderSettings = new Map<string, unknown>();
  /** Whether a workspace folder's settings named root files when its projects were last found. */
  private readonly rootNamed = new Map<string, boolean>();
  /** The client takes change annotations in workspace edits (LSP 3.16), so a refactoring can ask for a preview. */
  private annotations = false;
  /** The client takes edits that create files (workspaceEdit.resourceOperations "create", with documentChanges). */
  private createsFiles = false;
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
    /** Something changed besides the documents (external includes arrived, projects came or went): analyse again. */
    private readonly fetched: () => void,
  ) {
    this.folders = new Folders([], this.makeWorkspace);
    connection.onNotification("pipewright/credentials", (p: unknown) => {
      this.credentials = readCredentials(p);
      for (const f of this.folders.list) f.workspace.reopenExternals();
      this.fetched();
    });
  }

  private readonly makeWorkspace = (dir: string, root: string = dir): Workspace => {
    const workspace = new Workspace(
      nodeIO(dir, {
        storeDir: this.storeDir,
        remoteIncludes: this.trusted ? (config) => remoteIncludesFor(process.env, this.credentials)(config) : undefined,
        git: this.trusted,
        watched: (rel) => this.watching && WATCHED_FILE.test(rel),
      }),
      {
        baseline: "later",
        budget: true,
        giveWay: this.requests.giveWay,
        idleGiveWay: this.requests.idleGiveWay,
        onFetch: (arrived) => this.showProgress(arrived),
      },
    );
    // the problems of these settings were logged when they came
    const settings = this.settingsOf(root);
    if (settings !== undefined) workspace.setUserSettings(dir === root ? settings : withoutRoots(settings));
    return workspace;
  };

  /** The projects of a workspace folder; its root is one also when the user's settings name a root file. */
  private readonly discover = (root: string): string[] => {
    const found = discoverProjects(root);
    const named = namesRoots(this.settingsOf(root));
    this.rootNamed.set(root, named);
    return found[0] === root || !named ? found : [root, ...found];
  };

  private settingsOf(root: string): unknown {
    return this.folderSettings.has(root) ? this.folderSettings.get(root) : this.settings;
  }

  /**
   * Gives every project its folder's settings, as it takes them: a project found in a subfolder keeps its own
   * `.gitlab-ci.yml` as its root (the user's `ciConfigPath` and `roots` are the folder's). Whether the folder's
   * root is a project may change with them. Each problem is logged once.
   */
  private applySettings(): void {
    const problems: string[] = [];
    for (const root of this.folders.workspaceFolders()) {
      const settings = this.settingsOf(root);
      if (this.rootNamed.get(root) !== namesRoots(settings)) this.folders.rediscover(root);
      for (const f of this.folders.list)
        if (f.root === root)
          problems.push(...f.workspace.setUserSettings(f.dir === root ? settings : withoutRoots(settings)));
    }
    for (const p of new Set(problems)) this.connection.console.warn(p);
  }

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
    this.settings = settings;
    this.folders = new Folders(dirs, this.makeWorkspace, this.discover);
    this.applySettings();
    this.pullSettings = !!params.capabilities.workspace?.configuration;
    this.canRefreshLenses = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    this.canWatchFiles = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    this.canRegisterConfiguration = !!params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration;
    this.canChangeFolders = !!params.capabilities.workspace?.workspaceFolders;
    this.editRangeDefault =
      params.capabilities.textDocument?.completion?.completionList?.itemDefaults?.includes("editRange") ?? false;
    const workspaceEdit = params.capabilities.workspace?.workspaceEdit;
    this.annotations = !!workspaceEdit?.documentChanges && workspaceEdit.changeAnnotationSupport !== undefined;
    this.createsFiles = !!workspaceEdit?.documentChanges && !!workspaceEdit.resourceOperations?.includes("create");
    return { capabilities: CAPABILITIES, serverInfo: { name: "pipewright" } };
  }

  async initialized(): Promise<void> {
    if (this.canWatchFiles)
      void this.connection.client
        .register(lsp.DidChangeWatchedFilesNotification.type, { watchers: WATCHED })
        .then(() => (this.watching = true))
        .catch((e: Error) => this.connection.console.warn(`pipewright: file watching not registered: ${e.message}`));
    if (this.canChangeFolders)
      this.connection.workspace.onDidChangeWorkspaceFolders(
        (e) =>
          void this.foldersChanged(e).catch((err: Error) =>
            this.connection.console.error(`pipewright: workspace folders failed: ${err.stack ?? err.message}`),
          ),
      );
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
    this.settings = pushed;
    this.applySettings();
  }

  /** Files created, changed or deleted on disk (a config created or deleted has its folder's projects found again). */
  filesChanged(changes: readonly lsp.FileEvent[]): void {
    this.folders.filesChanged(changes);
  }

  /** Workspace folders the client added or removed: their projects come or go, and are analysed. */
  private async foldersChanged(e: lsp.WorkspaceFoldersChangeEvent): Promise<void> {
    for (const f of e.removed) {
      this.folders.remove(fileURLToPath(f.uri));
      this.folderSettings.delete(fileURLToPath(f.uri));
      this.rootNamed.delete(fileURLToPath(f.uri));
    }
    for (const f of e.added) this.folders.add(fileURLToPath(f.uri));
    if (this.pullSettings) await this.requests.safely("settings", () => this.loadSettings());
    this.fetched();
  }

  /** Completion answers as this client takes them best. */
  completionList(answers: readonly CompletionAnswer[]): lsp.CompletionList {
    return completionList(answers, this.editRangeDefault);
  }

  /** A code action as this client takes it best: with a preview to confirm, when it can show one. */
  codeAction(folder: Folder, action: Action): lsp.CodeAction {
    return codeAction(folder, action, this.annotations);
  }

  /** What the client can be sent to write files: whether it creates files, and whether it previews changes first. */
  get editing(): { readonly createsFiles: boolean; readonly annotations: boolean } {
    return { createsFiles: this.createsFiles, annotations: this.annotations };
  }

  /** Asks the client to ask for the CodeLens again, when it can. */
  refreshLenses(): void {
    if (this.canRefreshLenses) void this.connection.sendRequest(lsp.CodeLensRefreshRequest.type).catch(() => undefined);
  }

  private async loadSettings(): Promise<void> {
    const roots = this.folders.workspaceFolders();
    const scopes = roots.map((root) => ({ scopeUri: pathToFileURL(root).href, section: "pipewright" }));
    const all = (await this.connection.workspace.getConfiguration(scopes)) as unknown[];
    roots.forEach((root, i) => this.folderSettings.set(root, all[i]));
    this.applySettings();
  }
}

/** The files whose changes on disk matter: what an include can name (GitLab includes only YAML), and the settings. */
const WATCHED: lsp.FileSystemWatcher[] = [{ globPattern: "**/*.{yml,yaml}" }, { globPattern: "**/.pipewright.yml" }];
/** The files WATCHED covers, project-relative. */
const WATCHED_FILE = /\.ya?ml$/;

/** `{gitlabUrl, token}` as the client sends them; anything else is no credentials. */
function readCredentials(raw: unknown): Credentials {
  const c = (raw ?? {}) as { gitlabUrl?: unknown; token?: unknown };
  if (typeof c.gitlabUrl !== "string" || typeof c.token !== "string" || c.token === "") return {};
  return { gitlabUrl: c.gitlabUrl.replace(/\/+$/, ""), token: { kind: "private", value: c.token } };
}

/** Whether settings name the root files (`ciConfigPath`, `roots`). */
function namesRoots(raw: unknown): boolean {
  const s = (raw ?? {}) as { ciConfigPath?: unknown; roots?: unknown };
  return (
    (typeof s.ciConfigPath === "string" && s.ciConfigPath !== "") || (Array.isArray(s.roots) && s.roots.length > 0)
  );
}

/** Settings without the root files they name: those are the folder root's, not a project's found in a subfolder. */
function withoutRoots(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return raw;
  return Object.fromEntries(Object.entries(raw).filter(([k]) => k !== "ciConfigPath" && k !== "roots"));
}
