import * as assert from "node:assert/strict";
import { test } from "node:test";
import { fnmatch } from "../server/src/engine/fnmatch";
import { matchWildcard } from "../server/src/engine/wildcard";

// Globs are matched by stepping a set of states over the path (engine/glob.ts), never by
// backtracking: the same answers as the regular expressions they replace, on patterns those could
// answer, and an answer at once on the patterns that made them run for ever.

// The regular expressions the matchers replaced, as they were, for comparison.
const NEVER = /(?!)/;
function wildcardRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*") {
      if (pattern[i + 1] === "*") {
        re += ".*?";
        i++;
      } else {
        re += "[^/]*?";
      }
    } else {
      re += c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
    }
  }
  return new RegExp(`^${re}$`);
}

function fnmatchRegExp(pattern: string): RegExp {
  let re = "";
  let i = 0;
  let braces = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    // (second change: a `**` not followed by `/` is a `*`, as in Ruby's dir.c; the regex made it `.*`)
    if (c === "*" && pattern[i + 1] === "*" && pattern[i + 2] === "/" && (i === 0 || pattern[i - 1] === "/")) {
      re += "(?:.*/)?";
      i += 3;
      continue;
    }
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) re += "\\[";
      else {
        // (one change: with FNM_PATHNAME a class never matches "/", as in Ruby; the regex let it)
        re += `(?!/)[${pattern
          .slice(i + 1, end)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else if (c === "{") {
      braces++;
      re += "(?:";
    } else if (c === "}" && braces > 0) {
      braces--;
      re += ")";
    } else if (c === "," && braces > 0) re += "|";
    else re += c.replace(/[.+^$()|\\/]/g, "\\$&");
    i++;
  }
  try {
    return new RegExp(`^${re}$`);
  } catch {
    // a class like [z-a] or braces left open: the pattern matches no file rather than stopping the analysis
    return NEVER;
  }
}

const ALPHABET = ["a", "b", "/", "*", "*", "?", ".", "{a,b}", "[ab]", "[!a]", "**/"];
const PATHS = ["a", "b", "ab", "a/b", "a/b/a", "ba.a", "a.b/b", "/a", "a/", "", "aa/bb/ab", "b/a.b"];

function randomPatterns(seed: number, n: number): string[] {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  return Array.from({ length: n }, () =>
    Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => ALPHABET[Math.floor(rnd() * ALPHABET.length)]).join(""),
  );
}

test("fnmatch answers as the regular expression it replaced, on 2,000 patterns × 12 paths", () => {
  for (const p of randomPatterns(5, 2000)) {
    const re = fnmatchRegExp(p);
    for (const path of PATHS) assert.equal(fnmatch(p, path), re.test(path), `${p} ~ ${path}`);
  }
});

test("wildcard includes match as the regular expression they replaced, on 2,000 patterns × 12 paths", () => {
  for (const p of randomPatterns(9, 2000).map((x) => x.replace(/[{}[\]!?]/g, ""))) {
    const re = wildcardRegExp(p);
    assert.deepEqual(matchWildcard(p, PATHS), PATHS.filter((f) => re.test(f)).sort(), p);
  }
});

test("with FNM_PATHNAME a character class never matches a slash", () => {
  assert.equal(fnmatch("a[!b]c", "a/c"), false);
  assert.equal(fnmatch("a[!b]c", "axc"), true);
});

test("patterns that made the regular expressions backtrack for ever are answered at once", { timeout: 10000 }, () => {
  const name = "a".repeat(60);
  assert.deepEqual(matchWildcard("*".repeat(22) + "b", [name]), []);
  assert.deepEqual(matchWildcard("**a".repeat(30) + "b", [name + "/" + name]), []);
  assert.equal(fnmatch("*a".repeat(40) + "b", name), false);
  assert.equal(fnmatch("{a,b}".repeat(12), "ab".repeat(6)), false, "past 1,024 alternatives: nothing");
  assert.equal(fnmatch("{a,b}".repeat(10), "ab".repeat(5)), true);
});
