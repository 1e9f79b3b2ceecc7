import type { JobInfo } from "./jobs";
import type { ParsedFile } from "./load";
import { validateExpression, INVALID_EXPRESSION_SYNTAX, type ExprSyntaxError } from "./expression";
import type { CMap, CValue, Diagnostic, Src } from "./types";
import { get } from "./values";

// GitLab rejects the whole config when an expression cannot be evaluated: a rule's `if:`
// (Entry::Rules::Rule validates `if` with ExpressionValidator, which asks Statement#valid?) in a
// job, in workflow:rules and in include:rules, and each `only`/`except` `variables:` statement
// (Entry::Policy#variables_expressions_syntax). Its message is "<location> if invalid expression
// syntax" ("<location> variables ..." for only/except); we add what is wrong and point at it.

/** An if: text's syntax error (or none): a config repeats its rules in many jobs, and from analysis to analysis. */
const verdicts = new Map<string, ExprSyntaxError | undefined>();
const MAX_VERDICTS = 10_000;

function syntaxError(text: string): ExprSyntaxError | undefined {
  if (verdicts.has(text)) return verdicts.get(text);
  if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
  const error = validateExpression(text);
  verdicts.set(text, error);
  return error;
}

export interface ExpressionInput {
  readonly files: ReadonlyMap<string, ParsedFile>;
  readonly merged: CMap;
  readonly jobs: ReadonlyMap<string, JobInfo>;
  readonly effectiveJob: (name: string) => CMap | undefined;
  /** Called before each job (see AnalyzeOptions.checkpoint). */
  readonly checkpoint?: () => void;
}

export function expressionDiagnostics(input: ExpressionInput): Diagnostic[] {
  const out: Diagnostic[] = [];
  // a rule written once (a !reference'd rule set) is checked and reported once, for the first job
  const seen = new Set<string>();
  const check = (v: CValue | undefined, location: string) => {
    // other types, and the empty string, are the schema's to report
    if (v?.kind !== "scalar" || typeof v.value !== "string" || v.value === "") return;
    const key = `${v.src.file}:${v.src.start}:${v.src.end}`;
    if (seen.has(key)) return;
    seen.add(key);
    const error = syntaxError(v.value);
    if (!error) return;
    out.push({
      src: narrowed(v.inner ?? v.src, v.value, error, input.files.get(v.src.file)) ?? v.src,
      severity: "error",
      code: "expression-invalid",
      message: `${location} ${INVALID_EXPRESSION_SYNTAX} (${error.message} at character ${error.offset + 1})`,
    });
  };
  /** `rule` is GitLab's location of each rule entry. */
  const checkRules = (rules: CValue | undefined, rule: string) => {
    if (rules?.kind !== "seq") return;
    for (const r of rules.items) check(get(r, "if"), `${rule} if`);
  };

  for (const [name, info] of input.jobs) {
    if (info.kind !== "job" && info.kind !== "bridge") continue;
    input.checkpoint?.();
    const job = input.effectiveJob(name);
    if (!job) continue;
    checkRules(get(job, "rules"), `jobs:${name}:rules:rule`);
    for (const policy of ["only", "except"]) {
      const variables = get(get(job, policy), "variables");
      if (variables?.kind === "seq")
        for (const statement of variables.items) check(statement, `jobs:${name}:${policy} variables`);
    }
  }
  checkRules(get(get(input.merged, "workflow"), "rules"), "workflow:rules:rule");
  for (const file of input.files.values()) {
    const include = get(file.content, "include");
    for (const entry of include?.kind === "seq" ? include.items : include ? [include] : [])
      // External::Rules says `include:` before the rule entry's own error (config/external/rules.rb)
      checkRules(get(entry, "rules"), "include:rule");
  }
  return out;
}

/**
 * The part of the expression the error is about, when the scalar is written as its value (plain, or
 * between quotes without escapes), so offsets in the value are offsets in the file; else undefined.
 */
function narrowed(src: Src, value: string, error: ExprSyntaxError, file: ParsedFile | undefined): Src | undefined {
  if (!file || file.text.slice(src.start, src.end) !== value) return undefined;
  const start = src.start + Math.min(error.offset, value.length);
  const end = Math.min(src.end, start + Math.max(1, error.length));
  return start < end ? { ...src, start, end } : undefined;
}
