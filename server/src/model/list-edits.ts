import type { Model } from "../engine/engine";
import type { CSeq, CValue, Src, TextEdit } from "../engine/types";

// Text edits of a YAML list where it is written, block (`- item` lines) or flow (`[a, b]`), for
// the quick fixes of the lints and the Dagger conversion. Positions come from the parser's
// ranges; when the layout is not one these edits can keep valid, they give up (undefined).

/** Where an item is written: one that a `*alias` or `!reference` put there is written at that token. */
function writtenSrc(list: CSeq, item: CValue): Src {
  const hop = item.via?.[0];
  return hop && hop.at.file === list.src.file ? hop.at : item.src;
}

/** An edit that inserts `item` (YAML text) at `index` of the list, before the item now there or after the last. */
export function insertItem(model: Model, list: CSeq, index: number, item: string): TextEdit | undefined {
  const lines = model.files.get(list.src.file)?.lines;
  if (!lines) return undefined;
  const text = lines.text;
  const point = (at: number, newText: string): TextEdit => ({
    src: { file: list.src.file, start: at, end: at },
    newText,
  });
  if (text[list.src.start] === "[") {
    if (index === 0) return point(list.src.start + 1, list.items.length ? `${item}, ` : item);
    return point(writtenSrc(list, list.items[index - 1]).end, `, ${item}`);
  }
  const neighbour = list.items[Math.min(index, list.items.length - 1)];
  if (!neighbour) return undefined;
  const at = writtenSrc(list, neighbour);
  const lineStart = lines.startOfLine(at.start);
  const dash = text.slice(lineStart, at.start);
  // an item spread over lines (a `job:` map) has no dash right before it: leave that by hand
  if (!/^[ \t]*-[ \t]+$/.test(dash)) return undefined;
  if (index < list.items.length) return point(lineStart, `${dash}${item}\n`);
  const next = lines.nextLineStart(at.end - 1);
  return next === undefined ? undefined : point(next, `${dash}${item}\n`);
}

/** An edit that removes one item of a list, keeping the YAML valid in block and flow style. */
export function removeItem(model: Model, list: CSeq, index: number): TextEdit | undefined {
  const item = list.items[index];
  const lines = model.files.get(item.src.file)?.lines;
  if (!lines) return undefined;
  const lineStart = lines.startOfLine(item.src.start);
  if (/^\s*-\s*$/.test(lines.text.slice(lineStart, item.src.start))) {
    return {
      src: { file: item.src.file, start: lineStart, end: lines.nextLineStart(item.src.end) ?? lines.text.length },
      newText: "",
    };
  }
  const after = list.items[index + 1];
  const before = list.items[index - 1];
  if (after && after.src.file === item.src.file)
    return { src: { file: item.src.file, start: item.src.start, end: after.src.start }, newText: "" };
  if (before && before.src.file === item.src.file)
    return { src: { file: item.src.file, start: before.src.end, end: item.src.end }, newText: "" };
  return undefined;
}
