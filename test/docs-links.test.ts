import assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";
import { DOCS_PAGE, docsPage, showDocsQuery } from "../client/src/docs-links";

test("a rule page of the extension's folder becomes a page the showDocs command opens; other files do not", () => {
  const ext = "/home/me/.vscode/extensions/pipewright.pipewright-0.1.0";
  assert.equal(docsPage(ext, `${ext}/docs/rules/force-gitlab-ci.md`, path.posix), "docs/rules/force-gitlab-ci.md");
  assert.equal(docsPage(ext, `${ext}/docs/diagnostics.md`, path.posix), "docs/diagnostics.md");
  assert.equal(docsPage(ext, `${ext}/dist/server.js`, path.posix), undefined);
  assert.equal(docsPage(ext, "/home/me/project/docs/rules/x.md", path.posix), undefined);
  assert.equal(docsPage(ext, `${ext}/docs/rules/../../../secret.md`, path.posix), undefined);
  const win = "C:\\Users\\Jo Smith\\.vscode\\extensions\\pipewright.pipewright-0.1.0";
  assert.equal(
    docsPage(win, `${win}\\docs\\rules\\glci-variable-prefix.md`, path.win32),
    "docs/rules/glci-variable-prefix.md",
  );
});

test("the command takes only a page of docs/, as JSON arguments", () => {
  assert.equal(showDocsQuery("docs/rules/a-b.md"), '["docs/rules/a-b.md"]');
  assert.equal(
    showDocsQuery("docs/diagnostics.md", "extends-unknown-parent"),
    '["docs/diagnostics.md","extends-unknown-parent"]',
  );
  assert.equal(showDocsQuery("docs/diagnostics.md", '"><script>'), '["docs/diagnostics.md"]', "no other anchor");
  assert.equal(showDocsQuery("docs/diagnostics.md", ""), '["docs/diagnostics.md"]');
  for (const bad of ["../x.md", "docs/rules/../../x.md", "/etc/passwd", "docs/rules/x.js", "docs/a/b.md"])
    assert.equal(DOCS_PAGE.test(bad), false, bad);
});
