import { isMap, isPair, isScalar, type Document, type YAMLMap } from "yaml";
import type { AnchorDef, ParsedFile } from "./load";
import { parseLeniently } from "./load";
import { LineIndex } from "./text";
import type { CEntry, CMap, CValue, Diagnostic, Src } from "./types";
import { mapOf } from "./values";
import { DocumentLoader, EntryBase, MAX_PARSED_BYTES, relativeSrc, TooBig, tooBigFile } from "./yaml";

// A big file is loaded top-level entry by top-level entry, so that an edit parses and converts again
// only the entry it is in. GitLab's big files (rules.gitlab-ci.yml: 150 KB) are one block mapping
// whose keys start at column 0, so each such line starts an entry. Each entry's text is parsed alone
// and converted in file order with the anchors defined so far. An entry whose text the last version
// of the file had too, and whose aliases still find the same anchors, is reused as it is — values and
// all, wherever it now is: its positions are relative to an EntryBase, which is moved to the entry's
// new place (`seat`), so everything computed from its values downstream stays cached. Whenever the
// result could differ from loading the file whole — a syntax error, a top-level merge key, several
// documents, a size over the limit — this gives up and the file is loaded whole.

/** Files smaller than this are parsed whole: fast anyway. */
export const LOAD_BY_ENTRY_FROM = 16 * 1024;

export interface EntryParse {
  readonly docs: Document.Parsed[];
  readonly parsedText: string;
  readonly toOriginal: (o: number) => number;
}

/** One top-level entry, loaded: kept from version to version while its text and anchors are the same. */
export interface LoadedEntry {
  readonly text: string;
  /** The entry's text parsed; absent for an entry restored from the last session's store. */
  readonly parse?: EntryParse;
  readonly base: EntryBase;
  readonly entry: CEntry;
  /** The one-entry map the entry's text parsed to, for the file's range. */
  readonly mapSrc: Src;
  readonly anchors: readonly AnchorDef[];
  /** The aliases it used and what they found. */
  readonly aliases: ReadonlyMap<string, CValue | undefined>;
  readonly size: number;
  readonly diagnostics: readonly Diagnostic[];
}

/** What a file's next version may reuse: its entries, and where this version has each. */
export interface EntriesState {
  readonly placed: ReadonlyArray<{ readonly entry: LoadedEntry; readonly start: number }>;
  readonly parses: ReadonlyMap<string, EntryParse>;
  readonly sizes: WeakMap<object, number>;
}

/** Moves every entry of this version of the file to where this version has it. */
export function seat(file: ParsedFile): void {
  for (const p of file.entries?.placed ?? []) p.entry.base.offset = p.start;
}

/**
 * Offsets where top-level entries start (the first one at 0, with the comments before it); undefined when the file is
 * not one block mapping.
 */
export function entryStarts(text: string): number[] | undefined {
  const starts = [0];
  let first = true;
  for (let at = 0; at < text.length;) {
    const c = text[at];
    if (c !== " " && c !== "\t" && c !== "#" && c !== "\n" && c !== "\r") {
      // documents (---, ...), directives, top-level lists and flow collections are loaded whole
      if (c === "-" || c === "%" || c === "[" || c === "{" || text.startsWith("...", at)) return undefined;
      if (first) first = false;
      else starts.push(at);
    }
    const nl = text.indexOf("\n", at);
    if (nl < 0) break;
    at = nl + 1;
  }
  return first ? undefined : starts;
}

