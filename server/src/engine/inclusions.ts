import type { Diagnostic, Inclusion } from "./types";

// A file with a `spec:` header is interpolated once per inclusion, so one mistake written in it is
// found once per inclusion, at the same place. The findings say which inclusion they come from, so
// the workspace can show them as one, with every inclusion as related information.

/** An inclusion, and the top-level keys (the jobs' names, interpolated) the file defines in it. */
export interface InclusionKeys extends Inclusion {
  readonly keys: readonly string[];
}

/**
 * Findings about a job that an inclusion of a templated file defines, written in that file, marked
 * with the inclusion (the last one that defines the job: the deep merge keeps the last); those
 * already marked, and the others, as they are.
 */
export function markInclusions(diags: readonly Diagnostic[], inclusions: readonly InclusionKeys[]): Diagnostic[] {
  if (inclusions.length === 0) return [...diags];
  const byJob = new Map<string, Inclusion>();
  for (const i of inclusions) {
    const inclusion: Inclusion = { file: i.file, at: i.at, inputs: i.inputs };
    for (const k of i.keys) byJob.set(`${i.file}\u0000${k}`, inclusion);
  }
  return diags.map((d) => {
    if (d.inclusion || d.job === undefined) return d;
    const inclusion = byJob.get(`${d.src.file}\u0000${d.job}`);
    return inclusion ? { ...d, inclusion } : d;
  });
}

/** Findings of one inclusion's file, written in it, marked with the inclusion. */
export function markInclusion(diags: readonly Diagnostic[], inclusion: Inclusion): Diagnostic[] {
  return diags.map((d) => (d.inclusion || d.src.file !== inclusion.file ? d : { ...d, inclusion }));
}

/** Where the finding's inclusion is written, as part of a key; empty when it has none. */
export function inclusionKey(d: Diagnostic): string {
  const at = d.inclusion?.at;
  return at ? `${at.file}:${at.start}:${at.end}` : "";
}
