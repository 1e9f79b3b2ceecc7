import * as assert from "node:assert/strict";
import { test } from "node:test";
import { Engine } from "../server/src/engine/engine";
import { MemoryHost, OverlayHost } from "../server/src/engine/memory-host";
import { toJS } from "../server/src/engine/values";
import { Workspace } from "../server/src/workspace/workspace";
import { y } from "./helpers";

function project() {
  return new MemoryHost({
    ".gitlab-ci.yml": y("include: ['a.yml', 'b.yml']", "main:", "  extends: .a", "  script: [m]"),
    "a.yml": y("include: a2.yml", ".a:", "  image: alpine"),
    "a2.yml": y(".a2:", "  tags: [x]"),
    "b.yml": y("b:", "  script: [b]"),
  });
}

test("a second analysis of unchanged files parses nothing again", () => {
  const engine = new Engine(project());
  engine.analyze();
  assert.equal(engine.parseCount, 4);
  engine.analyze();
  assert.equal(engine.parseCount, 4);
});

test("an edit re-parses only the edited file and the result follows it", () => {
  const host = project();
  const engine = new Engine(host);
  engine.analyze();
  host.set("a2.yml", y(".a2:", "  tags: [y]"));
  const m = engine.analyze();
  assert.equal(engine.parseCount, 5);
  assert.deepEqual(toJS(m.merged.entries.get(".a2")!.value), { tags: ["y"] });
});

test("an unchanged include subtree is reused as is, the edited chain is rebuilt", () => {
  const host = project();
  const engine = new Engine(host);
  const before = engine.analyze();
  host.set("b.yml", y("b:", "  script: [b2]"));
  const after = engine.analyze();
  assert.equal(after.merged.entries.get(".a")!.value, before.merged.entries.get(".a")!.value);
  assert.notEqual(after.merged.entries.get("b")!.value, before.merged.entries.get("b")!.value);
  assert.deepEqual(toJS(after.merged.entries.get("b")!.value), { script: ["b2"] });
});

test("a file added under a wildcard is picked up on the next analysis", () => {
  const host = new MemoryHost({
    ".gitlab-ci.yml": y("include: 'ci/*.yml'", "j: {script: [x]}"),
    "ci/one.yml": "one: {script: [1]}\n",
  });
  const engine = new Engine(host);
  assert.deepEqual([...engine.analyze().merged.entries.keys()], ["one", "j"]);
  host.set("ci/two.yml", "two: {script: [2]}\n");
  assert.deepEqual([...engine.analyze().merged.entries.keys()], ["one", "two", "j"]);
});

test("unsaved editor text overrides the disk", () => {
  const disk = project();
  const engine = new Engine(new OverlayHost(disk, new Map([["b.yml", y("b:", "  script: [unsaved]")]])));
  assert.deepEqual(toJS(engine.analyze().merged.entries.get("b")!.value), { script: ["unsaved"] });
  engine.setHost(disk);
  assert.deepEqual(toJS(engine.analyze().merged.entries.get("b")!.value), { script: ["b"] });
});

test(
  "after an edit, jobs that do not depend on the edited file keep their resolved " + "values; dependants are redone",
  () => {
    const host = new MemoryHost({
      ".gitlab-ci.yml": y(
        "include: [t.yml, u.yml]",
        "variables: {G: g}",
        "a:",
        "  extends: .t",
        "  script: [!reference [.u, script]]",
        "b:",
        "  script: [b]",
      ),
      "t.yml": y(".t:", "  image: alpine"),
      "u.yml": y(".u:", "  script: [u1]"),
    });
    const engine = new Engine(host);
    const m1 = engine.analyze();
    host.set("u.yml", y(".u:", "  script: [u2]"));
    const m2 = engine.analyze();
    assert.equal(m2.merged.entries.get("b")!.value, m1.merged.entries.get("b")!.value);
    assert.equal(m2.effectiveJob("b"), m1.effectiveJob("b"));
    assert.notEqual(m2.merged.entries.get("a")!.value, m1.merged.entries.get("a")!.value);
    assert.deepEqual(toJS(m2.effectiveJob("a")!), {
      extends: ".t",
      script: ["u2"],
      image: "alpine",
      variables: { G: "g" },
      stage: "test",
    });
    host.set("t.yml", y(".t:", "  image: debian"));
    const m3 = engine.analyze();
    assert.equal(m3.merged.entries.get("b")!.value, m1.merged.entries.get("b")!.value);
    assert.deepEqual(toJS(m3.effectiveJob("a")!), {
      extends: ".t",
      script: ["u2"],
      image: "debian",
      variables: { G: "g" },
      stage: "test",
    });
  },
);

