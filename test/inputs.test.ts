import * as assert from "node:assert/strict";
import { test } from "node:test";
import { analyze, diags, job, js, noDiagnostics, y } from "./helpers";
import { blocksOf } from "../server/src/engine/inputs";

const TEMPLATE = y(
  "spec:",
  "  inputs:",
  "    name:",
  "    stage: {default: test}",
  "    parallel: {type: number, default: 1}",
  "    flags: {type: array, default: [--fast]}",
  "    env: {options: [dev, prod], default: dev}",
  "    version: {regex: ^v\\d+$, default: v1}",
  "---",
  "build-$[[ inputs.name ]]:",
  "  stage: $[[ inputs.stage ]]",
  "  parallel: $[[ inputs.parallel ]]",
  "  script:",
  "    - make $[[ inputs.name ]] ENV=$[[ inputs.env ]] $[[ inputs.flags ]]",
  "    - $[[ inputs.flags ]]",
);

test("inputs are typed when a block is the whole value and spliced as text inside a string", () => {
  const m = analyze({
    ".gitlab-ci.yml": y("include:", "  - local: t.yml", "    inputs: {name: app, parallel: 3, flags: [-j, '4']}"),
    "t.yml": TEMPLATE,
  });
  noDiagnostics(m);
  assert.deepEqual(job(m, "build-app"), {
    stage: "test",
    parallel: 3,
    // a whole-item array input is spliced into its list (Interpolation::Config#recursive_replace_array)
    script: ['make app ENV=dev ["-j", "4"]', "-j", "4"],
  });
});

test("the same file included twice with different inputs gives two jobs", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "include:",
      "  - {local: t.yml, inputs: {name: a}}",
      "  - {local: t.yml, inputs: {name: b, stage: deploy}}",
    ),
    "t.yml": TEMPLATE,
  });
  noDiagnostics(m);
  assert.deepEqual([...m.merged.entries.keys()], ["build-a", "build-b"]);
  assert.equal((job(m, "build-b") as { stage: string }).stage, "deploy");
});

test("input values are checked against the spec with GitLab's messages", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "include:",
      "  - local: t.yml",
      "    inputs: {parallel: two, env: qa, version: x1, extra: 1}",
      "j:",
      "  script: [x]",
    ),
    "t.yml": TEMPLATE,
  });
  assert.deepEqual(diags(m), [
    ".gitlab-ci.yml 2:50-2:55 error input-unknown `t.yml`: unknown input arguments: extra",
    ".gitlab-ci.yml 2:12-2:59 error input-required `t.yml`: `name` input: required value has not been provided",
    ".gitlab-ci.yml 2:23-2:26 error input-type `t.yml`: `parallel` input: provided value is not a number",
    ".gitlab-ci.yml 2:33-2:35 error input-option `t.yml`: `env` input: `qa` " +
      "cannot be used because it is not in the list of allowed options",
    ".gitlab-ci.yml 2:46-2:48 error input-regex `t.yml`: `version` input: provided " +
      "value does not match required RegEx pattern",
  ]);
});

test("inputs given to a file without a spec header are refused", () => {
  const m = analyze({
    ".gitlab-ci.yml": y("include:", "  - local: plain.yml", "    inputs: {a: 1}"),
    "plain.yml": y("p:", "  script: [x]"),
  });
  assert.deepEqual(diags(m), [
    ".gitlab-ci.yml 2:12-2:18 error input-unexpected `plain.yml`: Given inputs " +
      "not defined in the `spec` section of the included configuration file",
  ]);
});

test("an unknown input name in a block is reported where it is used", () => {
  const m = analyze({
    ".gitlab-ci.yml": y("include: t.yml", "j:", "  script: [x]"),
    "t.yml": y("spec:", "  inputs:", "    a: {default: x}", "---", "t:", "  script:", "    - echo $[[ inputs.b ]]"),
  });
  assert.deepEqual(diags(m), [
    "t.yml 6:6-6:26 error interpolation-error `t.yml`: unknown interpolation provided: `b` in `inputs.b`",
  ]);
});

