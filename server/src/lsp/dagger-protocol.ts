// The server's command that writes the runner side of the Dagger jobs (lsp/commands.ts), for the editor's
// "Pipewright: Write Dagger Kubernetes runner manifests". Types only: the client imports them too (and the
// type-only import below is gone from its bundle).
import type { RunnerOptions } from "../features/dagger/kubernetes-runner";

/** `workspace/executeCommand` with this command writes the manifests; its one argument is RunnerCommandParams. */
export const WRITE_RUNNER_COMMAND = "pipewright.daggerKubernetesRunner.write";

/**
 * The project (a file or folder URI in it; none: the first), and any of the documents' settings: the
 * generator's own options, less the engine version, which is always the module's.
 */
export type RunnerCommandParams = Omit<RunnerOptions, "engineVersion"> & { readonly uri?: string };

export type RunnerCommandResult =
  | {
      /** Whether the editor applied the edit (false: the user cancelled it, or nothing was left to write). */
      readonly applied: boolean;
      /** The project-relative folder of the documents. */
      readonly folder: string;
      /** Every document: new, the same as there already, or replacing what is there. */
      readonly files: ReadonlyArray<{ readonly file: string; readonly status: "new" | "same" | "replaces" }>;
      /** Files left as they are although they differ: the editor cannot show a preview of their replacement. */
      readonly kept: readonly string[];
      /** Why the editor did not apply the edit, when it says. */
      readonly reason?: string;
    }
  | { readonly error: string };
