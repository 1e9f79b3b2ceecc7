import { readInputSpecs, type InputSpec } from "../engine/inputs";
import type { ParsedFile } from "../engine/load";
import type { Src } from "../engine/types";
import { spotAt } from "../model/locate";

// Variables and inputs inside strings: `$VAR`, `${VAR}`, `%VAR%` and `$[[ inputs.x ]]` at an
// offset, and the spec of an input.

export interface Token {
  readonly name: string;
  readonly src: Src;
}

const VARIABLE = /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?|%([A-Za-z_][A-Za-z0-9_]*)%/g;
const INPUT = /\$\[\[\s*inputs\.([A-Za-z0-9_-]+)[^\]]*\]\]/g;

/** The token at an offset inside the string or key the parser says is written there. */
function tokenAt(file: ParsedFile, offset: number, re: RegExp): Token | undefined {
  const spot = spotAt(file, offset);
  const where = spot?.key
    ? spot.key.keySrc
    : spot?.value?.kind === "scalar" && typeof spot.value.value === "string"
      ? spot.value.src
      : undefined;
  if (!where) return undefined;
  for (const m of file.text.slice(where.start, where.end).matchAll(re)) {
    const start = where.start + (m.index ?? 0);
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
