import type { Situation } from "../engine/simulation/situation";
import type { Located } from "../workspace/diagnostics";
import { describeSituation } from "../workspace/scenario";
import type { SimulatedPipeline } from "../workspace/workspace";

// `pipewright pipeline`: the simulated pipeline to text or JSON (the JSON shape is a contract: tests and tools
// read it). Its flags are workspace/scenario-flags.ts's, which the editor's pipeline view reads too.

export const PIPELINE_USAGE = `  pipewright pipeline [DIR] [--root FILE] [--source SOURCE] [--branch NAME | --tag NAME]
      [--default-branch NAME] [--project PATH] [--mr-target NAME] [--mr-labels A,B] [--mr-title TEXT]
      [--mr-event detached|merged_result|merge_train] [--var KEY=VALUE]...
      [--changed PATH]... [--changes none|unknown] [--scenario NAME] [--format text|json]
      Show the pipeline GitLab would create: for a push to the default branch unless told
      otherwise; --scenario starts from a scenario of .pipewright.yml, the flags over it.
      Exit status: 1 when no pipeline would be created or the config is invalid.
`;

const line = (at: Located | undefined) => (at ? { file: at.file, line: at.range.start.line + 1 } : null);
const record = (m: ReadonlyMap<string, string>) => Object.fromEntries(m);

type LineJson = { file: string; line: number } | null;
type ProblemJson = { message: string; file: string | null; line: number | null };

/** The JSON contract of `pipewright pipeline --format json` (docs/pipeline.md). */
export interface PipelineJson {
  created: boolean;
  message: string | null;
  name: string | null;
  variables: Record<string, string>;
  stages: Array<{ name: string; jobs: string[] }>;
  jobs: Array<{
    name: string;
    stage: string;
    when: string;
    allowFailure: boolean;
    startIn: string | null;
    variables: Record<string, string>;
    needs: string[] | null;
    rule: LineJson;
  }>;
  errors: ProblemJson[];
  warnings: ProblemJson[];
  /** The child pipelines of its trigger jobs, each with the trigger job and the child's config file. */
  children: ChildJson[];
}

export function pipelineJson(p: SimulatedPipeline): PipelineJson {
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
    children: p.children.map((c): ChildJson => ({ job: c.job, file: c.file, ...pipelineJson(c.pipeline) })),
  };
}

type ChildJson = { job: string; file: string } & PipelineJson;

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
    const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
    out.push(
      `pipeline${p.name ? ` "${p.name}"` : ""}: ${count(p.jobs.length, "job")} in ${count(p.stages.length, "stage")}`,
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
  for (const c of p.children) {
    out.push(`child pipeline of ${c.job} (${c.file}):`);
    const child = pipelineText(c.pipeline, { ...s, source: "parent_pipeline" })
      .split("\n")
      .slice(1, -1);
    for (const l of child) out.push(`  ${l}`);
  }
  return out.join("\n") + "\n";
}
