import { renderValue } from "./engine/render";
import { MemoryHost } from "./engine/memory-host";
import { nodeIO } from "./node/node-io";
import type { PositionedDiagnostic } from "./workspace/diagnostics";
import type { WorkspaceIO } from "./workspace/io";
import { Workspace } from "./workspace/workspace";

// Pipewright for Node programs: the same Workspace the CLI and the language server use, over
// files in memory or a folder on disk. `require("pipewright")` (the package's entry) hands these on.

export interface ApiOptions {
  /** The project's files, path → text; or `dir`, a folder on disk. */
  readonly files?: Readonly<Record<string, string>>;
  readonly dir?: string;
  /** The root file, project-relative; the configured roots (`.gitlab-ci.yml`) when not given. */
  readonly root?: string;
  /** Settings as the editor's `pipewright.*` would give them (severity, rules, roots, ciConfigPath). */
  readonly settings?: unknown;
}

function workspace(o: ApiOptions): Workspace {
  if (!o.files === !o.dir) throw new TypeError("pipewright: give either files or dir");
  const io: WorkspaceIO = o.files ? { files: new MemoryHost({ ...o.files }) } : nodeIO(o.dir!);
  const ws = new Workspace(io, { roots: o.root === undefined ? undefined : [o.root], baseline: "now" });
  if (o.settings !== undefined) ws.setUserSettings(o.settings);
  return ws;
}

/** Every finding of the config, as `pipewright check --format json` prints them (0-based positions). */
export async function check(o: ApiOptions): Promise<PositionedDiagnostic[]> {
  return workspace(o).diagnostics();
}

/** The merged configuration (GitLab's "full configuration"), or with `job` that job's effective definition. */
export async function merged(o: ApiOptions & { readonly job?: string }): Promise<unknown> {
  const model = workspace(o).analyze().roots[0]?.main;
  if (!model) return undefined;
  const value = o.job === undefined ? model.merged : model.effectiveJob(o.job);
  return value === undefined ? undefined : JSON.parse(renderValue(value, "json"));
}
