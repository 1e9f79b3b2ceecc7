// Assembles schemas/gitlab-ci.json from schemas/src/*.json (root.json plus fragments that each
// hold `definitions`), then compiles it once with ajv into standalone validation code, so the
// language server and the CLI never compile the schema at start-up.
//
//   node scripts/build-schema.mjs            assemble + compile (part of npm run build)
//   node scripts/build-schema.mjs --lenient  missing definitions become `{}` (for work in progress)
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const lenient = process.argv.includes("--lenient");
const srcDir = path.join(root, "schemas", "src");

export function assemble({ lenient: allowMissing = lenient } = {}) {
  const schema = JSON.parse(fs.readFileSync(path.join(srcDir, "root.json"), "utf8"));
  const owners = new Map(Object.keys(schema.definitions).map((k) => [k, "root.json"]));
  for (const file of fs.readdirSync(srcDir).sort()) {
    if (file === "root.json" || !file.endsWith(".json")) continue;
    const frag = JSON.parse(fs.readFileSync(path.join(srcDir, file), "utf8"));
    for (const [name, def] of Object.entries(frag.definitions ?? {})) {
      if (owners.has(name)) throw new Error(`definition ${name} is in both ${owners.get(name)} and ${file}`);
      owners.set(name, file);
      schema.definitions[name] = def;
    }
  }
  const missing = new Set();
  JSON.stringify(schema, (k, v) => {
    if (k === "$ref" && typeof v === "string" && v.startsWith("#/definitions/")) {
      const name = v.slice("#/definitions/".length).split("/")[0];
      if (!(name in schema.definitions)) missing.add(name);
    }
    return v;
  });
  if (missing.size) {
    if (!allowMissing) throw new Error(`missing definitions: ${[...missing].join(", ")}`);
    for (const m of missing) schema.definitions[m] = {};
  }
  return schema;
}

/** Ajv set up the way our schema needs: our metadata keywords, strict about everything else. */
export function makeAjv(opts = {}) {
  const Ajv = require("ajv").default;
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictTuples: false,
    allowMatchingProperties: true,
    verbose: true,
    ...opts,
  });
  ajv.addKeyword({ keyword: "docs", metaSchema: { type: "string" } });
  ajv.addKeyword({ keyword: "markdownDescription", metaSchema: { type: "string" } });
  // what a pattern asks for, in words, for error messages
  ajv.addKeyword({ keyword: "patternHint", metaSchema: { type: "string" } });
  return ajv;
}

/** The entry points the engine validates against. */
export const ENTRIES = {
  root: "#",
  job: "#/definitions/job",
};

/**
 * ajv's allErrors code gathers a sub-schema's errors with `vErrors = vErrors.concat(sub.errors)` once per
 * failing item, which copies everything gathered so far each time: a 47,000-item list of wrong items took 9 s
 * (found by npm run fuzz). The same errors, in the same order, appended in place are linear.
 */
export function appendInPlace(code) {
  const gather = /vErrors = vErrors === null \? ([\w.]+)\.errors : vErrors\.concat\(\1\.errors\);/g;
  const count = (code.match(/vErrors\.concat\(/g) ?? []).length;
  let replaced = 0;
  const out = code.replace(gather, (_, fn) => {
    replaced++;
    return `vErrors = appendErrors(vErrors, ${fn}.errors);`;
  });
  if (replaced !== count) {
    throw new Error(
      `build-schema: ${count - replaced} of ajv's vErrors.concat calls have a form appendInPlace does not know`,
    );
  }
  const helper =
    "function appendErrors(into, errors) { if (into === null) return errors.slice(); " +
    "for (let i = 0; i < errors.length; i++) into.push(errors[i]); return into; }";
  return out.replace(/^"use strict";/, (strict) => `${strict}${helper}`);
}

function main() {
  const schema = assemble();
  fs.writeFileSync(path.join(root, "schemas", "gitlab-ci.json"), JSON.stringify(schema, null, 2) + "\n");
  const ajv = makeAjv({ code: { source: true, lines: false } });
  ajv.addSchema(schema);
  const standaloneCode = require("ajv/dist/standalone").default;
  const refs = Object.fromEntries(Object.entries(ENTRIES).map(([k, ref]) => [k, schema.$id + ref]));
  const code = appendInPlace(standaloneCode(ajv, refs));
  const out = path.join(root, "server", "src", "generated");
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, "validators.js"), code);
  // tsc compiles the rest of server/src into out/; the generated code goes beside it
  const outJs = path.join(root, "out", "server", "src", "generated");
  fs.mkdirSync(outJs, { recursive: true });
  fs.writeFileSync(path.join(outJs, "validators.js"), code);
  const dts = Object.keys(ENTRIES)
    .map((k) => `export declare const ${k}: ValidateFunction;`)
    .join("\n");
  fs.writeFileSync(
    path.join(out, "validators.d.ts"),
    `// Generated by scripts/build-schema.mjs from schemas/gitlab-ci.json; ` +
      `do not edit.\nimport type { ValidateFunction } from "ajv";\n${dts}\n`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
