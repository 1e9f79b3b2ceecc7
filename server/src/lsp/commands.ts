import type * as lsp from "vscode-languageserver/node";
import type { RunnerOptions } from "../features/dagger/kubernetes-runner";
import * as convert from "./convert";
import { WRITE_RUNNER_COMMAND, type RunnerCommandParams, type RunnerCommandResult } from "./dagger-protocol";
import type { Requests } from "./requests";
import type { Session } from "./session";

// Pipewright's commands (workspace/executeCommand), as server.ts: a Workspace call in, LSP out. The one command
// writes the runner side of the Dagger jobs: the Workspace says which files are new, there already or replaced,
// lsp/convert.ts makes them one workspace edit that asks to be confirmed, and the client is asked to apply it.

const STRING_OPTIONS = [
  "namespace",
  "engineNamespace",
  "nodeLabel",
  "name",
  "gitlabUrl",
  "tokenSecret",
  "runnerImage",
  "folder",
] as const;

/** The settings a command's argument gives, the ones of the right type only. */
function optionsOf(p: RunnerCommandParams): RunnerOptions {
  const options: Record<string, string | number> = {};
  for (const key of STRING_OPTIONS) if (typeof p[key] === "string") options[key] = p[key];
  if (typeof p.concurrent === "number") options.concurrent = p.concurrent;
  return options as RunnerOptions;
}

export function onPipewrightCommands(connection: lsp.Connection, requests: Requests, session: Session): void {
  connection.onExecuteCommand(async (p): Promise<RunnerCommandResult | null> => {
    if (p.command !== WRITE_RUNNER_COMMAND) return null;
    const arg = (
      typeof p.arguments?.[0] === "object" && p.arguments[0] !== null ? p.arguments[0] : {}
    ) as RunnerCommandParams;
    const prepared = requests.inFolder(
      "dagger runner",
      undefined,
      typeof arg.uri === "string" ? arg.uri : undefined,
      (ws, _file, folder) => ({ folder, runner: ws.daggerKubernetesRunner(optionsOf(arg)) }),
      "editing",
    );
    if (!prepared) return { error: "there is no project to write the manifests in" };
    const { folder, runner } = prepared;
    if ("error" in runner) return { error: runner.error };
    const { createsFiles, annotations } = session.editing;
    if (!createsFiles)
      return { error: "this editor cannot create files for a language server; pipewright dagger runner writes them" };
    const files = runner.files.map((f) => ({ file: f.file, status: f.status }));
    // without a preview, a file that says something else is not replaced unseen
    const kept = annotations ? [] : runner.files.filter((f) => f.status === "replaces").map((f) => f.file);
    const edit = convert.runnerEdit(folder, runner, annotations);
    const done = { folder: runner.settings.folder, files, kept };
    if (!edit) return { applied: false, ...done };
    const answer = await connection.workspace.applyEdit({ label: runner.title, edit });
    return { applied: answer.applied, ...done, ...(answer.failureReason ? { reason: answer.failureReason } : {}) };
  });
}
