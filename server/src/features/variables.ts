import { readInputSpecs, type InputSpec } from "../engine/inputs";
import type { ParsedFile } from "../engine/load";
import type { Src } from "../engine/types";

// Variables and inputs inside strings: `$VAR`, `${VAR}`, `%VAR%` and `$[[ inputs.x ]]` at an
// offset, and the spec of an input.

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
