import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test, type TestContext } from "node:test";
import { fixtureSha } from "./support/external-fixtures";
import { startStandIn, type StandIn, type StandInData } from "./support/gitlab-stand-in";
import { y } from "./helpers";

// `pipewright check --fetch`, `--offline` and `pipewright fetch` end to end: the CLI as a user runs
// it, against a GitLab stand-in on 127.0.0.1 and a cache folder of the test's own.

const cli = path.resolve(__dirname, "..", "..", "dist", "cli.js");
const TOKEN = "glpat-s3cret";
const LIB = fixtureSha("group/lib", "main");
const LINT = fixtureSha("components/lint", "1.2.0");

const DATA: StandInData = {
  token: TOKEN,
  projects: {
    "group/lib": {
      defaultBranch: "main",
      private: true,
      refs: { main: LIB },
      files: {
        [LIB]: {
          "ci/base.yml": y(".base:", "  image: ruby:3.3", "include:", "  - local: ci/more.yml"),
          "ci/more.yml": y("lib-lint:", "  script: [lint]"),
        },
      },
    },
    "components/lint": {
      defaultBranch: "main",
      refs: { "1.2.0": LINT, "1.1.0": fixtureSha("components/lint", "1.1.0") },
      releases: [
        { tag: "1.2.0", sha: LINT },
        { tag: "1.1.0", sha: fixtureSha("components/lint", "1.1.0") },
      ],
      files: {
        [LINT]: {
          "templates/check.yml": y(
            "spec:",
            "  inputs:",
            "    stage:",
            "---",
            "check:",
            "  stage: $[[ inputs.stage ]]",
            "  script: [check]",
          ),
        },
      },
    },
  },
  templates: { "Jobs/Scan.gitlab-ci.yml": y("scan:", "  script: [scan]") },
  remote: {},
};

const CONFIG = y(
  "include:",
  "  - project: group/lib",
  "    ref: main",
  "    file: ci/base.yml",
  "  - component: $CI_SERVER_FQDN/components/lint/check@~latest",
  "    inputs:",
  "      stage: test",
  "  - template: Jobs/Scan.gitlab-ci.yml",
  "unit:",
  "  extends: .base",
  "  script: [rspec]",
);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI without blocking the event loop (the stand-in answers in this process). */
function run(cwd: string, env: Record<string, string>, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

async function setup(t: TestContext, files: Record<string, string>) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pw-remote-cli-"));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const project = path.join(tmp, "project");
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(project, f)), { recursive: true });
    fs.writeFileSync(path.join(project, f), text);
  }
  const gitlab: StandIn = await startStandIn(DATA);
  t.after(() => gitlab.close());
  return { project, cache: path.join(tmp, "cache"), gitlab };
}

const tokens = (gitlab: StandIn) => gitlab.requests.map((r) => r.headers["private-token"] ?? null);

test("check --fetch resolves project, component and template includes; --offline reads the copies", async (t) => {
  const { project, cache, gitlab } = await setup(t, { ".gitlab-ci.yml": CONFIG });
  const env = { GITLAB_TOKEN: TOKEN, PIPEWRIGHT_INCLUDE_CACHE: cache };
  const fetched = await run(project, env, "check", "--fetch", "--gitlab-url", gitlab.url, "--format", "json");
  assert.equal(fetched.stderr, "");
  assert.deepEqual(JSON.parse(fetched.stdout), []);
  assert.equal(fetched.status, 0);
  assert.ok(gitlab.requests.length >= 5);
  assert.deepEqual(new Set(tokens(gitlab)), new Set([TOKEN]), "every API request carried the token");

  // the stand-in gone: the copies answer, the same jobs, the values from the fetched files
  await gitlab.close();
  const merged = await run(project, env, "merged", "--offline", "--gitlab-url", gitlab.url, "--job", "unit");
  assert.equal(merged.status, 0, merged.stderr);
  assert.equal(merged.stdout, y("image: ruby:3.3", "extends: .base", "script:", "  - rspec", "stage: test"));
  const offline = await run(project, env, "check", "--offline", "--gitlab-url", gitlab.url);
  assert.equal(offline.stdout, "");
  assert.equal(offline.stderr, "5 files, 4 jobs: 0 errors, 0 warnings, 0 notes\n");
  assert.equal(offline.status, 0);
  // the copies are where the docs say, by instance, project, commit and path
  const host = new URL(gitlab.url).host.replace(":", "%3A"); // a folder name cannot hold `:` everywhere
  assert.equal(
    fs.readFileSync(path.join(cache, host, "group/lib/-/blob", LIB, "ci/base.yml"), "utf8"),
    DATA.projects["group/lib"].files[LIB]["ci/base.yml"],
  );
});

