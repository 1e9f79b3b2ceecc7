import * as assert from "node:assert/strict";
import { test } from "node:test";
import { loadFile } from "../server/src/engine/load";
import { resolvePlainScalar } from "../server/src/engine/scalars";
import { toJS } from "../server/src/engine/values";
import { analyze, diags, effective, job, y } from "./helpers";

test("plain scalars resolve as Psych reads YAML 1.1", () => {
  const cases: Array<[string, unknown]> = [
    ["yes", true],
    ["No", false],
    ["on", true],
    ["OFF", false],
    ["true", true],
    ["y", "y"],
    ["n", "n"],
    ["~", null],
    ["null", null],
    ["", null],
    ["010", 8],
    ["0x1f", 31],
    ["0b101", 5],
    ["1_000", 1000],
    ["1,000", 1000],
    ["1:20", 80],
    ["1.5", 1.5],
    ["1e3", "1e3"],
    ["2024-01-01", "2024-01-01"],
    ["08", "08"],
    [":sym", ":sym"],
    ["hello world", "hello world"],
    ["-", "-"],
    ["1.", 1],
  ];
  for (const [text, expected] of cases) assert.equal(resolvePlainScalar(text), expected, text);
});

test("quoted scalars and keys stay strings", () => {
  const f = loadFile("a.yml", y("'yes': 'on'", 'n: "010"', "k: !!str 12"));
  assert.deepEqual(toJS(f.content!), { yes: "on", n: "010", k: "12" });
});

test("a syntax error becomes a diagnostic at the parser's range, and other files still load", () => {
  const m = analyze({
    ".gitlab-ci.yml": y("include: broken.yml", "ok:", "  script: [echo]"),
    "broken.yml": y("bad:", "  script: [echo", "other: 1"),
  });
  assert.deepEqual(diags(m), [
    "broken.yml 2:0-2:1 error yaml-syntax Flow sequence in block collection " +
      "must be sufficiently indented and end with a ]",
  ]);
  assert.deepEqual(job(m, "ok"), { script: ["echo"] });
  assert.equal(m.merged.entries.has("bad"), false);
});

test("an alias inside the node its anchor is on makes the document endless: GitLab refuses it as too big", () => {
  const m = analyze({ ".gitlab-ci.yml": y("a: &x", "  b: [1, *x]", "j: {script: [x]}") });
  assert.deepEqual(diags(m), [
    ".gitlab-ci.yml 1:9-1:11 error yaml-recursive-alias The parsed YAML is too big: alias *x is inside the " +
      "node it names, which makes it endless",
  ]);
});

test("anchors do not cross files: an alias to another file's anchor is an error where it is written", () => {
  const m = analyze({
    ".gitlab-ci.yml": y("include: a.yml", "job:", "  script: *steps"),
    "a.yml": y(".tmpl: &steps", "  - echo"),
  });
  assert.deepEqual(diags(m), [
    ".gitlab-ci.yml 2:10-2:16 error yaml-unknown-alias unknown alias *steps: " +
      "anchors only reach within one YAML document of one file (use extends or " +
      "!reference across files)",
  ]);
});

test("merge keys merge in place like Psych: later keys win, the first map of a list wins", () => {
  const f = loadFile(
    "a.yml",
    y(
      ".a: &a {x: 1, y: 1}",
      ".b: &b {x: 2, z: 2}",
      "before:",
      "  x: 0",
      "  <<: *a",
      "after:",
      "  <<: *a",
      "  x: 0",
      "list:",
      "  <<: [*a, *b]",
    ),
  );
  const v = toJS(f.content!) as Record<string, unknown>;
  assert.deepEqual(v.before, { x: 1, y: 1 });
  assert.deepEqual(v.after, { x: 0, y: 1 });
  assert.deepEqual(v.list, { x: 1, z: 2, y: 1 });
  assert.deepEqual(f.diagnostics, []);
});

test("a merged value remembers the alias it came through", () => {
  const f = loadFile("a.yml", y(".a: &base", "  image: ruby", "job:", "  <<: *base", "  script: [x]"));
  const job = f.content!.kind === "map" ? f.content!.entries.get("job")!.value : undefined;
  const image = job?.kind === "map" ? job.entries.get("image")!.value : undefined;
  assert.deepEqual(
    image?.via?.map((v) => [v.kind, v.name, f.text.slice(v.at.start, v.at.end)]),
    [["merge-key", "base", "*base"]],
  );
  assert.equal(f.text.slice(image!.src.start, image!.src.end), "ruby");
});

