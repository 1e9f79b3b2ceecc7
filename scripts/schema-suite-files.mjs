// The files of GitLab's schema test suite that count, and how each is checked, as the newest
// GitLab spec imports them (see ../shared/corpus/MANIFEST.md). Shared by conformance.mjs and
// schema-raw-suite.mjs.
import fs from "node:fs";
import path from "node:path";

// files the newest spec no longer imports
const STALE = [
  /^positive\/auto_cancel_pipeline\//,
  /^positive\/identity_provider\.yml$/,
  /^negative\/auto_cancel_pipeline\.yml$/,
  /^negative\/identity_provider\.yml$/,
  /^negative\/variables\.yml$/,
  /^negative\/cache\//,
  /^negative\/project_path\/trigger\//,
];
// files checked as whole documents rather than key by key
const WHOLE = [/workflow\/auto_cancel\//];

/** [{ file, rel, kind: "positive" | "negative", whole }] in a stable order. */
export function suiteFiles(suite) {
  const walk = (d, acc = []) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p, acc);
      else if (/\.ya?ml$/.test(e.name)) acc.push(p);
    }
    return acc;
  };
  const out = [];
  for (const kind of ["positive", "negative"]) {
    for (const file of walk(path.join(suite, kind)).sort()) {
      const rel = path.relative(suite, file);
      if (!STALE.some((r) => r.test(rel))) out.push({ file, rel, kind, whole: WHOLE.some((w) => w.test(rel)) });
    }
  }
  return out;
}
