// Why we fail a ported GitLab case today, one text per cause: a case's `pending` is one of these, so the
// runner's todo list and the lead's report group by cause. Each says what GitLab does and where ours is made.

export const WHEN_NOT_A_STRING =
  "a `when` that is not a string (when: 1) is two errors in GitLab, '... when should be a string' and '... when " +
  "should be one of: ...'; our one finding starts with the first (engine/schema-wording.ts)";


export const ENTRY_BEFORE_PROCESSOR =
  "GitLab validates entries before YamlProcessor's checks: a dependency outside `needs` is the Job entry's " +
  "'jobs:<job> dependencies the X should be part of needs', not 'undefined dependency' (engine/semantics.ts)";

export const CROSS_PIPELINE_DEPENDENCY =
  "a dependency on a cross-pipeline need is GitLab's 'jobs:<job> needs corresponding to dependencies must be " +
  "from the same pipeline'; we say it is not in needs (engine/semantics.ts)";

export const DEPENDENCY_UNKNOWN_STAGE =
  "a dependency on a job whose stage is not in `stages` is not reported as GitLab's '<job> job: dependency X is " +
  "not defined in current or prior stages' (engine/semantics.ts)";


export const NEED_NAME_TOO_LONG =
  "a need that names a parallel job whose expanded name is over 255 characters is GitLab's '<job> job: need " +
  "`<name>` name is too long (maximum is 255 characters)' (engine/semantics.ts)";

export const CROSS_PIPELINE_LIMIT =
  "more than 5 cross-pipeline needs: GitLab's 'jobs:<job>:needs config must be less than or equal to 5' " +
  "(engine/semantics.ts or the schema)";

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

export const RULES_DEPTH =
  "rules nested more than 10 lists deep: GitLab's 'jobs:<job> rules should be an array containing hashes and " +
  "arrays of hashes' (engine/jobs.ts flattening)";

export const PUBLISH_OUTSIDE_PAGES =
  "`publish` in a job that is not a pages job: GitLab's 'jobs:<job> publish can only be used within a `pages` " +
  "job' (engine/job-combinations.ts)";

export const TAGS_LIMIT = "more than 50 tags: GitLab's 'jobs:<job>:tags config must be less than the limit of 50 tags'";

export const RELEASE_REF = "release:ref is not checked: GitLab's 'jobs:<job>:release ref must be a valid ref' (schema)";

export const EXPOSE_AS_WILDCARD =
  "artifacts:paths with '*' and expose_as: GitLab's 'jobs:<job>:artifacts paths can't contain '*' when used with " +
  "'expose_as'' (schema)";

export const BRIDGE_PARALLEL =
  "a trigger job with `parallel: <number>`: GitLab's 'jobs:<job>:parallel config cannot use \"parallel: " +
  "<number>\".' (schema)";

export const EXISTS_FORMS =
  "rules:exists as a string, or an empty map, is accepted by GitLab and rejected by us (schemas/src)";

export const MILESTONES_STRING = "release:milestones as one string is accepted by GitLab (schemas/src)";
