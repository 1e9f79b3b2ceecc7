import type { JobInfo } from "./jobs";
import type { CMap, CValue, Diagnostic } from "./types";
import { get, str } from "./values";

// Keywords a job may not combine, and the one warning GitLab gives about `rules`, as its job entries
// check them (GL:lib/gitlab/ci/config/entry/processable.rb, entry/job.rb; their specs in
// spec/lib/gitlab/ci/config/entry/job_spec.rb):
// - `script` or `run` with `trigger`, `run` with `script`, `before_script` or `after_script`: "config these
//   keys cannot be used together: <a>, <b>" (mutually_exclusive_keys);
// - `only`, `except` or `start_in` with `rules`: "config key may not be used with `rules`: <keys>"
//   (a key written as null does not count: `ignore_nil`);
// - `start_in` on a job that is not `when: delayed`, or that has `rules`: "start in must be blank";
// - `when: delayed` with no `start_in`: "start in should be a duration";
// - without `workflow:rules`, a last rule that is only a `when` other than `never` "may allow multiple
//   pipelines to run" (a warning; processable.rb#validate_against_warnings).
// A job-level `when` with `rules` was refused once; GitLab accepts it now (the spec that said so is gone).

const NOT_WITH_RULES = ["only", "except", "start_in"];
/** Keys a job may not have together (Processable: script/run with trigger; Job: run with script and its hooks). */
const EXCLUSIVE: ReadonlyArray<readonly [string, string]> = [
  ["script", "trigger"],
  ["run", "trigger"],
  ["script", "run"],
  ["before_script", "run"],
  ["after_script", "run"],
];
const MULTIPLE_PIPELINES_DOCS =
  "https://docs.gitlab.com/ee/ci/jobs/job_troubleshooting.html#job-may-allow-multiple-pipelines-to-run-for-a-single-action-warning";

const isNull = (v: CValue | undefined) => v === undefined || (v.kind === "scalar" && v.value === null);

/** Rules as GitLab reads them: nested lists (from `!reference`) flattened, at most 10 levels. */
export function flatRules(rules: CValue, depth = 0): CValue[] {
  if (rules.kind !== "seq" && rules.kind !== "ref") return [rules];
  if (depth > 10) return [];
  return rules.items.flatMap((r) => (r.kind === "seq" ? flatRules(r, depth + 1) : [r]));
}

export function keywordCombinationDiagnostics(
  jobs: ReadonlyMap<string, JobInfo>,
  workflowHasRules: boolean,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const job of jobs.values()) {
    if ((job.kind !== "job" && job.kind !== "bridge") || job.value.kind !== "map") continue;
    const value: CMap = job.value;
    const rules = get(value, "rules");
    const hasRules = !isNull(rules);
    const where = `jobs:${job.name}`;
    for (const [a, b] of EXCLUSIVE)
      if (value.entries.has(a) && value.entries.has(b))
        out.push({
          src: value.entries.get(b)!.keySrc,
          severity: "error",
          code: "job-keys-exclusive",
          message: `${where} config these keys cannot be used together: ${a}, ${b}`,
          job: job.name,
        });
    if (hasRules) {
      const present = NOT_WITH_RULES.filter((k) => !isNull(get(value, k)));
      if (present.length)
        out.push({
          src: value.entries.get(present[0])!.keySrc,
          severity: "error",
          code: "job-key-with-rules",
          message: `${where} config key may not be used with \`rules\`: ${present.join(", ")}`,
          job: job.name,
        });
    }
    if (job.kind === "job") {
      const delayed = str(get(value, "when")) === "delayed";
      const startIn = value.entries.get("start_in");
      if (startIn && !isNull(startIn.value) && (hasRules || !delayed))
        out.push({
          src: startIn.keySrc,
          severity: "error",
          code: "job-start-in-blank",
          message: `${where} start in must be blank`,
          job: job.name,
        });
      if (delayed && !hasRules && isNull(startIn?.value))
        out.push({
          src: value.entries.get("when")!.value.src,
          severity: "error",
          code: "job-start-in-missing",
          message: `${where} start in should be a duration`,
          job: job.name,
        });
    }
    if (!workflowHasRules && hasRules && (rules!.kind === "seq" || rules!.kind === "ref")) {
      const last = flatRules(rules!).at(-1);
      if (last?.kind === "map" && last.entries.size === 1 && last.entries.has("when")) {
        const when = str(get(last, "when"));
        if (when !== "never")
          out.push({
            src: last.src,
            severity: "warning",
            code: "rules-multiple-pipelines",
            message:
              `${where} may allow multiple pipelines to run for a single action due to \`rules:when\` clause ` +
              `with no \`workflow:rules\` - read more: ${MULTIPLE_PIPELINES_DOCS}`,
            job: job.name,
          });
      }
    }
  }
  return out;
}
