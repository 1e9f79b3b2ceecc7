import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { Engine, type Model } from "../server/src/engine/engine";
import { DiskHost } from "../server/src/node/disk-host";
import { baselineCommit, GitRepository } from "../server/src/node/git";
import { Baseline } from "../server/src/workspace/baseline";
import { ParseCache } from "../server/src/engine/caches";
import { withLints, type LintSettings } from "../server/src/lint/registry";
import { namesGlciVariable } from "../server/src/lint/glci-variable-prefix";
import { analyze, applyFix, diags, y } from "./helpers";

const glci = (m: Model) => diags(m).filter((d) => d.split(" ")[3] === "glci-variable-prefix");
const ALL: LintSettings = { rules: { "glci-variable-prefix": { options: { mode: "all" } } } };
const MESSAGE = (name: string, what = "CI variable") =>
  `${what} "${name}" lacks the GLCI_ prefix: variables only this project's ` +
  `CI reads are named GLCI_* (product variables GITLAB_*, predefined ones ` +
  `CI_*), e.g. GLCI_${name}`;

test("mode all: variables without the prefix, but not predefined, well-known or allowed ones", () => {
  const files = {
    ".gitlab-ci.yml": y(
      "variables:",
      "  RSPEC_SHARDS: 4",
      "  DOCKER_DRIVER: overlay2",
      "  CI_DEBUG_TRACE: 'false'",
      "  GLCI_SKIP: 'true'",
      "  QA_IMAGE: qa",
      "j:",
      "  variables:",
      "    'EXTRA_FLAGS': --fast",
      "  script: [echo $RSPEC_SHARDS $EXTRA_FLAGS]",
    ),
  };
  const settings: LintSettings = { rules: { "glci-variable-prefix": { options: { mode: "all", allow: ["QA_*"] } } } };
  assert.deepEqual(glci(analyze(files, undefined, settings)), [
    `.gitlab-ci.yml 1:2-1:14 warning glci-variable-prefix ${MESSAGE("RSPEC_SHARDS")}`,
    `.gitlab-ci.yml 8:4-8:17 warning glci-variable-prefix ${MESSAGE("EXTRA_FLAGS")}`,
  ]);
});

test(
  "the rename fix covers every definition and $VAR, ${VAR}, %VAR% use in " + "every included file, and nothing else",
  () => {
    const files = {
      ".gitlab-ci.yml": y(
        "include: [ci/a.yml, ci/b.yml]",
        "variables:",
        "  SHARDS: 4",
        "  SHARDS_MAX: 8",
        "lint:",
        "  script:",
        '    - echo "$SHARDS ${SHARDS}/$SHARDS_MAX"',
      ),
      "ci/a.yml": y(
        "test:",
        "  rules:",
        '    - if: $SHARDS == "4"',
        "      variables:",
        "        SHARDS: 2",
        '  script: ["run ${SHARDS}"]',
      ),
      "ci/b.yml": y("win:", "  script:", "    - echo %SHARDS% $$SHARDS"),
    };
    const settings: LintSettings = {
      rules: { "glci-variable-prefix": { options: { mode: "all", allow: ["SHARDS_MAX"] } } },
    };
    const m = analyze(files, undefined, settings);
    assert.deepEqual(glci(m), [
      `.gitlab-ci.yml 2:2-2:8 warning glci-variable-prefix ${MESSAGE("SHARDS")}`,
      `ci/a.yml 4:8-4:14 warning glci-variable-prefix ${MESSAGE("SHARDS")}`,
    ]);
    const fix = m.diagnostics.find((d) => d.code === "glci-variable-prefix")!.fixes![0];
    assert.equal(fix.title, "Rename to GLCI_SHARDS everywhere (8 places in 3 files)");
    const fixed = applyFix(files, fix);
    assert.deepEqual(fixed, {
      ".gitlab-ci.yml": y(
        "include: [ci/a.yml, ci/b.yml]",
        "variables:",
        "  GLCI_SHARDS: 4",
        "  SHARDS_MAX: 8",
        "lint:",
        "  script:",
        '    - echo "$GLCI_SHARDS ${GLCI_SHARDS}/$SHARDS_MAX"',
      ),
      "ci/a.yml": y(
        "test:",
        "  rules:",
        '    - if: $GLCI_SHARDS == "4"',
        "      variables:",
        "        GLCI_SHARDS: 2",
        '  script: ["run ${GLCI_SHARDS}"]',
      ),
      "ci/b.yml": y("win:", "  script:", "    - echo %GLCI_SHARDS% $$GLCI_SHARDS"),
    });
    const after = analyze(fixed, undefined, settings);
    assert.deepEqual(after.diagnostics, []);
  },
);

