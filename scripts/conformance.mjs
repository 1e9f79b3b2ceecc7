// npm run conformance: GitLab's own schema test suite (../shared/corpus/gitlab-schema-tests),
// checked the way GitLab's spec checks it, through our whole engine: every positive file must
// give no schema error; in every negative file each top-level key must give a schema error
// within its own lines (the two workflow/auto_cancel files as whole documents). Files the newest
// spec no longer imports are left out (see the corpus MANIFEST). Prints "N passed, N failed".
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { suiteFiles } from "./schema-suite-files.mjs";

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const suite = path.resolve(root, "..", "shared", "corpus", "gitlab-schema-tests");
if (!fs.existsSync(suite)) {
  console.log("conformance skipped: ../shared/corpus/gitlab-schema-tests is not here");
  process.exit(0);
}
const { Engine } = require(path.join(root, "out/server/src/engine/engine.js"));
const { MemoryHost } = require(path.join(root, "out/server/src/engine/memory-host.js"));
const verbose = process.argv.includes("-v");
let pass = 0,
  fail = 0;
const failures = [];
for (const { file, rel, kind, whole } of suiteFiles(suite)) {
  const text = fs.readFileSync(file, "utf8");
  // local include targets exist as harmless stubs, so include resolution does not decide the outcome
  const files = { ".gitlab-ci.yml": text };
  for (const m of text.matchAll(/local:\s*['"]?([^'"\s*]+\.ya?ml)/g))
    files[m[1].replace(/^\//, "")] ??= '.stub-from-suite:\n  variables:\n    STUB: "1"\n';
  const model = new Engine(new MemoryHost(files)).analyze();
  const lines = model.files.get(".gitlab-ci.yml")?.lines;
  const schemaErrors = model.diagnostics
    .filter((d) => d.src.file === ".gitlab-ci.yml" && d.severity === "error" && d.code.startsWith("schema"))
    .map((d) => ({
      line: lines.position(d.src.start).line,
      text: `${lines.position(d.src.start).line + 1}: ${d.message} [${d.code}]`,
    }));
  const report = (ok, why) => (ok ? pass++ : (fail++, failures.push(`${rel}: ${why}`)));
  if (kind === "positive") {
    report(
      schemaErrors.length === 0,
      schemaErrors
        .slice(0, 3)
        .map((e) => e.text)
        .join(" | "),
    );
  } else if (whole) {
    report(schemaErrors.length > 0, "accepted as a whole document");
  } else {
    const parsed = model.files.get(".gitlab-ci.yml");
    const keys = [
      ...(parsed.header?.entries.values() ?? []),
      ...(parsed.content?.kind === "map" ? parsed.content.entries.values() : []),
    ];
    keys.forEach((e, i) => {
      const start = lines.position(e.keySrc.start).line;
      const end = i + 1 < keys.length ? lines.position(keys[i + 1].keySrc.start).line - 1 : Infinity;
      report(
        schemaErrors.some((s) => s.line >= start && s.line <= end),
        `key "${e.key}" (line ${start + 1}) accepted`,
      );
    });
  }
}
for (const f of failures.slice(0, verbose ? 10000 : 15)) console.log("FAIL " + f);
if (!verbose && failures.length > 15) console.log(`... ${failures.length - 15} more (-v)`);
console.log(
  `conformance (GitLab schema suite, positive files whole, negative files key by key): ${pass} passed, ${fail} failed`,
);
process.exit(fail === 0 ? 0 : 1);
