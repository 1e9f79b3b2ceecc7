import type { Code } from "./codes";
import { didYouMean } from "./did-you-mean";
import type { CEntry, CMap, CRef, CValue, Diagnostic } from "./types";
import { rubyInspect, scalar, toJS, withVia } from "./values";

// `!reference [key, subkey, ...]` as GitLab's Yaml::Tags::Resolver does it: after extends,
// over the whole merged config, so a path may reach keys inherited through extends or
// defined in any included file. The found value is put in place as it is (lists are not
// flattened here) and is itself resolved first. A path cannot index into a list, and a
// value of null or false counts as not found.

export interface ReferencesResult {
  readonly config: CMap;
  readonly diagnostics: readonly Diagnostic[];
}

/** Ruby's Array#inspect for the path, as GitLab prints it in its messages. */
export function inspectPath(items: readonly CValue[]): string {
  return rubyInspect(items.map(toJS));
}

export function referencePath(ref: CRef): string[] | undefined {
  if (ref.invalid || ref.items.length === 0) return undefined;
  const path: string[] = [];
  for (const i of ref.items) {
    if (i.kind !== "scalar" || typeof i.value !== "string") return undefined;
    path.push(i.value);
  }
  return path;
}

/**
 * What resolving a value looked up (path → what it found) and reported, so a top-level value can
 * be reused by the next analysis. Sets: a value reached through references many times over adds
 * each lookup and finding once. A value that reaches more than MAX_TRACKED of them (a chain of
 * thousands of references, each frame holding all below it, would be quadratic) is `untracked`:
 * it keeps nothing and is resolved afresh each time.
 */
interface Collected {
  deps: Map<string, readonly [readonly string[], CValue | undefined]>;
  diagnostics: Set<Diagnostic>;
  untracked: boolean;
}

const MAX_TRACKED = 1000;

const newCollected = (): Collected => ({ deps: new Map(), diagnostics: new Set(), untracked: false });

/**
 * References are followed at most this deep, what a value expands to once every reference is put in
 * place is counted (as aliases are), and it may nest at most this deep: past any of these limits the
 * reference is reported, not expanded.
 * GitLab has no limit of its own here; these keep a hostile config from exhausting memory or the stack.
 */
export const MAX_REFERENCE_DEPTH = 100;
// 100,000 values is thousands of times any reference of a real config (GitLab's rule sets are tens), and
// small enough that a config holding several such values still prints in well under a second (1,000,000 let
// a fuzzed config's merged view reach 173 MB of JSON).
const MAX_EXPANDED = 100_000;

/**
 * Results kept between analyses, per top-level value: reused while that value is the same
 * object and every path its references looked up still finds the same objects.
 */
/**
 * Per top-level value: what resolving its references found, and whether unreadable includes could
 * explain a missing target then (the findings' words depend on it, and a fetch changes it).
 */
export type ReferencesMemo = WeakMap<
  CValue,
  { readonly collected: Collected; readonly result: CValue; readonly hasExternal: boolean }
>;

