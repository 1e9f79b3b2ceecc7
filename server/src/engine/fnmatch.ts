import { matchSteps, type Step } from "./glob";

// Ruby's File.fnmatch with FNM_PATHNAME | FNM_DOTMATCH | FNM_EXTGLOB, the way GitLab matches
// `rules:exists` and `rules:changes` patterns: `*` and `?` stay within a folder, `**/` spans
// folders (zero or more), `{a,b}` picks one of several, `[...]` is a character class, `\` escapes.
// Braces are expanded first, as Ruby does, and each alternative is matched in linear time (glob.ts).

/** Alternatives a pattern's braces make, at most this many; past that the pattern matches nothing. */
const MAX_ALTERNATIVES = 1024;

/** `a{b,c}d` → [abd, acd]; nested braces too; a brace left open is a plain character. */
function expandBraces(pattern: string): string[] | undefined {
  let depth = 0;
  let open = -1;
  const commas: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") i++;
    else if (c === "{") {
      if (depth++ === 0) open = i;
    } else if (c === "," && depth === 1) commas.push(i);
    else if (c === "}" && depth > 0 && --depth === 0) {
      const head = pattern.slice(0, open);
      const tail = pattern.slice(i + 1);
      const bounds = [open, ...commas, i];
      const out: string[] = [];
      for (let k = 0; k + 1 < bounds.length; k++) {
        const more = expandBraces(head + pattern.slice(bounds[k] + 1, bounds[k + 1]) + tail);
        if (!more || out.length + more.length > MAX_ALTERNATIVES) return undefined;
        out.push(...more);
      }
      return out;
    }
  }
  return [pattern];
}

/** A character class's test, from what is between `[` and `]`; undefined when it is no valid class. */
function classTest(body: string): ((c: string) => boolean) | undefined {
  const negated = body.startsWith("!") || body.startsWith("^");
  const chars = [...(negated ? body.slice(1) : body)];
  const ranges: Array<[string, string]> = [];
  for (let i = 0; i < chars.length; i++) {
    let lo = chars[i];
    if (lo === "\\" && i + 1 < chars.length) lo = chars[++i];
    if (chars[i + 1] === "-" && i + 2 < chars.length) {
      let hi = chars[i + 2];
      i += 2;
      if (hi === "\\" && i + 1 < chars.length) hi = chars[++i];
      if (hi < lo) return undefined;
      ranges.push([lo, hi]);
    } else ranges.push([lo, lo]);
  }
  return (c) => ranges.some(([lo, hi]) => lo <= c && c <= hi) !== negated;
}

/** The steps of one brace-free pattern; undefined when it is no valid pattern. */
function steps(pattern: string): Step[] | undefined {
  const out: Step[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const segmentStart = i === 0 || pattern[i - 1] === "/";
    if (c === "*" && pattern[i + 1] === "*" && segmentStart && pattern[i + 2] === "/") {
      out.push({ kind: "folders" });
      i += 2;
    } else if (c === "*")
      out.push({ kind: "star" }); // a `**` not followed by `/` is a `*` (Ruby's dir.c)
    else if (c === "?") out.push({ kind: "one" });
    else if (c === "\\" && i + 1 < pattern.length) out.push({ kind: "char", char: pattern[++i] });
    else if (c === "[" && pattern.indexOf("]", i + 2) > 0) {
      const end = pattern.indexOf("]", i + 2);
      const test = classTest(pattern.slice(i + 1, end));
      if (!test) return undefined;
      out.push({ kind: "class", test });
      i = end;
    } else out.push({ kind: "char", char: c });
  }
  return out;
}

/** A matcher for a pattern; a pattern that is no valid glob matches nothing rather than stopping the analysis. */
export function fnmatcher(pattern: string): (path: string) => boolean {
  // a config repeats its patterns across many jobs (rules:changes through !reference)
  let m = matchers.get(pattern);
  if (!m) {
    if (matchers.size >= 10_000) matchers.clear();
    matchers.set(pattern, (m = compile(pattern)));
  }
  return m;
}

const matchers = new Map<string, (path: string) => boolean>();

function compile(pattern: string): (path: string) => boolean {
  const alternatives = (expandBraces(pattern) ?? []).map(steps);
  if (alternatives.some((a) => a === undefined)) return () => false;
  return (path) => alternatives.some((a) => matchSteps(a!, path));
}

export function fnmatch(pattern: string, path: string): boolean {
  return fnmatcher(pattern)(path);
}
