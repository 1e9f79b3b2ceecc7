import { stringify } from "yaml";
import type { Model } from "../engine/engine";
import type { CEntry, CMap, CValue, Src, Via } from "../engine/types";

// The merged views as YAML that says where each value comes from: a line whose value was written in
// another file, or reached through another hop (extends, !reference, default:, an alias...), than the
// line holding it ends with a comment naming the place and the hops; every line keeps the source of its
// value, so hover and go-to-definition in the view lead to it. A job's own keys come before what it
// inherits (`default:`, global variables), which otherwise opened the view with 25 global variables.

export interface MergedView {
  readonly text: string;
  /** For each line of `text`, where its value (or, for a key holding a list or map, its key) is written. */
  readonly sources: ReadonlyArray<Src | undefined>;
}

interface Line {
  text: string;
  src?: Src;
  note?: string;
}

/** Comments start at this column at most; longer lines get theirs two spaces after. */
const NOTE_COLUMN = 48;

/** 0: written here (or brought by a reference or an alias written here), 1: from a parent through
 * `extends`, 2: inherited from `default:` or the global variables. */
function rank(v: CValue): number {
  if (v.via?.some((h) => h.kind === "default" || h.kind === "global-variables")) return 2;
  return v.via?.some((h) => h.kind === "extends") ? 1 : 0;
}

/** A scalar or key as YAML: the yaml package's plain or quoted form, JSON's where that would span lines. */
function scalarText(value: unknown): string {
  const text = stringify(value, { lineWidth: 0 }).trimEnd();
  return text.includes("\n") ? JSON.stringify(value) : text;
}

/** A multi-line string as a literal block, its lines under `indent`; undefined where that would not read back. */
function blockText(value: string, indent: string): string[] | undefined {
  // a first line starting with a space would need an indentation indicator; trailing spaces and control
  // characters would not read back the same
  if (!value.includes("\n") || /(^|\n) |[ \t]\n|[ \t]$/.test(value) || hasControl(value)) return undefined;
  const body = value.endsWith("\n") ? value.slice(0, -1) : value;
  if (body.endsWith("\n") || body.startsWith("\n")) return undefined;
  return [value.endsWith("\n") ? "|" : "|-", ...body.split("\n").map((l) => (l ? indent + l : ""))];
}

function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 10) || c === 127) return true;
  }
  return false;
}

function hop(h: Via): string {
  switch (h.kind) {
    case "extends":
      return `extends ${h.name}`;
    case "reference":
      return `!reference ${h.name}`;
    case "default":
      return "default:";
    case "global-variables":
      return "global variables";
    case "alias":
      return `*${h.name}`;
    case "merge-key":
      return `<<: *${h.name}`;
    case "input":
      return `input ${h.name}`;
  }
}

class Writer {
  readonly lines: Line[] = [];

  constructor(private readonly model: Model) {}

  private place(src: Src): string {
    const line = this.model.files.get(src.file)?.lines.position(src.start).line ?? 0;
    return `${src.file.replace(/^\/\//, "")}:${line + 1}`;
  }

  /**
   * The comment for a value at `src` through `via`, when it says something its parent line did not: another
   * file, or hops of its own (a value without hops is reached the way its parent is). Updates `ctx`.
   */
  private note(src: Src, via: readonly Via[] | undefined, ctx: Context): string | undefined {
    const hops = via?.length ? via.map(hop).join(", ") : ctx.hops;
    if (src.file === ctx.file && hops === ctx.hops) return undefined;
    ctx.file = src.file;
    ctx.hops = hops;
    return hops ? `${this.place(src)}, via ${hops}` : this.place(src);
  }

  value(v: CValue, indent: string, lead: string, parent: Context, keySrc?: Src): void {
    const inItem = lead.endsWith("- ");
    if ((v.kind === "map" && v.entries.size) || (v.kind === "seq" && v.items.length)) {
      const here = { ...parent };
      const note = this.note(keySrc ?? v.src, v.via, here);
      const first = this.lines.length;
      // a list item's map or list starts on the dash's line: its first line carries the note
      if (!inItem) this.lines.push({ text: lead, src: keySrc ?? v.src, note });
      if (v.kind === "map") {
        ordered(v).forEach((e, i) => {
          const key = `${scalarText(e.key)}:`;
          this.value(e.value, indent + "  ", inItem && i === 0 ? `${lead}${key}` : `${indent}${key}`, here, e.keySrc);
        });
      } else {
        v.items.forEach((item, i) => {
          this.value(item, indent + "  ", inItem && i === 0 ? `${lead}- ` : `${indent}- `, here);
        });
      }
      if (inItem && note && this.lines[first] && !this.lines[first].note) this.lines[first].note = note;
      return;
    }
    const text =
      v.kind === "map"
        ? "{}"
        : v.kind === "seq"
          ? "[]"
          : v.kind === "ref"
            ? `!reference [${v.items.map((i) => (i.kind === "scalar" ? scalarText(i.value) : "?")).join(", ")}]`
            : undefined;
    const note = this.note(v.src, v.via, { ...parent });
    const sep = lead.endsWith(" ") || lead === "" ? "" : " ";
    if (text !== undefined) {
      this.lines.push({ text: `${lead}${sep}${text}`, src: v.src, note });
      return;
    }
    const value = v.kind === "scalar" ? v.value : null;
    const block = typeof value === "string" ? blockText(value, indent) : undefined;
    if (block) {
      this.lines.push({ text: `${lead}${sep}${block[0]}`, src: v.src, note });
      for (const l of block.slice(1)) this.lines.push({ text: l, src: v.src });
    } else {
      this.lines.push({ text: `${lead}${sep}${scalarText(value)}`, src: v.src, note });
    }
  }
}

interface Context {
  file: string;
  hops: string;
}

/** A map's entries, its own first, then what `extends` brings, then what `default:` and the global
 * variables do; in written order otherwise. */
function ordered(v: CMap): CEntry[] {
  return [...v.entries.values()]
    .map((e, i) => ({ e, i, r: rank(e.value) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.e);
}

/** The view of a whole merged configuration, or of one job's effective definition. */
export function mergedView(model: Model, value: CMap, header: readonly string[]): MergedView {
  const w = new Writer(model);
  const top: Context = { file: "", hops: "" };
  for (const e of ordered(value)) w.value(e.value, "  ", `${scalarText(e.key)}:`, top, e.keySrc);
  const width = Math.min(NOTE_COLUMN, Math.max(0, ...w.lines.filter((l) => l.note).map((l) => l.text.length)));
  const lines = w.lines.map((l) => (l.note ? `${l.text.padEnd(width)}  # ${l.note}` : l.text));
  return {
    text: [...header.map((h) => `# ${h}`), ...lines, ""].join("\n"),
    sources: [...header.map(() => undefined), ...w.lines.map((l) => l.src)],
  };
}
