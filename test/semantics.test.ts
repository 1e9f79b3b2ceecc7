import * as assert from "node:assert/strict";
import { test } from "node:test";
import { suggest } from "../server/src/engine/schema-errors";
import { analyze, applyFix, diags, y } from "./helpers";

const only = (m: ReturnType<typeof analyze>, prefix: RegExp) => diags(m).filter((d) => prefix.test(d.split(" ")[3]));
const SEMANTIC = /^(stage|needs|dependencies|parallel|pipeline|environment)-/;

test("a stage that is not in stages is GitLab's error, at the stage", () => {
  const m = analyze({ ".gitlab-ci.yml": y("stages: [build, test]", "j:", "  stage: deploy", "  script: [x]") });
  assert.deepEqual(only(m, SEMANTIC), [
    ".gitlab-ci.yml 2:9-2:15 error stage-unknown j job: chosen stage deploy " +
      "does not exist; available stages are .pre, build, test, .post",
  ]);
});

test("a stage set in a template is reported once there, with the jobs it reaches", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      ".t:",
      "  stage: nope",
      "a:",
      "  extends: .t",
      "  script: [x]",
      "b:",
      "  extends: .t",
      "  script: [x]",
    ),
  });
  const d = m.diagnostics.filter((x) => x.code === "stage-unknown");
  assert.equal(d.length, 1);
  assert.equal(
    d[0].message,
    "a job: chosen stage nope does not exist; available stages are .pre, build, test, deploy, .post",
    "GitLab's words, for the first job",
  );
  assert.deepEqual(
    d[0].related!.map((r) => r.message),
    ['used by job "a"', 'used by job "b"'],
  );
});

test("needs: unknown, later stage, duplicated; optional and parallel copies are fine", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "build:",
      "  stage: build",
      "  parallel: {matrix: [{OS: [linux, mac]}]}",
      "  script: [x]",
      "deploy:",
      "  stage: deploy",
      "  script: [x]",
      "test:",
      "  stage: test",
      "  needs: [build, 'build: [mac]', deploy, nope, {job: gone, optional: true}, build]",
      "  script: [x]",
    ),
  });
  assert.deepEqual(only(m, SEMANTIC), [
    ".gitlab-ci.yml 9:33-9:39 error needs-later-stage test job: need deploy is not defined in current or prior stages",
    ".gitlab-ci.yml 9:41-9:45 error needs-unknown test job: undefined need: nope",
    ".gitlab-ci.yml 9:10-9:15 error needs-duplicate test has the following needs duplicated: build.",
  ]);
});

test("circular needs are reported once", () => {
  const m = analyze({
    ".gitlab-ci.yml": y("a:", "  needs: [b]", "  script: [x]", "b:", "  needs: [a]", "  script: [x]"),
  });
  assert.deepEqual(only(m, SEMANTIC), [
    ".gitlab-ci.yml 4:10-4:11 error needs-cycle The pipeline has circular dependencies: " +
      'topological sort failed: ["a", "b"]',
  ]);
});

test("circular needs are GitLab's: the loop's jobs in the order TSort visits them, or a self-dependency", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "job_a: {script: [x], needs: [job_c]}",
      "job_b: {script: [x], needs: [job_a]}",
      "job_c: {script: [x], needs: [job_b]}",
      "solo: {script: [x], needs: [job_a, solo]}",
    ),
  });
  assert.deepEqual(only(m, SEMANTIC), [
    ".gitlab-ci.yml 1:29-1:34 error needs-cycle The pipeline has circular dependencies: topological sort failed: " +
      '["job_a", "job_c", "job_b"]',
    ".gitlab-ci.yml 3:35-3:39 error needs-cycle The pipeline has circular dependencies: self-dependency: solo",
  ]);
});

