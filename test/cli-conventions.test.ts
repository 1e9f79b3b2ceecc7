import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test, type TestContext } from "node:test";
import Ajv from "ajv";
import { version } from "../package.json";
import { unifiedDiff } from "../server/src/cli/diff";
import { applyEdits } from "../server/src/cli/fix";
import { findingText, wantsColor } from "../server/src/cli/text";
import { CODES } from "../server/src/engine/codes";
import { RULES } from "../server/src/lint/registry";
import type { PositionedDiagnostic } from "../server/src/workspace/diagnostics";
import { MR_EVENTS, PIPELINE_SOURCES } from "../server/src/workspace/scenario";
import { RULE_OPTIONS, SETTING_KEYS } from "../server/src/workspace/settings";
import { y } from "./helpers";

// The CLI as eslint, yamllint and actionlint users expect it: --version, --help per command,
// --flag=value, --quiet, --max-warnings, --rule, files and several folders in one run, the project
// found from a subfolder, --fix and --fix-dry-run, suppression comments, a validated .pipewright.yml
// with its JSON schema, colour and terminal output, and a reader that closes the pipe early.

const root = path.resolve(__dirname, "..", "..");
const cli = path.join(root, "dist", "cli.js");
const ESC = "\x1b";
const env = { ...process.env, NO_COLOR: "", FORCE_COLOR: "" };
const run = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8", env });
const here = (...args: string[]) => run(root, ...args);

function project(t: TestContext, files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pw-conv-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

test("--version prints the version; --help, -h and help COMMAND print that command's usage", () => {
  assert.equal(here("--version").stdout, `${version}\n`);
  assert.equal(here("check", "--version").stdout, `${version}\n`);
  const help = here("check", "--help");
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^usage:\n {2}pipewright check \[DIR\|FILE\]\.\.\./);
  assert.match(help.stdout, /--max-warnings N/);
  assert.doesNotMatch(help.stdout, /pipewright merged/);
  assert.equal(here("help", "check").stdout, help.stdout);
  assert.match(here("merged", "-h").stdout, /^usage:\n {2}pipewright merged /);
  assert.match(here("pipeline", "--help").stdout, /--mr-event/);
  const all = here("--help").stdout;
  for (const c of ["check", "fetch", "merged", "pipeline", "test"]) assert.match(all, new RegExp(`pipewright ${c} `));
  // a usage error shows the command's usage, not every command's
  const wrong = here("check", "--nope");
  assert.equal(wrong.status, 2);
  assert.match(wrong.stderr, /^pipewright: unknown option --nope\n\nusage:\n {2}pipewright check /);
  assert.doesNotMatch(wrong.stderr, /pipewright merged/);
});

test("--flag=value works for every flag that takes a value; a flag without one says so", () => {
  const a = here("check", "test/fixtures/broken", "--format=json", "--root=.gitlab-ci.yml");
  const b = here("check", "test/fixtures/broken", "--format", "json", "--root", ".gitlab-ci.yml");
  assert.equal(a.stdout, b.stdout);
  assert.equal(a.status, 1);
  const bad = here("check", "test/fixtures/broken", "--quiet=yes");
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^pipewright: --quiet takes no value\n/);
  assert.equal(here("check", "--max-warnings=many").status, 2);
  assert.equal(here("merged", "--quiet").status, 2, "--quiet is check's");
  assert.equal(here("merged", "test/fixtures/broken", "examples/monorepo").status, 2, "merged takes one folder");
});

test("--quiet reports errors only; --max-warnings N fails past N warnings", (t) => {
  const q = here("check", "test/fixtures/broken", "--quiet");
  assert.equal(q.status, 1);
  assert.equal(
    q.stdout,
    ".gitlab-ci.yml:3:12: error: Local file `ci/missing.yml` does not exist! [include-not-found]\n",
  );
  assert.equal(q.stderr, "2 files, 1 job: 1 error\n");
  const dir = project(t, {
    ".gitlab-ci.yml": y("include: 'ci/*.yml'", "a: {script: [x]}", "b: {script: [y], variables: {FORCE_GITLAB_CI: 1}}"),
  });
  assert.equal(run(dir, "check").status, 0, "warnings alone pass");
  assert.equal(run(dir, "check", "--max-warnings", "2").status, 0);
  const over = run(dir, "check", "--max-warnings", "1", "--format", "json");
  assert.equal(over.status, 1);
  assert.equal(over.stderr, "pipewright: 2 warnings, more than --max-warnings 1 allows\n");
  assert.equal(
    run(dir, "check", "--max-warnings", "0", "--quiet").status,
    1,
    "--quiet hides warnings, they still count",
  );
});

