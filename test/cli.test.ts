import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import type { Range } from "../server/src/engine/text";

const root = path.resolve(__dirname, "..", "..");
const cli = path.join(root, "dist", "cli.js");
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: "utf8" });

test("check --format json prints exact diagnostics with file, range, severity, code, message; exit 1 on errors", () => {
  const r = run("check", "test/fixtures/broken", "--format", "json");
  assert.equal(r.status, 1);
  assert.deepEqual(JSON.parse(r.stdout), [
    {
      file: ".gitlab-ci.yml",
      range: { start: { line: 2, character: 11 }, end: { line: 2, character: 25 } },
      severity: "error",
      code: "include-not-found",
      docs: "docs/diagnostics.md#include-not-found",
      message: "Local file `ci/missing.yml` does not exist!",
    },
    {
      file: ".gitlab-ci.yml",
      range: { start: { line: 3, character: 4 }, end: { line: 4, character: 29 } },
      severity: "information",
      code: "include-external",
      docs: "docs/diagnostics.md#include-external",
      message:
        "include:project `group/shared-ci` file `/templates/base.yml` cannot be " +
        "read offline: jobs and templates it defines are unknown to this analysis",
    },
    {
      file: ".gitlab-ci.yml",
      range: { start: { line: 9, character: 6 }, end: { line: 9, character: 33 } },
      severity: "warning",
      code: "reference-not-found",
      docs: "docs/diagnostics.md#reference-not-found",
      message:
        '!reference [".setup", "script"] could not be found; `.setup` may be defined ' +
        "in an include that cannot be read offline",
    },
    {
      file: "ci/templates.yml",
      range: { start: { line: 2, character: 11 }, end: { line: 2, character: 21 } },
      severity: "warning",
      code: "extends-unknown-parent",
      docs: "docs/diagnostics.md#extends-unknown-parent",
      message:
        ".compile: unknown keys in `extends` (.toolchain); it may be defined in an include that cannot be read offline",
    },
  ]);
});

test("check prints compiler-style text: file:line:col: severity: message [code]", () => {
  const r = run("check", "test/fixtures/broken");
  assert.equal(r.status, 1);
  assert.equal(
    r.stdout.split("\n")[0],
    ".gitlab-ci.yml:3:12: error: Local file `ci/missing.yml` does not exist! [include-not-found]",
  );
  assert.equal(r.stderr, "2 files, 1 job: 1 error, 2 warnings, 1 note\n");
});

test("check exits 0 on a clean config and 2 on usage errors", () => {
  assert.equal(run("check", "examples/monorepo").status, 0);
  assert.equal(run("check", "examples/monorepo", "--format", "xml").status, 2);
  assert.equal(run("check", "no/such/dir").status, 2);
  assert.equal(run("frobnicate").status, 2);
  assert.equal(run("check", "examples/monorepo", "--root", "nope.yml").status, 2);
});

test("merged --job prints the effective job: extends, !reference, defaults and global variables applied", () => {
  const r = run("merged", "examples/monorepo", "--job", "setup", "--format", "json");
  assert.equal(r.status, 0);
  assert.deepEqual(JSON.parse(r.stdout), {
    stage: "prepare",
    script: ['bundle config set path "$BUNDLE_PATH"', "bundle install --jobs 4", "bin/setup"],
    image: "ruby:3.3",
    tags: ["gitlab-org"],
    interruptible: true,
    variables: { GLCI_RSPEC_RETRIES: "2", BUNDLE_PATH: "vendor/bundle" },
  });
});

test("merged prints the whole configuration without includes, as YAML by default", () => {
  const r = run("merged", "examples/monorepo");
  assert.equal(r.status, 0);
  assert.doesNotMatch(r.stdout, /^include:/m);
  assert.match(r.stdout, /^stages:\n  - \.pre\n  - prepare\n  - test\n  - deploy\n  - \.post\n/m);
  assert.match(r.stdout, /^build image:\n/m);
  assert.equal(run("merged", "examples/monorepo", "--job", ".rspec-base").status, 2);
});

