import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { LOAD_WHOLE_FIRST_FROM, loadFile, loadWhole, type ParsedFile } from "../server/src/engine/load";
import { LOAD_BY_ENTRY_FROM } from "../server/src/engine/load-by-entry";
import type { CValue } from "../server/src/engine/types";

// A big file is loaded entry by entry and reuses the entries its last version had: the result must be
// exactly what loading it whole gives — every value, position, hop, anchor and finding — after any
// sequence of edits, and the entries an edit did not touch keep their values (identity), moved.

function shape(v: CValue | undefined): unknown {
  if (!v) return v;
  const base = {
    k: v.kind,
    s: [v.src.file, v.src.start, v.src.end],
    via: v.via?.map((h) => [h.kind, h.name, h.at.start, h.at.end]),
  };
  if (v.kind === "scalar") return { ...base, v: v.value };
  if (v.kind === "map")
    return { ...base, e: [...v.entries].map(([k, e]) => [k, e.keySrc.start, e.keySrc.end, shape(e.value)]) };
  return { ...base, i: v.items.map(shape), invalid: v.kind === "ref" ? v.invalid : undefined };
}

/** Everything a loaded file says, as one string: equal strings, equal files. */
const sig = (f: ParsedFile) =>
  JSON.stringify({
    header: shape(f.header),
    content: shape(f.content),
    anchors: f.anchors.map((a) => [a.name, a.src.start, a.src.end]),
    diagnostics: f.diagnostics.map((d) => `${d.code} ${d.src.start}-${d.src.end} ${d.message}`).sort(),
  });

/** A big rules file in gitlab-org's style: anchors, aliases, merge keys, references, comments, a lenient quote. */
function bigFile(): string {
  const out = [
    "# rules shared by every job",
    ".if-default-branch: &if-default-branch",
    '  if: "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"',
    "",
  ];
  for (let i = 0; i < 90; i++) {
    out.push(
      `# rule set ${i}`,
      `.rules:set-${i}:`,
      "  rules:",
      "    - <<: *if-default-branch",
      "      when: manual",
      `    - if: '$CI_MERGE_REQUEST_IID && $X_${i} == "${i}"'`,
      `      changes: &changes-${i} ["app/${i}/**/*", "lib/${i}.rb"]`,
    );
    if (i > 0) out.push(`    - changes: *changes-${i - 1}`);
    out.push(
      `job-${i}:`,
      `  extends: .rules:set-${i}`,
      "  script:",
      `    - echo ${i}`,
      "    - !reference [.setup, script]",
      "",
    );
  }
  out.push(".lenient:", '  if: \'$A == "a" ||', '  $B == "b"\'', ".setup:", "  script: [make]", "");
  return out.join("\n");
}

/**
 * Seeded edits: comment lines, deleted lines, changed words, copied lines, new anchors and aliases. An
 * edit that breaks the YAML is tried, then undone, so the next edits start from a file that loads.
 */
function* edits(file: string, text: string, seed: number, n: number): Generator<{ text: string; whole: ParsedFile }> {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const original = text;
  let valid = text;
  for (let k = 0; k < n; k++) {
    text = valid;
    const lines = text.split("\n");
    const i = Math.floor(rnd() * lines.length);
    switch (Math.floor(rnd() * 7)) {
      case 0:
        lines.splice(i, 0, `# note ${k}`);
        break;
      case 1:
        lines.splice(i, 1);
        break;
      case 2:
        lines[i] = lines[i].replace(/[a-z]/, "Q");
        break;
      case 3:
        lines.splice(i, 0, `.new-${k}: &new-${k}`, `  a: *if-default-branch`);
        break;
      case 4:
        lines.splice(i, 0, lines[Math.floor(rnd() * lines.length)]);
        break;
      case 5:
        lines.splice(i, 0, `.later-${k}:`, `  x: *new-${k - 1}`);
        break;
      default:
        valid = original;
        continue;
    }
    text = lines.join("\n");
    const whole = loadWhole(file, text);
    yield { text, whole };
    if (!whole.diagnostics.some((d) => d.code === "yaml-syntax")) valid = text;
  }
}

test("loaded by entry, after every edit, a big file is exactly what loading it whole gives", () => {
  const text = bigFile();
  assert.ok(text.length > LOAD_BY_ENTRY_FROM);
  let prev = loadFile("r.yml", text);
  assert.ok(prev.entries, "loaded by entry");
  assert.equal(sig(prev), sig(loadWhole("r.yml", text)));
  let byEntry = 0;
  for (const { text: t, whole } of edits("r.yml", text, 7, 60)) {
    const next = loadFile("r.yml", t, prev);
    if (next.entries) byEntry++;
    assert.equal(sig(next), sig(whole));
    prev = next;
  }
  assert.ok(byEntry > 30, `most edits keep the file loadable by entry (${byEntry})`);
});

