import * as assert from "node:assert/strict";
import { test } from "node:test";
import {
  type ExternalAnswer,
  type ExternalRequest,
  projectFilePath,
  remotePath,
  requestKey,
  templatePath,
} from "../server/src/engine/external";
import { MemoryHost } from "../server/src/engine/memory-host";
import type { PositionedDiagnostic } from "../server/src/workspace/diagnostics";
import type { RemoteConfig, RemoteIncludes } from "../server/src/workspace/io";
import { Workspace } from "../server/src/workspace/workspace";
import { y } from "./helpers";

// External includes through the Workspace, with the include cache faked in memory: what the engine
// asks for (requests as GitLab reads the entries), where fetched files' own includes are read, how
// answers become findings, and the fetch-then-analyse-again loop. The real cache and fetching are
// tested against a GitLab stand-in in remote-includes.test.ts.

const SHA_A = "a".repeat(40);
const SHA_C = "c".repeat(40);
const LIB = { host: "gitlab.example.com", project: "group/lib", sha: SHA_A };
const COMP = { host: "gitlab.example.com", project: "components/lint", sha: SHA_C };

/** An include cache in memory: `files` answer once fetched; everything else fails like GitLab. */
class FakeRemote implements RemoteIncludes {
  readonly instanceHost = "gitlab.example.com";
  readonly fetched = new Set<string>();
  readonly asked: ExternalRequest[][] = [];
  constructor(private readonly files: Map<string, { answer: ExternalAnswer; text?: string }>) {}

  lookup(request: ExternalRequest): { answer: ExternalAnswer; refresh: boolean } {
    const key = requestKey(request);
    const known = this.files.get(key);
    if (!this.fetched.has(key)) return { answer: { status: "unknown" }, refresh: true };
    return {
      answer: known?.answer ?? { status: "failed", message: `no such file: ${key}`, severity: "error" },
      refresh: false,
    };
  }

  read(path: string): string | undefined {
    for (const f of this.files.values()) if (f.answer.status === "found" && f.answer.path === path) return f.text;
    return undefined;
  }

  diskPath(path: string): string | undefined {
    return this.read(path) === undefined ? undefined : `/cache/${path.slice(2)}`;
  }

  async fetch(requests: readonly ExternalRequest[]): Promise<void> {
    this.asked.push([...requests]);
    for (const r of requests) this.fetched.add(requestKey(r));
  }
}

function served(entries: Array<[ExternalRequest, ExternalAnswer, string?]>) {
  return new Map(entries.map(([r, answer, text]) => [requestKey(r), { answer, text }]));
}

const libFile = (file: string) => projectFilePath(LIB, file);

const REMOTE: Array<[ExternalRequest, ExternalAnswer, string?]> = [
  [
    { kind: "project", host: "gitlab.example.com", project: "group/lib", ref: "v1", file: "ci/base.yml" },
    { status: "found", path: libFile("ci/base.yml"), context: LIB },
    y(".base:", "  image: ruby:3.3", "include:", "  - local: ci/more.yml"),
  ],
  [
    { kind: "project", host: "gitlab.example.com", project: "group/lib", ref: SHA_A, file: "ci/more.yml" },
    { status: "found", path: libFile("ci/more.yml"), context: LIB },
    y("lib-lint:", "  script: [lint]", "  stage: nowhere"),
  ],
  [
    { kind: "component", host: "gitlab.example.com", project: "components/lint", name: "check", version: "1.2" },
    { status: "found", path: projectFilePath(COMP, "templates/check.yml"), context: COMP },
    y(
      "spec:",
      "  inputs:",
      "    stage:",
      "      default: test",
      "---",
      "check:",
      "  stage: $[[ inputs.stage ]]",
      "  script: [check]",
    ),
  ],
  [
    { kind: "template", host: "gitlab.example.com", name: "Jobs/Scan.gitlab-ci.yml" },
    { status: "found", path: templatePath("gitlab.example.com", "Jobs/Scan.gitlab-ci.yml") },
    y("scan:", "  script: [scan]", "include:", "  - local: nested.yml"),
  ],
  [
    { kind: "remote", url: "https://example.org/ci.yml" },
    {
      status: "found",
      path: remotePath("https://example.org/ci.yml"),
      note: "fetched 3 days ago; it could not be refreshed: timeout",
    },
    y("remote-job:", "  script: [remote]"),
  ],
];

