// Runs GitLab's spec examples ported in test/gitlab-specs/: each asserts GitLab's result. A case marked
// `pending` is one we fail today (reported as a todo, it does not fail the run); one marked `difference`
// is where we deliberately differ, and must still differ, so that a change shows up.
import * as assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { SpecCase } from "./gitlab-specs/types";
import { AREAS } from "./gitlab-specs/index";
import { outcome } from "./gitlab-specs/outcome";

function name(c: SpecCase): string {
  return `${c.spec.replace(/^spec\/lib\/gitlab\/ci\//, "")} › ${c.example}`;
}

const counts = { passed: 0, pending: 0, differences: 0 };

for (const [area, cases] of Object.entries(AREAS)) {
  describe(`GitLab specs: ${area}`, () => {
    for (const c of cases) {
      if (c.pending !== undefined) {
        counts.pending++;
        test(name(c), { todo: c.pending }, () => {
          const { ok, got } = outcome(c);
          assert.ok(ok, `GitLab: ${JSON.stringify(c.expect)}\nwe: ${got}`);
        });
      } else if (c.difference !== undefined) {
        counts.differences++;
        test(`${name(c)} (deliberate difference)`, () => {
          const { ok } = outcome(c);
          assert.ok(!ok, `we now agree with GitLab here: remove the case's \`difference\` (${c.difference})`);
        });
      } else {
        counts.passed++;
        test(name(c), () => {
          const { ok, got } = outcome(c);
          assert.ok(ok, `GitLab: ${JSON.stringify(c.expect)}\nwe: ${got}`);
        });
      }
    }
  });
}

test("GitLab spec cases are well formed", (t) => {
  const all = Object.values(AREAS).flat();
  for (const c of all) {
    assert.match(c.spec, /^spec\/.+_spec\.rb$/, name(c));
    assert.ok(c.example.trim(), c.spec);
    assert.ok(!(c.pending !== undefined && c.difference !== undefined), `${name(c)}: pending or difference, not both`);
    assert.ok(".gitlab-ci.yml" in c.files, `${name(c)}: no .gitlab-ci.yml`);
  }
  t.diagnostic(
    `${all.length} cases: ${counts.passed} expected to pass, ${counts.pending} pending, ` +
      `${counts.differences} deliberate differences`,
  );
});