test("--rule CODE=SEVERITY overrides .pipewright.yml; an unknown code or level is a usage error", () => {
  const lowered = here("check", "test/fixtures/broken", "--rule", "include-not-found=warning", "--format", "json");
  assert.equal(lowered.status, 0);
  assert.equal(
    (JSON.parse(lowered.stdout) as PositionedDiagnostic[]).find((d) => d.code === "include-not-found")?.severity,
    "warning",
  );
  // the fixture's .pipewright.yml sets include-no-match to error and hides schema-unknown-keyword
  const over = here(
    "check",
    "test/fixtures/severity",
    "--rule=include-no-match=off",
    "--rule",
    "schema-unknown-keyword=error",
  );
  assert.equal(
    over.stdout,
    ".gitlab-ci.yml:4:3: error: jobs:j config contains unknown keys: imagee. " +
      'unknown keyword "imagee" in job "j" — did you mean "image"? [schema-unknown-keyword]\n',
  );
  assert.equal(here("check", "--rule", "include-no-match=loud").status, 2);
  assert.equal(here("check", "--rule", "no-such-code=off").status, 2);
  assert.equal(here("check", "--rule", "include-no-match").status, 2);
});

test("a FILE is the root, in the project around it; several folders and files are checked in one run", () => {
  const file = here("check", "test/fixtures/broken/ci/templates.yml");
  assert.equal(file.status, 1);
  assert.equal(
    file.stdout,
    "test/fixtures/broken/ci/templates.yml:1:1: error: jobs config should contain at least one visible job " +
      "[config-no-visible-job]\n" +
      "test/fixtures/broken/ci/templates.yml:3:12: error: .compile: unknown keys in `extends` (.toolchain) " +
      "[extends-unknown-parent]\n",
  );
  const two = here("check", "test/fixtures/broken", "test/fixtures/severity");
  assert.equal(two.status, 1);
  assert.deepEqual(
    two.stdout.split("\n").map((l) => l.split(": ")[0]),
    [
      "test/fixtures/broken/.gitlab-ci.yml:3:12",
      "test/fixtures/broken/.gitlab-ci.yml:4:5",
      "test/fixtures/broken/.gitlab-ci.yml:10:7",
      "test/fixtures/broken/ci/templates.yml:3:12",
      "test/fixtures/severity/.gitlab-ci.yml:1:10",
      "",
    ],
  );
  assert.equal(two.stderr, "2 projects, 3 files, 2 jobs: 2 errors, 2 warnings, 1 note\n");
  const json = JSON.parse(here("check", "test/fixtures/broken", "test/fixtures/severity", "--format", "json").stdout);
  assert.deepEqual(
    [...new Set(json.map((d: { file: string }) => d.file))],
    [
      "test/fixtures/broken/.gitlab-ci.yml",
      "test/fixtures/broken/ci/templates.yml",
      "test/fixtures/severity/.gitlab-ci.yml",
    ],
  );
  // a folder and a file of the same project are one project: the file's findings once
  const same = here("check", "test/fixtures/broken", "test/fixtures/broken/ci/templates.yml", "--format", "json");
  const keys = JSON.parse(same.stdout).map(
    (d: { file: string; code: string; message: string }) => `${d.file} ${d.code} ${d.message}`,
  );
  assert.equal(new Set(keys).size, keys.length);
  assert.ok(
    keys.some((k: string) => k.startsWith(".gitlab-ci.yml include-not-found")) &&
      keys.some((k: string) => k.startsWith("ci/templates.yml config-no-visible-job")),
  );
  assert.equal(here("check", "no/such/thing").status, 2);
});

test("from a subfolder, the project is found upward (no higher than the git root); paths are from the cwd", (t) => {
  const dir = project(t, {
    ".gitlab-ci.yml": y("include: 'ci/*.yml'", "a: {script: [x]}"),
    "src/deep/file.txt": "x",
    "repo/.git/HEAD": "ref: refs/heads/main\n",
    "repo/src/file.txt": "x",
  });
  const deep = run(path.join(dir, "src", "deep"), "check");
  assert.equal(deep.status, 0);
  assert.equal(
    deep.stdout,
    "../../.gitlab-ci.yml:1:10: warning: no file matches `ci/*.yml`: GitLab includes nothing here [include-no-match]\n",
  );
  assert.equal(run(path.join(dir, "src"), "check", "deep").stdout, deep.stdout.replace("../../", "../"));
  // inside another git repository, the search stops at its root
  const inner = run(path.join(dir, "repo", "src"), "check");
  assert.equal(inner.status, 2);
  assert.match(inner.stderr, /^pipewright: no \.gitlab-ci\.yml in \., and no roots in its \.pipewright\.yml\n/);
  // a .pipewright.yml is a project too
  fs.writeFileSync(path.join(dir, "repo", ".pipewright.yml"), "roots: [ci.yml]\n");
  fs.writeFileSync(path.join(dir, "repo", "ci.yml"), "j: {script: [x]}\n");
  const found = run(path.join(dir, "repo", "src"), "check");
  assert.equal(found.status, 0);
  assert.equal(found.stderr, "1 file, 1 job: 0 errors, 0 warnings, 0 notes\n");
});