test("without --fetch nothing is fetched; --offline with an empty cache says how to fill it", async (t) => {
  const { project, cache, gitlab } = await setup(t, { ".gitlab-ci.yml": CONFIG });
  const env = { GITLAB_TOKEN: TOKEN, PIPEWRIGHT_INCLUDE_CACHE: cache };
  const off = await run(project, env, "check", "--gitlab-url", gitlab.url);
  const offline = await run(project, env, "check", "--offline", "--gitlab-url", gitlab.url);
  assert.deepEqual(gitlab.requests, []);
  assert.equal(fs.existsSync(cache), false, "the cache folder is not even created");
  assert.match(off.stdout, /include:project `group\/lib` file `ci\/base.yml` cannot be read offline/);
  assert.equal(
    offline.stdout.split("\n")[0],
    ".gitlab-ci.yml:2:5: information: include:project `group/lib` file `ci/base.yml` at `main` is not in the " +
      "include cache (run `pipewright fetch`, or turn fetching on): jobs and templates it defines are unknown to " +
      "this analysis [include-external]",
  );
});

test("an instance named only by .pipewright.yml gets no token; pipewright fetch says what failed", async (t) => {
  const { project, cache, gitlab } = await setup(t, { ".gitlab-ci.yml": CONFIG });
  fs.writeFileSync(path.join(project, ".pipewright.yml"), y(`gitlabUrl: ${gitlab.url}`, "remoteIncludes: fetch"));
  const env = { GITLAB_TOKEN: TOKEN, PIPEWRIGHT_INCLUDE_CACHE: cache };
  const r = await run(project, env, "fetch");
  assert.deepEqual(new Set(tokens(gitlab)), new Set([null]), "the token never left");
  assert.equal(
    r.stdout,
    ".gitlab-ci.yml:4:11: error: Project `group/lib` not found or access denied! Make sure any includes in the " +
      "pipeline configuration are correctly defined. [include-fetch-failed]\n",
  );
  assert.equal(r.stderr, "2 external files in the include cache; 1 include could not be fetched\n");
  assert.equal(r.status, 1);
  // the user naming the instance (here through $CI_SERVER_URL, as in a GitLab CI job) sends it
  gitlab.requests.length = 0;
  const named = await run(project, { ...env, CI_SERVER_URL: gitlab.url }, "fetch");
  assert.equal(named.status, 0, named.stdout);
  assert.ok(tokens(gitlab).includes(TOKEN));
});

test("an include cycle across projects, served by the stand-in, is named and not followed forever", async (t) => {
  const a = fixtureSha("group/a", "main");
  const b = fixtureSha("group/b", "main");
  const gitlab = await startStandIn({
    projects: {
      "group/a": {
        defaultBranch: "main",
        refs: { main: a },
        files: { [a]: { "a.yml": y("include:", "  - project: group/b", "    file: b.yml", "a:", "  script: [a]") } },
      },
      "group/b": {
        defaultBranch: "main",
        refs: { main: b },
        files: { [b]: { "b.yml": y("include:", "  - project: group/a", "    file: a.yml", "b:", "  script: [b]") } },
      },
    },
    templates: {},
    remote: {},
  });
  t.after(() => gitlab.close());
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pw-remote-cycle-"));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  fs.writeFileSync(path.join(tmp, ".gitlab-ci.yml"), y("include:", "  - project: group/a", "    file: a.yml"));
  const r = await run(
    tmp,
    { PIPEWRIGHT_INCLUDE_CACHE: path.join(tmp, ".cache") },
    "check",
    "--fetch",
    "--gitlab-url",
    gitlab.url,
  );
  const host = new URL(gitlab.url).host;
  const fileA = `//${host}/group/a/-/blob/${a}/a.yml`;
  const fileB = `//${host}/group/b/-/blob/${b}/b.yml`;
  assert.equal(
    r.stdout,
    `.gitlab-ci.yml:2:5: error: \`${fileB.slice(2)}\`: include cycle: ${fileA} → ${fileB} → ${fileA} ` +
      '(GitLab fails with "Maximum of 150 nested includes are allowed!") [include-cycle]\n',
  );
  assert.equal(r.status, 1);
});

test("a fetched copy is read-only on disk, so an editor opens it read-only", async (t) => {
  const { project, cache, gitlab } = await setup(t, { ".gitlab-ci.yml": CONFIG });
  const r = await run(
    project,
    { GITLAB_TOKEN: TOKEN, PIPEWRIGHT_INCLUDE_CACHE: cache },
    "fetch",
    "--gitlab-url",
    gitlab.url,
  );
  assert.equal(r.status, 0, r.stdout);
  const host = new URL(gitlab.url).host.replace(":", "%3A");
  const copy = path.join(cache, host, "group/lib/-/blob", LIB, "ci/base.yml");
  assert.equal(fs.statSync(copy).mode & 0o777, 0o444);
});
