import {
  Alias,
  Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  Scalar as YScalar,
  visit,
  YAMLMap,
  YAMLSeq,
} from "yaml";
import type { Code } from "./codes";
import type { AnchorDef, ParsedFile } from "./load";
import { LineIndex } from "./text";
import { parseAllDocumentsShortened } from "./yaml-blank-runs";
import { resolvePlainScalar } from "./scalars";
import type { CEntry, CMap, CValue, Diagnostic, Src } from "./types";
import { mapOf, rubyInspect, scalar, seqOf, toJS, withVia } from "./values";

// YAML text to CValues, as GitLab's Psych reads it: the `yaml` package parses (YAML 1.1, `!reference`
// kept as a tag), DocumentLoader converts its nodes into values that carry their source, resolving
// anchors, aliases and `<<` itself so that alias bombs are counted rather than expanded.

// GitLab refuses a document whose parsed form is too big or too deep: Gitlab::Utils::DeepSize sums
// ObjectSpace.memsize_of over every object it reaches, an alias's target as often as it is used,
// against the application settings max_yaml_size_bytes (default 2 MB since GitLab 16.x's migration
// UpdateMaxTotalYamlSizeBytesValue) and max_yaml_depth (100). We count the same walk without expanding
// it, from below: every string, list and map is at least one 40-byte Ruby object, and a string
// longer than 23 bytes is stored outside it. Numbers, booleans and nulls cost Ruby nothing; they
// count 1 here so that a bomb of them is bounded too. So a config we refuse, GitLab with its
// defaults refuses as well (GitLab's own rules.gitlab-ci.yml, its largest, counts 0.85 MB).
export const MAX_PARSED_BYTES = 2 * 1024 * 1024;
export const MAX_DEPTH = 100;
const RUBY_OBJECT = 40;
const RUBY_EMBEDDED_STRING = 23;

/** What a scalar adds to the count: see MAX_PARSED_BYTES. */
function scalarBytes(v: string | number | boolean | null): number {
  if (typeof v !== "string") return 1;
  return RUBY_OBJECT + (v.length > RUBY_EMBEDDED_STRING ? v.length + 1 : 0);
}

const referenceTag = { tag: "!reference", collection: "seq" as const, nodeClass: YAMLSeq, default: false };

type YNode = YAMLMap | YAMLSeq | YScalar | Alias | null | undefined | unknown;

/** GitLab refuses the document for its size; `finding` says why where it is more than the size. */
export class TooBig extends Error {
  constructor(readonly finding?: Pick<Diagnostic, "src" | "code" | "message">) {
    super(finding?.message);
  }
}

/**
 * Where a big file's top-level entry starts in the version of the file last handed out. The values of
 * an entry loaded by entry (load-by-entry.ts) are kept from one version of the file to the next while
 * the entry's text is the same, even when text before it moved it: their positions are relative to
 * the entry, so that moving it is one assignment here, and everything computed from them stays cached.
 */
export class EntryBase {
  constructor(public offset: number) {}
}

/** A position inside an entry: its offsets follow the entry's base. */
export class EntrySrc implements Src {
  constructor(
    readonly file: string,
    readonly base: EntryBase,
    /** Offsets from the entry's start. */
    readonly from: number,
    readonly to: number,
  ) {}

  get start(): number {
    return this.base.offset + this.from;
  }

  get end(): number {
    return this.base.offset + this.to;
  }

  toJSON(): Src {
    return { file: this.file, start: this.start, end: this.end };
  }
}

/** A position inside an entry, from the entry's start. */
export function relativeSrc(file: string, base: EntryBase, from: number, to: number): Src {
  return new EntrySrc(file, base, from, to);
}