test(".pipewright.yml: unknown keys, codes and rule options are settings-invalid at the key", (t) => {
  const dir = project(t, {
    ".gitlab-ci.yml": y("a: {script: [x]}"),
    ".pipewright.yml": y(
      "root: ci.yml",
      "severity:",
      "  include-no-match: error",
      "  no-such-code: off",
      "rules:",
      "  glci-variable-prefix: {mode: all, allows: [X]}",
      "  force-gitlab-ci: {severity: warning, mode: all}",
      "  nope: warning",
    ),
  });
  const r = run(dir, "check", "--format", "json");
  assert.equal(r.status, 0);
  assert.deepEqual(
    (JSON.parse(r.stdout) as PositionedDiagnostic[]).map(
      (d) => `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`,
    ),
    [
      ".pipewright.yml:1:1 settings-invalid unknown setting root — did you mean roots?: ignored",
      ".pipewright.yml:4:3 settings-invalid no-such-code is not a Pipewright diagnostic code " +
        "(they are listed in docs/diagnostics.md): ignored",
      ".pipewright.yml:6:37 settings-invalid rules.glci-variable-prefix has no option allows " +
        "(its options: severity, mode, allow): ignored",
      ".pipewright.yml:7:40 settings-invalid rules.force-gitlab-ci has no option mode (only severity): ignored",
      ".pipewright.yml:8:3 settings-invalid nope is not a Pipewright diagnostic code " +
        "(they are listed in docs/diagnostics.md): ignored",
    ],
  );
});

const schema = JSON.parse(fs.readFileSync(path.join(root, "schemas", "pipewright.schema.json"), "utf8"));

test("schemas/pipewright.schema.json names what settings.ts reads: keys, codes, rules and their options", () => {
  assert.deepEqual(Object.keys(schema.properties).sort(), [...SETTING_KEYS].sort());
  const codes = Object.keys(CODES);
  assert.deepEqual(
    schema.properties.severity.propertyNames.enum,
    codes,
    "the codes of engine/codes.ts, in its order, under severity.propertyNames and rules.propertyNames",
  );
  assert.deepEqual(schema.properties.rules.propertyNames.enum, codes);
  assert.deepEqual(Object.keys(schema.properties.rules.properties).sort(), RULES.map((r) => r.id).sort());
  for (const r of RULES) {
    const options = Object.keys(schema.properties.rules.properties[r.id].anyOf[1].properties);
    assert.deepEqual(options, ["severity", ...(RULE_OPTIONS[r.id] ?? [])], r.id);
  }
  const scenario = schema.definitions.scenario.properties;
  assert.deepEqual(scenario.source.enum, [...PIPELINE_SOURCES]);
  assert.deepEqual(scenario.mrEvent.enum, [...MR_EVENTS]);
});

test("the schema accepts the fixtures' and the docs' settings, and rejects what Pipewright says is wrong", async () => {
  const { parse } = await import("yaml");
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  for (const f of ["pipeline", "severity", "template-repo"]) {
    const value = parse(fs.readFileSync(path.join(root, "test", "fixtures", f, ".pipewright.yml"), "utf8"));
    assert.ok(validate(value), `${f}: ${JSON.stringify(validate.errors)}`);
  }
  const good = {
    ciConfigPath: "ci/main.yml",
    roots: ["templates/a.yml"],
    severity: { "include-no-match": "off" },
    rules: { "glci-variable-prefix": { severity: "error", mode: "all", allow: ["QA_*"] }, "force-gitlab-ci": "hint" },
    analysisBudget: 5,
    project: "group/app",
    defaultBranch: "main",
    remoteIncludes: "cache",
    gitlabUrl: "https://gitlab.example.com",
    includeRefreshMinutes: 0,
    scenarios: { mr: { source: "merge_request_event", branch: "feat", expect: { run: ["a"], when: { a: "manual" } } } },
  };
  assert.ok(validate(good), JSON.stringify(validate.errors));
  for (const bad of [
    { root: "x" },
    { severity: { "no-such-code": "off" } },
    { severity: { "include-no-match": "loud" } },
    { rules: { "force-gitlab-ci": { mode: "all" } } },
    { analysisBudget: 0 },
    { remoteIncludes: "yes" },
    { gitlabUrl: "gitlab.example.com" },
    { scenarios: { s: { branch: "a", tag: "b" } } },
    { scenarios: { s: { sourc: "push" } } },
  ])
    assert.equal(validate(bad), false, JSON.stringify(bad));
});

