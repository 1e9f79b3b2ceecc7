import * as assert from "node:assert/strict";
import { test } from "node:test";
import { Document, isNode, isPair, isScalar, parseAllDocuments, visit } from "yaml";
import { applyFolds, blankRuns, parseShortened } from "../server/src/engine/yaml-blank-runs";
import { analyze, diags, job } from "./helpers";

// A million blank lines between two keys took the yaml package 3 s (a fuzzed config, #1458 of seed 1),
// and 600,000 after a key before a comment and a line indented deeper 2.7 s (#8874): long runs of blank
// or comment lines are shortened to three lines of the same length before parsing, when the parser
// confirms that gives the same parse. Most cases here lower the thresholds, so that a run of a few lines
// is shortened, and compare everything the parser gives with the parse of the text as written.

const OPTIONS = { version: "1.1" as const, merge: false, uniqueKeys: false, prettyErrors: false };

/** Everything of a parse that can differ, but comments' text: values, every node's range and kind, errors. */
function fingerprint(docs: Document.Parsed[]): unknown {
  return docs.map((d) => {
    const nodes: unknown[] = [];
    visit(d, (key, node) => {
      if (isPair(node)) nodes.push(["pair", key]);
      else if (isNode(node)) {
        const n = node as { range?: unknown; tag?: string; anchor?: string; type?: string; source?: string };
        nodes.push([key, node.constructor.name, n.range, n.tag, n.anchor, n.type, n.source]);
        if (isScalar(node)) nodes.push(typeof node.value === "symbol" ? String(node.value) : node.value);
      }
    });
    let value: unknown;
    try {
      value = d.toJS({ maxAliasCount: -1 });
    } catch (e) {
      value = String(e);
    }
    const problems = (list: readonly { code: string; pos: [number, number]; message: string }[]) =>
      list.map((e) => [e.code, e.pos, e.message]);
    return {
      value,
      nodes,
      range: d.range,
      errors: problems(d.errors),
      warnings: problems(d.warnings),
      directivesEnd: d.directives?.docStart,
    };
  });
}

/** Parses the text shortened (runs of at least `run` lines) and as written; they must agree. */
function same(text: string, name: string, run = 4): number {
  const shortened = parseShortened(text, OPTIONS, 0, run);
  const written = parseAllDocuments(text, OPTIONS) as Document.Parsed[];
  assert.deepEqual(fingerprint(shortened.docs), fingerprint(written), `${name}: ${JSON.stringify(text)}`);
  return shortened.folds.length;
}

const blank = (n: number, spaces = "") => `${spaces}\n`.repeat(n);

test("a long run becomes its first line, one line of the same length and its last line", () => {
  const text = `a: 1\n${"\n".repeat(10)}  # c\n  # c\n  #c\n  # c\n  # d\nb: 2\n`;
  const folds = blankRuns(text, 0, 4);
  assert.equal(folds.length, 2);
  const out = applyFolds(text, folds);
  assert.equal(out.length, text.length);
  // a comment line between the first and last starts #c: the line in their place starts ## (the lexer
  // expects less indentation after it)
  assert.equal(out, `a: 1\n\n${" ".repeat(7)}\n\n  # c\n  ##${" ".repeat(12)}\n  # d\nb: 2\n`);
  // the real thresholds: a file of 100,000 lines at least, runs of 64
  assert.deepEqual(blankRuns(`a: 1\n${blank(1000)}b: 2\n`), []);
  const big = `a: 1\n${blank(120_000)}b: 2\n`;
  assert.deepEqual(blankRuns(big), [{ start: 6, end: 5 + 119_999, comment: -1, dedents: false }]);
});

