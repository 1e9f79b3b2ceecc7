import { DiskHost } from "./disk-host";
import { GitRepository } from "./git";
import type { WorkspaceIO } from "../workspace/io";

/** A project directory on disk, with its git repository, as a workspace sees it. */
export function nodeIO(dir: string): WorkspaceIO {
  return { files: new DiskHost(dir), git: new GitRepository(dir) };
}
