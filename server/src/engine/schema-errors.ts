import type { ErrorObject } from "ajv";

// Turns ajv's raw error list into the few errors a person needs. A value that fails an
// anyOf/oneOf gets one error per branch tried; we keep the branch that got furthest into
// the value (its errors sit deepest) and, on a tie, the one with fewest complaints.

type SchemaNode = Record<string, unknown>;

const COMBINATOR = /\/(anyOf|oneOf)\/(\d+)(?=\/|$)/;

function depth(e: ErrorObject): number {
  return e.instancePath === "" ? 0 : e.instancePath.split("/").length - 1;
}

/** Keeps one branch per combinator, recursively, then drops combinator summaries. */
export function collapseErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const plain = errors.filter((e) => e.keyword !== "anyOf" && e.keyword !== "oneOf" && e.keyword !== "if");
  return pick(plain, "");
}

function pick(errors: ErrorObject[], prefix: string): ErrorObject[] {
  // errors under a combinator that starts after `prefix`, grouped by combinator then branch
  const groups = new Map<string, Map<number, ErrorObject[]>>();
  const direct: ErrorObject[] = [];
  for (const e of errors) {
    const rest = e.schemaPath.slice(prefix.length);
    const m = COMBINATOR.exec(rest);
    if (!m) {
      direct.push(e);
      continue;
    }
    const at = prefix + rest.slice(0, m.index);
    const branch = Number(m[2]);
    const byBranch = groups.get(at) ?? new Map<number, ErrorObject[]>();
    groups.set(at, byBranch);
    const list = byBranch.get(branch);
    if (list) list.push(e);
    else byBranch.set(branch, [e]);
  }
  const out = [...direct];
  for (const [at, byBranch] of groups) {
    let best: ErrorObject[] | undefined;
    let bestKey: [number, number, number] | undefined;
    // the value the combinator applies to: no branch has an error above it
    let root = Infinity;
    for (const errs of byBranch.values()) for (const e of errs) root = Math.min(root, depth(e));
    for (const errs of byBranch.values()) {
      let deepest = 0;
      for (const e of errs) deepest = Math.max(deepest, depth(e));
      // a type mismatch at the combinator's value means the branch does not apply at all
      const wrongType = errs.every((e) => e.keyword === "type" && depth(e) === root) ? 1 : 0;
      const key: [number, number, number] = [wrongType, -deepest, errs.length];
      if (
        !bestKey ||
        key[0] < bestKey[0] ||
        (key[0] === bestKey[0] && (key[1] < bestKey[1] || (key[1] === bestKey[1] && key[2] < bestKey[2])))
      ) {
        bestKey = key;
        best = errs;
      }
    }
    if (best && bestKey && bestKey[0] === 1) {
      // every branch failed on type: say which types would do, once
      out.push(mergeTypes([...byBranch.values()].flat()));
    } else if (best) {
      const m = COMBINATOR.exec(best[0].schemaPath.slice(at.length))!;
      out.push(...pick(best, at + m[0]));
    }
  }
  return dedupeByPath(out);
}

function mergeTypes(errors: ErrorObject[]): ErrorObject {
  const shallow = errors.reduce((min, e) => Math.min(min, depth(e)), Infinity);
  const atRoot = errors.filter((e) => depth(e) === shallow);
  const types = new Set<string>();
  for (const e of atRoot) {
    if (e.keyword === "type")
      String((e.params as { type: string }).type)
        .split(",")
        .forEach((t) => types.add(t));
  }
  return { ...atRoot[0], keyword: "type", params: { type: [...types].join(",") } };
}

const STRING_KEYWORDS = new Set(["pattern", "minLength", "maxLength", "format"]);

