import * as assert from "node:assert/strict";
import { test } from "node:test";
import type { PipelineViewData, PipelineViewJob } from "../server/src/lsp/pipeline-protocol";
import { pipelineErrorHtml, pipelineHtml } from "../client/src/pipeline-html";
import { layoutPipeline, type PipelineLayout, type PipelineLayoutJob } from "../client/src/pipeline-layout";

// The pipeline view's layout (elkjs, in Node) and page, without VS Code.

type Loc = NonNullable<PipelineViewJob["location"]>;

function loc(file: string, line: number): Loc {
  return { uri: `file:///work/project/${file}`, range: { start: { line, character: 0 }, end: { line, character: 5 } } };
}

function job(name: string, stage: string, more: Partial<PipelineViewJob> = {}): PipelineViewJob {
  return {
    name,
    stage,
    when: "on_success",
    allowFailure: false,
    startIn: null,
    needs: null,
    location: loc(".gitlab-ci.yml", 1),
    rule: null,
    ...more,
  };
}

function pipeline(jobs: PipelineViewJob[], more: Partial<PipelineViewData> = {}): PipelineViewData {
  const stages: Array<{ name: string; jobs: string[] }> = [];
  for (const j of jobs) {
    let stage = stages.find((s) => s.name === j.stage);
    if (!stage) stages.push((stage = { name: j.stage, jobs: [] }));
    stage.jobs.push(j.name);
  }
  return {
    title: "push to main",
    created: true,
    message: null,
    name: null,
    stages,
    jobs,
    notCreated: [],
    errors: [],
    warnings: [],
    children: [],
    ...more,
  };
}

const threeStages = pipeline([
  job("compile", "build"),
  job("assets", "build"),
  job("unit", "test", { needs: ["compile"] }),
  job("lint", "test", { needs: [] }),
  job("e2e", "test", { needs: ["compile", "assets", "gone"] }),
  job("deploy", "deploy", { when: "manual", needs: ["unit", "e2e"] }),
  job("notify", "deploy", { when: "delayed", startIn: "5 min" }),
]);

function byName(layout: PipelineLayout, name: string): PipelineLayoutJob {
  const found = layout.jobs.find((j) => j.name === name);
  assert.ok(found, name);
  return found;
}

test("layout: stages are columns left to right, jobs keep their order, needs are edges", async () => {
  const layout = await layoutPipeline(threeStages);
  assert.deepEqual(
    layout.columns.map((c) => c.stage),
    ["build", "test", "deploy"],
  );
  for (let i = 1; i < layout.columns.length; i++) {
    const previous = layout.columns[i - 1];
    assert.ok(
      previous.x + previous.width < layout.columns[i].x,
      `${previous.stage} left of ${layout.columns[i].stage}`,
    );
  }
  for (const j of layout.jobs) {
    const column = layout.columns.find((c) => c.stage === j.stage);
    assert.ok(column, j.stage);
    assert.ok(j.x >= column.x && j.x + j.width <= column.x + column.width, `${j.name} inside ${j.stage}`);
    assert.equal(j.height, 44);
    assert.ok(j.width >= 180 && j.width <= 260, `${j.name} width ${j.width}`);
    assert.equal(threeStages.jobs[j.index].name, j.name);
    assert.ok(j.x + j.width <= layout.width && j.y + j.height <= layout.height, `${j.name} inside the drawing`);
  }
  for (const stage of threeStages.stages) {
    const ys = stage.jobs.map((name) => byName(layout, name).y);
    assert.deepEqual(
      ys,
      [...ys].sort((a, b) => a - b),
      `${stage.name}: ${stage.jobs.join(", ")} top to bottom`,
    );
  }
  assert.deepEqual(byName(layout, "notify"), {
    ...byName(layout, "notify"),
    stage: "deploy",
    when: "delayed",
    startIn: "5 min",
    allowFailure: false,
    index: 6,
  });

  // "gone" is not a job of this pipeline: no edge for it
  assert.deepEqual(layout.edges.map((e) => `${e.from} -> ${e.to}`).sort(), [
    "assets -> e2e",
    "compile -> e2e",
    "compile -> unit",
    "e2e -> deploy",
    "unit -> deploy",
  ]);
  for (const edge of layout.edges) {
    const from = byName(layout, edge.from);
    const to = byName(layout, edge.to);
    assert.ok(edge.points.length >= 2, `${edge.from} -> ${edge.to}: ${edge.points.length} points`);
    const start = edge.points[0];
    const end = edge.points[edge.points.length - 1];
    assert.ok(Math.abs(start.x - (from.x + from.width)) <= 1, `${edge.from} -> ${edge.to} starts at the right edge`);
    assert.ok(start.y >= from.y - 1 && start.y <= from.y + from.height + 1, `starts beside ${edge.from}`);
    assert.ok(Math.abs(end.x - to.x) <= 1, `${edge.from} -> ${edge.to} ends at the left edge`);
    assert.ok(end.y >= to.y - 1 && end.y <= to.y + to.height + 1, `ends beside ${edge.to}`);
  }
});

