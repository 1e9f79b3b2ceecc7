import { kubernetesRunner, type RunnerOptions, type RunnerSettings } from "../features/dagger/kubernetes-runner";
import { LineIndex, type Range } from "../engine/text";

// "Write Dagger Kubernetes runner manifests" for one project: the documents of features/dagger/kubernetes-runner.ts,
// pinned to the module's engine version, each compared with what the project has at its path (an editor's buffer
// first), so that the editor's preview and the CLI say which are new, which are there already, and which would
// replace a file that says something else. No IO: the Workspace hands in how to read.

export type RunnerFileStatus = "new" | "same" | "replaces";

export interface RunnerFile {
  /** Project-relative. */
  readonly file: string;
  readonly text: string;
  /** new: nothing there; same: there with this very text; replaces: there with another text. */
  readonly status: RunnerFileStatus;
  /** The whole text there now, when it is replaced. */
  readonly range?: Range;
}

export interface RunnerFiles {
  /** The change in a few words, for a preview's label. */
  readonly title: string;
  /** What the files are for and what to do next, for a preview's description. */
  readonly description: string;
  readonly settings: RunnerSettings;
  /** The runner tag the converted jobs ask for. */
  readonly tag: string;
  readonly files: readonly RunnerFile[];
}

export interface ProjectReads {
  /** A project file's text (the editor's buffer when it is open); undefined when there is none to read. */
  readonly read: (file: string) => string | undefined;
  /** Whether something is at a path even when it does not read as a file (a folder, a link out of the project). */
  readonly exists: (file: string) => boolean;
  /** dagger.json's engineVersion, when the project has a module that says. */
  readonly engineVersion: string | undefined;
  /** The GitLab instance the project's settings name, for the runner to register with. */
  readonly gitlabUrl: string | undefined;
}

export function daggerRunnerFiles(options: RunnerOptions, project: ProjectReads): RunnerFiles | { error: string } {
  const manifests = kubernetesRunner({
    ...options,
    engineVersion: options.engineVersion ?? project.engineVersion,
    gitlabUrl: options.gitlabUrl ?? project.gitlabUrl,
  });
  if ("error" in manifests) return manifests;
  const files: RunnerFile[] = [];
  for (const { file, text } of manifests.files) {
    const there = project.read(file);
    if (there === undefined) {
      if (project.exists(file))
        return { error: `${file} is there but is not a file of the project Pipewright can read` };
      files.push({ file, text, status: "new" });
    } else if (there === text) files.push({ file, text, status: "same" });
    else {
      const lines = new LineIndex(there);
      files.push({
        file,
        text,
        status: "replaces",
        range: { start: lines.position(0), end: lines.position(there.length) },
      });
    }
  }
  const s = manifests.settings;
  const replaced = files.filter((f) => f.status === "replaces").map((f) => f.file);
  const description = [
    `The Dagger Engine ${s.engineVersion} on nodes labelled and tainted ${s.nodeLabel}=true, and a privileged GitLab`,
    "runner (Kubernetes executor) whose job pods run there with the engine's socket, for the jobs tagged",
    `${manifests.tag}.`,
    `Before kubectl apply -k ${s.folder}: create the runner in GitLab with the tag ${manifests.tag}, and its token as`,
    `the Secret ${s.tokenSecret} (runner.yaml says how).`,
    replaced.length
      ? `Replaces ${replaced.join(", ")}, which say${replaced.length === 1 ? "s" : ""} something else.`
      : "",
  ]
    .filter(Boolean)
    .join(" ");
  return {
    title: `Write the Dagger Kubernetes runner manifests in ${s.folder}`,
    description,
    settings: s,
    tag: manifests.tag,
    files,
  };
}
