import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_ROOT } from "../engine/engine";
import { effectiveSettings, NO_SETTINGS, PROJECT_SETTINGS_FILE, readProjectSettings } from "../workspace/settings";
import { UsageError } from "./args";

// The projects a command line names. A folder is a project when it holds a `.gitlab-ci.yml` or a
// `.pipewright.yml`; otherwise the nearest folder above it that does, looking no higher than the git
// root (the first folder with a `.git`), as git and eslint find their configuration. A file is a root,
// analysed in the project around it (found the same way from its folder). Arguments in the same
// project are one project with all their roots, so a file two roots share is reported once.

export interface Target {
  /** The project folder, absolute. */
  readonly dir: string;
  /** How messages name it: the folder as given, or from the current folder when it was found above it. */
  readonly name: string;
  /** The project folder from the current folder, with `/`; "" when it is the current folder. */
  readonly prefix: string;
  /** Found above the folder given, or around a file given. */
  readonly discovered: boolean;
  /** Roots that replace the configured ones; undefined: the configured ones. */
  readonly roots?: readonly string[];
  /** Whether `roots` came from --root (a missing one is then a usage error of its own). */
  readonly rootFlag: boolean;
}

const posix = (p: string) => p.split(path.sep).join("/");

function hasConfig(dir: string): boolean {
  return [DEFAULT_ROOT, PROJECT_SETTINGS_FILE].some((f) => fs.existsSync(path.join(dir, f)));
}

/** The nearest folder from `start` up that holds a config, no higher than the git root; undefined if none. */
export function discoverProject(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (hasConfig(dir)) return dir;
    if (fs.existsSync(path.join(dir, ".git"))) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The roots a project's `.pipewright.yml` configures (the CLI has no user settings). */
function configuredRoots(dir: string): readonly string[] {
  let text: string | undefined;
  try {
    text = fs.readFileSync(path.join(dir, PROJECT_SETTINGS_FILE), "utf8");
  } catch {
    text = undefined;
  }
  return effectiveSettings(readProjectSettings(text).settings, NO_SETTINGS).roots;
}

/** The projects of a command line's paths (none: the current folder), each with its roots. */
export function resolveTargets(
  paths: readonly string[],
  rootFlag: string | undefined,
  cwd: string,
  command?: string,
): Target[] {
  const groups = new Map<string, { name: string; discovered: boolean; folder: boolean; files: string[] }>();
  const add = (dir: string, name: string, discovered: boolean, file?: string) => {
    let g = groups.get(dir);
    if (!g) groups.set(dir, (g = { name, discovered, folder: false, files: [] }));
    if (file === undefined) g.folder = true;
    else if (!g.files.includes(file)) g.files.push(file);
  };
  const shown = (abs: string) => posix(path.relative(cwd, abs)) || ".";
  for (const given of paths.length ? paths : ["."]) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(given);
    } catch {
      throw new UsageError(`${given} is not a directory or a file`, true, command);
    }
    const abs = path.resolve(cwd, given);
    if (stat.isDirectory()) {
      // --root names the root in DIR itself: no looking up
      const found = rootFlag === undefined && !hasConfig(abs) ? discoverProject(abs) : undefined;
      if (found) add(found, shown(found), true);
      else add(abs, given, false);
    } else if (stat.isFile()) {
      if (rootFlag !== undefined)
        throw new UsageError(`give --root or a FILE, not both (${given} is a file)`, true, command);
      const folder = path.dirname(abs);
      const dir = discoverProject(folder) ?? folder;
      add(dir, shown(dir), true, posix(path.relative(dir, abs)));
    } else throw new UsageError(`${given} is not a directory or a file`, true, command);
  }
  return [...groups].map(([dir, g]) => {
    const roots =
      rootFlag !== undefined
        ? [rootFlag]
        : g.files.length
          ? [...(g.folder ? configuredRoots(dir) : []), ...g.files]
          : undefined;
    return {
      dir,
      name: g.name,
      prefix: posix(path.relative(cwd, dir)),
      discovered: g.discovered,
      roots: roots && [...new Set(roots)],
      rootFlag: rootFlag !== undefined,
    };
  });
}
