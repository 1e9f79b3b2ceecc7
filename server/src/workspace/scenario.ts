import type { MergeRequestEvent, PipelineSource, Situation } from "../engine/simulation/situation";
import type { HeadFacts } from "./io";

// A scenario is a situation as a user writes it — the CLI's flags, a `.pipewright.yml` scenario,
// the editor's defaults — with everything left out filled in the documented order: what the
// scenario says, then the project's settings, then git, then GitLab's defaults.

export const PIPELINE_SOURCES: readonly PipelineSource[] = [
  "push",
  "merge_request_event",
  "schedule",
  "web",
  "api",
  "trigger",
  "pipeline",
  "parent_pipeline",
  "external_pull_request_event",
  "chat",
  "webide",
  "security_orchestration_policy",
  "ondemand_dast_scan",
  "ondemand_dast_validation",
];
export const MR_EVENTS: readonly MergeRequestEvent[] = ["detached", "merged_result", "merge_train"];

export interface Scenario {
  readonly name?: string;
  readonly source?: PipelineSource;
  /** The branch (for a merge request, its source branch). */
  readonly branch?: string;
  readonly tag?: string;
  readonly defaultBranch?: string;
  readonly project?: string;
  readonly mrTarget?: string;
  readonly mrLabels?: readonly string[];
  readonly mrTitle?: string;
  readonly mrEvent?: MergeRequestEvent;
  /** Pipeline variables (`--var KEY=VALUE`). */
  readonly variables?: Readonly<Record<string, string>>;
  /** The diff, as a list of paths. */
  readonly changed?: readonly string[];
  /** `none`: an empty diff; `unknown`: no diff (every `changes:` is true). */
  readonly changes?: "none" | "unknown";
}

/** What the project's settings say about pipelines. */
export interface PipelineSettings {
  readonly project?: string;
  readonly defaultBranch?: string;
}

/** What the host can find out; every part optional (outside git, none of it). */
export interface ScenarioFacts {
  readonly settings: PipelineSettings;
  readonly head?: HeadFacts;
  readonly changedSince?: (ref: string) => string[] | undefined;
  /** The project's files, for `exists:`. */
  readonly files?: readonly string[];
  readonly configPath: string;
}

/** `group/project` and the host from a remote URL: `git@host:group/project.git`, `https://host/group/project.git`. */
export function projectFromRemote(url: string): { host: string; path: string } | undefined {
  const m =
    /^[\w.-]+@([^:/]+):(.+?)(?:\.git)?\/?$/.exec(url) ??
    /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/(.+?)(?:\.git)?\/?$/.exec(url);
  return m ? { host: m[1], path: m[2] } : undefined;
}

export function situationOf(scenario: Scenario, facts: ScenarioFacts): Situation {
  const remote = facts.head?.remote ? projectFromRemote(facts.head.remote) : undefined;
  const defaultBranch = scenario.defaultBranch ?? facts.settings.defaultBranch ?? facts.head?.defaultBranch ?? "main";
  const source = scenario.source ?? "push";
  const ref = scenario.tag
    ? { kind: "tag" as const, name: scenario.tag }
    : { kind: "branch" as const, name: scenario.branch ?? defaultBranch };
  const mr = source === "merge_request_event";
  const mergeRequest = mr
    ? {
        event: scenario.mrEvent ?? "detached",
        targetBranch: scenario.mrTarget ?? defaultBranch,
        title: scenario.mrTitle ?? "",
        description: "",
        labels: scenario.mrLabels ?? [],
        iid: 1,
      }
    : undefined;
  return {
    source,
    ref,
    defaultBranch,
    projectPath: scenario.project ?? facts.settings.project ?? remote?.path ?? "group/project",
    serverHost: remote?.host ?? "gitlab.com",
    // the default branch and tags are protected unless a project says otherwise
    protectedRef: ref.kind === "tag" || ref.name === defaultBranch,
    mergeRequest,
    variables: new Map(Object.entries(scenario.variables ?? {})),
    changes: changesOf(scenario, source, ref, mergeRequest?.targetBranch, facts),
    files: facts.files,
    commit: { sha: facts.head?.sha ?? "0".repeat(40), message: facts.head?.message ?? "" },
    configPath: facts.configPath,
  };
}

/**
 * The diff: as given; else, from git, what a merge request (against its target) or a push to a
 * branch that exists on the remote (against it) would carry, uncommitted changes included; else
 * none known, as GitLab has none for tags, schedules, new branches and most other sources.
 */
function changesOf(
  scenario: Scenario,
  source: PipelineSource,
  ref: Situation["ref"],
  target: string | undefined,
  facts: ScenarioFacts,
): readonly string[] | undefined {
  if (scenario.changed) return scenario.changed;
  if (scenario.changes === "none") return [];
  if (scenario.changes === "unknown" || !facts.changedSince) return undefined;
  if (source === "merge_request_event" && target)
    return facts.changedSince(`origin/${target}`) ?? facts.changedSince(target);
  if (source === "push" && ref.kind === "branch" && facts.head?.branch === ref.name && facts.head.upstream)
    return facts.changedSince(facts.head.upstream);
  return undefined;
}

/** What the situation is, in a few words: "push to main", "merge request from feature into main". */
export function describeSituation(s: Situation): string {
  const ref = `${s.ref.kind} ${s.ref.name}`;
  if (s.mergeRequest) {
    const event = s.mergeRequest.event === "detached" ? "" : ` (${s.mergeRequest.event.replace("_", " ")})`;
    return `merge request from ${s.ref.name} into ${s.mergeRequest.targetBranch}${event}`;
  }
  if (s.source === "push") return `push to ${ref}`;
  return `${s.source} pipeline for ${ref}`;
}

/** What a scenario says, before settings and git complete it: "merge request from feature", "tag v1.0.0". */
export function scenarioWords(s: Scenario): string {
  const source = s.source ?? "push";
  const ref =
    s.tag !== undefined ? `tag ${s.tag}` : s.branch !== undefined ? `branch ${s.branch}` : "the default branch";
  const words =
    source === "merge_request_event"
      ? `merge request from ${s.branch ?? "the current branch"}${s.mrTarget ? ` into ${s.mrTarget}` : ""}`
      : source === "push"
        ? `push to ${ref}`
        : `${source} pipeline for ${ref}`;
  const vars = Object.keys(s.variables ?? {});
  return vars.length ? `${words}, with ${vars.join(", ")}` : words;
}
