import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { nodeIO } from "../server/src/node/node-io";
import { Workspace } from "../server/src/workspace/workspace";
import { LspClient } from "./lsp-client";

// On GitLab's own config (from ../shared, when present): the editor shows exactly what
// `pipewright check` reports, for every file, with the rules file and a job file open.

const gitlab = path.resolve(__dirname, "..", "..", "..", "shared", "corpus", "real", "gitlab");

test(
  "the language server publishes the same diagnostics as pipewright check on GitLab's config",
  { skip: !fs.existsSync(gitlab) && "../shared/corpus is not here" },
  async () => {
    // what `pipewright check` reports: the same workspace over the same directory
    const expected = new Workspace(nodeIO(gitlab), { baseline: "now" })
      .diagnostics()
      .map((d) => `${d.file}:${d.range.start.line}:${d.range.start.character} ${d.code} ${d.message}`)
      .sort();
    const client = new LspClient(gitlab);
    try {
      await client.start();
      for (const file of [".gitlab/ci/rules.gitlab-ci.yml", ".gitlab/ci/rails.gitlab-ci.yml"]) {
        client.notify("textDocument/didOpen", {
          textDocument: {
            uri: pathToFileURL(path.join(gitlab, file)).href,
            languageId: "gitlab-ci",
            version: 1,
            text: fs.readFileSync(path.join(gitlab, file), "utf8"),
          },
        });
      }
      await client.waitFor("pipewright/analysisDone", () => true, 60000);
      // the analysis after the opens
      await client.waitFor("pipewright/analysisDone", () => true, 5000).catch(() => undefined);
      const latest = new Map<
        string,
        Array<{ range: { start: { line: number; character: number } }; code: string; message: string }>
      >();
      for (const p of client.received<{
        uri: string;
        diagnostics: Array<{ range: { start: { line: number; character: number } }; code: string; message: string }>;
      }>("textDocument/publishDiagnostics"))
        latest.set(p.uri, p.diagnostics);
      const actual = [...latest]
        .flatMap(([uri, ds]) =>
          ds.map(
            (d) =>
              `${path.relative(gitlab, new URL(uri).pathname)}:${d.range.start.line}:${d.range.start.character} ` +
              `${d.code} ${d.message}`,
          ),
        )
        .sort();
      assert.deepEqual(actual, expected);
      assert.ok(expected.length > 100);
    } finally {
      await client.stop();
    }
  },
);
