import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

const root = path.resolve(__dirname, "..", "..");
const schema = JSON.parse(fs.readFileSync(path.join(root, "schemas", "gitlab-ci.json"), "utf8"));

/** Every schema that names a keyword: each definition and each entry of every `properties`. */
function keywordSchemas(): Array<[string, Record<string, unknown>]> {
  const out: Array<[string, Record<string, unknown>]> = [];
  const visit = (s: unknown, where: string) => {
    if (!s || typeof s !== "object") return;
    if (Array.isArray(s)) return s.forEach((x, i) => visit(x, `${where}[${i}]`));
    const node = s as Record<string, unknown>;
    if (node.properties && typeof node.properties === "object") {
      for (const [k, v] of Object.entries(node.properties as Record<string, unknown>)) {
        out.push([`${where}.properties.${k}`, v as Record<string, unknown>]);
      }
    }
    // constraint-only subschemas (dependencies, not, if) restate keys to forbid or require them; they define no keyword
    for (const [k, v] of Object.entries(node))
      if (!["enum", "default", "examples", "dependencies", "not", "if"].includes(k)) visit(v, `${where}.${k}`);
  };
  for (const [name, def] of Object.entries(schema.definitions as Record<string, unknown>))
    out.push([`definitions.${name}`, def as Record<string, unknown>]);
  visit(schema, "#");
  return out;
}

/** A property that only points at a definition inherits its text from there. */
function described(s: Record<string, unknown>, key: "description" | "docs"): boolean {
  if (typeof s[key] === "string" && (s[key] as string).length > 0) return true;
  const ref = s.$ref as string | undefined;
  if (ref?.startsWith("#/definitions/")) return described(schema.definitions[ref.slice(14)], key);
  return false;
}

test("every keyword in the schema has a description and a docs link", () => {
  const missing = keywordSchemas()
    .filter(([, s]) => !described(s, "description") || !described(s, "docs"))
    .map(([w]) => w);
  assert.deepEqual(missing, []);
});

test("docs links point at GitLab's documentation", () => {
  const bad = keywordSchemas()
    .filter(([, s]) => typeof s.docs === "string" && !/^https:\/\/docs\.gitlab\.com\//.test(s.docs as string))
    .map(([w]) => w);
  assert.deepEqual(bad, []);
});