test("by default the rule is off in configs that never adopted GLCI_, and needs a baseline in those that did", () => {
  const plain = { ".gitlab-ci.yml": y("variables:", "  SHARDS: 4", "j:", "  script: [echo $SHARDS]") };
  assert.deepEqual(glci(analyze(plain)), []);
  const adopted = {
    ".gitlab-ci.yml": y("variables:", "  GLCI_OLD: 1", "  SHARDS: 4", "j:", "  script: [echo $SHARDS]"),
  };
  assert.deepEqual(glci(analyze(adopted)), [], "no baseline: new cannot be told from old");
  const withBaseline = (names: string[]): LintSettings => ({ baselineVariables: () => new Set(names) });
  assert.deepEqual(glci(analyze(adopted, undefined, withBaseline(["GLCI_OLD"]))), [
    `.gitlab-ci.yml 2:2-2:8 warning glci-variable-prefix ${MESSAGE("SHARDS", "new CI variable")}`,
  ]);
  assert.deepEqual(glci(analyze(adopted, undefined, withBaseline(["GLCI_OLD", "SHARDS"]))), []);
  const off: LintSettings = { ...withBaseline([]), rules: { "glci-variable-prefix": { options: { mode: "off" } } } };
  assert.deepEqual(glci(analyze(adopted, undefined, off)), []);
  assert.deepEqual(glci(analyze(plain, undefined, ALL)).length, 1);
});

function git(dir: string, ...args: string[]): string {
  return execFileSync(
    "git",
    ["-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "init.defaultBranch=main", ...args],
    { cwd: dir, encoding: "utf8" },
  );
}

function write(dir: string, files: Record<string, string>): void {
  for (const [p, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), text);
  }
}

/** The repository's config with the lints' findings, the baseline read from git as the CLI does. */
function analyzeRepo(dir: string): Model {
  const git = new GitRepository(dir);
  return withLints(new Engine(new DiskHost(dir)).analyze(), {
    baselineVariables: () => new Baseline(git, new ParseCache()).variables([".gitlab-ci.yml"]),
  });
}

