import { fingerprints, lastLine, reportPath, type ReportFinding, type ReportOptions } from "./finding";

// `pipewright check --format codequality`: the GitLab Code Quality report a job uploads with
// `artifacts:reports:codequality`, which GitLab shows in the merge request widget, the diff and the
// pipeline. GitLab reads a JSON array of CodeClimate issues and of them only `description`,
// `check_name`, `fingerprint`, `severity`, `location.path` and `location.lines.begin`
// (docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format), plus `engine_name`, which
// the merge request widget shows before the description when it is there.

export type CodeQualitySeverity = "info" | "minor" | "major" | "critical" | "blocker";

export interface CodeQualityIssue {
  readonly description: string;
  readonly check_name: string;
  readonly fingerprint: string;
  readonly severity: CodeQualitySeverity;
  readonly engine_name: string;
  readonly location: {
    readonly path: string;
    /** 1-based and inclusive, as CodeClimate counts lines. */
    readonly lines: { readonly begin: number; readonly end: number };
  };
}

/**
 * Our error means GitLab would refuse the pipeline (or a rule the project made an error): critical,
 * which GitLab draws in red and lists before major and minor, whatever tool they come from. Major is
 * orange like minor, so errors would read as louder warnings. Blocker is left out: it would put a
 * lint raised to error above every other tool's worst, and we have no level above error to give it.
 */
export const CODE_QUALITY_SEVERITY: Readonly<Record<ReportFinding["severity"], CodeQualitySeverity>> = {
  error: "critical",
  warning: "minor",
  information: "info",
  hint: "info",
};

export function codeQualityIssues(findings: readonly ReportFinding[], options: ReportOptions): CodeQualityIssue[] {
  const prints = fingerprints(findings, options);
  return findings.map((f, i) => ({
    description: f.message,
    check_name: f.code,
    fingerprint: prints[i],
    severity: CODE_QUALITY_SEVERITY[f.severity],
    engine_name: "pipewright",
    location: {
      path: reportPath(f.file, options),
      lines: { begin: f.range.start.line + 1, end: lastLine(f.range) + 1 },
    },
  }));
}

/** The report file: GitLab's parser refuses a byte order mark, and JSON.stringify writes none. */
export function codeQualityReport(findings: readonly ReportFinding[], options: ReportOptions): string {
  return JSON.stringify(codeQualityIssues(findings, options), null, 2) + "\n";
}
