import type { Situation } from "../engine/simulation/situation";
import type { Located } from "../workspace/diagnostics";
import { MR_EVENTS, PIPELINE_SOURCES, type Scenario } from "../workspace/scenario";
import type { SimulatedPipeline } from "../workspace/workspace";

// `pipewright pipeline`: its flags to a scenario, and the simulated pipeline to text or JSON (the
// JSON shape is a contract: tests and tools read it).

export const PIPELINE_USAGE = `  pipewright pipeline [DIR] [--root FILE] [--source SOURCE] [--branch NAME | --tag NAME]
      [--default-branch NAME] [--project PATH] [--mr-target NAME] [--mr-labels A,B] [--mr-title TEXT]
      [--mr-event detached|merged_result|merge_train] [--var KEY=VALUE]...
      [--changed PATH]... [--changes none|unknown] [--scenario NAME] [--format text|json]
      Show the pipeline GitLab would create: for a push to the default branch unless told
      otherwise; --scenario starts from a scenario of .pipewright.yml, the flags over it.
      Exit status: 1 when no pipeline would be created or the config is invalid.
`;

/** Reads one pipeline flag at `argv[i]`; returns how many items it took (0: not a pipeline flag). */
export function pipelineFlag(
  argv: readonly string[],
  i: number,
  scenario: Mutable<Scenario>,
  fail: (message: string) => never,
): number {
  const flag = argv[i];
  const value = () => {
    const v = argv[i + 1];
    if (v === undefined) fail(`${flag} needs a value`);
    return v;
  };
  switch (flag) {
    case "--scenario":
      scenario.name = value();
      return 2;
    case "--source": {
      const v = value();
      if (!(PIPELINE_SOURCES as readonly string[]).includes(v))
        fail(`--source must be one of ${PIPELINE_SOURCES.join(", ")}`);
      scenario.source = v as Scenario["source"];
      return 2;
    }
    case "--branch":
      if (scenario.tag !== undefined) fail("--branch and --tag cannot be used together");
      scenario.branch = value();
      return 2;
    case "--tag":
      if (scenario.branch !== undefined) fail("--branch and --tag cannot be used together");
      scenario.tag = value();
      return 2;
    case "--default-branch":
      scenario.defaultBranch = value();
      return 2;
    case "--project":
      scenario.project = value();
      return 2;
    case "--mr-target":
      scenario.mrTarget = value();
      return 2;
    case "--mr-labels":
      scenario.mrLabels = value()
        .split(",")
        .map((l) => l.trim())
        .filter(Boolean);
      return 2;
    case "--mr-title":
      scenario.mrTitle = value();
      return 2;
    case "--mr-event": {
      const v = value();
      if (!(MR_EVENTS as readonly string[]).includes(v)) fail(`--mr-event must be one of ${MR_EVENTS.join(", ")}`);
      scenario.mrEvent = v as Scenario["mrEvent"];
      return 2;
    }
    case "--var": {
      const v = value();
      const eq = v.indexOf("=");
      if (eq <= 0) fail(`--var takes KEY=VALUE, not ${v}`);
      scenario.variables = { ...scenario.variables, [v.slice(0, eq)]: v.slice(eq + 1) };
      return 2;
    }
    case "--changed":
      if (scenario.changes !== undefined) fail("--changed and --changes cannot be used together");
      scenario.changed = [...(scenario.changed ?? []), value().replace(/\\/g, "/").replace(/^\.\//, "")];
      return 2;
    case "--changes": {
      const v = value();
      if (v !== "none" && v !== "unknown") fail("--changes must be none or unknown");
      if (scenario.changed !== undefined) fail("--changed and --changes cannot be used together");
      scenario.changes = v;
      return 2;
    }
    default:
      return 0;
  }
}

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const line = (at: Located | undefined) => (at ? { file: at.file, line: at.range.start.line + 1 } : null);
const record = (m: ReadonlyMap<string, string>) => Object.fromEntries(m);

/** The JSON contract of `pipewright pipeline --format json`. */
export function pipelineJson(p: SimulatedPipeline) {
  const problems = (list: SimulatedPipeline["errors"]) =>
    list.map((e) => ({ message: e.message, file: e.at?.file ?? null, line: e.at ? e.at.range.start.line + 1 : null }));
  return {
    created: p.created,
    message: p.message ?? null,
    name: p.name ?? null,
    variables: record(p.variables),
    stages: p.stages.map((s) => ({ name: s.name, jobs: [...s.jobs] })),
    jobs: p.jobs.map((j) => ({
      name: j.name,
      stage: j.stage,
      when: j.when,
      allowFailure: j.allowFailure,
      startIn: j.startIn ?? null,
      variables: record(j.variables),
      needs: j.needs ? [...j.needs] : null,
      rule: line(j.decidedBy),
    })),
    errors: problems(p.errors),
    warnings: problems(p.warnings),
  };
}

/** What the situation is, in a few words: "push to main", "merge request from feature into main". */
export function describeSituation(s: Situation): string {
  const ref = `${s.ref.kind} ${s.ref.name}`;
  if (s.mergeRequest) {
    const event = s.mergeRequest.event === "detached" ? "" : ` (${s.mergeRequest.event.replace("_", " ")})`;
    return `merge request from ${s.ref.name} into ${s.mergeRequest.targetBranch}${event}`;
  }
  if (s.source === "push") return `push to ${ref}`;
  return `${s.source} pipeline for ${ref}`;
}

/** The pipeline as GitLab draws it: stage by stage, each job with its `when` and the rule that decided it. */
export function pipelineText(p: SimulatedPipeline, s: Situation): string {
  const out: string[] = [];
  const where = (at: Located | undefined) => (at ? `${at.file}:${at.range.start.line + 1}` : "");
  const n = s.changes?.length;
  const changes = n === undefined ? "no diff: every changes: is true" : `${n} changed file${n === 1 ? "" : "s"}`;
  out.push(`${describeSituation(s)} in ${s.projectPath} (${changes})`);
  if (!p.created) {
    out.push(`no pipeline: ${p.message ?? "not created"}`);
    for (const e of p.errors) if (e.message !== p.message) out.push(`  ${where(e.at)}: ${e.message}`);
    if (p.workflowRule) out.push(`  decided by the workflow rule at ${where(p.workflowRule)}`);
  } else {
    const jobs = p.jobs.length;
    out.push(
      `pipeline${p.name ? ` "${p.name}"` : ""}: ${jobs} job${jobs === 1 ? "" : "s"} in ${p.stages.length} stages`,
    );
    const width = Math.min(60, Math.max(...p.jobs.map((j) => j.name.length)));
    for (const stage of p.stages) {
      out.push(stage.name);
      for (const j of p.jobs.filter((x) => x.stage === stage.name)) {
        const when = j.when + (j.allowFailure ? " (may fail)" : "") + (j.startIn ? ` in ${j.startIn}` : "");
        const rule = j.decidedBy ? `  ${where(j.decidedBy)}` : "";
        out.push(`  ${j.name.padEnd(width)}  ${when.padEnd(22)}${rule}`.trimEnd());
      }
    }
  }
  if (p.notCreated.length) {
    out.push(`not created: ${p.notCreated.length}`);
    for (const j of p.notCreated) {
      const why = { "rule-never": "when: never", "no-rule-matched": "no rule matched", "only-except": "only/except" }[
        j.reason
      ];
      out.push(`  ${j.name}  ${why}${j.decidedBy ? `  ${where(j.decidedBy)}` : ""}`);
    }
  }
  for (const w of p.warnings) out.push(`warning: ${w.at ? `${where(w.at)}: ` : ""}${w.message}`);
  return out.join("\n") + "\n";
}
