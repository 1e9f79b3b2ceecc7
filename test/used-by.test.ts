import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";
import { createConnection } from "vscode-languageserver/node";
import { MemoryHost } from "../server/src/engine/memory-host";
import { usages } from "../server/src/features/used-by";
import { startServer } from "../server/src/server";
import { Workspace } from "../server/src/workspace/workspace";
import { y } from "./helpers";

// The CodeLens above each template and rule set: the jobs that end up using it, through extends chains
// and !reference at any depth, each job once, the templates in between not counted.

const FILES = {
  ".gitlab-ci.yml": y(
    "include:",
    "  - local: ci/templates.yml",
    "  - local: ci/rules.yml",
    "workflow:",
    "  rules: !reference [.rules:workflow, rules]",
    "default:",
    "  before_script: !reference [.setup, script]",
    "build:",
    "  extends: .compile",
    "  before_script: !reference [.setup, script]",
    "  script: [make]",
    "unit:",
    "  extends: .test-base",
    "  script: [make test]",
    "lint:",
    "  extends: [.test-base]",
    "  rules: !reference [.rules:mr, rules]",
    "  script: [make lint]",
    "nightly:",
    "  rules: !reference [.rules:all, rules]",
    "  script: [make nightly]",
    "deploy:",
    "  extends: .compile",
    "  stage: deploy",
    "  trigger:",
    "    project: group/deploy",
  ),
  "ci/templates.yml": y(
    ".base:",
    "  image: ruby:3.3",
    ".compile:",
    "  extends: .base",
    "  stage: build",
    ".test-base:",
    "  extends: .compile",
    "  stage: test",
    "  rules: !reference [.rules:default, rules]",
    ".unused:",
    "  image: alpine",
    ".orphan:",
    "  extends: .unused",
    ".setup:",
    "  script: [echo setup]",
    ".vars: &vars",
    "  A: 1",
    ".cycle-a:",
    "  extends: .cycle-b",
    ".cycle-b:",
    "  extends: .cycle-a",
  ),
  "ci/rules.yml": y(
    ".rules:mr:",
    "  rules:",
    "    - if: $CI_MERGE_REQUEST_IID",
    ".rules:default:",
    "  rules:",
    "    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH",
    ".rules:all:",
    "  rules:",
    "    - !reference [.rules:mr, rules]",
    "    - !reference [.rules:default, rules]",
    ".rules:workflow:",
    "  rules:",
    "    - if: $CI_PIPELINE_SOURCE == 'push'",
  ),
};

/** `line name: title ← file:line of each user`, as the lenses of a file say it. */
function lenses(ws: Workspace, file: string): string[] {
  return ws.usedBy(file).map((u) => {
    const users = ws.usedByUsers(file, u.name).map((l) => `${l.file}:${l.range.start.line}`);
    return `${u.range.start.line} ${u.name}: ${u.title} ← ${users.join(" ")}`;
  });
}

test("templates: every job of an extends chain counts, the templates in between do not", () => {
  const ws = new Workspace({ files: new MemoryHost(FILES) });
  assert.deepEqual(lenses(ws, "ci/templates.yml"), [
    // build, unit, lint, deploy (a trigger job): .compile and .test-base in between are not counted
    "0 .base: used by 4 jobs ← .gitlab-ci.yml:7 .gitlab-ci.yml:11 .gitlab-ci.yml:14 .gitlab-ci.yml:21",
    "2 .compile: used by 4 jobs ← .gitlab-ci.yml:7 .gitlab-ci.yml:11 .gitlab-ci.yml:14 .gitlab-ci.yml:21",
    "5 .test-base: used by 2 jobs ← .gitlab-ci.yml:11 .gitlab-ci.yml:14",
    // extended by a template no job uses
    "9 .unused: used by no job ← ",
    // referenced by a job and by default:
    "13 .setup: used by 1 job and default ← .gitlab-ci.yml:7 .gitlab-ci.yml:5",
    // a cycle ends (the engine reports it); neither is used by a job
    "17 .cycle-a: used by no job ← ",
    "19 .cycle-b: used by no job ← ",
  ]);
  // .orphan and .vars are neither extended nor referenced: no lens
});

