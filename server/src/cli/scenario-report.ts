import type { ScenarioResult } from "../workspace/scenario-tests";

// `pipewright test`: the scenarios' checks as lines a person reads, or as JUnit XML, which GitLab
// shows in a merge request (artifacts:reports:junit).

export const TEST_USAGE = `  pipewright test [DIR] [--root FILE] [--format text|junit]
      Run the scenarios of DIR/.pipewright.yml: each one's pipeline is simulated and its
      expectations (created, run, skip, when) checked. Exit status: 1 when one fails.
`;

export function scenarioText(results: readonly ScenarioResult[]): string {
  const out: string[] = [];
  let failed = 0;
  let total = 0;
  for (const r of results) {
    for (const c of r.checks) {
      total++;
      if (!c.ok) failed++;
      out.push(`${c.ok ? "ok  " : "FAIL"} ${r.scenario.name}: ${c.name}${c.ok ? "" : `: ${c.message}`}`);
    }
    if (!r.checks.length) out.push(`-    ${r.scenario.name}: nothing expected`);
  }
  const scenarios = `${results.length} scenario${results.length === 1 ? "" : "s"}`;
  out.push(`${scenarios}, ${total} check${total === 1 ? "" : "s"}: ${total - failed} passed, ${failed} failed`);
  return out.join("\n") + "\n";
}

const xml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);

/** JUnit XML: a test suite per scenario, a test case per check. */
export function scenarioJunit(results: readonly ScenarioResult[]): string {
  const failures = (r: ScenarioResult) => r.checks.filter((c) => !c.ok).length;
  const all = results.reduce((n, r) => n + r.checks.length, 0);
  const failed = results.reduce((n, r) => n + failures(r), 0);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="pipewright scenarios" tests="${all}" failures="${failed}">`,
  ];
  for (const r of results) {
    const suite = xml(r.scenario.name);
    out.push(`  <testsuite name="${suite}" tests="${r.checks.length}" failures="${failures(r)}">`);
    for (const c of r.checks) {
      const testcase = `    <testcase classname="${suite}" name="${xml(c.name)}"`;
      if (c.ok) out.push(`${testcase}/>`);
      else
        out.push(
          `${testcase}>`,
          `      <failure message="${xml(c.message ?? "")}">${xml(c.message ?? "")}</failure>`,
          "    </testcase>",
        );
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return out.join("\n") + "\n";
}
