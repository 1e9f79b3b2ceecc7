import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

const root = path.resolve(__dirname, "..", "..");

test("every diagnostic code the engine emits is documented, and every documented code exists", () => {
  const dirs = [path.join(root, "server", "src", "engine"), path.join(root, "server", "src", "lint")];
  const source = dirs.flatMap((dir) => fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), "utf8"))).join("\n");
  const prefixes = "yaml|include|input|interpolation|extends|reference|nested|job|config|root|schema|stage|needs|dependencies|parallel|pipeline|environment|conflicting|dind|force|glci|fast|repo|custom|dependency|anchor|dagger";
  const used = new Set([...source.matchAll(new RegExp(`"((?:${prefixes})-[a-z-]+)"`, "g"))].map((m) => m[1]));
  const doc = fs.readFileSync(path.join(root, "docs", "diagnostics.md"), "utf8");
  const documented = new Set([...doc.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]));
  assert.deepEqual([...used].filter((c) => !documented.has(c)).sort(), []);
  assert.deepEqual([...documented].filter((c) => !used.has(c)).sort(), []);
});

test("every lint rule has a rule page with why, a bad and a good example", async () => {
  const { RULES } = await import("../server/src/lint/registry");
  for (const rule of RULES) {
    const page = fs.readFileSync(path.join(root, "docs", "rules", `${rule.id}.md`), "utf8");
    assert.match(page, new RegExp(`^# ${rule.id}\\n`));
    for (const section of ["## Why", "## Bad", "## Good"]) assert.ok(page.includes(section), `${rule.id}: ${section}`);
  }
});
