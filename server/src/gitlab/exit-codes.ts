// gitlab-org's scripts exit with their own codes to tell one kind of failure from another, and
// jobs react to them with `retry:exit_codes` and `allow_failure:exit_codes`. The table lives in
// the development docs (CI configuration internals, "Custom exit codes"); its first codes sit
// below 160, but codes there are also what shells and common tools exit with, so new ones are
// taken from 160 upward.

export const CUSTOM_EXIT_CODES_DOCS = "https://docs.gitlab.com/development/pipelines/internals/#custom-exit-codes";

/** gitlab-org's documented custom exit codes and what a job exiting with each ran into. */
export const CUSTOM_EXIT_CODES: ReadonlyMap<number, string> = new Map([
  [110, "a network connection failed"],
  [111, "the runner ran low on disk space"],
  [112, "a test already known to be flaky failed"],
  [160, "a job artifact could not be uploaded or downloaded"],
  [161, "a server answered with a 5xx error"],
  [162, "Gitaly could not be spawned"],
  [163, "an RSpec job ran out of time"],
  [164, "the Redis cluster reported an error"],
  [165, "a process crashed with a segmentation fault"],
  [166, "a file to be created already existed (EEXIST)"],
  [167, "GitLab.com was overloaded"],
  [168, "a gRPC call ran out of resources (RESOURCE_EXHAUSTED)"],
  [169, "a test went over its SQL query limit"],
  [170, "an SQL table was write-protected"],
]);

/** The lowest code from 160 up that the table does not use yet. */
export function nextFreeExitCode(): number {
  let code = 160;
  while (CUSTOM_EXIT_CODES.has(code) && code < 255) code++;
  return code;
}
