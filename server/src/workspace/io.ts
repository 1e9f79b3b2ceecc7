import type { ExternalAnswer, ExternalRequest } from "../engine/external";
import type { SourceHost } from "../engine/types";

// What a workspace needs from the world, given by its host: the CLI and the language server pass
// node/'s disk and git implementations, tests pass files in memory. The workspace itself does no IO.

/** The project's files, project-relative; reads outside the project or of non-regular files answer undefined. */
export interface ProjectFiles extends SourceHost {
  /** Forgets what was read (of these paths, or everything), after files changed on disk. */
  invalidate(paths?: readonly string[]): void;
  /** Whether a file is there, readable or not (too big, say); without this, whether it reads. */
  exists?(path: string): boolean;
}

/** Facts from the project's git repository. */
export interface GitFacts {
  /**
   * The commit new variables are judged against: the merge-base with the default branch, else HEAD; undefined outside
   * git.
   */
  baselineCommit(): string | undefined;
  /** The project's files as they are at a commit. */
  filesAt(commit: string): SourceHost;
  /** What the pipeline simulation takes from git when not told; undefined outside git. */
  head?(): HeadFacts | undefined;
  /**
   * Files changed from where HEAD left `ref` (their merge base) to the working tree, uncommitted and
   * untracked files included; undefined when `ref` is unknown.
   */
  changedSince?(ref: string): string[] | undefined;
}

export interface HeadFacts {
  /** The branch checked out; undefined on a detached HEAD. */
  readonly branch?: string;
  readonly sha: string;
  readonly message: string;
  /** The remote's default branch (origin/HEAD), when known. */
  readonly defaultBranch?: string;
  /** The `origin` remote's URL, when there is one. */
  readonly remote?: string;
  /** Whether the branch has an upstream on the remote (so a push updates it, and has a diff). */
  readonly upstream?: string;
}

/** Parsed files kept between sessions (engine/parsed-store.ts's data), by project path. */
export interface ParseStore {
  load(): ReadonlyMap<string, unknown> | undefined;
  save(files: ReadonlyMap<string, unknown>): void;
}

/** The last analysis's findings kept between sessions (workspace/kept-findings.ts's data). */
export interface FindingsStore {
  load(): unknown;
  save(data: unknown): void;
}

/**
 * Files of other projects, CI templates and remote files (`include:project`, `component`, `template`,
 * `remote`), kept in an on-disk cache and fetched from a GitLab instance on request. Only given when the
 * user turned remote includes on; the workspace then never reads them any other way.
 */
export interface RemoteIncludes {
  /** The instance's host (`gitlab.com`, `127.0.0.1:8080`): what `$CI_SERVER_FQDN` stands for. */
  readonly instanceHost: string;
  /**
   * What the cache answers now, without the network. `refresh` says a fetch would tell more: the
   * request is not cached, or it names a branch (or a partial version) whose copy is older than the
   * refresh time. A request whose fetch failed lately answers `failed` (or its old copy, with a note).
   */
  lookup(request: ExternalRequest): { readonly answer: ExternalAnswer; readonly refresh: boolean };
  /** The text of a file an answer found, by its virtual path; undefined for any other path. */
  read(path: string): string | undefined;
  /** Where a virtual path's copy is on disk, for the editor to open read-only and the CLI to print. */
  diskPath(path: string): string | undefined;
  /**
   * Fetches these requests (their refs, versions and files) and stores what it gets in the cache;
   * remembers failures for lookup. Never rejects; resolves when every request is stored or failed.
   */
  fetch(requests: readonly ExternalRequest[]): Promise<void>;
}

/** What the settings say of the instance; the host adds the environment, the credentials and the cache folder. */
export interface RemoteConfig {
  /** The `gitlabUrl` setting; undefined for the host's default (`$CI_SERVER_URL`, else https://gitlab.com). */
  readonly instanceUrl?: string;
  readonly refreshMinutes: number;
}

export interface WorkspaceIO {
  readonly files: ProjectFiles;
  /**
   * Opens the include cache when the settings turn remote includes on; absent where they cannot be
   * (tests in memory, an untrusted editor workspace). The host decides which credentials go with it.
   */
  readonly remoteIncludes?: (config: RemoteConfig) => RemoteIncludes;
  readonly git?: GitFacts;
  /** The editor's store of parsed files; the CLI has none. */
  readonly store?: ParseStore;
  /** The editor's store of the last analysis's findings; the CLI has none. */
  readonly findings?: FindingsStore;
}
