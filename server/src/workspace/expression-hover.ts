import { evaluateExpression, parseExpression } from "../engine/expression";

// Hover on a rule's `if:`: what the expression gives in each of the editor's scenarios, and the
// value of each variable it read there, so "why did my job not run in the MR?" is answered where the
// rule is written.

export interface ScenarioVariables {
  readonly label: string;
  readonly variables: ReadonlyMap<string, string>;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** A markdown table, a row per scenario: the result and the variables read; undefined if the text does not parse. */
export function expressionTable(text: string, scenarios: readonly ScenarioVariables[]): string | undefined {
  const parsed = parseExpression(text);
  if (!parsed.ok || !scenarios.length) return undefined;
  const rows = scenarios.map(({ label, variables }) => {
    const r = evaluateExpression(parsed.tree, variables);
    const result = r.error ? "GitLab fails" : r.truthy ? "✓ true" : "✗ false";
    const reads = r.reads.map((name) => {
      const value = variables.get(name);
      return `\`$${name}\` ${value === undefined ? "is not set" : `= ${cell(JSON.stringify(value))}`}`;
    });
    return `| ${cell(label)} | ${result} | ${reads.join(", ") || "—"} |`;
  });
  return [
    "**In the editor's scenarios** (the pipeline's variables; a job's own variables and `CI_JOB_*` are not in them)",
    "",
    "| scenario | result | variables read |",
    "|---|---|---|",
    ...rows,
  ].join("\n");
}