test("an edit in one entry keeps every other entry's values, moved to where the new text has them", () => {
  const text = bigFile();
  const before = loadFile("r.yml", text);
  const at = text.indexOf("job-3:");
  const after = loadFile("r.yml", text.slice(0, at) + "# one more line\n" + text.slice(at), before);
  const value = (f: ParsedFile, key: string) =>
    (f.content?.kind === "map" ? f.content.entries.get(key)!.value : undefined)!;
  assert.equal(value(after, "job-80"), value(before, "job-80"), "same object");
  assert.equal(value(after, ".rules:set-2"), value(before, ".rules:set-2"));
  const script = value(after, "job-80");
  assert.equal(script.kind, "map");
  const written = after.text.slice(script.src.start, script.src.end);
  assert.match(written, /^extends: \.rules:set-80\n {2}script:/, "positions follow the move");
  const changed = loadFile(
    "r.yml",
    text.replace(
      "      when: manual\n    - if: '$CI_MERGE_REQUEST_IID && $X_3 ",
      "      when: always\n    - if: '$CI_MERGE_REQUEST_IID && $X_3 ",
    ),
    before,
  );
  assert.notEqual(value(changed, ".rules:set-3"), value(before, ".rules:set-3"), "the edited entry is new");
  assert.notEqual(
    value(changed, ".rules:set-4"),
    value(before, ".rules:set-4"),
    "it aliases an anchor of the edited entry: new too",
  );
  assert.equal(value(changed, ".rules:set-2"), value(before, ".rules:set-2"));
  assert.equal(value(changed, "job-80"), value(before, "job-80"));
});

test("a version that does not load by entry (a quote being typed) loses no entry: the next one reuses them", () => {
  const text = bigFile();
  const before = loadFile("r.yml", text);
  const at = text.indexOf("job-3:");
  const broken = text.slice(0, at) + "job-2b: {script: ['unclosed}\n" + text.slice(at);
  const during = loadFile("r.yml", broken, before);
  assert.equal(during.entries, undefined, "loaded whole");
  assert.equal(sig(during), sig(loadWhole("r.yml", broken)));
  const fixed = text.slice(0, at) + "job-2b: {script: ['closed']}\n" + text.slice(at);
  const after = loadFile("r.yml", fixed, during);
  assert.ok(after.entries, "loaded by entry again");
  assert.equal(sig(after), sig(loadWhole("r.yml", fixed)));
  const value = (f: ParsedFile, key: string) =>
    (f.content?.kind === "map" ? f.content.entries.get(key)!.value : undefined)!;
  assert.equal(value(after, "job-80"), value(before, "job-80"), "the entries of the version before the typo");
  assert.equal(value(after, ".rules:set-2"), value(before, ".rules:set-2"));
});

const corpus = path.resolve(__dirname, "..", "..", "..", "shared", "corpus", "real");
test(
  "GitLab's own big files, loaded by entry, edited, equal loading them whole",
  { skip: !fs.existsSync(corpus) && "../shared/corpus is not here" },
  () => {
    for (const file of ["gitlab/.gitlab/ci/rules.gitlab-ci.yml", "xen/automation/gitlab-ci/build.yaml"]) {
      const text = fs.readFileSync(path.join(corpus, file), "utf8");
      let prev = loadFile(file, text);
      assert.ok(prev.entries, file);
      assert.equal(sig(prev), sig(loadWhole(file, text)), file);
      for (const { text: t, whole } of edits(file, text, 3, 12)) {
        const next = loadFile(file, t, prev);
        assert.equal(sig(next), sig(whole), file);
        prev = next;
      }
    }
  },
);

test("a file over 512 KB met for the first time is loaded whole, in one parse; its next version by entry", () => {
  const job = (i: number) => `job${i}:\n  script:\n    - echo ${"x".repeat(80)} ${i}\n`;
  const text = Array.from({ length: 6000 }, (_, i) => job(i)).join("");
  assert.ok(text.length >= LOAD_WHOLE_FIRST_FROM, String(text.length));
  const first = loadFile("big.yml", text);
  assert.equal(first.entries, undefined, "loaded whole");
  assert.equal(sig(first), sig(loadWhole("big.yml", text)));
  const edited = text.replace("job7:", "job7b:");
  const second = loadFile("big.yml", edited, first);
  assert.equal(second.entries?.placed.length, 6000, "loaded by entry");
  assert.equal(sig(second), sig(loadWhole("big.yml", edited)));
});
