import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test, type TestContext } from "node:test";
import type { ExternalRequest } from "../server/src/engine/external";
import { MAX_YAML_BYTES } from "../server/src/node/gitlab-api";
import { safeSegment } from "../server/src/node/include-cache";
import { defaultCacheDir, remoteIncludes, type RemoteIncludesOptions } from "../server/src/node/remote-includes";
import { type StandIn, type StandInData, startStandIn } from "./support/gitlab-stand-in";

// The node side of external includes against a stand-in GitLab on 127.0.0.1: what is fetched,
// what is asked of the API, what the cache answers afterwards (also offline, also when old), and
// GitLab's words when something is missing.

const sha = (name: string) => createHash("sha1").update(name).digest("hex");
const [MAIN, V1, C100, C120, C200RC, CMAIN] = ["main", "v1", "c1.0.0", "c1.2.0", "c2.0.0-rc.1", "cmain"].map(sha);
const TOKEN = "glpat-stand-in";
const MINUTE = 60_000;

const DATA: StandInData = {
  token: TOKEN,
  projects: {
    "group/lib": {
      defaultBranch: "main",
      refs: { main: MAIN, "v1.0.0": V1 },
      files: {
        [MAIN]: { "ci/a.yml": "a: main\n", "ci/b.yml": "b: main\n", "ci/c.yml": "c: main\n", "ci/empty.yml": " \n" },
        [V1]: { "ci/a.yml": "a: v1\n" },
      },
    },
    "group/components": {
      defaultBranch: "main",
      refs: { main: CMAIN, "1.0.0": C100, "1.2.0": C120, "2.0.0-rc.1": C200RC },
      files: {
        [C100]: { "templates/build.yml": "build: 1.0.0\n" },
        [C120]: { "templates/build.yml": "build: 1.2.0\n", "templates/deploy/template.yml": "deploy: 1.2.0\n" },
        [C200RC]: { "templates/build.yml": "build: 2.0.0-rc.1\n" },
        [CMAIN]: { "templates/build.yml": "build: main\n" },
      },
      releases: [
        { tag: "2.0.0-rc.1", sha: C200RC },
        { tag: "1.2.0", sha: C120 },
        { tag: "1.0.0", sha: C100 },
      ],
    },
    "group/secret": {
      defaultBranch: "main",
      refs: { main: MAIN },
      files: { [MAIN]: { "s.yml": "s: 1\n" } },
      private: true,
    },
    "../../../../etc": {
      defaultBranch: "main",
      refs: { main: MAIN },
      files: { [MAIN]: { "../../x/../../passwd.yml": "p: 1\n" } },
    },
  },
  templates: { "Jobs/SAST.gitlab-ci.yml": "sast:\n  script: scan\n" },
  remote: {
    "/remote/gitlab.gnome.org/x.yml": "r: 1\n",
    "/remote/hostile": "h: 1\n",
    "/remote/example.org/big.yml": "x".repeat(MAX_YAML_BYTES + 1),
    "/remote/example.org/just-fits.yml": "x".repeat(MAX_YAML_BYTES),
  },
};

interface Setup {
  readonly gitlab: StandIn;
  readonly host: string;
  readonly cacheDir: string;
  readonly includes: ReturnType<typeof remoteIncludes>;
  readonly clock: { now: number };
}

/** A stand-in, a fresh cache folder (in a folder of its own, to see nothing is written beside it), the includes. */
async function setup(t: TestContext, options: Partial<RemoteIncludesOptions> = {}): Promise<Setup> {
  const gitlab = await startStandIn(DATA);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-includes-"));
  const cacheDir = path.join(root, "cache");
  const clock = { now: Date.UTC(2025, 0, 1) };
  t.after(async () => {
    await gitlab.close();
    fs.rmSync(root, { recursive: true, force: true });
  });
  const includes = remoteIncludes({
    instanceUrl: gitlab.url,
    token: { kind: "private", value: TOKEN },
    cacheDir,
    rewriteRemote: (url) => `${gitlab.url}/remote/${url.replace(/^https?:\/\//, "")}`,
    now: () => clock.now,
    ...options,
  });
  return { gitlab, host: includes.instanceHost, cacheDir, includes, clock };
}