test("layout: a stage listed without created jobs gets no column; `stages` order wins over job order", async () => {
  const data = pipeline([job("late", "deploy"), job("early", "build")], {
    stages: [
      { name: ".pre", jobs: [] },
      { name: "build", jobs: ["early"] },
      { name: "test", jobs: [] },
      { name: "deploy", jobs: ["late"] },
    ],
  });
  const layout = await layoutPipeline(data);
  assert.deepEqual(
    layout.columns.map((c) => c.stage),
    ["build", "deploy"],
  );
  assert.ok(byName(layout, "early").x < byName(layout, "late").x);
  assert.deepEqual(layout.edges, []);
});

test("layout: an empty pipeline, or one not created, has no columns", async () => {
  const notCreated = pipeline([], { created: false, message: "Pipeline filtered out by workflow rules.", stages: [] });
  for (const data of [notCreated, pipeline([])]) {
    const layout = await layoutPipeline(data);
    assert.deepEqual(layout.columns, []);
    assert.deepEqual(layout.jobs, []);
    assert.deepEqual(layout.edges, []);
    assert.ok(layout.width > 0 && layout.width <= 50 && layout.height > 0 && layout.height <= 50);
  }
});

const opts = { nonce: "abcdefghijklmnopqrstuvwxyz012345", cspSource: "https://test.vscode-cdn.net" };

test("page: names are escaped, one job group per job with its `when`, CSP and script carry the nonce", async () => {
  const data = pipeline(
    [
      job('<b>&"x"', "build", { rule: loc(".gitlab/ci/build.yml", 11) }),
      job("later", "build", { when: "manual", allowFailure: true, needs: ['<b>&"x"'] }),
      job("wait", "<test>", { when: "delayed", startIn: "5 min" }),
    ],
    {
      name: "Release & <deploy>",
      notCreated: [{ name: "docs<script>", why: "no rule matched", location: null, rule: loc("ci/docs.yml", 2) }],
      errors: [{ message: "needs <x> & more", location: loc(".gitlab-ci.yml", 4) }],
      warnings: [{ message: "plain", location: null }],
    },
  );
  const html = pipelineHtml(data, await layoutPipeline(data), opts);
  assert.ok(!html.includes("<b>"), "no raw <b>");
  assert.ok(!html.includes("<test>") && !html.includes("docs<script>") && !html.includes("<deploy>"));
  assert.ok(html.includes("&lt;b&gt;&amp;&quot;x&quot;"));
  assert.ok(html.includes('data-testid="stage" data-stage="&lt;test&gt;"'));
  assert.ok(html.includes("Release &amp; &lt;deploy&gt;"));
  assert.ok(html.includes("needs &lt;x&gt; &amp; more"));

  const jobs = [...html.matchAll(/<g [^>]*data-testid="job"[^>]*>/g)].map((m) => m[0]);
  assert.equal(jobs.length, 3);
  const attr = (tag: string, name: string): string | undefined => new RegExp(` ${name}="([^"]*)"`).exec(tag)?.[1];
  assert.deepEqual(
    jobs.map((g) => [attr(g, "data-job"), attr(g, "data-when"), attr(g, "data-index")]),
    [
      ["&lt;b&gt;&amp;&quot;x&quot;", "on_success", "0"],
      ["later", "manual", "1"],
      ["wait", "delayed", "2"],
    ],
  );
  assert.match(html, /delayed, in 5 min/);
  assert.match(html, /allowed to fail/);
  // the file by its last two path segments, the line 1-based
  assert.match(html, /rule: ci\/build\.yml:12/);
  assert.equal([...html.matchAll(/<path class="edge"/g)].length, 1);

  assert.ok(
    html.includes(
      '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; ' +
        "style-src https://test.vscode-cdn.net 'unsafe-inline'; script-src 'nonce-abcdefghijklmnopqrstuvwxyz012345';\">",
    ),
  );
  assert.equal([...html.matchAll(/<script\b/g)].length, 1);
  assert.ok(html.includes('<script nonce="abcdefghijklmnopqrstuvwxyz012345">'));
  assert.ok(!/src="http|href="http/.test(html), "no external resource");

  assert.equal([...html.matchAll(/data-testid="not-created"/g)].length, 1);
  assert.match(html, /data-message="openNotCreated" data-index="0"/);
  assert.match(html, /data-message="openProblem" data-kind="error" data-index="0"/);
  assert.doesNotMatch(html, /data-kind="warning"/, "a warning without a location is not clickable");
  assert.doesNotMatch(html, /data-testid="pipeline-message"/);
  assert.match(html, /<h1 data-testid="pipeline-title">push to main<\/h1>/);
});

