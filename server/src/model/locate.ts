import type { ParsedFile } from "../engine/load";
import type { CEntry, CRef, CValue, Src, Via } from "../engine/types";
import { anchorCopy } from "../engine/values";

// What is written at an offset of a file: found by walking the parsed file's values by their
// source ranges. Copies brought in by aliases and merge keys carry the anchor's ranges, so they
// are recognised by their hops and not descended into.

export interface Spot {
  readonly file: ParsedFile;
  /** Keys (and list indexes) from the document root to the spot. */
  readonly path: ReadonlyArray<string | number>;
  /** The key under the cursor, when the cursor is on a key. */
  readonly key?: CEntry;
  /** The value under the cursor, when it is on a value. */
  readonly value?: CValue;
  /** The `!reference` whose item is under the cursor, and which item. */
  readonly reference?: { readonly ref: CRef; readonly index: number };
  /** The alias under the cursor (`*name`, or `<<: *name`). */
  readonly alias?: Via;
  /** True when the spot is in the spec header document. */
  readonly inHeader: boolean;
}

const within = (src: Src, offset: number) => src.start <= offset && offset <= src.end;

export function spotAt(file: ParsedFile, offset: number): Spot | undefined {
  for (const [doc, inHeader] of [
    [file.header, true],
    [file.content, false],
  ] as const) {
    if (!doc || !within(doc.src, offset)) continue;
    const found = walk(doc, offset, []);
    if (found) return { file, inHeader, ...found };
  }
  return undefined;
}

type Found = Omit<Spot, "file" | "inHeader">;

function walk(v: CValue, offset: number, path: Array<string | number>): Found | undefined {
  const hop = anchorCopy(v);
  if (hop) return within(hop.at, offset) ? { path, alias: hop, value: v } : undefined;
  switch (v.kind) {
    case "map":
      for (const e of v.entries.values()) {
        if (e.value.via?.[0]?.kind === "merge-key") {
          if (within(e.value.via[0].at, offset)) return { path, alias: e.value.via[0] };
          continue;
        }
        if (within(e.keySrc, offset)) return { path: [...path, e.key], key: e };
        if (within(e.value.src, offset) || anchorCopy(e.value)) {
          const inner = walk(e.value, offset, [...path, e.key]);
          if (inner) return inner;
        }
      }
      return within(v.src, offset) ? { path, value: v } : undefined;
    case "seq":
      for (let i = 0; i < v.items.length; i++) {
        const inner = walk(v.items[i], offset, [...path, i]);
        if (inner) return inner;
      }
      return within(v.src, offset) ? { path, value: v } : undefined;
    case "ref":
      for (let i = 0; i < v.items.length; i++) {
        if (within(v.items[i].src, offset)) return { path, value: v.items[i], reference: { ref: v, index: i } };
      }
      return within(v.src, offset) ? { path, value: v, reference: { ref: v, index: -1 } } : undefined;
    case "scalar":
      return within(v.src, offset) ? { path, value: v } : undefined;
  }
}
