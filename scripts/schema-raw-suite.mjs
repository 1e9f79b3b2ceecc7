// Quick loop for schema work: GitLab's schema tests validated against the assembled schema
// directly, the way GitLab's own spec does it (raw YAML, no includes or extends resolved):
// positive files key by key must pass, negative files key by key must fail, the two
// workflow/auto_cancel files as whole documents.
//   node scripts/schema-raw-suite.mjs [FILTER] [-v]   FILTER: a substring of the test file path
// `npm run conformance` is the real measure (through the engine); this one is for iterating.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { assemble, makeAjv } from "./build-schema.mjs";

const require = createRequire(import.meta.url);
const YAML = require("yaml");
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const suite = path.resolve(root, "..", "shared", "corpus", "gitlab-schema-tests");
const filter = process.argv.slice(2).find((a) => !a.startsWith("-")) ?? "";
const verbose = process.argv.includes("-v");
const stale = [/^positive\/auto_cancel_pipeline\//, /^positive\/identity_provider\.yml$/, /^negative\/auto_cancel_pipeline\.yml$/,
  /^negative\/identity_provider\.yml$/, /^negative\/variables\.yml$/, /^negative\/cache\//, /^negative\/project_path\/trigger\//];
const whole = [/workflow\/auto_cancel\//];
const ajv = makeAjv();
const validate = ajv.compile(assemble({ lenient: true }));
const refTag = { tag: "!reference", collection: "seq", resolve: (s) => s.items.map((i) => (i && typeof i === "object" && "value" in i ? i.value : i)) };
const walk = (d, acc = []) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p, acc);
    else if (/\.ya?ml$/.test(e.name)) acc.push(p);
  }
  return acc;
};
let pass = 0, fail = 0;
for (const kind of ["positive", "negative"]) {
  for (const file of walk(path.join(suite, kind)).sort()) {
    const rel = path.relative(suite, file);
    if (stale.some((r) => r.test(rel)) || !rel.includes(filter)) continue;
    const doc = YAML.parse(fs.readFileSync(file, "utf8"), { version: "1.1", customTags: [refTag], merge: true }) ?? {};
    // whole-document files: each entry's value is a complete document, as GitLab's spec reads them
    const cases = whole.some((w) => w.test(rel)) ? Object.entries(doc).map(([k, v]) => [k, v]) : Object.entries(doc).map(([k, v]) => [k, { [k]: v }]);
    for (const [key, value] of cases) {
      const ok = validate(value);
      const good = kind === "positive" ? ok : !ok;
      if (good) pass++;
      else {
        fail++;
        console.log(`FAIL ${rel} ${key}: ${kind === "positive" ? "rejected" : "accepted"}`);
        if (verbose && !ok) for (const e of validate.errors.slice(0, 6)) console.log(`     ${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
      }
    }
  }
}
console.log(`raw schema suite${filter ? ` (${filter})` : ""}: ${pass} passed, ${fail} failed`);
