#!/usr/bin/env node
import { fileURLToPath, pathToFileURL } from "node:url";
import * as lsp from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import * as convert from "./lsp/convert";
import { Analyses } from "./lsp/analysis";
import { CAPABILITIES } from "./lsp/capabilities";
import { Folders, location, type Folder } from "./lsp/folders";
import { ResyncingReader } from "./lsp/stdio-reader";
import { nodeIO } from "./node/node-io";
import { cacheDir } from "./node/parse-store";
import { Workspace } from "./workspace/workspace";

// The language server: LSP in, Workspace calls, LSP out (lsp/convert.ts), nothing else. When to
// analyse and what to publish is lsp/analysis.ts. No module-level state: startServer runs in process.

type At<P> = (ws: Workspace, file: string, p: P, folder: Folder) => unknown;

export function startServer(connection: lsp.Connection): void {
  const documents = new lsp.TextDocuments(TextDocument);
  let storeDir: string | undefined;
  const makeWorkspace = (dir: string) => new Workspace(nodeIO(dir, { storeDir }), { baseline: "later" });
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
  const warn = (problems: string[]) => problems.forEach((p) => connection.console.warn(p));
  const analyses = new Analyses(connection, () => folders, safely);
  /** A request about a document: fresh results first, then one Workspace call for its folder and file. */
  const on =
    <P extends { textDocument: { uri: string } }, R>(what: string, none: R, f: At<P>) =>
    (p: P): R =>
      (safely(what, () => {
        analyses.fresh();
        const at = folders.locate(p.textDocument.uri);
        return at ? (f(at.folder.workspace, at.file, p, at.folder) ?? none) : none;
      }) ?? none) as R;
  /** A request that may name a document: its folder, else the first. */
  const inFolder = <R>(what: string, none: R, uri: string | undefined, f: (ws: Workspace, file?: string) => R) =>
    safely(what, () => {
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
  connection.onPrepareRename(on("prepare rename", null, (ws, file, p) => ws.prepareRename(file, p.position)));
  connection.onRenameRequest(
    on("rename", null, (ws, file, p, folder) => convert.rename(folder, ws.rename(file, p.position, p.newName))),
  );
  connection.onCompletion(
    on("completion", [], (ws, file, p) => ws.completion(file, p.position).map(convert.completion)),
  );
  connection.onCodeAction(
    on("code actions", [], (ws, file, p, folder) => [
      ...convert.quickFixes(p.context.diagnostics),
      ...ws.actions(file, p.range.start, p.context.only).map((a) => convert.codeAction(folder, a)),
    ]),
  );
  connection.onDocumentSymbol(on("symbols", [], (ws, file) => ws.outline(file).map(convert.documentSymbol)));
  connection.onWorkspaceSymbol(({ query }) =>
    folders.list.flatMap((f) =>
      inFolder("symbols", [], undefined, () => convert.symbols(f, f.workspace.symbols(query))),
    ),
  );
  connection.onRequest("pipewright/merged", (p: { uri?: string; job?: string }) =>
    inFolder("merged view", { error: "the merged view failed; see the server log" }, p.uri, (ws, file) =>
      ws.merged(file, p.job),
    ),
  );
  connection.onRequest("pipewright/jobs", (p: { uri?: string }) =>
    inFolder("jobs", { jobs: [] as string[] }, p.uri, (ws, file) => ({ jobs: ws.jobs(file) })),
  );

  connection.onShutdown(() => analyses.persist());
  process.on("uncaughtException", (e) => connection.console.error(`pipewright: ${e.stack ?? e.message}`));
  documents.listen(connection);
  connection.listen();
}

/** Over stdio, messages are read by a reader that survives a garbled frame; other transports as given. */
function connectionFromArgs(): lsp.Connection {
  if (!process.argv.includes("--stdio")) return lsp.createConnection(lsp.ProposedFeatures.all);
  return lsp.createConnection(
    lsp.ProposedFeatures.all,
    new ResyncingReader(process.stdin),
    new lsp.StreamMessageWriter(process.stdout),
  );
}

if (require.main === module) startServer(connectionFromArgs());
