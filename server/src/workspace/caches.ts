import { ENGINE_CACHES, type CacheInfo } from "../engine/caches";

// Every cache Pipewright keeps, in one list: the engine's (engine/caches.ts, where they live), and
// those of the layers above it, each with where it lives, what it is keyed by, when an entry stops
// being valid and how it goes. ARCHITECTURE.md's caching table is this list (a test compares them).

export interface RegisteredCache extends CacheInfo {
  /** The module that holds it. */
  readonly module: string;
}

export const CACHES: readonly RegisteredCache[] = [
  ...ENGINE_CACHES.map((c) => ({ ...c, module: "engine/caches.ts" })),
  {
    name: "big files' entries",
    module: "engine/load-by-entry.ts",
    key: "a top-level entry's text",
    validity: "the same text, and every alias in it finds the same anchor",
    eviction: "kept by the file's latest version only",
  },
  {
    name: "deepMerge results",
    module: "engine/values.ts",
    key: "the two maps merged",
    validity: "always (deepMerge is pure and values are immutable)",
    eviction: "with either map (WeakMap)",
  },
  {
    name: "wildcard matches",
    module: "engine/wildcard.ts",
    key: "a file listing and a wildcard",
    validity: "the same listing (hosts hand out a new one when a file is added or removed)",
    eviction: "with the listing (WeakMap)",
  },
  {
    name: "compiled globs",
    module: "engine/fnmatch.ts",
    key: "a glob's text",
    validity: "always (the matcher depends on the text only)",
    eviction: "all dropped past 10,000",
  },
  {
    name: "compiled patterns",
    module: "engine/expression-pattern.ts",
    key: "a /pattern/flags text",
    validity: "always (the RE2 program depends on the text only)",
    eviction: "all dropped past 10,000",
  },
  {
    name: "did-you-mean names",
    module: "engine/did-you-mean.ts",
    key: "a misspelt name, per list of names in scope (jobs, stages, top-level keys)",
    validity: "the same list of names",
    eviction: "dropped when the list changes; all dropped past 10,000",
  },
  {
    name: "expression verdicts",
    module: "engine/expression-checks.ts",
    key: "an if: or only/except variables text",
    validity: "always (the syntax error depends on the text only)",
    eviction: "all dropped past 10,000",
  },
  {
    name: "only/except ref verdicts",
    module: "engine/job-combinations.ts",
    key: "a ref's text",
    validity: "always (whether RE2 compiles it depends on the text only)",
    eviction: "all dropped past 10,000",
  },
  {
    name: "duration findings",
    module: "engine/duration-checks.ts",
    key: "resolved job value",
    validity: "the same job name",
    eviction: "with the value (WeakMap)",
  },
  {
    name: "parsed expressions",
    module: "engine/simulation/clauses.ts",
    key: "an if: text",
    validity: "always (the tree depends on the text only)",
    eviction: "all dropped past 10,000",
  },
  {
    name: "changes: results",
    module: "engine/simulation/clauses.ts",
    key: "a changes: list naming no variable, and a diff",
    validity: "the same list and diff (both immutable)",
    eviction: "with either (WeakMap)",
  },
  {
    name: "situation and YAML variables",
    module: "engine/simulation/variables.ts",
    key: "a situation; a variables: value; root and job variables; a job name",
    validity: "the same objects (immutable); a slug always",
    eviction: "with the objects (WeakMap); slugs all dropped past 10,000",
  },
  {
    name: "root variables",
    module: "engine/simulation/simulate.ts",
    key: "top-level variables and the matched workflow rule's",
    validity: "the same two (immutable)",
    eviction: "with them (WeakMap)",
  },
  {
    name: "force-gitlab-ci findings",
    module: "lint/force-gitlab-ci.ts",
    key: "a file's top-level entry",
    validity: "always (an entry's value and positions never change)",
    eviction: "with the entry (WeakMap)",
  },
  {
    name: "defined variables",
    module: "model/variables.ts",
    key: "model, and each parsed file's own",
    validity: "the model's (the file's) lifetime",
    eviction: "with the model or the file (WeakMap)",
  },
  {
    name: "needs entries",
    module: "engine/semantics.ts",
    key: "a `needs` list value",
    validity: "always (values never change)",
    eviction: "with the value (WeakMap)",
  },
  {
    name: "a job's own logical findings",
    module: "engine/semantics.ts",
    key: "effective job value",
    validity:
      "the same job name, the same on_stop job value, and the same pipeline: job names, their stages " +
      "and parallel values, the stages, whether includes could not be read (kept for the last 32 pipelines)",
    eviction: "with the value (WeakMap)",
  },
  {
    name: "parallel copies' names",
    module: "engine/semantics.ts",
    key: "a `parallel` value and the job's name",
    validity: "always (values never change)",
    eviction: "with the value (WeakMap)",
  },
  {
    name: "dagger script lines",
    module: "lint/dagger-without-engine.ts",
    key: "resolved job value",
    validity: "always (a job value's scripts and positions never change)",
    eviction: "with the value (WeakMap)",
  },
  {
    name: "!reference index",
    module: "model/references.ts",
    key: "model",
    validity: "the model's lifetime",
    eviction: "with the model (WeakMap)",
  },
  {
    name: "extends: candidates",
    module: "features/completion.ts",
    key: "model",
    validity: "the model's lifetime",
    eviction: "with the model (WeakMap)",
  },
  {
    name: "hidden key kinds",
    module: "features/hidden-kinds.ts",
    key: "model",
    validity: "the model's lifetime",
    eviction: "with the model (WeakMap)",
  },
  {
    name: "hover YAML blocks",
    module: "features/hover.ts",
    key: "a resolved value",
    validity: "always (values never change)",
    eviction: "with the value (WeakMap)",
  },
  {
    name: "template and rule set users",
    module: "features/used-by.ts",
    key: "model",
    validity: "the model's lifetime",
    eviction: "with the model (WeakMap)",
  },
  {
    name: "analysis",
    module: "workspace/workspace.ts",
    key: "the workspace",
    validity: "no buffer, file on disk or setting changed since",
    eviction: "dropped on any change",
  },
  {
    name: "last finished analysis",
    module: "workspace/workspace.ts",
    key: "the workspace",
    validity: "answers (stale) while a newer analysis gives way to requests or is over its budget",
    eviction: "replaced by the next analysis that finishes",
  },
  {
    name: "simulated models",
    module: "workspace/workspace.ts",
    key: "root (and a child's inputs) and the include:rules decisions taken, in order",
    validity: "the same analysis, and each decision comes out the same for the situation",
    eviction: "dropped with the analysis; at most 16",
  },
  {
    name: "CodeLens pipelines",
    module: "workspace/workspace.ts",
    key: "root",
    validity: "the same analysis (an older version's answer until the newer one is ready)",
    eviction: "replaced when the next version's are simulated",
  },
  {
    name: "project settings",
    module: "workspace/workspace.ts",
    key: "the text of .pipewright.yml",
    validity: "the same text",
    eviction: "replaced by the next text",
  },
  {
    name: "git baseline",
    module: "workspace/baseline.ts",
    key: "baseline commit and roots",
    validity: "the same commit (asked of git at most every 5 s, node/git.ts) and roots",
    eviction: "replaced when either changes; kept between sessions with the findings",
  },
  {
    name: "Dagger module",
    module: "workspace/workspace.ts",
    key: "the files the module was read from",
    validity: "each of them has the same text",
    eviction: "replaced when one changes",
  },
  {
    name: "last good model",
    module: "workspace/workspace.ts",
    key: "file",
    validity: "the last analysis in which the file parsed (completion on half-typed text)",
    eviction: "pruned to the files of the last analysis",
  },
  {
    name: "diagnostics handed out",
    module: "workspace/workspace.ts",
    key: "file",
    validity: "what the host was last given, to give it only changes",
    eviction: "a file that left every include graph, once cleared",
  },
  {
    name: "parsed files between sessions",
    module: "node/parse-store.ts",
    key: "project, Pipewright version, file path",
    validity: "the file's text has the same length and hash (engine/parsed-store.ts)",
    eviction: "rewritten with the files of the last analysis when the editor is quiet and at shutdown",
  },
  {
    name: "findings between sessions",
    module: "workspace/kept-findings.ts",
    key: "project, Pipewright version and build",
    validity:
      "the same settings, and every read of the analysis that made them answers the same: each file's text " +
      "(length and hash), missing and unreadable files, the file listing, the git baseline's names",
    eviction: "rewritten with the last analysis when the editor is quiet and at shutdown; another build's removed",
  },
  {
    name: "include cache",
    module: "node/include-cache.ts",
    key: "instance, project, commit and path; refs, component versions, templates and remote files with their time",
    validity:
      "a copy at a SHA always; one reached through a branch, tag, partial version, template or URL " +
      "for includeRefreshMinutes",
    eviction: "on disk in the user's cache folder, never pruned (deleting it is always safe)",
  },
  {
    name: "failed fetches",
    module: "node/remote-includes.ts",
    key: "an external request",
    validity: "60 s, during which analyses get the failure (or the old copy, with a note) without asking again",
    eviction: "replaced by the next fetch of the request",
  },
  {
    name: "file texts",
    module: "node/disk-host.ts",
    key: "path",
    validity: "the same size and mtime on disk",
    eviction: "dropped on a watch event for the file",
  },
  {
    name: "compiled code between sessions",
    module: "node/code-cache.ts",
    key: "the server bundle's text, Node's version and the architecture",
    validity: "always (V8 also refuses a cache of another V8 or other flags)",
    eviction: "in the editor's cache folder; an older build's removed when a newer one is written",
  },
];

/** The caching table of ARCHITECTURE.md. */
export function cachesTable(): string {
  const rows = CACHES.map((c) => `| ${c.name} | \`${c.module}\` | ${c.key} | ${c.validity} | ${c.eviction} |`);
  return ["| cache | where | key | valid while | goes |", "|---|---|---|---|---|", ...rows].join("\n");
}
