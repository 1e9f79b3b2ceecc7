import type { CValue, Diagnostic } from "../engine/types";
import { get } from "../engine/values";
import type { LintRule } from "./registry";

// The Dagger CLI starts an engine of its own version, and a module records the engine it was
// developed with (dagger.json engineVersion). When the CI pins another CLI version, pipelines
// run the module on an engine it was not generated for, which local runs never show.

const ID = "dagger-version-drift";

function pins(content: CValue | undefined): CValue[] {
  const out: CValue[] = [];
  const of = (vars: CValue | undefined) => {
    const v = get(vars, "DAGGER_VERSION");
    if (v && !v.via?.length) out.push(v.kind === "map" ? (get(v, "value") ?? v) : v);
  };
  if (content?.kind !== "map") return out;
  for (const e of content.entries.values()) {
    if (e.key === "variables") of(e.value);
    else if (e.value.kind === "map") of(get(e.value, "variables"));
  }
  return out;
}

export const daggerVersionDrift: LintRule = {
  id: ID,
  severity: "warning",
  summary: "DAGGER_VERSION in the CI differs from the Dagger module's engineVersion",
  check(model, context) {
    const engine = context.daggerEngineVersion?.()?.replace(/^v/, "");
    if (!engine) return [];
    const out: Diagnostic[] = [];
    for (const file of model.files.values()) {
      for (const pin of pins(file.content)) {
        const value = pin.kind === "scalar" && pin.value !== null ? String(pin.value) : undefined;
        if (value === undefined || value.includes("$") || value.replace(/^v/, "") === engine) continue;
        out.push({
          src: pin.src,
          severity: "warning",
          code: ID,
          message: `DAGGER_VERSION ${value} installs a CLI, and so an engine, other than the module's engineVersion v${engine} in dagger.json: pin the same version`,
          fixes: [{ title: `Pin DAGGER_VERSION to ${engine}`, edits: [{ src: pin.src, newText: `"${engine}"` }] }],
        });
      }
    }
    return out;
  },
};
