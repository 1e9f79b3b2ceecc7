import { DiskHost } from "./disk-host";
import { GitRepository } from "./git";
import { DiskFindingsStore, DiskParseStore } from "./parse-store";
import type { WorkspaceIO } from "../workspace/io";

/**
 * A project directory on disk, with its git repository, as a workspace sees it; parsed files and the
 * last findings are kept between sessions in `storeDir`, when one is given.
 */
export function nodeIO(
  dir: string,
  options: {
    storeDir?: string;
    remoteIncludes?: WorkspaceIO["remoteIncludes"];
    git?: boolean;
    /** Whether the editor reports changes to a project-relative file now (its file watchers cover it). */
    watched?: (rel: string) => boolean;
  } = {},
): WorkspaceIO {
  return {
    files: new DiskHost(dir, options.watched),
    // no git in a workspace the user has not trusted: a repository's config can make git run programs
    git: options.git === false ? undefined : new GitRepository(dir),
    store: options.storeDir ? new DiskParseStore(dir, options.storeDir) : undefined,
    findings: options.storeDir ? new DiskFindingsStore(dir, options.storeDir) : undefined,
    remoteIncludes: options.remoteIncludes,
  };
}
