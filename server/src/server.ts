#!/usr/bin/env node
import { fileURLToPath, pathToFileURL } from "node:url";
import * as lsp from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import * as convert from "./lsp/convert";
import { Analyses } from "./lsp/analysis";
import { Lenses } from "./lsp/lenses";
import { CAPABILITIES } from "./lsp/capabilities";
import { Folders, location, type Folder } from "./lsp/folders";
import type { PipelineParams, PipelineResult, ScenariosParams, ScenariosResult } from "./lsp/pipeline-protocol";
import { startFromArgs } from "./lsp/transport";
import { nodeIO } from "./node/node-io";
import { cacheDir } from "./node/parse-store";
import { Workspace } from "./workspace/workspace";

// The language server: LSP in, Workspace calls, LSP out (lsp/convert.ts), nothing else. When to
// analyse and what to publish is lsp/analysis.ts. No module-level state: startServer runs in process.

type At<P> = (ws: Workspace, file: string, p: P, folder: Folder) => unknown;

/**
 * How much analysis of one version a request that only reads (hover, definition, completion...) waits
 * for before it is answered from the last finished analysis: enough for a keystroke in GitLab's own
 * config (about 60 ms), so answers normally see the latest one, and a config that takes long does
 * not hold the editor. Requests that make edits (rename, code actions) and commands wait for the
 * newest analysis however long it takes, within the budget: their edits must fit the text.
 */
const FRESH_WAIT_MS = 100;

type Answering = "reading" | "editing" | undefined;

export interface ServerOptions {
  /** True when a message the client sent is waiting (the two-thread server's; see lsp/threads.ts). */
  readonly waiting?: () => boolean;
}

