import { suggest } from "./schema-errors";
import type { Fix, Src } from "./types";

// A fix for a name that names nothing (a stage, a need, an `extends` parent): the closest name in
// scope, when one is close enough (schema-errors.ts's edit distance, the one misspelt keywords use).

/** The name as a YAML value: plain when YAML reads it back as the same string, else double-quoted. */
function asValue(name: string): string {
  return /^[\s!&*[\]{}|>'"%@`#?,-]|: | #|[,[\]{}]|\s$/.test(name) ? JSON.stringify(name) : name;
}

/** A quick fix replacing the name written at `src` with the closest of `candidates`, if there is one. */
export function didYouMean(name: string, src: Src, candidates: Iterable<string>): Fix[] | undefined {
  const close = suggest(
    name,
    [...candidates].filter((c) => c !== name),
  );
  return close === undefined
    ? undefined
    : [{ title: `Change to "${close}"`, edits: [{ src, newText: asValue(close) }] }];
}