test("dependencies: unknown, later stage, and not among needs", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "a:",
      "  stage: build",
      "  script: [x]",
      "b:",
      "  stage: deploy",
      "  script: [x]",
      "c:",
      "  dependencies: [a, b, z]",
      "  script: [x]",
      "d:",
      "  stage: build",
      "  dependencies: [c]",
      "  script: [x]",
      "e:",
      "  needs: [a]",
      "  dependencies: [a, b, z]",
      "  script: [x]",
      "f:",
      "  needs: []",
      "  dependencies: [a]",
      "  script: [x]",
      "g:",
      "  needs: [{pipeline: other, job: a}]",
      "  dependencies: [a]",
      "  script: [x]",
    ),
  });
  assert.deepEqual(only(m, SEMANTIC), [
    ".gitlab-ci.yml 7:20-7:21 error dependencies-later-stage c job: dependency " +
      "b is not defined in current or prior stages",
    ".gitlab-ci.yml 7:23-7:24 error dependencies-unknown c job: undefined dependency: z",
    ".gitlab-ci.yml 11:17-11:18 error dependencies-later-stage d job: dependency " +
      "c is not defined in current or prior stages",
    // GitLab's Job entry checks dependencies against needs first, all in one error, and stops there
    ".gitlab-ci.yml 15:20-15:21 error dependencies-not-in-needs jobs:e dependencies the b, z should be part of needs",
    // `needs: []` is no needs to the Job entry (an empty value is not present?)
    ".gitlab-ci.yml 22:9-22:36 error dependencies-cross-pipeline jobs:g needs corresponding to dependencies " +
      "must be from the same pipeline",
  ]);
});

test("a dependency or need on a job of a stage that does not exist is not in current or prior stages", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "stages: [version]",
      "version:",
      "  stage: version",
      "  dependencies: [other]",
      "  needs: [other]",
      "  script: [x]",
      "other: {stage: build, script: [x]}",
    ),
  });
  assert.deepEqual(only(m, SEMANTIC), [
    ".gitlab-ci.yml 4:10-4:15 error needs-later-stage version job: need other is not defined in current or " +
      "prior stages",
    ".gitlab-ci.yml 3:17-3:22 error dependencies-later-stage version job: dependency " +
      "other is not defined in current or prior stages",
    ".gitlab-ci.yml 6:15-6:20 error stage-unknown other job: chosen stage build does not exist; available stages " +
      "are .pre, version, .post",
  ]);
});

test("a need on a parallel job whose copies' names are over 255 characters is GitLab's error", () => {
  const long = "a".repeat(252);
  const m = analyze({
    ".gitlab-ci.yml": y(`${long}: {script: [x], parallel: 2}`, "t:", `  needs: [${long}]`, "  script: [x]"),
  });
  assert.deepEqual(only(m, SEMANTIC), [
    `.gitlab-ci.yml 2:10-2:262 error needs-name-too-long t job: need \`${long} 1/2\` name is too long ` +
      "(maximum is 255 characters)",
  ]);
});

test("parallel:matrix may make at most 200 jobs", () => {
  const values = Array.from({ length: 15 }, (_, i) => `v${i}`).join(", ");
  const m = analyze({
    ".gitlab-ci.yml": y(
      "j:",
      "  parallel:",
      "    matrix:",
      `      - {A: [${values}], B: [${values}]}`,
      "  script: [x]",
    ),
  });
  assert.deepEqual(only(m, SEMANTIC), [
    ".gitlab-ci.yml 3:6-3:148 error parallel-matrix-too-many j job: parallel:matrix " +
      "config generates too many jobs (maximum is 200)",
  ]);
});

test("parallel: a number out of GitLab's range is the schema's to report, never enumerated", () => {
  for (const n of ["10000000000", "1000000000", "1.5", "-3"]) {
    const m = analyze({
      ".gitlab-ci.yml": y("j:", `  parallel: ${n}`, "  script: [x]", "k:", "  needs: [j]", "  script: [y]"),
    });
    const codes = m.diagnostics.map((d) => d.code);
    assert.ok(codes.includes("schema-limit") || codes.includes("schema-type"), `${n}: ${codes.join(", ")}`);
  }
  const huge = Array.from({ length: 100000 }, (_, i) => i).join(", ");
  const m = analyze({
    ".gitlab-ci.yml": y("j:", "  parallel:", "    matrix:", `      - {A: [a, b], B: [${huge}]}`, "  script: [x]"),
  });
  assert.deepEqual(
    only(m, SEMANTIC).map((d) => d.split(" ")[3]),
    ["parallel-matrix-too-many"],
  );
});