export class DocumentLoader {
  constructor(
    private readonly path: string,
    /** The text the parser read: the file's own, or a re-indented copy (see lenientQuotes). */
    private readonly text: string,
    private readonly toOriginal: (offset: number) => number,
    private readonly diags: Diagnostic[],
    private readonly anchorDefs: AnchorDef[],
    /** Anchors defined so far in the document (a big file's earlier entries, when loaded by entry). */
    private readonly anchors = new Map<string, CValue | "pending">(),
    /** Expanded sizes of the values made so far, so an alias counts as what it stands for. */
    private readonly sizes = new WeakMap<object, number>(),
    /**
     * For an entry of a big file: offsets are made relative to its base (`toOriginal` gives them from the entry's
     * start).
     */
    private readonly base?: EntryBase,
    /**
     * Every alias met and the value it found (undefined when none): an entry is reused only while they are the same.
     */
    readonly aliases = new Map<string, CValue | undefined>(),
  ) {}

  /** The expanded size of a value this loader (or one sharing its sizes) made, as MAX_PARSED_BYTES counts it. */
  sizeOf(v: CValue): number {
    return this.size(v);
  }

  private src(start: number, end: number): Src {
    if (this.base) return new EntrySrc(this.path, this.base, this.toOriginal(start), this.toOriginal(end));
    return { file: this.path, start: this.toOriginal(start), end: this.toOriginal(end) };
  }

  private report(start: number, end: number, severity: Diagnostic["severity"], code: Code, message: string) {
    this.diags.push({ src: this.src(start, end), severity, code, message });
  }

  private size(v: CValue): number {
    if (v.kind === "scalar") return scalarBytes(v.value);
    return this.sizes.get(v) ?? RUBY_OBJECT;
  }

  private sized<T extends CValue>(v: T, n: number): T {
    if (n > MAX_PARSED_BYTES) throw new TooBig();
    this.sizes.set(v, n);
    return v;
  }

  convert(node: YNode, fallback: number, depth: number): CValue {
    if (depth > MAX_DEPTH) throw new TooBig();
    if (node === null || node === undefined) return scalar(null, this.src(fallback, fallback));
    if (isAlias(node)) return this.alias(node);
    const n = node as YAMLMap | YAMLSeq | YScalar;
    const [start, rawEnd] = n.range ?? [fallback, fallback];
    // Block collections end where the next node starts; underline only their text.
    let end = rawEnd;
    if (!isScalar(n)) while (end > start && isSpace(this.text, end - 1)) end--;
    let value: CValue;
    // an alias inside the collection its anchor is on makes that collection contain itself
    if (n.anchor && !isScalar(n)) this.anchors.set(n.anchor, "pending");
    if (n.tag === "!reference") {
      value = this.reference(n, start, end, depth);
    } else if (isMap(n)) {
      value = this.map(n as YAMLMap, start, end, depth);
    } else if (isSeq(n)) {
      const items = (n as YAMLSeq).items.map((i) => this.convert(i, end, depth + 1));
      const size = items.reduce((s, i) => s + this.size(i), RUBY_OBJECT);
      value = this.sized(seqOf(items, this.src(start, end)), size);
    } else {
      value = scalar(this.scalarValue(n as YScalar, start, end), this.src(start, end));
      const inner = this.innerOf(n as YScalar, start, end);
      if (inner) value = { ...value, inner };
    }
    if (n.anchor) {
      this.anchors.set(n.anchor, value);
      this.anchorDefs.push({ name: n.anchor, src: this.anchorSrc(start, n.anchor), value });
    }
    return value;
  }

  /** The anchor token precedes the node; the parser gives the node's start, we step back over `&name`. */
  private anchorSrc(nodeStart: number, name: string): Src {
    const at = this.lookBack("&" + name, nodeStart, 256 + name.length);
    return at >= 0 ? this.src(at, at + 1 + name.length) : this.src(nodeStart, nodeStart);
  }

  private scalarValue(n: YScalar, start: number, end: number): string | number | boolean | null {
    if (n.tag && n.tag !== "tag:yaml.org,2002:str" && !n.tag.startsWith("tag:yaml.org,2002:")) {
      this.report(start, end, "warning", "yaml-unknown-tag", `unknown YAML tag ${n.tag}: GitLab reads only !reference`);
    }
    if (n.tag === "tag:yaml.org,2002:str") return String(n.source ?? n.value ?? "");
    if (n.type === "PLAIN" && !n.tag) return resolvePlainScalar(String(n.source ?? ""));
    const v = n.value;
    if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
    return String(n.source ?? v);
  }