test("inputs interpolate inside include paths of the file that declares them", () => {
  const m = analyze({
    ".gitlab-ci.yml": y("include:", "  - local: pick.yml", "    inputs: {kind: fast}"),
    "pick.yml": y("spec:", "  inputs:", "    kind:", "---", "include:", "  - local: ci/$[[ inputs.kind ]].yml"),
    "ci/fast.yml": y("fast:", "  script: [go]"),
  });
  noDiagnostics(m);
  assert.deepEqual(job(m, "fast"), { script: ["go"] });
});

test("functions in blocks: truncate and posix_escape", () => {
  const m = analyze({
    ".gitlab-ci.yml": y("include:", "  - local: f.yml", "    inputs: {name: abcdefgh}"),
    "f.yml": y(
      "spec:",
      "  inputs:",
      "    name:",
      "---",
      "f:",
      "  script:",
      "    - echo $[[ inputs.name | truncate(1,3) ]]",
      "    - echo $[[ inputs.name | posix_escape ]]",
    ),
  });
  noDiagnostics(m);
  assert.deepEqual(job(m, "f"), { script: ["echo bcd", "echo abcdefgh"] });
});

test("split() makes a list; list inputs are read by index; GitLab's errors for functions and access", () => {
  const files = (...lines: string[]) => ({
    ".gitlab-ci.yml": y("include:", "  - local: f.yml", "    inputs: {csv: ' a,, b ', n: 7, rows: [[x, y], {k: v}]}"),
    "f.yml": y("spec:", "  inputs: {csv: null, n: {type: number}, rows: {type: array}}", "---", "f:", ...lines),
  });
  const ok = analyze(
    files(
      "  tags: $[[ inputs.csv | split(',') ]]",
      "  script:",
      "    - echo $[[ inputs.rows[0][1] ]] $[[ inputs.rows[1].k ]] $[[ inputs.csv | split(',') ]]",
    ),
  );
  noDiagnostics(ok);
  assert.deepEqual(job(ok, "f"), { tags: ["a", "b"], script: ['echo y v ["a", "b"]'] });
  const bad = analyze(
    files(
      "  script:",
      "    - $[[ inputs.n | truncate(0,1) ]]",
      "    - $[[ inputs.csv | split(',') | truncate(0,1) ]]",
      "    - $[[ inputs.rows[2] ]]",
      "    - $[[ inputs.rows[a] ]]",
      "    - $[[ inputs.n[0] ]]",
      "    - $[[ nothing ]]",
    ),
  );
  const at = "error interpolation-error `f.yml`: ";
  assert.deepEqual(diags(bad), [
    `f.yml 5:6-5:37 ${at}error in \`truncate\` function: invalid input type: truncate can only be used with ` +
      "string inputs",
    `f.yml 6:6-6:52 ${at}split() must be the last function in a chain (it returns an array, not a string)`,
    `f.yml 7:6-7:27 ${at}array index 2 out of bounds (size: 2) in \`inputs.rows[2]\``,
    `f.yml 8:6-8:27 ${at}invalid array index in \`inputs.rows[a]\`: \`a\` is not a valid index`,
    `f.yml 9:6-9:24 ${at}cannot index into non-array value at [0] in \`inputs.n[0]\``,
    `f.yml 10:6-10:20 ${at}invalid pattern used for interpolation. valid pattern is $[[ inputs.input ]]`,
  ]);
});

test("pipeline inputs of the root file take their defaults; a required one is left for run time", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "spec:",
      "  inputs:",
      "    env: {default: staging}",
      "    tag:",
      "---",
      "deploy:",
      "  script:",
      "    - deploy $[[ inputs.env ]] $[[ inputs.tag ]]",
    ),
  });
  noDiagnostics(m);
  assert.deepEqual(job(m, "deploy"), { script: ["deploy staging $[[ inputs.tag ]]"] });
});

test("an input's regex runs as GitLab runs it, with RE2: linear time, RE2's syntax", { timeout: 10000 }, () => {
  const files = (regex: string, value: string) => ({
    ".gitlab-ci.yml": y("include:", "  - local: t.yml", `    inputs: {v: "${value}"}`),
    "t.yml": y("spec:", "  inputs:", `    v: {regex: '${regex}'}`, "---", "j:", "  script: [echo $[[ inputs.v ]]]"),
  });
  const codes = (regex: string, value: string) =>
    analyze(files(regex, value))
      .diagnostics.filter((d) => d.code === "input-regex")
      .map((d) => d.message);
  // catastrophic for a backtracking engine, instant for RE2
  assert.deepEqual(codes("^(a+)+$", "a".repeat(50_000) + "!"), [
    "`t.yml`: `v` input: provided value does not match required RegEx pattern",
  ]);
  assert.deepEqual(codes("^v\\d+$", "v12"), []);
  // a lookahead is JavaScript's, not RE2's: GitLab refuses it as an invalid regular expression
  assert.deepEqual(codes("^(?=v)v\\d+$", "v12"), ["`t.yml`: `v` input: invalid regular expression"]);
});

