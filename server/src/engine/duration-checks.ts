import { MAX_JOB_TIMEOUT_SECONDS, MAX_START_IN_SECONDS, parseDuration } from "./duration";
import { flatRules } from "./job-combinations";
import type { JobInfo } from "./jobs";
import type { CMap, CValue, Diagnostic } from "./types";
import { get, str } from "./values";

// The durations GitLab's entries validate, with GitLab's words (its DurationValidator adds "should be
// a duration" and, with a limit, "should not exceed the limit"; LegacyValidationHelpers#validate_duration):
// - `timeout` of a job or of `default:` (Entry::Timeout, limit Project::MAX_BUILD_TIMEOUT): "jobs:<job>:timeout
//   config should be a duration";
// - `start_in` of a delayed job (Entry::Job, limit one week): "jobs:<job> start in should be a duration";
//   of a delayed rule (Entry::Rules::Rule): "jobs:<job>:rules:rule start in ...";
// - `expire_in` of `artifacts` and `pages` (Gitlab::Ci::Build::DurationParser, which also takes "never").
// A value that is not a string is the schema's to report; a missing `start_in` is job-start-in-missing's.

type Kind = "invalid" | "limit";

function verdict(text: string, limit: number | undefined): Kind | undefined {
  const seconds = parseDuration(text);
  if (seconds === undefined) return "invalid";
  // GitLab compares `value.second.from_now < limit.second.from_now`, the limit read a moment later:
  // a value equal to the limit passes
  return limit !== undefined && seconds > limit ? "limit" : undefined;
}

function check(
  value: CValue | undefined,
  where: string,
  limit: number | undefined,
  job: string | undefined,
  out: Diagnostic[],
  allowNever = false,
): void {
  const text = str(value);
  if (text === undefined || text.includes("$[[")) return;
  if (allowNever && text.toLowerCase() === "never") return;
  const kind = verdict(text, limit);
  if (!kind) return;
  out.push({
    src: value!.src,
    severity: "error",
    code: kind === "invalid" ? "duration-invalid" : "duration-over-limit",
    message: `${where} ${kind === "invalid" ? "should be a duration" : "should not exceed the limit"}`,
    job,
  });
}

/** `artifacts:expire_in` and the timeout, wherever a job's keywords are written (a job, `default:`). */
function checkKeywords(keywords: CMap, location: string, job: string | undefined, out: Diagnostic[]): void {
  check(get(keywords, "timeout"), `${location}:timeout config`, MAX_JOB_TIMEOUT_SECONDS, job, out);
  check(get(get(keywords, "artifacts"), "expire_in"), `${location}:artifacts expire in`, undefined, job, out, true);
}

export function durationDiagnostics(jobs: ReadonlyMap<string, JobInfo>, merged: CMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  const defaults = get(merged, "default");
  if (defaults?.kind === "map") checkKeywords(defaults, "default", undefined, out);
  for (const job of jobs.values()) {
    if (job.kind !== "job" || job.value.kind !== "map") continue;
    let kept = perJob.get(job.value);
    if (kept?.name !== job.name)
      perJob.set(job.value, (kept = { name: job.name, found: jobDiagnostics(job.name, job.value) }));
    out.push(...kept.found);
  }
  return out;
}

/** Each job's findings, kept with its resolved value: an edit changes few jobs, and the rest cost a lookup. */
const perJob = new WeakMap<CMap, { readonly name: string; readonly found: readonly Diagnostic[] }>();

function jobDiagnostics(name: string, value: CMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  const where = `jobs:${name}`;
  checkKeywords(value, where, name, out);
  check(get(get(value, "pages"), "expire_in"), `${where}:pages expire in`, undefined, name, out, true);
  const rules = get(value, "rules");
  if (rules && (rules.kind === "seq" || rules.kind === "ref")) {
    for (const rule of flatRules(rules))
      if (str(get(rule, "when")) === "delayed")
        check(get(rule, "start_in"), `${where}:rules:rule start in`, MAX_START_IN_SECONDS, name, out);
  } else if (str(get(value, "when")) === "delayed") {
    check(get(value, "start_in"), `${where} start in`, MAX_START_IN_SECONDS, name, out);
  }
  return out;
}
