// What a pipeline is created for: the input of the pipeline simulation. Everything GitLab knows
// when it creates a pipeline and the config cannot tell — the source, the ref, the merge request,
// the variables someone typed, the diff — is here, handed in by the host (the CLI's flags, the
// editor's scenarios, git). Nothing in the simulation reads anything else.

/** `CI_PIPELINE_SOURCE` values (doc/ci/jobs/job_rules.md, "CI_PIPELINE_SOURCE predefined variable"). */
export type PipelineSource =
  | "push"
  | "merge_request_event"
  | "schedule"
  | "web"
  | "api"
  | "trigger"
  | "pipeline"
  | "parent_pipeline"
  | "external_pull_request_event"
  | "chat"
  | "webide"
  | "security_orchestration_policy"
  | "ondemand_dast_scan"
  | "ondemand_dast_validation";

/** `CI_MERGE_REQUEST_EVENT_TYPE`: a detached MR pipeline, a merged results one, or a merge train's. */
export type MergeRequestEvent = "detached" | "merged_result" | "merge_train";

export interface MergeRequest {
  readonly event: MergeRequestEvent;
  /** The source branch is the situation's ref (a branch). */
  readonly targetBranch: string;
  readonly title: string;
  readonly description: string;
  /** Label names; `CI_MERGE_REQUEST_LABELS` is absent when there are none. */
  readonly labels: readonly string[];
  readonly iid: number;
  /** The source project's path when the MR comes from a fork; the situation's project otherwise. */
  readonly sourceProjectPath?: string;
}

export interface Situation {
  readonly source: PipelineSource;
  /** The branch or tag the pipeline runs for; for a merge request pipeline, its source branch. */
  readonly ref: { readonly kind: "branch" | "tag"; readonly name: string };
  readonly defaultBranch: string;
  /** `group/project` (`CI_PROJECT_PATH`). */
  readonly projectPath: string;
  /** The instance's host (`CI_SERVER_HOST`), `gitlab.com` unless told. */
  readonly serverHost: string;
  /** Whether the ref is protected (`CI_COMMIT_REF_PROTECTED`); the default branch and tags are, by default. */
  readonly protectedRef: boolean;
  /** Set for `merge_request_event` pipelines (and a child pipeline of one). */
  readonly mergeRequest?: MergeRequest;
  /** Variables given for this pipeline (the Run-pipeline form, the API, a trigger): above every other. */
  readonly variables: ReadonlyMap<string, string>;
  /** A schedule's own variables and description, for `schedule` pipelines. */
  readonly schedule?: { readonly description: string; readonly variables: ReadonlyMap<string, string> };
  /** `GITLAB_USER_LOGIN` and friends: who creates the pipeline. */
  readonly user?: { readonly login: string; readonly name: string; readonly email: string; readonly id: number };
  /**
   * The paths the pipeline's diff changed, relative to the repository root; undefined when there is
   * no diff (tags, schedules, new branches, web/api/trigger pipelines): every `changes:` is then true.
   */
  readonly changes: readonly string[] | undefined;
  /** Every file of the commit (for `exists:`), relative to the repository root; undefined when unknown. */
  readonly files: readonly string[] | undefined;
  /** The commit: sha, message; made up by the host when there is no git. */
  readonly commit: { readonly sha: string; readonly message: string; readonly beforeSha?: string };
  /** The config file's path in the project (`CI_CONFIG_PATH`). */
  readonly configPath: string;
}
