import type { Diagnostic } from "../engine/types";
import { get } from "../engine/values";
import { definedVariables } from "../model/variables";
import type { LintRule } from "./rule";

// The Dagger CLI starts an engine of its own version, and a module records the engine it was
// developed with (dagger.json engineVersion). When the CI pins another CLI version, pipelines
// run the module on an engine it was not generated for, which local runs never show.

const ID = "dagger-version-drift";

export const daggerVersionDrift: LintRule = {
  id: ID,
  severity: "warning",
  summary: "DAGGER_VERSION in the CI differs from the Dagger module's engineVersion",
  check(model, context) {
    const engine = context.daggerEngineVersion?.()?.replace(/^v/, "");
    if (!engine) return [];
    const out: Diagnostic[] = [];
    for (const site of definedVariables(model)) {
      if (site.name !== "DAGGER_VERSION" || site.value.via?.length) continue;
      const pin = site.value.kind === "map" ? (get(site.value, "value") ?? site.value) : site.value;
      const value = pin.kind === "scalar" && pin.value !== null ? String(pin.value) : undefined;
      if (value === undefined || value.includes("$") || value.replace(/^v/, "") === engine) continue;
      out.push({
        src: pin.src,
        severity: "warning",
        code: ID,
        message:
          `DAGGER_VERSION ${value} installs a CLI, and so an engine, other than the ` +
          `module's engineVersion v${engine} in dagger.json: pin the same version`,
        fixes: [{ title: `Pin DAGGER_VERSION to ${engine}`, edits: [{ src: pin.src, newText: `"${engine}"` }] }],
      });
    }
    return out;
  },
};
