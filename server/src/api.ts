import { MemoryHost } from "./engine/memory-host";
import { toJSON } from "./engine/values";
import { pipelineJson, type PipelineJson } from "./cli/pipeline";
import { nodeIO } from "./node/node-io";
import type { WorkspaceIO } from "./workspace/io";
import { MR_EVENTS, PIPELINE_SOURCES, type Scenario as WorkspaceScenario } from "./workspace/scenario";
import { ScenarioFlagError, withNamed } from "./workspace/scenario-flags";
import { Workspace } from "./workspace/workspace";

// Pipewright for Node programs: `require("pipewright")` / `import ... from "pipewright"` (the package's
// `exports`). The same Workspace calls the CLI makes, over files in memory or a folder on disk, answered
// in the CLI's JSON shapes. External includes (project, component, template, remote) are not read.
//
// The types below are the package's dist/api.d.ts, emitted from this file alone (scripts/bundle.mjs), so
// they are written out here rather than imported; `Checked` keeps them equal to the internal ones.

/** A 0-based line and UTF-16 character, as in the Language Server Protocol. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** A range in one file of the project; `file` is project-relative, with `/`. */
export interface Location {
  readonly file: string;
  readonly range: Range;
}

export type Severity = "error" | "warning" | "information" | "hint";

/** A finding, as `pipewright check --format json` prints it (with its fixes besides). */
export interface Diagnostic extends Location {
  readonly severity: Severity;
  /** A stable code: docs/diagnostics.md lists them; a lint's code is its rule id (docs/rules/<id>.md). */
  readonly code: string;
  readonly message: string;
  /** Where else it shows: the jobs that use a template, the other end of a cycle... */
  readonly related?: ReadonlyArray<Location & { readonly message: string }>;
  /** Text edits that fix it, when the fix is clear. */
  readonly fixes?: ReadonlyArray<{
    readonly title: string;
    readonly edits: ReadonlyArray<Location & { readonly newText: string }>;
  }>;
  /**
   * Where the code is explained, relative to the package: a lint's rule page (`docs/rules/<id>.md`), any
   * other code's row of the list of codes (`docs/diagnostics.md#<code>`).
   */
  readonly docs?: string;
}

export interface Options {
  /** The project's files, project-relative path → text. Give either `files` or `dir`. */
  readonly files?: Readonly<Record<string, string>>;
  /** A project folder on disk (its `.pipewright.yml` and git repository are read, as by the CLI). */
  readonly dir?: string;
  /** The root file, project-relative; else `.gitlab-ci.yml` or the configured roots, as the CLI's `--root`. */
  readonly root?: string;
  /**
   * The user's settings, as VS Code's `pipewright.*` settings without the prefix: `severity`, `rules`, `roots`,
   * `ciConfigPath`... (a `.pipewright.yml` applies first, these over it). What is not valid is ignored, as in the
   * editor.
   */
  readonly settings?: unknown;
}

/** Who starts the pipeline: `CI_PIPELINE_SOURCE`. */
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

/**
 * The situation to simulate, as `pipewright pipeline`'s flags say it (docs/pipeline.md); what is left out comes
 * from `.pipewright.yml`, then git, then GitLab's defaults: a push to the default branch.
 */
export interface Scenario {
  /** A scenario of `.pipewright.yml` to start from (`--scenario`); the other fields override it. */
  readonly name?: string;
  readonly source?: PipelineSource;
  /** The branch (for a merge request, its source branch); not with `tag`. */
  readonly branch?: string;
  readonly tag?: string;
  readonly defaultBranch?: string;
  /** The project's path, `group/project`. */
  readonly project?: string;
  readonly mrTarget?: string;
  readonly mrLabels?: readonly string[];
  readonly mrTitle?: string;
  readonly mrEvent?: "detached" | "merged_result" | "merge_train";
  /** Pipeline variables (`--var KEY=VALUE`). */
  readonly variables?: Readonly<Record<string, string>>;
  /** The diff, as project-relative paths (`--changed`); not with `changes`. */
  readonly changed?: readonly string[];
  /** `none`: an empty diff; `unknown`: no diff, every `changes:` is true (`--changes`). */
  readonly changes?: "none" | "unknown";
}

type Line = { file: string; line: number } | null;
type Problem = { message: string; file: string | null; line: number | null };

