import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { CODES, docsPage, isCode, templatePattern, type Code } from "../server/src/engine/codes";
import { RULES } from "../server/src/lint/registry";
import { analyze, y } from "./helpers";

// The table of diagnostic codes (engine/codes.ts) against what is documented and what is emitted:
// docs/diagnostics.md lists every code with its severity, every lint rule is a code, and where
// GitLab has its own message for a problem, ours starts with GitLab's text.

const root = path.resolve(__dirname, "..", "..");
const doc = fs.readFileSync(path.join(root, "docs", "diagnostics.md"), "utf8");

test("docs/diagnostics.md lists every code of the table, with its default severity, and no other", () => {
  const documented = new Map(
    [...doc.matchAll(/^\| (?:<a id="([a-z-]+)"><\/a>)?`([a-z-]+)` \| (\w+)/gm)].map((m) => [m[2], m[3]]),
  );
  const table = new Map(Object.entries(CODES).map(([code, info]) => [code, info.severity]));
  assert.deepEqual([...documented].sort(), [...table].sort());
});

test("every code has a page that explains it: a lint its rule page, any other code its anchored row", () => {
  const missing: string[] = [];
  for (const code of Object.keys(CODES) as Code[]) {
    const [file, anchor] = docsPage(code).split("#");
    const page = path.join(root, file);
    if (!fs.existsSync(page)) missing.push(`${code}: no ${file}`);
    else if (CODES[code].section === "lint") assert.equal(anchor, undefined, code);
    else if (!new RegExp(`^\\| <a id="${anchor}"></a>\`${code}\` \\|`, "m").test(fs.readFileSync(page, "utf8")))
      missing.push(`${code}: no row anchored #${anchor} in ${file}`);
  }
  assert.deepEqual(missing, []);
});

test("where GitLab has its own message for a code, its row in docs/diagnostics.md quotes it", () => {
  const rows = new Map([...doc.matchAll(/^\| (?:<a id="[a-z-]+"><\/a>)?`([a-z-]+)` \|.*$/gm)].map((m) => [m[1], m[0]]));
  const unquoted = Object.entries(CODES as Record<string, { gitlab?: string }>)
    .filter(([, info]) => info.gitlab)
    // the message's longest fixed part (what varies is written `<job>`, `%{job}` in the table)
    .filter(([code, info]) => {
      const fixed = info.gitlab!.split(/%\{\w+\}/).map((s) => s.trim());
      const longest = fixed.sort((a, b) => b.length - a.length)[0].replace(/`/g, "");
      return !(rows.get(code) ?? "").replace(/\\?`/g, "").includes(longest);
    })
    .map(([code]) => code);
  assert.deepEqual(unquoted, []);
});

test("every lint rule is a code of the table, in the lint section, with the rule's severity", () => {
  assert.deepEqual(
    RULES.map((r) => [r.id, r.severity]).sort(),
    Object.entries(CODES)
      .filter(([, i]) => i.section === "lint")
      .map(([c, i]) => [c, i.severity])
      .sort(),
  );
});

test("no code is emitted that is not in the table: the type says so, and so does the source", () => {
  const src = path.join(root, "server", "src");
  const files = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) =>
        e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
      );
  const emitted = new Set<string>();
  for (const f of files(src))
    for (const m of fs.readFileSync(f, "utf8").matchAll(/\bcode: "([a-z]+(?:-[a-z]+)+)"/g)) emitted.add(m[1]);
  assert.deepEqual(
    [...emitted].filter((c) => !isCode(c)),
    [],
  );
  assert.ok(emitted.size > 20);
});

