import type { AnchorDef, ParsedFile } from "../engine/load";
import type { CMap, CValue, Diagnostic, Fix, Src, Via } from "../engine/types";
import { GLOBAL_KEYWORDS } from "../engine/jobs";
import { resolvePlainScalar } from "../engine/scalars";
import type { LintRule } from "./rule";

// gitlab-org's CI handbook ranks the ways to reuse configuration: `extends` first, then
// `!reference`, YAML anchors last, because an anchor reaches only within its own file and the
// place that uses it does not say where the value comes from. This rule points at anchors that
// have a direct replacement: a `<<:` merge of a whole hidden job (→ `extends`), and an alias of a
// value that a `!reference` path can reach (→ `!reference`). Anchors with no such equivalent,
// above all the single rules of rules lists that gitlab-org's own rules file is built from, are
// left alone: a rule that adds keys to an anchored one cannot be written any other way.

const CODE = "anchor-instead-of-extends";

/**
 * Keywords whose nested lists GitLab flattens (jobs.ts `flattenJob`), so an alias of a list in
 * them and a `!reference` to it give the same result. `rules` flattens too but is left out: an
 * alias in a rules list is the idiom the handbook itself uses.
 */
const FLATTENED = new Set(["script", "before_script", "after_script", "cache", "services", "needs"]);

/** A bound on the walk into hidden keys; real reference paths are two or three keys long. */
const MAX_PATH = 10;

const at = (s: Src) => `${s.start}:${s.end}`;

/** A `!reference` item: plain when YAML reads it back as the same string, quoted otherwise. */
function item(name: string): string {
  const plain =
    /^[A-Za-z0-9._/$]/.test(name) && !/[,[\]{}]|: |:$| #|\s$/.test(name) && resolvePlainScalar(name) === name;
  return plain ? name : JSON.stringify(name);
}

const referenceText = (path: readonly string[]) => `!reference [${path.map(item).join(", ")}]`;

/** The anchor an alias or merge key names: the last one of that name written before it. */
function anchorFor(file: ParsedFile, hop: Via): AnchorDef | undefined {
  let found: AnchorDef | undefined;
  for (const a of file.anchors)
    if (a.name === hop.name && a.src.file === hop.at.file && a.src.start < hop.at.start) found = a;
  return found;
}

/** Every node a `!reference` path can reach in a file: hidden top-level keys, then map keys only. */
function reachable(content: CMap): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const walk = (v: CValue, path: string[]) => {
    // a node that came through an alias or merge key is written elsewhere; it is reached there
    if (v.via) return;
    out.set(at(v.src), path);
    if (v.kind === "map" && path.length < MAX_PATH) for (const [k, e] of v.entries) walk(e.value, [...path, k]);
  };
  for (const [name, e] of content.entries) if (name.startsWith(".")) walk(e.value, [name]);
  return out;
}

function dig(config: CMap, path: readonly string[]): CValue | undefined {
  let v: CValue | undefined = config;
  for (const k of path) v = v?.kind === "map" ? v.entries.get(k)?.value : undefined;
  return v;
}

/**
 * Whether a resolved value is, node for node, the one written at the anchor: what `!reference`
 * reads (after extends, over every file) must be what the alias copies (the text of this file).
 * A `!reference` written inside the anchored value is matched by the hop its resolution left.
 */
function same(resolved: CValue | undefined, written: CValue): boolean {
  if (!resolved) return false;
  if (written.kind === "ref")
    return !!resolved.via?.some(
      (h) => h.kind === "reference" && h.at.file === written.src.file && h.at.start === written.src.start,
    );
  if (
    resolved.kind !== written.kind ||
    resolved.src.file !== written.src.file ||
    resolved.src.start !== written.src.start
  )
    return false;
  if (written.kind === "scalar") return resolved.kind === "scalar" && Object.is(resolved.value, written.value);
  if (written.kind === "seq")
    return (
      resolved.kind === "seq" &&
      resolved.items.length === written.items.length &&
      written.items.every((w, i) => same(resolved.items[i], w))
    );
  if (resolved.kind !== "map" || resolved.entries.size !== written.entries.size) return false;
  for (const [k, e] of written.entries) if (!same(resolved.entries.get(k)?.value, e.value)) return false;
  return true;
}

interface Facts {
  /**
   * Per alias, the entries that came through it into a map that also holds entries that did
   * not: a deep merge (by extends, an include, or a job merging the map that holds the alias)
   * mixed its map with another. A `!reference` is resolved only after extends and includes, so
   * there it would replace the other map instead of merging with it.
   */
  readonly mixedEntries: Map<string, Src[]>;
  /** Top-level keys some `!reference` takes whole: an `extends` key in them would be copied too. */
  readonly referencedWhole: Set<string>;
}

const aliasKey = (s: Src) => `${s.file}:${at(s)}`;

function facts(config: CMap, checkpoint: () => void): Facts {
  const mixedEntries = new Map<string, Src[]>();
  const referencedWhole = new Set<string>();
  const seen = new WeakSet<object>();
  const aliases = (v: CValue) => new Set((v.via ?? []).filter((h) => h.kind === "alias").map((h) => aliasKey(h.at)));
  const mixed = (map: CMap) => {
    const entries = [...map.entries.values()].map((e) => ({ src: e.value.src, aliases: aliases(e.value) }));
    for (const e of entries)
      for (const a of e.aliases)
        if (entries.some((o) => !o.aliases.has(a))) {
          if (!mixedEntries.has(a)) mixedEntries.set(a, []);
          mixedEntries.get(a)!.push(e.src);
        }
  };
  const walk = (v: CValue) => {
    if (seen.has(v)) return;
    seen.add(v);
    for (const h of v.via ?? []) if (h.kind === "reference" && config.entries.has(h.name)) referencedWhole.add(h.name);
    if (v.kind === "map") {
      mixed(v);
      for (const e of v.entries.values()) walk(e.value);
    } else if (v.kind === "seq" || v.kind === "ref") v.items.forEach(walk);
  };
  // walk(config), with a checkpoint before each top-level key
  seen.add(config);
  mixed(config);
  for (const e of config.entries.values()) {
    checkpoint();
    walk(e.value);
  }
  return { mixedEntries, referencedWhole };
}

