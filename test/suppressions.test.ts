import * as assert from "node:assert/strict";
import { test } from "node:test";
import { MemoryHost } from "../server/src/engine/memory-host";
import type { Diagnostic } from "../server/src/engine/types";
import { applySuppressions, suppressionComments } from "../server/src/workspace/suppressions";
import { Workspace } from "../server/src/workspace/workspace";
import { y } from "./helpers";

// Inline suppression comments (workspace/suppressions.ts): `# pipewright-disable-next-line CODE` and
// `# pipewright-disable-file CODE` silence findings of those codes; one that silences nothing is a
// `suppression-unused` warning at what is unused, with a fix that removes it.

/** A finding of `code` at the start of 0-based `line` of `text`. */
function at(file: string, text: string, line: number, code: Diagnostic["code"]): Diagnostic {
  const start = text.split("\n").slice(0, line).join("\n").length + (line ? 1 : 0);
  return { src: { file, start, end: start + 1 }, severity: "warning", code, message: code };
}

const brief = (ds: readonly Diagnostic[], text: string) =>
  ds.map((d) => `${d.code} ${JSON.stringify(text.slice(d.src.start, d.src.end))}`);

test("comment lines are found with their codes and where each is written; reasons after -- are not codes", () => {
  const text = y(
    "# pipewright-disable-file include-no-match",
    "job:",
    "  # pipewright-disable-next-line schema-unknown-keyword,  force-gitlab-ci -- renamed in 17.0",
    "  scripts: [x]",
    "  variables: {A: 1}  # pipewright-disable-next-line force-gitlab-ci",
  );
  const found = suppressionComments("f.yml", text);
  assert.deepEqual(
    found.map((s) => [s.kind, s.line, s.codes.map((c) => `${c.code}@${text.slice(c.src.start, c.src.end)}`)]),
    [
      ["file", 0, ["include-no-match@include-no-match"]],
      ["next-line", 2, ["schema-unknown-keyword@schema-unknown-keyword", "force-gitlab-ci@force-gitlab-ci"]],
    ],
    "a comment after a value is no suppression",
  );
  assert.equal(text.slice(found[1].src.start, found[1].src.end), text.split("\n")[2].trim(), "the comment itself");
});

test("a # line inside a block scalar is text, not a comment; the block ends where the indentation does", () => {
  const text = y(
    "job:",
    "  script: |",
    "    # pipewright-disable-next-line force-gitlab-ci",
    "",
    "    echo $FORCE_GITLAB_CI",
    "  after_script:",
    "    - >-",
    "      # pipewright-disable-file force-gitlab-ci",
    "  # pipewright-disable-next-line schema-unknown-keyword",
    "  scripts: [x]",
    "key: &a |2",
    "  # pipewright-disable-file x",
    "# pipewright-disable-file y",
  );
  assert.deepEqual(
    suppressionComments("f.yml", text).map((s) => [s.line, s.codes.map((c) => c.code)]),
    [
      [8, ["schema-unknown-keyword"]],
      [12, ["y"]],
    ],
  );
  assert.deepEqual(suppressionComments("f.yml", "job: {script: [x]}\n"), [], "no marker, no scan");
});

test("next-line silences its codes on the next line only; file silences them anywhere in the file", () => {
  const text = y(
    "# pipewright-disable-file include-no-match",
    "job:",
    "  # pipewright-disable-next-line schema-unknown-keyword, force-gitlab-ci",
    "  scripts: [x]",
    "  scripts2: [x]",
  );
  const findings = [
    at("f.yml", text, 3, "schema-unknown-keyword"),
    at("f.yml", text, 3, "force-gitlab-ci"),
    at("f.yml", text, 4, "schema-unknown-keyword"),
    at("f.yml", text, 1, "include-no-match"),
    at("f.yml", text, 4, "include-no-match"),
    at("g.yml", "x\n", 0, "include-no-match"),
  ];
  const kept = applySuppressions(findings, [["f.yml", { text }]]);
  assert.deepEqual(kept, [findings[2], findings[5]], "other lines and other files keep theirs");
});

