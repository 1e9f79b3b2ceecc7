import type { Model } from "../engine/engine";
import type { CValue, Src } from "../engine/types";
import { spotAt, type Spot } from "../model/locate";
import { inputAt, inputSpec, variableAt } from "./variables";
import { jobAt, variableDefinitions } from "../model/variables";

// Where things are defined: top-level keys (jobs, hidden jobs, keywords) in every file of the
// config, anchors, keys reached by a !reference path, included files.

/** Every place a top-level key is written (a job may be spread over several files). */
export function topLevelDefinitions(model: Model, name: string): Src[] {
  const out: Src[] = [];
  for (const f of model.files.values()) {
    const e = f.content?.kind === "map" ? f.content.entries.get(name) : undefined;
    if (e && e.value.via?.[0]?.kind !== "merge-key") out.push(e.keySrc);
  }
  return out;
}

/** The key a path of names leads to in the merged config (after extends), as GitLab would look it up. */
export function keyAtPath(model: Model, path: readonly string[]): { src: Src; value: CValue } | undefined {
  let v: CValue | undefined = model.merged;
  let src: Src | undefined;
  for (const key of path) {
    if (!v || v.kind !== "map") return undefined;
    const e = v.entries.get(key);
    if (!e) return undefined;
    src = e.keySrc;
    v = e.value;
  }
  return src && v ? { src, value: v } : undefined;
}

function anchorFor(spot: Spot, name: string, before: number): Src | undefined {
  const candidates = spot.file.anchors.filter((a) => a.name === name && a.src.start < before);
  return candidates[candidates.length - 1]?.src;
}

/**
 * The job name a spot names, when it is an `extends` entry, a `needs`/`dependencies` item or a !reference's first item.
 */
export function namedJob(spot: Spot): string | undefined {
  const v = spot.value;
  if (!v || v.kind !== "scalar" || typeof v.value !== "string") return undefined;
  if (spot.reference) return spot.reference.index === 0 ? v.value : undefined;
  const p = spot.path;
  const last = p[p.length - 1];
  const parent = p[p.length - 2];
  if (p.length >= 2 && (last === "extends" || parent === "extends")) return v.value;
  if (p.length >= 2 && (parent === "needs" || parent === "dependencies" || last === "needs" || last === "dependencies"))
    return v.value;
  if (last === "job" && p.includes("needs")) return v.value;
  return undefined;
}

/** Go to definition: where the thing at `offset` of `file` is defined. */
export function definition(model: Model, file: string, offset: number): Src[] {
  const parsed = model.files.get(file);
  if (!parsed) return [];
  // include paths: every file the entry brought in
  const edge = model.includes.find((e) => e.from === file && e.src.start <= offset && offset <= e.src.end);
  const spot = spotAt(parsed, offset);
  if (edge && spot?.value?.kind === "scalar") return edge.targets.map((t) => ({ file: t, start: 0, end: 0 }));
  const input = inputAt(parsed, offset);
  if (input) {
    const spec = inputSpec(parsed, input.name);
    return spec ? [spec.src] : [];
  }
  const variable = variableAt(parsed, offset);
  if (variable) return variableDefinitions(model, variable.name, jobAt(parsed, offset)).map((d) => d.src);
  if (!spot) return [];
  if (spot.alias) {
    const at = anchorFor(spot, spot.alias.name, spot.alias.at.start);
    return at ? [at] : [];
  }
  if (spot.reference && spot.reference.index > 0) {
    const path = spot.reference.ref.items
      .slice(0, spot.reference.index + 1)
      .map((i) => (i.kind === "scalar" ? String(i.value) : ""));
    const found = keyAtPath(model, path);
    return found ? [found.src] : [];
  }
  const job = namedJob(spot);
  if (job !== undefined) return topLevelDefinitions(model, job);
  const last = spot.path[spot.path.length - 1];
  if (last === "stage" && spot.value?.kind === "scalar") {
    const stage = spot.value.value;
    const stages = model.merged.entries.get("stages")?.value;
    const match =
      stages?.kind === "seq" ? stages.items.find((i) => i.kind === "scalar" && i.value === stage) : undefined;
    return match ? [match.src] : [];
  }
  return [];
}