const project = (host: string, ref: string | undefined, file = "ci/a.yml", p = "group/lib"): ExternalRequest => ({
  kind: "project",
  host,
  project: p,
  ref,
  file,
});
const component = (host: string, name: string, version: string, p = "group/components"): ExternalRequest => ({
  kind: "component",
  host,
  project: p,
  name,
  version,
});
const failed = (message: string, severity: "error" | "warning" = "error", refresh = false) => ({
  answer: { status: "failed", message, severity },
  refresh,
});
const DENIED =
  "not found or access denied! Make sure any includes in the pipeline configuration are correctly defined.";

test("a project's file at a branch, a tag, a SHA and the default branch; one commit request per ref", async (t) => {
  const { gitlab, host, cacheDir, includes } = await setup(t);
  assert.deepEqual(includes.lookup(project(host, "main")), {
    answer: { status: "unknown", why: "is not in the include cache yet" },
    refresh: true,
  });
  const requests = [project(host, "main"), project(host, "v1.0.0"), project(host, V1), project(host, undefined)];
  await includes.fetch([...requests, project(host, "main", "ci/b.yml"), project(host, "main", "ci/c.yml")]);
  const at = (sha: string, file = "ci/a.yml") => `//${host}/group/lib/-/blob/${sha}/${file}`;
  const found = (sha: string) => ({
    answer: { status: "found", path: at(sha), context: { host, project: "group/lib", sha } },
    refresh: false,
  });
  assert.deepEqual(
    requests.map((r) => includes.lookup(r)),
    [found(MAIN), found(V1), found(V1), found(MAIN)],
  );
  assert.equal(includes.read(at(MAIN)), "a: main\n");
  assert.equal(includes.read(at(V1)), "a: v1\n");
  assert.equal(includes.lookup(project(host, "main", "ci/c.yml")).answer.status, "found");
  const port = host.split(":")[1];
  assert.equal(
    includes.diskPath(at(MAIN)),
    path.join(cacheDir, `127.0.0.1%3A${port}`, "group/lib/-/blob", MAIN, "ci/a.yml"),
  );
  assert.equal(includes.read(at("0".repeat(40))), undefined, "a path no lookup answered");
  assert.deepEqual(
    gitlab.requests.map((r) => r.path).filter((p) => !p.includes("/raw?")),
    [
      "/api/v4/projects/group%2Flib/repository/commits/main",
      "/api/v4/projects/group%2Flib/repository/commits/v1.0.0",
      "/api/v4/projects/group%2Flib",
    ],
    "the SHA needs no commit request, and main is asked once for three files and the default branch",
  );
  assert.ok(
    gitlab.requests.some((r) => r.path === `/api/v4/projects/group%2Flib/repository/files/ci%2Fa.yml/raw?ref=${V1}`),
  );
});

test("components: exact version, partial version, ~latest (no prerelease), template.yml, a branch", async (t) => {
  const { gitlab, host, includes } = await setup(t);
  const requests = [
    component(host, "build", "1.0.0"),
    component(host, "build", "1"),
    component(host, "build", "~latest"),
    component(host, "deploy", "1.2"),
    component(host, "build", "main"),
  ];
  await includes.fetch(requests);
  const found = (sha: string, file = "templates/build.yml") => ({
    answer: {
      status: "found",
      path: `//${host}/group/components/-/blob/${sha}/${file}`,
      context: { host, project: "group/components", sha },
    },
    refresh: false,
  });
  assert.deepEqual(
    requests.map((r) => includes.lookup(r)),
    [found(C100), found(C120), found(C120), found(C120, "templates/deploy/template.yml"), found(CMAIN)],
  );
  assert.equal(
    includes.read(`//${host}/group/components/-/blob/${C120}/templates/deploy/template.yml`),
    "deploy: 1.2.0\n",
  );
  assert.equal(gitlab.requests.filter((r) => r.path.includes("/releases")).length, 1, "releases are asked once");
});

