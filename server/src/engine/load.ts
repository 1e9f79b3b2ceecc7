import type { Document } from "yaml";
import { LineIndex } from "./text";
import type { CMap, CValue, Diagnostic, Src } from "./types";
import { loadByEntry, type EntriesState } from "./load-by-entry";
import { DocumentLoader, lenientQuotes, MAX_DEPTH, MAX_PARSED_BYTES, parseDocuments, TooBig } from "./yaml";

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
  /** Rebuilt from the last session's store rather than parsed (parsed-store.ts). */
  readonly restored?: true;
}

/**
 * Loads one file: YAML 1.1 as Psych reads it, the spec header split off, anchors resolved per
 * document. A big file is loaded entry by entry, reusing what `previous` (its last version) parsed.
 */
export function loadFile(path: string, text: string, previous?: ParsedFile): ParsedFile {
  return loadByEntry(path, text, previous) ?? loadWhole(path, text);
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

const TOO_BIG =
  `The parsed YAML is too big (more than ${MAX_PARSED_BYTES / 1024 / 1024} MB as GitLab counts it, ` +
  `with every alias expanded, or nested deeper than ${MAX_DEPTH})`;

/** The file parsed as one text; what loading by entry must always equal. */
export function loadWhole(path: string, text: string): ParsedFile {
  const lines = new LineIndex(text);
  const diagnostics: Diagnostic[] = [];
  const anchors: AnchorDef[] = [];
  const { docs: list, parsedText, toOriginal } = parseLeniently(text);
  const loaded: Array<{ value: CValue | undefined; doc: Document.Parsed }> = [];
  for (const doc of list) {
    let broken = false;
    let tooBigSaid = false;
    for (const e of doc.errors) {
      broken = true;
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
      if (!tooBigSaid)
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
