// A diagnostic's code links to its page (docs/rules/<id>.md, or docs/diagnostics.md), shipped with the
// extension: the server gives a file: URL, which is right for every LSP client (Neovim opens the file), but
// VS Code would open the raw Markdown in a text editor. The extension turns such a link into a command URI
// (command:pipewright.showDocs?["docs/rules/<id>.md"]), which VS Code's Problems panel and hovers open, and
// the command shows the page rendered, in the Markdown preview. No vscode import: unit-tested.
import * as path from "node:path";

export const SHOW_DOCS = "pipewright.showDocs";

/** A page the command may show: ours, Markdown, under docs/ (posix, relative to the extension's folder). */
export const DOCS_PAGE = /^docs\/(?:rules\/)?[A-Za-z0-9][\w.-]*\.md$/;

/**
 * The page of the extension folder `extensionDir` that the file `file` is (both file system paths), as
 * `docs/rules/<id>.md`; undefined for any other file.
 */
export function docsPage(extensionDir: string, file: string, p: typeof path = path): string | undefined {
  const rel = p.relative(extensionDir, file).split(p.sep).join("/");
  return DOCS_PAGE.test(rel) ? rel : undefined;
}

/** An anchor the command may scroll to: a diagnostic code's row of docs/diagnostics.md. */
export const DOCS_ANCHOR = /^[a-z0-9][a-z0-9-]*$/;

/**
 * The command URI's query that shows `page`, scrolled to `anchor` when there is one (a code's row of
 * docs/diagnostics.md: the preview starts at the element of that id), as the command's JSON arguments.
 */
export function showDocsQuery(page: string, anchor?: string): string {
  return JSON.stringify(anchor && DOCS_ANCHOR.test(anchor) ? [page, anchor] : [page]);
}
