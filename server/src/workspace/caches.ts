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
    name: "!reference index",
    module: "model/references.ts",
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
    eviction: "replaced when either changes",
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
    name: "file texts",
    module: "node/disk-host.ts",
    key: "path",
    validity: "the same size and mtime on disk",
    eviction: "dropped on a watch event for the file",
  },
];

/** The caching table of ARCHITECTURE.md. */
export function cachesTable(): string {
  const rows = CACHES.map((c) => `| ${c.name} | \`${c.module}\` | ${c.key} | ${c.validity} | ${c.eviction} |`);
  return ["| cache | where | key | valid while | goes |", "|---|---|---|---|---|", ...rows].join("\n");
}