test("interpolation blocks are found as GitLab's expression finds them, in one pass whatever is written", () => {
  const GITLAB = /\$\[\[\s*(\S.*?\S)\s*\]\]/g;
  let seed = 3;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const parts = ["$[[", "]]", " ", "a", "b", ".", "\n", "$", "[", "]", "|", "inputs.x"];
  for (let k = 0; k < 5000; k++) {
    const t = Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => parts[Math.floor(rnd() * parts.length)]).join(
      "",
    );
    const expected = [...t.matchAll(GITLAB)].map((m) => [m.index, m[0], m[1]]);
    assert.deepEqual(
      blocksOf(t).map((b) => [b.index, b.text, b.inner]),
      expected,
      JSON.stringify(t),
    );
  }
  // what took the expression quadratic time or worse: 150,000 blocks left open
  assert.deepEqual(blocksOf("$[[ ".repeat(150_000)), []);
  assert.deepEqual(
    blocksOf("$[[\n".repeat(150_000) + "]]").map((b) => b.inner),
    ["$[["],
    "only the last `$[[` opens a block the `]]` closes, as the expression has it",
  );
});

test("splicing stops once it has added 16 MB to a file: reported once, the rest left as written", () => {
  // each line splices a 1 MB input four times: 4 MB per line, so lines 1-4 fit (16 MB) and line 5 does not
  const line = "    - a $[[ inputs.x ]] $[[ inputs.x ]] $[[ inputs.x ]] $[[ inputs.x ]]";
  const m = analyze({
    ".gitlab-ci.yml": y(
      "spec:",
      "  inputs:",
      `    x: {default: "${"z".repeat(1024 * 1024 - 16)}"}`,
      "---",
      "job:",
      "  script:",
      ...Array(8).fill(line),
    ),
  });
  assert.deepEqual(
    m.diagnostics.map((d) => `${d.code} ${d.message}`),
    [
      "interpolation-limit inputs spliced into this file's strings add more than 16 MB of text: " +
        "this string and the rest are left as written",
    ],
  );
  const script = (job(m, "job") as { script: string[] }).script;
  assert.deepEqual(
    script.map((s) => s.length),
    [...Array(4).fill(2 + 4 * (1024 * 1024 - 16) + 3), ...Array(4).fill(line.length - 6)],
  );
});

test("an array input written as a list item is spliced into the list, as GitLab does", () => {
  const m = analyze({
    ".gitlab-ci.yml": y("include:", "  - local: t.yml", "    inputs:", "      extra_tags: [gpu, large]"),
    "t.yml": y(
      "spec:",
      "  inputs:",
      "    extra_tags: {type: array}",
      "---",
      "j:",
      "  script: [x]",
      "  tags:",
      "    - docker",
      "    - $[[ inputs.extra_tags ]]",
      "  variables:",
      "    LIST: $[[ inputs.extra_tags ]] as text",
    ),
  });
  assert.deepEqual(diags(m), []);
  assert.deepEqual(job(m, "j"), {
    script: ["x"],
    tags: ["docker", "gpu", "large"],
    variables: { LIST: '["gpu", "large"] as text' },
  });
});

test("what a failed input causes is listed under it, not reported beside it: GitLab stops at the first", () => {
  const m = analyze({
    ".gitlab-ci.yml": y("include:", "  - local: t.yml"),
    "t.yml": y(
      "spec:",
      "  inputs:",
      "    job_stage:",
      "---",
      "a:",
      "  stage: $[[ inputs.job_stage ]]",
      "  script: [x]",
      "b:",
      "  stage: $[[ inputs.job_stage ]]",
      "  script: [x]",
    ),
  });
  assert.deepEqual(diags(m), [
    ".gitlab-ci.yml 1:4-1:16 error input-required `t.yml`: `job_stage` input: required value has not been provided",
  ]);
  const stage =
    "chosen stage $[[ inputs.job_stage ]] does not exist; available stages are .pre, build, test, deploy, .post";
  assert.deepEqual(
    m.diagnostics[0].related?.map((r) => `${r.src.file}:${r.src.start} ${r.message}`),
    [`t.yml:47 and so: a job: ${stage}`, `t.yml:97 and so: b job: ${stage}`],
  );
});

