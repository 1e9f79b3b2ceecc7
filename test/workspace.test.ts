import * as assert from "node:assert/strict";
import { test } from "node:test";
import { MemoryHost } from "../server/src/engine/memory-host";
import type { SourceHost } from "../server/src/engine/types";
import type { PositionedDiagnostic } from "../server/src/workspace/diagnostics";
import type { GitFacts } from "../server/src/workspace/io";
import { Workspace } from "../server/src/workspace/workspace";
import { y } from "./helpers";

// The Workspace driven directly, in process, as the CLI and the language server drive it: buffers
// over files, settings from .pipewright.yml and the user, diagnostics by file and what changed,
// features at line/character positions, the git baseline after the first diagnostics.

const FILES = {
  ".gitlab-ci.yml": y("stages: [build, test]", "include:", "  - local: ci/rules.yml", "  - local: ci/jobs.yml"),
  "ci/rules.yml": y(
    "# Runs on merge requests.",
    ".rules:test:",
    "  rules:",
    "    - if: $CI_MERGE_REQUEST_IID",
    ".base:",
    "  image: ruby:3.3",
  ),
  "ci/jobs.yml": y(
    "compile:",
    "  extends: .base",
    "  stage: build",
    "  scripts: [make]",
    "unit:",
    "  extends: .base",
    "  rules: !reference [.rules:test, rules]",
    "  script: [make test]",
  ),
};

const brief = (ds: readonly PositionedDiagnostic[]) =>
  ds.map(
    (d) =>
      `${d.file}:${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ` +
      `${d.severity} ${d.code}`,
  );

test("diagnostics come by file, for every file of the graph, clean ones empty", () => {
  const ws = new Workspace({ files: new MemoryHost(FILES) });
  const a = ws.analyze();
  assert.deepEqual([...a.diagnostics.keys()], [".gitlab-ci.yml", "ci/rules.yml", "ci/jobs.yml"]);
  assert.deepEqual(brief(a.diagnostics.get("ci/jobs.yml")!), ["ci/jobs.yml:3:2-3:9 error schema-unknown-keyword"]);
  assert.deepEqual(a.diagnostics.get("ci/rules.yml"), []);
  assert.deepEqual([a.summary.files, a.summary.jobs, a.summary.errors], [3, 1, 1], "compile has no script: not a job");
  assert.equal(ws.analyze(), a, "nothing changed: the same analysis");
});

test("a buffer wins over the file until it is closed, and only changed files are handed out again", () => {
  const ws = new Workspace({ files: new MemoryHost(FILES) });
  assert.deepEqual(
    ws.diagnosticChanges().map((c) => c.file),
    [".gitlab-ci.yml", "ci/rules.yml", "ci/jobs.yml"],
  );
  assert.deepEqual(ws.diagnosticChanges(), [], "nothing new to publish");
  ws.setDocument("ci/jobs.yml", FILES["ci/jobs.yml"].replace("scripts:", "script:"));
  assert.deepEqual(ws.diagnosticChanges(), [{ file: "ci/jobs.yml", diagnostics: [] }]);
  ws.setDocument(".gitlab-ci.yml", y("stages: [build, test]", "include:", "  - local: ci/jobs.yml"));
  const changes = ws.diagnosticChanges(["ci/jobs.yml"]);
  // jobs.yml first (asked for), then the file that left the graph, cleared
  assert.deepEqual(
    changes.map((c) => [c.file, c.diagnostics.map((d) => d.code)]),
    [
      ["ci/jobs.yml", ["extends-unknown-parent", "extends-unknown-parent", "reference-not-found"]],
      ["ci/rules.yml", []],
    ],
  );
  ws.closeDocument(".gitlab-ci.yml");
  ws.closeDocument("ci/jobs.yml");
  assert.deepEqual(brief(ws.diagnostics()), ["ci/jobs.yml:3:2-3:9 error schema-unknown-keyword"]);
});

