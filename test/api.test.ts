import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import { test } from "node:test";
import { y } from "./helpers";

// require("pipewright"): the package's `exports` give Node programs check(), merged() and pipeline() (dist/api.js)
// without loading the VS Code extension, which stays the package's `main` for VS Code. Resolved here by the
// package's own name from the repository's root (out/ has a package.json of its own), as Node resolves it for a
// program that installed it (test/package.test.ts installs it).

const root = path.resolve(__dirname, "..", "..");
const requireFromRoot = createRequire(path.join(root, "package.json"));
const api = requireFromRoot("pipewright") as typeof import("../server/src/api");
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(root, "dist", "cli.js"), ...args], { cwd: root, encoding: "utf8" });

test("require('pipewright') is the API bundle, not the extension", () => {
  assert.equal(requireFromRoot.resolve("pipewright"), path.join(root, "dist", "api.js"));
  assert.deepEqual(Object.keys(api).sort(), ["check", "merged", "pipeline"]);
});

test("the package's entry checks files in memory and a folder, and gives merged values", async () => {
  const files = {
    ".gitlab-ci.yml": y("include: ci/t.yml", "build:", "  extends: .t", "  scripts: [make]"),
    "ci/t.yml": y(".t:", "  image: alpine"),
  };
  assert.deepEqual(
    (await api.check({ files })).map((d) => `${d.file}:${d.range.start.line}:${d.range.start.character} ${d.code}`),
    [".gitlab-ci.yml:0:0 config-no-visible-job", ".gitlab-ci.yml:3:2 schema-unknown-keyword"],
  );
  assert.deepEqual(
    await api.merged({
      files: { ...files, ".gitlab-ci.yml": files[".gitlab-ci.yml"].replace("scripts", "script") },
      job: "build",
    }),
    {
      extends: ".t",
      script: ["make"],
      image: "alpine",
      stage: "test",
    },
  );
  const example = await api.check({ dir: path.join(root, "examples", "monorepo") });
  assert.ok(Array.isArray(example));
  await assert.rejects(api.check({}), /give either files or dir/);
});

test("merged() is JSON.parse of `pipewright merged --format json`: .inf is null, __proto__ a key", async () => {
  const fs = await import("node:fs");
  const os = await import("node:os");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-api-merged-"));
  const text = y("variables:", "  A: .inf", "  B: -.nan", "job:", "  script: [x]", "  __proto__: {a: 1}");
  fs.writeFileSync(path.join(dir, ".gitlab-ci.yml"), text);
  try {
    const printed = JSON.parse(cli("merged", dir, "--format", "json").stdout);
    const given = await api.merged({ files: { ".gitlab-ci.yml": text } });
    assert.deepEqual(given, printed);
    assert.equal((given as { variables: { A: unknown } }).variables.A, null);
    assert.ok(Object.hasOwn((given as { job: object }).job, "__proto__"));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("check() gives what `pipewright check --format json` prints, with the fixes besides", async () => {
  const dir = path.join("test", "fixtures", "broken");
  const printed = JSON.parse(cli("check", dir, "--format", "json").stdout);
  const given = await api.check({ dir: path.join(root, dir) });
  assert.ok(given.length > 0);
  assert.deepEqual(
    given.map(({ fixes: _, ...d }) => JSON.parse(JSON.stringify(d))),
    printed,
  );
});

test("pipeline() gives what `pipewright pipeline --format json` prints for the same scenario", async () => {
  const dir = path.join("test", "fixtures", "pipeline");
  const flags = ["--source", "merge_request_event", "--branch", "feat", "--mr-labels", "docs", "--changed", "src/a.rb"];
  const printed = JSON.parse(cli("pipeline", dir, ...flags, "--format", "json").stdout);
  const given = await api.pipeline({
    dir: path.join(root, dir),
    scenario: { source: "merge_request_event", branch: "feat", mrLabels: ["docs"], changed: ["./src/a.rb"] },
  });
  assert.deepEqual(given, printed);
  assert.equal(given.name, "review pipeline for feat");
  // a scenario of .pipewright.yml, by name, as --scenario
  const tag = await api.pipeline({ dir: path.join(root, dir), scenario: { name: "release tag" } });
  assert.deepEqual(tag, JSON.parse(cli("pipeline", dir, "--scenario", "release tag", "--format", "json").stdout));
  assert.ok(tag.jobs.some((j) => j.name === "release"));
});

test("pipeline() over files in memory: a push to the default branch unless told, rules decide", async () => {
  const files = {
    ".gitlab-ci.yml": y(
      "build:",
      "  script: make",
      "deploy:",
      "  script: ./deploy",
      "  rules:",
      "    - if: $CI_COMMIT_TAG",
      "      when: manual",
    ),
  };
  const push = await api.pipeline({ files });
  assert.equal(push.created, true);
  assert.deepEqual(
    push.jobs.map((j) => j.name),
    ["build"],
  );
  const tag = await api.pipeline({ files, scenario: { tag: "v1.0.0" } });
  assert.deepEqual(
    tag.jobs.map((j) => [j.name, j.when, j.rule]),
    [
      ["build", "on_success", null],
      ["deploy", "manual", { file: ".gitlab-ci.yml", line: 6 }],
    ],
  );
});

test("pipeline() refuses what the CLI's flags refuse", async () => {
  const files = { ".gitlab-ci.yml": y("build:", "  script: make") };
  type Scenario = import("../server/src/api").Scenario;
  const refused: Array<[unknown, RegExp]> = [
    [{ source: "pull" }, /source must be one of push, merge_request_event/],
    [{ mrEvent: "merged" }, /mrEvent must be one of/],
    [{ branch: "a", tag: "b" }, /branch and tag cannot be used together/],
    [{ changes: "all" }, /changes must be none or unknown/],
    [{ changed: ["a"], changes: "none" }, /changed and changes cannot be used together/],
    [{ name: "nightly" }, /no scenario "nightly"/],
  ];
  for (const [scenario, message] of refused)
    await assert.rejects(api.pipeline({ files, scenario: scenario as Scenario }), (e: Error) => {
      assert.ok(e instanceof TypeError, `${JSON.stringify(scenario)}: ${e}`);
      assert.match(e.message, message);
      return true;
    });
});