test("rule sets: through !reference in jobs, in templates and in other rule sets; workflow named", () => {
  const ws = new Workspace({ files: new MemoryHost(FILES) });
  assert.deepEqual(lenses(ws, "ci/rules.yml"), [
    // lint directly, nightly through .rules:all
    "0 .rules:mr: used by 2 jobs ← .gitlab-ci.yml:14 .gitlab-ci.yml:18",
    // unit and lint through .test-base, nightly through .rules:all
    "3 .rules:default: used by 3 jobs ← .gitlab-ci.yml:11 .gitlab-ci.yml:14 .gitlab-ci.yml:18",
    "6 .rules:all: used by 1 job ← .gitlab-ci.yml:18",
    "10 .rules:workflow: used by workflow ← .gitlab-ci.yml:3",
  ]);
  assert.deepEqual(lenses(ws, ".gitlab-ci.yml"), [], "no hidden key there");
});

test("the usages are computed once per model, and again for a new analysis", () => {
  const ws = new Workspace({ files: new MemoryHost(FILES) });
  const model = ws.analyze().models[0];
  assert.equal(usages(model), usages(model));
  assert.deepEqual(
    usages(model)
      .get(".test-base")
      ?.jobs.map((j) => j.name),
    ["unit", "lint"],
  );
  ws.setDocument("ci/extra.yml", y("e2e:", "  extends: .test-base", "  script: [x]"));
  ws.setDocument(
    ".gitlab-ci.yml",
    FILES[".gitlab-ci.yml"].replace("include:\n", "include:\n  - local: ci/extra.yml\n"),
  );
  const next = ws.analyze().models[0];
  assert.notEqual(next, model);
  assert.deepEqual(
    usages(next)
      .get(".test-base")
      ?.jobs.map((j) => j.name),
    ["e2e", "unit", "lint"],
  );
  assert.equal(ws.usedBy("ci/templates.yml")[2].title, "used by 3 jobs");
});

test("over the protocol: the lens's command carries the arguments of editor.action.showReferences", async () => {
  process.env.PIPEWRIGHT_CACHE_DIR = "off";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-used-by-"));
  for (const [file, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  startServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)));
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  let published: () => void = () => {};
  const analysed = new Promise<void>((resolve) => (published = resolve));
  client.onNotification("textDocument/publishDiagnostics", () => published());
  client.listen();
  const uri = (rel: string) => pathToFileURL(path.join(dir, rel)).href;
  try {
    await client.sendRequest("initialize", { processId: null, rootUri: pathToFileURL(dir).href, capabilities: {} });
    client.sendNotification("initialized", {});
    await analysed;
    const lenses = await client.sendRequest<
      Array<{ range: unknown; command: { title: string; command: string; arguments: unknown[] } }>
    >("textDocument/codeLens", { textDocument: { uri: uri("ci/rules.yml") } });
    assert.deepEqual(
      lenses.map((l) => l.command.title),
      ["used by 2 jobs", "used by 3 jobs", "used by 1 job", "used by workflow"],
    );
    const job = (line: number, name: string) => ({
      uri: uri(".gitlab-ci.yml"),
      range: { start: { line, character: 0 }, end: { line, character: name.length } },
    });
    assert.deepEqual(lenses[0], {
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 9 } },
      command: {
        title: "used by 2 jobs",
        command: "pipewright.showUsedBy",
        arguments: [uri("ci/rules.yml"), { line: 0, character: 0 }, ".rules:mr"],
      },
    });
    // a click asks for the users: the lenses themselves carry no locations
    assert.deepEqual(await client.sendRequest("pipewright/usedBy", { uri: uri("ci/rules.yml"), name: ".rules:mr" }), [
      job(14, "lint"),
      job(18, "nightly"),
    ]);
  } finally {
    await client.sendRequest("shutdown").catch(() => undefined);
    client.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
