// Predefined CI/CD variables GitLab sets for pipelines and jobs, with short hover texts in our
// own words. Facts (names, when each is available, example values, versions) follow GitLab's
// "Predefined CI/CD variables reference"; the removed names are there because old
// configurations still use them.

export interface PredefinedVariable {
  readonly name: string;
  /** One or two plain sentences in our own words: what the variable holds, with an example value where it helps. */
  readonly description: string;
  /**
   * When it is available: "pipeline" (also in rules and include), "job" (only inside running jobs), or "merge request
   * pipelines" etc.
   */
  readonly availability: string;
  /** Set for variables GitLab deprecated or removed. */
  readonly deprecated?: string;
}

/** The docs page about predefined variables. */
export const PREDEFINED_VARIABLES_DOCS = "https://docs.gitlab.com/ci/variables/predefined_variables/";

// The three phases GitLab distinguishes, phrased to follow "Available: " in a hover.
const PRE =
  "pre-pipeline — already known before the pipeline is created, so usable " +
  "in `include:rules`, `workflow:rules`, job `rules` and scripts";
const PIPE =
  "pipeline — set while GitLab creates the pipeline, so usable in job `rules` and scripts, but not in `include:rules`";
const JOB =
  "job only — set when a runner picks up the job, so usable in scripts and " +
  "runner-expanded keywords, but not in `rules`, `workflow`, `include` or " +
  "trigger jobs";
const MR = "merge request pipelines, while the merge request is open (pre-pipeline, so also in `include:rules`)";
const EXT_PR = "external pull request pipelines (GitHub), while the pull request is open";
const AUTO_DEVOPS = "pre-pipeline, only when Auto DevOps is enabled";
const HARBOR = "job only, when the project's Harbor integration is active";
const APP_STORE = "job only, when the project's Apple App Store Connect integration is active";
const GOOGLE_PLAY = "job only, when the project's Google Play integration is active";
const DIFFBLUE = "job only, when the project's Diffblue Cover integration is active";
const KUBE_CERT = "job only, in deployment jobs of projects still using the certificate-based Kubernetes integration";
const GONE_16 = "no longer set (removed in GitLab 16.0)";
const GONE_17 = "no longer set (removed in GitLab 17.0)";

/** The slug rule shared by the `*_SLUG` variables. */
const SLUG =
  "lower-cased, cut to 63 bytes, every character other than 0-9 and a-z replaced by `-`, and no `-` at either end";

type Entry = readonly [name: string, availability: string, description: string, deprecated?: string];

