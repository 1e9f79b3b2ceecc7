import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { LspClient } from "./lsp-client";

// The real server, started over stdio and spoken to in JSON-RPC, on a copy of a multi-file config.

interface PublishParams {
  uri: string;
  diagnostics: Array<{
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    code: string;
    message: string;
    data?: unknown;
    codeDescription?: { href: string };
  }>;
}

const fixture = path.resolve(__dirname, "..", "..", "test", "fixtures", "lsp");
let dir: string;
let client: LspClient;
let firstDiagnostics: PublishParams | undefined;
const JOBS = ".gitlab/ci/jobs.gitlab-ci.yml";
const RULES = ".gitlab/ci/rules.gitlab-ci.yml";

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-lsp-"));
  fs.cpSync(fixture, dir, { recursive: true });
  client = new LspClient(dir);
  await client.start();
});

after(async () => {
  await client.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("diagnostics arrive for an included file that is not even open, at the right place", async () => {
  const d = await client.waitFor<PublishParams>(
    "textDocument/publishDiagnostics",
    (p) => p.uri === client.uri(JOBS) && p.diagnostics.length > 0,
  );
  firstDiagnostics = d;
  assert.deepEqual(
    d.diagnostics.map((x) => [x.range.start.line, x.range.start.character, x.range.end.character, x.code, x.message]),
    [[3, 2, 9, "schema-unknown-keyword", 'unknown keyword "scripts" in job "compile" — did you mean "script"?']],
  );
});

test("hover on a rule set used through !reference shows its rules, where it is and its comment", async () => {
  const h = await client.request<{ contents: { value: string } }>("textDocument/hover", {
    textDocument: { uri: client.uri(JOBS) },
    position: { line: 7, character: 25 },
  });
  assert.equal(
    h.contents.value,
    `**rule set** \`.rules:test\` — defined in [\`.gitlab/ci/rules.gitlab-ci.yml:2\`](${client.uri(RULES)}#L2)\n\n` +
      "Runs on merge requests and on the default branch.\n\nreferenced by 1 job: `unit`\n\n```yaml\nrules:\n " +
      " - if: $CI_MERGE_REQUEST_IID\n  - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n```",
  );
});

test("hover on a keyword explains it from the schema", async () => {
  const h = await client.request<{ contents: { value: string } }>("textDocument/hover", {
    textDocument: { uri: client.uri(JOBS) },
    position: { line: 2, character: 4 },
  });
  assert.match(
    h.contents.value,
    /^\*\*stage\*\* — .+\n\n\[GitLab documentation\]\(https:\/\/docs\.gitlab\.com\/ci\/yaml\/#stage\)$/,
  );
});

test("go to definition of an extends parent lands in the other file", async () => {
  const locs = await client.request<Array<{ uri: string; range: { start: { line: number; character: number } } }>>(
    "textDocument/definition",
    { textDocument: { uri: client.uri(JOBS) }, position: { line: 1, character: 12 } },
  );
  assert.deepEqual(
    locs.map((l) => [l.uri, l.range.start.line, l.range.start.character]),
    [[client.uri(RULES), 6, 0]],
  );
});

test("the quick fix offered with the published diagnostic replaces exactly the misspelt keyword", async () => {
  const diag = firstDiagnostics!.diagnostics.find((x) => x.code === "schema-unknown-keyword")!;
  const actions = await client.request<
    Array<{ title: string; edit: { changes: Record<string, Array<{ range: unknown; newText: string }>> } }>
  >("textDocument/codeAction", {
    textDocument: { uri: client.uri(JOBS) },
    range: diag.range,
    context: { diagnostics: [diag] },
  });
  assert.deepEqual(
    actions.map((a) => [a.title, a.edit.changes[client.uri(JOBS)]]),
    [
      [
        'Change to "script"',
        [{ range: { start: { line: 3, character: 2 }, end: { line: 3, character: 9 } }, newText: "script" }],
      ],
    ],
  );
});

test(
  "an edit in an included buffer updates the diagnostics of the files that " + "use it, and fixing it clears them",
  async () => {
    const text = fs.readFileSync(path.join(dir, RULES), "utf8");
    client.notify("textDocument/didOpen", {
      textDocument: { uri: client.uri(RULES), languageId: "gitlab-ci", version: 1, text },
    });
    client.notify("textDocument/didChange", {
      textDocument: { uri: client.uri(RULES), version: 2 },
      contentChanges: [{ text: text.replace(".rules:test:", ".rules:tests:") }],
    });
    const broken = await client.waitFor<PublishParams>(
      "textDocument/publishDiagnostics",
      (p) => p.uri === client.uri(JOBS) && p.diagnostics.some((x) => x.code === "reference-not-found"),
    );
    assert.deepEqual(
      broken.diagnostics.filter((x) => x.code === "reference-not-found").map((x) => [x.range.start.line, x.message]),
      [[7, '!reference [".rules:test", "rules"] could not be found']],
    );
    client.notify("textDocument/didChange", {
      textDocument: { uri: client.uri(RULES), version: 3 },
      contentChanges: [{ text }],
    });
    const fixed = await client.waitFor<PublishParams>(
      "textDocument/publishDiagnostics",
      (p) => p.uri === client.uri(JOBS) && !p.diagnostics.some((x) => x.code === "reference-not-found"),
    );
    assert.equal(fixed.diagnostics.length, 1);
  },
);

test("completion while typing offers templates after extends:, from the last analysis", async () => {
  const text = fs.readFileSync(path.join(dir, JOBS), "utf8") + "\nlint:\n  extends: ";
  client.notify("textDocument/didOpen", {
    textDocument: { uri: client.uri(JOBS), languageId: "gitlab-ci", version: 1, text },
  });
  type Item = { label: string; sortText: string; textEdit?: { newText: string; range: unknown } };
  const list = await client.request<{ isIncomplete: boolean; items: Item[] }>("textDocument/completion", {
    textDocument: { uri: client.uri(JOBS) },
    position: { line: 11, character: 11 },
  });
  const items = list.items.sort((a, b) => a.sortText.localeCompare(b.sortText));
  assert.deepEqual(items.map((i) => i.label).slice(0, 2), [".base", ".rules:test"]);
  // this client takes no shared edit range: each item says what it replaces
  assert.deepEqual(items[0].textEdit, {
    range: { start: { line: 11, character: 11 }, end: { line: 11, character: 11 } },
    newText: ".base",
  });
});

test("rename of a template is one workspace edit over every file", async () => {
  const edit = await client.request<{
    changes: Record<string, Array<{ range: { start: { line: number; character: number } }; newText: string }>>;
  }>("textDocument/rename", {
    textDocument: { uri: client.uri(RULES) },
    position: { line: 6, character: 2 },
    newName: ".ruby",
  });
  assert.deepEqual(
    Object.entries(edit.changes)
      .map(([uri, edits]) => [uri, edits.map((e) => [e.range.start.line, e.range.start.character, e.newText])])
      .sort(),
    [
      [
        client.uri(JOBS),
        [
          [1, 11, ".ruby"],
          [6, 11, ".ruby"],
        ],
      ],
      [client.uri(RULES), [[6, 0, ".ruby"]]],
    ].sort(),
  );
});

test(
  "a lint finding links to its rule page, and the user's pipewright.rules " + "turn an off-by-default rule on",
  async () => {
    const main = ".gitlab-ci.yml";
    const text = fs.readFileSync(path.join(dir, main), "utf8");
    const withAnchor =
      `${text}\n.common: &common\n  script: [make]\nbuild:\n  <<: *common\n  ` + `rules:\n    - if: $FORCE_GITLAB_CI\n`;
    client.notify("textDocument/didOpen", {
      textDocument: { uri: client.uri(main), languageId: "gitlab-ci", version: 1, text: withAnchor },
    });
    const d = await client.waitFor<PublishParams>(
      "textDocument/publishDiagnostics",
      (p) => p.uri === client.uri(main) && p.diagnostics.some((x) => x.code === "force-gitlab-ci"),
    );
    const force = d.diagnostics.find((x) => x.code === "force-gitlab-ci")!;
    assert.match(force.codeDescription!.href, /^file:\/\/.*\/docs\/rules\/force-gitlab-ci\.md$/);
    assert.ok(fs.existsSync(new URL(force.codeDescription!.href)));
    assert.ok(!d.diagnostics.some((x) => x.code === "anchor-instead-of-extends"), "off by default");
    client.notify("workspace/didChangeConfiguration", {
      settings: { pipewright: { rules: { "anchor-instead-of-extends": "warning", "force-gitlab-ci": "off" } } },
    });
    const on = await client.waitFor<PublishParams>(
      "textDocument/publishDiagnostics",
      (p) => p.uri === client.uri(main) && p.diagnostics.some((x) => x.code === "anchor-instead-of-extends"),
    );
    assert.deepEqual(on.diagnostics.map((x) => x.code).sort(), ["anchor-instead-of-extends"]);
    client.notify("textDocument/didClose", { textDocument: { uri: client.uri(main) } });
  },
);

test("an engine finding links to its code's row of docs/diagnostics.md, by the code's anchor", async () => {
  const main = ".gitlab-ci.yml";
  const text = fs.readFileSync(path.join(dir, main), "utf8");
  client.notify("textDocument/didOpen", {
    textDocument: {
      uri: client.uri(main),
      languageId: "gitlab-ci",
      version: 1,
      text: `${text}\nlost:\n  extends: .nowhere\n  script: [x]\n`,
    },
  });
  const d = await client.waitFor<PublishParams>(
    "textDocument/publishDiagnostics",
    (p) => p.uri === client.uri(main) && p.diagnostics.some((x) => x.code === "extends-unknown-parent"),
  );
  const href = d.diagnostics.find((x) => x.code === "extends-unknown-parent")!.codeDescription!.href;
  assert.match(href, /^file:\/\/.*\/docs\/diagnostics\.md#extends-unknown-parent$/);
  const page = new URL(href);
  page.hash = "";
  assert.ok(fs.readFileSync(page, "utf8").includes('<a id="extends-unknown-parent"></a>'));
  client.notify("textDocument/didClose", { textDocument: { uri: client.uri(main) } });
});

test(
  "code actions on a job offer the Dagger conversion as one workspace edit " +
    "that creates the module and rewrites the job",
  async () => {
    type Change = {
      kind?: string;
      uri?: string;
      textDocument?: { uri: string };
      edits?: Array<{ range: { start: { line: number } }; newText: string }>;
    };
    const actions = await client.request<Array<{ title: string; kind: string; edit: { documentChanges: Change[] } }>>(
      "textDocument/codeAction",
      {
        textDocument: { uri: client.uri(JOBS) },
        range: { start: { line: 5, character: 1 }, end: { line: 5, character: 1 } },
        context: { diagnostics: [] },
      },
    );
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind]),
      [
        ['Convert job "unit" to a Dagger Function (Docker executor)', "refactor.rewrite"],
        ['Convert job "unit" to a Dagger Function (Kubernetes executor, runs on dagger-node)', "refactor.rewrite"],
      ],
    );
    const changes = actions[0].edit.documentChanges;
    assert.deepEqual(
      changes.filter((c) => c.kind === "create").map((c) => c.uri!.slice(client.uri("").length + 1)),
      [
        "dagger.json",
        ".dagger/package.json",
        ".dagger/tsconfig.json",
        ".dagger/.gitignore",
        ".dagger/.gitattributes",
        ".dagger/src/index.ts",
      ],
    );
    const jobEdit = changes.find((c) => c.textDocument?.uri === client.uri(JOBS))!;
    assert.deepEqual(
      jobEdit.edits!.map((e) => e.newText).filter((t) => t.includes("dagger call")),
      ["  script:\n    - dagger call unit --source=. stdout\n"],
    );
    const source = changes.find((c) => c.textDocument?.uri === client.uri(".dagger/src/index.ts"))!;
    assert.match(
      source.edits![0].newText,
      /^ {2}unit\(@argument\(\{ defaultPath: "\/" \}\) source: Directory\): Container \{$/m,
    );
  },
);

test("with nothing changing the server is idle: no analysis runs again (outside git too)", async () => {
  await new Promise((r) => setTimeout(r, 400));
  const before = client.received("pipewright/analysisStarted").length;
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(client.received("pipewright/analysisStarted").length, before);
});
