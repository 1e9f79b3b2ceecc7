import { isCode } from "../engine/codes";
import type { Model } from "../engine/engine";
import { isExternalPath } from "../engine/external";
import { LineIndex } from "../engine/text";
import type { Diagnostic, Src } from "../engine/types";

// Inline suppression comments, as eslint has them, in a project's own YAML files:
//
//   # pipewright-disable-next-line CODE[, CODE...] [-- why]   the findings of these codes on the next line
//   # pipewright-disable-file CODE[, CODE...] [-- why]        the findings of these codes anywhere in the file
//
// A finding counts as on the next line when its range starts there. A code that suppresses nothing
// (no such finding, or no such code) is a `suppression-unused` warning at the code, with a fix that
// removes it (the whole comment when nothing of it is used), so suppressions do not outlive their cause.
//
// The parser keeps no comment tokens, so comments are found by a scan of whole comment lines (`#` first
// on the line), skipping the lines of block scalars (`script: |`), where a `#` is text, not a comment.
// A comment after a value on the same line is not a suppression. Pure: the caller gives files and findings.

export const DISABLE_NEXT_LINE = "pipewright-disable-next-line";
export const DISABLE_FILE = "pipewright-disable-file";
const MARK = "pipewright-disable";

export interface SuppressionCode {
  readonly code: string;
  /** Where the code is written in the comment. */
  readonly src: Src;
}

export interface Suppression {
  readonly kind: "next-line" | "file" | "unknown";
  /** The directive as written, `pipewright-disable-next-line`. */
  readonly directive: string;
  /** 0-based line of the comment. */
  readonly line: number;
  /** The comment, from `#` to the end of its text. */
  readonly src: Src;
  /** The whole line with its line break: what a fix deletes. */
  readonly lineSrc: Src;
  readonly codes: readonly SuppressionCode[];
}

/** A file as the suppressions need it: its text, and its line index when the caller has one. */
export interface SuppressionFile {
  readonly text: string;
  readonly lines?: LineIndex;
}

/** The suppression comments of one file, in order. */
export function suppressionComments(file: string, text: string, lines?: LineIndex): Suppression[] {
  if (!text.includes(MARK)) return [];
  const index = lines ?? new LineIndex(text);
  const out: Suppression[] = [];
  /** Indentation a line must exceed to belong to the block scalar being read; undefined outside one. */
  let block: number | undefined;
  for (let line = 0; line < index.lineCount; line++) {
    const start = index.lineStart(line);
    const content = index.lineText(line);
    const indent = content.length - content.trimStart().length;
    const blank = content.trim() === "";
    if (block !== undefined) {
      if (blank || indent > block) continue;
      block = undefined;
    }
    const opens = blockScalarParent(content);
    if (opens !== undefined) {
      block = opens;
      continue;
    }
    const m = /^(\s*)#\s*(pipewright-disable[\w-]*)(.*)$/.exec(content);
    if (!m) continue;
    const directive = m[2];
    const kind = directive === DISABLE_NEXT_LINE ? "next-line" : directive === DISABLE_FILE ? "file" : "unknown";
    const restAt = start + content.length - m[3].length;
    const codes: SuppressionCode[] = [];
    // codes up to `--`, which starts the reason
    const reason = m[3].search(/(^|\s)--(\s|$)/);
    const list = reason < 0 ? m[3] : m[3].slice(0, reason);
    for (const c of list.matchAll(/[^\s,]+/g))
      codes.push({ code: c[0], src: { file, start: restAt + c.index, end: restAt + c.index + c[0].length } });
    const end = start + content.trimEnd().length;
    const next = line + 1 < index.lineCount ? index.lineStart(line + 1) : text.length;
    out.push({
      kind,
      directive,
      line,
      src: { file, start: start + m[1].length, end },
      lineSrc: { file, start, end: next },
      codes,
    });
  }
  return out;
}

/**
 * When a line ends with a block scalar's indicator (`key: |`, `- >-`, `key: &a |2`), the indentation its
 * content lines must exceed: that of the key, or of the `-` for a sequence item; undefined otherwise.
 */
