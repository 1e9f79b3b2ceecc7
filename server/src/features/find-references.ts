import type { Model } from "../engine/engine";
import type { CValue, Src, TextEdit } from "../engine/types";
import { anchorCopy } from "../engine/values";
import { namedJob } from "./definitions";
import { spotAt } from "../model/locate";

// Find references and rename for jobs, hidden jobs and anchors. Each place is the exact range of
// the name (inside quotes, after `*` or `&`), so a rename is a list of plain replacements.

export interface Occurrences {
  readonly name: string;
  readonly kind: "job" | "anchor";
  /** Ranges of the name itself, definitions first. */
  readonly places: readonly Src[];
}

/** The name after an anchor's `&` or an alias's `*`. */
const afterSigil = (src: Src): Src => ({ file: src.file, start: src.start + 1, end: src.end });

function jobOccurrences(model: Model, name: string): Src[] {
  const defs: Src[] = [];
  const uses: Src[] = [];
  const visit = (v: CValue, path: Array<string | number>) => {
    if (anchorCopy(v)) return;
    const last = path[path.length - 1];
    const parent = path[path.length - 2];
    if (v.kind === "scalar" && v.value === name) {
      const named =
        last === "extends" ||
        parent === "extends" ||
        parent === "needs" ||
        parent === "dependencies" ||
        last === "needs" ||
        last === "dependencies" ||
        (last === "job" && path.includes("needs")) ||
        last === "on_stop";
      if (named) uses.push(v.inner ?? v.src);
    } else if (v.kind === "ref") {
      const first = v.items[0];
      if (first?.kind === "scalar" && first.value === name) uses.push(first.inner ?? first.src);
    } else if (v.kind === "seq") {
      v.items.forEach((i, n) => visit(i, [...path, n]));
    } else if (v.kind === "map") {
      for (const e of v.entries.values()) {
        if (anchorCopy(e.value)) continue;
        if (path.length === 0 && e.key === name) defs.push(e.keyInner ?? e.keySrc);
        visit(e.value, [...path, e.key]);
      }
    }
  };
  for (const f of model.files.values()) if (f.content) visit(f.content, []);
  return [...defs, ...uses];
}

function anchorOccurrences(model: Model, file: string, name: string): Src[] {
  const parsed = model.files.get(file);
  if (!parsed) return [];
  const out: Src[] = parsed.anchors.filter((a) => a.name === name).map((a) => a.src);
  const visit = (v: CValue) => {
    const hop = anchorCopy(v);
    if (hop && hop.name === name && hop.at.file === file) {
      if (!out.some((s) => s.start === hop.at.start)) out.push(hop.at);
      return;
    }
    if (v.kind === "seq" || v.kind === "ref") v.items.forEach(visit);
    if (v.kind === "map") for (const e of v.entries.values()) visit(e.value);
  };
  for (const doc of [parsed.header, parsed.content]) if (doc) visit(doc);
  return out.map(afterSigil).sort((a, b) => a.start - b.start);
}

export function occurrences(model: Model, file: string, offset: number): Occurrences | undefined {
  const parsed = model.files.get(file);
  const spot = parsed && spotAt(parsed, offset);
  if (!spot) return undefined;
  if (spot.alias)
    return { name: spot.alias.name, kind: "anchor", places: anchorOccurrences(model, file, spot.alias.name) };
  const anchor = parsed.anchors.find((a) => a.src.start <= offset && offset <= a.src.end);
  if (anchor) return { name: anchor.name, kind: "anchor", places: anchorOccurrences(model, file, anchor.name) };
  const name = spot.key && spot.path.length === 1 && !spot.inHeader ? spot.key.key : namedJob(spot);
  if (name === undefined || !model.jobs.has(name)) return undefined;
  return { name, kind: "job", places: jobOccurrences(model, name) };
}

/** Every edit a rename makes, across all files of the config. */
export function rename(model: Model, file: string, offset: number, newName: string): TextEdit[] | undefined {
  const occ = occurrences(model, file, offset);
  return occ?.places.map((src) => ({ src, newText: newName }));
}