test("--fix applies the findings' fixes, then reports what remains; --fix-dry-run prints a diff instead", (t) => {
  const text = y(
    "# pipewright-disable-next-line force-gitlab-ci",
    "job:",
    "  scripts: [x]",
    "  tags: [gitlab-org, gitlab-org-docker]",
    "other:",
    "  needs: [nope]",
    "  script: [z]",
  );
  const dir = project(t, { ".gitlab-ci.yml": text });
  const dry = run(dir, "check", "--fix-dry-run");
  assert.equal(dry.status, 1, "an error no fix removes remains");
  assert.equal(
    dry.stdout,
    [
      "--- a/.gitlab-ci.yml",
      "+++ b/.gitlab-ci.yml",
      "@@ -1,7 +1,6 @@",
      "-# pipewright-disable-next-line force-gitlab-ci",
      " job:",
      "-  scripts: [x]",
      "-  tags: [gitlab-org, gitlab-org-docker]",
      "+  script: [x]",
      "+  tags: [gitlab-org]",
      " other:",
      "   needs: [nope]",
      "   script: [z]",
      "",
    ].join("\n"),
  );
  assert.equal(
    dry.stderr,
    "--fix-dry-run: 3 fixes in 1 file would be applied; nothing was written\n" +
      "1 file, 2 jobs: 1 error, 0 warnings, 0 notes\n",
  );
  assert.equal(fs.readFileSync(path.join(dir, ".gitlab-ci.yml"), "utf8"), text);
  const fixed = run(dir, "check", "--fix");
  assert.equal(fixed.status, 1);
  assert.equal(fixed.stdout, ".gitlab-ci.yml:5:11: error: other job: undefined need: nope [needs-unknown]\n");
  assert.equal(fixed.stderr, "fixed: 3 fixes in 1 file\n1 file, 2 jobs: 1 error, 0 warnings, 0 notes\n");
  assert.equal(
    fs.readFileSync(path.join(dir, ".gitlab-ci.yml"), "utf8"),
    y("job:", "  script: [x]", "  tags: [gitlab-org]", "other:", "  needs: [nope]", "  script: [z]"),
  );
  assert.equal(
    run(dir, "check", "--fix").stderr,
    "fixed: 0 fixes in 0 files\n1 file, 2 jobs: 1 error, 0 warnings, 0 notes\n",
  );
  assert.equal(run(dir, "check", "--fix", "--fix-dry-run").status, 2);
});

test("suppression comments work from the command line, and an unused one is a warning with its fix", (t) => {
  const dir = project(t, {
    ".gitlab-ci.yml": y(
      "# pipewright-disable-next-line include-no-match -- the folder is created by a later step",
      "include: 'ci/*.yml'",
      "# pipewright-disable-next-line schema-unknown-keyword",
      "job: {script: [x]}",
    ),
  });
  const r = run(dir, "check");
  assert.equal(r.status, 0);
  assert.equal(
    r.stdout,
    ".gitlab-ci.yml:3:1: warning: `pipewright-disable-next-line` suppresses nothing: no `schema-unknown-keyword` " +
      "finding is reported on the next line [suppression-unused]\n",
  );
  assert.equal(run(dir, "check", "--rule", "suppression-unused=off").stdout, "");
});

