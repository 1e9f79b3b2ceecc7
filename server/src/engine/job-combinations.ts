import type { JobInfo } from "./jobs";
import type { CMap, CValue, Diagnostic } from "./types";
import { untrustedRegexp } from "./untrusted-regexp";
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
// - `publish` outside a pages job (named `pages`, or with `pages:` set): "publish can only be used within a
//   `pages` job" (entry/job.rb);
// - a trigger job with `parallel: <number>`: "parallel config cannot use "parallel: <number>"." (entry/bridge.rb
//   allows only the matrix strategy);
// - more than 5 needs on other pipelines' (or other projects') jobs: "needs config must be less than or equal
//   to 5" (entry/needs.rb).
// - an only/except ref written as a regular expression (`/.../flags`) that RE2 cannot compile, or with flags
//   other than i, s, m, U: "config should be an array of strings or regular expressions using re2 syntax"
//   (ArrayOfStringsOrRegexpsValidator, lib/gitlab/config/entry/validators.rb, and UntrustedRegexp::RubySyntax).
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
/** Ruby's `present?`: not nil, false, blank text or an empty list or map. */
const present = (v: CValue | undefined) =>
  v !== undefined &&
  !(
    v.kind === "scalar" &&
    (v.value === null || v.value === false || (typeof v.value === "string" && !v.value.trim()))
  ) &&
  !(v.kind === "seq" && v.items.length === 0) &&
  !(v.kind === "map" && v.entries.size === 0);
/** Needs on jobs of other pipelines (`{pipeline:, job:}`), or of other projects, a job may have (Entry::Needs). */
export const MAX_CROSS_PIPELINE_NEEDS = 5;

/** Rules as GitLab reads them: nested lists (from `!reference`) flattened, at most 10 levels. */
export function flatRules(rules: CValue, depth = 0): CValue[] {
  if (rules.kind !== "seq" && rules.kind !== "ref") return [rules];
  if (depth > 10) return [];
  return rules.items.flatMap((r) => (r.kind === "seq" ? flatRules(r, depth + 1) : [r]));
}

/** Whether each only/except ref text seen is valid: compiling them for every job on every analysis cost most. */
const refVerdicts = new Map<string, boolean>();
const MAX_REF_VERDICTS = 10_000;

/** Whether GitLab takes an only/except ref: a plain name, or `/pattern/flags` that RE2 compiles. */
function validRef(ref: string): boolean {
  let valid = refVerdicts.get(ref);
  if (valid === undefined) {
    if (refVerdicts.size >= MAX_REF_VERDICTS) refVerdicts.clear();
    valid = compiles(ref);
    refVerdicts.set(ref, valid);
  }
  return valid;
}

function compiles(ref: string): boolean {
  const m = /^\/(.*)\/([a-z]*)$/s.exec(ref);
  if (!m) return true;
  if (!/^[ismU]*$/.test(m[2])) return false;
  return untrustedRegexp(m[2] ? `(?${m[2]})${m[1]}` : m[1]) !== undefined;
}

/** The only/except refs RE2 cannot read, each with GitLab's error for its place. */
function policyRefs(where: string, key: "only" | "except", policy: CValue | undefined, job: string): Diagnostic[] {
  const list = policy?.kind === "map" ? get(policy, "refs") : policy;
  if (list?.kind !== "seq") return [];
  const bad = list.items.find((r) => r.kind === "scalar" && typeof r.value === "string" && !validRef(r.value));
  if (!bad) return [];
  const attribute = policy?.kind === "map" ? "refs" : "config";
  return [
    {
      src: bad.src,
      severity: "error",
      code: "policy-regexp-invalid",
      message: `${where}:${key} ${attribute} should be an array of strings or regular expressions using re2 syntax`,
      job,
    },
  ];
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
    for (const key of ["only", "except"] as const) out.push(...policyRefs(where, key, get(value, key), job.name));
    const publish = value.entries.get("publish");
    if (
      job.kind === "job" &&
      publish &&
      !isNull(publish.value) &&
      job.name !== "pages" &&
      !present(get(value, "pages"))
    )
      out.push({
        src: publish.keySrc,
        severity: "error",
        code: "job-publish-outside-pages",
        message: `${where} publish can only be used within a \`pages\` job`,
        job: job.name,
      });
    const parallel = get(value, "parallel");
    if (job.kind === "bridge" && parallel?.kind === "scalar" && typeof parallel.value === "number")
      out.push({
        src: parallel.src,
        severity: "error",
        code: "bridge-parallel-number",
        message: `${where}:parallel config cannot use "parallel: <number>".`,
        job: job.name,
      });
    const needs = get(value, "needs");
    // other pipelines' jobs, and (GitLab EE's Needs) other projects' jobs, count separately
    const cross = (key: string) =>
      needs?.kind === "seq"
        ? needs.items.filter((n) => n.kind === "map" && n.entries.has(key) && n.entries.has("job")).length
        : 0;
    if (cross("pipeline") > MAX_CROSS_PIPELINE_NEEDS || cross("project") > MAX_CROSS_PIPELINE_NEEDS)
      out.push({
        src: needs!.src,
        severity: "error",
        code: "needs-cross-pipeline-limit",
        message: `${where}:needs config must be less than or equal to ${MAX_CROSS_PIPELINE_NEEDS}`,
        job: job.name,
      });
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