test("a header with unknown keys is reported as GitLab's header:spec, and its inputs are not read", () => {
  const m = analyze({
    ".gitlab-ci.yml": y("include:", "  - local: t.yml", "    inputs: {website: gitlab.com}"),
    "t.yml": y("spec:", "  arguments: {website: null}", "---", "j:", "  script: deploy $[[ inputs.website ]]"),
  });
  assert.deepEqual(diags(m), [
    "t.yml 1:2-1:11 error schema-unknown-keyword `t.yml`: header:spec config contains unknown keys: arguments. " +
      'unknown keyword "arguments" in "spec"',
  ]);
});

// One file with a `spec:` header included three times, with a mistake written in it: found once per
// inclusion, each finding naming the inclusion (the include entry) it comes from.
const THRICE = {
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
};

/** Where `- local: tpl.yml` with `inputs: { name: <name> }` is written in the root: the include entry. */
const entryOf = (root: string, name: string): [number, number] => {
  const end = root.indexOf(`{ name: ${name} }`) + `{ name: ${name} }`.length;
  return [root.lastIndexOf("local:", end), end];
};

test("a mistake in a file included three times with inputs is found once per inclusion, naming its include", () => {
  const m = analyze(THRICE);
  const [a, b, c] = ["alpha", "beta", "gamma"].map((n) => entryOf(THRICE[".gitlab-ci.yml"], n));
  assert.deepEqual(
    [a, b, c],
    [
      [13, 55],
      [60, 101],
      [106, 148],
    ],
  );
  const keyword = (job: string) =>
    `jobs:${job} config contains unknown keys: scirpt. ` +
    'unknown keyword "scirpt" in "$[[ inputs.name ]]-job" — did you mean "script"?';
  assert.deepEqual(
    m.diagnostics.map((d) => [d.code, d.src.file, d.job, [d.inclusion?.at.start, d.inclusion?.at.end], d.message]),
    [
      ["schema-unknown-keyword", "tpl.yml", "alpha-job", a, keyword("alpha-job")],
      ["schema-unknown-keyword", "tpl.yml", "beta-job", b, keyword("beta-job")],
      ["schema-unknown-keyword", "tpl.yml", "gamma-job", c, keyword("gamma-job")],
      ["needs-unknown", "tpl.yml", "alpha-job", a, "alpha-job job: undefined need: missing-alpha"],
      ["needs-unknown", "tpl.yml", "beta-job", b, "beta-job job: undefined need: missing-beta"],
      ["needs-unknown", "tpl.yml", "gamma-job", c, "gamma-job job: undefined need: missing-gamma"],
    ],
  );
  assert.deepEqual(
    m.inclusions.map((i) => [i.file, [i.at.start, i.at.end], js(i.inputs), i.keys]),
    [
      ["tpl.yml", a, { name: "alpha" }, ["alpha-job"]],
      ["tpl.yml", b, { name: "beta" }, ["beta-job"]],
      ["tpl.yml", c, { name: "gamma" }, ["gamma-job"]],
    ],
  );
});

test("an interpolation error in a file included with inputs names the inclusion it comes from", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "include:",
      "  - local: tpl.yml",
      "    inputs: { name: a }",
      "  - local: tpl.yml",
      "    inputs: { name: b }",
    ),
    "tpl.yml": y(
      "spec:",
      "  inputs:",
      "    name:",
      "---",
      "$[[ inputs.name ]]-job:",
      "  script:",
      "    - echo $[[ inputs.nope ]]",
    ),
  });
  assert.deepEqual(
    m.diagnostics.map((d) => [d.code, d.src.file, d.inclusion?.at.start, d.message]),
    [
      ["interpolation-error", "tpl.yml", 13, "`tpl.yml`: unknown interpolation provided: `nope` in `inputs.nope`"],
      ["interpolation-error", "tpl.yml", 56, "`tpl.yml`: unknown interpolation provided: `nope` in `inputs.nope`"],
    ],
  );
});