test(
  "in a real git repository: only variables absent at the baseline are new, " + "and the fix renames them across files",
  (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-glci-"));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    git(dir, "init", "-q");
    write(dir, {
      ".gitlab-ci.yml": y(
        "include: ['.gitlab/ci/*.yml']",
        "variables:",
        "  GLCI_RETRIES: 2",
        "  OLD_FLAG: 'yes'",
        "lint:",
        "  script: [echo $OLD_FLAG]",
      ),
      ".gitlab/ci/test.yml": y("test:", "  script: [echo $GLCI_RETRIES]"),
    });
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "baseline");
    // on the default branch, the baseline is HEAD: uncommitted changes are what is new
    write(dir, {
      ".gitlab/ci/test.yml": y(
        "test:",
        "  variables:",
        "    SPLIT_TESTS: 'true'",
        '  script: ["echo $GLCI_RETRIES ${SPLIT_TESTS}"]',
      ),
      ".gitlab/ci/report.yml": y("report:", "  rules:", "    - if: $SPLIT_TESTS", "  script: [echo $OLD_FLAG]"),
    });
    let m = analyzeRepo(dir);
    assert.deepEqual(glci(m), [
      `.gitlab/ci/test.yml 2:4-2:15 warning glci-variable-prefix ${MESSAGE("SPLIT_TESTS", "new CI variable")}`,
    ]);
    const fix = m.diagnostics.find((d) => d.code === "glci-variable-prefix")!.fixes![0];
    const names = [".gitlab-ci.yml", ".gitlab/ci/test.yml", ".gitlab/ci/report.yml"];
    const fixed = applyFix(Object.fromEntries(names.map((n) => [n, fs.readFileSync(path.join(dir, n), "utf8")])), fix);
    assert.equal(
      fixed[".gitlab/ci/test.yml"],
      y(
        "test:",
        "  variables:",
        "    GLCI_SPLIT_TESTS: 'true'",
        '  script: ["echo $GLCI_RETRIES ${GLCI_SPLIT_TESTS}"]',
      ),
    );
    assert.equal(
      fixed[".gitlab/ci/report.yml"],
      y("report:", "  rules:", "    - if: $GLCI_SPLIT_TESTS", "  script: [echo $OLD_FLAG]"),
    );
    write(dir, fixed);
    m = analyzeRepo(dir);
    assert.deepEqual(m.diagnostics, []);

    // on a feature branch, what the branch committed since it left main is new too
    git(dir, "checkout", "-qb", "feature");
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "feature work");
    write(dir, { ".gitlab/ci/more.yml": y("more:", "  variables:", "    CHUNK: 1", "  script: [echo $CHUNK]") });
    const main = git(dir, "rev-parse", "main").trim();
    assert.equal(baselineCommit(dir), main);
    assert.deepEqual(
      glci(analyzeRepo(dir)).map((d) => d.split(" ").slice(0, 4).join(" ")),
      [".gitlab/ci/more.yml 2:4-2:9 warning glci-variable-prefix"],
    );

    // the CLI computes the same baseline, and reads the rule's options from .pipewright.yml
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [path.resolve(__dirname, "..", "..", "dist", "cli.js"), "check", dir, ...args], {
        encoding: "utf8",
      });
    let r = cli("--format", "json");
    assert.deepEqual(
      JSON.parse(r.stdout).map(
        (d: { file: string; code: string; severity: string }) => `${d.file} ${d.severity} ${d.code}`,
      ),
      [".gitlab/ci/more.yml warning glci-variable-prefix"],
    );
    write(dir, {
      ".pipewright.yml": y("rules:", "  glci-variable-prefix:", "    severity: error", "    allow: [CHUNK]"),
    });
    r = cli("--format", "json");
    assert.deepEqual(JSON.parse(r.stdout), []);
    write(dir, { ".pipewright.yml": y("rules:", "  glci-variable-prefix: { severity: error, mode: all }") });
    r = cli("--format", "json");
    assert.equal(r.status, 1);
    assert.deepEqual(
      JSON.parse(r.stdout).map(
        (d: { file: string; code: string; severity: string; message: string }) =>
          `${d.file} ${d.severity} ${d.message.split(" ")[2]}`,
      ),
      ['.gitlab-ci.yml error "OLD_FLAG"', '.gitlab/ci/more.yml error "CHUNK"'],
    );
  },
);

test("outside git there is no baseline, and the rule stays quiet in mode new", (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-nogit-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  write(dir, { ".gitlab-ci.yml": y("variables:", "  GLCI_A: 1", "  B: 2", "j:", "  script: [x]") });
  assert.equal(baselineCommit(dir), undefined);
  assert.deepEqual(glci(analyzeRepo(dir)), []);
});

test("whether a config uses GLCI_ variables is decided in linear time, also past 200,000 blank lines", () => {
  assert.equal(namesGlciVariable("x: $GLCI_A"), true);
  assert.equal(namesGlciVariable("x: ${GLCI_A}"), true);
  assert.equal(namesGlciVariable("x: %GLCI_A%"), true);
  assert.equal(namesGlciVariable("variables:\n  \tGLCI_A: 1"), true);
  assert.equal(namesGlciVariable("GLCI_A: 1"), true);
  assert.equal(namesGlciVariable("x: MY_GLCI_A"), false);
  assert.equal(namesGlciVariable("x: $GLCI_"), false);
  assert.equal(namesGlciVariable("x: a GLCI_A"), false);
  // the regular expression this replaced (`^\s*GLCI_`, multiline) took minutes on this (a fuzz find)
  assert.equal(namesGlciVariable(`${"  \n".repeat(200000)}x: GLCI_A`), false);
  assert.equal(namesGlciVariable(`${"  \n".repeat(200000)}  GLCI_A: 1`), true);
});
