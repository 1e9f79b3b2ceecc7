import type { Model } from "../engine/engine";
import type { CMap, CValue, Src } from "../engine/types";
import { get, str } from "../engine/values";

// Questions about jobs that lints and features share: which jobs inherit a template, where a
// value of a job was written, what a job's effective definition says.

/** Visible jobs (not trigger jobs) with their effective definitions. */
export function visibleJobs(model: Model): Array<[string, CMap]> {
  const out: Array<[string, CMap]> = [];
  for (const j of model.jobs.values()) {
    if (j.kind !== "job") continue;
    const eff = model.effectiveJob(j.name);
    if (eff) out.push([j.name, eff]);
  }
  return out;
}

/** Whether `name` inherits from `template` through extends, at any depth. */
export function extendsTemplate(model: Model, name: string, template: string): boolean {
  const seen = new Set<string>();
  const walk = (n: string): boolean =>
    (model.extendsParents.get(n) ?? []).some(
      (p) => p.name === template || (!seen.has(p.name) && (seen.add(p.name), walk(p.name))),
    );
  return walk(name);
}

/** Visible jobs with their resolved value (before flattening and defaults) and effective definition. */
export function jobsExtending(
  model: Model,
  template: string,
): Array<{ name: string; resolved: CMap; effective: CMap }> {
  const out: Array<{ name: string; resolved: CMap; effective: CMap }> = [];
  for (const j of model.jobs.values()) {
    if (j.kind !== "job" || j.value.kind !== "map" || !extendsTemplate(model, j.name, template)) continue;
    const effective = model.effectiveJob(j.name);
    if (effective) out.push({ name: j.name, resolved: j.value, effective });
  }
  return out;
}

/** Where a value was put under its key, and whether that text may be edited for this key alone. */
export interface Written {
  readonly at: Src;
  /** The value is written there literally (not through an alias, a merge key or a !reference). */
  readonly literal: boolean;
  /** The job or template whose own mapping holds the value; undefined when a merge key brought it. */
  readonly owner: string | undefined;
}

/**
 * Extends hops only say which template the value came from; the first alias or !reference hop
 * after them is the text that placed it under the key. A merge key copies the key and value
 * from the anchored map, so the value itself is still where it is written, but shared.
 */
export function writtenAt(value: CValue, job: string): Written {
  let owner: string | undefined = job;
  let literal = true;
  for (const hop of value.via ?? []) {
    if (hop.kind === "extends") {
      if (literal && owner !== undefined) owner = hop.name;
    } else if (hop.kind === "alias" || hop.kind === "reference") {
      return { at: hop.at, literal: false, owner };
    } else if (hop.kind === "merge-key") {
      literal = false;
      owner = undefined;
    }
  }
  return { at: value.src, literal, owner };
}

/** A job whose effective GIT_STRATEGY is clone or fetch has the repository whatever its template says. */
export function clonesAnyway(effective: CMap): boolean {
  const strategy = str(get(get(effective, "variables"), "GIT_STRATEGY"));
  return strategy === "clone" || strategy === "fetch";
}