/** The pipeline GitLab would create, as `pipewright pipeline --format json` prints it (1-based lines). */
export interface Pipeline {
  /** False when no pipeline would be created: `message` says why (workflow rules, an invalid config). */
  created: boolean;
  message: string | null;
  name: string | null;
  variables: Record<string, string>;
  stages: Array<{ name: string; jobs: string[] }>;
  jobs: Array<{
    name: string;
    stage: string;
    /** GitLab's `when`: `on_success`, `manual`, `delayed`, `always`... */
    when: string;
    allowFailure: boolean;
    startIn: string | null;
    variables: Record<string, string>;
    /** null: the job waits for its stage; a list: its `needs`. */
    needs: string[] | null;
    /** The rule that decided the job, when one did. */
    rule: Line;
  }>;
  errors: Problem[];
  warnings: Problem[];
  /** The child pipelines of its trigger jobs, each with the trigger job and the child's config file. */
  children: Array<{ job: string; file: string } & Pipeline>;
}

type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
// eslint-disable-next-line @typescript-eslint/no-unused-vars
type Checked<T extends true[] = [Same<Pipeline, PipelineJson>, Same<Scenario, WorkspaceScenario>]> = T;

function workspace(o: Options): Workspace {
  if (!o.files === !o.dir) throw new TypeError("pipewright: give either files or dir");
  const io: WorkspaceIO = o.files ? { files: new MemoryHost({ ...o.files }) } : nodeIO(o.dir!);
  const ws = new Workspace(io, { roots: o.root === undefined ? undefined : [o.root], baseline: "now" });
  if (o.settings !== undefined) ws.setUserSettings(o.settings);
  return ws;
}

/** Every finding of the config, as `pipewright check --format json` gives them, sorted by file and position. */
export async function check(o: Options): Promise<Diagnostic[]> {
  return workspace(o).diagnostics();
}

/**
 * The merged configuration, as `pipewright merged --format json` gives it (GitLab's "full configuration"); with
 * `job`, that job's effective definition. Undefined when there is no such job or no root.
 */
export async function merged(o: Options & { readonly job?: string }): Promise<unknown> {
  const model = workspace(o).mainModel();
  if (!model) return undefined;
  const value = o.job === undefined ? model.merged : model.effectiveJob(o.job);
  // what JSON.parse of `merged --format json` gives, without writing and reading the text (a big config: 40 %)
  return value === undefined ? undefined : toJSON(value);
}

/**
 * The pipeline GitLab would create for a scenario (a push to the default branch when none is given), as
 * `pipewright pipeline --format json` gives it. Throws a TypeError for a scenario the CLI would refuse.
 */
export async function pipeline(o: Options & { readonly scenario?: Scenario }): Promise<Pipeline> {
  const ws = workspace(o);
  let scenario: WorkspaceScenario;
  try {
    scenario = withNamed(checkScenario(o.scenario ?? {}), ws.scenarios());
  } catch (e) {
    if (e instanceof ScenarioFlagError) throw new TypeError(`pipewright: ${e.message}`);
    throw e;
  }
  return pipelineJson(ws.pipeline(ws.situation(scenario, o.root), o.root));
}

/** What `pipewright pipeline`'s flags refuse (workspace/scenario-flags.ts), for callers without types. */
function checkScenario(s: Scenario): Scenario {
  const fail = (message: string) => {
    throw new TypeError(`pipewright: ${message}`);
  };
  if (s.source !== undefined && !PIPELINE_SOURCES.includes(s.source))
    fail(`source must be one of ${PIPELINE_SOURCES.join(", ")}`);
  if (s.mrEvent !== undefined && !MR_EVENTS.includes(s.mrEvent)) fail(`mrEvent must be one of ${MR_EVENTS.join(", ")}`);
  if (s.branch !== undefined && s.tag !== undefined) fail("branch and tag cannot be used together");
  if (s.changes !== undefined && s.changes !== "none" && s.changes !== "unknown")
    fail("changes must be none or unknown");
  if (s.changed !== undefined && s.changes !== undefined) fail("changed and changes cannot be used together");
  return s.changed ? { ...s, changed: s.changed.map((p) => p.replace(/\\/g, "/").replace(/^\.\//, "")) } : s;
}
