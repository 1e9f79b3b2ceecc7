// Why we fail a ported GitLab case today, one text per cause: a case's `pending` is one of these, so the
// runner's todo list and the lead's report group by cause. Each says what GitLab does and where ours is made.


export const MATRIX_EXPRESSION =
  "`$[[ matrix.X ]]` in needs:parallel:matrix naming no dimension of the job's matrix: GitLab's '<job> job: " +
  "'X' does not exist in matrix configuration' (engine/semantics.ts)";

export const ENVIRONMENT_NAME =
  "environment names are not checked: GitLab's 'jobs:<job>:environment name can contain only letters, digits, " +
  "'-', '_', '/', '$', '{', '}', '.', and spaces, but it cannot start or end with '/'' (schema)";

export const ONLY_REGEX =
  "an only/except pattern that is not valid RE2 ('/*invalid/'): GitLab's 'jobs:<job>:only config should be an " +
  "array of strings or regular expressions using re2 syntax' (schema or engine)";

export const JOB_NAME_NOT_STRING =
  "a job whose key is not a string (10:) is GitLab's 'jobs:10 name should be a symbol' (engine/jobs.ts)";

