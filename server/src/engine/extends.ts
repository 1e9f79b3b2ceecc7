import { ClosestNames } from "./did-you-mean";
import type { Code } from "./codes";
import type { CMap, CValue, Diagnostic, Fix, Src } from "./types";
import { deepMerge, emptyMap, withVia } from "./values";

// `extends` as GitLab's Config::Extendable does it, on the config after every include is
// merged: parents in the order listed are deep-merged, then the job's own keys on top.
// Errors carry GitLab's wording; where GitLab stops at the first error we report each one
// and go on, leaving the failing link out.

export const MAX_EXTENDS_NESTING = 10;

export interface ExtendsResult {
  readonly config: CMap;
  readonly diagnostics: readonly Diagnostic[];
  /** Direct parents of each key that uses `extends`, with where each name is written. */
  readonly parents: ReadonlyMap<string, ReadonlyArray<{ name: string; src: Src }>>;
}

/**
 * Results kept between analyses: a job's merged value is reused while its own raw value and
 * the resolved values of its parents are the very same objects as last time.
 */
export type ExtendsMemo = WeakMap<CValue, { readonly bases: readonly CValue[]; readonly result: CMap }>;

/** Did-you-mean for unknown parents, kept while the top-level keys stay the same. */
const closestKeys = new ClosestNames();

export function resolveExtends(
  config: CMap,
  hasExternal: boolean,
  memo: ExtendsMemo = new WeakMap(),
  /** Called before each top-level key (see AnalyzeOptions.checkpoint). */
  checkpoint?: () => void,
): ExtendsResult {
  const diagnostics: Diagnostic[] = [];
  const done = new Map<string, CValue>();
  // GitLab re-walks the whole chain from every job, so depth is checked on every path, even
  // through parents already resolved: remember each key's deepest extending descendant.
  const deepest = new Map<string, { key: string; depth: number; src: Src }>();
  const parents = new Map<string, Array<{ name: string; src: Src }>>();
  const closestKey = closestKeys.among(config.entries.keys());
  const report = (src: Src, code: Code, message: string, severity: Diagnostic["severity"] = "error", fixes?: Fix[]) =>
    diagnostics.push(fixes ? { src, code, message, severity, fixes } : { src, code, message, severity });

  const resolve = (key: string, ancestors: readonly string[], reachedAt: Src | undefined): CValue | undefined => {
    const value = config.entries.get(key)?.value;
    if (!value || value.kind !== "map" || !value.entries.has("extends")) return value;
    const extendsEntry = value.entries.get("extends")!;
    const cached = done.get(key);
    if (cached) {
      const d = deepest.get(key);
      if (d && ancestors.length + d.depth > MAX_EXTENDS_NESTING) {
        report(
          d.src,
          "extends-nesting-too-deep",
          `${d.key}: nesting too deep in \`extends\` (GitLab allows ${MAX_EXTENDS_NESTING + 1} levels of inheritance)`,
        );
      }
      return cached;
    }
    if (ancestors.includes(key)) {
      const chain = [...ancestors].reverse();
      const from = chain.indexOf(key);
      report(
        reachedAt ?? extendsEntry.value.src,
        "extends-circular",
        `${key}: circular dependency detected in \`extends\` (${[...chain.slice(from), key].join(" → ")})`,
      );
      return value;
    }
    if (ancestors.length > MAX_EXTENDS_NESTING) {
      report(
        extendsEntry.value.src,
        "extends-nesting-too-deep",
        `${key}: nesting too deep in \`extends\` (GitLab allows ${MAX_EXTENDS_NESTING + 1} levels of inheritance)`,
      );
      return value;
    }
    const names = extendsNames(extendsEntry.value);
    if (!names) {
      report(
        extendsEntry.value.src,
        "extends-invalid",
        `${key}: \`extends\` must be a job name or a list of job names`,
      );
      done.set(key, value);
      return value;
    }
    parents.set(key, names);
    const parts: Array<{ name: string; src: Src; value: CMap }> = [];
    let deep = { key, depth: 0, src: extendsEntry.value.src };
    for (const { name, src } of names) {
      const base = config.entries.get(name)?.value;
      if (base === undefined) {
        if (hasExternal) {
          report(
            src,
            "extends-unknown-parent",
            `${key}: unknown keys in \`extends\` (${name}); it may be defined in an ` +
              `include that cannot be read offline`,
            "warning",
          );
        } else {
          report(
            src,
            "extends-unknown-parent",
            `${key}: unknown keys in \`extends\` (${name})`,
            "error",
            closestKey.fix(name, src),
          );
        }
        continue;
      }
      if (base.kind !== "map") {
        report(src, "extends-invalid-base", `${key}: invalid base hashes in \`extends\` (${name})`);
        continue;
      }
      const resolved = resolve(name, [key, ...ancestors], src);
      const below = deepest.get(name);
      if (below && below.depth + 1 > deep.depth) deep = { ...below, depth: below.depth + 1 };
      if (resolved && resolved.kind === "map") parts.push({ name, src, value: resolved });
    }
    const bases = parts.map((p) => p.value);
    const kept = memo.get(value);
    let result: CMap;
    if (kept && kept.bases.length === bases.length && kept.bases.every((b, i) => b === bases[i])) {
      result = kept.result;
    } else {
      let merged = emptyMap(value.src);
      for (const p of parts) merged = deepMerge(merged, withVia(p.value, { kind: "extends", name: p.name, at: p.src }));
      result = deepMerge(merged, value);
      memo.set(value, { bases, result });
    }
    done.set(key, result);
    deepest.set(key, deep);
    return result;
  };

  const entries = new Map(config.entries);
  for (const [key, e] of config.entries) {
    checkpoint?.();
    const resolved = resolve(key, [], undefined);
    if (resolved && resolved !== e.value) entries.set(key, { ...e, value: resolved });
  }
  return { config: { ...config, entries }, diagnostics, parents };
}

/** `extends:` is a name or a list of names (GitLab converts each with to_s). */
export function extendsNames(v: CValue): Array<{ name: string; src: Src }> | undefined {
  if (v.kind === "scalar" && v.value !== null) return [{ name: String(v.value), src: v.src }];
  if (v.kind === "seq" && v.items.every((i) => i.kind === "scalar" && i.value !== null)) {
    return v.items.map((i) => ({ name: String((i as { value: unknown }).value), src: i.src }));
  }
  return undefined;
}