test("on_stop must name a job that stops the same environment", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "deploy:",
      "  environment: {name: review, on_stop: stop}",
      "  script: [x]",
      "stop:",
      "  environment: {name: review}",
      "  script: [x]",
      "deploy2:",
      "  environment: {name: review, on_stop: nowhere}",
      "  script: [x]",
    ),
  });
  assert.deepEqual(only(m, SEMANTIC), [
    ".gitlab-ci.yml 1:39-1:43 error environment-on-stop-invalid deploy job: " +
      "on_stop job stop needs to have action stop defined",
    ".gitlab-ci.yml 7:39-7:46 error environment-on-stop-unknown deploy2 job: on_stop job nowhere is not defined",
  ]);
});

test("a pipeline of only .pre and .post jobs is flagged", () => {
  const m = analyze({ ".gitlab-ci.yml": y("a:", "  stage: .pre", "  script: [x]") });
  assert.deepEqual(only(m, SEMANTIC), [
    ".gitlab-ci.yml 0:0-0:1 warning pipeline-only-edge-stages every job is " +
      "in the .pre or .post stage: GitLab does not create a pipeline that has " +
      "only those",
  ]);
});

test("with includes that cannot be read, unknown names are warnings that say why", () => {
  const m = analyze({
    ".gitlab-ci.yml": y("include: {template: Jobs/Build.gitlab-ci.yml}", "j:", "  needs: [build]", "  script: [x]"),
  });
  assert.deepEqual(only(m, SEMANTIC), [
    ".gitlab-ci.yml 2:10-2:15 warning needs-unknown j job: undefined need: " +
      "build (it may come from an include that cannot be read offline)",
  ]);
});

test("more than 50 needs, counted as GitLab expands them, fail the pipeline: at the needs list, job or rule", () => {
  const jobs = Array.from({ length: 48 }, (_, i) => `n${i}: {stage: build, script: [x]}`);
  const m = analyze({
    ".gitlab-ci.yml": y(
      ...jobs,
      "p: {stage: build, script: [x], parallel: 2}",
      "mx: {stage: build, script: [x], parallel: {matrix: [{OS: [a, b, c]}]}}",
      // 48 + 2 copies = 50: at the limit
      "fits:",
      `  needs: [${jobs.map((_, i) => `n${i}`).join(", ")}, p]`,
      "  script: [x]",
      // 48 + 2 + the 2 permutations asked for = 52
      "over:",
      `  needs: [${jobs.map((_, i) => `n${i}`).join(", ")}, p, {job: mx, parallel: {matrix: [{OS: [a, b]}]}}]`,
      "  script: [x]",
      "ruled:",
      "  script: [x]",
      "  rules:",
      `    - needs: [${jobs.map((_, i) => `n${i}`).join(", ")}, p, mx]`,
    ),
  });
  assert.deepEqual(
    diags(m).filter((d) => d.includes("needs-too-many")),
    [
      ".gitlab-ci.yml 54:9-54:289 error needs-too-many over: one job can only need 50 others, " +
        "but you have listed 52. See needs keyword documentation for more details",
      ".gitlab-ci.yml 59:13-59:250 error needs-too-many ruled: one job can only need 50 others, " +
        "but you have listed 53. See needs keyword documentation for more details",
    ],
  );
});

test("a job name over 255 characters is GitLab's error at the name; characters counted, hidden keys not", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      `${"a".repeat(255)}: {script: [x]}`,
      `${"é".repeat(256)}: {script: [x]}`,
      `.${"h".repeat(300)}: {script: [x]}`,
    ),
  });
  assert.deepEqual(
    diags(m).filter((d) => d.includes("job-name-too-long")),
    [
      `.gitlab-ci.yml 1:0-1:256 error job-name-too-long ` +
        `jobs:${"é".repeat(64)}… name is too long (maximum is 255 characters)`,
    ],
  );
});