test("a big file's entries move with each version analysed; analysing a version again puts them back", () => {
  const entries = Array.from({ length: 800 }, (_, i) => `job-${i}:\n  script: [echo ${i}]\n`).join(""); // 24 KB
  const v1 = entries;
  const v2 = "# a line on top moves every entry\n" + entries;
  const host = new MemoryHost({ ".gitlab-ci.yml": v1 });
  const engine = new Engine(host);
  const written = (m: ReturnType<Engine["analyze"]>, text: string) => {
    const v = m.merged.entries.get("job-300")!.value;
    return text.slice(v.src.start, v.src.end);
  };
  const m1 = engine.analyze();
  host.set(".gitlab-ci.yml", v2);
  const m2 = engine.analyze();
  assert.equal(m2.merged.entries.get("job-300")!.value, m1.merged.entries.get("job-300")!.value, "the same value");
  assert.equal(written(m2, v2), "script: [echo 300]");
  host.set(".gitlab-ci.yml", v1);
  assert.equal(written(engine.analyze(), v1), "script: [echo 300]");
  assert.equal(written(m1, v1), "script: [echo 300]", "the first model's positions are right again");
});

test("a job's kept needs, dependencies and on_stop findings follow every edit of the jobs they depend on", () => {
  // test and deploy are in a file no edit touches: their values are the same objects from one analysis to the next
  const jobs = y(
    "test:",
    "  stage: test",
    "  needs: [build, 'matrix: [linux]']",
    "  dependencies: [build]",
    "  script: [t]",
    "deploy:",
    "  stage: deploy",
    "  needs: [test]",
    "  environment: { name: prod, on_stop: stop }",
    "  script: [d]",
  );
  const matrix = y(
    "matrix:",
    "  stage: build",
    "  parallel:",
    "    matrix:",
    "      - OS: [linux, mac]",
    "  script: [m]",
  );
  const main = y(
    "include: [jobs.yml, matrix.yml]",
    "stages: [build, test, deploy]",
    "build:",
    "  stage: build",
    "  script: [b]",
    "stop:",
    "  stage: deploy",
    "  environment: { name: prod, action: stop }",
    "  when: manual",
    "  script: [s]",
  );
  const base = { ".gitlab-ci.yml": main, "jobs.yml": jobs, "matrix.yml": matrix };
  // each edit changes what another job's findings depend on, never that job itself
  const edits: Array<[string, Record<string, string>]> = [
    ["a needed job moves to a later stage", { ".gitlab-ci.yml": main.replace("stage: build", "stage: deploy") }],
    ["back as it was", base],
    ["a needed job is renamed", { ".gitlab-ci.yml": main.replace("build:\n", "built:\n") }],
    ["back as it was", base],
    ["a matrix copy goes", { "matrix.yml": matrix.replace("[linux, mac]", "[mac]") }],
    ["back as it was", base],
    ["the stages change", { ".gitlab-ci.yml": main.replace("[build, test, deploy]", "[test, build, deploy]") }],
    ["back as it was", base],
    ["the on_stop job's environment changes", { ".gitlab-ci.yml": main.replace("name: prod", "name: dev") }],
    ["back as it was", base],
    ["the on_stop job goes", { ".gitlab-ci.yml": main.replace("stop:\n", "stopper:\n") }],
    ["back as it was", base],
  ];
  const ws = new Workspace({ files: new MemoryHost(base) });
  const brief = (w: Workspace) => w.diagnostics().map((d) => `${d.file}:${d.range.start.line}:${d.code}: ${d.message}`);
  assert.deepEqual(brief(ws), []);
  const seen = new Set<string>();
  for (const [what, change] of edits) {
    const files = { ...base, ...change };
    for (const [file, text] of Object.entries(files)) ws.setDocument(file, text);
    const fresh = new Workspace({ files: new MemoryHost(files) });
    assert.deepEqual(brief(ws), brief(fresh), what);
    for (const d of brief(fresh)) seen.add(d.split(":")[2]);
  }
  assert.deepEqual(
    [...seen].sort(),
    [
      "dependencies-later-stage",
      "dependencies-unknown",
      "environment-on-stop-invalid",
      "environment-on-stop-unknown",
      "needs-later-stage",
      "needs-unknown",
    ],
    "every kind of finding that depends on another job came and went",
  );
});
