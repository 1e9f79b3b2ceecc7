// Glob patterns matched in time proportional to pattern length × path length, whatever the pattern:
// a pattern is a list of steps run as a set of states over the path, never by backtracking. A user
// writes these patterns (include wildcards, rules:exists), so a regular expression built from them
// could take exponential time on a path that almost matches.

/** One step of a pattern. */
export type Step =
  | { readonly kind: "char"; readonly char: string }
  /** One character other than `/` (fnmatch's `?`). */
  | { readonly kind: "one" }
  /** Any characters but `/` (`*`). */
  | { readonly kind: "star" }
  /** Any characters, `/` too (a wildcard include's `**`). */
  | { readonly kind: "any" }
  /** Zero or more whole folders (fnmatch's `**` + `/`): empty, or anything ending in `/`. */
  | { readonly kind: "folders" }
  /** One character of a class (`[a-z]`, `[!/]`), never `/`. */
  | { readonly kind: "class"; readonly test: (c: string) => boolean };

/** Whether `path` is matched by the steps, from its start to its end. */
export function matchSteps(steps: readonly Step[], path: string): boolean {
  const n = steps.length;
  // at[i]: the path so far can be followed by step i; inFolders[i]: step i (folders) has begun
  let at = new Uint8Array(n + 1);
  let inFolders = new Uint8Array(n);
  const close = (a: Uint8Array) => {
    // steps that may match nothing let the next one start where they do
    for (let i = 0; i < n; i++) {
      const k = steps[i].kind;
      if (a[i] && (k === "star" || k === "any" || k === "folders")) a[i + 1] = 1;
    }
  };
  at[0] = 1;
  close(at);
  for (const c of path) {
    const next = new Uint8Array(n + 1);
    const nextIn = new Uint8Array(n);
    let alive = false;
    const to = (i: number) => {
      next[i] = 1;
      alive = true;
    };
    for (let i = 0; i < n; i++) {
      const s = steps[i];
      if (s.kind === "folders") {
        if (!at[i] && !inFolders[i]) continue;
        nextIn[i] = 1;
        alive = true;
        if (c === "/") to(i + 1);
        continue;
      }
      if (!at[i]) continue;
      if (
        s.kind === "char" ? c === s.char : s.kind === "one" ? c !== "/" : s.kind === "class" && c !== "/" && s.test(c)
      )
        to(i + 1);
      else if ((s.kind === "star" && c !== "/") || s.kind === "any") to(i);
    }
    if (!alive) return false;
    close(next);
    at = next;
    inFolders = nextIn;
  }
  return at[n] === 1;
}

/** The steps of a literal text. */
export function literal(text: string): Step[] {
  return [...text].map((char) => ({ kind: "char", char }));
}
