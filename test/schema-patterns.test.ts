import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

// Every pattern of our schema runs on what users write: none may take more than linear-ish time on
// an adversarial 10 KB string (robustness.mjs found two that ran for hours). Each pattern is run
// against strings built to make an ambiguous expression backtrack.

const schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "schemas", "gitlab-ci.json"), "utf8"));

function patterns(node: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => patterns(n, out));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "pattern" && typeof v === "string") out.add(v);
      else patterns(v, out);
    }
  }
  return out;
}

const N = 10_000;
const ADVERSARIAL = [
  "1".repeat(N) + "!",
  "1 ".repeat(N / 2) + "!",
  "1a".repeat(N / 2) + "!",
  "1.1".repeat(N / 3) + "!",
  "@".repeat(N) + " ",
  "a@".repeat(N / 2) + " ",
  "a".repeat(N) + "!",
  "a/".repeat(N / 2) + " ",
  "$".repeat(N) + " ",
  " ".repeat(N) + "!",
  "%2E".repeat(N / 3) + "/",
  ".".repeat(N) + "/",
  "a-".repeat(N / 2) + "/",
  "https://" + "a".repeat(N) + " ",
];

test("no schema pattern backtracks on adversarial strings", { timeout: 60_000 }, () => {
  const slow: string[] = [];
  for (const p of patterns(schema, new Set())) {
    const re = new RegExp(p, "u");
    for (const s of ADVERSARIAL) {
      const t0 = performance.now();
      re.test(s);
      const ms = performance.now() - t0;
      if (ms > 100) slow.push(`${p} on ${JSON.stringify(s.slice(0, 12))}…: ${Math.round(ms)} ms`);
    }
  }
  assert.deepEqual(slow, []);
});