/** The file loaded entry by entry, or undefined when it must be loaded whole. */
export function loadByEntry(
  path: string,
  text: string,
  previous?: ParsedFile,
  /** Called before each entry (see AnalyzeOptions.checkpoint): a 300-job file takes 50 ms or more. */
  checkpoint?: () => void,
): ParsedFile | undefined {
  if (text.length < LOAD_BY_ENTRY_FROM) return undefined;
  const starts = entryStarts(text);
  if (!starts) return undefined;
  const prev = previous?.entries ?? previous?.earlierEntries;
  // the last version's entries by text, each reusable once
  const reusable = new Map<string, LoadedEntry[]>();
  for (const { entry } of prev?.placed ?? []) reusable.set(entry.text, [...(reusable.get(entry.text) ?? []), entry]);
  const parses = new Map<string, EntryParse>();
  const placed: Array<{ entry: LoadedEntry; start: number }> = [];
  const anchors = new Map<string, CValue | "pending">();
  const sizes = prev?.sizes ?? new WeakMap<object, number>();
  let size = 0;
  for (let i = 0; i < starts.length; i++) {
    checkpoint?.();
    const start = starts[i];
    const entryText = text.slice(start, starts[i + 1] ?? text.length);
    const candidates = reusable.get(entryText) ?? [];
    const same = candidates.findIndex((e) =>
      [...e.aliases].every(([name, found]) => (anchors.get(name) ?? undefined) === found),
    );
    let entry: LoadedEntry | undefined;
    if (same >= 0) {
      entry = candidates.splice(same, 1)[0];
      for (const a of entry.anchors) anchors.set(a.name, a.value);
    } else {
      const parse = parses.get(entryText) ?? prev?.parses.get(entryText) ?? parseLeniently(entryText);
      entry = convertEntry(path, entryText, start, parse, anchors, sizes);
      if (!entry) return undefined;
    }
    if (entry.parse) parses.set(entryText, entry.parse);
    placed.push({ entry, start });
    // too big: said here, without parsing the rest (loading whole would parse it all to say the same)
    size += entry.size;
    if (size > MAX_PARSED_BYTES) return tooBigFile(path, text, starts[0]);
  }
  const file = assemble(path, text, { placed, parses, sizes });
  if (file) seat(file);
  return file;
}

/** One entry's parse as values, with the anchors so far; undefined when loading the file whole could differ. */
function convertEntry(
  path: string,
  text: string,
  start: number,
  parse: EntryParse,
  anchors: Map<string, CValue | "pending">,
  sizes: WeakMap<object, number>,
): LoadedEntry | undefined {
  if (parse.docs.length !== 1) return undefined;
  const doc = parse.docs[0];
  const contents = doc.contents;
  if (doc.errors.length || !isMap(contents)) return undefined;
  const pairs = (contents as YAMLMap).items;
  if (pairs.length !== 1 || !isPair(pairs[0]) || !isScalar(pairs[0].key) || pairs[0].key.source === "<<")
    return undefined;
  const base = new EntryBase(start);
  const diagnostics: Diagnostic[] = [];
  for (const w of doc.warnings) {
    if (w.code === "TAG_RESOLVE_FAILED") continue; // reported by the converter with a clearer text
    const src = relativeSrc(path, base, parse.toOriginal(w.pos[0]), parse.toOriginal(w.pos[1]));
    diagnostics.push({ src, severity: "warning", code: "yaml-syntax", message: w.message.split("\n")[0] });
  }
  const defined: AnchorDef[] = [];
  const loader = new DocumentLoader(
    path,
    parse.parsedText,
    parse.toOriginal,
    diagnostics,
    defined,
    anchors,
    sizes,
    base,
  );
  let map: CValue;
  try {
    map = loader.convert(contents, contents.range?.[0] ?? 0, 0);
  } catch (e) {
    if (e instanceof TooBig) return undefined;
    throw e;
  }
  if (map.kind !== "map" || map.entries.size !== 1) return undefined;
  const entry = [...map.entries.values()][0];
  return {
    text,
    parse,
    base,
    entry,
    mapSrc: map.src,
    anchors: defined,
    aliases: loader.aliases,
    size: loader.sizeOf(entry.value),
    diagnostics,
  };
}

/**
 * The entries as one top-level map, as loading the file whole makes it: later duplicates win in the first one's place.
 */
export function assemble(path: string, text: string, state: EntriesState): ParsedFile | undefined {
  const entries = new Map<string, CEntry>();
  const diagnostics: Diagnostic[] = [];
  const anchors: AnchorDef[] = [];
  let size = 1;
  for (const { entry: l } of state.placed) {
    diagnostics.push(...l.diagnostics);
    anchors.push(...l.anchors);
    const { key, keySrc } = l.entry;
    if (entries.has(key))
      diagnostics.push({
        src: keySrc,
        severity: "warning",
        code: "yaml-duplicate-key",
        message: `duplicate key "${key}": GitLab keeps only this later value`,
      });
    entries.set(key, l.entry);
    size += l.size;
  }
  if (size > MAX_PARSED_BYTES) return undefined;
  const first = state.placed[0].entry.mapSrc;
  const last = state.placed[state.placed.length - 1].entry.mapSrc;
  // the file's range follows its first and last entries wherever they are seated
  const content: CMap = mapOf(entries, {
    file: path,
    get start() {
      return first.start;
    },
    get end() {
      return last.end;
    },
  });
  return { path, text, lines: new LineIndex(text), content, anchors, diagnostics, entries: state };
}