test("a collection's source ends at its last text, not in the whitespace after it", () => {
  // a |+ block scalar keeps its empty lines (a fuzzed config had a million), the collection ends at x
  const text = `job:\n  script:\n    - |+\n      x\n${"\n".repeat(1000)}other: 1\n`;
  const f = loadFile("a.yml", text);
  const job = f.content!.kind === "map" ? f.content!.entries.get("job")!.value : undefined;
  const script = job?.kind === "map" ? job.entries.get("script")!.value : undefined;
  assert.equal(f.text.slice(job!.src.start, job!.src.end), "script:\n    - |+\n      x");
  assert.equal(f.text.slice(script!.src.start, script!.src.end), "- |+\n      x");
  // what /\s/ matches beyond ASCII is left out too (YAML reads it as part of the scalar)
  const nbsp = loadFile("b.yml", "job:\n  a: x\u00a0\u2003\nother: 1\n");
  const j = nbsp.content!.kind === "map" ? nbsp.content!.entries.get("job")!.value : undefined;
  assert.equal(nbsp.text.slice(j!.src.start, j!.src.end), "a: x");
});

test("duplicate keys keep the last value and warn", () => {
  const m = analyze({ ".gitlab-ci.yml": y("job:", "  script: [a]", "  script: [b]") });
  assert.deepEqual(job(m, "job"), { script: ["b"] });
  assert.deepEqual(diags(m), [
    '.gitlab-ci.yml 2:2-2:8 warning yaml-duplicate-key duplicate key "script": GitLab keeps only this later value',
  ]);
});

test("an alias bomb is refused without being expanded", () => {
  const lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
  for (let i = 1; i < 12; i++)
    lines.push(
      `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(", ")}]`,
    );
  lines.push("job:", "  script: *a11");
  const m = analyze({ ".gitlab-ci.yml": y(...lines) });
  assert.deepEqual(
    diags(m).filter((d) => d.includes("yaml-too-big")),
    [
      ".gitlab-ci.yml 0:0-0:0 error yaml-too-big The parsed YAML is too big (more " +
        "than 2 MB as GitLab counts it, with every alias expanded, or nested deeper than 100)",
    ],
  );
});

test("the spec header is split off at ---, and its anchors do not reach the content", () => {
  const f = loadFile(
    "t.yml",
    y("spec:", "  inputs:", "    stage: &s {default: test}", "---", "job:", "  stage: *s", "  script: [x]"),
  );
  assert.deepEqual(toJS(f.header!), { spec: { inputs: { stage: { default: "test" } } } });
  assert.deepEqual(
    f.diagnostics.map((d) => d.code),
    ["yaml-unknown-alias"],
  );
});

test("spec without --- is an ordinary key (a job GitLab rejects)", () => {
  const m = analyze({ ".gitlab-ci.yml": y("spec:", "  inputs: {}", "job:", "  script: [x]") });
  assert.deepEqual(diags(m), [
    ".gitlab-ci.yml 0:0-0:4 error job-no-script jobs spec config should implement " +
      "the script:, run:, or trigger: keyword",
  ]);
});

test("!reference is kept as an unresolved reference with its tag in the range", () => {
  const f = loadFile("a.yml", y("job:", "  script: !reference [.x, script]"));
  const j = f.content!.kind === "map" ? f.content!.entries.get("job")!.value : undefined;
  const s = j?.kind === "map" ? j.entries.get("script")!.value : undefined;
  assert.equal(s?.kind, "ref");
  assert.equal(f.text.slice(s!.src.start, s!.src.end), "!reference [.x, script]");
});

test("a quoted scalar continued at the key's indentation loads, as libyaml allows", () => {
  const f = loadFile("r.yml", y(".r:", '  if: \'$A == "b" && $C =~', "  /^x$/'", "  when: never"));
  assert.deepEqual(f.diagnostics, []);
  assert.deepEqual(toJS(f.content!), { ".r": { if: '$A == "b" && $C =~ /^x$/', when: "never" } });
  const r = f.content!.kind === "map" ? f.content!.entries.get(".r")!.value : undefined;
  const when = r?.kind === "map" ? r.entries.get("when")! : undefined;
  assert.equal(f.text.slice(when!.keySrc.start, when!.keySrc.end), "when");
});

test("a content document that is not a mapping is refused", () => {
  const m = analyze({ ".gitlab-ci.yml": y("- a", "- b") });
  assert.deepEqual(diags(m), [
    ".gitlab-ci.yml 0:0-1:3 error yaml-invalid-format Invalid configuration " +
      "format: the content must be a mapping of keywords and jobs",
  ]);
});

test("an included file whose content is not a mapping is refused with the file before GitLab's text", () => {
  const m = analyze({ ".gitlab-ci.yml": y("include: t.yml", "j: {script: [x]}"), "t.yml": y("just text") });
  assert.deepEqual(diags(m), [
    "t.yml 0:0-0:9 error yaml-invalid-format `t.yml`: Invalid configuration " +
      "format: the content must be a mapping of keywords and jobs",
  ]);
});

test("an empty root config says so", () => {
  const m = analyze({ ".gitlab-ci.yml": "# nothing\n" });
  assert.deepEqual(diags(m), [".gitlab-ci.yml 0:0-0:0 error config-empty Please provide content of .gitlab-ci.yml"]);
});

