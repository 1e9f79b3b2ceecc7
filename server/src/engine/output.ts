import { stringify } from "yaml";
import type { Model } from "./engine";
import { dedupe } from "./includes";
import { applySeverities, type SeveritySetting } from "./severity";
import type { LineIndex, Range } from "./text";
import type { CValue, Severity } from "./types";
import { toJS } from "./values";

// Turning a model into what the CLI prints: diagnostics with line/character ranges, and the
// merged configuration as YAML or JSON.

export interface PositionedDiagnostic {
  file: string;
  range: Range;
  severity: Severity;
  code: string;
  message: string;
  related?: Array<{ file: string; range: Range; message: string }>;
}

/** Diagnostics of one or more models (a pipeline and its children), positioned, deduplicated and sorted. */
export function positioned(models: Model | readonly Model[], severity: Readonly<Record<string, SeveritySetting>> = {}): PositionedDiagnostic[] {
  const all = Array.isArray(models) ? (models as readonly Model[]) : [models as Model];
  const files = new Map<string, LineIndex>();
  for (const m of all) for (const [path, f] of m.files) if (!files.has(path)) files.set(path, f.lines);
  const diags = applySeverities(dedupe(all.flatMap((m) => m.diagnostics)), severity);
  const rangeOf = (file: string, start: number, end: number): Range => {
    const lines = files.get(file);
    return lines ? lines.range(start, end) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  };
  const out = diags.map((d) => {
    const p: PositionedDiagnostic = {
      file: d.src.file,
      range: rangeOf(d.src.file, d.src.start, d.src.end),
      severity: d.severity,
      code: d.code,
      message: d.message,
    };
    if (d.related?.length) p.related = d.related.map((r) => ({ file: r.src.file, range: rangeOf(r.src.file, r.src.start, r.src.end), message: r.message }));
    return p;
  });
  const order = [...files.keys()];
  const fileRank = (f: string) => {
    const i = order.indexOf(f);
    return i < 0 ? order.length : i;
  };
  return out.sort((a, b) => fileRank(a.file) - fileRank(b.file) || a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** `file:line:col: severity: message [code]`, 1-based like a compiler's. */
export function formatText(d: PositionedDiagnostic): string {
  return `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`;
}

export function renderValue(v: CValue, format: "yaml" | "json"): string {
  const js = toJS(v);
  return format === "json" ? JSON.stringify(js, null, 2) + "\n" : stringify(js, { lineWidth: 0, aliasDuplicateObjects: false });
}
