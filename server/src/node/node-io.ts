import { DiskHost } from "./disk-host";
import { GitRepository } from "./git";
import { cacheDir, DiskParseStore } from "./parse-store";
import type { WorkspaceIO } from "../workspace/io";

/**
 * A project directory on disk, with its git repository, as a workspace sees it; `store` keeps parsed files between
 * sessions.
 */
export function nodeIO(dir: string, options: { store?: boolean } = {}): WorkspaceIO {
  const storeDir = options.store ? cacheDir() : undefined;
  return {
    files: new DiskHost(dir),
    git: new GitRepository(dir),
    store: storeDir ? new DiskParseStore(dir, storeDir) : undefined,
  };
}
