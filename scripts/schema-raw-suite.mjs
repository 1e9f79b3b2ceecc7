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
import { suiteFiles } from "./schema-suite-files.mjs";
import { assemble, makeAjv } from "./build-schema.mjs";

const require = createRequire(import.meta.url);
const YAML = require("yaml");
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const suite = path.resolve(root, "..", "shared", "corpus", "gitlab-schema-tests");
const filter = process.argv.slice(2).find((a) => !a.startsWith("-")) ?? "";
const verbose = process.argv.includes("-v");
const ajv = makeAjv();
const validate = ajv.compile(assemble({ lenient: true }));
const refTag = {
  tag: "!reference",
  collection: "seq",
  resolve: (s) => s.items.map((i) => (i && typeof i === "object" && "value" in i ? i.value : i)),
};
let pass = 0,
  fail = 0;
for (const { file, rel, kind, whole } of suiteFiles(suite)) {
  if (!rel.includes(filter)) continue;
  const doc = YAML.parse(fs.readFileSync(file, "utf8"), { version: "1.1", customTags: [refTag], merge: true }) ?? {};
  // whole-document files: each entry's value is a complete document, as GitLab's spec reads them
  const cases = whole
    ? Object.entries(doc).map(([k, v]) => [k, v])
    : Object.entries(doc).map(([k, v]) => [k, { [k]: v }]);
  for (const [key, value] of cases) {
    const ok = validate(value);
    const good = kind === "positive" ? ok : !ok;
    if (good) pass++;
    else {
      fail++;
      console.log(`FAIL ${rel} ${key}: ${kind === "positive" ? "rejected" : "accepted"}`);
      if (verbose && !ok)
        for (const e of validate.errors.slice(0, 6))
          console.log(`     ${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
    }
  }
}
console.log(`raw schema suite${filter ? ` (${filter})` : ""}: ${pass} passed, ${fail} failed`);
