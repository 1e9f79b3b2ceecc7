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

// Every project in a workspace folder: a directory with a `.gitlab-ci.yml` is a project rooted there,
// published, answered and watched as its own; a file two projects hold is published once.

interface Diagnostic {
  message: string;
  code?: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

// parsed files are not kept between these sessions
process.env.PIPEWRIGHT_CACHE_DIR = "off";

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-projects-"));
  for (const [f, text] of Object.entries(files)) write(dir, f, text);
  return dir;
}

function write(dir: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
}

async function serve(dir: string, capabilities: object = {}, initializationOptions: object = {}) {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  startServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)));
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  /** The diagnostics last published, by project-relative path; and how many times each was published. */
  const latest = new Map<string, Diagnostic[]>();
  const times = new Map<string, number>();
  let waiting: Array<() => void> = [];
  const rel = (uri: string) => path.relative(dir, new URL(uri).pathname).split(path.sep).join("/");
  client.onNotification("textDocument/publishDiagnostics", (p: { uri: string; diagnostics: Diagnostic[] }) => {
    latest.set(rel(p.uri), p.diagnostics);
    times.set(rel(p.uri), (times.get(rel(p.uri)) ?? 0) + 1);
  });
  let projects: Array<{ uri: string; name: string }> = [];
  client.onNotification("pipewright/analysisDone", (p: { projects: typeof projects }) => {
    projects = p.projects;
    const w = waiting;
    waiting = [];
    w.forEach((f) => f());
  });
  client.listen();
  const uri = (file: string) => pathToFileURL(path.join(dir, file)).href;
  const done = () => new Promise<void>((resolve) => waiting.push(resolve));
  const first = done();
  await client.sendRequest("initialize", {
    processId: null,
    rootUri: uri(""),
    workspaceFolders: [{ uri: uri(""), name: "w" }],
    capabilities,
    initializationOptions,
  });
  client.sendNotification("initialized", {});
  await first;
  const at = (d: Diagnostic) =>
    `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`;
  /** The diagnostics published for each file, as `line:char-line:char message`. */
  const published = () => Object.fromEntries([...latest].sort().map(([f, ds]) => [f, ds.map(at)]));
  const hover = async (file: string, line: number, character: number) =>
    (
      await client.sendRequest<{ contents: { value: string } } | null>("textDocument/hover", {
        textDocument: { uri: uri(file) },
        position: { line, character },
      })
    )?.contents.value;
  const close = async () => {
    await client.sendRequest("shutdown").catch(() => undefined);
    client.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  /** Each project's counts in the last analysisDone (what the status bar shows), its URI made relative. */
  const counts = () => projects.map((p) => ({ ...p, uri: rel(p.uri) }));
  return { client, uri, done, published, times, hover, close, counts };
}