test("components GitLab cannot resolve, in fetch_service.rb's words", async (t) => {
  const { gitlab, host, includes } = await setup(t);
  const other = component("gitlab.example.com", "build", "1.0.0");
  const requests = [
    component(host, "build", "9.9.9"),
    component(host, "nope", "1.0.0"),
    component(host, "build", "1.0.0", "group/missing"),
    component(host, "build", "~latest", "group/lib"),
    component(host, "build", "1", "group/lib"),
  ];
  const elsewhere = project("gitlab.example.com", "main");
  const invalid: ExternalRequest = { kind: "remote", url: "ftp://example.org/x.yml" };
  await includes.fetch([other, elsewhere, invalid]);
  assert.deepEqual(gitlab.requests, [], "another instance, or no http(s) URL: nothing is asked");
  assert.deepEqual(
    includes.lookup(invalid),
    failed("Remote file `ftp://example.org/x.yml` does not have a valid address!"),
  );
  assert.deepEqual(
    includes.lookup(elsewhere),
    failed(
      "Project `group/lib` is on gitlab.example.com, but includes are fetched only from the configured GitLab " +
        `instance, ${host}`,
      "warning",
    ),
  );
  await includes.fetch(requests);
  const prefix = (r: ExternalRequest) =>
    r.kind === "component" ? `Component '${r.host}/${r.project}/${r.name}@${r.version}' -` : "";
  const unsupported = (what: string) =>
    `${what} is not supported for non-catalog resources. Use a tag, branch, or commit SHA instead.`;
  assert.deepEqual(
    requests.map((r) => includes.lookup(r)),
    [
      failed(`${prefix(requests[0])} content not found`),
      failed(`${prefix(requests[1])} content not found`),
      failed(`${prefix(requests[2])} project does not exist or you don't have sufficient permissions`),
      failed(`${prefix(requests[3])} ${unsupported("The ~latest version reference")}`),
      failed(`${prefix(requests[4])} ${unsupported("The partial semantic version reference")}`),
    ],
  );
  assert.deepEqual(
    includes.lookup(other),
    failed(`${prefix(other)} the component path is not supported (the GitLab instance is \`${host}\`)`),
  );
});

test("a CI template and a remote file; the token goes to the instance's API only", async (t) => {
  const { gitlab, host, includes } = await setup(t);
  const template: ExternalRequest = { kind: "template", host, name: "Jobs/SAST.gitlab-ci.yml" };
  const remote: ExternalRequest = { kind: "remote", url: "https://gitlab.gnome.org/x.yml" };
  await includes.fetch([template, remote, project(host, "main")]);
  assert.deepEqual(includes.lookup(template), {
    answer: { status: "found", path: `//${host}/-/ci-templates/Jobs/SAST.gitlab-ci.yml` },
    refresh: false,
  });
  assert.deepEqual(includes.lookup(remote), {
    answer: { status: "found", path: "//-/remote/https/gitlab.gnome.org/x.yml" },
    refresh: false,
  });
  assert.equal(includes.read(`//${host}/-/ci-templates/Jobs/SAST.gitlab-ci.yml`), "sast:\n  script: scan\n");
  assert.equal(includes.read("//-/remote/https/gitlab.gnome.org/x.yml"), "r: 1\n");
  const tokens = gitlab.requests.map((r): [string, unknown] => [
    r.path,
    r.headers["private-token"] ?? r.headers["job-token"],
  ]);
  assert.deepEqual(
    tokens.filter(([p]) => !p.startsWith("/api/")),
    [["/remote/gitlab.gnome.org/x.yml", undefined]],
    "a remote file gets no token, even on the instance's host",
  );
  assert.ok(tokens.filter(([p]) => p.startsWith("/api/")).every(([, token]) => token === TOKEN));
  assert.ok(gitlab.requests.some((r) => r.path === "/api/v4/templates/gitlab_ci_ymls/Jobs%2FSAST"));
});

test("a job token goes as JOB-TOKEN; a remote file on another server gets none", async (t) => {
  const other = await startStandIn({ projects: {}, templates: {}, remote: { "/x.yml": "o: 1\n" } });
  t.after(() => other.close());
  const { gitlab, host, includes } = await setup(t, { token: { kind: "job", value: TOKEN }, rewriteRemote: (u) => u });
  const remote: ExternalRequest = { kind: "remote", url: `${other.url}/x.yml` };
  await includes.fetch([remote, project(host, "main")]);
  assert.equal(includes.lookup(remote).answer.status, "found");
  assert.deepEqual(other.requests[0].headers["job-token"] ?? other.requests[0].headers["private-token"], undefined);
  assert.ok(gitlab.requests.every((r) => r.headers["job-token"] === TOKEN && !r.headers["private-token"]));
});