const ROOT = y(
  "stages: [build, test]",
  "include:",
  "  - project: group/lib",
  "    ref: v1",
  "    file: /ci/base.yml",
  "  - component: $CI_SERVER_FQDN/components/lint/check@1.2",
  "    inputs:",
  "      stage: build",
  "  - template: Jobs/Scan.gitlab-ci.yml",
  "  - remote: https://example.org/ci.yml",
  "  - project: group/missing",
  "    file: ci.yml",
  "unit:",
  "  extends: .base",
  "  script: [rspec]",
);

function workspace(files: Record<string, string>, remote: FakeRemote, mode: "fetch" | "cache" = "fetch") {
  const configs: RemoteConfig[] = [];
  const ws = new Workspace(
    {
      files: new MemoryHost(files),
      remoteIncludes: (config) => {
        configs.push(config);
        return remote;
      },
    },
    { remoteIncludes: mode },
  );
  return { ws, configs };
}

const brief = (ds: readonly PositionedDiagnostic[]) =>
  ds.map(
    (d) =>
      `${d.file}:${d.range.start.line}:${d.range.start.character} ${d.severity} ${d.code} ${d.message}` +
      (d.related ? ` [related ${d.related.map((r) => `${r.file}:${r.range.start.line}`).join(", ")}]` : ""),
  );

test("external includes: asked for as GitLab reads the entries, fetched, merged with their own includes", async () => {
  const remote = new FakeRemote(served(REMOTE));
  const { ws, configs } = workspace({ ".gitlab-ci.yml": ROOT }, remote);
  // the first analysis answers at once from the (empty) cache, and says what is being fetched
  const first = ws.analyze();
  assert.deepEqual(
    first.diagnostics
      .get(".gitlab-ci.yml")!
      .filter((d) => d.code === "include-external")
      .map((d) => d.message),
    [
      "include:project `group/lib` file `ci/base.yml` at `v1` is being fetched: " +
        "jobs and templates it defines are unknown to this analysis",
      "include:component `$CI_SERVER_FQDN/components/lint/check@1.2` is being fetched: " +
        "jobs and templates it defines are unknown to this analysis",
      "include:template `Jobs/Scan.gitlab-ci.yml` is being fetched: " +
        "jobs and templates it defines are unknown to this analysis",
      "include:remote `https://example.org/ci.yml` is being fetched: " +
        "jobs and templates it defines are unknown to this analysis",
      "include:project `group/missing` file `ci.yml` is being fetched: " +
        "jobs and templates it defines are unknown to this analysis",
    ],
  );
  assert.ok(ws.fetching, "a fetch started");
  const settled = await ws.analyzeSettled();
  assert.equal(ws.fetching, undefined);
  assert.deepEqual(configs, [{ instanceUrl: undefined, refreshMinutes: 60 }]);
  // round 1 asked for the five entries; round 2 for the local include inside the project file
  // (at that file's SHA) — the `local:` inside the template has no project, so nothing is asked
  assert.deepEqual(
    remote.asked.map((round) => round.map((r) => requestKey(r).split("\u0000").join(" "))),
    [
      [
        "project gitlab.example.com group/lib v1 ci/base.yml",
        "component gitlab.example.com components/lint check 1.2",
        "template gitlab.example.com Jobs/Scan.gitlab-ci.yml",
        "remote https://example.org/ci.yml",
        "project gitlab.example.com group/missing  ci.yml",
      ],
      [`project gitlab.example.com group/lib ${SHA_A} ci/more.yml`],
    ],
  );
  const model = settled.roots[0].main;
  assert.deepEqual(
    [...model.jobs.values()].filter((j) => j.kind === "job").map((j) => j.name),
    ["lib-lint", "check", "scan", "remote-job", "unit"],
  );
  assert.equal(model.effectiveJob("unit")!.entries.get("image")!.value.src.file, libFile("ci/base.yml"));
  assert.equal(model.hasExternalIncludes, true, "group/missing could not be read");
  // the component's input arrived; the project file's nested include was read from the cache
  assert.deepEqual(brief(settled.diagnostics.get(".gitlab-ci.yml")!), [
    // a warning, not an error: group/missing could not be read, and it might define the stage
    ".gitlab-ci.yml:2:4 warning stage-unknown `gitlab.example.com/group/lib/-/blob/" +
      `${SHA_A}/ci/more.yml\`: lib-lint job: chosen stage nowhere does not exist; available stages are .pre, build, ` +
      `test, .post [related ${libFile("ci/more.yml")}:2]`,
    ".gitlab-ci.yml:8:4 error include-invalid `gitlab.example.com/-/ci-templates/Jobs/Scan.gitlab-ci.yml`: " +
      "Local file `nested.yml` does not have project! " +
      "[related //gitlab.example.com/-/ci-templates/Jobs/Scan.gitlab-ci.yml:3]",
    ".gitlab-ci.yml:9:4 information include-cached include:remote `https://example.org/ci.yml`: " +
      "fetched 3 days ago; it could not be refreshed: timeout",
    ".gitlab-ci.yml:11:10 error include-fetch-failed no such file: " +
      "project\u0000gitlab.example.com\u0000group/missing\u0000\u0000ci.yml",
  ]);
  // fetched files get no diagnostics entry of their own
  assert.deepEqual([...settled.diagnostics.keys()], [".gitlab-ci.yml"]);
  assert.equal(
    ws.externalCopy(libFile("ci/base.yml")),
    `/cache/gitlab.example.com/group/lib/-/blob/${SHA_A}/ci/base.yml`,
  );
});

