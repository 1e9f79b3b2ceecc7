import { EngineCaches, type ParseCache } from "../engine/caches";
import { Engine } from "../engine/engine";
import { definedVariables } from "../model/variables";
import type { GitFacts } from "./io";

// The baseline of "new" for the GLCI_ rule: the variable names the config defined at the git
// baseline commit. Computed once per commit and roots, by an engine that shares the workspace's
// parse cache (most files have the same text there, so they are not parsed again) and runs no
// lints. The language server asks for it after the first diagnostics are out.

/** What is known of the baseline: its names, or `undefined` names when there is none (not a git repository). */
export interface BaselineAnswer {
  readonly names: ReadonlySet<string> | undefined;
}

export class Baseline {
  private computed: { commit: string | undefined; roots: string; names: ReadonlySet<string> | undefined } | undefined;

  constructor(
    private readonly git: GitFacts,
    private readonly parsed: ParseCache,
  ) {}

  /** The answer, when it is known for the current baseline commit and these roots; undefined until computed. */
  known(roots: readonly string[]): BaselineAnswer | undefined {
    const c = this.computed;
    return c && c.roots === roots.join("\n") && c.commit === this.git.baselineCommit() ? { names: c.names } : undefined;
  }

  /** What was computed, as data the next session can start from; undefined outside git or before. */
  get kept(): { commit: string; roots: string; names: string[] } | undefined {
    const c = this.computed;
    return c?.commit && c.names ? { commit: c.commit, roots: c.roots, names: [...c.names].sort() } : undefined;
  }

  /**
   * Starts from what an earlier session computed (`kept`): `known` answers with it while its commit is
   * still the baseline commit, as it would with names computed now. Malformed data is ignored.
   */
  seed(data: unknown): void {
    if (this.computed || !data || typeof data !== "object") return;
    const d = data as { commit?: unknown; roots?: unknown; names?: unknown };
    if (typeof d.commit !== "string" || typeof d.roots !== "string" || !Array.isArray(d.names)) return;
    if (!d.names.every((n) => typeof n === "string")) return;
    this.computed = { commit: d.commit, roots: d.roots, names: new Set(d.names as string[]) };
  }

  /** The names, computed now when not known; undefined when there is no baseline (outside git). */
  variables(roots: readonly string[]): ReadonlySet<string> | undefined {
    const known = this.known(roots);
    if (known) return known.names;
    const commit = this.git.baselineCommit();
    let names: Set<string> | undefined;
    if (commit) {
      const engine = new Engine(this.git.filesAt(commit), new EngineCaches(this.parsed, false));
      names = new Set<string>();
      for (const root of roots) {
        const project = engine.analyzeProject({ root });
        for (const model of [project.main, ...project.children.map((c) => c.model)])
          for (const v of definedVariables(model)) names.add(v.name);
      }
    }
    this.computed = { commit, roots: roots.join("\n"), names };
    return names;
  }
}
