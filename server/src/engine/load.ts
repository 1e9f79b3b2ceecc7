import type { Document } from "yaml";
import { LineIndex } from "./text";
import type { CMap, CValue, Diagnostic, Src } from "./types";
import { loadByEntry, type EntriesState } from "./load-by-entry";
import {
  DocumentLoader,
  lenientQuotes,
  MAX_DEPTH,
  MAX_PARSED_BYTES,
  parseDocuments,
  TOO_BIG,
  TooBig,
  tooBigFile,
  tooLargeText,
} from "./yaml";

/** An anchor as written, kept for navigation and hover. */
export interface AnchorDef {
  readonly name: string;
  readonly src: Src;
  readonly value: CValue;
}

/** One file after YAML loading: the header (`spec:`) and content documents as CValues. */
export interface ParsedFile {
  readonly path: string;
  readonly text: string;
  readonly lines: LineIndex;
  readonly header?: CMap;
  /** The content document; undefined when the file has none (empty, or unreadable YAML). */
  readonly content?: CValue;
  readonly anchors: readonly AnchorDef[];
  readonly diagnostics: readonly Diagnostic[];
  /** A big file's top-level entries as parsed, for its next version to reuse (load-by-entry.ts). */
  readonly entries?: EntriesState;
  /**
   * A big file loaded whole (its text did not load entry by entry, say while a quote is being typed): the entries
   * of the last version that did, for the next version to reuse. Not this version's: never seated or stored.
   */
  readonly earlierEntries?: EntriesState;
  /** Rebuilt from the last session's store rather than parsed (parsed-store.ts). */
  readonly restored?: true;
}

/**
 * Loads one file: YAML 1.1 as Psych reads it, the spec header split off, anchors resolved per
 * document. A big file is loaded entry by entry, reusing what `previous` (its last version) parsed.
 */
export function loadFile(path: string, text: string, previous?: ParsedFile, checkpoint?: () => void): ParsedFile {
  // GitLab refuses a file whose text is over max_yaml_size_bytes before it parses it (Gitlab::Config::
  // Loader::Yaml, content_too_large?); so do we, which also spares us seconds of parsing (npm run fuzz:
  // 22 MB, 1.1 s).
  if (overUtf8Bytes(text, MAX_PARSED_BYTES)) return tooLargeText(path, text);
  const deep = deepFlow(text);
  // far deeper than GitLab's limit: said at once, without the seconds the parser takes to overflow
  if (deep !== undefined) return tooBigFile(path, text, deep);
  if (!previous && text.length >= LOAD_WHOLE_FIRST_FROM && text.length <= MAX_PARSED_BYTES)
    return loadWhole(path, text);
  const byEntry = loadByEntry(path, text, previous, checkpoint);
  if (byEntry) return byEntry;
  const whole = loadWhole(path, text);
  // typing passes through texts that do not load entry by entry: the text after them still reuses the entries
  const earlier = previous?.entries ?? previous?.earlierEntries;
  return earlier ? { ...whole, earlierEntries: earlier } : whole;
}

/** Whether the text is more than `limit` bytes in UTF-8 (Ruby's bytesize); counts no further than the limit. */
export function overUtf8Bytes(text: string, limit: number): boolean {
  // a UTF-16 unit is 1 to 3 bytes in UTF-8 (a surrogate pair 4 for 2): most texts need no count
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  let n = 0;
  for (let i = 0; i < text.length && n <= limit; i++) {
    const c = text.charCodeAt(i);
    // each half of a surrogate pair counts 2: the pair is one 4-byte character
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3;
  }
  return n > limit;
}

/**
 * From this size, a file met for the first time is loaded whole. Loaded by entry, a file with a syntax error
 * is parsed twice (entry by entry up to the broken one, then whole, since only a whole parse says what GitLab
 * says), and the parser takes seconds on a file of a million lines (npm run fuzz: 1.2 MB, 5.3 s). Its next
 * version is loaded by entry, and the versions after that reuse the entries an edit left alone. Over
 * MAX_PARSED_BYTES, loading by entry stops as soon as the size is passed.
 */
export const LOAD_WHOLE_FIRST_FROM = 512 * 1024;

/** Flow collections opened on one line past this are ten times deeper than GitLab accepts. */
const DEEP_FLOW = 10 * MAX_DEPTH;

/**
 * Where a line opens flow collections (`[`, `{`) more than DEEP_FLOW deep, if one does: a cheap
 * look, counted per line so that brackets in scripts spread over many lines never add up.
 */
function deepFlow(text: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) depth = 0;
    else if (c === 91 || c === 123) {
      if (++depth > DEEP_FLOW) return i;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return undefined;
}

/** The documents of a text, parsed again with libyaml's leniency for under-indented quoted lines when that helps. */
export function parseLeniently(text: string): {
  docs: Document.Parsed[];
  parsedText: string;
  toOriginal: (o: number) => number;
} {
  const docs = parseDocuments(text);
  const lenient = lenientQuotes(text, docs);
  if (lenient) {
    const retry = parseDocuments(lenient.text);
    const errors = (ds: Document.Parsed[]) => ds.reduce((n, d) => n + d.errors.length, 0);
    if (errors(retry) < errors(docs)) return { docs: retry, parsedText: lenient.text, toOriginal: lenient.toOriginal };
  }
  return { docs, parsedText: text, toOriginal: (o) => o };
}

