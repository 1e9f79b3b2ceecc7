import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { SourceHost } from "../engine/types";
import type { GitFacts, HeadFacts } from "../workspace/io";

// What the workspace asks git: the baseline commit of "new" for the GLCI_ rule — where this branch
// left the default branch (git merge-base), or HEAD when no default branch can be found, so that
// on the default branch itself uncommitted changes are what is new — and the files at a commit,
// read straight from git objects: the working tree is never touched, and nothing is checked out.

// Git is asked only about a repository whose every part it would read is inside the project: a
// `.git` folder (not a file or link to one elsewhere) at the project's root, with a regular HEAD (a
// FIFO would block git), no configuration that includes other files, no objects borrowed from
// another repository. Git runs with a time limit, without the system configuration, without looking
// for a repository above the project, and without optional locks.

const GIT_TIMEOUT_MS = 10_000;

/** Whether git may be asked about `dir`: see above. */
export function ownRepository(dir: string): boolean {
  try {
    const root = fs.realpathSync(dir);
    const gitDir = path.join(root, ".git");
    if (!fs.lstatSync(gitDir).isDirectory()) return false;
    if (!fs.lstatSync(path.join(gitDir, "HEAD")).isFile()) return false;
    for (const elsewhere of ["commondir", path.join("objects", "info", "alternates")]) {
      if (fs.existsSync(path.join(gitDir, elsewhere))) return false;
    }
    const config = path.join(gitDir, "config");
    if (fs.existsSync(config)) {
      if (!fs.lstatSync(config).isFile()) return false;
      if (/^[ \t]*\[[ \t]*include/im.test(fs.readFileSync(config, "utf8"))) return false;
    }
    return true;
  } catch {
    return false;
  }
}

function git(dir: string, args: readonly string[], input?: string): string | undefined {
  const env = {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CEILING_DIRECTORIES: path.dirname(path.resolve(dir)),
    GIT_OPTIONAL_LOCKS: "0",
    GIT_TERMINAL_PROMPT: "0",
  };
  const r = spawnSync("git", ["-c", "core.fsmonitor=false", ...args], {
    cwd: dir,
    input,
    env,
    timeout: GIT_TIMEOUT_MS,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0 || r.error) return undefined;
  return input === undefined ? r.stdout.toString("utf8") : (r.stdout as unknown as string);
}

/**
 * `-c` options that switch off the filter drivers the repository's own config defines. Comparing the working tree
 * with a commit runs a file's clean filter (`filter.<driver>.clean`/`process`, chosen by .gitattributes), and a
 * cloned repository's config is not the user's to trust (robustness.mjs: a hostile .git/config ran a command
 * when the lenses asked for the merge request's changes). Drivers from the user's own config (git-lfs) still run.
 * An empty command is git's "no filter".
 */
function withoutRepositoryFilters(dir: string): string[] | undefined {
  const defined = git(dir, ["config", "--local", "--null", "--name-only", "--get-regexp", "^filter\\."]) ?? "";
  const drivers = new Set<string>();
  for (const key of defined.split("\0")) {
    const m = /^filter\.(.+)\.[^.]+$/s.exec(key);
    if (m) drivers.add(m[1]);
  }
  // `-c` splits at the first "=": a driver named with one cannot be switched off, so the diff is not run
  if ([...drivers].some((d) => d.includes("="))) return undefined;
  return [...drivers].flatMap((d) => ["clean", "smudge", "process"].flatMap((k) => ["-c", `filter.${d}.${k}=`]));
}

const revision = (dir: string, ref: string) =>
  git(dir, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])?.trim() || undefined;

/**
 * The commit to compare with: merge-base of HEAD and the default branch, else HEAD; undefined outside git or before the
 * first commit.
 */
export function baselineCommit(dir: string): string | undefined {
  if (!ownRepository(dir)) return undefined;
  const head = revision(dir, "HEAD");
  if (!head) return undefined;
  const originHead = git(dir, ["symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"])?.trim();
  const candidates = [
    originHead,
    "refs/remotes/origin/main",
    "refs/remotes/origin/master",
    "refs/heads/main",
    "refs/heads/master",
  ];
  for (const ref of candidates) {
    if (!ref || !revision(dir, ref)) continue;
    const base = git(dir, ["merge-base", "HEAD", ref])?.trim();
    if (base) return base;
  }
  return head;
}

/**
 * A read-only host over the YAML files of one commit, relative to `dir` (which may be a subdirectory of the
 * repository).
 */
export class GitCommitHost implements SourceHost {
  private readonly files = new Map<string, string>();
  private readonly listing: string[];

  constructor(dir: string, commit: string) {
    const names = git(dir, ["ls-tree", "-r", "-z", "--name-only", commit, "--", "."]) ?? "";
    this.listing = names.split("\0").filter(Boolean).sort();
    // One `cat-file --batch` for every YAML file: a process per file would cost seconds on big repositories.
    const wanted = this.listing.filter((p) => /\.ya?ml$/i.test(p));
    if (wanted.length === 0) return;
    const out = git(
      dir,
      ["cat-file", "--batch"],
      wanted.map((p) => `${commit}:./${p}`).join("\n") + "\n",
    ) as unknown as Buffer | undefined;
    if (!out) return;
    let at = 0;
    for (const p of wanted) {
      const nl = out.indexOf(10, at);
      if (nl < 0) break;
      const header = out.subarray(at, nl).toString("utf8");
      const size = /^[0-9a-f]+ blob (\d+)$/.exec(header)?.[1];
      if (size === undefined) {
        at = nl + 1; // "<name> missing": no content follows
        continue;
      }
      const n = Number(size);
      this.files.set(p, out.subarray(nl + 1, nl + 1 + n).toString("utf8"));
      at = nl + 1 + n + 1;
    }
  }

  readFile(path: string): string | undefined {
    return this.files.get(path);
  }

  listFiles(): readonly string[] {
    return this.listing;
  }
}

/** The project's git facts; the baseline commit is asked of git at most every few seconds. */
export class GitRepository implements GitFacts {
  private commit: string | undefined;
  private checkedAt = -Infinity;
  private readonly trees = new Map<string, GitCommitHost>();

  constructor(
    private readonly dir: string,
    private readonly maxAgeMs = 5000,
  ) {}

  baselineCommit(): string | undefined {
    const now = Date.now();
    if (now - this.checkedAt > this.maxAgeMs) {
      this.checkedAt = now;
      this.commit = baselineCommit(this.dir);
    }
    return this.commit;
  }

  head(): HeadFacts | undefined {
    if (!ownRepository(this.dir)) return undefined;
    const sha = revision(this.dir, "HEAD");
    if (!sha) return undefined;
    const branch = git(this.dir, ["symbolic-ref", "--quiet", "--short", "HEAD"])?.trim() || undefined;
    const originHead = git(this.dir, ["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"])?.trim();
    const upstream = branch && revision(this.dir, `refs/remotes/origin/${branch}`) ? `origin/${branch}` : undefined;
    return {
      branch,
      sha,
      message: git(this.dir, ["log", "-1", "--format=%B", "HEAD"])?.trim() ?? "",
      defaultBranch: originHead?.replace(/^origin\//, "") || undefined,
      remote: git(this.dir, ["config", "--get", "remote.origin.url"])?.trim() || undefined,
      upstream,
    };
  }

  changedSince(ref: string): string[] | undefined {
    if (!ownRepository(this.dir) || !revision(this.dir, ref)) return undefined;
    const base = git(this.dir, ["merge-base", "HEAD", ref])?.trim();
    if (!base) return undefined;
    const noFilters = withoutRepositoryFilters(this.dir);
    if (!noFilters) return undefined;
    // paths relative to the repository root, as GitLab's diffs are; the working tree counts
    const changed =
      git(this.dir, [
        ...noFilters,
        "diff",
        "--name-only",
        "-z",
        "--no-renames",
        "--no-ext-diff",
        "--no-textconv",
        base,
      ])?.split("\0") ?? [];
    const untracked = git(this.dir, ["ls-files", "-z", "--others", "--exclude-standard"])?.split("\0") ?? [];
    return [...new Set([...changed, ...untracked].filter(Boolean))].sort();
  }

  filesAt(commit: string): SourceHost {
    let host = this.trees.get(commit);
    if (!host) {
      this.trees.clear(); // one commit at a time: the baseline moves rarely
      host = new GitCommitHost(this.dir, commit);
      this.trees.set(commit, host);
    }
    return host;
  }
}
