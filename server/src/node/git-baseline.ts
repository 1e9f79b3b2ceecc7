import { spawnSync } from "node:child_process";
import { Engine } from "../engine/engine";
import type { SourceHost } from "../engine/types";
import { definedVariables } from "../model/variables";

// The baseline of "new" for the GLCI_ rule: the config as it was where this branch left the
// default branch (git merge-base), or HEAD when no default branch can be found, so that on the
// default branch itself uncommitted changes are what is new. Read straight from git objects:
// the working tree is never touched, and nothing is checked out.

function git(dir: string, args: readonly string[], input?: string): string | undefined {
  const r = spawnSync("git", args, { cwd: dir, input, maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0 || r.error) return undefined;
  return input === undefined ? r.stdout.toString("utf8") : (r.stdout as unknown as string);
}

const revision = (dir: string, ref: string) => git(dir, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])?.trim() || undefined;

/** The commit to compare with: merge-base of HEAD and the default branch, else HEAD; undefined outside git or before the first commit. */
export function baselineCommit(dir: string): string | undefined {
  const head = revision(dir, "HEAD");
  if (!head) return undefined;
  const originHead = git(dir, ["symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"])?.trim();
  const candidates = [originHead, "refs/remotes/origin/main", "refs/remotes/origin/master", "refs/heads/main", "refs/heads/master"];
  for (const ref of candidates) {
    if (!ref || !revision(dir, ref)) continue;
    const base = git(dir, ["merge-base", "HEAD", ref])?.trim();
    if (base) return base;
  }
  return head;
}

/** A read-only host over the YAML files of one commit, relative to `dir` (which may be a subdirectory of the repository). */
export class GitCommitHost implements SourceHost {
  private readonly files = new Map<string, string>();
  private readonly listing: string[];

  constructor(dir: string, commit: string) {
    const names = git(dir, ["ls-tree", "-r", "-z", "--name-only", commit, "--", "."]) ?? "";
    this.listing = names.split("\0").filter(Boolean).sort();
    // One `cat-file --batch` for every YAML file: a process per file would cost seconds on big repositories.
    const wanted = this.listing.filter((p) => /\.ya?ml$/i.test(p));
    if (wanted.length === 0) return;
    const out = git(dir, ["cat-file", "--batch"], wanted.map((p) => `${commit}:./${p}`).join("\n") + "\n") as unknown as Buffer | undefined;
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

/** Variable names every root's config (with its child pipelines) defined at `commit`. */
export function variablesAt(dir: string, commit: string, roots: readonly string[]): Set<string> {
  const engine = new Engine(new GitCommitHost(dir, commit));
  const names = new Set<string>();
  for (const root of roots) {
    const project = engine.analyzeProject({ root });
    for (const model of [project.main, ...project.children.map((c) => c.model)]) for (const v of definedVariables(model)) names.add(v.name);
  }
  return names;
}

/** Computes the baseline once per commit: the language server asks on every analysis. */
export class BaselineCache {
  private commit: string | undefined;
  private names: Set<string> | undefined;
  private checkedAt = 0;

  constructor(
    private readonly dir: string,
    private readonly maxAgeMs = 5000,
  ) {}

  variables(roots: readonly string[]): ReadonlySet<string> | undefined {
    const now = Date.now();
    if (now - this.checkedAt > this.maxAgeMs) {
      this.checkedAt = now;
      const commit = baselineCommit(this.dir);
      if (commit !== this.commit) {
        this.commit = commit;
        this.names = undefined;
      }
    }
    if (!this.commit) return undefined;
    return (this.names ??= variablesAt(this.dir, this.commit, roots));
  }
}