test("what GitLab would fail on: project, ref, file, empty file, template, remote 404, token", async (t) => {
  const { gitlab, host, includes } = await setup(t);
  gitlab.failures.set("/api/v4/projects/group%2Fforbidden/repository/commits/main", { status: 403 });
  const template: ExternalRequest = { kind: "template", host, name: "Nope.gitlab-ci.yml" };
  const badName: ExternalRequest = { kind: "template", host, name: "Nope.yml" };
  const remote: ExternalRequest = { kind: "remote", url: "https://gitlab.gnome.org/missing.yml" };
  const requests = [
    project(host, "main", "ci/a.yml", "group/missing"),
    project(host, "main", "ci/a.yml", "group/forbidden"),
    project(host, "nope"),
    project(host, "main", "ci/nope.yml"),
    project(host, "main", "ci/empty.yml"),
    project(host, "0".repeat(40)),
    template,
    badName,
    remote,
  ];
  await includes.fetch(requests);
  assert.deepEqual(
    requests.map((r) => includes.lookup(r)),
    [
      failed(`Project \`group/missing\` ${DENIED}`),
      failed(`Project \`group/forbidden\` ${DENIED}`),
      failed("Project `group/lib` reference `nope` does not exist!"),
      failed("Project `group/lib` file `ci/nope.yml` does not exist!"),
      failed("Project `group/lib` file `ci/empty.yml` is empty!"),
      failed(`Project \`group/lib\` reference \`${"0".repeat(40)}\` does not exist!`),
      failed("Included file `Nope.gitlab-ci.yml` is empty or does not exist!"),
      failed("Template file `Nope.yml` is not a valid location!"),
      failed(
        "Remote file `https://gitlab.gnome.org/missing.yml` could not be fetched because of HTTP code `404` error!",
      ),
    ],
  );
  // a private project: 404 without a token, 401 with a wrong one
  const secret = project(host, "main", "s.yml", "group/secret");
  const anonymous = await setup(t, { token: undefined });
  await anonymous.includes.fetch([project(anonymous.host, "main", "s.yml", "group/secret")]);
  assert.deepEqual(
    anonymous.includes.lookup(project(anonymous.host, "main", "s.yml", "group/secret")),
    failed(`Project \`group/secret\` ${DENIED}`),
  );
  const wrong = await setup(t, { token: { kind: "private", value: "wrong" } });
  await wrong.includes.fetch([project(wrong.host, "main", "s.yml", "group/secret")]);
  assert.deepEqual(
    wrong.includes.lookup(project(wrong.host, "main", "s.yml", "group/secret")),
    failed(`Project \`group/secret\` ${DENIED} (GitLab answered 401 Unauthorized: is the token valid?)`),
  );
  await includes.fetch([secret]);
  assert.equal(includes.lookup(secret).answer.status, "found", "with the right token");
});