test("two projects in subfolders, no config at the root: each analysed from its own directory", async () => {
  const dir = project({
    "a/.gitlab-ci.yml": y("include:", "  - local: /common.yml", "build:", "  extends: .base", "  needs: [lint]"),
    "a/common.yml": y(".base:", "  script: [make]"),
    "b/.gitlab-ci.yml": y("include:", "  - local: /common.yml", "test:", "  extends: .tpl", "  stage: nope"),
    "b/common.yml": y(".tpl:", "  script: [rspec]"),
    "README.md": "not a project",
  });
  const s = await serve(dir);
  try {
    assert.deepEqual(s.published(), {
      "a/.gitlab-ci.yml": ["4:10-4:14 build job: undefined need: lint"],
      "a/common.yml": [],
      "b/.gitlab-ci.yml": [
        "4:9-4:13 test job: chosen stage nope does not exist; available stages are .pre, build, test, deploy, .post",
      ],
      "b/common.yml": [],
    });
    // the status bar shows the counts of the active file's project
    assert.deepEqual(s.counts(), [
      { uri: "a", name: "a", files: 2, jobs: 1, errors: 1, warnings: 0 },
      { uri: "b", name: "b", files: 2, jobs: 1, errors: 1, warnings: 0 },
    ]);
    // `/common.yml` is b's own: the hover is from b's project, with b's paths
    assert.match(
      (await s.hover("b/.gitlab-ci.yml", 3, 12)) ?? "",
      /defined in \[`common\.yml:1`\]\(file:\/\/\/.*\/b\/common\.yml#L1\)/,
    );
    assert.match(
      (await s.hover("b/common.yml", 0, 2)) ?? "",
      /^\*\*template\*\* `\.tpl` — defined in \[`common\.yml:1`\]\(file:\/\/\/.*\/b\/common\.yml#L1\)\n\nextended by 1 job: `test`/,
    );

    // a third project is created: found, analysed and published
    write(dir, "c/.gitlab-ci.yml", y("deploy:", "  script: [x]", "  stage: later"));
    const next = s.done();
    s.client.sendNotification("workspace/didChangeWatchedFiles", {
      changes: [{ uri: s.uri("c/.gitlab-ci.yml"), type: 1 }],
    });
    await next;
    assert.deepEqual(s.published()["c/.gitlab-ci.yml"], [
      "2:9-2:14 deploy job: chosen stage later does not exist; available stages are .pre, build, test, deploy, .post",
    ]);

    // and deleted: its diagnostics are cleared
    fs.rmSync(path.join(dir, "c"), { recursive: true });
    const gone = s.done();
    s.client.sendNotification("workspace/didChangeWatchedFiles", {
      changes: [{ uri: s.uri("c/.gitlab-ci.yml"), type: 3 }],
    });
    await gone;
    assert.deepEqual(s.published()["c/.gitlab-ci.yml"], []);
  } finally {
    await s.close();
  }
});

test("a file two projects include is published once, each finding once; the innermost project answers", async () => {
  const dir = project({
    ".gitlab-ci.yml": y("include:", "  - local: /a/shared.yml", "root job:", "  extends: .shared"),
    "a/.gitlab-ci.yml": y("include:", "  - local: /shared.yml", "a job:", "  extends: .shared", "  stage: nope"),
    "a/shared.yml": y(".shared:", "  script: [x]", "  when: sometimes"),
  });
  const s = await serve(dir);
  try {
    const { "a/shared.yml": shared, ...others } = s.published();
    assert.deepEqual(others, {
      ".gitlab-ci.yml": [],
      "a/.gitlab-ci.yml": [
        "4:9-4:13 a job job: chosen stage nope does not exist; available stages are .pre, build, test, deploy, .post",
      ],
    });
    // both projects find the template's `when`, and it is said once
    assert.equal(shared.length, 1);
    assert.match(shared[0], /^2:8-2:17 .*\bwhen\b/);
    assert.equal(s.times.get("a/shared.yml"), 1);
    // the template is listed once among the workspace's symbols, though both projects hold its file
    const symbols = await s.client.sendRequest<Array<{ name: string; location: { uri: string } }>>("workspace/symbol", {
      query: "shared",
    });
    assert.deepEqual(
      symbols.filter((x) => x.name === ".shared").map((x) => x.location.uri),
      [s.uri("a/shared.yml")],
    );
    // the root project holds it too, under its own path
    assert.match(
      (await s.hover(".gitlab-ci.yml", 3, 12)) ?? "",
      /defined in \[`a\/shared\.yml:1`\]\(file:\/\/\/.*\/a\/shared\.yml#L1\)/,
    );
    // the innermost project holding the file answers: `a`'s paths, not the root's
    assert.match(
      (await s.hover("a/shared.yml", 0, 2)) ?? "",
      /defined in \[`shared\.yml:1`\]\(file:\/\/\/.*\/a\/shared\.yml#L1\)\n\nextended by 1 job: `a job`/,
    );

    // an edit in the editor reaches both projects: the finding moves, once
    const uri = s.uri("a/shared.yml");
    const text = y(".shared:", "  script: [x]", "", "  when: sometimes");
    const edited = s.done();
    s.client.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "yaml", version: 1, text } });
    await edited;
    assert.equal(s.published()["a/shared.yml"].length, 1);
    assert.match(s.published()["a/shared.yml"][0], /^3:8-3:17 /);
    assert.equal(s.times.get("a/shared.yml"), 2);
  } finally {
    await s.close();
  }
});

test("workspace folders added and removed: their projects come and go", async () => {
  const first = project({ "x/.gitlab-ci.yml": y("j:", "  script: [x]", "  stage: one") });
  const second = project({ ".gitlab-ci.yml": y("k:", "  script: [x]", "  stage: two") });
  const s = await serve(first, { workspace: { workspaceFolders: true } });
  const other = (file: string) => pathToFileURL(path.join(second, file)).href;
  const seen: Array<[string, number]> = [];
  s.client.onNotification("textDocument/publishDiagnostics", (p: { uri: string; diagnostics: unknown[] }) =>
    seen.push([p.uri, p.diagnostics.length]),
  );
  try {
    assert.deepEqual(Object.keys(s.published()), ["x/.gitlab-ci.yml"]);
    const added = s.done();
    s.client.sendNotification("workspace/didChangeWorkspaceFolders", {
      event: { added: [{ uri: other(""), name: "second" }], removed: [] },
    });
    await added;
    assert.deepEqual(seen.splice(0), [[other(".gitlab-ci.yml"), 1]]);
    const removed = s.done();
    s.client.sendNotification("workspace/didChangeWorkspaceFolders", {
      event: { added: [], removed: [{ uri: other(""), name: "second" }] },
    });
    await removed;
    assert.deepEqual(seen.splice(0), [[other(".gitlab-ci.yml"), 0]]);
  } finally {
    await s.close();
    fs.rmSync(second, { recursive: true, force: true });
  }
});

test("the user's ciConfigPath is the folder's: its root is analysed beside a project in a subfolder", async () => {
  const dir = project({
    "ci/main.yml": y("main job:", "  script: [x]", "  stage: first"),
    "sub/.gitlab-ci.yml": y("sub job:", "  script: [x]", "  stage: second"),
  });
  const s = await serve(dir, {}, { ciConfigPath: "ci/main.yml" });
  try {
    const stage = (job: string, name: string) =>
      `2:9-2:${9 + name.length} ${job} job: chosen stage ${name} does not exist; ` +
      "available stages are .pre, build, test, deploy, .post";
    assert.deepEqual(s.published(), {
      "ci/main.yml": [stage("main job", "first")],
      "sub/.gitlab-ci.yml": [stage("sub job", "second")],
    });
  } finally {
    await s.close();
  }
});

test("pipewright/inConfig: a YAML file a project includes is part of its config, whatever its name", async () => {
  const dir = project({
    ".gitlab-ci.yml": y("include:", "  - local: ci/build.yml", "test:", "  script: [rspec]"),
    "ci/build.yml": y("build:", "  script: [make]"),
    "ci/unused.yml": y("other:", "  script: [x]"),
    "sub/.gitlab-ci.yml": y("include: jobs.yaml", "a:", "  script: [x]"),
    "sub/jobs.yaml": y("b:", "  script: [y]"),
  });
  const s = await serve(dir);
  const inConfig = (file: string) => s.client.sendRequest<boolean>("pipewright/inConfig", { uri: s.uri(file) });
  try {
    assert.deepEqual(
      await Promise.all(
        [".gitlab-ci.yml", "ci/build.yml", "ci/unused.yml", "sub/jobs.yaml", "docs/x.yml"].map(inConfig),
      ),
      [true, true, false, true, false],
    );
    // an include added to an open buffer makes the file part of it at once
    s.client.sendNotification("textDocument/didOpen", {
      textDocument: {
        uri: s.uri(".gitlab-ci.yml"),
        languageId: "gitlab-ci",
        version: 1,
        text: y("include:", "  - local: ci/build.yml", "  - local: ci/unused.yml", "test:", "  script: [rspec]"),
      },
    });
    assert.equal(await inConfig("ci/unused.yml"), true);
  } finally {
    await s.close();
  }
});