  private alias(node: Alias): CValue {
    const [start, end] = node.range ?? [0, 0];
    const target = this.anchors.get(node.source);
    this.aliases.set(node.source, target === "pending" ? undefined : target);
    const at = this.src(start, end);
    if (target === undefined) {
      this.report(
        start,
        end,
        "error",
        "yaml-unknown-alias",
        `unknown alias *${node.source}: anchors only reach within one YAML document ` +
          `of one file (use extends or !reference across files)`,
      );
      return scalar(null, at);
    }
    if (target === "pending")
      // Psych builds a collection that contains itself, endless to GitLab's size count: the document is refused
      // (lib/gitlab/config/loader/yaml.rb, too_big?)
      throw new TooBig({
        src: at,
        code: "yaml-recursive-alias",
        message:
          `The parsed YAML is too big: alias *${node.source} is inside the node it names, ` + "which makes it endless",
      });
    return this.sized(withVia(target, { kind: "alias", name: node.source, at }), this.size(target));
  }

  /**
   * Where `token` is written in the `limit` characters before `end`, or -1: the two places positions are
   * looked for in the text (tokens the parser reports no range for), and never further than that (a tag
   * written through a %TAG shorthand is not there, and looking back to the file's start for each of
   * 20,000 of them took minutes).
   */
  private lookBack(token: string, end: number, limit: number): number {
    const from = Math.max(0, end - limit);
    const at = this.text.slice(from, end + token.length).lastIndexOf(token, end - from);
    return at < 0 ? -1 : from + at;
  }

  private reference(n: YAMLMap | YAMLSeq | YScalar, start: number, end: number, depth: number): CValue {
    // The tag token sits before the node; include it so diagnostics underline `!reference [...]`.
    const tagStart = this.lookBack("!reference", start, 256);
    const from = tagStart >= 0 && /^\s*$/.test(this.text.slice(tagStart + 10, start)) ? tagStart : start;
    if (!isSeq(n)) {
      // GitLab shows the scalar, else the map, else the (empty) sequence Psych gave the tag, with Ruby's
      // inspect (lib/gitlab/ci/config/yaml/tags/base.rb, validation_error_message)
      const scalarText = isScalar(n) ? String(n.source ?? n.value ?? "") : "";
      const map = isMap(n) ? toJS(this.map(n as YAMLMap, start, end, depth)) : {};
      const written = scalarText
        ? rubyInspect(scalarText)
        : Object.keys(map as object).length
          ? rubyInspect(map)
          : "[]";
      return { kind: "ref", items: [], invalid: true, written, src: this.src(from, end) };
    }
    const items = (n as YAMLSeq).items.map((i) => this.convert(i, end, depth + 1));
    const size = items.reduce((s, i) => s + this.size(i), RUBY_OBJECT);
    return this.sized({ kind: "ref", items, src: this.src(from, end) }, size);
  }

  private map(n: YAMLMap, start: number, end: number, depth: number): CValue {
    const entries = new Map<string, CEntry>();
    let size = RUBY_OBJECT;
    for (const pair of n.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as YNode;
      const keyRange =
        (isScalar(keyNode) || isMap(keyNode) || isSeq(keyNode) || isAlias(keyNode)) && keyNode.range
          ? keyNode.range
          : [start, start];
      const keySrc = this.src(keyRange[0], keyRange[1]);
      if (isScalar(keyNode) && isMergeKey(keyNode)) {
        if (this.mergeInto(entries, pair.value, keySrc, depth)) continue;
      }
      const key = this.keyText(keyNode, keySrc, keyRange);
      const value = this.convert(pair.value, keyRange[1], depth + 1);
      if (entries.has(key) && !this.merged.has(entries.get(key)!)) {
        // keySrc is already where the key is in the file (not in the text the parser read)
        this.diags.push({
          src: keySrc,
          severity: "warning",
          code: "yaml-duplicate-key",
          message: `duplicate key "${key}": GitLab keeps only this later value`,
        });
      }
      const keyInner = isScalar(keyNode) ? this.innerOf(keyNode, keyRange[0], keyRange[1]) : undefined;
      entries.set(key, keyInner ? { key, keySrc, keyInner, value } : { key, keySrc, value });
      size += scalarBytes(key) + this.size(value);
    }
    for (const e of entries.values()) if (this.merged.has(e)) size += scalarBytes(e.key) + this.size(e.value);
    return this.sized(mapOf(entries, this.src(start, end)), size);
  }

