import * as assert from "node:assert/strict";
import { test } from "node:test";
import { analyze, applyFix, diags, effective, job, noDiagnostics, y } from "./helpers";

test("!reference puts the value in place, across files, and sees keys inherited through extends", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "include: rules.yml",
      ".setup:",
      "  extends: .base-setup",
      "job:",
      "  rules: !reference [.rules:main, rules]",
      "  before_script: !reference [.setup, before_script]",
      "  variables:",
      "    V: !reference [.vars, variables, V]",
      "  script: [x]",
    ),
    "rules.yml": y(
      ".rules:main:",
      "  rules:",
      "    - if: $A",
      ".base-setup:",
      "  before_script: [setup]",
      ".vars:",
      "  variables: {V: v}",
    ),
  });
  noDiagnostics(m);
  assert.deepEqual(job(m, "job"), {
    rules: [{ if: "$A" }],
    before_script: ["setup"],
    variables: { V: "v" },
    script: ["x"],
  });
});

test("references inside lists nest in the merged view and flatten fully in script and rules", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      ".a:",
      "  script: [a1, a2]",
      "  rules: [{if: $A}]",
      ".b:",
      "  script:",
      "    - !reference [.a, script]",
      "    - b",
      "job:",
      "  script:",
      "    - !reference [.b, script]",
      "    - c",
      "  rules:",
      "    - !reference [.a, rules]",
      "    - when: never",
    ),
  });
  noDiagnostics(m);
  assert.deepEqual((job(m, "job") as { script: unknown }).script, [[["a1", "a2"], "b"], "c"]);
  assert.deepEqual(effective(m, "job"), {
    script: ["a1", "a2", "b", "c"],
    rules: [{ if: "$A" }, { when: "never" }],
    stage: "test",
  });
});

test("a flattened line remembers the reference it came through", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(".a:", "  script: [a1]", "job:", "  script:", "    - !reference [.a, script]"),
  });
  const script = m.effectiveJob("job")!.entries.get("script")!.value;
  const line = script.kind === "seq" ? script.items[0] : undefined;
  assert.deepEqual(
    line!.via!.map((h) => [h.kind, h.name]),
    [["reference", ".a.script"]],
  );
});

test("lists nested where GitLab does not flatten are an error at the reference", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(".t:", "  tags: [a]", "job:", "  tags:", "    - !reference [.t, tags]", "  script: [x]"),
  });
  assert.deepEqual(diags(m), [
    ".gitlab-ci.yml 4:6-4:27 error nested-list jobs:job:tags must not contain " +
      "nested lists: GitLab flattens nested lists only in script, before_script, " +
      "after_script, rules, needs, cache, services and stages",
  ]);
});

test("a list in variables is the schema's error once, never nested-list in every job that inherits it", () => {
  const m = analyze({
    ".gitlab-ci.yml": y("variables:", "  X: [[a]]", "a: {script: [x]}", "b: {script: [x]}"),
  });
  assert.deepEqual(
    m.diagnostics.map((d) => `${d.src.start} ${d.code}`),
    ["16 schema-type", "16 schema-type"],
  );
});

test("a missing target, or one that is false, could not be found; path items must be strings", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      ".t:",
      "  interruptible: false",
      "job:",
      "  script:",
      "    - !reference [.nope, script]",
      "    - !reference [.t, interruptible]",
      "    - !reference [.t, script, 0]",
    ),
  });
  assert.deepEqual(diags(m), [
    '.gitlab-ci.yml 4:6-4:32 error reference-not-found !reference [".nope", "script"] could not be found',
    '.gitlab-ci.yml 5:6-5:36 error reference-not-found !reference [".t", "interruptible"] could not be found',
    '.gitlab-ci.yml 6:6-6:32 error reference-invalid !reference [".t", "script", ' +
      '0] is not valid: it takes a list of keys such as [".job", "script"]',
  ]);
});

test("a path cannot index into a list", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(".t:", "  script: [a, b]", "job:", "  script: !reference [.t, script, '0']"),
  });
  assert.deepEqual(diags(m), [
    '.gitlab-ci.yml 3:10-3:38 error reference-not-found !reference [".t", "script", "0"] could not be found',
  ]);
});

test("circular references are reported, not followed forever", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      ".a:",
      "  script: !reference [.b, script]",
      ".b:",
      "  script: !reference [.a, script]",
      "job:",
      "  script: [x]",
    ),
  });
  assert.deepEqual(diags(m), [
    '.gitlab-ci.yml 1:10-1:33 error reference-circular !reference [".b", "script"] is part of a circular chain',
  ]);
});

test("a reference must be a list of strings; GitLab shows what it was given, as Ruby inspects it", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "job:",
      "  script:",
      "    - !reference [.a, 1]",
      "    - !reference []",
      "    - !reference [[a], null]",
      "    - !reference str",
      "    - !reference {b: c}",
    ),
  });
  const says = 'is not valid: it takes a list of keys such as [".job", "script"]';
  assert.deepEqual(diags(m), [
    '.gitlab-ci.yml 2:6-2:24 error reference-invalid !reference [".a", 1] is ' +
      'not valid: it takes a list of keys such as [".job", "script"]',
    ".gitlab-ci.yml 3:6-3:19 error reference-invalid !reference [] is not valid: " +
      'it takes a list of keys such as [".job", "script"]',
    `.gitlab-ci.yml 4:6-4:28 error reference-invalid !reference [["a"], nil] ${says}`,
    `.gitlab-ci.yml 5:6-5:20 error reference-invalid !reference "str" ${says}`,
    `.gitlab-ci.yml 6:6-6:23 error reference-invalid !reference {"b"=>"c"} ${says}`,
  ]);
});

