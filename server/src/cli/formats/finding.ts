import { createHash } from "node:crypto";
import type { Range } from "../../engine/text";

// What every report format of `pipewright check` starts from: the findings as `--format json`
// prints them, and what the formats share — paths from the repository root, stable fingerprints,
// and where a rule's page is.

export interface ReportFinding {
  /** Project-relative, forward slashes. */
  readonly file: string;
  /** 0-based, LSP style: characters are UTF-16 code units, `end` is exclusive. */
  readonly range: Range;
  readonly severity: "error" | "warning" | "information" | "hint";
  readonly code: string;
  readonly message: string;
  readonly related?: ReadonlyArray<{ readonly file: string; readonly range: Range; readonly message: string }>;
  /**
   * Where the code is explained, relative to Pipewright's own repository: a lint's rule page
   * (`docs/rules/<id>.md`), any other code's row of the list of codes (`docs/diagnostics.md#<code>`).
   */
  readonly docs?: string;
}

export interface ReportOptions {
  /** Pipewright's version, for the formats that name the tool. */
  readonly version: string;
  /** Prepended to every file when the checked folder is below the repository root, e.g. `ci/`. */
  readonly pathPrefix?: string;
  /** Where `docs` is published, e.g. `https://example.com/pipewright/-/blob/main/`. */
  readonly docsBaseUrl?: string;
}

/** A file as the repository sees it: prefixed, forward slashes, no `./`. */
export function reportPath(file: string, options: ReportOptions): string {
  const clean = (p: string) => p.replace(/\\/g, "/").replace(/^(\.\/)+/, "");
  const prefix = clean(options.pathPrefix ?? "").replace(/\/+$/, "");
  const path = clean(file);
  return prefix && prefix !== "." ? `${prefix}/${path}` : path;
}

/** The absolute address of the page that explains a finding's code, when we know where docs live. */
export function docsUrl(docs: string | undefined, options: ReportOptions): string | undefined {
  if (docs === undefined || !options.docsBaseUrl) return undefined;
  return `${options.docsBaseUrl.replace(/\/+$/, "")}/${docs.replace(/^\/+/, "")}`;
}

/** The last line a range covers, 0-based: a range that ends at a line's first character ends on the line before. */
export function lastLine(range: Range): number {
  const { start, end } = range;
  return end.character === 0 && end.line > start.line ? end.line - 1 : end.line;
}

/**
 * One fingerprint per finding, in the order given: sha256 of its repository path, code, message and
 * its rank among the findings with that same path, code and message, counted in file order.
 * GitLab keeps one finding per fingerprint and compares merge requests by them, GitHub tracks alerts
 * by them: so no line number goes in (an edit above must not make a finding "new"), and the rank
 * keeps two identical findings apart.
 */
export function fingerprints(findings: readonly ReportFinding[], options: ReportOptions): string[] {
  const keys = findings.map((f) => JSON.stringify([reportPath(f.file, options), f.code, f.message]));
  const inFileOrder = findings.map((_, i) => i).sort((a, b) => compareRanges(findings[a].range, findings[b].range));
  const seen = new Map<string, number>();
  const out: string[] = new Array(findings.length);
  for (const i of inFileOrder) {
    const rank = seen.get(keys[i]) ?? 0;
    seen.set(keys[i], rank + 1);
    out[i] = createHash("sha256").update(`${keys[i]}\n${rank}`).digest("hex");
  }
  return out;
}

// Array.prototype.sort is stable: findings at the same place keep the order they came in.
function compareRanges(a: Range, b: Range): number {
  return (
    a.start.line - b.start.line ||
    a.start.character - b.start.character ||
    a.end.line - b.end.line ||
    a.end.character - b.end.character
  );
}
