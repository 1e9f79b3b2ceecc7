import type { ExtendsMemo } from "./extends";
import type { Expansion, ExpansionMemo } from "./includes";
import type { JobDefinition } from "./jobs";
import { loadFile, type ParsedFile } from "./load";
import { seat } from "./load-by-entry";
import type { ReferencesMemo } from "./reference-tags";
import type { CValue } from "./types";
import type { ValidationMemo } from "./validate";

// Every cache of the engine, in one place: what each is keyed by, when an entry stops being
// valid, and how it is pruned. Values are immutable and shared, so "unchanged" is an identity
// check: the caches keyed by values are WeakMaps and go when the values do; the two keyed by
// strings are pruned to what the last analysis used. The workspace's own caches are listed in
// workspace/caches.ts, which documents both.

/** How one cache behaves; ARCHITECTURE.md's caching section is checked against these. */
export interface CacheInfo {
  readonly name: string;
  readonly key: string;
  readonly validity: string;
  readonly eviction: string;
}

export const ENGINE_CACHES: readonly CacheInfo[] = [
  {
    name: "parsed files",
    key: "path and text",
    validity: "the same text (one parse per text, shared with the git baseline's engine)",
    eviction: "pruned to the versions the last analyses read",
  },
  {
    name: "include expansions",
    key: "file and the inputs it was included with",
    validity: "every file and wildcard listing the expansion read is unchanged",
    eviction:
      "pruned to the expansions the last analysis used (the simulation's: those of the last version's simulations)",
  },
  {
    name: "extends",
    key: "raw job value",
    validity: "the same resolved parents",
    eviction: "with the value (WeakMap)",
  },
  {
    name: "!reference",
    key: "top-level value after extends",
    validity: "every lookup finds the same values",
    eviction: "with the value (WeakMap)",
  },
  {
    name: "effective jobs",
    key: "resolved job value",
    validity: "the same name, kind and global keys (default, variables, deprecated globals)",
    eviction: "with the value (WeakMap)",
  },
  {
    name: "schema findings",
    key: "resolved job value",
    validity: "the same job name and kind",
    eviction: "with the value (WeakMap)",
  },
];

/** Parsed files by path and text. Several engines (the working tree, the git baseline) share one. */
export class ParseCache {
  private readonly files = new Map<string, ParsedFile[]>();
  /** The version of each file the working tree last had: a big file's next version reuses its entries. */
  private readonly latest = new Map<string, ParsedFile>();
  private readonly used = new Set<ParsedFile>();
  /** Files parsed so far; lets tests and benchmarks see what a run re-did. */
  parseCount = 0;
  /** Where a file not parsed yet may be found already parsed (the last session's store). */
  restore: ((path: string, text: string) => ParsedFile | undefined) | undefined;

  /**
   * The file parsed from this text. `lineage` says the text is the next version of the file (the
   * working tree's); another tree of the project (the git baseline) shares parses of the same
   * text but never moves the working tree's entries. `checkpoint` is called between a big file's
   * entries; when it throws, nothing of this text is kept.
   */
  get(path: string, text: string, lineage = true, checkpoint?: () => void): ParsedFile {
    const list = this.files.get(path);
    let file = list?.find((f) => f.text === text);
    if (!file) {
      const previous = lineage ? this.latest.get(path) : undefined;
      file = (previous ? undefined : this.restore?.(path, text)) ?? loadFile(path, text, previous, checkpoint);
      if (!file.restored) this.parseCount++;
      if (list) list.push(file);
      else this.files.set(path, [file]);
    }
    if (lineage) this.latest.set(path, file);
    // entries shared with another version are put where this text has them
    seat(file);
    this.used.add(file);
    return file;
  }

  /** Forgets every parse no analysis asked for since the last prune. */
  prune(): void {
    for (const [path, file] of this.latest) if (!this.used.has(file)) this.latest.delete(path);
    for (const [path, list] of this.files) {
      const kept = list.filter((f) => this.used.has(f));
      if (kept.length) this.files.set(path, kept);
      else this.files.delete(path);
    }
    this.used.clear();
  }

  get size(): number {
    let n = 0;
    for (const list of this.files.values()) n += list.length;
    return n;
  }
}

/** Include expansions by file and inputs, pruned to those the last analysis used. */
export class ExpansionCache implements ExpansionMemo {
  private readonly map = new Map<string, Expansion>();
  private readonly used = new Set<string>();

  get(key: string): Expansion | undefined {
    const e = this.map.get(key);
    if (e) this.used.add(key);
    return e;
  }

  set(key: string, value: Expansion): void {
    this.map.set(key, value);
    this.used.add(key);
  }

  delete(key: string): boolean {
    return this.map.delete(key);
  }

  prune(): void {
    for (const k of this.map.keys()) if (!this.used.has(k)) this.map.delete(k);
    this.used.clear();
  }

  get size(): number {
    return this.map.size;
  }
}

/** The caches one engine keeps between analyses. */
export class EngineCaches {
  readonly expansions = new ExpansionCache();
  readonly extends: ExtendsMemo;
  readonly references: ReferencesMemo;
  readonly effective: WeakMap<CValue, JobDefinition>;
  readonly validation: ValidationMemo;

  constructor(
    readonly parsed = new ParseCache(),
    /** False for another tree of the project than the working tree (the git baseline). */
    readonly lineage = true,
    /** The caches keyed by values, shared with another engine over the same files. */
    shared?: Pick<EngineCaches, "extends" | "references" | "effective" | "validation">,
  ) {
    this.extends = shared?.extends ?? new WeakMap();
    this.references = shared?.references ?? new WeakMap();
    this.effective = shared?.effective ?? new WeakMap();
    this.validation = shared?.validation ?? new WeakMap();
  }

  /**
   * Caches for the same files analysed with include:rules decided for a pipeline (the simulation):
   * everything keyed by values or texts is shared, as it stays valid by identity; include
   * expansions, which depend on those decisions, are kept apart.
   */
  forSimulation(): EngineCaches {
    return new EngineCaches(this.parsed, false, this);
  }

  /** After an analysis: keep only what it used. */
  prune(): void {
    this.parsed.prune();
    this.expansions.prune();
  }
}
