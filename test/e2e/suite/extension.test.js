// Extension tests inside the extension host, on a copy of test/e2e/workspace.
const assert = require("assert");
const vscode = require("vscode");

const root = () => vscode.workspace.workspaceFolders[0].uri;
const file = (rel) => vscode.Uri.joinPath(root(), rel);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, fn, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
const merged = (uri) => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());

suite("Pipewright extension", () => {
  suiteSetup(async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file(".gitlab-ci.yml")));
    await until(
      "the extension to activate",
      () => vscode.extensions.all.find((e) => e.id === "pipewright.pipewright")?.isActive,
    );
  });

  test("CI files get the gitlab-ci language, other YAML stays yaml", async () => {
    const lang = async (rel) => (await vscode.workspace.openTextDocument(file(rel))).languageId;
    assert.strictEqual(await lang(".gitlab-ci.yml"), "gitlab-ci");
    assert.strictEqual(await lang(".gitlab/ci/jobs.gitlab-ci.yml"), "gitlab-ci");
    assert.strictEqual(await lang("config/app.yml"), "yaml");
  });

  test("pipewright.filePatterns makes matching YAML files gitlab-ci", async () => {
    const uri = file("templates/deploy.yml");
    await vscode.workspace.openTextDocument(uri);
    await until(
      "templates/deploy.yml to become gitlab-ci",
      () =>
        vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && d.languageId === "gitlab-ci"),
      10000,
    );
  });

  test("diagnostics of an included file that was never opened", async () => {
    const uri = file(".gitlab/ci/jobs.gitlab-ci.yml");
    const d = await until("diagnostics for jobs.gitlab-ci.yml", () =>
      vscode.languages.getDiagnostics(uri).find((x) => /unknown keyword "scripts" in job "rspec"/.test(x.message)),
    );
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(d.range.start.line, 4);
    assert.strictEqual(d.range.start.character, 2);
    assert.deepStrictEqual(vscode.languages.getDiagnostics(file(".gitlab-ci.yml")), []);
  });

  test("Show merged configuration: a read-only YAML document with the jobs resolved", async () => {
    const uri = await vscode.commands.executeCommand("pipewright.showMergedConfiguration");
    assert.strictEqual(uri.scheme, "pipewright-merged");
    const doc = await until("the merged document", () => merged(uri));
    assert.strictEqual(doc.languageId, "yaml");
    const text = doc.getText();
    // a key line may end with where it is written
    assert.match(text, /^compile:( +# .*)?$/m);
    assert.match(text, /^rspec:( +# .*)?$/m);
    assert.match(text, /bundle exec rake compile/);
    assert.match(text, /CI_MERGE_REQUEST_IID/, "!reference [.rules:default-branch, rules] resolved");
  });

  test("Show merged job: extends and !reference applied", async () => {
    const uri = await vscode.commands.executeCommand("pipewright.showMergedJob", "compile");
    const text = (await until("the merged job", () => merged(uri))).getText();
    assert.match(text, /image: ruby:/, "image from .ruby through extends");
    assert.match(text, /bundle install/, "before_script from .ruby");
    assert.match(text, /CI_COMMIT_BRANCH == \$CI_DEFAULT_BRANCH/, "rules through !reference");
    assert.doesNotMatch(text, /^rspec:/m);
  });

  test("in a merged job, go to definition leads where the value is written", async () => {
    const uri = await vscode.commands.executeCommand("pipewright.showMergedJob", "compile");
    const doc = await until("the merged job", () => merged(uri));
    const at = doc
      .getText()
      .split("\n")
      .findIndex((l) => l.includes("bundle install"));
    assert.ok(at >= 0, doc.getText());
    const [loc] = await vscode.commands.executeCommand(
      "vscode.executeDefinitionProvider",
      uri,
      new vscode.Position(at, 6),
    );
    assert.ok(loc, "a definition for the line");
    const target = await vscode.workspace.openTextDocument(loc.uri);
    assert.match(target.lineAt(loc.range.start.line).text, /bundle install/);
  });

  test("the merged view is refreshed after an edit", async () => {
    const uri = await vscode.commands.executeCommand("pipewright.showMergedJob", "compile");
    const doc = await until("the merged job", () => merged(uri));
    assert.match(doc.getText(), /bundle exec rake compile/);
    const src = await vscode.workspace.openTextDocument(file(".gitlab-ci.yml"));
    const line = src
      .getText()
      .split("\n")
      .findIndex((l) => l.includes("bundle exec rake compile"));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(
      src.uri,
      new vscode.Range(line, 0, line, src.lineAt(line).text.length),
      "    - bundle exec rake build",
    );
    assert.ok(await vscode.workspace.applyEdit(edit));
    await until("the merged job to show the edit", () => /bundle exec rake build/.test(doc.getText()));
  });
  test("CodeLens, hover on a rule's if: and the pipeline view, from the server's simulation", async () => {
    // a config with errors makes no pipeline: the misspelt script is fixed in the buffer first
    const jobs = await vscode.workspace.openTextDocument(file(".gitlab/ci/jobs.gitlab-ci.yml"));
    const line = jobs
      .getText()
      .split("\n")
      .findIndex((l) => l === "  scripts:");
    if (line >= 0) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(jobs.uri, new vscode.Range(line, 0, line, 10), "  script:");
      assert.ok(await vscode.workspace.applyEdit(edit));
    }
    const lenses = await until("the CodeLens of rspec", async () => {
      const ls = await vscode.commands.executeCommand("vscode.executeCodeLensProvider", jobs.uri, 10);
      return ls?.length && ls[0].command && /main ✓/.test(ls[0].command.title) ? ls : undefined;
    });
    assert.deepStrictEqual(
      lenses.map((l) => [l.range.start.line, l.command.title, l.command.command]),
      [[0, "MR ✓ · main ✓ · tag ✓ manual · schedule ✓", "pipewright.explainJob"]],
    );

    const rules = await vscode.workspace.openTextDocument(file(".gitlab/ci/rules.gitlab-ci.yml"));
    const hovers = await vscode.commands.executeCommand(
      "vscode.executeHoverProvider",
      rules.uri,
      new vscode.Position(3, 12),
    );
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === "string" ? c : c.value))).join("\n");
    assert.match(text, /\| MR \| ✓ true \| `\$CI_MERGE_REQUEST_IID` = "1" \|/);
    assert.match(text, /\| main \| ✗ false \| `\$CI_MERGE_REQUEST_IID` is not set \|/);

    const data = await vscode.commands.executeCommand("pipewright.showPipeline", { scenario: "main" });
    assert.strictEqual(data.title, "push to branch main in group/project");
    assert.deepStrictEqual(
      data.stages.map((s) => [s.name, s.jobs]),
      [
        ["build", ["compile"]],
        ["test", ["rspec", "lint"]],
      ],
    );
    assert.deepStrictEqual(
      data.jobs.map((j) => [j.name, j.when, j.needs]),
      [
        ["compile", "on_success", null],
        ["rspec", "on_success", ["compile"]],
        ["lint", "on_success", null],
      ],
    );
    // typed flags, as pipewright pipeline takes them
    const tag = await vscode.commands.executeCommand("pipewright.showPipeline", { args: "--tag v2.0" });
    assert.deepStrictEqual(
      tag.jobs.map((j) => [j.name, j.when]),
      [
        ["compile", "manual"],
        ["rspec", "manual"],
        ["lint", "on_success"],
      ],
    );
  });
});
