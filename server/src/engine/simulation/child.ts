import type { CMap } from "../types";
import { get } from "../values";
import type { SimulatedJob } from "./simulate";
import type { Situation } from "./situation";

// A trigger job's child pipeline is created for the parent's ref, commit and merge request, with source
// `parent_pipeline` and the variables the trigger job passes down (app/models/ci/bridge.rb: child_params,
// downstream_variables; doc/ci/pipelines/downstream_pipelines.md).

/** What `trigger:forward` passes down: the job's YAML variables (default) and the parent's pipeline variables. */
export interface Forward {
  readonly yamlVariables: boolean;
  readonly pipelineVariables: boolean;
}

/** `trigger:forward` of a trigger job's effective definition, with GitLab's defaults (true, false). */
export function forwardOf(job: CMap | undefined): Forward {
  const forward = get(get(job, "trigger"), "forward");
  const flag = (key: string, otherwise: boolean) => {
    const v = get(forward, key);
    return v?.kind === "scalar" && typeof v.value === "boolean" ? v.value : otherwise;
  };
  return { yamlVariables: flag("yaml_variables", true), pipelineVariables: flag("pipeline_variables", false) };
}

/**
 * The situation of the child pipeline `trigger` starts from `parent`'s, for the config at `configPath`.
 * Its pipeline variables are, later ones winning as in Bridge#calculate_downstream_variables: the trigger job's
 * YAML variables, then the parent's pipeline variables, then its schedule's (both only with
 * `forward:pipeline_variables`). GitLab expands `$VAR` references in them first; they are passed as written here.
 * The child of a merge request pipeline is one too (`merge_request?`): it keeps the MR's diff; any other child
 * has none, so each `changes:` is true.
 */
export function childSituation(
  parent: Situation,
  trigger: SimulatedJob,
  forward: Forward,
  configPath: string,
): Situation {
  const variables = new Map<string, string>();
  if (forward.yamlVariables) for (const [k, v] of trigger.variables) variables.set(k, v);
  if (forward.pipelineVariables) {
    for (const [k, v] of parent.variables) variables.set(k, v);
    for (const [k, v] of parent.schedule?.variables ?? []) variables.set(k, v);
  }
  return {
    ...parent,
    source: "parent_pipeline",
    variables,
    schedule: undefined,
    changes: parent.mergeRequest ? parent.changes : undefined,
    configPath,
  };
}