function blockScalarParent(line: string): number | undefined {
  const m = /^(\s*(?:-\s+)*)(?:(.*?):\s+|-\s+|)(?:[&!][^\s]*\s+)*[|>](?:[1-9][+-]?|[+-][1-9]?)?\s*(?:#.*)?$/.exec(line);
  if (!m) return undefined;
  if (/^\s*#/.test(line)) return undefined;
  const key = m[2];
  if (key !== undefined) {
    // a quote or a flow collection before the indicator: not a block scalar's key
    if (/^["'[{]/.test(key.trim()) && !/^(["']).*\1$/.test(key.trim())) return undefined;
    return m[1].length;
  }
  // `- |`: the item's dash
  const dashes = m[1];
  return dashes.trimEnd().length - 1;
}

/** The files of the models, once each: what `applySuppressions` scans. */
export function filesOf(models: readonly Model[]): Map<string, SuppressionFile> {
  const out = new Map<string, SuppressionFile>();
  for (const m of models) for (const [path, f] of m.files) if (!out.has(path)) out.set(path, f);
  return out;
}

/**
 * The findings without those a suppression comment silences, followed by a `suppression-unused` finding
 * for each suppression (or code of one) that silenced nothing. Fetched files (`//` paths) are left alone:
 * their comments are someone else's. A `# pipewright-disable-file suppression-unused` silences the
 * unused findings of its file.
 */
export function applySuppressions(
  findings: readonly Diagnostic[],
  files: Iterable<readonly [string, SuppressionFile]>,
): Diagnostic[] {
  const byFile = new Map<string, { comments: Suppression[]; lines: LineIndex }>();
  for (const [path, f] of files) {
    if (byFile.has(path) || isExternalPath(path) || !f.text.includes(MARK)) continue;
    const lines = f.lines ?? new LineIndex(f.text);
    const comments = suppressionComments(path, f.text, lines);
    if (comments.length) byFile.set(path, { comments, lines });
  }
  if (!byFile.size) return [...findings];
  /** Per comment, which of its codes silenced something. */
  const used = new Map<Suppression, Set<string>>();
  const use = (s: Suppression, code: string) => {
    let set = used.get(s);
    if (!set) used.set(s, (set = new Set()));
    set.add(code);
  };
  const silenced = (d: Diagnostic): boolean => {
    const f = byFile.get(d.src.file);
    if (!f) return false;
    let line: number | undefined;
    let hit = false;
    for (const s of f.comments) {
      if (s.kind === "unknown" || !s.codes.some((c) => c.code === d.code)) continue;
      if (s.kind === "next-line") {
        line ??= f.lines.position(d.src.start).line;
        if (line !== s.line + 1) continue;
      }
      // every comment that covers the finding is used, not only the first
      use(s, d.code);
      hit = true;
    }
    return hit;
  };
  const out: Diagnostic[] = [];
  // a loop, not filter(): a broken config can have very many findings
  for (const d of findings) if (!silenced(d)) out.push(d);
  const unused: Diagnostic[] = [];
  for (const { comments } of byFile.values())
    for (const s of comments) for (const d of unusedFindings(s, used.get(s))) unused.push(d);
  for (const d of unused) if (!silenced(d)) out.push(d);
  return out;
}

/** What a suppression comment did not use: the whole comment, or code by code. */
function unusedFindings(s: Suppression, used: ReadonlySet<string> | undefined): Diagnostic[] {
  const wholeComment = (message: string): Diagnostic[] => [
    {
      src: s.src,
      severity: "warning",
      code: "suppression-unused",
      message,
      fixes: [{ title: "Remove the suppression comment", edits: [{ src: s.lineSrc, newText: "" }] }],
    },
  ];
  if (s.kind === "unknown")
    return wholeComment(
      `\`${s.directive}\` is not a suppression comment Pipewright knows (they are ` +
        `${DISABLE_NEXT_LINE} and ${DISABLE_FILE}): it suppresses nothing`,
    );
  if (!s.codes.length)
    return wholeComment(
      `\`${s.directive}\` names no diagnostic code, so it suppresses nothing: add the codes it is for, ` +
        `e.g. \`# ${s.directive} include-no-match\``,
    );
  const where = s.kind === "next-line" ? "on the next line" : "in this file";
  const why = (code: string) =>
    isCode(code) ? `no \`${code}\` finding is reported ${where}` : `\`${code}\` is not a Pipewright diagnostic code`;
  const unusedCodes = s.codes.filter((c) => !used?.has(c.code));
  if (!unusedCodes.length) return [];
  if (unusedCodes.length === s.codes.length)
    return wholeComment(`\`${s.directive}\` suppresses nothing: ${s.codes.map((c) => why(c.code)).join("; ")}`);
  return unusedCodes.map((c) => {
    const i = s.codes.indexOf(c);
    // the code with the comma before it, or after it for the first
    const removal: Src =
      i > 0
        ? { file: c.src.file, start: s.codes[i - 1].src.end, end: c.src.end }
        : { file: c.src.file, start: c.src.start, end: s.codes[1].src.start };
    return {
      src: c.src,
      severity: "warning",
      code: "suppression-unused",
      message: `\`${c.code}\` in this suppression comment suppresses nothing: ${why(c.code)}`,
      fixes: [{ title: `Remove ${c.code} from the suppression comment`, edits: [{ src: removal, newText: "" }] }],
    } satisfies Diagnostic;
  });
}