function dedupeByPath(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  const out: ErrorObject[] = [];
  for (const e of errors) {
    const k = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(e);
  }
  // a type error says less than an error on the value's children, or than the enum of allowed values;
  // the paths that have either are gathered once, so this stays linear in the number of errors
  const outranked = new Set<string>();
  for (const o of out) {
    // a string-only keyword that failed means the value is a string that one branch took: a type error at the
    // same place comes from a branch the value was never meant for (its schema reached through a $ref, whose
    // errors do not carry the anyOf's path)
    if (o.keyword === "enum" || STRING_KEYWORDS.has(o.keyword)) outranked.add(o.instancePath);
    for (let i = o.instancePath.lastIndexOf("/"); i >= 0; i = o.instancePath.lastIndexOf("/", i - 1)) {
      outranked.add(o.instancePath.slice(0, i));
      if (i === 0) break;
    }
  }
  return out.filter((e) => !(e.keyword === "type" && outranked.has(e.instancePath)));
}

const TYPE_WORDS: Record<string, string> = {
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "true or false",
  array: "a list",
  object: "a map",
  null: "empty",
};

export function typeWords(types: string): string {
  const words = [...new Set(types.split(",").map((t) => TYPE_WORDS[t] ?? t))];
  return words.length > 1 ? `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}` : words[0];
}

export function allowedProperties(e: ErrorObject): string[] {
  const parent = e.parentSchema as SchemaNode | undefined;
  const props = parent?.properties as SchemaNode | undefined;
  return props ? Object.keys(props) : [];
}

/** The closest candidate within a small edit distance, for "did you mean". */
/** Names longer than this get no suggestion and are never suggested: GitLab's job names stop at 255, and the
 * edit distance of two 100 KB names (a fuzzed config's interpolated needs) took minutes. */
const MAX_SUGGESTED_LENGTH = 255;

export function suggest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > MAX_SUGGESTED_LENGTH) return undefined;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  const lower = word.toLowerCase();
  for (const c of candidates) {
    // the distance is at least the difference in length: a 100 KB key is compared with nothing
    if (Math.abs(word.length - c.length) >= bestDistance || c.length > MAX_SUGGESTED_LENGTH) continue;
    const other = c.toLowerCase();
    if (bagDistance(lower, other) >= bestDistance) continue;
    const d = levenshtein(lower, other, bestDistance - 1);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best;
}

/** How many times each character (folded to 7 bits) occurs in the word being matched, while bagDistance runs. */
const letters = new Int32Array(128);

/**
 * A lower bound of the edit distance that costs one pass over each name: the characters one has and the other
 * has not (in number) each need an edit. Most of a config's job names are ruled out by it alone.
 */
function bagDistance(a: string, b: string): number {
  for (let i = 0; i < a.length; i++) letters[a.charCodeAt(i) & 127]++;
  let onlyInB = 0;
  for (let j = 0; j < b.length; j++) if (--letters[b.charCodeAt(j) & 127] < 0) onlyInB++;
  const onlyInA = a.length - (b.length - onlyInB);
  letters.fill(0);
  return Math.max(onlyInA, onlyInB);
}

/** One row of the edit distance's table, reused: every name compared is at most MAX_SUGGESTED_LENGTH long. */
const row = new Int32Array(MAX_SUGGESTED_LENGTH + 2);

/**
 * The edit distance of a and b, or `limit + 1` when it is more than `limit`. Only the cells within `limit` of
 * the diagonal can hold a distance that small, so only those are computed (the table's band), and the rows stop
 * as soon as one shows the distance will be more: a job name compared with the 2,700 names of GitLab's own
 * config for each unknown need cost 50 ms with the whole table.
 */
function levenshtein(a: string, b: string, limit: number): number {
  const over = limit + 1;
  for (let j = 0; j <= b.length; j++) row[j] = j <= limit ? j : over;
  for (let i = 1; i <= a.length; i++) {
    const lo = Math.max(1, i - limit);
    const hi = Math.min(b.length, i + limit);
    if (lo > hi) return over;
    let diagonal = row[lo - 1];
    row[lo - 1] = lo === 1 && i <= limit ? i : over;
    let least = over;
    const ai = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      const up = row[j];
      const d = Math.min(up + 1, row[j - 1] + 1, diagonal + (ai === b.charCodeAt(j - 1) ? 0 : 1));
      diagonal = up;
      row[j] = d < over ? d : over;
      if (d < least) least = d;
    }
    if (least > limit) return over;
  }
  return row[b.length];
}