const ENTRIES: readonly Entry[] = [
  // --- ChatOps -------------------------------------------------------------------------------
  ["CHAT_CHANNEL", PIPE, "The chat channel a ChatOps command was sent from."],
  ["CHAT_INPUT", PIPE, "Whatever arguments followed the ChatOps command."],
  ["CHAT_USER_ID", PIPE, "The chat service's own ID for the user who ran the ChatOps command."],

  // --- General -------------------------------------------------------------------------------
  ["CI", PRE, "Always `true` inside GitLab CI/CD; the usual way for a tool to notice it runs in CI."],
  [
    "GITLAB_CI",
    PRE,
    "Always `true` inside GitLab CI/CD; tells a script it runs on GitLab rather than another CI system.",
  ],
  ["CI_SERVER", JOB, "Always `yes` inside a CI/CD job."],
  ["CI_API_V4_URL", PRE, "Root URL of the instance's REST API, e.g. `https://gitlab.example.com/api/v4`."],
  ["CI_API_GRAPHQL_URL", PRE, "URL of the instance's GraphQL API, e.g. `https://gitlab.example.com/api/graphql`."],
  [
    "CI_BUILD_NETWORK_NAME",
    JOB,
    "Name of the network the Docker executor made for this job; only set when " +
      "the runner feature flag `FF_NETWORK_PER_BUILD` is on.",
  ],
  ["CI_BUILDS_DIR", JOB, "The runner's top-level directory under which jobs get their working copies, e.g. `/builds`."],
  [
    "CI_CONCURRENT_ID",
    JOB,
    "A number telling this job apart from the other jobs running at the same time on the same executor.",
  ],
  [
    "CI_CONCURRENT_PROJECT_ID",
    JOB,
    "Like `CI_CONCURRENT_ID`, but only unique among concurrent jobs of the same project on the same executor.",
  ],
  [
    "CI_CONFIG_PATH",
    PRE,
    "Path of the project's CI/CD configuration file: `.gitlab-ci.yml` unless the project settings name another file.",
  ],
  [
    "CI_CONFIG_REF_URI",
    PIPE,
    "Fully qualified reference to the top-level configuration file, e.g. " +
      "`gitlab.example.com/my-group/my-project//.gitlab-ci.yml@refs/heads/main`. " +
      "Missing when the pipeline's source ref cannot be worked out (GitLab 19.0 " +
      "and later).",
  ],
  [
    "CI_DEBUG_TRACE",
    PIPE,
    "`true` when debug logging (shell tracing) is on for the job. Such logs can reveal secret values.",
  ],
  ["CI_DEBUG_SERVICES", PIPE, "`true` when the logs of service containers are captured into the job log."],
  ["CI_DEFAULT_BRANCH", PRE, "The project's default branch, e.g. `main`."],
  ["CI_DEFAULT_BRANCH_SLUG", PRE, `\`CI_DEFAULT_BRANCH\` as a slug: ${SLUG}.`],
  [
    "CI_DEPLOY_FREEZE",
    PRE,
    "`true` when the pipeline runs inside one of the project's deploy freeze windows; not set otherwise.",
  ],
  [
    "CI_DEPLOY_USER",
    JOB,
    "User name of the project's special deploy token called `gitlab-deploy-token`, when the project has one.",
  ],
  [
    "CI_DEPLOY_PASSWORD",
    JOB,
    "Secret of the project's `gitlab-deploy-token` deploy token, when it exists; " +
      "unlike the job token it keeps working after the job ends.",
  ],
  [
    "CI_DISPOSABLE_ENVIRONMENT",
    PIPE,
    "`true` when the job runs somewhere created only for it and thrown away " +
      "afterwards (every executor except `shell` and `ssh`); not set otherwise.",
  ],
  [
    "CI_SHARED_ENVIRONMENT",
    PIPE,
    "`true` when the job runs somewhere that outlives it and is reused by later " +
      "jobs, as with the `shell` or `ssh` executor; not set otherwise.",
  ],
  ["CI_GITLAB_FIPS_MODE", PRE, "`true` when the GitLab instance runs in FIPS mode; not set otherwise."],
  ["CI_HAS_OPEN_REQUIREMENTS", PIPE, "`true` when the project has at least one open requirement; not set otherwise."],
  [
    "CI_KUBERNETES_ACTIVE",
    PRE,
    "`true` when the pipeline has a Kubernetes cluster it can deploy to; not set otherwise.",
  ],
  [
    "CI_OPEN_MERGE_REQUESTS",
    PRE,
    "Up to four merge requests whose source is the current branch and project, " +
      "comma-separated, e.g. `my-group/my-project!42`. Only in branch and merge " +
      "request pipelines, and only if such a merge request exists.",
  ],
  [
    "CI_TEMPLATE_REGISTRY_HOST",
    PRE,
    "Registry host that GitLab's own CI/CD templates pull their images from; " +
      "`registry.gitlab.com` unless the instance changes it.",
  ],
  ["GITLAB_FEATURES", PRE, "Comma-separated list of the licensed features available on this instance."],
  [
    "KUBECONFIG",
    PIPE,
    "Path to a kubeconfig file holding one context per GitLab agent for Kubernetes " +
      "shared with the project; only when an agent is authorized for it.",
  ],
  [
    "TRIGGER_PAYLOAD",
    PIPE,
    "The JSON body of the webhook that started the pipeline, as a file variable " +
      "(its value is a file path); only in pipelines triggered by a webhook.",
  ],

  // --- Commit and ref ------------------------------------------------------------------------
  ["CI_COMMIT_AUTHOR", PRE, "Author of the commit as `Name <email>`, e.g. `Jane Doe <jane@example.com>`."],
  [
    "CI_COMMIT_BEFORE_SHA",
    PRE,
    "The commit the branch or tag pointed to before this push. It is forty " +
      "zeros in merge request and scheduled pipelines, on the first push of a " +
      "branch or tag, and in pipelines run by hand.",
  ],
  [
    "CI_COMMIT_BRANCH",
    PRE,
    "The branch name in branch pipelines, the default branch included. Not " +
      "set in merge request or tag pipelines, which makes `$CI_COMMIT_BRANCH` " +
      "a handy test for branch pipelines.",
  ],
  [
    "CI_COMMIT_DEFAULT_BRANCH_BASE_SHA",
    PRE,
    "The merge base of `CI_COMMIT_SHA` and the default branch; only in pipelines " +
      "for branches other than the default one (GitLab 19.1 and later).",
  ],
  [
    "CI_COMMIT_DESCRIPTION",
    PRE,
    "The commit message without its first line (when that title line is shorter than 100 characters).",
  ],
  [
    "CI_COMMIT_MESSAGE",
    PRE,
    "The whole commit message. Very long messages are cut to the instance's " +
      "limit (100 KB by default); see `CI_COMMIT_MESSAGE_IS_TRUNCATED`.",
  ],
  [
    "CI_COMMIT_MESSAGE_IS_TRUNCATED",
    PRE,
    "`true` when `CI_COMMIT_MESSAGE` was cut short because the message exceeded " +
      "`GITLAB_CI_MAX_COMMIT_MESSAGE_SIZE_IN_BYTES` (100 KB by default), `false` " +
      "otherwise (GitLab 18.6 and later).",
  ],
  [
    "CI_COMMIT_REF_NAME",
    PRE,
    "The branch or tag the pipeline runs for, e.g. `main` or `v1.2.0`; in merge request pipelines, the source branch.",
  ],
  ["CI_COMMIT_REF_PROTECTED", PRE, "`true` when the branch or tag being built is protected, `false` otherwise."],
  [
    "CI_COMMIT_REF_SLUG",
    PRE,
    "The branch or tag name, lower-cased, shortened to 63 bytes and with everything " +
      "except 0-9 and a-z replaced by `-`; safe in URLs, host names and image tags.",
  ],
  ["CI_COMMIT_SHA", PRE, "Full 40-character SHA of the commit being built."],
  ["CI_COMMIT_SHORT_SHA", PRE, "The first eight characters of `CI_COMMIT_SHA`, e.g. `1ecfd275`."],
  ["CI_COMMIT_TAG", PRE, "The tag name; set only in tag pipelines, so `$CI_COMMIT_TAG` in a rule picks them out."],
  ["CI_COMMIT_TAG_MESSAGE", PRE, "The message of an annotated tag; set only in tag pipelines."],
  ["CI_COMMIT_TIMESTAMP", PRE, "When the commit was made, in ISO 8601 (UTC by default), e.g. `2024-03-05T09:12:44Z`."],
  ["CI_COMMIT_TITLE", PRE, "The first line of the commit message, in full."],
  [
    "CI_COMMIT_USER_LOGIN",
    PRE,
    "GitLab username of the commit's author, if their profile and e-mail are " +
      "public and the e-mail matches the commit; empty otherwise (GitLab 18.10 " +
      "and later).",
  ],

  // --- Dependency Proxy ----------------------------------------------------------------------
  [
    "CI_DEPENDENCY_PROXY_SERVER",
    PRE,
    "Host and port to log in to for the Dependency Proxy; the same as `$CI_SERVER_HOST:$CI_SERVER_PORT`.",
  ],
  ["CI_DEPENDENCY_PROXY_USER", PIPE, "User name for logging in to the Dependency Proxy to pull images."],
  ["CI_DEPENDENCY_PROXY_PASSWORD", PIPE, "Password for logging in to the Dependency Proxy to pull images."],
  [
    "CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX",
    PRE,
    "Prefix for pulling images through the top-level group's Dependency Proxy, " +
      "used as in `${CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX}/alpine:3`.",
  ],
  [
    "CI_DEPENDENCY_PROXY_DIRECT_GROUP_IMAGE_PREFIX",
    PRE,
    "Prefix for pulling images through the Dependency Proxy of the group that " +
      "directly holds the project (rather than the top-level group).",
  ],

  // --- Environments --------------------------------------------------------------------------
  [
    "CI_ENVIRONMENT_ID",
    PIPE,
    "Numeric ID of the job's environment; set when the job has `environment:name`. Cannot be overridden.",
  ],
  [
    "CI_ENVIRONMENT_NAME",
    PIPE,
    "Name of the job's environment, e.g. `review/my-branch`; set when the job has `environment:name`.",
  ],
  [
    "CI_ENVIRONMENT_SLUG",
    PIPE,
    "Short DNS- and URL-safe form of the environment name (at most 24 characters; " +
      "names with capitals get a random suffix). Set when the job has `environment:name`; " +
      "cannot be overridden.",
  ],
  ["CI_ENVIRONMENT_URL", PIPE, "The job's `environment:url`, when one is given. Cannot be overridden."],
  [
    "CI_ENVIRONMENT_ACTION",
    PIPE,
    "The job's `environment:action`, such as `start`, `prepare` or `stop`; set when the job gives one.",
  ],
  [
    "CI_ENVIRONMENT_TIER",
    PIPE,
    "Deployment tier of the job's environment: `production`, `staging`, `testing`, `development` or `other`.",
  ],

  // --- Job -----------------------------------------------------------------------------------
  [
    "CI_JOB_GROUP_NAME",
    PIPE,
    "The name shared by a group of jobs made by `parallel` or grouped by name, " +
      "e.g. `rspec:test` for `rspec:test: [ruby, ubuntu]`; for other jobs the " +
      "same as `CI_JOB_NAME` (GitLab 17.10 and later).",
  ],
  ["CI_JOB_ID", JOB, "Numeric ID of the job, unique across the whole instance."],
  ["CI_JOB_IMAGE", JOB, "The Docker image the job runs in; only when the job names an image explicitly."],
  ["CI_JOB_MANUAL", PIPE, "`true` when someone started the job by hand; not set otherwise."],
  ["CI_JOB_NAME", PIPE, "The job's name, e.g. `test` or, for a `parallel` job, `test 2/4`."],
  ["CI_JOB_NAME_SLUG", PIPE, `\`CI_JOB_NAME\` as a slug (${SLUG}); suited to file paths.`],
  ["CI_JOB_STAGE", PIPE, "Name of the stage the job belongs to."],
  [
    "CI_JOB_STATUS",
    JOB,
    "How the job is going as the runner moves through its steps: `success`, " +
      "`failed` or `canceled`. Mainly useful in `after_script`.",
  ],
  ["CI_JOB_TIMEOUT", JOB, "The job's time limit, in seconds."],
  [
    "CI_JOB_TOKEN",
    JOB,
    "Token for authenticating to some API endpoints, the registries and Git " +
      "over HTTPS on behalf of the job; it stops working when the job ends.",
  ],
  ["CI_JOB_URL", JOB, "Web address of the job's page."],
  ["CI_JOB_STARTED_AT", JOB, "When the job started, in ISO 8601 (UTC by default), e.g. `2024-03-05T09:12:44Z`."],
  [
    "CI_JOB_STARTED_AT_SLUG",
    JOB,
    `\`CI_JOB_STARTED_AT\` as a slug (${SLUG}); usable as an image tag (GitLab 18.7 and later).`,
  ],
  [
    "CI_NODE_INDEX",
    PIPE,
    "Position of this job among the copies `parallel` creates, counting from 1; not set for jobs without `parallel`.",
  ],
  ["CI_NODE_TOTAL", PIPE, "How many copies of this job `parallel` runs; `1` for jobs without `parallel`."],

  // --- Pages ---------------------------------------------------------------------------------
  [
    "CI_PAGES_DOMAIN",
    PRE,
    "The instance's GitLab Pages domain without any namespace sub-domain, e.g. " +
      "`gitlab.io`; for the project's full host name see `CI_PAGES_HOSTNAME`.",
  ],
  ["CI_PAGES_HOSTNAME", JOB, "Full host name of the project's Pages deployment, e.g. `my-group.gitlab.io`."],
  [
    "CI_PAGES_URL",
    JOB,
    "URL of the project's GitLab Pages site; from GitLab 17.9 it includes the " +
      "`path_prefix` when one is set. Cannot be overridden.",
  ],

  // --- Pipeline ------------------------------------------------------------------------------
  ["CI_PIPELINE_ID", JOB, "Numeric ID of the pipeline, unique across the whole instance."],
  ["CI_PIPELINE_IID", PIPE, "The pipeline's number within its project (internal ID); unique only inside the project."],
  [
    "CI_PIPELINE_SOURCE",
    PRE,
    "What started the pipeline, e.g. `push`, `web`, `schedule`, `api`, `trigger`, " +
      "`pipeline`, `parent_pipeline`, `merge_request_event` or `external_pull_request_event`.",
  ],
  [
    "CI_PIPELINE_TRIGGERED",
    PIPE,
    "`true` when the pipeline was started with a trigger token. Pipelines made " +
      "by the `trigger` keyword are told apart with `CI_PIPELINE_SOURCE` instead.",
  ],
  ["CI_PIPELINE_URL", JOB, "Web address of the pipeline's page."],
  [
    "CI_PIPELINE_CREATED_AT",
    JOB,
    "When the pipeline was created, in ISO 8601 (UTC by default), e.g. `2024-03-05T09:12:40Z`.",
  ],
  ["CI_PIPELINE_NAME", PRE, "The pipeline name given by `workflow:name`."],
  [
    "CI_PIPELINE_SCHEDULE_DESCRIPTION",
    PRE,
    "Description of the schedule that started the pipeline; only in scheduled pipelines (GitLab 17.8 and later).",
  ],

  // --- Project -------------------------------------------------------------------------------
  [
    "CI_PROJECT_DIR",
    JOB,
    "Absolute path where the repository is checked out and the job runs, e.g. " +
      "`/builds/my-group/my-project`; it sits under the runner's `builds_dir`.",
  ],
  ["CI_PROJECT_ID", PRE, "Numeric ID of the project, unique across the whole instance."],
  [
    "CI_PROJECT_NAME",
    PRE,
    "The project's path name, the last part of its URL: `my-project` for `gitlab.example.com/my-group/my-project`.",
  ],
  ["CI_PROJECT_NAMESPACE", PRE, "The user or group path that holds the project, e.g. `my-group/sub-group`."],
  ["CI_PROJECT_NAMESPACE_ID", PRE, "Numeric ID of the project's namespace."],
  ["CI_PROJECT_NAMESPACE_SLUG", PRE, `\`CI_PROJECT_NAMESPACE\` as a slug: ${SLUG}.`],
  ["CI_PROJECT_PATH", PRE, "Namespace and project name together, e.g. `my-group/sub-group/my-project`."],
  ["CI_PROJECT_PATH_SLUG", PRE, `\`CI_PROJECT_PATH\` as a slug (${SLUG}); safe in URLs and domain names.`],
  [
    "CI_PROJECT_ROOT_NAMESPACE",
    PRE,
    "The top-level user or group above the project: `my-group` for a namespace of `my-group/sub-group`.",
  ],
  ["CI_PROJECT_ROOT_NAMESPACE_SLUG", PRE, `\`CI_PROJECT_ROOT_NAMESPACE\` as a slug: ${SLUG} (GitLab 19.0 and later).`],
  [
    "CI_PROJECT_REPOSITORY_LANGUAGES",
    PRE,
    "Up to five languages detected in the repository, lower-case and comma-separated, e.g. `go,python,shell`.",
  ],
  ["CI_PROJECT_TITLE", PRE, "The project's display name as the web UI shows it; may contain spaces and capitals."],
  ["CI_PROJECT_DESCRIPTION", PRE, "The project's description, as shown in the web UI."],
  [
    "CI_PROJECT_TOPICS",
    PRE,
    "The project's topics, lower-case and comma-separated, at most the first 20 (GitLab 18.3 and later).",
  ],
  ["CI_PROJECT_URL", PRE, "Web address of the project, e.g. `https://gitlab.example.com/my-group/my-project`."],
  ["CI_PROJECT_VISIBILITY", PRE, "The project's visibility: `public`, `internal` or `private`."],
  ["CI_PROJECT_CLASSIFICATION_LABEL", PRE, "The project's classification label for external authorization."],

  // --- Container registry --------------------------------------------------------------------
  [
    "CI_REGISTRY",
    PRE,
    "Host (with port, if any) of the container registry, e.g. `registry.gitlab.example.com`; " +
      "only when the instance has the registry enabled.",
  ],
  [
    "CI_REGISTRY_IMAGE",
    PRE,
    "The project's base image path in the container registry, e.g. " +
      "`registry.gitlab.example.com/my-group/my-project`; " +
      "only when the project's registry is enabled.",
  ],
  [
    "CI_REGISTRY_USER",
    JOB,
    "User name for logging in to the project's container registry from the " +
      "job; only when the project's registry is enabled.",
  ],
  [
    "CI_REGISTRY_PASSWORD",
    JOB,
    "Password for pushing to the project's container registry. It is the job " +
      "token, so it expires with the job; use a deploy token for lasting access.",
  ],

  // --- Release and repository ----------------------------------------------------------------
  [
    "CI_RELEASE_DESCRIPTION",
    PIPE,
    "Description of the release, at most its first 1024 characters; only in tag pipelines.",
  ],
  [
    "CI_REPOSITORY_URL",
    JOB,
    "HTTPS clone URL with the job token built in, shaped like `https://gitlab-ci-token:<job " +
      "token>@gitlab.example.com/my-group/my-project.git`.",
  ],

  // --- Runner --------------------------------------------------------------------------------
  ["CI_RUNNER_DESCRIPTION", JOB, "The description given to the runner running the job."],
  [
    "CI_RUNNER_EXECUTABLE_ARCH",
    JOB,
    "Operating system and CPU architecture of the runner binary, e.g. `linux/amd64`; " +
      "may differ from where the executor runs the job.",
  ],
  ["CI_RUNNER_ID", JOB, "Numeric ID of the runner running the job."],
  ["CI_RUNNER_REVISION", JOB, "Git revision of the runner binary."],
  [
    "CI_RUNNER_SHORT_TOKEN",
    JOB,
    "A short unique ID for the runner, taken from the start of its authentication token (prefix included).",
  ],
  [
    "CI_RUNNER_TAGS",
    JOB,
    'The runner\'s tags as a JSON array, e.g. `["docker", "linux"]` (older versions gave a comma-separated list).',
  ],
  ["CI_RUNNER_VERSION", JOB, "Version of GitLab Runner running the job, e.g. `17.2.0`."],

  // --- Server --------------------------------------------------------------------------------
  [
    "CI_SERVER_FQDN",
    PRE,
    "Fully qualified domain name of the instance, with the port when it is " +
      "not the default, e.g. `gitlab.example.com:8080`.",
  ],
  ["CI_SERVER_HOST", PRE, "Host name of the instance, without scheme or port, e.g. `gitlab.example.com`."],
  ["CI_SERVER_NAME", PRE, "Name of the CI/CD server coordinating the jobs, i.e. `GitLab`."],
  ["CI_SERVER_PORT", PRE, "Port of the instance URL, e.g. `443`."],
  ["CI_SERVER_PROTOCOL", PRE, "Scheme of the instance URL, e.g. `https`."],
  ["CI_SERVER_URL", PRE, "Base URL of the instance, with scheme and port, e.g. `https://gitlab.example.com:8080`."],
  ["CI_SERVER_SHELL_SSH_HOST", PRE, "Host to use for Git over SSH, e.g. `gitlab.example.com`."],
  ["CI_SERVER_SHELL_SSH_PORT", PRE, "Port to use for Git over SSH, e.g. `22`."],
  ["CI_SERVER_REVISION", PRE, "Git revision of the GitLab instance that schedules the jobs."],
  ["CI_SERVER_VERSION", PRE, "Full version of the GitLab instance, e.g. `17.2.1`."],
  ["CI_SERVER_VERSION_MAJOR", PRE, "Major part of the instance's version: `17` for `17.2.1`."],
  ["CI_SERVER_VERSION_MINOR", PRE, "Minor part of the instance's version: `2` for `17.2.1`."],
  ["CI_SERVER_VERSION_PATCH", PRE, "Patch part of the instance's version: `1` for `17.2.1`."],
  [
    "CI_SERVER_TLS_CA_FILE",
    PIPE,
    "Path to a file with the CA certificate for checking the GitLab server; " +
      "set when the runner is configured with `tls-ca-file`.",
  ],
  [
    "CI_SERVER_TLS_CERT_FILE",
    PIPE,
    "Path to a file with the TLS certificate for the connection to the GitLab " +
      "server; set when the runner is configured with `tls-cert-file`.",
  ],
  [
    "CI_SERVER_TLS_KEY_FILE",
    PIPE,
    "Path to a file with the TLS key for the connection to the GitLab server; " +
      "set when the runner is configured with `tls-key-file`.",
  ],

  // --- Triggers and upstream pipelines -------------------------------------------------------
  [
    "CI_TRIGGER_SHORT_TOKEN",
    JOB,
    "The first 4 characters after the prefix of the trigger token that started " +
      "the pipeline, e.g. `a1b2` for `glptt-a1b2…`; only in pipelines started " +
      "with a trigger token (GitLab 17.0 and later).",
  ],
  [
    "CI_UPSTREAM_JOB_ID",
    PRE,
    "ID of the trigger job in the upstream pipeline that started this multi-project " +
      "or child pipeline (GitLab 18.9 and later).",
  ],
  [
    "CI_UPSTREAM_PIPELINE_ID",
    PRE,
    "ID of the upstream pipeline that started this multi-project or child pipeline (GitLab 18.9 and later).",
  ],
  [
    "CI_UPSTREAM_PROJECT_ID",
    PRE,
    "ID of the project whose pipeline started this multi-project or child pipeline (GitLab 18.9 and later).",
  ],

  // --- User who started the pipeline ---------------------------------------------------------
  [
    "GITLAB_USER_EMAIL",
    PIPE,
    "E-mail of the user who started the pipeline; in a manual job, of the user who started that job.",
  ],
  [
    "GITLAB_USER_ID",
    PIPE,
    "Numeric ID of the user who started the pipeline; in a manual job, of the user who started that job.",
  ],
  [
    "GITLAB_USER_LOGIN",
    PIPE,
    "Username of the user who started the pipeline; in a manual job, of the user who started that job.",
  ],
  [
    "GITLAB_USER_NAME",
    PIPE,
    "Display name (full name from the profile) of the user who started the " +
      "pipeline; in a manual job, of the user who started that job.",
  ],

  // --- Merge request pipelines ---------------------------------------------------------------
  [
    "CI_MERGE_REQUEST_APPROVED",
    MR,
    "`true` when merge request approvals are available and this merge request is approved.",
  ],
  [
    "CI_MERGE_REQUEST_ASSIGNEES",
    MR,
    "Usernames of the merge request's assignees, comma-separated; only when it has at least one.",
  ],
  ["CI_MERGE_REQUEST_DIFF_BASE_SHA", MR, "The base commit SHA of the merge request's diff."],
  ["CI_MERGE_REQUEST_DIFF_ID", MR, "ID of the merge request diff version the pipeline runs for."],
  ["CI_MERGE_REQUEST_EVENT_TYPE", MR, "Kind of merge request pipeline: `detached`, `merged_result` or `merge_train`."],
  ["CI_MERGE_REQUEST_DESCRIPTION", MR, "The merge request's description, cut to its first 2700 characters."],
  [
    "CI_MERGE_REQUEST_DESCRIPTION_IS_TRUNCATED",
    MR,
    "`true` when `CI_MERGE_REQUEST_DESCRIPTION` was cut to 2700 characters, `false` otherwise.",
  ],
  ["CI_MERGE_REQUEST_DRAFT", MR, "`true` when the merge request is marked as a draft (GitLab 17.10 and later)."],
  ["CI_MERGE_REQUEST_ID", MR, "ID of the merge request, unique across the whole instance."],
  ["CI_MERGE_REQUEST_IID", MR, "The merge request's number within its project, the one in its URL and title (`!42`)."],
  ["CI_MERGE_REQUEST_LABELS", MR, "Labels of the merge request, comma-separated; only when it has at least one."],
  ["CI_MERGE_REQUEST_MILESTONE", MR, "Title of the merge request's milestone; only when one is set."],
  ["CI_MERGE_REQUEST_PROJECT_ID", MR, "ID of the project the merge request belongs to (its target project)."],
  [
    "CI_MERGE_REQUEST_PROJECT_PATH",
    MR,
    "Path of the project the merge request belongs to, e.g. `my-group/my-project`.",
  ],
  [
    "CI_MERGE_REQUEST_PROJECT_URL",
    MR,
    "Web address of the project the merge request belongs to, e.g. `https://gitlab.example.com/my-group/my-project`.",
  ],
  ["CI_MERGE_REQUEST_REF_PATH", MR, "Git ref of the merge request, e.g. `refs/merge-requests/42/head`."],
  ["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", MR, "Name of the branch the merge request comes from."],
  ["CI_MERGE_REQUEST_SOURCE_BRANCH_PROTECTED", MR, "`true` when the merge request's source branch is protected."],
  [
    "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA",
    MR,
    "Head commit of the source branch; filled only in merged results pipelines " +
      "and empty in plain merge request pipelines.",
  ],
  [
    "CI_MERGE_REQUEST_SOURCE_PROJECT_ID",
    MR,
    "ID of the project the merge request comes from (differs from the target for forks).",
  ],
  ["CI_MERGE_REQUEST_SOURCE_PROJECT_PATH", MR, "Path of the project the merge request comes from."],
  ["CI_MERGE_REQUEST_SOURCE_PROJECT_URL", MR, "Web address of the project the merge request comes from."],
  ["CI_MERGE_REQUEST_SQUASH_ON_MERGE", MR, "`true` when the merge request is set to squash its commits on merge."],
  ["CI_MERGE_REQUEST_TARGET_BRANCH_NAME", MR, "Name of the branch the merge request will merge into."],
  ["CI_MERGE_REQUEST_TARGET_BRANCH_PROTECTED", MR, "`true` when the merge request's target branch is protected."],
  [
    "CI_MERGE_REQUEST_TARGET_BRANCH_SHA",
    MR,
    "Head commit of the target branch; filled only in merged results pipelines " +
      "and empty in plain merge request pipelines.",
  ],
  ["CI_MERGE_REQUEST_TITLE", MR, "Title of the merge request."],

  // --- External pull request pipelines -------------------------------------------------------
  ["CI_EXTERNAL_PULL_REQUEST_IID", EXT_PR, "Number of the pull request on GitHub."],
  ["CI_EXTERNAL_PULL_REQUEST_SOURCE_REPOSITORY", EXT_PR, "Name of the repository the pull request comes from."],
  ["CI_EXTERNAL_PULL_REQUEST_TARGET_REPOSITORY", EXT_PR, "Name of the repository the pull request targets."],
  ["CI_EXTERNAL_PULL_REQUEST_SOURCE_BRANCH_NAME", EXT_PR, "Name of the branch the pull request comes from."],
  ["CI_EXTERNAL_PULL_REQUEST_SOURCE_BRANCH_SHA", EXT_PR, "Head commit SHA of the pull request's source branch."],
  ["CI_EXTERNAL_PULL_REQUEST_TARGET_BRANCH_NAME", EXT_PR, "Name of the branch the pull request targets."],
  ["CI_EXTERNAL_PULL_REQUEST_TARGET_BRANCH_SHA", EXT_PR, "Head commit SHA of the pull request's target branch."],

  // --- Auto DevOps ---------------------------------------------------------------------------
  ["AUTO_DEVOPS_EXPLICITLY_ENABLED", AUTO_DEVOPS, "`1` when Auto DevOps is turned on for the project."],
  [
    "STAGING_ENABLED",
    AUTO_DEVOPS,
    "Auto DevOps deployment-strategy switch: when set, changes are deployed " +
      "to a staging environment before production.",
  ],
  [
    "INCREMENTAL_ROLLOUT_MODE",
    AUTO_DEVOPS,
    "Auto DevOps deployment-strategy setting that rolls production out in steps: `manual` or `timed`.",
  ],
  [
    "INCREMENTAL_ROLLOUT_ENABLED",
    AUTO_DEVOPS,
    "Old Auto DevOps switch for incremental production rollouts.",
    "Deprecated by GitLab; use `INCREMENTAL_ROLLOUT_MODE`.",
  ],

  // --- Integrations (job only) ---------------------------------------------------------------
  ["HARBOR_URL", HARBOR, "Base URL of the Harbor server set in the Harbor integration."],
  ["HARBOR_HOST", HARBOR, "Host name of the Harbor server, without the scheme."],
  ["HARBOR_OCI", HARBOR, "OCI address of the Harbor server for Helm charts, e.g. `oci://harbor.example.com`."],
  ["HARBOR_PROJECT", HARBOR, "Name of the Harbor project the integration points at."],
  ["HARBOR_USERNAME", HARBOR, "User name the Harbor integration logs in with."],
  ["HARBOR_PASSWORD", HARBOR, "Password the Harbor integration logs in with."],
  ["APP_STORE_CONNECT_API_KEY_ISSUER_ID", APP_STORE, "Issuer ID of the App Store Connect API key."],
  ["APP_STORE_CONNECT_API_KEY_KEY_ID", APP_STORE, "Key ID of the App Store Connect API key."],
  [
    "APP_STORE_CONNECT_API_KEY_KEY",
    APP_STORE,
    "The App Store Connect API private key itself; `APP_STORE_CONNECT_API_KEY_IS_KEY_CONTENT_BASE64` " +
      "says whether it is Base64-encoded.",
  ],
  [
    "APP_STORE_CONNECT_API_KEY_IS_KEY_CONTENT_BASE64",
    APP_STORE,
    "Whether `APP_STORE_CONNECT_API_KEY_KEY` holds Base64-encoded content (read by tools such as fastlane).",
  ],
  [
    "SUPPLY_PACKAGE_NAME",
    GOOGLE_PLAY,
    "Android package name of the app, as set in the Google Play integration (read by fastlane supply).",
  ],
  ["SUPPLY_JSON_KEY_DATA", GOOGLE_PLAY, "Google Play service account key, as JSON, from the Google Play integration."],
  ["DIFFBLUE_LICENSE_KEY", DIFFBLUE, "License key for Diffblue Cover."],
  ["DIFFBLUE_ACCESS_TOKEN_NAME", DIFFBLUE, "Name of the access token Diffblue Cover uses to work with the project."],
  ["DIFFBLUE_ACCESS_TOKEN", DIFFBLUE, "The access token Diffblue Cover uses to work with the project."],

  // --- Certificate-based Kubernetes integration (deprecated) ---------------------------------
  [
    "KUBE_URL",
    KUBE_CERT,
    "API URL of the Kubernetes cluster linked to the project.",
    "The certificate-based Kubernetes integration was deprecated in GitLab " +
      "14.5; use the GitLab agent for Kubernetes and `KUBECONFIG`.",
  ],
  [
    "KUBE_TOKEN",
    KUBE_CERT,
    "Service account token for the linked Kubernetes cluster.",
    "The certificate-based Kubernetes integration was deprecated in GitLab " +
      "14.5; use the GitLab agent for Kubernetes and `KUBECONFIG`.",
  ],
  [
    "KUBE_NAMESPACE",
    KUBE_CERT,
    "Kubernetes namespace the deployment job deploys into.",
    "The certificate-based Kubernetes integration was deprecated in GitLab " +
      "14.5; use the GitLab agent for Kubernetes and `KUBECONFIG`.",
  ],
  [
    "KUBE_CA_PEM_FILE",
    KUBE_CERT,
    "Path to a file with the linked cluster's CA bundle.",
    "The certificate-based Kubernetes integration was deprecated in GitLab " +
      "14.5; use the GitLab agent for Kubernetes and `KUBECONFIG`.",
  ],
  [
    "KUBE_CA_PEM",
    KUBE_CERT,
    "The linked cluster's CA bundle as text.",
    "Superseded by `KUBE_CA_PEM_FILE`, and the whole certificate-based Kubernetes " +
      "integration was deprecated in GitLab 14.5; use the GitLab agent for Kubernetes " +
      "and `KUBECONFIG`.",
  ],
  [
    "KUBE_INGRESS_BASE_DOMAIN",
    KUBE_CERT,
    "Base domain set on the linked cluster, used to build environment URLs.",
    "The certificate-based Kubernetes integration was deprecated in GitLab " +
      "14.5; use the GitLab agent for Kubernetes and `KUBECONFIG`.",
  ],

  // --- Removed names still found in old configurations ---------------------------------------
  [
    "CI_BUILD_ID",
    GONE_16,
    "Old name for the job's numeric ID.",
    "Renamed in GitLab 9.0 and removed in 16.0; use `CI_JOB_ID`.",
  ],
  [
    "CI_BUILD_REF",
    GONE_16,
    "Old name for the SHA of the commit being built.",
    "Renamed in GitLab 9.0 and removed in 16.0; use `CI_COMMIT_SHA`.",
  ],
  [
    "CI_BUILD_BEFORE_SHA",
    GONE_16,
    "Old name for the commit the branch pointed to before the push.",
    "Renamed in GitLab 9.0 and removed in 16.0; use `CI_COMMIT_BEFORE_SHA`.",
  ],
  [
    "CI_BUILD_REF_NAME",
    GONE_16,
    "Old name for the branch or tag being built.",
    "Renamed in GitLab 9.0 and removed in 16.0; use `CI_COMMIT_REF_NAME`.",
  ],
  [
    "CI_BUILD_REF_SLUG",
    GONE_16,
    "Old name for the slug of the branch or tag being built.",
    "Renamed in GitLab 9.0 and removed in 16.0; use `CI_COMMIT_REF_SLUG`.",
  ],
  [
    "CI_BUILD_TAG",
    GONE_16,
    "Old name for the tag of a tag pipeline.",
    "Renamed in GitLab 9.0 and removed in 16.0; use `CI_COMMIT_TAG`.",
  ],
  [
    "CI_BUILD_NAME",
    GONE_16,
    "Old name for the job's name.",
    "Renamed in GitLab 9.0 and removed in 16.0; use `CI_JOB_NAME`.",
  ],
  [
    "CI_BUILD_STAGE",
    GONE_16,
    "Old name for the job's stage.",
    "Renamed in GitLab 9.0 and removed in 16.0; use `CI_JOB_STAGE`.",
  ],
  [
    "CI_BUILD_REPO",
    GONE_16,
    "Old name for the clone URL with the job token.",
    "Renamed in GitLab 9.0 and removed in 16.0; use `CI_REPOSITORY_URL`.",
  ],
  [
    "CI_BUILD_TRIGGERED",
    GONE_16,
    "Old name for the flag saying the pipeline came from a trigger token.",
    "Renamed in GitLab 9.0 and removed in 16.0; use `CI_PIPELINE_TRIGGERED`.",
  ],
  [
    "CI_BUILD_MANUAL",
    GONE_16,
    "Old name for the flag saying the job was started by hand.",
    "Renamed in GitLab 9.0 and removed in 16.0; use `CI_JOB_MANUAL`.",
  ],
  [
    "CI_BUILD_TOKEN",
    GONE_16,
    "Old name for the job token.",
    "Renamed in GitLab 9.0 and removed in 16.0; use `CI_JOB_TOKEN`.",
  ],
  [
    "CI_PROJECT_CONFIG_PATH",
    "no longer set (removed in GitLab 14.0)",
    "Short-lived name (GitLab 13.8 to 13.12) for the path of the CI/CD configuration file.",
    "Removed in GitLab 14.0; use `CI_CONFIG_PATH`.",
  ],
  [
    "CI_JOB_JWT",
    GONE_17,
    "A JSON web token (RS256) every job used to get, for signing in to services such as HashiCorp Vault.",
    "Deprecated in GitLab 15.9 and removed in 17.0; declare the tokens a job needs with `id_tokens` instead.",
  ],
  [
    "CI_JOB_JWT_V1",
    GONE_17,
    "The same token as `CI_JOB_JWT`, under a versioned name.",
    "Deprecated in GitLab 15.9 and removed in 17.0; declare the tokens a job needs with `id_tokens` instead.",
  ],
  [
    "CI_JOB_JWT_V2",
    GONE_17,
    "A JSON web token in the OpenID Connect style (with a fixed `aud`), meant for cloud providers.",
    "Deprecated in GitLab 15.9 and removed in 17.0; declare the tokens a job needs with `id_tokens` instead.",
  ],
];

export const PREDEFINED_VARIABLES: ReadonlyMap<string, PredefinedVariable> = new Map(
  ENTRIES.map(([name, availability, description, deprecated]): [string, PredefinedVariable] => [
    name,
    deprecated === undefined ? { name, description, availability } : { name, description, availability, deprecated },
  ]),
);
