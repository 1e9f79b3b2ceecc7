import type { Range } from "../../engine/text";
import { docsUrl, fingerprints, reportPath, type ReportFinding, type ReportOptions } from "./finding";

// `pipewright check --format sarif`: one SARIF 2.1.0 log with one run, for code scanning tools
// (GitHub's among them). Paths are relative to the repository root, %SRCROOT%; regions are 1-based
// with UTF-16 columns, which is SARIF's default column kind and what LSP positions already count.

export const SARIF_SCHEMA =
  "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/** Our severities as SARIF levels: a hint is a note too, as SARIF's `none` says severity does not apply. */
export const SARIF_LEVEL: Readonly<Record<ReportFinding["severity"], "error" | "warning" | "note">> = {
  error: "error",
  warning: "warning",
  information: "note",
  hint: "note",
};

/** The key of our fingerprint in `partialFingerprints`: SARIF asks for a versioned name. */
export const FINGERPRINT_KEY = "pipewright/v1";

interface SarifRule {
  readonly id: string;
  readonly shortDescription: { readonly text: string };
  readonly helpUri?: string;
}

interface SarifPhysicalLocation {
  readonly artifactLocation: { readonly uri: string; readonly uriBaseId: "%SRCROOT%" };
  readonly region: { startLine: number; startColumn: number; endLine: number; endColumn: number };
}

interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: "error" | "warning" | "note";
  readonly message: { readonly text: string };
  readonly locations: ReadonlyArray<{ readonly physicalLocation: SarifPhysicalLocation }>;
  readonly relatedLocations?: ReadonlyArray<{
    readonly id: number;
    readonly physicalLocation: SarifPhysicalLocation;
    readonly message: { readonly text: string };
  }>;
  readonly partialFingerprints: Readonly<Record<string, string>>;
}

export interface SarifLog {
  readonly $schema: string;
  readonly version: "2.1.0";
  readonly runs: ReadonlyArray<{
    readonly tool: {
      readonly driver: {
        readonly name: string;
        readonly version: string;
        readonly informationUri?: string;
        readonly rules: readonly SarifRule[];
      };
    };
    readonly columnKind: "utf16CodeUnits";
    readonly results: readonly SarifResult[];
  }>;
}

export function sarifLog(findings: readonly ReportFinding[], options: ReportOptions): SarifLog {
  const rules = sarifRules(findings, options);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const prints = fingerprints(findings, options);
  const informationUri = options.docsBaseUrl || undefined;
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "Pipewright", version: options.version, informationUri, rules } },
        columnKind: "utf16CodeUnits",
        results: findings.map((f, i) => ({
          ruleId: f.code,
          ruleIndex: ruleIndex.get(f.code)!,
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [{ physicalLocation: physicalLocation(f.file, f.range, options) }],
          relatedLocations: f.related?.length
            ? f.related.map((r, id) => ({
                id,
                physicalLocation: physicalLocation(r.file, r.range, options),
                message: { text: r.message },
              }))
            : undefined,
          partialFingerprints: { [FINGERPRINT_KEY]: prints[i] },
        })),
      },
    ],
  };
}

/** The log as a file; undefined properties (no docs, no related locations) are left out. */
export function sarifReport(findings: readonly ReportFinding[], options: ReportOptions): string {
  return JSON.stringify(sarifLog(findings, options), null, 2) + "\n";
}

/**
 * One rule per code used, in order of first use. A finding only carries its code, so the code is
 * the rule's short description too; the page that explains the code (a lint's rule page, another code's
 * row of docs/diagnostics.md) is its help.
 */
function sarifRules(findings: readonly ReportFinding[], options: ReportOptions): SarifRule[] {
  const rules = new Map<string, SarifRule>();
  for (const f of findings)
    if (!rules.has(f.code))
      rules.set(f.code, { id: f.code, shortDescription: { text: f.code }, helpUri: docsUrl(f.docs, options) });
  return [...rules.values()];
}

function physicalLocation(file: string, range: Range, options: ReportOptions): SarifPhysicalLocation {
  return {
    artifactLocation: { uri: fileUri(reportPath(file, options)), uriBaseId: "%SRCROOT%" },
    region: {
      startLine: range.start.line + 1,
      startColumn: range.start.character + 1,
      endLine: range.end.line + 1,
      // LSP's end is exclusive and so is SARIF's endColumn: both point just past the last character
      endColumn: range.end.character + 1,
    },
  };
}

/** A relative path as a URI reference: each segment percent-encoded, so `#`, `?`, `%`, `:` and spaces survive. */
function fileUri(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}