/** A config that makes GitLab report each problem it has its own words for. */
const CASES: Record<string, Record<string, string>> = {
  "yaml-too-big": {
    ".gitlab-ci.yml": y(
      "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]",
      ...[..."bcdefgh"].map((k, i) => `${k}: &${k} [${Array(10).fill(`*${"abcdefgh"[i]}`).join(", ")}]`),
    ),
  },
  "yaml-recursive-alias": { ".gitlab-ci.yml": y("--- &1", "- hi", "- *1") },
  "variable-not-in-options": { ".gitlab-ci.yml": y("variables: {V: {value: c, options: [a, b]}}", "j: {script: [x]}") },
  "yaml-text-too-big": { ".gitlab-ci.yml": y("job: {script: [x]}", `a: "${"x".repeat(2 * 1024 * 1024)}"`) },
  "yaml-invalid-format": { ".gitlab-ci.yml": "- a\n- b\n" },
  "include-not-found": { ".gitlab-ci.yml": y("include: nope.yml", "j: {script: [x]}") },
  "include-empty": { ".gitlab-ci.yml": y("include: e.yml", "j: {script: [x]}"), "e.yml": "# nothing\n" },
  "include-not-yaml": { ".gitlab-ci.yml": y("include: notes.txt", "j: {script: [x]}"), "notes.txt": "x" },
  "include-limit": {
    ".gitlab-ci.yml": y("include:", ...Array.from({ length: 151 }, () => "  - a.yml"), "j: {script: [x]}"),
    "a.yml": y("a: {script: [a]}"),
  },
  "input-required": {
    ".gitlab-ci.yml": y("include: t.yml"),
    "t.yml": y("spec:", "  inputs:", "    n:", "---", "j: {script: [x]}"),
  },
  "input-unknown": {
    ".gitlab-ci.yml": y("include:", "  - local: t.yml", "    inputs: {n: 1, m: 2}"),
    "t.yml": y("spec:", "  inputs:", "    n: {type: number}", "---", "j: {script: [x]}"),
  },
  "input-unexpected": {
    ".gitlab-ci.yml": y("include:", "  - local: t.yml", "    inputs: {n: 1}"),
    "t.yml": y("j: {script: [x]}"),
  },
  "input-type": {
    ".gitlab-ci.yml": y("include:", "  - local: t.yml", "    inputs: {n: abc}"),
    "t.yml": y("spec:", "  inputs:", "    n: {type: number}", "---", "j: {script: [x]}"),
  },
  "input-option": {
    ".gitlab-ci.yml": y("include:", "  - local: t.yml", "    inputs: {n: c}"),
    "t.yml": y("spec:", "  inputs:", "    n: {options: [a, b]}", "---", "j: {script: [x]}"),
  },
  "input-spec-invalid": {
    ".gitlab-ci.yml": y("include: t.yml"),
    "t.yml": y("spec:", "  inputs:", "    n: {type: date, default: x}", "---", "j: {script: [x]}"),
  },
  "extends-unknown-parent": { ".gitlab-ci.yml": y("j:", "  extends: .nope", "  script: [x]") },
  "extends-invalid-base": { ".gitlab-ci.yml": y(".list: [a]", "j:", "  extends: .list", "  script: [x]") },
  "extends-circular": {
    ".gitlab-ci.yml": y(".a: {extends: .b}", ".b: {extends: .a}", "j:", "  extends: .a", "  script: [x]"),
  },
  "extends-nesting-too-deep": {
    ".gitlab-ci.yml": y(
      ...Array.from({ length: 12 }, (_, i) => `.t${i}: {extends: .t${i + 1}}`),
      ".t12: {image: a}",
      "j:",
      "  extends: .t0",
      "  script: [x]",
    ),
  },
  "reference-not-found": { ".gitlab-ci.yml": y("j:", "  script: [!reference [.nope, script]]") },
  "reference-circular": {
    ".gitlab-ci.yml": y(
      ".a: {script: [!reference [.b, script]]}",
      ".b: {script: [!reference [.a, script]]}",
      "j:",
      "  script: [!reference [.a, script]]",
    ),
  },
  "job-no-script": { ".gitlab-ci.yml": y("j:", "  image: alpine", "k: {script: [x]}") },
  "job-blank": { ".gitlab-ci.yml": y(".t:", "j: {script: [x]}") },
  "job-publish-outside-pages": { ".gitlab-ci.yml": y("j: {script: [x], publish: public}") },
  "bridge-parallel-number": { ".gitlab-ci.yml": y("j: {trigger: a/b, parallel: 2}") },
  "needs-cross-pipeline-limit": {
    ".gitlab-ci.yml": y(
      "j:",
      "  script: [x]",
      `  needs: [${[..."123456"].map((n) => `{pipeline: p${n}, job: a}`).join(", ")}]`,
    ),
  },
  "rules-too-deep": { ".gitlab-ci.yml": y("j:", "  script: [x]", "  rules: [[[[[[[[[[[{when: always}]]]]]]]]]]]") },
  "needs-name-too-long": {
    ".gitlab-ci.yml": y(
      `${"a".repeat(252)}: {script: [x], parallel: 2}`,
      "j:",
      `  needs: [${"a".repeat(252)}]`,
      "  script: [x]",
    ),
  },
  "dependencies-cross-pipeline": {
    ".gitlab-ci.yml": y(
      "a: {script: [x]}",
      "j:",
      "  needs: [{pipeline: p, job: a}]",
      "  dependencies: [a]",
      "  script: [x]",
    ),
  },
  "job-name-type": { ".gitlab-ci.yml": y("10: {script: [x]}") },
  "policy-regexp-invalid": { ".gitlab-ci.yml": y("j: {script: [x], only: ['/*x/']}") },
  "needs-matrix-unknown": {
    ".gitlab-ci.yml": y(
      "a: {script: [x], parallel: {matrix: [{OS: [l]}]}}",
      "j:",
      "  script: [x]",
      "  parallel: {matrix: [{OS: [l]}]}",
      "  needs: [{job: a, parallel: {matrix: [{OS: ['$[[ matrix.NOPE ]]']}]}}]",
    ),
  },
  "job-name-blank": { ".gitlab-ci.yml": y("'': {script: [x]}") },
  "default-conflict": { ".gitlab-ci.yml": y("image: a", "default: {image: b}", "j: {script: [x]}") },
  "config-no-visible-job": { ".gitlab-ci.yml": y(".t: {script: [x]}") },
  "config-empty": { ".gitlab-ci.yml": "# nothing yet\n" },
  "stage-unknown": { ".gitlab-ci.yml": y("j:", "  stage: nope", "  script: [x]") },
  "needs-unknown": { ".gitlab-ci.yml": y("j:", "  needs: [nope]", "  script: [x]") },
  "needs-later-stage": {
    ".gitlab-ci.yml": y(
      "a:",
      "  needs: [b]",
      "  stage: build",
      "  script: [x]",
      "b:",
      "  stage: test",
      "  script: [x]",
    ),
  },
  "needs-cycle": { ".gitlab-ci.yml": y("a: {script: [x], needs: [b]}", "b: {script: [x], needs: [a]}") },
  "needs-duplicate": {
    ".gitlab-ci.yml": y("a: {script: [x], stage: build}", "j:", "  needs: [a, a]", "  script: [x]"),
  },
  "dependencies-unknown": { ".gitlab-ci.yml": y("j:", "  dependencies: [nope]", "  script: [x]") },
  "dependencies-later-stage": {
    ".gitlab-ci.yml": y(
      "a:",
      "  dependencies: [b]",
      "  stage: build",
      "  script: [x]",
      "b:",
      "  stage: test",
      "  script: [x]",
    ),
  },
  "dependencies-not-in-needs": {
    ".gitlab-ci.yml": y(
      "a: {script: [x], stage: build}",
      "b: {script: [x], stage: build}",
      "j:",
      "  needs: [a]",
      "  dependencies: [b]",
      "  script: [x]",
    ),
  },
  "parallel-matrix-too-many": {
    ".gitlab-ci.yml": y(
      "j:",
      "  script: [x]",
      "  parallel:",
      "    matrix:",
      `      - A: [${Array.from({ length: 20 }, (_, i) => i).join(", ")}]`,
      `        B: [${Array.from({ length: 11 }, (_, i) => i).join(", ")}]`,
    ),
  },
  "commands-too-deep": {
    ".gitlab-ci.yml": y("j:", "  script: [[[[[[[[[[[x]]]]]]]]]]]"),
  },
  "needs-too-many": {
    ".gitlab-ci.yml": y("b: {script: [x], stage: build, parallel: 51}", "j:", "  needs: [b]", "  script: [x]"),
  },
  "expression-invalid": { ".gitlab-ci.yml": y("j:", "  script: [x]", "  rules: [{if: '$A = 1'}]") },
  "job-name-too-long": { ".gitlab-ci.yml": y(`${"j".repeat(256)}: {script: [x]}`) },
  "job-key-with-rules": { ".gitlab-ci.yml": y("j:", "  script: [x]", "  only: [main]", "  rules: [{if: $A}]") },
  "job-keys-exclusive": { ".gitlab-ci.yml": y("j:", "  script: [x]", "  run: [{name: a, script: b}]") },
  "job-start-in-blank": { ".gitlab-ci.yml": y("j:", "  script: [x]", "  start_in: 1 day") },
  "job-start-in-missing": { ".gitlab-ci.yml": y("j:", "  script: [x]", "  when: delayed") },
  "schema-unknown-keyword": { ".gitlab-ci.yml": y("j:", "  script: [x]", "  bogus: 1") },
  "schema-type": { ".gitlab-ci.yml": y("j:", "  script: [x]", "  interruptible: 1") },
  "schema-enum": { ".gitlab-ci.yml": y("j:", "  script: [x]", "  when: sometimes") },
  "schema-required": { ".gitlab-ci.yml": y("j:", "  script: [x]", "  release: {description: notes}") },
  "schema-pattern": { ".gitlab-ci.yml": y("j:", "  script: [x]", "  cache: {policy: sideways}") },
  "schema-limit": { ".gitlab-ci.yml": y("j:", "  script: [x]", "  parallel: 500") },
  "schema-invalid": { ".gitlab-ci.yml": y("j:", "  trigger: {include: [{artifact: a.yml}]}") },
  "duration-invalid": { ".gitlab-ci.yml": y("j:", "  script: [x]", "  timeout: 7 elephants") },
  "duration-over-limit": { ".gitlab-ci.yml": y("j:", "  script: [x]", "  when: delayed", "  start_in: 8 days") },
  "rules-multiple-pipelines": { ".gitlab-ci.yml": y("j:", "  script: [x]", "  rules: [{if: $A}, {when: always}]") },
  "environment-on-stop-unknown": {
    ".gitlab-ci.yml": y("j:", "  script: [x]", "  environment: {name: review, on_stop: stop}"),
  },
  "environment-on-stop-invalid": {
    ".gitlab-ci.yml": y(
      "j:",
      "  script: [x]",
      "  environment: {name: review, on_stop: stop}",
      "stop:",
      "  script: [x]",
      "  when: manual",
    ),
  },
};

test("where GitLab has its own words, our message starts with them: every such code, emitted", () => {
  const templated = Object.entries(CODES)
    .filter(([, i]) => "gitlab" in i)
    .map(([c]) => c);
  assert.deepEqual(templated.filter((c) => !(c in CASES)).sort(), [], "a case for every code with GitLab's text");
  for (const [code, files] of Object.entries(CASES)) {
    const found = analyze(files).diagnostics.filter((d) => d.code === code);
    assert.ok(found.length > 0, `${code} is reported`);
    const pattern = templatePattern((CODES[code as Code] as { gitlab: string }).gitlab);
    for (const d of found) assert.match(d.message, pattern, code);
  }
});

test("a template becomes a pattern for messages that start with its text", () => {
  const p = templatePattern("%{job} job: undefined need: %{need}");
  assert.match("rspec job: undefined need: build (maybe elsewhere)", p);
  assert.doesNotMatch("undefined need: build", p);
  assert.match('!reference [".a", "b"] could not be found', templatePattern("!reference %{path} could not be found"));
});