test("with remote includes off (the default) nothing is asked of the cache", () => {
  let opened = 0;
  const ws = new Workspace({
    files: new MemoryHost({ ".gitlab-ci.yml": ROOT }),
    remoteIncludes: () => {
      opened++;
      return new FakeRemote(new Map());
    },
  });
  const messages = ws
    .diagnostics()
    .filter((d) => d.code === "include-external")
    .map((d) => d.message);
  assert.equal(opened, 0);
  assert.equal(messages.length, 5);
  assert.equal(
    messages[0],
    "include:project `group/lib` file `/ci/base.yml` cannot be read offline: " +
      "jobs and templates it defines are unknown to this analysis",
  );
});

test("cache mode never fetches and says how to fill the cache", async () => {
  const remote = new FakeRemote(served(REMOTE));
  const { ws } = workspace({ ".gitlab-ci.yml": ROOT }, remote, "cache");
  const a = await ws.analyzeSettled();
  assert.equal(remote.asked.length, 0);
  assert.equal(
    a.diagnostics.get(".gitlab-ci.yml")!.find((d) => d.code === "include-external")!.message,
    "include:project `group/lib` file `ci/base.yml` at `v1` is not in the include cache " +
      "(run `pipewright fetch`, or turn fetching on): jobs and templates it defines are unknown to this analysis",
  );
});

test("an include cycle across projects is reported, not followed forever", async () => {
  const other = { host: "gitlab.example.com", project: "group/other", sha: "b".repeat(40) };
  const remote = new FakeRemote(
    served([
      [
        { kind: "project", host: "gitlab.example.com", project: "group/lib", file: "a.yml" },
        { status: "found", path: libFile("a.yml"), context: LIB },
        y("include:", "  - project: group/other", "    file: b.yml", "a:", "  script: [a]"),
      ],
      [
        { kind: "project", host: "gitlab.example.com", project: "group/other", file: "b.yml" },
        { status: "found", path: projectFilePath(other, "b.yml"), context: other },
        y("include:", "  - project: group/lib", "    file: a.yml", "b:", "  script: [b]"),
      ],
    ]),
  );
  const { ws } = workspace({ ".gitlab-ci.yml": y("include:", "  - project: group/lib", "    file: a.yml") }, remote);
  const a = await ws.analyzeSettled();
  const cycle = a.diagnostics.get(".gitlab-ci.yml")!.filter((d) => d.code === "include-cycle");
  assert.deepEqual(
    cycle.map((d) => d.message),
    [
      `\`gitlab.example.com/group/other/-/blob/${"b".repeat(40)}/b.yml\`: include cycle: ` +
        `${libFile("a.yml")} → ${projectFilePath(other, "b.yml")} → ${libFile("a.yml")} ` +
        '(GitLab fails with "Maximum of 150 nested includes are allowed!")',
    ],
  );
  assert.deepEqual([...a.roots[0].main.jobs.keys()].sort(), ["a", "b"]);
});

