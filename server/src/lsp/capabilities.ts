import * as lsp from "vscode-languageserver/node";
import { WRITE_RUNNER_COMMAND } from "./dagger-protocol";

/** What the server answers, as told to the client in `initialize`. */
export const CAPABILITIES: lsp.ServerCapabilities = {
  textDocumentSync: lsp.TextDocumentSyncKind.Incremental,
  hoverProvider: true,
  definitionProvider: true,
  documentSymbolProvider: true,
  workspaceSymbolProvider: true,
  codeActionProvider: {
    codeActionKinds: [
      lsp.CodeActionKind.QuickFix,
      lsp.CodeActionKind.RefactorRewrite,
      "source.pipewright.insertDaggerJob",
    ],
  },
  completionProvider: { triggerCharacters: [" ", "[", ",", "$", "{", "-"] },
  referencesProvider: true,
  renameProvider: { prepareProvider: true },
  codeLensProvider: { resolveProvider: false },
  executeCommandProvider: { commands: [WRITE_RUNNER_COMMAND] },
  // folders added and removed have their projects found and analysed (lsp/folders.ts)
  workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
};