/**
 * Whether the map an alias copies was deep-merged somewhere. Only entries from inside the
 * anchored map count: the entry that holds the whole copy carries the alias too.
 */
function mergedSomewhere(f: Facts, hop: Via, anchored: CValue): boolean {
  const a = anchored.src;
  const inside = (s: Src) =>
    s.file === a.file && s.start >= a.start && s.end <= a.end && !(s.start === a.start && s.end === a.end);
  return (f.mixedEntries.get(aliasKey(hop.at)) ?? []).some(inside);
}

export const anchorInsteadOfExtends: LintRule = {
  id: CODE,
  severity: "information",
  summary: "a YAML anchor copies a hidden job or a value that extends or !reference could reuse",
  offByDefault: true,
  check(model, context) {
    const out: Diagnostic[] = [];
    let known: Facts | undefined;
    const fact = () => (known ??= facts(model.merged, context.checkpoint ?? (() => {})));

    const reference = (file: ParsedFile, index: Map<string, string[]>, v: CValue, hop: Via, whole: boolean) => {
      const def = anchorFor(file, hop);
      const path = def && at(def.value.src) === at(v.src) ? index.get(at(def.value.src)) : undefined;
      if (!def || !path) return;
      const text = referenceText(path);
      let why: string | undefined;
      if (!same(dig(model.merged, path), def.value)) {
        why = `${path[0]} is changed by extends or by another file, so the reference would read a different value`;
      } else if (whole && def.value.kind === "map" && mergedSomewhere(fact(), hop, def.value)) {
        why = "extends or an include merges this map with another one, which a reference would replace instead";
      }
      const fixes: Fix[] | undefined = why
        ? undefined
        : [{ title: `Use ${text}`, edits: [{ src: hop.at, newText: text }] }];
      out.push({
        src: hop.at,
        severity: "information",
        code: CODE,
        message:
          `alias *${hop.name} works only inside this file and hides where the value comes from: use ${text}` +
          (why ? ` (no automatic fix: ${why})` : ""),
        related: [{ src: def.src, message: `the anchor &${def.name}` }],
        fixes,
      });
    };

    for (const file of model.files.values()) {
      const content = file.content;
      if (content?.kind !== "map") continue;
      const index = reachable(content);
      const anchored = new Set(file.anchors.map((a) => at(a.value.src)));
      const hiddenMaps = new Map<string, string>();
      for (const [name, e] of content.entries)
        if (name.startsWith(".") && e.value.kind === "map" && !e.value.via) hiddenMaps.set(at(e.value.src), name);

      for (const [name, e] of content.entries) {
        const job = e.value;
        if (job.kind !== "map" || job.via) continue;
        if (GLOBAL_KEYWORDS.includes(name) && name !== "default") continue;

        // (a) `<<: *x` of a whole hidden job, into a job or a job template only: other hidden
        // keys are fragments (a cache, artifacts) that aliases or `!reference` copy whole, and
        // an `extends` key would be copied along instead of being resolved.
        const merges = new Map<string, Via>();
        for (const entry of job.entries.values()) {
          const hop = entry.value.via?.[0];
          if (hop?.kind === "merge-key" && hop.name !== "<<") merges.set(at(hop.at), hop);
        }
        const kind = model.jobs.get(name)?.kind;
        const jobLike = kind === "job" || kind === "bridge" || (kind === "hidden" && model.templates.has(name));
        if (!jobLike || anchored.has(at(job.src)) || (merges.size > 0 && fact().referencedWhole.has(name)))
          merges.clear();
        for (const hop of merges.values()) {
          const def = anchorFor(file, hop);
          const base = def && hiddenMaps.get(at(def.value.src));
          if (!def || !base || base === name) continue;
          const advice = job.entries.has("extends") ? `add ${base} at the end of its extends` : `use extends: ${base}`;
          out.push({
            src: hop.at,
            severity: "information",
            code: CODE,
            message:
              `<<: *${hop.name} merges ${base} through a YAML anchor, which works only ` +
              `inside this file and hides where the keys come from: ${advice}, and check ` +
              `the result (extends merges nested maps such as variables, where << replaces them)`,
            related: [{ src: def.src, message: `the anchor &${def.name}` }],
          });
        }

        // (b) an alias as a keyword's whole value, (c) as an item of a list GitLab flattens
        for (const [key, entry] of job.entries) {
          // GitLab resolves extends before !reference: a reference there would never be read
          if (key === "extends") continue;
          const v = entry.value;
          const hop = v.via?.[0];
          if (hop?.kind === "alias") reference(file, index, v, hop, true);
          else if (!v.via && v.kind === "seq" && FLATTENED.has(key)) {
            for (const i of v.items) {
              const h = i.via?.[0];
              if (h?.kind === "alias") reference(file, index, i, h, false);
            }
          }
        }
      }
    }
    return out;
  },
};