test("runs between nodes are shortened and parse as written", () => {
  const cases: Record<string, string> = {
    "between top-level keys": `a: 1\n${blank(8)}b: 2\n`,
    "with spaces": `a: 1\n${blank(8, "   ")}b: 2\n`,
    "between nested items, with comments": `a:\n  x: 1\n${blank(8)}  y:\n    - 1\n${"  # c\n".repeat(8)}    - 2\nb: 3`,
    "comments deeper than what follows": `a:\n  b:\n    c: 1\n${"      # c\n".repeat(8)}d: 2\n`,
    "comments dedenting": `a:\n  b: 1\n${"#c\n".repeat(8)}  c: 2\n`,
    // after "#c" the lexer expects less indentation, and "z" continues "y"; after "# c" it would not
    "a comment between lowers the indentation": `a:\n    b: x\n  # c\n  #c\n  #c\n  # c\n    y\n   z\n`,
    "CRLF lines": `a: 1\r\n${"\r\n".repeat(8)}b: 2\r\n`,
    "at the end": `a: 1\n${blank(8)}`,
    "at the start": `${blank(8)}a: 1\n`,
    "comments at the start": `${"# c\n".repeat(8)}a: 1\n`,
    "between documents": `a: 1\n${blank(8)}---\n${blank(8)}b: 2\n...\n${blank(8)}--- c\n`,
    "after a key without a value": `a:\n${blank(8)}  b: 1\n`,
    "after a key, a sequence": `a:\n${blank(8)}- 1\n`,
    "after a sequence item without a value": `- \n${blank(8)}  - 1\n`,
    "before the first item of a map": `a:\n${blank(8)}  b: 1\n${blank(8)}  c: 2\n`,
    "a trailing comment on the line before": `a: 1 # c\n${blank(8)}b: 2\n`,
    "an alias before": `a: &x 1\nb: *x\n${blank(8)}c: 2\n`,
    "an anchor before its value": `a: &x\n${blank(8)}  b: 1\n`,
    "a tag before its value": `a: !!map\n${blank(8)}  b: 1\n`,
    "an explicit key": `? a\n${blank(8)}: 1\n`,
    // #8874: a key, blank lines, a comment, then a line deeper than the key: no plain scalar goes on
    "a comment ends the plain scalar": `a:\n  - x\nb: word\n${blank(8)}    # c\n    - when: never\n`,
    "a comment ends it, deeper comment": `b: word\n${blank(8)}      # c\n    c: 1\n`,
    "broken indentation after": `a:\n    b: 1\n${blank(8)}  c: 2\n`,
    "a line that is not a key": `a: 1\nb\n${blank(8)}c: 2\n`,
  };
  for (const [name, text] of Object.entries(cases)) assert.ok(same(text, name) > 0, `${name}: shortened`);
});

test("runs that may be part of a scalar or flow collection parse as written", () => {
  const cases: Record<string, string> = {
    "continuing a plain scalar": `a: word\n${blank(8)}  more\nb: 2\n`,
    "continuing with spaces": `a: word\n${blank(8, "    ")}  more\nb: 2\n`,
    "a continuation line less deep than the line before": `a:\n    foo\n${blank(8)}  bar\n`,
    "a scalar at the document's root": `foo\n${blank(8)}bar\n`,
    "a root scalar after a dedent": `a: 1\nb\n${blank(8)}c\n`,
    "inside flow collections": `a: [1,\n${blank(8)} 2]\nb: {c: 1,\n${blank(8)} d: 2}\n`,
    "a root flow collection": `[1,\n${blank(8)}2]\n`,
    "comments in a flow collection": `a: [1,\n${"  # c\n".repeat(8)}  2]\n`,
    "inside a quoted scalar": `a: "x\n${blank(8)}  y"\nb: 'x\n${blank(8)}  y'\n`,
    "a root quoted scalar": `"x\n${blank(8)}y"\n`,
    "a quoted key after a dedent": `a: 1\n"foo\nb: 2\n${blank(8)}c: 3"\n`,
    "a comment inside a quoted scalar": `a: "x\n${"  # c\n".repeat(8)}  y"\n`,
    "comments inside a block scalar": `a: |\n  x\n${"  # c\n".repeat(8)}  y\nb: 2\n`,
    "a flow collection before": `a: [1, 2]\n${blank(8)}b: {c: 1}\n${blank(8)}d: 2\n`,
    "a quoted scalar before": `a: "x"\n${blank(8)}b: 'y'\n${blank(8)}c: 2\n`,
    "a block scalar before, dedented": `a: |\n  x\n${blank(8)}b: 2\n`,
    tabs: `a: 1\n${blank(8, "\t")}b: 2\n${"\t# c\n".repeat(8)}c: 3\n`,
  };
  for (const [name, text] of Object.entries(cases)) same(text, name);
});

