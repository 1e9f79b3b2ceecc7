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

export interface WorkspaceIO {
  readonly files: ProjectFiles;
  readonly git?: GitFacts;
  /** The editor's store of parsed files; the CLI has none. */
  readonly store?: ParseStore;
}