  private readonly merged = new WeakSet<CEntry>();

  /**
   * Psych merges `<<` in place: `hash.merge!(other)` at the point the key is met, so keys
   * written after it win and keys written before it lose. A list merges its maps with the
   * first one winning. A value that is not a map (or list of maps) leaves `<<` a plain key.
   */
  private mergeInto(entries: Map<string, CEntry>, valueNode: YNode, keySrc: Src, depth: number): boolean {
    const sources: Array<{ map: CMap; name: string; at: Src }> = [];
    const one = (node: YNode): boolean => {
      const v = this.convert(node, keySrc.end, depth + 1);
      if (v.kind !== "map") return false;
      const at = isAlias(node) && node.range ? this.src(node.range[0], node.range[1]) : v.src;
      sources.push({ map: v, name: isAlias(node) ? node.source : "<<", at });
      return true;
    };
    if (isSeq(valueNode)) {
      for (const item of (valueNode as YAMLSeq).items) if (!one(item)) return false;
      sources.reverse();
    } else if (!one(valueNode)) {
      return false;
    }
    const incoming = new Map<string, CEntry>();
    for (const s of sources) {
      for (const [k, e] of s.map.entries) {
        incoming.set(k, {
          key: k,
          keySrc: e.keySrc,
          value: withVia(e.value, { kind: "merge-key", name: s.name, at: s.at }),
        });
      }
    }
    for (const [k, e] of incoming) {
      entries.set(k, e);
      this.merged.add(e);
    }
    return true;
  }

  /** Between the quotes of a quoted scalar, as the parser's range gives them. */
  private innerOf(n: YScalar, start: number, end: number): Src | undefined {
    return (n.type === "QUOTE_DOUBLE" || n.type === "QUOTE_SINGLE") && end - start >= 2
      ? this.src(start + 1, end - 1)
      : undefined;
  }

  private keyText(keyNode: YNode, keySrc: Src, raw: readonly number[]): string {
    if (isScalar(keyNode)) {
      const v = keyNode.type === "PLAIN" ? resolvePlainScalar(String(keyNode.source ?? "")) : keyNode.value;
      return v === null ? "" : String(v);
    }
    this.diags.push({
      src: keySrc,
      severity: "error",
      code: "yaml-complex-key",
      message: "GitLab CI keys must be plain strings",
    });
    return this.text.slice(raw[0], raw[1]);
  }
}

/**
 * Whether the character at i is one /\s/ matches, the ASCII ones without a regular expression: a
 * collection that ends with a |+ block scalar of a million empty lines is walked back over all of them
 * (0.3 s with the regular expression).
 */
function isSpace(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(text[i]));
}

function isMergeKey(k: YScalar): boolean {
  return (
    !k.tag && (k.value === "<<" || (typeof k.value === "symbol" && String(k.source) === "<<") || k.source === "<<")
  );
}

const PARSE_OPTIONS = {
  version: "1.1" as const,
  merge: false,
  uniqueKeys: false,
  prettyErrors: false,
  customTags: (tags: unknown[]) => [...tags, referenceTag],
};

