import * as lsp from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import * as convert from "./lsp/convert";
import { Analyses } from "./lsp/analysis";
import { onPipewrightCommands } from "./lsp/commands";
import { onPipewrightRequests } from "./lsp/custom-requests";
import { Lenses } from "./lsp/lenses";
import { location } from "./lsp/folders";
import { Requests } from "./lsp/requests";
import { Session } from "./lsp/session";
import { connectHere } from "./lsp/transport";

// The language server: LSP in, Workspace calls, LSP out (lsp/convert.ts), nothing else. When to analyse and what
// to publish is lsp/analysis.ts, how a request is answered lsp/requests.ts, what the client said at the start
// lsp/session.ts, Pipewright's own requests lsp/custom-requests.ts. No module-level state: startServer runs in process.

export interface ServerOptions {
  /** True when a message the client sent is waiting (the two-thread server's; see lsp/threads.ts). */
  readonly waiting?: () => boolean;
  /** True as soon as a message waits, without waiting's grace: idle work (the lenses) stops for it at once. */
  readonly pending?: () => boolean;
}

export function startServer(connection: lsp.Connection, options: ServerOptions = {}): void {
  const documents = new lsp.TextDocuments(TextDocument);
  const requests: Requests = new Requests(
    connection,
    () => session.folders,
    () => analyses.fresh(),
    options,
  );
  const { on, inFolder, safely } = requests;
  const session: Session = new Session(connection, requests, () => analyses.schedule());
  const lenses = new Lenses(
    () => session.folders,
    safely,
    () => session.refreshLenses(),
  );
  const analyses: Analyses = new Analyses(
    connection,
    () => session.folders,
    safely,
    () => lenses.prepare(),
  );

  connection.onInitialize((params) => session.initialize(params));
  connection.onInitialized(async () => {
    await session.initialized();
    safely("analysis", () => analyses.run());
  });
  connection.onDidChangeConfiguration(async (change) => {
    await session.configurationChanged(change);
    analyses.schedule();
  });
  connection.onDidChangeWatchedFiles((p) => {
    session.filesChanged(p.changes);
    analyses.schedule();
  });
  // a buffer goes to every project that contains it (lsp/folders.ts)
  documents.onDidChangeContent(({ document }) => {
    if (session.folders.setDocument(document.uri, document.getText())) analyses.touched(document.uri);
  });
  documents.onDidClose(({ document }) => {
    session.folders.closeDocument(document.uri);
    analyses.schedule();
  });

  connection.onHover(on("hover", null, (ws, file, p, f) => convert.hover(f, ws.hover(file, p.position))));
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
    on("completion", null, (ws, file, p) => session.completionList(ws.completion(file, p.position))),
  );
  connection.onCodeAction(
    on(
      "code actions",
      [],
      (ws, file, p, folder) => [
        ...convert.quickFixes(p.context.diagnostics),
        ...ws.actions(file, p.range.start, p.context.only).map((a) => session.codeAction(folder, a)),
      ],
      "editing",
    ),
  );
  connection.onCodeLens(
    on("code lens", [], (ws, file, _p, folder) =>
      convert.codeLenses(folder, file, ws.jobDecisions(file, false), ws.usedBy(file)),
    ),
  );
  connection.onDocumentSymbol(on("symbols", [], (ws, file) => ws.outline(file).map(convert.documentSymbol)));
  connection.onWorkspaceSymbol(({ query }) =>
    convert.uniqueSymbols(
      session.folders.list.flatMap((f) =>
        inFolder("symbols", [], undefined, () => convert.symbols(f, f.workspace.symbols(query))),
      ),
    ),
  );
  onPipewrightRequests(connection, requests);
  onPipewrightCommands(connection, requests, session);

  connection.onShutdown(() => analyses.persist());
  process.on("uncaughtException", (e) => connection.console.error(`pipewright: ${e.stack ?? e.message}`));
  documents.listen(connection);
  connection.listen();
}

/**
 * Runs the server on this thread: the worker that launch.ts starts, or with PIPEWRIGHT_ONE_THREAD=1 (or a
 * socket or pipe) the whole process.
 */
export function serveHere(args: readonly string[]): void {
  const { connection, options } = connectHere(args);
  startServer(connection, options);
}

if (require.main === module) serveHere(process.argv.slice(2));
