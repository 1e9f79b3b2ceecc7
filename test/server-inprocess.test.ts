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
import { fixtureSha } from "./support/external-fixtures";
import { startStandIn } from "./support/gitlab-stand-in";

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
    assert.match(
      hover.contents.value,
      /^\*\*job\*\* `test` — defined in \[`\.gitlab-ci\.yml:1`\]\(file:\/\/\/.*\/\.gitlab-ci\.yml#L1\)/,
    );
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

test("the pipeline view's requests: the editor's scenarios, a pipeline by label or by flags, wrong flags", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-inproc-pipeline-"));
  fs.writeFileSync(
    path.join(dir, ".gitlab-ci.yml"),
    y(
      "build:",
      "  stage: build",
      "  script: [make]",
      "deploy:",
      "  stage: deploy",
      "  needs: [build]",
      "  script: [make deploy]",
      "  rules:",
      "    - if: $CI_COMMIT_TAG",
      "      when: manual",
    ),
  );
  fs.writeFileSync(path.join(dir, ".pipewright.yml"), y("project: group/app", "defaultBranch: main"));
  const s = serve(dir);
  try {
    await s.client.sendRequest("initialize", { processId: null, rootUri: pathToFileURL(dir).href, capabilities: {} });
    s.client.sendNotification("initialized", {});
    while (!s.published.length) await s.next();
    const uri = s.uri(".gitlab-ci.yml");
    assert.deepEqual(await s.client.sendRequest("pipewright/scenarios", { uri }), {
      scenarios: [
        { label: "MR", description: "merge request from feature" },
        { label: "main", description: "push to branch main" },
        { label: "tag", description: "push to tag v1.0.0" },
        { label: "schedule", description: "schedule pipeline for the default branch" },
      ],
    });
    const tag = await s.client.sendRequest("pipewright/pipeline", { uri, scenario: "tag" });
    const at = (line: number, start: number, end: number) => ({
      uri,
      range: { start: { line, character: start }, end: { line, character: end } },
    });
    assert.deepEqual(tag, {
      title: "push to tag v1.0.0 in group/app",
      created: true,
      message: null,
      name: null,
      stages: [
        { name: "build", jobs: ["build"] },
        { name: "deploy", jobs: ["deploy"] },
      ],
      jobs: [
        {
          name: "build",
          stage: "build",
          when: "on_success",
          allowFailure: false,
          startIn: null,
          needs: null,
          location: at(0, 0, 5),
          rule: null,
        },
        {
          name: "deploy",
          stage: "deploy",
          when: "manual",
          // a rule's manual job may not fail unless it says so (GitLab's rules default)
          allowFailure: false,
          startIn: null,
          needs: ["build"],
          location: at(3, 0, 6),
          rule: { uri, range: { start: { line: 8, character: 6 }, end: { line: 9, character: 18 } } },
        },
      ],
      notCreated: [],
      errors: [],
      warnings: [],
      children: [],
    });
    const push = (await s.client.sendRequest("pipewright/pipeline", { uri, args: "--branch 'feature x'" })) as {
      title: string;
      jobs: Array<{ name: string }>;
      notCreated: Array<{ name: string; why: string; rule: unknown }>;
    };
    assert.equal(push.title, "push to branch feature x in group/app");
    assert.deepEqual(
      push.jobs.map((j) => j.name),
      ["build"],
    );
    assert.deepEqual(push.notCreated, [{ name: "deploy", why: "no rule matched", location: at(3, 0, 6), rule: null }]);
    assert.deepEqual(await s.client.sendRequest("pipewright/pipeline", { uri, args: "--tag v1 --branch main" }), {
      error: "--branch and --tag cannot be used together",
    });
    assert.deepEqual(await s.client.sendRequest("pipewright/pipeline", { uri, args: "--nope" }), {
      error: "unknown flag --nope: the flags are those of pipewright pipeline",
    });
  } finally {
    await s.client.sendRequest("shutdown").catch(() => undefined);
    s.client.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("remote includes in the editor: published at once, fetched, published again; F12 to a fetched file", async () => {
  const sha = fixtureSha("group/lib", "main");
  const gitlab = await startStandIn({
    projects: {
      "group/lib": {
        defaultBranch: "main",
        refs: { main: sha },
        files: { [sha]: { "ci/base.yml": y(".base:", "  image: ruby:3.3") } },
      },
    },
    templates: {},
    remote: {},
  });
  const dirs = ["trusted", "restricted"].map((n) => fs.mkdtempSync(path.join(os.tmpdir(), `pipewright-remote-${n}-`)));
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-include-cache-"));
  process.env.PIPEWRIGHT_INCLUDE_CACHE = cache;
  const config = y(
    "include:",
    "  - project: group/lib",
    "    file: ci/base.yml",
    "unit:",
    "  extends: .base",
    "  script: [rspec]",
  );
  for (const d of dirs) {
    fs.writeFileSync(path.join(d, ".gitlab-ci.yml"), config);
    fs.writeFileSync(path.join(d, ".pipewright.yml"), y(`gitlabUrl: ${gitlab.url}`, "remoteIncludes: fetch"));
  }
  const servers = dirs.map(serve);
  const messages = (p: Published) => p.diagnostics.map((d) => d.message);
  try {
    const [trusted, restricted] = servers;
    for (const [i, s] of servers.entries()) {
      await s.client.sendRequest("initialize", {
        processId: null,
        rootUri: pathToFileURL(dirs[i]).href,
        capabilities: {},
        initializationOptions: { trusted: i === 0 },
      });
      s.client.sendNotification("initialized", {});
    }
    // at once, from the empty cache; then again when the fetch has arrived
    while (trusted.published.length < 2) await trusted.next();
    assert.deepEqual(trusted.published.map(messages), [
      [
        "include:project `group/lib` file `ci/base.yml` is being fetched: jobs and templates it defines are " +
          "unknown to this analysis",
        "unit: unknown keys in `extends` (.base); it may be defined in an include that cannot be read offline",
      ],
      [],
    ]);
    const definition = await trusted.client.sendRequest<Array<{ uri: string }>>("textDocument/definition", {
      textDocument: { uri: trusted.uri(".gitlab-ci.yml") },
      position: { line: 4, character: 12 },
    });
    const copy = path.join(cache, new URL(gitlab.url).host.replace(":", "%3A"), "group/lib/-/blob", sha, "ci/base.yml");
    assert.deepEqual(
      definition.map((l) => l.uri),
      [pathToFileURL(copy).href],
    );
    // Restricted Mode: no cache, no network
    while (!restricted.published.length) await restricted.next();
    assert.match(messages(restricted.published[0])[0], /cannot be read offline/);
    assert.equal(gitlab.requests.filter((r) => r.path.includes("repository/files")).length, 1);
  } finally {
    for (const s of servers) {
      await s.client.sendRequest("shutdown").catch(() => undefined);
      s.client.dispose();
    }
    await gitlab.close();
    for (const d of [...dirs, cache]) fs.rmSync(d, { recursive: true, force: true });
  }
});

test("a client that takes a shared edit range gets it once, and each item's text only where it differs", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-inproc-completion-"));
  const config = y(".linux build:", "  image: alpine", ".base:", "  tags: [a]", "j:", "  script: [x]", "  extends: ");
  fs.writeFileSync(path.join(dir, ".gitlab-ci.yml"), config);
  const s = serve(dir);
  try {
    await s.client.sendRequest("initialize", {
      processId: null,
      rootUri: pathToFileURL(dir).href,
      capabilities: { textDocument: { completion: { completionList: { itemDefaults: ["editRange"] } } } },
    });
    s.client.sendNotification("initialized", {});
    while (!s.published.length) await s.next();
    const list = await s.client.sendRequest<{
      itemDefaults?: { editRange: unknown };
      items: Array<{ label: string; textEdit?: unknown; textEditText?: string }>;
    }>("textDocument/completion", {
      textDocument: { uri: s.uri(".gitlab-ci.yml") },
      position: { line: 6, character: 11 },
    });
    assert.deepEqual(list.itemDefaults, {
      editRange: { start: { line: 6, character: 11 }, end: { line: 6, character: 11 } },
    });
    assert.deepEqual(
      list.items.map((i) => [i.label, i.textEdit ?? null, i.textEditText ?? null]),
      [
        [".linux build", null, null],
        [".base", null, null],
      ],
    );
  } finally {
    await s.client.sendRequest("shutdown").catch(() => undefined);
    s.client.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("Convert to a Dagger Function asks a client that takes change annotations to confirm every change", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-inproc-dagger-"));
  fs.mkdirSync(path.join(dir, "ci"));
  fs.writeFileSync(path.join(dir, ".gitlab-ci.yml"), y("include: ci/jobs.yml", "default:", "  tags: [gitlab-org]"));
  // a glob cannot be a cache volume's mount: the title says the cache is dropped
  const jobs = y("unit:", "  cache:", '    paths: ["vendor/*"]', "  script: [make]");
  fs.writeFileSync(path.join(dir, "ci", "jobs.yml"), jobs);
  type Edit = { range: unknown; newText: string; annotationId?: string };
  type Change = { kind?: string; uri?: string; annotationId?: string; textDocument?: { uri: string }; edits?: Edit[] };
  type Action = {
    title: string;
    isPreferred?: boolean;
    edit: { documentChanges?: Change[]; changes?: unknown; changeAnnotations?: Record<string, unknown> };
  };
  const ask = async (capabilities: object): Promise<{ actions: Action[]; uri: (rel: string) => string }> => {
    const s = serve(dir);
    try {
      await s.client.sendRequest("initialize", { processId: null, rootUri: pathToFileURL(dir).href, capabilities });
      s.client.sendNotification("initialized", {});
      while (!s.published.length) await s.next();
      const actions = await s.client.sendRequest<Action[]>("textDocument/codeAction", {
        textDocument: { uri: s.uri("ci/jobs.yml") },
        range: { start: { line: 0, character: 1 }, end: { line: 0, character: 1 } },
        context: { diagnostics: [] },
      });
      return { actions, uri: s.uri };
    } finally {
      await s.client.sendRequest("shutdown").catch(() => undefined);
      s.client.dispose();
    }
  };
  const title = 'Convert job "unit" to a Dagger Function (Docker executor, runs on gitlab-org-docker, drops its cache)';
  try {
    const annotated = await ask({
      workspace: { workspaceEdit: { documentChanges: true, changeAnnotationSupport: { groupsOnLabel: true } } },
    });
    assert.deepEqual(
      annotated.actions.map((a) => [a.title, a.isPreferred]),
      [
        [title, true],
        [
          'Convert job "unit" to a Dagger Function (Kubernetes executor, runs on dagger-node, drops its cache)',
          undefined,
        ],
      ],
    );
    const edit = annotated.actions[0].edit;
    assert.deepEqual(edit.changeAnnotations, {
      "pipewright.confirm": {
        label: title,
        needsConfirmation: false,
        description:
          "The job's cache is removed in the YAML: the function's commands run inside Dagger, where GitLab's " +
          "cache folders are not seen. Not mounted, so no longer cached: vendor/* (a glob). The job's runner " +
          "tags change from [gitlab-org] to [gitlab-org-docker]: Docker-in-Docker needs privileged runners.",
      },
    });
    const changes = edit.documentChanges!;
    // every file created and every edit carries the annotation: the editor previews them all
    assert.deepEqual(
      changes
        .filter((c) => c.kind === "create")
        .map((c) => [c.uri!.slice(annotated.uri("").length + 1), c.annotationId]),
      [
        ["dagger.json", "pipewright.confirm"],
        [".dagger/package.json", "pipewright.confirm"],
        [".dagger/tsconfig.json", "pipewright.confirm"],
        [".dagger/.gitignore", "pipewright.confirm"],
        [".dagger/.gitattributes", "pipewright.confirm"],
        [".dagger/src/index.ts", "pipewright.confirm"],
      ],
    );
    const edited = changes.filter((c) => c.textDocument);
    assert.ok(edited.every((c) => c.edits!.every((e) => e.annotationId === "pipewright.confirm")));
    // .dagger goes into the root file, the job's own file keeps the job
    const root = edited.find((c) => c.textDocument!.uri === annotated.uri(".gitlab-ci.yml"))!;
    assert.match(root.edits![0].newText, /^\n\.dagger:\n/);
    const job = edited.find((c) => c.textDocument!.uri === annotated.uri("ci/jobs.yml"))!;
    assert.deepEqual(
      job.edits!.map((e) => e.newText),
      // the cache's lines become the new extends
      ["  extends: .dagger\n", "  script:\n    - dagger call unit --source=. stdout\n"],
    );

    // a client without them gets the same changes, not annotated
    const plain = await ask({ workspace: { workspaceEdit: { documentChanges: true } } });
    assert.equal(plain.actions[0].title, title);
    assert.equal(plain.actions[0].edit.changeAnnotations, undefined);
    assert.deepEqual(
      plain.actions[0].edit.documentChanges!.map((c) =>
        c.kind ? c.annotationId : c.edits!.map((e) => e.annotationId ?? "none").join(),
      ),
      changes.map((c) => (c.kind ? undefined : c.edits!.map(() => "none").join())),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