export function startServer(connection: lsp.Connection, options: ServerOptions = {}): void {
  const documents = new lsp.TextDocuments(TextDocument);
  let storeDir: string | undefined;
  /** What kind of request is being answered (see FRESH_WAIT_MS). */
  let answering: Answering;
  const giveWay = (spentMs: number) =>
    answering !== "editing" && (options.waiting?.() || (answering === "reading" && spentMs >= FRESH_WAIT_MS));
  const makeWorkspace = (dir: string) =>
    new Workspace(nodeIO(dir, { storeDir }), { baseline: "later", budget: true, giveWay });
  let folders = new Folders([], makeWorkspace);
  let pullSettings = false;
  const safely = <T>(what: string, f: () => T): T | null => {
    try {
      return f();
    } catch (e) {
      connection.console.error(`pipewright: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : e}`);
      return null;
    }
  };
  /** A request's answer: `safely`, marked as answering. */
  const answer = <T>(what: string, kind: Answering, f: () => T): T | null => {
    answering = kind;
    try {
      return safely(what, f);
    } finally {
      answering = undefined;
    }
  };
  const warn = (problems: string[]) => problems.forEach((p) => connection.console.warn(p));
  let refreshLenses = false;
  const lenses = new Lenses(
    () => folders,
    safely,
    () => refreshLenses && void connection.sendRequest(lsp.CodeLensRefreshRequest.type).catch(() => undefined),
  );
  const analyses = new Analyses(
    connection,
    () => folders,
    safely,
    () => lenses.prepare(),
  );
  /** A request about a document: fresh results first, then one Workspace call for its folder and file. */
  const on =
    <P extends { textDocument: { uri: string } }, R>(what: string, none: R, f: At<P>, kind: Answering = "reading") =>
    (p: P): R =>
      (answer(what, kind, () => {
        analyses.fresh();
        const at = folders.locate(p.textDocument.uri);
        return at ? (f(at.folder.workspace, at.file, p, at.folder) ?? none) : none;
      }) ?? none) as R;
  /** A request that may name a document: its folder, else the first. */
  const inFolder = <R>(
    what: string,
    none: R,
    uri: string | undefined,
    f: (ws: Workspace, file?: string) => R,
    kind: Answering = "reading",
  ) =>
    answer(what, kind, () => {
      analyses.fresh();
      const { folder, file } = folders.folderOf(uri);
      return folder ? f(folder.workspace, file) : none;
    }) ?? none;

  const loadSettings = async () => {
    const scopes = folders.list.map((f) => ({ scopeUri: pathToFileURL(f.dir).href, section: "pipewright" }));
    const all = (await connection.workspace.getConfiguration(scopes)) as unknown[];
    folders.list.forEach((f, i) => warn(f.workspace.setUserSettings(all[i])));
  };

  connection.onInitialize((params) => {
    // a second initialize would move the workspace under the client's feet
    if (folders.list.length) return new lsp.ResponseError(lsp.ErrorCodes.InvalidRequest, "already initialized");
    const { cacheDir: clientCache, ...settings } = (params.initializationOptions ?? {}) as Record<string, unknown>;
    storeDir = cacheDir(clientCache);
    const root = params.rootUri ? fileURLToPath(params.rootUri) : process.cwd();
    folders = new Folders(params.workspaceFolders?.map((f) => fileURLToPath(f.uri)) ?? [root], makeWorkspace);
    for (const f of folders.list) warn(f.workspace.setUserSettings(settings));
    pullSettings = !!params.capabilities.workspace?.configuration;
    refreshLenses = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    return { capabilities: CAPABILITIES, serverInfo: { name: "pipewright" } };
  });
  connection.onInitialized(async () => {
    if (pullSettings) {
      void connection.client.register(lsp.DidChangeConfigurationNotification.type, { section: "pipewright" });
      await safely("settings", loadSettings);
    }
    safely("analysis", () => analyses.run());
  });
  connection.onDidChangeConfiguration(async (change) => {
    // clients without workspace/configuration push the settings with the notification
    const pushed = (change.settings as { pipewright?: unknown } | null)?.pipewright;
    if (pullSettings) await safely("settings", loadSettings);
    else for (const f of folders.list) warn(f.workspace.setUserSettings(pushed));
    analyses.schedule();
  });
  connection.onDidChangeWatchedFiles((p) => {
    for (const change of p.changes) {
      const at = folders.locate(change.uri);
      at?.folder.workspace.filesChanged([at.file]);
    }
    analyses.schedule();
  });
  documents.onDidChangeContent(({ document }) => {
    const at = folders.locate(document.uri);
    if (!at) return;
    at.folder.workspace.setDocument(at.file, document.getText());
    analyses.touched(document.uri);
  });
  documents.onDidClose(({ document }) => {
    const at = folders.locate(document.uri);
    at?.folder.workspace.closeDocument(at.file);
    analyses.schedule();
  });

  connection.onHover(on("hover", null, (ws, file, p) => convert.hover(ws.hover(file, p.position))));
  connection.onDefinition(
    on("definition", [], (ws, file, p, folder) => ws.definition(file, p.position).map((l) => location(folder, l))),
  );
  connection.onReferences(
    on("references", [], (ws, file, p, folder) => ws.references(file, p.position).map((l) => location(folder, l))),
  );
  connection.onPrepareRename(
    on("prepare rename", null, (ws, file, p) => ws.prepareRename(file, p.position), "editing"),
  );
  connection.onRenameRequest(
    on(
      "rename",
      null,
      (ws, file, p, folder) => convert.rename(folder, ws.rename(file, p.position, p.newName)),
      "editing",
    ),
  );
  connection.onCompletion(
    on("completion", [], (ws, file, p) => ws.completion(file, p.position).map(convert.completion)),
  );
  connection.onCodeAction(
    on(
      "code actions",
      [],
      (ws, file, p, folder) => [
        ...convert.quickFixes(p.context.diagnostics),
        ...ws.actions(file, p.range.start, p.context.only).map((a) => convert.codeAction(folder, a)),
      ],
      "editing",
    ),
  );
  connection.onCodeLens(
    on("code lens", [], (ws, file, _p, folder) =>
      ws.jobDecisions(file, false).map((d) => convert.codeLens(folder, file, d)),
    ),
  );
  connection.onDocumentSymbol(on("symbols", [], (ws, file) => ws.outline(file).map(convert.documentSymbol)));
  connection.onWorkspaceSymbol(({ query }) =>
    folders.list.flatMap((f) =>
      inFolder("symbols", [], undefined, () => convert.symbols(f, f.workspace.symbols(query))),
    ),
  );
  connection.onRequest("pipewright/merged", (p: { uri?: string; job?: string }) =>
    inFolder(
      "merged view",
      { error: "the merged view failed; see the server log" },
      p.uri,
      (ws, file) => ws.merged(file, p.job),
      "editing",
    ),
  );
  connection.onRequest("pipewright/jobs", (p: { uri?: string }) =>
    inFolder("jobs", { jobs: [] as string[] }, p.uri, (ws, file) => ({ jobs: ws.jobs(file) })),
  );
  connection.onRequest("pipewright/scenarios", (p: ScenariosParams): ScenariosResult =>
    inFolder("scenarios", { scenarios: [] }, p.uri, (ws) => ({ scenarios: convert.scenarios(ws.editorScenarios()) })),
  );
  connection.onRequest("pipewright/pipeline", (p: PipelineParams): PipelineResult => {
    const { folder, file } = folders.folderOf(p.uri);
    if (!folder) return { error: "no workspace folder" };
    return (
      answer("pipeline", "reading", () => {
        analyses.fresh();
        const view = folder.workspace.viewPipeline({ label: p.scenario, args: p.args }, file);
        return "error" in view ? view : convert.pipelineView(folder, view.title, view.pipeline);
      }) ?? { error: "the pipeline could not be simulated; see the server log" }
    );
  });

  connection.onShutdown(() => analyses.persist());
  process.on("uncaughtException", (e) => connection.console.error(`pipewright: ${e.stack ?? e.message}`));
  documents.listen(connection);
  connection.listen();
}

if (require.main === module) startFromArgs(startServer, __filename);