test("the parsed size is GitLab's DeepSize from below: 10^5 aliased strings are too big, 10^4 are not", () => {
  // .s0 is ten strings; each .sN holds ten aliases of .s(N-1): .s4 reaches 10^5 strings of 40 bytes (4 MB
  // counted once, more than 2 MB), .s3 10^4 (0.4 MB, and everything in the file together stays below 2 MB)
  const levels = (n: number) => {
    const lines = [`.s0: &s0 [${Array(10).fill("x").join(", ")}]`];
    for (let i = 1; i <= n; i++)
      lines.push(
        `.s${i}: &s${i} [${Array(10)
          .fill(`*s${i - 1}`)
          .join(", ")}]`,
      );
    return [...lines, ".big:", `  script: *s${n}`, "job:", "  extends: .big"];
  };
  const tooBig = (m: ReturnType<typeof analyze>) => m.diagnostics.filter((d) => d.code === "yaml-too-big").length;
  assert.equal(tooBig(analyze({ ".gitlab-ci.yml": y(...levels(4)) })), 1);
  const fine = analyze({ ".gitlab-ci.yml": y(...levels(3)) });
  assert.equal(tooBig(fine), 0);
  assert.equal((effective(fine, "job") as { script: string[] }).script.length, 10_000);
});

test("nesting thousands deep is GitLab's too-big error, not the parser's stack overflow", () => {
  const deep = "[".repeat(10_000) + "]".repeat(10_000);
  const m = analyze({ ".gitlab-ci.yml": y("job:", "  script: [x]", `.deep: ${deep}`) });
  assert.deepEqual(
    m.diagnostics.map((d) => `${d.code} ${d.message}`),
    [
      "yaml-too-big The parsed YAML is too big (more than 2 MB as GitLab counts it, " +
        "with every alias expanded, or nested deeper than 100)",
    ],
  );
});

test("a file with hundreds of YAML errors reports the first 50 and counts the rest in one more", () => {
  const f = loadFile(".gitlab-ci.yml", `job: {script: [x]}\n${"]\n".repeat(300)}`);
  assert.equal(f.diagnostics.length, 51);
  assert.ok(f.diagnostics.every((d) => d.code === "yaml-syntax"));
  assert.deepEqual(
    [f.diagnostics[50].src, f.diagnostics[50].message],
    [
      { file: ".gitlab-ci.yml", start: 119, end: 120 },
      "250 more YAML errors in this file, from here on (the first 50 are shown)",
    ],
  );
});

test("a line opening flow collections 1,000 deep is GitLab's too-big error at once, where it passes 1,000", () => {
  // what a fuzzer made: 71,376 levels took the parser seconds to overflow, with 429,389 errors after it
  const text = `job:\n  script: [x]\nfz: ${"[{a: ".repeat(600)}1${"}]".repeat(600)}\n`;
  const f = loadFile(".gitlab-ci.yml", text);
  assert.deepEqual(
    f.diagnostics.map((d) => [d.code, d.src.start]),
    [["yaml-too-big", text.indexOf("fz: ") + 4 + 5 * 500]],
  );
  assert.equal(f.content, undefined);
  // 1,000 brackets spread over lines (a script, say) are no such thing
  const spread = `job:\n  script:\n    - |\n${"      echo [\n".repeat(1200)}`;
  assert.deepEqual(loadFile(".gitlab-ci.yml", spread).diagnostics, []);
});

test("a file whose text is over 2 MB is GitLab's 'provided YAML is too big', refused before it is parsed", () => {
  // Gitlab::Config::Loader::Yaml#content_too_large?: raw bytesize against max_yaml_size_bytes (2 MB)
  const limit = 2 * 1024 * 1024;
  const ascii = (n: number) => `a: "${"x".repeat(n - 6)}"\n`; // n bytes in all
  const over = loadFile("big.yml", ascii(limit + 1));
  assert.deepEqual(
    over.diagnostics.map((d) => [d.code, d.src.start, d.src.end, d.message]),
    [
      [
        "yaml-text-too-big",
        0,
        1,
        "The provided YAML is too big (its text is more than 2 MB, GitLab's default max_yaml_size_bytes)",
      ],
    ],
  );
  assert.equal(over.content, undefined);
  // exactly the limit is parsed (GitLab's spec: "just under the size limit" does not raise before parsing);
  // its one string is then too big as parsed YAML, 40 bytes of object over the limit
  assert.deepEqual(
    loadFile("big.yml", ascii(limit)).diagnostics.map((d) => d.code),
    ["yaml-too-big"],
  );
  // bytes, not characters: 700,000 "é" are 1.4 M bytes, 1,100,000 are 2.2 M
  const accents = (n: number) => `a: "${"é".repeat(n)}"\n`;
  assert.deepEqual(loadFile("e.yml", accents(700_000)).diagnostics, []);
  assert.deepEqual(
    loadFile("e.yml", accents(1_100_000)).diagnostics.map((d) => d.code),
    ["yaml-text-too-big"],
  );
  // a surrogate pair is 4 bytes, not 6: 500,000 emoji (2,000,000 bytes) are under the limit
  assert.deepEqual(loadFile("e.yml", `a: "${"😀".repeat(500_000)}"\n`).diagnostics, []);
});
