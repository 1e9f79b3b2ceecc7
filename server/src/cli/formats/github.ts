import { lastLine, reportPath, type ReportFinding, type ReportOptions } from "./finding";

// `pipewright check --format github`: one GitHub Actions workflow command per finding
// (`::error file=…,line=…::message`), which the runner turns into an annotation on the file and
// line, in the run's summary and the pull request's diff. GitHub has no related locations: they
// follow the message on lines of their own.

/** GitHub has three annotation levels; hints and notes both become notices. */
export const GITHUB_COMMAND: Readonly<Record<ReportFinding["severity"], "error" | "warning" | "notice">> = {
  error: "error",
  warning: "warning",
  information: "notice",
  hint: "notice",
};

export function githubAnnotations(findings: readonly ReportFinding[], options: ReportOptions): string {
  return findings.map((f) => githubAnnotation(f, options) + "\n").join("");
}

/**
 * One command. Lines and columns are 1-based; columns go only on a range within one line (GitHub
 * takes them only there), and `endColumn` is just past the last character, like SARIF's.
 */
export function githubAnnotation(f: ReportFinding, options: ReportOptions): string {
  const { start, end } = f.range;
  const properties: Array<[string, string | number]> = [
    ["file", reportPath(f.file, options)],
    ["line", start.line + 1],
  ];
  if (start.line === end.line) properties.push(["col", start.character + 1]);
  properties.push(["endLine", lastLine(f.range) + 1]);
  if (start.line === end.line) properties.push(["endColumn", end.character + 1]);
  properties.push(["title", f.code]);
  const related = (f.related ?? []).map(
    (r) => `\n${reportPath(r.file, options)}:${r.range.start.line + 1}: ${r.message}`,
  );
  const props = properties.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(",");
  return `::${GITHUB_COMMAND[f.severity]} ${props}::${escapeData(f.message + related.join(""))}`;
}

// As @actions/core's command.ts escapes them: the runner reads `%`, CR and LF back in a message, and
// also `:` and `,` in a property, where they would end the property or the command's properties.
export function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
