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

// File watching for editors that have no watcher of their own: a client that can register
// workspace/didChangeWatchedFiles is asked to watch the files an analysis reads, and what it then
// says changed on disk is analysed again and published.

interface Published {
  uri: string;
  diagnostics: Array<{ message: string }>;
}

interface Registration {
  id: string;
  method: string;
  registerOptions?: unknown;
}

// parsed files are not kept between these sessions
process.env.PIPEWRIGHT_CACHE_DIR = "off";

function serve(dir: string) {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  startServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)));
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const published: Published[] = [];
  const registrations: Registration[] = [];
  let done = 0;
  const waiting: Array<() => void> = [];
  const wake = () => waiting.splice(0).forEach((w) => w());
  client.onNotification("textDocument/publishDiagnostics", (p: Published) => {
    published.push(p);
    wake();
  });
  client.onNotification("pipewright/analysisDone", () => {
    done++;
    wake();
  });
  client.onRequest("client/registerCapability", (p: { registrations: Registration[] }) => {
    registrations.push(...p.registrations);
    wake();
    return null;
  });
  client.listen();
  const uri = (rel: string) => pathToFileURL(path.join(dir, rel)).href;
  const next = () => new Promise<void>((resolve) => waiting.push(resolve));
  const until = async (ready: () => boolean) => {
    while (!ready()) await next();
  };
  return { client, published, registrations, uri, until, done: () => done };
}

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-watch-"));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const WATCH_CAPABILITIES = { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } };

test("a client that can register file watching is asked to watch YAML files and .pipewright.yml", async () => {
  const dir = project({ ".gitlab-ci.yml": y("build:", "  script: [make]") });
  const s = serve(dir);
  try {
    await s.client.sendRequest("initialize", {
      processId: null,
      rootUri: pathToFileURL(dir).href,
      capabilities: WATCH_CAPABILITIES,
    });
    s.client.sendNotification("initialized", {});
    await s.until(() => s.registrations.length > 0);
    assert.deepEqual(
      s.registrations.map((r) => [r.method, r.registerOptions]),
      [
        [
          "workspace/didChangeWatchedFiles",
          { watchers: [{ globPattern: "**/*.{yml,yaml}" }, { globPattern: "**/.pipewright.yml" }] },
        ],
      ],
    );
    assert.equal(typeof s.registrations[0].id, "string");
  } finally {
    await s.client.sendRequest("shutdown").catch(() => undefined);
    s.client.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a client without dynamic registration is not asked to watch files", async () => {
  const dir = project({ ".gitlab-ci.yml": y("build:", "  scripts: [make]") });
  const s = serve(dir);
  try {
    await s.client.sendRequest("initialize", {
      processId: null,
      rootUri: pathToFileURL(dir).href,
      capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: false } } },
    });
    s.client.sendNotification("initialized", {});
    // the registration would be sent before the first analysis, so before its diagnostics
    await s.until(() => s.published.length > 0);
    assert.deepEqual(s.registrations, []);
  } finally {
    await s.client.sendRequest("shutdown").catch(() => undefined);
    s.client.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("files changed on disk, as the watcher reports them, are analysed again and published", async () => {
  const dir = project({
    ".gitlab-ci.yml": y("include:", "  - local: ci/jobs.yml", "  - local: ci/deploy.yml", "lint:", "  script: [x]"),
    "ci/jobs.yml": y("build:", "  scripts: [make]"),
  });
  const s = serve(dir);
  const messages = (rel: string) =>
    s.published.filter((p) => p.uri === s.uri(rel)).map((p) => p.diagnostics.map((d) => d.message));
  try {
    await s.client.sendRequest("initialize", {
      processId: null,
      rootUri: pathToFileURL(dir).href,
      capabilities: WATCH_CAPABILITIES,
    });
    s.client.sendNotification("initialized", {});
    await s.until(() => messages("ci/jobs.yml").length > 0 && messages(".gitlab-ci.yml").length > 0);
    assert.deepEqual(messages("ci/jobs.yml"), [['unknown keyword "scripts" in job "build" — did you mean "script"?']]);
    assert.deepEqual(messages(".gitlab-ci.yml"), [["Local file `ci/deploy.yml` does not exist!"]]);

    // a file fixed on disk, not open in the editor
    fs.writeFileSync(path.join(dir, "ci/jobs.yml"), y("build:", "  script: [make]"));
    s.client.sendNotification("workspace/didChangeWatchedFiles", {
      changes: [{ uri: s.uri("ci/jobs.yml"), type: 2 }],
    });
    await s.until(() => messages("ci/jobs.yml").length > 1);
    assert.deepEqual(messages("ci/jobs.yml").at(-1), []);

    // a file created on disk; reported twice in one notification, as a client with two watchers on it does
    fs.writeFileSync(path.join(dir, "ci/deploy.yml"), y("deploy:", "  stage: deploy", "  script: [make deploy]"));
    const before = s.done();
    const created = { uri: s.uri("ci/deploy.yml"), type: 1 };
    s.client.sendNotification("workspace/didChangeWatchedFiles", { changes: [created, created] });
    await s.until(() => messages(".gitlab-ci.yml").length > 1);
    assert.deepEqual(messages(".gitlab-ci.yml").at(-1), []);
    await s.until(() => s.done() > before);
    // nothing else changed: the include is fixed once, no other file is published
    assert.deepEqual(
      s.published.map((p) => [path.relative(dir, new URL(p.uri).pathname), p.diagnostics.length]),
      [
        [".gitlab-ci.yml", 1],
        ["ci/jobs.yml", 1],
        ["ci/jobs.yml", 0],
        [".gitlab-ci.yml", 0],
      ],
    );
  } finally {
    await s.client.sendRequest("shutdown").catch(() => undefined);
    s.client.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