test(
  ".pipewright.yml sets severities and roots; the user's settings win; a " + "wrong value is said where it is written",
  () => {
    const files = {
      ...FILES,
      ".pipewright.yml": y(
        "severity:",
        "  schema-unknown-keyword: warning",
        "roots: 5",
        "rules:",
        "  force-gitlab-ci: loud",
      ),
    };
    const ws = new Workspace({ files: new MemoryHost(files) });
    assert.deepEqual(
      ws
        .diagnostics()
        .map((d) => `${d.file}:${d.range.start.line}:${d.range.start.character} ${d.severity} ${d.code} ${d.message}`),
      [
        'ci/jobs.yml:3:2 warning schema-unknown-keyword unknown keyword "scripts" ' +
          'in job "compile" — did you mean "script"?',
        ".pipewright.yml:2:7 warning settings-invalid roots must be a list of file paths: ignored",
        ".pipewright.yml:4:19 warning settings-invalid rules.force-gitlab-ci must " +
          "be a severity or a map of options: ignored",
      ],
    );
    assert.deepEqual(ws.setUserSettings({ severity: { "schema-unknown-keyword": "off" }, roots: "x" }), [
      "pipewright settings: roots must be a list of file paths: ignored",
    ]);
    assert.deepEqual(brief(ws.diagnostics()), [
      ".pipewright.yml:2:7-2:8 warning settings-invalid",
      ".pipewright.yml:4:19-4:23 warning settings-invalid",
    ]);
  },
);