test("keywords a job may not combine, as GitLab's job entries check them (job_spec.rb)", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "manual-with-rules:", // accepted now: GitLab dropped `when` from the keys refused with rules
      "  script: [x]",
      "  when: manual",
      "  rules: [{if: $A}]",
      "only-and-except:",
      "  script: [x]",
      "  only: [main]",
      "  except: [tags]",
      "  rules: [{if: $A}]",
      "null-only:", // ignore_nil: a key written as null does not count
      "  script: [x]",
      "  only:",
      "  rules: [{if: $A}]",
      "early:",
      "  script: [x]",
      "  start_in: 1 day",
      "later:",
      "  script: [x]",
      "  when: delayed",
      "trigger-only:",
      "  trigger: {include: child.yml}",
      "  only: [main]",
      "  rules: [{if: $A}]",
    ),
    "child.yml": y("c: {script: [x]}"),
  });
  assert.deepEqual(
    diags(m).filter((d) => /job-key-with-rules|job-start-in/.test(d)),
    [
      ".gitlab-ci.yml 6:2-6:6 error job-key-with-rules jobs:only-and-except config key may not be used with " +
        "`rules`: only, except",
      ".gitlab-ci.yml 15:2-15:10 error job-start-in-blank jobs:early start in must be blank",
      ".gitlab-ci.yml 18:8-18:15 error job-start-in-missing jobs:later start in should be a duration",
      ".gitlab-ci.yml 21:2-21:6 error job-key-with-rules jobs:trigger-only config key may not be used with " +
        "`rules`: only",
    ],
  );
});

test("GitLab's warning: a last rule that is only `when`, and no workflow:rules", () => {
  const job = (rules: string) => y("j:", "  script: [x]", `  rules: ${rules}`, ".r: {rules: [{when: on_success}]}");
  const warned = (files: Record<string, string>) =>
    analyze(files)
      .diagnostics.filter((d) => d.code === "rules-multiple-pipelines")
      .map((d) => d.message.slice(0, 40));
  assert.deepEqual(warned({ ".gitlab-ci.yml": job("[{if: $A}, {when: always}]") }), [
    "jobs:j may allow multiple pipelines to r",
  ]);
  // through !reference (GitLab reads the flattened rules), and a bare rule that is `when: never`
  assert.equal(warned({ ".gitlab-ci.yml": job("[{if: $A}, !reference [.r, rules]]") }).length, 1);
  assert.deepEqual(warned({ ".gitlab-ci.yml": job("[{if: $A}, {when: never}]") }), []);
  assert.deepEqual(warned({ ".gitlab-ci.yml": job("[{if: $A, when: always}]") }), []);
  assert.deepEqual(
    warned({ ".gitlab-ci.yml": job("[{when: always}]") + y("workflow:", "  rules: [{when: always}]") }),
    [],
  );
});

test("did you mean: a stage, a need or an extends parent that names nothing gets the closest name as a fix", () => {
  const files = {
    ".gitlab-ci.yml": y(
      "stages: [build, test]",
      ".ruby base:",
      "  image: ruby",
      "compile:",
      "  stage: biuld",
      "  script: [make]",
      "unit:",
      "  stage: test",
      "  extends: .ruby bsae",
      "  needs: [compiel, nothing-like-it]",
      "  script: [rspec]",
    ),
  };
  const m = analyze(files);
  const fixed = (code: string) =>
    m.diagnostics
      .filter((d) => d.code === code)
      .map((d) =>
        d.fixes?.map((f) => [
          f.title,
          applyFix(files, f)[".gitlab-ci.yml"].split("\n")[
            d.src.file === ".gitlab-ci.yml" ? m.files.get(".gitlab-ci.yml")!.lines.position(d.src.start).line : 0
          ],
        ]),
      );
  assert.deepEqual(fixed("stage-unknown"), [[['Change to "build"', "  stage: build"]]]);
  assert.deepEqual(fixed("extends-unknown-parent"), [[['Change to ".ruby base"', "  extends: .ruby base"]]]);
  // the second need is like nothing: no fix rather than a wild guess
  assert.deepEqual(fixed("needs-unknown"), [
    [['Change to "compile"', "  needs: [compile, nothing-like-it]"]],
    undefined,
  ]);
});

