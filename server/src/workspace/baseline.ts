import type { ParseCache } from "../engine/caches";
import { EngineCaches } from "../engine/caches";
import { Engine } from "../engine/engine";
import { definedVariables } from "../model/variables";
import type { GitFacts } from "./io";

// The baseline of "new" for the GLCI_ rule: the variable names the config defined at the git
// baseline commit. Computed once per commit and roots, by an engine that shares the workspace's
// parse cache (most files have the same text there, so they are not parsed again) and runs no
// lints. The language server asks for it after the first diagnostics are out.

export class Baseline {
  private computed: { commit: string; roots: string; names: ReadonlySet<string> } | undefined;

  constructor(
    private readonly git: GitFacts,
    private readonly parsed: ParseCache,
  ) {}

  /** The names, when they are known for the current baseline commit and these roots. */
  known(roots: readonly string[]): ReadonlySet<string> | undefined {
    const c = this.computed;
    return c && c.roots === roots.join("\n") && c.commit === this.git.baselineCommit() ? c.names : undefined;
  }

  /** The names, computed now when not known; undefined outside git. */
  variables(roots: readonly string[]): ReadonlySet<string> | undefined {
    const known = this.known(roots);
    if (known) return known;
    const commit = this.git.baselineCommit();
    if (!commit) return undefined;
    const engine = new Engine(this.git.filesAt(commit), new EngineCaches(this.parsed));
    const names = new Set<string>();
    for (const root of roots) {
      const project = engine.analyzeProject({ root });
      for (const model of [project.main, ...project.children.map((c) => c.model)]) for (const v of definedVariables(model)) names.add(v.name);
    }
    this.computed = { commit, roots: roots.join("\n"), names };
    return names;
  }
}
