import { suggest } from "./schema-errors";
import type { Fix, Src } from "./types";

// A fix for a name that names nothing (a stage, a need, an `extends` parent): the closest name in
// scope, when one is close enough (schema-errors.ts's edit distance, the one misspelt keywords use).

/** The name as a YAML value: plain when YAML reads it back as the same string, else double-quoted. */
function asValue(name: string): string {
  return /^[\s!&*[\]{}|>'"%@`#?,-]|: | #|[,[\]{}]|\s$/.test(name) ? JSON.stringify(name) : name;
}

/**
 * A quick fix replacing the name written at `src` with the closest of `candidates`, if there is one.
 * `memo` keeps the closest name per name for one candidate list: a name misspelt in 300 places is
 * compared with the candidates once.
 */
export function didYouMean(
  name: string,
  src: Src,
  candidates: Iterable<string>,
  memo?: Map<string, string | undefined>,
): Fix[] | undefined {
  let close: string | undefined;
  if (memo?.has(name)) close = memo.get(name);
  else {
    close = suggest(
      name,
      [...candidates].filter((c) => c !== name),
    );
    memo?.set(name, close);
  }
  return close === undefined
    ? undefined
    : [{ title: `Change to "${close}"`, edits: [{ src, newText: asValue(close) }] }];
}
