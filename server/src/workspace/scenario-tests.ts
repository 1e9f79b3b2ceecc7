import type { Located } from "./diagnostics";
import type { NamedScenario } from "./scenario-settings";
import type { SimulatedPipeline } from "./workspace";

// A scenario's expectations checked against its simulated pipeline: one check per expectation,
// each saying, when it fails, what happened instead and which rule decided it.

export interface Check {
  /** What is expected, e.g. "runs rspec unit". */
  readonly name: string;
  readonly ok: boolean;
  /** What happened instead (failed checks only). */
  readonly message?: string;
}

export interface ScenarioResult {
  readonly scenario: NamedScenario;
  readonly pipeline: SimulatedPipeline;
  readonly checks: readonly Check[];
}

const where = (at: Located | undefined) => (at ? ` (${at.file}:${at.range.start.line + 1})` : "");

/** A job of the pipeline by name, or a parallel copy of it (`job 1/2`, `job: [a]`). */
function findJobs<T extends { name: string }>(jobs: readonly T[], name: string): T[] {
  const exact = jobs.filter((j) => j.name === name);
  return exact.length ? exact : jobs.filter((j) => j.name.startsWith(`${name} `) || j.name.startsWith(`${name}: [`));
}

export function checkScenario(scenario: NamedScenario, p: SimulatedPipeline): Check[] {
  const out: Check[] = [];
  const expect = scenario.expect;
  const noPipeline = p.created ? undefined : `no pipeline is created: ${p.message ?? "unknown reason"}`;
  if (expect.created !== undefined) {
    const name = expect.created ? "creates a pipeline" : "creates no pipeline";
    out.push(
      expect.created === p.created
        ? { name, ok: true }
        : { name, ok: false, message: noPipeline ?? `a pipeline of ${p.jobs.length} jobs is created` },
    );
  }
  const absent = (job: string): string => {
    const left = findJobs(p.notCreated, job)[0];
    if (!left) return `there is no job ${job}`;
    const why = {
      "rule-never": "a rule says never",
      "no-rule-matched": "no rule matched",
      "only-except": "only/except",
    };
    return `${job} is not created: ${why[left.reason]}${where(left.decidedBy ?? left.src)}`;
  };
  for (const job of expect.run) {
    const name = `runs ${job}`;
    if (noPipeline) out.push({ name, ok: false, message: noPipeline });
    else out.push(findJobs(p.jobs, job).length ? { name, ok: true } : { name, ok: false, message: absent(job) });
  }
  for (const job of expect.skip) {
    const name = `does not run ${job}`;
    const found = p.created ? findJobs(p.jobs, job)[0] : undefined;
    out.push(
      found
        ? { name, ok: false, message: `${found.name} runs (${found.when})${where(found.decidedBy ?? found.src)}` }
        : { name, ok: true },
    );
  }
  for (const [job, when] of Object.entries(expect.when)) {
    const name = `runs ${job} as ${when}`;
    const found = findJobs(p.jobs, job);
    if (noPipeline) out.push({ name, ok: false, message: noPipeline });
    else if (!found.length) out.push({ name, ok: false, message: absent(job) });
    else {
      const other = found.find((j) => j.when !== when);
      out.push(
        other
          ? { name, ok: false, message: `${other.name} runs as ${other.when}${where(other.decidedBy ?? other.src)}` }
          : { name, ok: true },
      );
    }
  }
  return out;
}