test("page: a pipeline not created shows GitLab's message and no graph", async () => {
  const message = "Pipeline filtered out by workflow rules.";
  const data = pipeline([], {
    created: false,
    message,
    stages: [],
    notCreated: [{ name: "build", why: "when: never", location: loc(".gitlab-ci.yml", 3), rule: null }],
  });
  const html = pipelineHtml(data, await layoutPipeline(data), opts);
  assert.match(html, new RegExp(`<p class="message" role="alert" data-testid="pipeline-message">${message}</p>`));
  assert.doesNotMatch(html, /<svg/);
  assert.doesNotMatch(html, /data-testid="job"/);
  assert.match(html, /data-testid="not-created" data-job="build" data-message="openNotCreated" data-index="0"/);
});

test("page: a config with errors makes no pipeline; the jobs its rules select are drawn too", async () => {
  const data = pipeline([job("build", "build"), job("test", "test")], {
    created: false,
    message: "jobs:test config should implement the script:, run:, or trigger: keyword",
  });
  const layout = await layoutPipeline(data);
  assert.deepEqual(
    layout.columns.map((c) => c.stage),
    ["build", "test"],
  );
  const html = pipelineHtml(data, layout, opts);
  assert.match(html, /data-testid="pipeline-message">jobs:test config should implement the script:/);
  assert.match(html, /<p class="summary">The 2 jobs its rules select, once that is fixed:<\/p>/);
  assert.equal([...html.matchAll(/data-testid="job"/g)].length, 2);
});

test("error page: the text escaped, and no script", () => {
  const html = pipelineErrorHtml("bad <args> & more", { cspSource: "x" });
  assert.ok(html.includes("bad &lt;args&gt; &amp; more"));
  assert.doesNotMatch(html, /<script/);
  assert.match(html, /script-src 'none';/);
});

test("page: child pipelines below the main one, each in its place, with its own arrows", async () => {
  const child = pipeline(
    [job("render", "build"), job("publish", "deploy", { needs: ["render"], location: loc("ci/docs.yml", 9) })],
    { title: "child pipeline of docs (ci/docs.yml)" },
  );
  const data = pipeline([job("docs", "test", { needs: [] })], {
    children: [{ job: "docs", file: "ci/docs.yml", pipeline: child }],
  });
  const html = pipelineHtml(data, await layoutPipeline(data), opts, [
    { job: "docs", file: "ci/docs.yml", data: child, layout: await layoutPipeline(child) },
  ]);
  assert.match(html, /<div class="pipeline" data-pipeline="0">/);
  assert.match(
    html,
    /<div class="pipeline child" data-pipeline="1" data-testid="child-pipeline" data-job="docs"><h2>Child pipeline of docs \(ci\/docs.yml\)<\/h2>/,
  );
  // one arrow marker per drawing, each edge pointing at its own drawing's
  assert.deepEqual(
    [...html.matchAll(/<marker id="(arrow-\d)"/g)].map((m) => m[1]),
    ["arrow-0", "arrow-1"],
  );
  assert.deepEqual(
    [...html.matchAll(/marker-end="url\(#(arrow-\d)\)"/g)].map((m) => m[1]),
    ["arrow-1"],
  );
  assert.equal([...html.matchAll(/data-testid="job"/g)].length, 3);
});