test("an error in a template used by many jobs is reported once", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      ".t:",
      "  script: [!reference [.missing, script]]",
      "a:",
      "  extends: .t",
      "b:",
      "  extends: .t",
      "c:",
      "  extends: .t",
    ),
  });
  assert.deepEqual(diags(m), [
    '.gitlab-ci.yml 1:11-1:40 error reference-not-found !reference [".missing", "script"] could not be found',
  ]);
});

test("a reference bomb is reported where it passes the expansion limit, not expanded", () => {
  // each level holds ten references to the level below: l4's v is 31,111 values, l5's 311,111
  const levels = ["l0:", "  v: [a, b]"];
  for (let i = 1; i <= 9; i++)
    levels.push(`l${i}:`, `  v: [${Array.from({ length: 10 }, () => `!reference [l${i - 1}, v]`).join(", ")}]`);
  const m = analyze({ ".gitlab-ci.yml": y(...levels, "job:", "  script: [!reference [l9, v]]") });
  assert.deepEqual(
    diags(m).filter((d) => d.includes(" reference-limit ")),
    Array.from(
      { length: 10 },
      (_, i) =>
        `.gitlab-ci.yml 13:${6 + i * 20}-13:${24 + i * 20} error reference-limit !reference ["l5", "v"] expands to ` +
        "more than 100,000 values once every reference is in place",
    ),
  );
});

test("references nest at most 100 levels deep", () => {
  const chain = Array.from({ length: 300 }, (_, i) => `k${i}:\n  v: [!reference [k${i + 1}, v]]`).join("\n");
  const m = analyze({ ".gitlab-ci.yml": chain + "\nk300:\n  v: [end]\njob:\n  script: [!reference [k0, v]]\n" });
  const limits = m.diagnostics.filter((d) => d.code === "reference-limit").map((d) => d.message);
  assert.ok(limits.length > 0);
  assert.match(limits[0], /nests references more than 100 levels deep$/);
});

test("script lists nest ten levels deep; the eleventh is GitLab's error at the job's reference", () => {
  // .l1 is a list one deep; each .lN holds a reference to .l(N-1), so .lN is N lists deep
  const levels = [".l1:", "  s: [a]"];
  for (let i = 2; i <= 11; i++) levels.push(`.l${i}:`, `  s: [!reference [.l${i - 1}, s]]`);
  const m = analyze({
    ".gitlab-ci.yml": y(
      ...levels,
      ...["ten:", "  script: !reference [.l10, s]", "eleven:", "  script: !reference [.l11, s]"],
    ),
  });
  assert.deepEqual(diags(m), [
    ".gitlab-ci.yml 25:10-25:30 error commands-too-deep jobs:eleven:script config should be a string or " +
      "a nested array of strings up to 10 levels deep",
  ]);
  assert.deepEqual((effective(m, "ten") as { script: unknown }).script, ["a"]);
});

test("a chain of 2,000 references is cut where it nests lists more than 100 deep", () => {
  const chain = [".r0:", "  s: [echo]"];
  for (let i = 1; i < 2_000; i++) chain.push(`.r${i}:`, `  s: [!reference [.r${i - 1}, s]]`);
  const m = analyze({ ".gitlab-ci.yml": y(...chain, "job:", "  script: !reference [.r1999, s]") });
  const limits = m.diagnostics.filter((d) => d.code === "reference-limit");
  // the first cut is the reference that would make .r101 102 lists deep; each cut starts the count again
  assert.equal(
    limits[0].message,
    '!reference [".r100", "s"] expands to lists or maps nested more than 100 levels deep',
  );
  // cuts at .r100, .r201, ... .r1918
  assert.equal(limits.length, 19);
  // what reaches the job is still 80 lists deep: too deep for a script
  assert.deepEqual(
    m.diagnostics.filter((d) => d.code !== "reference-limit").map((d) => d.message),
    ["jobs:job:script config should be a string or a nested array of strings up to 10 levels deep"],
  );
});

test("a !reference to a key that names nothing carries a fix to the closest key where it was looked for", () => {
  const files = {
    ".gitlab-ci.yml": y(
      ".rules:mr:",
      "  rules: [{if: $CI_MERGE_REQUEST_IID}]",
      "a:",
      "  script: [x]",
      "  rules: !reference [.rules:rm, rules]",
      "b:",
      "  script: [x]",
      "  rules: !reference [.rules:mr, rulez]",
      "c:",
      "  script: [x]",
      "  rules: !reference [.nothing-like-it, rules]",
    ),
  };
  const m = analyze(files);
  const found = m.diagnostics.filter((d) => d.code === "reference-not-found");
  assert.deepEqual(
    found.map((d) => d.message),
    [
      '!reference [".rules:rm", "rules"] could not be found',
      '!reference [".rules:mr", "rulez"] could not be found',
      '!reference [".nothing-like-it", "rules"] could not be found',
    ],
  );
  // each fix, as the line it leaves; the third name is like nothing: no fix rather than a wild guess
  const line = (text: string, n: number) => text.split("\n")[n];
  assert.deepEqual(
    found.map((d, i) => d.fixes?.map((f) => [f.title, line(applyFix(files, f)[".gitlab-ci.yml"], 4 + 3 * i)])),
    [
      [['Change to ".rules:mr"', "  rules: !reference [.rules:mr, rules]"]],
      [['Change to "rules"', "  rules: !reference [.rules:mr, rules]"]],
      undefined,
    ],
  );
});
