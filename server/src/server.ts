#!/usr/bin/env node
import { fileURLToPath, pathToFileURL } from "node:url";
import * as lsp from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import * as convert from "./lsp/convert";
import { Analyses } from "./lsp/analysis";
import { CAPABILITIES } from "./lsp/capabilities";
import { Folders, location, type Folder } from "./lsp/folders";
import { nodeIO } from "./node/node-io";
import { Workspace } from "./workspace/workspace";

// The language server: LSP in, Workspace calls, LSP out (lsp/convert.ts), nothing else. When to
// analyse and what to publish is lsp/analysis.ts.

export function startServer(connection: lsp.Connection): void {
  const documents = new lsp.TextDocuments(TextDocument);
  const makeWorkspace = (dir: string) => new Workspace(nodeIO(dir, { store: true }), { baseline: "later" });
  let folders = new Folders([], makeWorkspace);
  let pullSettings = false;
  const safely = <T>(what: string, f: () => T): T | null => {
    try {
      return f();
    } catch (e) {
      connection.console.error(`pipewright: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return null;
    }
  };
  const warn = (problems: string[]) => problems.forEach((p) => connection.console.warn(p));
  const analyses = new Analyses(connection, () => folders, safely);
  const fresh = () => analyses.fresh();
  const answer = <T>(what: string, uri: string, f: (folder: Folder, file: string) => T, none: T): T =>
    safely(what, () => {
      fresh();
      const at = folders.locate(uri);
      return at ? f(at.folder, at.file) : none;
    }) ?? none;

  const loadSettings = async () => {
    const scopes = folders.list.map((f) => ({ scopeUri: pathToFileURL(f.dir).href, section: "pipewright" }));
    const all = (await connection.workspace.getConfiguration(scopes)) as unknown[];
    folders.list.forEach((f, i) => warn(f.workspace.setUserSettings(all[i])));
  };

  connection.onInitialize((params) => {
    const dirs = params.workspaceFolders?.map((f) => fileURLToPath(f.uri)) ?? [params.rootUri ? fileURLToPath(params.rootUri) : process.cwd()];
    folders = new Folders(dirs, makeWorkspace);
    for (const f of folders.list) warn(f.workspace.setUserSettings(params.initializationOptions));
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
    if (pullSettings) await safely("settings", loadSettings);
    else for (const f of folders.list) warn(f.workspace.setUserSettings((change.settings as { pipewright?: unknown } | null)?.pipewright));
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

  connection.onHover(({ textDocument, position }) =>
    answer("hover", textDocument.uri, (folder, file) => {
      const h = folder.workspace.hover(file, position);
      return h ? { contents: { kind: "markdown" as const, value: h.markdown }, range: h.range } : null;
    }, null),
  );
  connection.onDefinition(({ textDocument, position }) => answer("definition", textDocument.uri, (folder, file) => folder.workspace.definition(file, position).map((l) => location(folder, l)), []));
  connection.onReferences(({ textDocument, position }) => answer("references", textDocument.uri, (folder, file) => folder.workspace.references(file, position).map((l) => location(folder, l)), []));
  connection.onPrepareRename(({ textDocument, position }) => answer("prepare rename", textDocument.uri, (folder, file) => folder.workspace.prepareRename(file, position) ?? null, null));
  connection.onRenameRequest(({ textDocument, position, newName }) =>
    answer("rename", textDocument.uri, (folder, file) => {
      const edits = folder.workspace.rename(file, position, newName);
      return edits ? { changes: convert.editsByUri(folder, edits) } : null;
    }, null),
  );
  connection.onCompletion(({ textDocument, position }) => answer("completion", textDocument.uri, (folder, file) => folder.workspace.completion(file, position).map(convert.completionItem), []));
  connection.onCodeAction(({ textDocument, range, context }) =>
    answer("code actions", textDocument.uri, (folder, file) => [...convert.quickFixes(context.diagnostics), ...folder.workspace.actions(file, range.start, context.only).map((a) => convert.codeAction(folder, a))], []),
  );
  connection.onDocumentSymbol(({ textDocument }) => answer("document symbols", textDocument.uri, (folder, file) => folder.workspace.outline(file).map(convert.documentSymbol), []));
  connection.onWorkspaceSymbol(({ query }) =>
    safely("workspace symbols", () => {
      fresh();
      return folders.list.flatMap((f) => f.workspace.symbols(query).map((s) => convert.workspaceSymbol(f, s)));
    }) ?? [],
  );

  connection.onRequest("pipewright/merged", (p: { uri?: string; job?: string }) =>
    safely("merged view", () => {
      fresh();
      const { folder, file } = folders.folderOf(p.uri);
      return folder ? folder.workspace.merged(file, p.job) : { error: "no GitLab CI configuration found in this workspace" };
    }) ?? { error: "the merged view failed; see the server log" },
  );
  connection.onRequest("pipewright/jobs", (p: { uri?: string }) =>
    safely("jobs", () => {
      fresh();
      const { folder, file } = folders.folderOf(p.uri);
      return { jobs: folder ? folder.workspace.jobs(file) : [] };
    }) ?? { jobs: [] },
  );

  connection.onShutdown(() => analyses.persist());
  process.on("uncaughtException", (e) => connection.console.error(`pipewright: ${e.stack ?? e.message}`));
  documents.listen(connection);
  connection.listen();
}

if (require.main === module) startServer(lsp.createConnection(lsp.ProposedFeatures.all));
