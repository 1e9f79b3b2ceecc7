import type { CEntry, CMap, CScalar, CSeq, CValue, Scalar, Src, Via } from "./types";

// Small constructors and accessors for CValues, so the resolver code reads like the
// hash manipulation it mirrors in GitLab.

export function scalar(value: Scalar, src: Src): CScalar {
  return { kind: "scalar", value, src };
}

export function mapOf(entries: Map<string, CEntry>, src: Src): CMap {
  return { kind: "map", entries, src };
}

export function seqOf(items: CValue[], src: Src): CSeq {
  return { kind: "seq", items, src };
}

/** The same value, seen through one more hop. Shares the subtree; costs one object. */
export function withVia<T extends CValue>(value: T, via: Via): T {
  return { ...value, via: value.via ? [via, ...value.via] : [via] };
}

export function get(map: CValue | undefined, key: string): CValue | undefined {
  return map && map.kind === "map" ? map.entries.get(key)?.value : undefined;
}

export function entry(map: CValue | undefined, key: string): CEntry | undefined {
  return map && map.kind === "map" ? map.entries.get(key) : undefined;
}

export function isNull(v: CValue | undefined): boolean {
  return v === undefined || (v.kind === "scalar" && v.value === null);
}

export function str(v: CValue | undefined): string | undefined {
  return v && v.kind === "scalar" && typeof v.value === "string" ? v.value : undefined;
}

/** A Ruby-ish rendering of a scalar for messages. */
export function scalarText(v: Scalar): string {
  return v === null ? "" : String(v);
}

/** Map with one key removed (a new map; the original stays intact). */
export function without(map: CMap, key: string): CMap {
  if (!map.entries.has(key)) return map;
  const entries = new Map(map.entries);
  entries.delete(key);
  return { ...map, entries };
}

export function emptyMap(src: Src): CMap {
  return mapOf(new Map(), src);
}

/**
 * The alias or merge-key hop of a value copied from an anchor: such a copy carries the anchor's
 * src, so walks over a file's text skip it and meet the anchor where it is written.
 */
export function anchorCopy(v: CValue): Via | undefined {
  const hop = v.via?.[0];
  return hop && (hop.kind === "alias" || hop.kind === "merge-key") ? hop : undefined;
}

/** A value reached through the hops of the map that held it. */
export function throughVia(value: CValue, via: readonly Via[] | undefined): CValue {
  if (!via || via.length === 0) return value;
  return { ...value, via: value.via ? [...via, ...value.via] : via };
}

/**
 * ActiveSupport's Hash#deep_merge, as GitLab uses it for includes and extends: hashes merge
 * key by key, anything else (arrays, scalars, null, unresolved !reference) on the right
 * replaces the left. Keys keep the left order; new keys are appended. A side's hops are
 * handed down to the entries taken from it, so provenance survives the merge.
 */
export function deepMerge(left: CMap, right: CMap): CMap {
  if (left === right || (left.entries.size === 0 && !left.via)) return right;
  // deepMerge is pure and values are immutable, so a result can be shared: the same two
  // inputs (a job defined in two files, a file included twice) give the very same object
  // on the next analysis, which is what lets the later stages reuse their work.
  let byRight = mergeMemo.get(left);
  const kept = byRight?.get(right);
  if (kept) return kept;
  const result = mergeFresh(left, right);
  if (!byRight) mergeMemo.set(left, (byRight = new WeakMap()));
  byRight.set(right, result);
  return result;
}

const mergeMemo = new WeakMap<CMap, WeakMap<CMap, CMap>>();

/**
 * `maps.reduce(deepMerge)`, with the top level built once rather than once per map: an include
 * chain of N files costs one pass over their keys instead of N copies of what came before.
 */
export function deepMergeAll(maps: readonly CMap[]): CMap {
  if (maps.length === 1) return maps[0];
  const entries = new Map<string, CEntry>();
  for (const m of maps) {
    for (const [key, e0] of m.entries) {
      const e = m.via ? { ...e0, value: throughVia(e0.value, m.via) } : e0;
      const l = entries.get(key);
      if (l && l.value === e.value) continue;
      if (l && l.value.kind === "map" && e.value.kind === "map")
        entries.set(key, { key, keySrc: e.keySrc, value: deepMerge(l.value, e.value) });
      else entries.set(key, e);
    }
  }
  return { kind: "map", entries, src: maps[maps.length - 1].src };
}

function mergeFresh(left: CMap, right: CMap): CMap {
  const entries = new Map<string, CEntry>();
  for (const [key, l] of left.entries) entries.set(key, left.via ? { ...l, value: throughVia(l.value, left.via) } : l);
  for (const [key, r0] of right.entries) {
    const r = right.via ? { ...r0, value: throughVia(r0.value, right.via) } : r0;
    const l = entries.get(key);
    if (l && l.value === r.value) continue;
    if (l && l.value.kind === "map" && r.value.kind === "map") {
      entries.set(key, { key, keySrc: r.keySrc, value: deepMerge(l.value, r.value) });
    } else {
      entries.set(key, r);
    }
  }
  return { kind: "map", entries, src: right.src };
}

/** Plain JavaScript form (for output and for ajv later); unresolved references stay tagged. */
/** Ruby's `inspect` of a plain value (what an array's `to_s` is; a hash as Ruby before 3.4 writes it). */
export function rubyInspect(value: unknown): string {
  if (value === null || value === undefined) return "nil";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(rubyInspect).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}=>${rubyInspect(v)}`).join(", ")}}`;
  }
  return String(value);
}

export function toJS(v: CValue): unknown {
  return plain(v, false);
}

/** toJS as JSON has it: `.inf` and `.nan` are null, as JSON.stringify writes them (the API's merged()). */
export function toJSON(v: CValue): unknown {
  return plain(v, true);
}

function plain(v: CValue, json: boolean): unknown {
  switch (v.kind) {
    case "scalar":
      return json && typeof v.value === "number" && !Number.isFinite(v.value) ? null : v.value;
    case "seq":
      return v.items.map((i) => plain(i, json));
    case "ref":
      return { "!reference": v.items.map((i) => plain(i, json)) };
    case "map": {
      const out: Record<string, unknown> = {};
      for (const [k, e] of v.entries) {
        const value = plain(e.value, json);
        // a key named __proto__ must be a key, not set the prototype, so it is defined, not assigned (and only
        // that one: defineProperty on every key made this the analysis's costliest function)
        if (k !== "__proto__") out[k] = value;
        else Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
  }
}
