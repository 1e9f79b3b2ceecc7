import * as assert from "node:assert/strict";
import { test } from "node:test";
import type { Folder } from "../server/src/lsp/folders";
import { hover } from "../server/src/lsp/convert";

// A hover's places are links the host makes: `pipewright-source:<file>#L<line>` becomes the file's URI
// in the project answering (features/hover.ts `where`), whatever characters the path holds.

test("a hover's source links become the files' URIs, with their line, parentheses escaped", () => {
  const folder = { uri: (file: string) => `file:///work/p/${encodeURI(file)}` } as unknown as Folder;
  const h = hover(folder, {
    markdown:
      "**template** `.a` — defined in [`ci/a (old).yml:3`](pipewright-source:ci%2Fa%20%28old%29.yml#L3), " +
      "[`b.yml:1`](pipewright-source:b.yml#L1)",
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 2 } },
  });
  assert.deepEqual(h?.contents, {
    kind: "markdown",
    value:
      "**template** `.a` — defined in [`ci/a (old).yml:3`](file:///work/p/ci/a%20%28old%29.yml#L3), " +
      "[`b.yml:1`](file:///work/p/b.yml#L1)",
  });
});
