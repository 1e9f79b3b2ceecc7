import * as fs from "node:fs";
import * as path from "node:path";

// The projects in an editor's workspace folder: every directory that holds a `.gitlab-ci.yml` is one,
// rooted there (a monorepo's, or a config kept in a subfolder), and the folder itself when it holds a
// `.gitlab-ci.yml` or a `.pipewright.yml`. The walk is bounded and cheap: breadth first, so the
// shallowest projects are found first; dependency and VCS folders and dot-directories (but `.gitlab`)
// are skipped, and a symlinked directory is never followed, so nothing outside the folder is read.

export const CI_FILE = ".gitlab-ci.yml";
export const SETTINGS_FILE = ".pipewright.yml";

export interface DiscoveryLimits {
  /** How deep below the folder a project may be (the folder is depth 0). */
  readonly depth: number;
  /** How many directories are read at most. */
  readonly dirs: number;
  /** How many projects are found at most. */
  readonly projects: number;
}

export const DISCOVERY_LIMITS: DiscoveryLimits = { depth: 8, dirs: 2000, projects: 50 };

const SKIP_DIRS = new Set(["node_modules", "vendor"]);

const skipped = (name: string) => SKIP_DIRS.has(name) || (name.startsWith(".") && name !== ".gitlab");

/** The project directories in `dir` (absolute, `dir` itself first when it is one, then in path order). */
export function discoverProjects(dir: string, limits: DiscoveryLimits = DISCOVERY_LIMITS): string[] {
  const found: string[] = [];
  let queue: string[] = [dir];
  let read = 0;
  for (let depth = 0; depth <= limits.depth && queue.length; depth++) {
    const next: string[] = [];
    for (const at of queue) {
      if (read >= limits.dirs || found.length >= limits.projects) return ordered(dir, found);
      read++;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(at, { withFileTypes: true });
      } catch {
        continue;
      }
      // a symlinked config counts: the host reads it only when it resolves inside the project
      const config = (name: string) => entries.some((e) => e.name === name && (e.isFile() || e.isSymbolicLink()));
      if (config(CI_FILE) || (at === dir && config(SETTINGS_FILE))) found.push(at);
      // Dirents do not follow symlinks: a symlinked directory is neither read nor entered
      for (const e of entries) if (e.isDirectory() && !skipped(e.name)) next.push(path.join(at, e.name));
    }
    queue = next.sort();
  }
  return ordered(dir, found);
}

const ordered = (dir: string, found: string[]) =>
  found.sort((a, b) => (a === dir ? -1 : b === dir ? 1 : a < b ? -1 : a > b ? 1 : 0));
