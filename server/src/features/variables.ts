import type { Model } from "../engine/engine";
import { readInputSpecs, type InputSpec } from "../engine/inputs";
import type { ParsedFile } from "../engine/load";
import type { CValue, Src } from "../engine/types";

// Variables and inputs inside strings: `$VAR`, `${VAR}`, `%VAR%` and `$[[ inputs.x ]]` at an
// offset, where a variable is defined for a job (its own, its templates', the global ones),
// and the spec of an input.

export interface Token {
  readonly name: string;
  readonly src: Src;
}

const VARIABLE = /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?|%([A-Za-z_][A-Za-z0-9_]*)%/g;
const INPUT = /\$\[\[\s*inputs\.([A-Za-z0-9_-]+)[^\]]*\]\]/g;

function tokenAt(file: ParsedFile, offset: number, re: RegExp): Token | undefined {
  const text = file.text;
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const lineEnd = text.indexOf("\n", offset);
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
  for (const m of line.matchAll(re)) {
    const start = lineStart + (m.index ?? 0);
    const end = start + m[0].length;
    if (start <= offset && offset <= end) return { name: m[1] ?? m[2], src: { file: file.path, start, end } };
  }
  return undefined;
}

export const variableAt = (file: ParsedFile, offset: number) => tokenAt(file, offset, VARIABLE);
export const inputAt = (file: ParsedFile, offset: number) => tokenAt(file, offset, INPUT);

export function inputSpec(file: ParsedFile, name: string): InputSpec | undefined {
  return readInputSpecs(file.header, () => undefined).get(name);
}

/** The top-level job a file offset belongs to, by the ranges of the file's top-level keys. */
export function jobAt(file: ParsedFile, offset: number): string | undefined {
  if (file.content?.kind !== "map") return undefined;
  for (const e of file.content.entries.values()) if (e.keySrc.start <= offset && offset <= e.value.src.end) return e.key;
  return undefined;
}

export interface VariableDefinition {
  readonly src: Src;
  readonly value: CValue;
}

/** Where a job gets a variable from (its own, a template's, or the global one), or the global definition. */
export function variableDefinitions(model: Model, name: string, job: string | undefined): VariableDefinition[] {
  const out: VariableDefinition[] = [];
  const vars = job ? model.effectiveJob(job)?.entries.get("variables")?.value : undefined;
  const own = vars?.kind === "map" ? vars.entries.get(name) : undefined;
  if (own) out.push({ src: own.keySrc, value: own.value });
  const globals = model.merged.entries.get("variables")?.value;
  const global = globals?.kind === "map" ? globals.entries.get(name) : undefined;
  if (global && !out.some((d) => d.src.file === global.keySrc.file && d.src.start === global.keySrc.start)) out.push({ src: global.keySrc, value: global.value });
  return out;
}