test("includes read, a missing name is an error: nothing from before the fetch says otherwise", async () => {
  const remote = new FakeRemote(
    served([
      [
        { kind: "remote", url: "https://example.org/ci.yml" },
        { status: "found", path: remotePath("https://example.org/ci.yml") },
        y(".setup:", "  script: [setup]"),
      ],
    ]),
  );
  const root = y(
    "include:",
    "  - remote: https://example.org/ci.yml",
    "build:",
    "  script:",
    "    - !reference [.setup, script]",
    // a job whose every reference is still missing after the fetch: its resolution is reused as is
    "deploy:",
    "  script:",
    "    - !reference [.teardown, script]",
  );
  const { ws } = workspace({ ".gitlab-ci.yml": root }, remote);
  const messages = (a: { diagnostics: ReadonlyMap<string, readonly PositionedDiagnostic[]> }) =>
    a.diagnostics
      .get(".gitlab-ci.yml")!
      .filter((d) => d.code === "reference-not-found")
      .map((d) => `${d.severity} ${d.message}`);
  assert.deepEqual(messages(ws.analyze()), [
    'warning !reference [".setup", "script"] could not be found; `.setup` may be defined in an include that ' +
      "cannot be read offline",
    'warning !reference [".teardown", "script"] could not be found; `.teardown` may be defined in an include ' +
      "that cannot be read offline",
  ]);
  assert.deepEqual(messages(await ws.analyzeSettled()), [
    'error !reference [".teardown", "script"] could not be found',
  ]);
});

test("a finding inside a component is shown on the include entry of its own inclusion, not the first", async () => {
  const component = (name: string, ...body: string[]): [ExternalRequest, ExternalAnswer, string] => [
    { kind: "component", host: "gitlab.example.com", project: "components/lint", name, version: "1.0" },
    { status: "found", path: projectFilePath(COMP, `templates/${name}.yml`), context: COMP },
    y(...body),
  ];
  const remote = new FakeRemote(
    served([
      // a typo in the job the component defines, once per inclusion (its name comes from the inputs)
      component(
        "check",
        "spec:",
        "  inputs:",
        "    name:",
        "---",
        "$[[ inputs.name ]]-check:",
        "  script: [x]",
        "  scripts: [y]",
      ),
      component(
        "audit",
        "spec:",
        "  inputs:",
        "    stage:",
        "      default: test",
        "---",
        "audit:",
        "  script: [x]",
        "  nope: 1",
      ),
    ]),
  );
  const root = y(
    "include:",
    "  - component: $CI_SERVER_FQDN/components/lint/check@1.0",
    "    inputs: {name: unit}",
    "  - component: $CI_SERVER_FQDN/components/lint/audit@1.0",
    "  - component: $CI_SERVER_FQDN/components/lint/check@1.0",
    "    inputs: {name: e2e}",
    "build: {script: [make]}",
  );
  const { ws } = workspace({ ".gitlab-ci.yml": root }, remote);
  const settled = await ws.analyzeSettled();
  const file = (name: string) => `gitlab.example.com/components/lint/-/blob/${SHA_C}/templates/${name}.yml`;
  assert.deepEqual(
    settled.diagnostics.get(".gitlab-ci.yml")!.map((d) => [d.range, d.code, d.message]),
    [
      [
        { start: { line: 1, character: 4 }, end: { line: 2, character: 24 } },
        "schema-unknown-keyword",
        `\`${file("check")}\`: jobs:unit-check config contains unknown keys: scripts. ` +
          'unknown keyword "scripts" in "$[[ inputs.name ]]-check" — did you mean "script"?',
      ],
      [
        { start: { line: 3, character: 4 }, end: { line: 3, character: 56 } },
        "schema-unknown-keyword",
        `\`${file("audit")}\`: jobs:audit config contains unknown keys: nope. unknown keyword "nope" in job "audit"`,
      ],
      [
        { start: { line: 4, character: 4 }, end: { line: 5, character: 23 } },
        "schema-unknown-keyword",
        `\`${file("check")}\`: jobs:e2e-check config contains unknown keys: scripts. ` +
          'unknown keyword "scripts" in "$[[ inputs.name ]]-check" — did you mean "script"?',
      ],
    ],
  );
});