test("without a .gitlab-ci.yml, check analyses the roots listed in .pipewright.yml", () => {
  const r = run("check", "test/fixtures/template-repo");
  assert.equal(r.status, 1);
  assert.equal(
    r.stdout,
    "templates/node.yml:3:3: error: jobs:node-test config contains unknown keys: scripts. " +
      'unknown keyword "scripts" in job "node-test" ' +
      '— did you mean "script"? [schema-unknown-keyword]\n',
  );
  assert.equal(r.stderr, "2 roots, first: 1 file, 1 job: 1 error, 0 warnings, 0 notes\n");
});

test("severities from .pipewright.yml raise, lower or hide diagnostics by code", () => {
  const r = run("check", "test/fixtures/severity");
  assert.equal(r.status, 1);
  assert.equal(
    r.stdout,
    ".gitlab-ci.yml:1:10: error: no file matches `ci/*.yml`: GitLab includes nothing here [include-no-match]\n",
  );
});

test("a file over the 16 MB read limit is said to be too big to read, at the root and where it is included", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-big-"));
  try {
    // sparse: 17 MB on paper, nothing on disk
    fs.closeSync(fs.openSync(path.join(dir, "big.yml"), "w"));
    fs.truncateSync(path.join(dir, "big.yml"), 17 * 1024 * 1024);
    fs.writeFileSync(path.join(dir, "main.yml"), "include: big.yml\njob:\n  script: [x]\n");
    const messages = (root: string) =>
      (JSON.parse(run("check", dir, "--root", root, "--format", "json").stdout) as { code: string; message: string }[])
        .filter((d) => d.code === "file-unreadable")
        .map((d) => d.message);
    assert.deepEqual(messages("big.yml"), ["big.yml is larger than 16 MB, more than Pipewright reads"]);
    assert.deepEqual(messages("main.yml"), ["Local file `big.yml` is larger than 16 MB, more than Pipewright reads"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a failure of Pipewright itself exits 3 with one line (the stack with --debug), never 1", () => {
  // fault injection: a preloaded script makes realpath fail as a bug would, inside the Workspace
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-fault-"));
  try {
    fs.writeFileSync(path.join(dir, ".gitlab-ci.yml"), "job:\n  script: [x]\n");
    const preload = path.join(dir, "fault.js");
    fs.writeFileSync(
      preload,
      'const fs = require("fs"); const real = fs.realpathSync;\n' +
        "fs.realpathSync = (p, ...rest) => {\n" +
        '  if (p === process.env.FAULT_DIR) throw new Error("injected fault");\n' +
        "  return real(p, ...rest);\n" +
        "};\n",
    );
    const runFaulty = (...args: string[]) =>
      spawnSync(process.execPath, ["--require", preload, cli, ...args], {
        encoding: "utf8",
        env: { ...process.env, FAULT_DIR: dir },
      });
    const plain = runFaulty("check", dir);
    assert.equal(plain.status, 3);
    assert.equal(
      plain.stderr,
      "pipewright: internal error: injected fault (run again with --debug for the stack, and please report it)\n",
    );
    const debug = runFaulty("check", dir, "--debug");
    assert.equal(debug.status, 3);
    assert.match(debug.stderr, /^pipewright: internal error\nError: injected fault\n {4}at /);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("check reports if: and only:variables expressions GitLab cannot parse, once where written", () => {
  const r = run("check", "test/fixtures/expressions", "--format", "json");
  assert.equal(r.status, 1);
  const found = (JSON.parse(r.stdout) as Array<{ file: string; range: Range; code: string; message: string }>).map(
    (d) => `${d.file}:${d.range.start.line}:${d.range.start.character}-${d.range.end.character} ${d.code} ${d.message}`,
  );
  assert.deepEqual(found, [
    ".gitlab-ci.yml:3:32-33 expression-invalid " +
      "include:rule if invalid expression syntax (Unknown lexeme found! at character 21)",
    ".gitlab-ci.yml:7:11-12 expression-invalid workflow:rules:rule if invalid expression syntax " +
      "(Unprocessable token found in parse tree: parenthesis_open at character 1)",
    ".gitlab-ci.yml:21:8-9 expression-invalid " +
      "jobs:legacy:only variables invalid expression syntax (Unknown lexeme found! at character 1)",
    "ci/rules.yml:3:29-30 expression-invalid " +
      "jobs:docs:rules:rule if invalid expression syntax (Unknown lexeme found! at character 19)",
  ]);
});

test("check --format codequality writes GitLab's Code Quality report, to --output-file when given", () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pw-cq-")), "gl-code-quality.json");
  const r = run("check", "test/fixtures/broken", "--format=codequality", "--output-file", out);
  assert.equal(r.status, 1, "the exit status still says the config has errors");
  assert.equal(r.stdout, "");
  const issues = JSON.parse(fs.readFileSync(out, "utf8")) as Array<Record<string, unknown>>;
  assert.deepEqual(
    issues.map((i) => [i.check_name, i.severity, i.location]),
    [
      ["include-not-found", "critical", { path: ".gitlab-ci.yml", lines: { begin: 3, end: 3 } }],
      ["include-external", "info", { path: ".gitlab-ci.yml", lines: { begin: 4, end: 5 } }],
      ["reference-not-found", "minor", { path: ".gitlab-ci.yml", lines: { begin: 10, end: 10 } }],
      ["extends-unknown-parent", "minor", { path: "ci/templates.yml", lines: { begin: 3, end: 3 } }],
    ],
  );
  assert.equal(issues[0].description, "Local file `ci/missing.yml` does not exist!");
  assert.equal(new Set(issues.map((i) => i.fingerprint)).size, 4, "one fingerprint per finding");
});

test("check --format sarif and --format github", () => {
  const sarif = JSON.parse(run("check", "test/fixtures/broken", "--format", "sarif").stdout);
  assert.equal(sarif.version, "2.1.0");
  assert.deepEqual(
    sarif.runs[0].results.map((r: { ruleId: string; level: string }) => `${r.ruleId} ${r.level}`),
    [
      "include-not-found error",
      "include-external note",
      "reference-not-found warning",
      "extends-unknown-parent warning",
    ],
  );
  const github = run("check", "test/fixtures/broken", "--format", "github").stdout.split("\n");
  assert.equal(
    github[0],
    "::error file=.gitlab-ci.yml,line=3,col=12,endLine=3,endColumn=26,title=include-not-found::" +
      "Local file `ci/missing.yml` does not exist!",
  );
});

test("check: a trigger in a file included three times with inputs is one warning, each include entry related", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-inclusions-"));
  try {
    const entries = ["alpha", "beta", "gamma"].map((n) => `  - local: tpl.yml\n    inputs: { name: ${n} }\n`);
    fs.writeFileSync(path.join(dir, ".gitlab-ci.yml"), `include:\n${entries.join("")}`);
    fs.writeFileSync(
      path.join(dir, "tpl.yml"),
      "spec:\n  inputs:\n    name:\n---\n" +
        "$[[ inputs.name ]]-bridge:\n  trigger:\n    include: child-$[[ inputs.name ]].yml\n",
    );
    const missing = (n: string) =>
      `Local file \`child-${n}.yml\` does not exist!: job "${n}-bridge" cannot start its child pipeline`;
    const r = run("check", dir, "--format", "json");
    assert.equal(r.status, 0);
    const at = (line: number, start: number, end: number) => ({
      start: { line, character: start },
      end: { line: line + 1, character: end },
    });
    assert.deepEqual(JSON.parse(r.stdout), [
      {
        file: "tpl.yml",
        range: { start: { line: 6, character: 13 }, end: { line: 6, character: 41 } },
        severity: "warning",
        code: "include-not-found",
        docs: "docs/diagnostics.md#include-not-found",
        message: `${missing("alpha")} (also in 2 other inclusions of this file)`,
        related: [
          {
            file: ".gitlab-ci.yml",
            range: at(1, 4, 27),
            message: 'from the include with inputs name: "alpha" (1 of 3)',
          },
          {
            file: ".gitlab-ci.yml",
            range: at(3, 4, 26),
            message: `also from the include with inputs name: "beta" (2 of 3): ${missing("beta")}`,
          },
          {
            file: ".gitlab-ci.yml",
            range: at(5, 4, 27),
            message: `also from the include with inputs name: "gamma" (3 of 3): ${missing("gamma")}`,
          },
        ],
      },
    ]);
    assert.equal(
      run("check", dir).stdout,
      `tpl.yml:7:14: warning: ${missing("alpha")} (also in 2 other inclusions of this file) [include-not-found]\n`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
