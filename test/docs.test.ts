import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

const root = path.resolve(__dirname, "..", "..");

test("every lint rule has a rule page with why, a bad and a good example", async () => {
  const { RULES } = await import("../server/src/lint/registry");
  for (const rule of RULES) {
    const page = fs.readFileSync(path.join(root, "docs", "rules", `${rule.id}.md`), "utf8");
    assert.match(page, new RegExp(`^# ${rule.id}\\n`));
    for (const section of ["## Why", "## Bad", "## Good"]) assert.ok(page.includes(section), `${rule.id}: ${section}`);
  }
});