/** YAML errors reported per file; the rest are counted in one more. */
export const MAX_YAML_ERRORS = 50;

/** The file parsed as one text; what loading by entry must always equal. */
export function loadWhole(path: string, text: string): ParsedFile {
  const lines = new LineIndex(text);
  const diagnostics: Diagnostic[] = [];
  const anchors: AnchorDef[] = [];
  const { docs: list, parsedText, toOriginal } = parseLeniently(text);
  const loaded: Array<{ value: CValue | undefined; doc: Document.Parsed }> = [];
  let said = 0;
  for (const doc of list) {
    let broken = false;
    let tooBigSaid = false;
    for (const e of doc.errors) {
      broken = true;
      // GitLab stops at the first; a few more help, a broken file's hundreds of thousands do not
      if (++said > MAX_YAML_ERRORS) {
        const more = list.reduce((n, d) => n + d.errors.length, 0) - MAX_YAML_ERRORS;
        const [s, en] = e.pos.map(toOriginal);
        diagnostics.push({
          src: { file: path, start: s, end: Math.max(en, s) },
          severity: "error",
          code: "yaml-syntax",
          message: `${more} more YAML errors in this file, from here on (the first ${MAX_YAML_ERRORS} are shown)`,
        });
        break;
      }
      const [s, en] = e.pos.map(toOriginal);
      // The parser recurses once per level and runs out of stack thousands of levels deep; GitLab's
      // parser does not, and refuses the result for its depth (DeepSize, max_yaml_depth).
      const tooDeep = /call stack/i.test(e.message);
      if (tooDeep && tooBigSaid) continue;
      tooBigSaid ||= tooDeep;
      diagnostics.push({
        src: { file: path, start: s, end: Math.max(en, s) },
        severity: "error",
        code: tooDeep ? "yaml-too-big" : "yaml-syntax",
        message: tooDeep ? TOO_BIG : e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, ""),
      });
    }
    for (const w of doc.warnings) {
      if (w.code === "TAG_RESOLVE_FAILED") continue; // reported by the converter with a clearer text
      diagnostics.push({
        src: { file: path, start: toOriginal(w.pos[0]), end: toOriginal(w.pos[1]) },
        severity: "warning",
        code: "yaml-syntax",
        message: w.message.split("\n")[0],
      });
    }
    // A document with syntax errors contributes nothing: a half-read job would mislead every later stage.
    if (broken) {
      loaded.push({ value: undefined, doc });
      continue;
    }
    const loader = new DocumentLoader(path, parsedText, toOriginal, diagnostics, anchors);
    const start = doc.contents?.range?.[0] ?? 0;
    try {
      const value = doc.contents === null ? undefined : loader.convert(doc.contents, start, 0);
      loaded.push({ value: value && value.kind === "scalar" && value.value === null ? undefined : value, doc });
    } catch (e) {
      if (!(e instanceof TooBig)) throw e;
      const r = toOriginal(doc.contents?.range?.[0] ?? 0);
      if (e.finding) diagnostics.push({ ...e.finding, severity: "error" });
      else if (!tooBigSaid)
        diagnostics.push({
          src: { file: path, start: r, end: r },
          severity: "error",
          code: "yaml-too-big",
          message: TOO_BIG,
        });
      loaded.push({ value: undefined, doc });
    }
  }
  const nonEmpty = loaded.filter((d) => d.value !== undefined || d.doc.errors.length > 0);
  let header: CMap | undefined;
  let content: CValue | undefined;
  const first = nonEmpty[0]?.value;
  if (nonEmpty.length > 1 && first?.kind === "map" && first.entries.has("spec")) {
    header = first;
    content = nonEmpty[nonEmpty.length - 1].value;
    if (nonEmpty.length > 2) tooManyDocuments(path, toOriginal(nonEmpty[2].doc.range?.[0] ?? 0), diagnostics);
  } else {
    content = first;
    if (nonEmpty.length > 1) tooManyDocuments(path, toOriginal(nonEmpty[1].doc.range?.[0] ?? 0), diagnostics);
  }
  if (content && content.kind !== "map") {
    diagnostics.push({
      src: content.src,
      severity: "error",
      code: "yaml-invalid-format",
      message: "Invalid configuration format: the content must be a mapping of keywords and jobs",
    });
    content = undefined;
  }
  return { path, text, lines, header, content, anchors, diagnostics };
}

function tooManyDocuments(path: string, s: number, diagnostics: Diagnostic[]) {
  diagnostics.push({
    src: { file: path, start: s, end: s },
    severity: "error",
    code: "yaml-too-many-documents",
    message: "too many YAML documents: GitLab reads a spec header and one content document separated by ---",
  });
}