test("colour: severity words and places, on a terminal or with --color; NO_COLOR and --no-color say no", () => {
  assert.equal(wantsColor(undefined, true, {}), true);
  assert.equal(wantsColor(undefined, false, {}), false);
  assert.equal(wantsColor(undefined, true, { NO_COLOR: "1" }), false);
  assert.equal(wantsColor(undefined, true, { NO_COLOR: "" }), true, "an empty NO_COLOR is unset (no-color.org)");
  assert.equal(wantsColor(false, true, {}), false);
  assert.equal(wantsColor(true, false, { NO_COLOR: "1" }), true);
  const d: PositionedDiagnostic = {
    file: "ci/a.yml",
    range: { start: { line: 2, character: 4 }, end: { line: 2, character: 9 } },
    severity: "error",
    code: "include-not-found",
    message: "nope",
    related: [
      {
        file: ".gitlab-ci.yml",
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
        message: "here",
      },
    ],
  };
  assert.equal(findingText(d), "ci/a.yml:3:5: error: nope [include-not-found]");
  assert.equal(
    findingText(d, { color: true, related: true, prefix: "../p" }),
    "\x1b[1m../p/ci/a.yml:3:5\x1b[22m: \x1b[31merror\x1b[39m: nope \x1b[2m[include-not-found]\x1b[22m\n" +
      "  \x1b[1m../p/.gitlab-ci.yml:1:1\x1b[22m: \x1b[36mnote\x1b[39m: here",
  );
  const forced = here("check", "test/fixtures/broken", "--color");
  assert.ok(forced.stdout.startsWith(`${ESC}[1m.gitlab-ci.yml:3:12${ESC}[22m: ${ESC}[31merror${ESC}[39m: `));
  assert.ok(!here("check", "test/fixtures/broken").stdout.includes(ESC), "a pipe gets no colour");
});

test("on a terminal: colour, paths from the current folder and related places as notes", (t) => {
  const hasScript = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;
  if (!hasScript) return t.skip("no script(1) to give the CLI a terminal");
  const term = (extra: Record<string, string>, ...args: string[]) =>
    spawnSync("script", ["-qec", [process.execPath, cli, ...args].map((a) => `'${a}'`).join(" "), "/dev/null"], {
      cwd: root,
      encoding: "utf8",
      env: { ...env, ...extra },
    }).stdout.replace(/\r\n/g, "\n");
  const dir = project(t, {
    ".gitlab-ci.yml": y(".base:", "  scripts: [x]", "job:", "  extends: .base", "  script: [y]"),
  });
  const plain = term({ NO_COLOR: "1" }, "check", dir);
  const shown = path.relative(root, dir).split(path.sep).join("/");
  assert.ok(
    plain.startsWith(
      `${shown}/.gitlab-ci.yml:2:3: error: unknown keyword "scripts" in ".base" — did you mean "script"? ` +
        `[schema-unknown-keyword]\n  ${shown}/.gitlab-ci.yml:3:1: note: used by job "job"\n`,
    ),
    plain,
  );
  assert.ok(term({}, "check", dir).includes(`${ESC}[31merror${ESC}[39m`));
});

test("a reader that closes the pipe early ends the output quietly, with the run's exit status", async () => {
  const closed = (...args: string[]) =>
    new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [cli, ...args], { cwd: root, env });
      child.stdout.destroy();
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      child.on("close", (status) => resolve({ status, stderr }));
    });
  assert.deepEqual(await closed("check", "test/fixtures/broken"), {
    status: 1,
    stderr: "2 files, 1 job: 1 error, 2 warnings, 1 note\n",
  });
  assert.deepEqual(await closed("merged", "examples/monorepo"), { status: 0, stderr: "" });
  assert.deepEqual(await closed("--help"), { status: 0, stderr: "" });
});

test("the unified diff: hunks with three lines of context, empty sides, a last line without a line break", () => {
  const lines = (n: number) => Array.from({ length: n }, (_, i) => `l${i + 1}`);
  const before = y(...lines(20));
  const after = y(...lines(20).map((l) => (l === "l2" ? "L2" : l === "l18" ? "L18" : l)), "l21");
  assert.equal(
    unifiedDiff(before, after, "a/f", "b/f"),
    [
      "--- a/f",
      "+++ b/f",
      "@@ -1,5 +1,5 @@",
      " l1",
      "-l2",
      "+L2",
      " l3",
      " l4",
      " l5",
      "@@ -15,6 +15,7 @@",
      " l15",
      " l16",
      " l17",
      "-l18",
      "+L18",
      " l19",
      " l20",
      "+l21",
      "",
    ].join("\n"),
  );
  assert.equal(unifiedDiff("a\n", "a\n", "x", "y"), "");
  assert.equal(unifiedDiff("", "a\n", "x", "y"), "--- x\n+++ y\n@@ -0,0 +1,1 @@\n+a\n");
  assert.equal(
    unifiedDiff("a\nb", "a\nb\n", "x", "y"),
    "--- x\n+++ y\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n",
  );
  assert.equal(
    applyEdits("abc\ndef\n", [
      { file: "f", range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } }, newText: "D" },
      { file: "f", range: { start: { line: 0, character: 3 }, end: { line: 0, character: 3 } }, newText: "!" },
    ]),
    "abc!\nDef\n",
  );
});