test("block scalars of every style, chomping and indentation keep their value, the runs in them as written", () => {
  const headers = ["|", "|-", "|+", ">", ">-", ">+", "|2", "|2-", "|+2", ">1", ">-3", ">4+"];
  const lines = [blank(8), blank(8, "  "), blank(8, "      "), blank(8, " ")];
  let n = 0;
  for (const h of headers) {
    for (const run of lines) {
      const bodies = {
        "then a key": `a: ${h}\n    x\n${run}    y\n${run}b: 2\n`,
        "first lines blank": `a: ${h}\n${run}    x\n${run}b: 2\n`,
        "at the end of the document": `a: ${h}\n    x\n${run}---\nb: 1\n`,
        "at the end of the file": `a: ${h}\n    x\n${run}`,
        "in a sequence": `a:\n  - ${h}\n      x\n${run}  - 2\n${run}c: 3\n`,
        "then a comment run": `a: ${h}\n    x\n${run}${"# c\n".repeat(8)}b: 2\n`,
        "then deeper lines": `a: ${h}\n    x\n${run}      y\n${run}b: 2\n`,
        root: `--- ${h}\n  x\n${run}  y\n${run}`,
        "root at column 0": `--- ${h}\nx\n${run}y\n${run}z: 1\n`,
      };
      for (const [name, text] of Object.entries(bodies)) {
        same(text, `${h} ${name}`);
        n++;
      }
    }
  }
  assert.equal(n, headers.length * lines.length * 9);
});

test("random texts parse the same shortened as written", () => {
  // a small linear congruential generator: the same texts every run
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const pieces = [
    "a: 1",
    "b:",
    "  c: 2",
    "  - x",
    "- y",
    "    deeper",
    "plain",
    "  # comment",
    "# comment",
    "d: |",
    "e: >-",
    "f: |+",
    "    text",
    '  "q',
    "  q'",
    "g: [1,",
    "  2]",
    "h: {i: 1,",
    "  j: 2}",
    "---",
    "...",
    "k: &anchor",
    "l: *anchor",
    "? key",
    ": value",
    "m: 'x",
    '  y"',
    "\tn: tab",
  ];
  let shortened = 0;
  for (let i = 0; i < 400; i++) {
    const out: string[] = [];
    const count = 2 + rnd(8);
    for (let j = 0; j < count; j++) {
      out.push(pieces[rnd(pieces.length)] + "\n");
      if (rnd(2) === 0) {
        const kind = rnd(4);
        const line = kind === 0 ? "\n" : kind === 1 ? "   \n" : kind === 2 ? "# c\n" : "    #c\n";
        out.push(line.repeat(4 + rnd(6)));
      }
    }
    if (shortenedOne(out.join(""), `random ${i}`)) shortened++;
  }
  // most texts have a run that is not inside anything
  assert.ok(shortened > 100, `${shortened}`);
});

function shortenedOne(text: string, name: string): boolean {
  return same(text, name) > 0;
}

test("runs at the real thresholds: the first parse confirms those between nodes, a run in a scalar is put back", () => {
  const big = `a:\n  - x\nb: word\n${blank(130_000)}    # c\n    - when: never\n`;
  assert.equal(same(big, "#8874's shape", 64), 1);
  const inBlock = `a:\n  - |+\n${blank(130_000, "    ")}long: x\n${blank(130_000)}    # c\n    - when: never\n`;
  assert.equal(same(inBlock, "a run in a block scalar, then one after", 64), 1);
  const inPlain = `a: word\n${blank(130_000)}  more\nb: 2\n${blank(130_000)}c: 3\n`;
  assert.equal(same(inPlain, "a run in a plain scalar, then one after", 64), 1);
});

test("a config with a million blank lines is analysed with the file's own line numbers", () => {
  const model = analyze({
    ".gitlab-ci.yml": `a:\n  script: [x]\n${"\n".repeat(1_000_000)}b:\n  script: [y]\n  stage: nope\n`,
  });
  assert.deepEqual(job(model, "b"), { script: ["y"], stage: "nope" });
  assert.deepEqual(diags(model), [
    ".gitlab-ci.yml 1000004:9-1000004:13 error stage-unknown b job: chosen stage nope does not exist; " +
      "available stages are .pre, build, test, deploy, .post",
  ]);
});
