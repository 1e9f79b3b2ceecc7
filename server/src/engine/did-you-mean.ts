import { suggest } from "./schema-errors";
import type { Fix, Src } from "./types";

// A fix for a name that names nothing (a stage, a need, an `extends` parent): the closest name in
// scope, when one is close enough (schema-errors.ts's edit distance, the one misspelt keywords use).

/** The name as a YAML value: plain when YAML reads it back as the same string, else double-quoted. */
function asValue(name: string): string {
  return /^[\s!&*[\]{}|>'"%@`#?,-]|: | #|[,[\]{}]|\s$/.test(name) ? JSON.stringify(name) : name;
}

/**
 * The closest names found so far among one list of candidates (the jobs, the stages, the top-level keys), kept
 * from one analysis to the next while the list is the same: an edit rarely adds or renames one, and finding the
 * closest of GitLab's 2,700 job names for each unknown need took milliseconds on every keystroke. A name misspelt
 * in 300 places is compared with the candidates once.
 */
export class ClosestNames {
  private names: readonly string[] = [];
  private closest = new Map<string, string | undefined>();

  /** The candidates of this analysis: what was found among the same list stays. */
  among(candidates: Iterable<string>): this {
    const names = [...candidates];
    if (names.length !== this.names.length || names.some((n, i) => n !== this.names[i])) {
      this.names = names;
      this.closest = new Map();
    }
    return this;
  }

  /** A quick fix replacing the name written at `src` with the closest candidate, if one is close enough. */
  fix(name: string, src: Src): Fix[] | undefined {
    let close = this.closest.get(name);
    if (close === undefined && !this.closest.has(name)) {
      if (this.closest.size >= MAX_KEPT) this.closest.clear();
      close = suggest(
        name,
        this.names.filter((c) => c !== name),
      );
      this.closest.set(name, close);
    }
    return close === undefined
      ? undefined
      : [{ title: `Change to "${close}"`, edits: [{ src, newText: asValue(close) }] }];
  }
}

/** Misspelt names kept per list, at most this many before starting afresh. */
const MAX_KEPT = 10_000;

/** A quick fix replacing the name written at `src` with the closest of `candidates`, if there is one. */
export function didYouMean(name: string, src: Src, candidates: Iterable<string>): Fix[] | undefined {
  return new ClosestNames().among(candidates).fix(name, src);
}