test("what silences nothing is said at the code, with a fix to remove it; the whole comment if all is unused", () => {
  const text = y(
    "# pipewright-disable-next-line schema-unknown-keyword, nope, force-gitlab-ci",
    "  scripts: [x]",
    "# pipewright-disable-file dependency-proxy",
    "# pipewright-disable-next-line",
    "# pipewright-disable-line force-gitlab-ci",
    "job: {script: [x]}",
  );
  const findings = [at("f.yml", text, 1, "schema-unknown-keyword")];
  const kept = applySuppressions(findings, [["f.yml", { text }]]);
  assert.deepEqual(brief(kept, text), [
    'suppression-unused "nope"',
    'suppression-unused "force-gitlab-ci"',
    'suppression-unused "# pipewright-disable-file dependency-proxy"',
    'suppression-unused "# pipewright-disable-next-line"',
    'suppression-unused "# pipewright-disable-line force-gitlab-ci"',
  ]);
  assert.deepEqual(
    kept.map((d) => d.message),
    [
      "`nope` in this suppression comment suppresses nothing: `nope` is not a Pipewright diagnostic code",
      "`force-gitlab-ci` in this suppression comment suppresses nothing: no `force-gitlab-ci` finding is " +
        "reported on the next line",
      "`pipewright-disable-file` suppresses nothing: no `dependency-proxy` finding is reported in this file",
      "`pipewright-disable-next-line` names no diagnostic code, so it suppresses nothing: add the codes it is " +
        "for, e.g. `# pipewright-disable-next-line include-no-match`",
      "`pipewright-disable-line` is not a suppression comment Pipewright knows (they are " +
        "pipewright-disable-next-line and pipewright-disable-file): it suppresses nothing",
    ],
  );
  // the fixes, applied one at a time: the code with its comma, or the whole line
  const fixed = (i: number) => {
    const e = kept[i].fixes![0].edits[0];
    return text.slice(0, e.src.start) + e.newText + text.slice(e.src.end);
  };
  assert.equal(fixed(0).split("\n")[0], "# pipewright-disable-next-line schema-unknown-keyword, force-gitlab-ci");
  assert.equal(fixed(1).split("\n")[0], "# pipewright-disable-next-line schema-unknown-keyword, nope");
  assert.equal(fixed(2).split("\n")[2], "# pipewright-disable-next-line");
});

test("the first code unused: its fix takes the comma after it", () => {
  const text = y("# pipewright-disable-next-line force-gitlab-ci, schema-unknown-keyword", "  scripts: [x]");
  const [unused] = applySuppressions([at("f.yml", text, 1, "schema-unknown-keyword")], [["f.yml", { text }]]);
  const e = unused.fixes![0].edits[0];
  assert.equal(
    text.slice(0, e.src.start) + text.slice(e.src.end),
    y("# pipewright-disable-next-line schema-unknown-keyword", "  scripts: [x]"),
  );
});

test("disable-file suppression-unused silences the file's unused reports; fetched files are left alone", () => {
  const text = y(
    "# pipewright-disable-file suppression-unused",
    "# pipewright-disable-next-line force-gitlab-ci",
    "a: 1",
  );
  assert.deepEqual(applySuppressions([], [["f.yml", { text }]]), []);
  const external = "//gitlab.com/g/p/-/blob/main/ci.yml";
  const finding = at(external, "# pipewright-disable-file force-gitlab-ci\nx\n", 1, "force-gitlab-ci");
  assert.deepEqual(
    applySuppressions([finding], [[external, { text: "# pipewright-disable-file force-gitlab-ci\nx\n" }]]),
    [finding],
  );
});

test("in the Workspace: suppressed findings are gone, unused suppressions are warnings, severities apply", () => {
  const files = {
    ".gitlab-ci.yml": y(
      "include: 'ci/*.yml'  # no match",
      "job:",
      "  # pipewright-disable-next-line schema-unknown-keyword",
      "  scripts: [x]",
      "  script: [y]",
      "# pipewright-disable-next-line force-gitlab-ci",
      "other: {script: [z]}",
    ),
  };
  const ws = new Workspace({ files: new MemoryHost(files) });
  const brief = () =>
    ws.diagnostics().map((d) => `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`);
  assert.deepEqual(brief(), [".gitlab-ci.yml:1:10 include-no-match", ".gitlab-ci.yml:6:1 suppression-unused"]);
  ws.setDocument(".gitlab-ci.yml", "# pipewright-disable-file include-no-match\n" + files[".gitlab-ci.yml"]);
  assert.deepEqual(brief(), [".gitlab-ci.yml:7:1 suppression-unused"]);
  ws.setUserSettings({ severity: { "suppression-unused": "off" } });
  assert.deepEqual(brief(), []);
});