test("5xx is retried, then a warning; a timeout and a refused connection are warnings", async (t) => {
  const { gitlab, host, includes } = await setup(t, { timeoutMs: 200 });
  const commits = "/api/v4/projects/group%2Flib/repository/commits/main";
  gitlab.failures.set(commits, { status: 500 });
  gitlab.failures.set("/remote/example.org/slow.yml", { hang: true });
  const slow: ExternalRequest = { kind: "remote", url: "https://example.org/slow.yml" };
  const started = Date.now();
  await includes.fetch([project(host, "main"), slow]);
  assert.ok(Date.now() - started >= 1250, "backoff of 250 ms, then 1 s");
  assert.equal(gitlab.requests.filter((r) => r.path === commits).length, 3, "tried three times");
  assert.equal(gitlab.requests.filter((r) => r.path === "/remote/example.org/slow.yml").length, 3);
  assert.deepEqual(
    includes.lookup(project(host, "main")),
    failed("Project `group/lib` file `ci/a.yml` could not be fetched because of HTTP code `500` error!", "warning"),
  );
  assert.deepEqual(
    includes.lookup(slow),
    failed("Remote file `https://example.org/slow.yml` could not be fetched because of a timeout error!", "warning"),
  );
  // a retry that passes
  gitlab.failures.set(commits, { status: 503, times: 1 });
  await includes.fetch([project(host, "main", "ci/b.yml")]);
  assert.equal(includes.lookup(project(host, "main", "ci/b.yml")).answer.status, "found");
  // nothing listens
  const closed = await startStandIn(DATA);
  await closed.close();
  const offline = await setup(t, { instanceUrl: closed.url, retries: 0 });
  const r = project(offline.host, "main");
  await offline.includes.fetch([r]);
  const { answer } = offline.includes.lookup(r);
  assert.equal(answer.status === "failed" && answer.severity, "warning");
  assert.match(
    answer.status === "failed" ? answer.message : "",
    /^Project `group\/lib` file `ci\/a\.yml` could not be fetched because of a socket error! \(connect ECONNREFUSED /,
  );
});

test("fetch() keeps to its budget, and never rejects", async (t) => {
  const { gitlab, host, includes } = await setup(t, { budgetMs: 300 });
  gitlab.failures.set("/api/v4/projects/group%2Flib/repository/commits/main", { hang: true });
  const started = Date.now();
  await includes.fetch([project(host, "main")]);
  assert.ok(Date.now() - started < 2000);
  assert.deepEqual(
    includes.lookup(project(host, "main")),
    failed(
      "Project `group/lib` file `ci/a.yml` could not be fetched because of a timeout error! " +
        "(fetching took longer than 0.3 s)",
      "warning",
    ),
  );
});

test("the cache answers offline; a branch copy expires, a SHA copy never; failures are kept a minute", async (t) => {
  const { gitlab, host, cacheDir, clock, includes } = await setup(t, { refreshMinutes: 60 });
  const template: ExternalRequest = { kind: "template", host, name: "Jobs/SAST.gitlab-ci.yml" };
  await includes.fetch([project(host, "main"), project(host, V1), template]);
  await gitlab.close();
  // another session, offline
  const later = remoteIncludes({ instanceUrl: gitlab.url, cacheDir, now: () => clock.now, retries: 0 });
  assert.equal(later.lookup(project(host, "main")).refresh, false);
  const { answer } = later.lookup(project(host, "main"));
  assert.equal(answer.status === "found" && later.read(answer.path), "a: main\n");
  clock.now += 61 * MINUTE;
  assert.equal(later.lookup(project(host, "main")).refresh, true, "older than refreshMinutes");
  clock.now += 10 * 365 * 24 * 60 * MINUTE;
  assert.equal(later.lookup(project(host, V1)).refresh, false, "a SHA is final");
  // the refresh fails: the old copy is used, with a note, and not asked again for a minute
  await later.fetch([project(host, "main"), project(host, V1), template]);
  const { answer: old, refresh } = later.lookup(project(host, "main"));
  assert.equal(refresh, false);
  assert.equal(old.status === "found" && old.path, `//${host}/group/lib/-/blob/${MAIN}/ci/a.yml`);
  assert.match(
    old.status === "found" ? (old.note ?? "") : "",
    /^fetched 3650 days ago; it could not be refreshed: Project `group\/lib` file `ci\/a\.yml` could not be fetched because of a socket error! \(/,
  );
  assert.equal(later.lookup(project(host, V1)).answer.status, "found");
  assert.equal((later.lookup(project(host, V1)).answer as { note?: string }).note, undefined, "a SHA needs no network");
  clock.now += MINUTE;
  assert.equal(later.lookup(project(host, "main")).refresh, true, "a minute later, asked again");
  assert.equal(later.lookup(template).refresh, true);
});

test("identical requests are fetched once; at most 4 requests at once", async (t) => {
  const { gitlab, host, includes } = await setup(t);
  const r = project(host, "main");
  await Promise.all([includes.fetch([r, r]), includes.fetch([r])]);
  assert.equal(gitlab.requests.length, 2, "one commit, one file");
  const urls = Array.from({ length: 10 }, (_, i) => `https://example.org/slow${i}.yml`);
  for (const [i] of urls.entries())
    gitlab.failures.set(`/remote/example.org/slow${i}.yml`, { status: 404, delayMs: 50 });
  await includes.fetch(urls.map((url) => ({ kind: "remote", url })));
  assert.equal(gitlab.maxInFlight, 4);
});

test("redirects: followed within the origin, refused to another (and no token follows)", async (t) => {
  const other = await startStandIn({ projects: {}, templates: {}, remote: { "/x.yml": "o: 1\n" } });
  t.after(() => other.close());
  const { gitlab, host, includes } = await setup(t);
  gitlab.failures.set("/remote/example.org/moved.yml", { redirect: "/remote/gitlab.gnome.org/x.yml" });
  gitlab.failures.set("/remote/example.org/away.yml", { redirect: `${other.url}/x.yml` });
  gitlab.failures.set("/api/v4/projects/group%2Flib/repository/commits/main", { redirect: `${other.url}/x.yml` });
  const moved: ExternalRequest = { kind: "remote", url: "https://example.org/moved.yml" };
  const away: ExternalRequest = { kind: "remote", url: "https://example.org/away.yml" };
  await includes.fetch([moved, away, project(host, "main")]);
  assert.equal(includes.read("//-/remote/https/example.org/moved.yml"), undefined);
  assert.equal(includes.lookup(moved).answer.status, "found");
  assert.equal(includes.read("//-/remote/https/example.org/moved.yml"), "r: 1\n");
  assert.deepEqual(
    includes.lookup(away),
    failed(
      "Remote file `https://example.org/away.yml` could not be fetched because of a redirect to another origin! " +
        `(${other.url}/x.yml)`,
      "warning",
    ),
  );
  assert.equal(includes.lookup(project(host, "main")).answer.status, "failed");
  assert.deepEqual(other.requests, [], "never followed");
});

test("the size cap: GitLab's max_yaml_size_bytes", async (t) => {
  const { includes } = await setup(t);
  const big: ExternalRequest = { kind: "remote", url: "https://example.org/big.yml" };
  const fits: ExternalRequest = { kind: "remote", url: "https://example.org/just-fits.yml" };
  await includes.fetch([big, fits]);
  assert.deepEqual(includes.lookup(big), failed("`https://example.org/big.yml`: The provided YAML is too big"));
  assert.equal(includes.lookup(fits).answer.status, "found");
});

test("hostile projects, files and URLs stay inside the cache folder", async (t) => {
  const { host, cacheDir, includes } = await setup(t);
  const evil = project(host, "main", "../../x/../../passwd.yml", "../../../../etc");
  const url = "https://evil/../..\\%2e%2e/a:b?c#d/%00.yml";
  const hostile: ExternalRequest = { kind: "remote", url };
  const withRewrite = remoteIncludes({
    instanceUrl: `http://${host}`,
    cacheDir,
    rewriteRemote: () => `http://${host}/remote/hostile`,
  });
  await includes.fetch([evil]);
  await withRewrite.fetch([hostile]);
  const paths = [includes.lookup(evil).answer, withRewrite.lookup(hostile).answer].map((a) =>
    a.status === "found" ? a.path : a,
  );
  assert.equal(paths[0], `//${host}/../../../../etc/-/blob/${MAIN}/../../x/../../passwd.yml`);
  assert.equal(paths[1], "//-/remote/https/evil/../..\\%2e%2e/a:b?c#d/%00.yml");
  assert.equal(includes.read(paths[0] as string), "p: 1\n");
  assert.equal(withRewrite.read(paths[1] as string), "h: 1\n");
  const disk = [includes.diskPath(paths[0] as string)!, withRewrite.diskPath(paths[1] as string)!];
  for (const file of disk) assert.ok(file.startsWith(cacheDir + path.sep) && fs.existsSync(file), file);
  assert.equal(disk[1], path.join(cacheDir, "-/remote/https/evil/%2E%2E/..%5C%252e%252e/a%3Ab%3Fc%23d/%2500.yml"));
  const outside = fs.readdirSync(path.dirname(cacheDir)).filter((f) => f !== "cache");
  assert.deepEqual(outside, [], "nothing beside the cache folder");
  assert.deepEqual(["..", ".", "", "a\\b", "c:", "%", "\u0000x", "con.yml", "x.", "ok-name_1.yml"].map(safeSegment), [
    "%2E%2E",
    "%2E",
    "%",
    "a%5Cb",
    "c%3A",
    "%25",
    "%00x",
    "%63on.yml",
    "x%2E",
    "ok-name_1.yml",
  ]);
});

test("the default cache folder per platform", () => {
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: "/x/cache" }, "linux", "/home/u"), "/x/cache/pipewright/includes");
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: "rel" }, "linux", "/home/u"), "/home/u/.cache/pipewright/includes");
  assert.equal(defaultCacheDir({}, "darwin", "/Users/u"), "/Users/u/Library/Caches/pipewright/includes");
  assert.equal(
    defaultCacheDir({ LOCALAPPDATA: "C:\\Users\\u\\AppData\\Local" }, "win32", "C:\\Users\\u"),
    "C:\\Users\\u\\AppData\\Local\\pipewright\\includes",
  );
});