test("features answer at line/character positions with ranges", () => {
  const ws = new Workspace({ files: new MemoryHost(FILES) });
  const hover = ws.hover("ci/jobs.yml", { line: 6, character: 22 })!;
  assert.deepEqual(hover.range, { start: { line: 6, character: 21 }, end: { line: 6, character: 32 } });
  assert.match(
    hover.markdown,
    /^\*\*rule set\*\* `\.rules:test` — defined in \[`ci\/rules\.yml:2`\]\(pipewright-source:ci%2Frules\.yml#L2\)\n\nRuns on merge requests\./,
  );
  assert.deepEqual(ws.definition("ci/jobs.yml", { line: 1, character: 12 }), [
    { file: "ci/rules.yml", range: { start: { line: 4, character: 0 }, end: { line: 4, character: 5 } } },
  ]);
  assert.deepEqual(
    ws
      .rename("ci/rules.yml", { line: 4, character: 2 }, ".ruby")
      ?.map((e) => `${e.file}:${e.range.start.line}:${e.range.start.character}`),
    ["ci/rules.yml:4:0", "ci/jobs.yml:1:11", "ci/jobs.yml:5:11"],
  );
  assert.deepEqual(ws.jobs(), ["unit"]);
  assert.deepEqual(ws.merged(undefined, "nope"), { error: 'no job named "nope"' });
});

/** A git stand-in: a baseline commit whose files are given, with the reads counted. */
function fakeGit(files: Record<string, string>): GitFacts & { asked: number } {
  const host = new MemoryHost(files);
  return {
    asked: 0,
    baselineCommit: () => "c0ffee",
    filesAt(commit: string): SourceHost {
      assert.equal(commit, "c0ffee");
      this.asked++;
      return host;
    },
  };
}

test(
  "with the baseline later, the first diagnostics come without it; once computed, " +
    "the new variable is found, with no file parsed twice",
  () => {
    const base = {
      ".gitlab-ci.yml": y("variables:", "  GLCI_OLD: 1", "job:", "  script: [x]"),
      "ci/other.yml": y("o:", "  script: [o]"),
    };
    const now = {
      ...base,
      ".gitlab-ci.yml": y(
        "include: ci/other.yml",
        "variables:",
        "  GLCI_OLD: 1",
        "  NEW_ONE: 2",
        "job:",
        "  script: [x]",
      ),
    };
    const git = fakeGit(base);
    const ws = new Workspace({ files: new MemoryHost(now), git }, { baseline: "later" });
    assert.deepEqual(ws.diagnostics(), []);
    assert.equal(git.asked, 0, "the first analysis did not wait for git");
    assert.equal(ws.wantsBaseline, true);
    assert.equal(ws.computeBaseline(), true);
    assert.deepEqual(brief(ws.diagnostics()), [".gitlab-ci.yml:3:2-3:9 warning glci-variable-prefix"]);
    assert.equal(git.asked, 1);
    assert.equal(ws.computeBaseline(), false, "computed once per commit");
  },
);

test("outside git, one look tells there is no baseline: the lints do not ask again", () => {
  const git: GitFacts = { baselineCommit: () => undefined, filesAt: () => assert.fail("no commit to read") };
  const ws = new Workspace(
    {
      files: new MemoryHost({
        ".gitlab-ci.yml": y("variables:", "  GLCI_OLD: 1", "  NEW_ONE: 2", "job:", "  script: [x]"),
      }),
      git,
    },
    { baseline: "later" },
  );
  assert.deepEqual(ws.diagnostics(), []);
  assert.equal(ws.computeBaseline(), false, "nothing to analyse again: without a baseline the rule stays quiet");
  assert.equal(ws.stale, false);
  assert.deepEqual(ws.diagnostics(), [], "mode new without a baseline says nothing");
  assert.equal(ws.wantsBaseline, false);
  assert.equal(ws.computeBaseline(), false);
});

test("the Dagger module is read again only when its files change", () => {
  const host = new MemoryHost({
    ...FILES,
    "dagger.json": '{"name": "ci", "sdk": "typescript", "source": ".dagger", "engineVersion": "v0.18.0"}',
    ".dagger/src/index.ts": "@object()\nexport class Ci {\n  @func()\n  build(): string { return '' }\n}\n",
  });
  const ws = new Workspace({ files: host });
  const first = ws.daggerModule();
  assert.deepEqual(
    first?.functions.map((f) => f.cliName),
    ["build"],
  );
  assert.equal(ws.daggerModule(), first);
  ws.setDocument(
    ".dagger/src/index.ts",
    "@object()\nexport class Ci {\n  @func()\n  test(): string { return '' }\n}\n",
  );
  assert.deepEqual(
    ws.daggerModule()?.functions.map((f) => f.cliName),
    ["test"],
  );
});

test("caches keep only what the last analysis used, however often an include's inputs are edited", () => {
  const files = {
    ".gitlab-ci.yml": "",
    "t.yml": y("spec:", "  inputs:", "    n:", "---", "j:", "  script:", "    - echo $[[ inputs.n ]]"),
  };
  const host = new MemoryHost(files);
  const ws = new Workspace({ files: host });
  const sizes: number[] = [];
  for (let i = 0; i < 30; i++) {
    ws.setDocument(".gitlab-ci.yml", y("include:", "  - local: t.yml", `    inputs: { n: v${i} }`));
    const view = ws.merged(undefined, "j");
    assert.equal(
      "text" in view && view.text.split("\n").slice(4).join("\n"),
      `script:      # t.yml:6\n  - echo v${i}\nstage: test  # t.yml:5\n`,
    );
    const caches = (ws as unknown as { caches: { expansions: { size: number }; parsed: { size: number } } }).caches;
    sizes.push(caches.expansions.size + caches.parsed.size);
  }
  assert.deepEqual(new Set(sizes), new Set([3]), "one expansion and two parsed files, every time");
});

test("the simulation's include expansions keep only what the last version's pipelines used", () => {
  const files = {
    ".gitlab-ci.yml": "",
    "t.yml": y("spec:", "  inputs:", "    n:", "---", "j:", "  script:", "    - echo $[[ inputs.n ]]"),
  };
  const ws = new Workspace({ files: new MemoryHost(files) });
  const sizes: number[] = [];
  for (let i = 0; i < 30; i++) {
    ws.setDocument(".gitlab-ci.yml", y("include:", "  - local: t.yml", `    inputs: { n: v${i} }`));
    assert.deepEqual(
      ws.jobDecisions("t.yml").map((d) => d.title),
      ["MR – · main ✓ · tag ✓ · schedule ✓"],
    );
    const simulation = (ws as unknown as { simulationEngine: { caches: { expansions: { size: number } } } })
      .simulationEngine;
    sizes.push(simulation.caches.expansions.size);
  }
  // this version's expansion, and the last version's until the next version is simulated
  assert.deepEqual(new Set(sizes.slice(1)), new Set([2]));
});

test("completion while another line of the file does not parse: the last good parse gives the enclosing keys", () => {
  const ws = new Workspace({ files: new MemoryHost(FILES) });
  ws.analyze();
  const typed = FILES["ci/jobs.yml"].replace("  script: [make test]", "  script: [make test]\n  ") + "broken: [\n";
  ws.setDocument("ci/jobs.yml", typed);
  const items = ws.completion("ci/jobs.yml", { line: 8, character: 2 }).map((c) => c.label);
  assert.ok(items.includes("artifacts") && !items.includes("stages"), items.join(" "));
});

test("an analysis that gives way returns the last finished one and runs again when next asked", () => {
  let giveWayAt = -1;
  let calls = 0;
  const ws = new Workspace({ files: new MemoryHost(FILES) }, { giveWay: () => ++calls === giveWayAt, budget: true });
  const first = ws.analyze();
  assert.ok(calls > 3, "checkpoints were passed");
  ws.setDocument("ci/jobs.yml", FILES["ci/jobs.yml"].replace("scripts:", "script:"));
  calls = 0;
  giveWayAt = 3;
  assert.equal(ws.analyze(), first, "gave way: the last finished analysis answers");
  assert.equal(ws.stale, true, "and the new version is still to analyse");
  assert.equal(ws.gaveWay, 1);
  const second = ws.analyze();
  assert.notEqual(second, first);
  assert.equal(ws.stale, false);
  assert.deepEqual(second.diagnostics.get("ci/jobs.yml"), [], "the edit is seen");
});

test("past its budget, an editor analysis ends with one warning at the root, over the last finished findings", () => {
  const jobs = Array.from({ length: 400 }, (_, i) => `j${i}:\n  extends: .base\n  script: [x]\n`).join("");
  const files = { ...FILES, "ci/more.yml": jobs };
  const ws = new Workspace({ files: new MemoryHost(files) }, { budget: true });
  const first = ws.analyze();
  ws.setDocument(".pipewright.yml", "analysisBudget: 0.001\n");
  ws.setDocument(".gitlab-ci.yml", `${FILES[".gitlab-ci.yml"]}  - local: ci/more.yml\n`);
  const over = ws.analyze();
  assert.equal(ws.stale, false, "given up: not tried again until something changes");
  assert.equal(over.models, first.models, "the last finished models answer");
  const [note, ...rest] = over.diagnostics.get(".gitlab-ci.yml")!;
  assert.deepEqual(rest, first.diagnostics.get(".gitlab-ci.yml"));
  assert.equal(brief([note])[0], ".gitlab-ci.yml:0:0-0:0 warning analysis-budget");
  assert.match(
    note.message,
    /^Pipewright stopped analysing this version of the configuration after 0\.\d s, its analysis budget \(the analysisBudget setting, 0\.001 s\); the findings shown are from the last analysis that finished$/,
  );
  assert.deepEqual(over.diagnostics.get("ci/jobs.yml"), first.diagnostics.get("ci/jobs.yml"));
  // the CLI's Workspace has no budget
  const cli = new Workspace({ files: new MemoryHost({ ...files, ".pipewright.yml": "analysisBudget: 0.001\n" }) });
  assert.equal([...cli.analyze().diagnostics.values()].flat().filter((d) => d.code === "analysis-budget").length, 0);
});

test("the lenses never analyse a new version: the host does, and announces it", () => {
  const ws = new Workspace({ files: new MemoryHost({ ".gitlab-ci.yml": y("j:", "  script: [x]") }) });
  ws.analyze();
  assert.equal(ws.prepareLenses(), true);
  ws.setDocument(".gitlab-ci.yml", y("j:", "  script: [y]"));
  assert.equal(ws.stale, true);
  assert.equal(ws.prepareLenses(), false, "not ready: the edit is not analysed yet");
  assert.equal(ws.stale, true, "and prepareLenses left it to the host");
  ws.analyze();
  assert.equal(ws.prepareLenses(), true);
});

test("the lenses' idle work stops as soon as a message waits, with its own signal", () => {
  let waiting = false;
  const ws = new Workspace(
    { files: new MemoryHost({ ".gitlab-ci.yml": y("j:", "  script: [x]") }) },
    { giveWay: () => false, idleGiveWay: () => waiting },
  );
  ws.analyze();
  waiting = true;
  assert.equal(ws.prepareLenses(), false, "gave way");
  assert.deepEqual(ws.jobDecisions(".gitlab-ci.yml", false), [], "nothing kept from the stopped run");
  waiting = false;
  assert.equal(ws.prepareLenses(), true);
  assert.deepEqual(
    ws.jobDecisions(".gitlab-ci.yml", false).map((d) => d.title),
    ["MR – · main ✓ · tag ✓ · schedule ✓"],
  );
});

test("a mistake in a file included three times with inputs is one diagnostic, the three includes related", () => {
  const ws = new Workspace({
    files: new MemoryHost({
      ".gitlab-ci.yml": y(
        "include:",
        "  - local: tpl.yml",
        "    inputs: { name: alpha }",
        "  - local: tpl.yml",
        "    inputs: { name: beta }",
        "  - local: tpl.yml",
        "    inputs: { name: gamma }",
      ),
      "tpl.yml": y(
        "spec:",
        "  inputs:",
        "    name:",
        "---",
        "$[[ inputs.name ]]-job:",
        "  script: [echo]",
        '  needs: ["missing-$[[ inputs.name ]]"]',
        "  scirpt: x",
      ),
    }),
  });
  const range = (line: number, start: number, endLine: number, end: number) => ({
    start: { line, character: start },
    end: { line: endLine, character: end },
  });
  const [alpha, beta, gamma] = [range(1, 4, 2, 27), range(3, 4, 4, 26), range(5, 4, 6, 27)];
  const keyword = (job: string) =>
    `jobs:${job} config contains unknown keys: scirpt. ` +
    'unknown keyword "scirpt" in "$[[ inputs.name ]]-job" — did you mean "script"?';
  assert.deepEqual(
    ws.diagnostics().map(({ file, range, code, message, related }) => ({ file, range, code, message, related })),
    [
      {
        file: "tpl.yml",
        range: range(6, 10, 6, 38),
        code: "needs-unknown",
        message: "alpha-job job: undefined need: missing-alpha (also in 2 other inclusions of this file)",
        related: [
          { file: ".gitlab-ci.yml", range: alpha, message: 'from the include with inputs name: "alpha" (1 of 3)' },
          {
            file: ".gitlab-ci.yml",
            range: beta,
            message:
              'also from the include with inputs name: "beta" (2 of 3): beta-job job: undefined need: missing-beta',
          },
          {
            file: ".gitlab-ci.yml",
            range: gamma,
            message:
              'also from the include with inputs name: "gamma" (3 of 3): gamma-job job: undefined need: missing-gamma',
          },
        ],
      },
      {
        file: "tpl.yml",
        range: range(7, 2, 7, 8),
        code: "schema-unknown-keyword",
        message: `${keyword("alpha-job")} (also in 2 other inclusions of this file)`,
        related: [
          { file: ".gitlab-ci.yml", range: alpha, message: 'from the include with inputs name: "alpha" (1 of 3)' },
          {
            file: ".gitlab-ci.yml",
            range: beta,
            message: `also from the include with inputs name: "beta" (2 of 3): ${keyword("beta-job")}`,
          },
          {
            file: ".gitlab-ci.yml",
            range: gamma,
            message: `also from the include with inputs name: "gamma" (3 of 3): ${keyword("gamma-job")}`,
          },
        ],
      },
    ],
  );
});

test("a mistake in a file included 25 times with inputs lists the first 20 inclusions and counts the rest", () => {
  const names = Array.from({ length: 25 }, (_, i) => `n${i}`);
  const ws = new Workspace({
    files: new MemoryHost({
      ".gitlab-ci.yml": y("include:", ...names.map((n) => `  - { local: tpl.yml, inputs: { name: ${n} } }`)),
      "tpl.yml": y(
        "spec:",
        "  inputs:",
        "    name:",
        "---",
        "$[[ inputs.name ]]-job:",
        "  script: [echo]",
        "  when: x",
      ),
    }),
  });
  const [d, ...rest] = ws.diagnostics();
  assert.equal(rest.length, 0);
  const when = (job: string) =>
    `jobs:${job} when should be one of: on_success, on_failure, always, manual, delayed. ` +
    '"when" must be one of: on_success, on_failure, always, manual, delayed';
  assert.equal(d.message, `${when("n0-job")} (also in 24 other inclusions of this file; the first 20 are listed)`);
  assert.deepEqual(
    d.related?.map((r) => `${r.range.start.line} ${r.message}`),
    names
      .slice(0, 20)
      .map((n, i) =>
        i === 0
          ? `1 from the include with inputs name: "${n}" (1 of 25)`
          : `${i + 1} also from the include with inputs name: "${n}" (${i + 1} of 25): ${when(`${n}-job`)}`,
      ),
  );
});
