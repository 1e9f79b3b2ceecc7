import type { AnchorDef, ParsedFile } from "./load";
import { assemble, entryStarts, type LoadedEntry } from "./load-by-entry";
import { LineIndex } from "./text";
import type { CEntry, CValue, Diagnostic, Severity, Src, Via } from "./types";
import { isCode } from "./codes";
import { EntryBase, EntrySrc } from "./yaml";

// A parsed file as plain JSON data, and back, so that the editor can start where its last session
// left off: rebuilding values from JSON is about ten times faster than parsing YAML, and most files
// have not changed since. Everything a load makes is kept — values with their positions and hops,
// the sharing an alias makes (an alias bomb stays small), anchors, findings, a big file's entries
// and their sizes — so a restored file is the file loaded again. Data is only used for the very
// text it was made from (its length and hash), and anything malformed is ignored, never trusted.

export const STORE_FORMAT = 3;

type S = [base: number, from: number, to: number];

/** A 53-bit hash of a text (cyrb53): tells that stored data was made from this text. */
export function textHash(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** Values and the maps and lists they share, in one table: children before what holds them. */
class Encoder {
  readonly table: unknown[] = [];
  private readonly ids = new Map<object, number>();
  private readonly bases = new Map<EntryBase, number>();

  constructor(
    bases: readonly EntryBase[],
    private readonly sizes?: WeakMap<object, number>,
  ) {
    bases.forEach((b, i) => this.bases.set(b, i));
  }

  src(s: Src): S {
    const base = s instanceof EntrySrc ? this.bases.get(s.base) : undefined;
    return base === undefined ? [-1, s.start, s.end] : [base, (s as EntrySrc).from, (s as EntrySrc).to];
  }

  private via(v: readonly Via[] | undefined): unknown {
    return v ? v.map((h) => [h.kind, h.name, this.src(h.at)]) : 0;
  }

  private add(key: object, row: unknown): number {
    this.table.push(row);
    this.ids.set(key, this.table.length - 1);
    return this.table.length - 1;
  }

  value(v: CValue): number {
    const known = this.ids.get(v);
    if (known !== undefined) return known;
    const size = this.sizes?.get(v) ?? 0;
    switch (v.kind) {
      case "scalar":
        return this.add(v, ["s", this.src(v.src), this.via(v.via), v.value, v.inner ? this.src(v.inner) : 0]);
      case "seq":
      case "ref":
        return this.add(v, [
          v.kind === "seq" ? "q" : "r",
          this.src(v.src),
          this.via(v.via),
          this.items(v.items),
          v.kind === "ref" && v.invalid ? (v.written ?? 1) : 0,
          size,
        ]);
      case "map":
        return this.add(v, ["m", this.src(v.src), this.via(v.via), this.entries(v.entries), 0, size]);
    }
  }

  private items(items: readonly CValue[]): number {
    const known = this.ids.get(items);
    if (known !== undefined) return known;
    const ids = items.map((i) => this.value(i));
    return this.add(items, ["I", ids]);
  }

  private entries(entries: ReadonlyMap<string, CEntry>): number {
    const known = this.ids.get(entries);
    if (known !== undefined) return known;
    const rows = [...entries.values()].map((e) => this.entry(e));
    return this.add(entries, ["E", rows]);
  }

  entry(e: CEntry): unknown {
    return [e.key, this.src(e.keySrc), e.keyInner ? this.src(e.keyInner) : 0, this.value(e.value)];
  }

  anchors(list: readonly AnchorDef[]): unknown {
    return list.map((a) => [a.name, this.src(a.src), this.value(a.value)]);
  }

  diagnostics(list: readonly Diagnostic[]): unknown {
    return list.map((d) => [d.severity, d.code, this.src(d.src), d.message]);
  }
}

/** The file as JSON data. */
export function storeParsed(file: ParsedFile): unknown {
  const placed = file.entries?.placed;
  const enc = new Encoder(placed?.map((p) => p.entry.base) ?? [], file.entries?.sizes);
  if (placed) {
    const entries = placed.map(({ entry: l, start }) => [
      start,
      enc.entry(l.entry),
      enc.src(l.mapSrc),
      enc.anchors(l.anchors),
      [...l.aliases].map(([name, found]) => [name, found ? enc.value(found) : -1]),
      l.size,
      enc.diagnostics(l.diagnostics),
    ]);
    return { f: STORE_FORMAT, length: file.text.length, hash: textHash(file.text), table: enc.table, entries };
  }
  const header = file.header ? enc.value(file.header) : -1;
  const content = file.content ? enc.value(file.content) : -1;
  return {
    f: STORE_FORMAT,
    length: file.text.length,
    hash: textHash(file.text),
    table: enc.table,
    header,
    content,
    anchors: enc.anchors(file.anchors),
    diagnostics: enc.diagnostics(file.diagnostics),
  };
}

class Malformed extends Error {}

function check(ok: unknown): asserts ok {
  if (!ok) throw new Malformed();
}

const isInt = (n: unknown): n is number => Number.isInteger(n);
const SEVERITIES: readonly Severity[] = ["error", "warning", "information", "hint"];
const VIA_KINDS = ["alias", "merge-key", "extends", "reference", "default", "global-variables", "input"];

/** Rebuilds values from the table, in order: every reference points back. */
class Decoder {
  private readonly built: unknown[] = [];

  constructor(
    private readonly file: string,
    private readonly length: number,
    private readonly bases: readonly EntryBase[],
    private readonly sizes: WeakMap<object, number>,
  ) {}

  src(raw: unknown): Src {
    check(Array.isArray(raw) && raw.length === 3 && isInt(raw[0]) && isInt(raw[1]) && isInt(raw[2]));
    const [base, from, to] = raw as S;
    check(from >= 0 && to >= from);
    if (base === -1) {
      check(to <= this.length);
      return { file: this.file, start: from, end: to };
    }
    check(base >= 0 && base < this.bases.length && this.bases[base].offset + to <= this.length);
    return new EntrySrc(this.file, this.bases[base], from, to);
  }

  private via(raw: unknown): Via[] | undefined {
    if (raw === 0) return undefined;
    check(Array.isArray(raw));
    return (raw as unknown[]).map((h) => {
      check(Array.isArray(h) && h.length === 3 && VIA_KINDS.includes(h[0]) && typeof h[1] === "string");
      return { kind: h[0] as Via["kind"], name: h[1] as string, at: this.src(h[2]) };
    });
  }

  ref<T>(id: unknown, tag: string): T {
    check(isInt(id) && id >= 0 && id < this.built.length);
    const v = this.built[id as number] as { t: string; v: T };
    check(v.t === tag);
    return v.v;
  }

  value(id: unknown): CValue {
    return this.ref<CValue>(id, "v");
  }

  run(table: unknown): void {
    check(Array.isArray(table));
    for (const row of table as unknown[]) {
      check(Array.isArray(row));
      const r = row as unknown[];
      switch (r[0]) {
        case "I":
          check(Array.isArray(r[1]));
          this.built.push({ t: "I", v: (r[1] as unknown[]).map((i) => this.value(i)) });
          break;
        case "E": {
          check(Array.isArray(r[1]));
          const entries = new Map<string, CEntry>();
          for (const e of r[1] as unknown[]) {
            const entry = this.entry(e);
            entries.set(entry.key, entry);
          }
          this.built.push({ t: "E", v: entries });
          break;
        }
        default:
          this.built.push({ t: "v", v: this.node(r) });
      }
    }
  }

  entry(raw: unknown): CEntry {
    check(Array.isArray(raw) && raw.length === 4 && typeof raw[0] === "string");
    const [key, keySrc, keyInner, value] = raw as unknown[];
    const e: CEntry = { key: key as string, keySrc: this.src(keySrc), value: this.value(value) };
    return keyInner === 0 ? e : { ...e, keyInner: this.src(keyInner) };
  }

  private node(r: unknown[]): CValue {
    const src = this.src(r[1]);
    const via = this.via(r[2]);
    let v: CValue;
    if (r[0] === "s") {
      check(r[3] === null || ["string", "number", "boolean"].includes(typeof r[3]));
      v = { kind: "scalar", value: r[3] as string | number | boolean | null, src };
      if (r[4] !== 0) v = { ...v, inner: this.src(r[4]) };
    } else if (r[0] === "q" || r[0] === "r") {
      const items = this.ref<CValue[]>(r[3], "I");
      v =
        r[0] === "q"
          ? { kind: "seq", items, src }
          : r[4] === 1
            ? { kind: "ref", items, src, invalid: true }
            : typeof r[4] === "string"
              ? { kind: "ref", items, src, invalid: true, written: r[4] }
              : { kind: "ref", items, src };
    } else {
      check(r[0] === "m");
      v = { kind: "map", entries: this.ref<Map<string, CEntry>>(r[3], "E"), src };
    }
    if (via) v = { ...v, via };
    if (isInt(r[5]) && (r[5] as number) > 1) this.sizes.set(v, r[5] as number);
    return v;
  }

  anchors(raw: unknown): AnchorDef[] {
    check(Array.isArray(raw));
    return (raw as unknown[]).map((a) => {
      check(Array.isArray(a) && a.length === 3 && typeof a[0] === "string");
      return { name: a[0] as string, src: this.src(a[1]), value: this.value(a[2]) };
    });
  }

  diagnostics(raw: unknown): Diagnostic[] {
    check(Array.isArray(raw));
    return (raw as unknown[]).map((d) => {
      check(
        Array.isArray(d) &&
          d.length === 4 &&
          SEVERITIES.includes(d[0]) &&
          typeof d[1] === "string" &&
          isCode(d[1]) &&
          typeof d[3] === "string",
      );
      return { severity: d[0] as Severity, code: d[1], src: this.src(d[2]), message: d[3] as string };
    });
  }
}

/** The file stored from this very text, rebuilt; undefined when the data is for another text or malformed. */
export function restoreParsed(path: string, text: string, data: unknown): ParsedFile | undefined {
  try {
    const d = data as Record<string, unknown>;
    if (!d || d.f !== STORE_FORMAT || d.length !== text.length || d.hash !== textHash(text)) return undefined;
    if (Array.isArray(d.entries)) return restoreEntries(path, text, d.table, d.entries);
    const dec = new Decoder(path, text.length, [], new WeakMap());
    dec.run(d.table);
    const header = d.header === -1 ? undefined : dec.value(d.header);
    const content = d.content === -1 ? undefined : dec.value(d.content);
    check(header === undefined || header.kind === "map");
    return {
      path,
      text,
      lines: new LineIndex(text),
      header: header as ParsedFile["header"],
      content,
      anchors: dec.anchors(d.anchors),
      diagnostics: dec.diagnostics(d.diagnostics),
      restored: true,
    };
  } catch (e) {
    if (e instanceof Malformed || e instanceof TypeError || e instanceof RangeError) return undefined;
    throw e;
  }
}

function restoreEntries(path: string, text: string, table: unknown, raw: unknown[]): ParsedFile | undefined {
  const starts = entryStarts(text);
  check(starts && starts.length === raw.length);
  const bases = starts.map((s) => new EntryBase(s));
  const sizes = new WeakMap<object, number>();
  const dec = new Decoder(path, text.length, bases, sizes);
  dec.run(table);
  const placed = raw.map((r, i) => {
    check(Array.isArray(r) && r.length === 7 && r[0] === starts[i] && isInt(r[5]) && Array.isArray(r[4]));
    const aliases = new Map<string, CValue | undefined>();
    for (const a of r[4] as unknown[]) {
      check(Array.isArray(a) && typeof a[0] === "string");
      aliases.set(a[0] as string, a[1] === -1 ? undefined : dec.value(a[1]));
    }
    const entry: LoadedEntry = {
      text: text.slice(starts[i], starts[i + 1] ?? text.length),
      base: bases[i],
      entry: dec.entry(r[1]),
      mapSrc: dec.src(r[2]),
      anchors: dec.anchors(r[3]),
      aliases,
      size: r[5] as number,
      diagnostics: dec.diagnostics(r[6]),
    };
    return { entry, start: starts[i] };
  });
  const file = assemble(path, text, { placed, parses: new Map(), sizes });
  return file && { ...file, restored: true };
}