export function resolveReferences(
  config: CMap,
  hasExternal = false,
  memo: ReferencesMemo = new WeakMap(),
  /** Called before each top-level key (see AnalyzeOptions.checkpoint). */
  checkpoint?: () => void,
): ReferencesResult {
  // every diagnostic once, however many frames it reached
  const diagnostics = new Set<Diagnostic>();
  const state = new Map<string, { result: CValue; collected: Collected } | "pending">();
  // What the value being resolved depends on; nested references report into their own frame,
  // which is then added to the frame that used them.
  const stack: Collected[] = [];
  const top = () => stack[stack.length - 1];
  const untrack = (c: Collected) => {
    c.untracked = true;
    c.deps.clear();
    c.diagnostics.clear();
  };
  const report = (
    ref: CRef,
    code: Code,
    message: string,
    severity: Diagnostic["severity"] = "error",
    fixes?: Diagnostic["fixes"],
  ) => {
    const d: Diagnostic = fixes
      ? { src: ref.src, code, message, severity, fixes }
      : { src: ref.src, code, message, severity };
    diagnostics.add(d);
    const frame = top();
    if (frame.untracked) return;
    frame.diagnostics.add(d);
    if (frame.diagnostics.size > MAX_TRACKED) untrack(frame);
  };
  const absorb = (into: Collected, from: Collected) => {
    if (into.untracked) return;
    if (from.untracked || into.deps.size + from.deps.size + into.diagnostics.size + from.diagnostics.size > MAX_TRACKED)
      return untrack(into);
    for (const [k, d] of from.deps) into.deps.set(k, d);
    for (const d of from.diagnostics) into.diagnostics.add(d);
  };
  // the size and depth of a value with every reference in place, counted once per distinct value
  // (a resolved value's parts are resolved already, so these recurse no deeper than the limits)
  const sizes = new WeakMap<CValue, { size: number; depth: number }>();
  const measure = (v: CValue): { size: number; depth: number } => {
    if (v.kind === "scalar" || v.kind === "ref") return { size: 1, depth: 0 };
    const known = sizes.get(v);
    if (known) return known;
    let size = 1;
    let depth = 0;
    for (const part of v.kind === "map" ? [...v.entries.values()].map((e) => e.value) : v.items) {
      const m = measure(part);
      size = Math.min(size + m.size, MAX_EXPANDED + 1);
      depth = Math.max(depth, m.depth);
    }
    const out = { size, depth: depth + 1 };
    sizes.set(v, out);
    return out;
  };

  const dig = (path: readonly string[]): CValue | undefined => {
    let v: CValue | undefined = config;
    for (const key of path) {
      if (!v || v.kind !== "map") return undefined;
      v = v.entries.get(key)?.value;
    }
    return v;
  };

  // a quick fix for the first key of the path that names nothing: the closest key where it was looked for
  const closestKey = (ref: CRef, path: readonly string[]): Diagnostic["fixes"] => {
    let v: CValue | undefined = config;
    for (let i = 0; i < path.length && v?.kind === "map"; i++) {
      const e = v.entries.get(path[i]);
      const item = ref.items[i];
      if (!e) return item ? didYouMean(path[i], item.src, v.entries.keys()) : undefined;
      v = e.value;
    }
    return undefined;
  };

  const resolveRef = (ref: CRef): CValue => {
    const path = referencePath(ref);
    const text = `!reference ${inspectPath(ref.items)}`;
    if (!path) {
      report(
        ref,
        "reference-invalid",
        `${ref.written !== undefined ? `!reference ${ref.written}` : text} is not valid: ` +
          `it takes a list of keys such as [".job", "script"]`,
      );
      return scalar(null, ref.src);
    }
    const key = `${ref.src.file}:${ref.src.start}:${path.join("\u0000")}`;
    const seen = state.get(key);
    if (seen === "pending") {
      report(ref, "reference-circular", `${text} is part of a circular chain`);
      return scalar(null, ref.src);
    }
    if (seen) {
      absorb(top(), seen.collected);
      return seen.result;
    }
    if (stack.length > MAX_REFERENCE_DEPTH) {
      report(ref, "reference-limit", `${text} nests references more than ${MAX_REFERENCE_DEPTH} levels deep`);
      return scalar(null, ref.src);
    }
    state.set(key, "pending");
    const frame = newCollected();
    stack.push(frame);
    const target = dig(path);
    frame.deps.set(path.join("\u0000"), [path, target]);
    let result: CValue;
    if (target === undefined || (target.kind === "scalar" && (target.value === null || target.value === false))) {
      if (hasExternal && !config.entries.has(path[0])) {
        report(
          ref,
          "reference-not-found",
          `${text} could not be found; \`${path[0]}\` may be defined in an include that cannot be read offline`,
          "warning",
        );
      } else {
        report(ref, "reference-not-found", `${text} could not be found`, "error", closestKey(ref, path));
      }
      result = scalar(null, ref.src);
    } else {
      result = withVia(resolve(target), { kind: "reference", name: path.join("."), at: ref.src });
      const m = measure(result);
      if (m.size > MAX_EXPANDED) {
        report(
          ref,
          "reference-limit",
          `${text} expands to more than ${MAX_EXPANDED.toLocaleString("en")} values once every reference is in place`,
        );
        result = scalar(null, ref.src);
      } else if (m.depth > MAX_REFERENCE_DEPTH) {
        report(
          ref,
          "reference-limit",
          `${text} expands to lists or maps nested more than ${MAX_REFERENCE_DEPTH} levels deep`,
        );
        result = scalar(null, ref.src);
      }
    }
    stack.pop();
    state.set(key, { result, collected: frame });
    absorb(top(), frame);
    return result;
  };

  const resolve = (v: CValue): CValue => {
    switch (v.kind) {
      case "scalar":
        return v;
      case "ref": {
        const r = resolveRef(v);
        return v.via ? { ...r, via: [...v.via, ...(r.via ?? [])] } : r;
      }
      case "seq": {
        let changed = false;
        const items = v.items.map((i) => {
          const n = resolve(i);
          if (n !== i) changed = true;
          return n;
        });
        return changed ? { ...v, items } : v;
      }
      case "map": {
        let changed = false;
        const entries = new Map<string, CEntry>();
        for (const [k, e] of v.entries) {
          const n = resolve(e.value);
          if (n !== e.value) changed = true;
          entries.set(k, n === e.value ? e : { ...e, value: n });
        }
        return changed ? { ...v, entries } : v;
      }
    }
  };

  const entries = new Map<string, CEntry>();
  for (const [k, e] of config.entries) {
    checkpoint?.();
    const kept = memo.get(e.value);
    if (
      kept &&
      kept.hasExternal === hasExternal &&
      !kept.collected.untracked &&
      [...kept.collected.deps.values()].every(([path, found]) => dig(path) === found)
    ) {
      for (const d of kept.collected.diagnostics) diagnostics.add(d);
      entries.set(k, kept.result === e.value ? e : { ...e, value: kept.result });
      continue;
    }
    const frame = newCollected();
    stack.push(frame);
    const result = resolve(e.value);
    stack.pop();
    memo.set(e.value, { collected: frame, result, hasExternal });
    entries.set(k, result === e.value ? e : { ...e, value: result });
  }
  return { config: { ...config, entries }, diagnostics: [...diagnostics] };
}