test("a needs list of thousands of unknown names makes 100 findings and one that counts the rest", () => {
  const names = Array.from({ length: 5000 }, (_, i) => `missing-${i}`);
  const m = analyze({ ".gitlab-ci.yml": y("j:", "  script: [x]", `  needs: [${names.join(", ")}]`) });
  const unknown = m.diagnostics.filter((d) => d.code === "needs-unknown").map((d) => d.message);
  assert.equal(unknown.length, 101);
  assert.deepEqual(unknown.slice(0, 2), ["j job: undefined need: missing-0", "j job: undefined need: missing-1"]);
  assert.equal(unknown[100], "j job: 4900 more undefined needs, from here on (the first 100 are shown)");
});

test("a need with a huge name gets no did-you-mean, and no edit distance of huge names is computed", () => {
  // a fuzzed config: interpolated names of 100 KB, compared letter by letter, took 7 minutes
  const long = "x".repeat(600);
  const m = analyze({
    ".gitlab-ci.yml": y(`${long}a: {script: [x]}`, "j:", "  script: [x]", `  needs: ["${long}b"]`),
  });
  const unknown = m.diagnostics.filter((d) => d.code === "needs-unknown");
  assert.equal(unknown.length, 1);
  assert.equal(unknown[0].fixes, undefined);
  assert.equal(suggest("x".repeat(256), ["x".repeat(255)]), undefined);
  assert.equal(suggest("build", ["x".repeat(100_000), "biuld"]), "biuld");
});

test("did-you-mean picks the first name at the least edit distance, as the whole table would", () => {
  // the banded table and the letter-count bound must agree with the plain Levenshtein distance
  const distance = (a: string, b: string): number => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++)
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    return d[a.length][b.length];
  };
  const plain = (word: string, candidates: string[]): string | undefined => {
    let best: string | undefined;
    let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
    for (const c of candidates) {
      const d = distance(word.toLowerCase(), c.toLowerCase());
      if (d < bestDistance) [best, bestDistance] = [c, d];
    }
    return best;
  };
  let seed = 7;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const word = () => Array.from({ length: 1 + random(14) }, () => "abcAB:- é"[random(9)]).join("");
  let suggested = 0;
  for (let round = 0; round < 400; round++) {
    const w = word();
    const candidates = Array.from({ length: 30 }, word);
    const expected = plain(w, candidates);
    if (expected !== undefined) suggested++;
    assert.equal(suggest(w, candidates), expected, `${JSON.stringify(w)} among ${JSON.stringify(candidates)}`);
  }
  assert.ok(suggested > 100, `${suggested} of 400 rounds had a suggestion`);
  assert.equal(suggest("performance", ["perfromance", "performnce", "preformance"]), "performnce");
  assert.equal(
    suggest("gdk:compile-test-assets", ["compile-test-assets", "gdk:compile-test-asset"]),
    "gdk:compile-test-asset",
  );
});

test("$[[ matrix.X ]] in a need's matrix must name a dimension of each entry of the job's own matrix", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "build: {script: [x], parallel: {matrix: [{OS: [linux], ARCH: [amd64, arm64]}]}}",
      "test:",
      "  script: [x]",
      "  parallel: {matrix: [{OS: [linux], ARCH: [amd64]}, {OS: [mac]}]}",
      "  needs: [{job: build, parallel: {matrix: [{OS: ['$[[ matrix.OS ]]'], ARCH: ['$[[ matrix.ARCH ]]']}]}}]",
    ),
  });
  assert.deepEqual(only(m, SEMANTIC), [
    ".gitlab-ci.yml 4:77-4:97 error needs-matrix-unknown test job: 'ARCH' does not exist in matrix configuration",
  ]);
});
