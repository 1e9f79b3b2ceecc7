// spec/lib/gitlab/ci/config/entry/retry_spec.rb: `retry` of job `rspec` ("jobs:rspec:retry ...").
import { ci, type SpecCase } from "./types";

const RETRY = "spec/lib/gitlab/ci/config/entry/retry_spec.rb";

/** Job `rspec` with `key: flow`. */
function rspec(key: string, flow: string): Record<string, string> {
  return ci("rspec:", "  script: rspec", `  ${key}: ${flow}`);
}

function valid(spec: string, example: string, key: string, flow: string, pending?: string): SpecCase {
  return { spec, example, files: rspec(key, flow), expect: { valid: true }, pending };
}

function error(spec: string, example: string, key: string, flow: string, text: string, pending?: string): SpecCase {
  return { spec, example, files: rspec(key, flow), expect: { error: text }, pending };
}

const RETRY_WHEN = [
  "always",
  "unknown_failure",
  "script_failure",
  "api_failure",
  "stuck_or_timeout_failure",
  "stuck_pending_with_matching_runners",
  "stuck_pending_no_matching_runners",
  "no_updates_running",
  "no_updates_canceling",
  "server_timeout_running",
  "server_timeout_canceling",
  "runner_system_failure",
  "runner_configuration_error",
  "runner_external_dependency_failure",
  "runner_interrupted",
  "runner_unsupported",
  "stale_schedule",
  "job_execution_timeout",
  "job_execution_server_timeout",
  "archived_failure",
  "unmet_prerequisites",
  "scheduler_failure",
  "data_integrity_failure",
];

/** The documented reasons our schema's enum lacks. */

export const retryCases: SpecCase[] = [
  valid(RETRY, "validation › when retry value is correct › when it is a numeric", "retry", "2"),
  valid(
    RETRY,
    "validation › ... › when it is a hash › with hash values exit_codes",
    "retry",
    "{exit_codes: [255, 142]}",
  ),
  valid(
    RETRY,
    "validation › ... › when it is a hash › with array when",
    "retry",
    "{when: [unknown_failure, runner_system_failure]}",
  ),
  ...RETRY_WHEN.map((reason) =>
    valid(RETRY, `validation › ... › with when from documentation \`${reason}\``, "retry", `{max: 2, when: ${reason}}`),
  ),
  error(
    RETRY,
    "validation › when retry value is not correct › when it is not a numeric nor an array",
    "retry",
    "true",
    "jobs:rspec:retry config has to be either an integer or a hash",
  ),
  error(
    RETRY,
    "... › when it is a numeric › when it is lower than zero",
    "retry",
    "-1",
    "jobs:rspec:retry config must be greater than or equal to 0",
  ),
  error(
    RETRY,
    "... › when it is a numeric › when it is not an integer",
    "retry",
    "1.5",
    "jobs:rspec:retry config has to be either an integer or a hash",
  ),
  error(
    RETRY,
    "... › when it is a numeric › when the value is too high",
    "retry",
    "10",
    "jobs:rspec:retry config must be less than or equal to 2",
  ),
  error(
    RETRY,
    "... › when it is a hash › with unknown keys",
    "retry",
    "{max: 2, unknown_key: something, one_more: key}",
    "jobs:rspec:retry config contains unknown keys: unknown_key, one_more",
  ),
  error(
    RETRY,
    "... › when it is a hash › with max lower than zero",
    "retry",
    "{max: -1}",
    "jobs:rspec:retry max must be greater than or equal to 0",
  ),
  error(
    RETRY,
    "... › when it is a hash › with max not an integer",
    "retry",
    "{max: 1.5}",
    "jobs:rspec:retry max must be an integer",
  ),
  error(
    RETRY,
    "... › when it is a hash › with max too high",
    "retry",
    "{max: 10}",
    "jobs:rspec:retry max must be less than or equal to 2",
  ),
  error(
    RETRY,
    "... › when it is a hash › with exit_codes in wrong mixed array format",
    "retry",
    "{exit_codes: [255, '155']}",
    "jobs:rspec:retry exit codes should be an array of integers or an integer",
  ),
  error(
    RETRY,
    "... › when it is a hash › with when in wrong format",
    "retry",
    "{when: true}",
    "jobs:rspec:retry when should be an array of strings or a string",
  ),
  error(
    RETRY,
    "... › when it is a hash › with an unknown when string",
    "retry",
    "{when: unknown_reason}",
    "jobs:rspec:retry when is not included in the list",
  ),
  error(
    RETRY,
    "... › when it is a hash › with an unknown failure reason in a when array",
    "retry",
    "{when: [unknown_reason, runner_system_failure]}",
    "jobs:rspec:retry when contains unknown values: unknown_reason",
  ),
];
