import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";
import { createConnection } from "vscode-languageserver/node";
import { startServer } from "../server/src/server";
import { y } from "./helpers";

// The language server started in this very process, twice, over in-memory streams: it keeps no
// module-level state, so two servers on two projects answer each about its own.

interface Published {
  uri: string;
  diagnostics: Array<{ message: string; range: { start: { line: number } } }>;
}

// parsed files are not kept between these sessions
process.env.PIPEWRIGHT_CACHE_DIR = "off";

function serve(dir: string) {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  startServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)));
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const published: Published[] = [];
  const waiting: Array<() => void> = [];
  client.onNotification("textDocument/publishDiagnostics", (p: Published) => {
    published.push(p);
    waiting.splice(0).forEach((w) => w());
  });
  client.listen();
  const uri = (rel: string) => pathToFileURL(path.join(dir, rel)).href;
  const next = () => new Promise<void>((resolve) => waiting.push(resolve));
  return { client, published, uri, next };
}

test("two servers in one process, each on its own project, answer each about its own", async () => {
  const dirs = ["a", "b"].map((n) => fs.mkdtempSync(path.join(os.tmpdir(), `pipewright-inproc-${n}-`)));
  fs.writeFileSync(path.join(dirs[0], ".gitlab-ci.yml"), y("build:", "  scripts: [make]", "lint:", "  script: [x]"));
  fs.writeFileSync(path.join(dirs[1], ".gitlab-ci.yml"), y("test:", "  stage: nope", "  script: [make test]"));
  const servers = dirs.map(serve);
  try {
    for (const [i, s] of servers.entries()) {
      await s.client.sendRequest("initialize", {
        processId: null,
        rootUri: pathToFileURL(dirs[i]).href,
        capabilities: {},
      });
      s.client.sendNotification("initialized", {});
    }
    for (const s of servers) while (!s.published.length) await s.next();
    assert.deepEqual(
      servers.map((s) => s.published.map((p) => [p.uri, p.diagnostics.map((d) => d.message)])),
      [
        [[servers[0].uri(".gitlab-ci.yml"), ['unknown keyword "scripts" in job "build" — did you mean "script"?']]],
        [
          [
            servers[1].uri(".gitlab-ci.yml"),
            ["test job: chosen stage nope does not exist; available stages are .pre, build, test, deploy, .post"],
          ],
        ],
      ],
    );
    const hover = await servers[1].client.sendRequest<{ contents: { value: string } }>("textDocument/hover", {
      textDocument: { uri: servers[1].uri(".gitlab-ci.yml") },
      position: { line: 0, character: 1 },
    });
    assert.match(hover.contents.value, /^\*\*job\*\* `test` — defined in `\.gitlab-ci\.yml:1`/);
    // a second initialize is refused, and the server goes on with its project
    await assert.rejects(
      servers[1].client.sendRequest("initialize", { processId: null, rootUri: "file:///", capabilities: {} }),
      /already initialized/,
    );
    const again = await servers[1].client.sendRequest<{ contents: { value: string } }>("textDocument/hover", {
      textDocument: { uri: servers[1].uri(".gitlab-ci.yml") },
      position: { line: 0, character: 1 },
    });
    assert.equal(again.contents.value, hover.contents.value);
  } finally {
    for (const s of servers) {
      await s.client.sendRequest("shutdown").catch(() => undefined);
      s.client.dispose();
    }
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
});
