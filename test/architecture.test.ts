import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { CACHES, cachesTable } from "../server/src/workspace/caches";

// ARCHITECTURE.md says what the code does: its caching table is the registry of caches, and every
// cache the registry names lives in the module it says.

const root = path.resolve(__dirname, "..", "..");

test("ARCHITECTURE.md's caching table is the cache registry", () => {
  const doc = fs.readFileSync(path.join(root, "ARCHITECTURE.md"), "utf8");
  assert.ok(doc.includes(cachesTable()), `ARCHITECTURE.md should contain, under ## Caching:\n${cachesTable()}`);
});

test("every registered cache's module exists", () => {
  for (const c of CACHES)
    assert.ok(fs.existsSync(path.join(root, "server", "src", c.module)), `${c.name}: ${c.module}`);
});
