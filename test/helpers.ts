import * as assert from "node:assert/strict";
import { Engine, type Model } from "../server/src/engine/engine";
import { MemoryHost } from "../server/src/engine/memory-host";
import type { CValue, Fix } from "../server/src/engine/types";
import { withLints, type LintSettings } from "../server/src/lint/registry";
import { toJS } from "../server/src/engine/values";

/** Analyses an in-memory project; `.gitlab-ci.yml` is the root unless told otherwise. */
export function analyze(files: Record<string, string>, root?: string, lint?: LintSettings): Model {
  return withLints(new Engine(new MemoryHost(files)).analyze({ root }), lint);
}

/** Applies a fix's edits to the files (last edit first, so offsets stay valid). */
export function applyFix(files: Record<string, string>, fix: Fix): Record<string, string> {
  const out = { ...files };
  for (const e of [...fix.edits].sort((a, b) => b.src.start - a.src.start))
    out[e.src.file] = out[e.src.file].slice(0, e.src.start) + e.newText + out[e.src.file].slice(e.src.end);
  return out;
}

/** Diagnostics as compact, exact tuples: [file, line:col-line:col, severity, code, message], 0-based. */
export function diags(model: Model): string[] {
  return model.diagnostics.map((d) => {
    const r = model.files.get(d.src.file)?.lines.range(d.src.start, d.src.end);
    const pos = r ? `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}` : "?";
    return `${d.src.file} ${pos} ${d.severity} ${d.code} ${d.message}`;
  });
}

export function job(model: Model, name: string): unknown {
  const v = model.merged.entries.get(name)?.value;
  return v ? toJS(v) : undefined;
}

export function effective(model: Model, name: string): unknown {
  const v = model.effectiveJob(name);
  return v ? toJS(v) : undefined;
}

export function js(v: CValue | undefined): unknown {
  return v ? toJS(v) : undefined;
}

/** Text of the file at a value's source range: the provenance, made readable. */
export function sourceText(model: Model, v: CValue): string {
  return model.files.get(v.src.file)!.text.slice(v.src.start, v.src.end);
}

export function noDiagnostics(model: Model): void {
  assert.deepEqual(diags(model), []);
}

/** Joins lines, so fixtures read as YAML files do. */
export function y(...lines: string[]): string {
  return lines.join("\n") + "\n";
}
