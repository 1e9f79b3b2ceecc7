import type { Location } from "vscode-languageserver";

// The server's `pipewright/scenarios` and `pipewright/pipeline` requests, for the editor's pipeline view
// (client/src/pipeline-view.ts). Types only: the client imports them too.

/** `pipewright/scenarios`: the scenarios the editor offers (its four, then the project's own). */
export interface ScenariosParams {
  readonly uri?: string;
}
export interface ScenariosResult {
  readonly scenarios: ReadonlyArray<{ readonly label: string; readonly description: string }>;
}

/**
 * `pipewright/pipeline`: the pipeline GitLab would create. `scenario` is one of the labels
 * `pipewright/scenarios` gave, or `args`, the flags of `pipewright pipeline` ("--tag v1 --var A=1").
 */
export interface PipelineParams {
  readonly uri?: string;
  readonly scenario?: string;
  readonly args?: string;
}

export interface PipelineViewJob {
  readonly name: string;
  readonly stage: string;
  /** on_success, manual, delayed, always, on_failure. */
  readonly when: string;
  readonly allowFailure: boolean;
  readonly startIn: string | null;
  /** The jobs it needs (created ones only); null when it has no `needs:` and waits for earlier stages. */
  readonly needs: readonly string[] | null;
  /** Where the job is defined: its key. */
  readonly location: Location | null;
  /** The rule (or only/except entry) that decided it; null when none did (no rules: it always runs). */
  readonly rule: Location | null;
}

export interface PipelineViewData {
  /** What was simulated, in words: "merge request from feature into main in group/project". */
  readonly title: string;
  readonly created: boolean;
  /** GitLab's message when no pipeline is created. */
  readonly message: string | null;
  /** workflow:name, when set. */
  readonly name: string | null;
  readonly stages: ReadonlyArray<{ readonly name: string; readonly jobs: readonly string[] }>;
  readonly jobs: readonly PipelineViewJob[];
  readonly notCreated: ReadonlyArray<{
    readonly name: string;
    /** In words: "when: never", "no rule matched", "only/except". */
    readonly why: string;
    readonly location: Location | null;
    readonly rule: Location | null;
  }>;
  readonly errors: ReadonlyArray<{ readonly message: string; readonly location: Location | null }>;
  readonly warnings: ReadonlyArray<{ readonly message: string; readonly location: Location | null }>;
  /** The child pipelines its trigger jobs start: the trigger job, the child's config file, the child. */
  readonly children: ReadonlyArray<{
    readonly job: string;
    readonly file: string;
    readonly pipeline: PipelineViewData;
  }>;
}

export type PipelineResult = PipelineViewData | { readonly error: string };
