import * as fs from "node:fs";
import * as path from "node:path";
import { nodeIO } from "../node/node-io";
import type { RunnerFile } from "../workspace/dagger-runner";
import { Workspace } from "../workspace/workspace";
import { UsageError, type Args } from "./args";
import { err, out } from "./output";
import type { Target } from "./project";
import { plural } from "./text";

// `pipewright dagger runner`: the runner side of the jobs converted to Dagger for the Kubernetes executor, as the
// Workspace computes it (workspace/dagger-runner.ts), written into the project and nowhere else. All or nothing:
// a file that says something else stops the run before anything is written, unless --force.

/** Whether `abs` is `root` or inside it. */
const within = (root: string, abs: string) => abs === root || abs.startsWith(root + path.sep);

/**
 * The folder's real path once created, refusing one that a link would lead out of the project: the deepest part
 * that exists is resolved before anything is created under it.
 */
function folderInside(projectDir: string, folder: string): string {
  const root = fs.realpathSync(projectDir);
  const abs = path.resolve(root, folder);
  if (!within(root, abs)) throw new UsageError(`${folder} is not inside the project`, false, "dagger");
  let existing = abs;
  while (!fs.existsSync(existing)) existing = path.dirname(existing);
  if (!within(root, fs.realpathSync(existing)))
    throw new UsageError(`${folder} leads out of the project through a link`, false, "dagger");
  fs.mkdirSync(abs, { recursive: true });
  return abs;
}

function lstat(abs: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(abs);
  } catch {
    return undefined;
  }
}

const VERB: Record<RunnerFile["status"], string> = { new: "created", same: "unchanged", replaces: "replaced" };

export function daggerRunner(args: Args, target: Target): number {
  const workspace = new Workspace(nodeIO(target.dir, { git: false }), {
    roots: target.roots,
    gitlabUrl: args.gitlabUrl,
  });
  const { options, force, check } = args.runner;
  const runner = workspace.daggerKubernetesRunner(options);
  if ("error" in runner) throw new UsageError(runner.error, false, "dagger");
  const shown = (file: string) => (target.prefix ? `${target.prefix}/${file}` : file);
  const stale = runner.files.filter((f) => f.status !== "same");
  if (check) {
    for (const f of stale) out(`${shown(f.file)}: ${f.status === "new" ? "missing" : "out of date"}\n`);
    const again = `pipewright dagger runner${target.prefix ? " " + target.prefix : ""}`;
    err(
      stale.length
        ? `${plural(stale.length, "manifest")} to write: ${again}\n`
        : `the manifests in ${shown(runner.settings.folder)} are up to date\n`,
    );
    return stale.length ? 1 : 0;
  }
  const differ = runner.files.filter((f) => f.status === "replaces");
  if (differ.length && !force) {
    for (const f of differ) out(`${shown(f.file)}: says something else; not replaced\n`);
    err(`nothing written: ${plural(differ.length, "file")} would be replaced; --force replaces them\n`);
    return 1;
  }
  const dir = folderInside(target.dir, runner.settings.folder);
  const at = (f: RunnerFile) => path.join(dir, path.basename(f.file));
  // a link (even one leading nowhere) would write elsewhere: only plain files are written, checked before any is
  for (const f of stale) {
    const there = lstat(at(f));
    if (there?.isSymbolicLink() || (there && !there.isFile()))
      throw new UsageError(`${f.file} is a link or not a file; nothing written`, false, "dagger");
  }
  for (const f of runner.files) {
    if (f.status !== "same") fs.writeFileSync(at(f), f.text);
    out(`${VERB[f.status]} ${shown(f.file)}\n`);
  }
  err(
    `Next: create the runner in GitLab with the tag ${runner.tag}, store its token as the Secret ` +
      `${runner.settings.tokenSecret} (runner.yaml says how), then kubectl apply -k ${shown(runner.settings.folder)}\n`,
  );
  return 0;
}