export function parseDocuments(text: string): Document.Parsed[] {
  // The yaml package makes an Error for each problem it meets, and a broken file can have hundreds
  // of thousands (one per token of a 70,000-level flow collection): capturing their stacks, which
  // nothing reads, cost seconds.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parseAllDocumentsShortened(text, PARSE_OPTIONS as Parameters<typeof parseAllDocuments>[1]);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * libyaml, which GitLab's Psych uses, accepts a quoted scalar whose continuation lines are
 * not indented past the key (GitLab's own rules file has such `if:` strings); the `yaml`
 * package does not. When a quote is left open we re-indent those lines in a copy and parse
 * that, mapping every offset back to the file. Quoted scalars fold leading spaces away, so
 * values do not change.
 */
export function lenientQuotes(
  text: string,
  docs: Document.Parsed[] = parseDocuments(text),
): { text: string; toOriginal: (o: number) => number } | undefined {
  if (!docs.some((d) => d.errors.some((e) => e.code === "MISSING_CHAR" && /quote/.test(e.message)))) return undefined;
  // The parser's error points where it gave up; the unclosed scalar's own range gives the quote.
  const starts: number[] = [];
  for (const d of docs) {
    visit(d, {
      Scalar(_key, node) {
        const [a, b] = node.range ?? [0, 0];
        const q = text[a];
        if ((node.type === "QUOTE_SINGLE" || node.type === "QUOTE_DOUBLE") && (b - a < 2 || text[b - 1] !== q))
          starts.push(a);
      },
    });
  }
  const inserts: Array<{ at: number; n: number }> = [];
  for (const q of starts) {
    const quote = text[q];
    if (quote !== "'" && quote !== '"') continue;
    const lineStart = text.lastIndexOf("\n", q) + 1;
    const need = q - lineStart + 1;
    let i = q + 1;
    for (; i < text.length; i++) {
      const c = text[i];
      if (quote === '"' && c === "\\") i++;
      else if (c === quote) {
        if (quote === "'" && text[i + 1] === "'") i++;
        else break;
      } else if (c === "\n") {
        let indent = 0;
        while (text[i + 1 + indent] === " ") indent++;
        if (indent < need && text[i + 1 + indent] !== "\n") inserts.push({ at: i + 1, n: need - indent });
      }
    }
  }
  if (inserts.length === 0) return undefined;
  inserts.sort((a, b) => a.at - b.at);
  let patched = "";
  let last = 0;
  const patchedAt: number[] = [];
  let shift = 0;
  for (const ins of inserts) {
    patched += text.slice(last, ins.at) + " ".repeat(ins.n);
    patchedAt.push(ins.at + shift);
    shift += ins.n;
    last = ins.at;
  }
  patched += text.slice(last);
  const toOriginal = (p: number) => {
    let removed = 0;
    for (let k = 0; k < inserts.length; k++) {
      if (p < patchedAt[k]) break;
      if (p < patchedAt[k] + inserts[k].n) return inserts[k].at;
      removed += inserts[k].n;
    }
    return p - removed;
  };
  return { text: patched, toOriginal };
}

export const TOO_BIG =
  `The parsed YAML is too big (more than ${MAX_PARSED_BYTES / 1024 / 1024} MB as GitLab counts it, ` +
  `with every alias expanded, or nested deeper than ${MAX_DEPTH})`;

export const TOO_LARGE_TEXT =
  `The provided YAML is too big (its text is more than ${MAX_PARSED_BYTES / 1024 / 1024} MB, ` +
  `GitLab's default max_yaml_size_bytes)`;

/** A file whose text GitLab refuses to parse for its size: said at its first character, nothing loaded. */
export function tooLargeText(path: string, text: string): ParsedFile {
  const diagnostics: Diagnostic[] = [
    { src: { file: path, start: 0, end: 1 }, severity: "error", code: "yaml-text-too-big", message: TOO_LARGE_TEXT },
  ];
  return { path, text, lines: new LineIndex(text), anchors: [], diagnostics };
}

/** A file GitLab refuses for its size or depth, said at `at`, with nothing loaded. */
export function tooBigFile(path: string, text: string, at: number): ParsedFile {
  const diagnostics: Diagnostic[] = [
    { src: { file: path, start: at, end: at + 1 }, severity: "error", code: "yaml-too-big", message: TOO_BIG },
  ];
  return { path, text, lines: new LineIndex(text), anchors: [], diagnostics };
}
