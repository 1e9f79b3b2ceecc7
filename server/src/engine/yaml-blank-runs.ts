import { Composer, CST, Document, Parser, parseAllDocuments } from "yaml";

// The yaml package spends a few microseconds on every token, and a blank line between two nodes is a
// token of its own: a 1 MB file of a million blank (or comment) lines took 3 s to parse, past the
// budget of an analysis, though GitLab reads it at once. Such a run carries no value, so before parsing
// a file with that many lines we shorten each long run to three lines of the same total length: its
// first and last lines as they are, and one line in place of all those between them, blank for blank
// lines, a comment at the same indentation for comment lines. Offsets stay where they were (only line
// breaks become spaces), so every position the parser gives is still one of the file's; line numbers
// come from the file itself.
//
// The parse must be the one of the file as written, which holds when the lexer reads the run as blank
// or comment lines outside any scalar and flow collection: the parser then sees the same tokens but
// fewer of them, in the same places, its last newline the same one; the lexer's indentation state
// comes out of the run as it would have. Whether a run is such is not guessed from the text (the lexer
// knows, but lexing a million lines is itself the cost): the shortened text is parsed, and the line
// put in place of each run must come back as a space or comment token of its own, outside any flow
// collection. Blank lines read the same to every decision the lexer takes about where a scalar or a
// flow collection ends, so a run that is inside one in the file is inside it in the shortened text
// too, and is then not confirmed: that run is put back and the text parsed again.

/** Below this many lines a file parses fast enough as it is. */
const MIN_LINES = 100_000;
/** A run shorter than this costs the parser little. */
const MIN_RUN_LINES = 64;

function lineCount(text: string, atLeast: number): boolean {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) if (++n >= atLeast) return true;
  return false;
}

/** The lines between a run's first and last, [start, end) up to and with the last one's line break. */
export interface Fold {
  readonly start: number;
  readonly end: number;
  /** -1 for blank lines, else the comment lines' indentation */
  readonly comment: number;
  /** a comment line's second character is not blank: the lexer then lowers its expected indentation */
  readonly dedents: boolean;
}

const CONTENT = -2;
const BLANK = -1;

/** CONTENT, BLANK (spaces only), or a comment line's indentation (spaces only before its #). */
function kindOf(text: string, i: number, j: number): number {
  let k = i;
  while (k < j && text.charCodeAt(k) === 32) k++;
  if (k === j || (k === j - 1 && text[k] === "\r")) return BLANK;
  return text[k] === "#" ? k - i : CONTENT;
}

/** Whether the lexer, at this comment line, lowers the indentation it expects next (its character after #). */
function dedents(text: string, hash: number): boolean {
  const c = text[hash + 1];
  return !(c === " " || c === "\t" || c === "\r" || c === "\n" || c === undefined);
}

/**
 * The runs worth shortening: at least MIN_RUN_LINES blank lines (spaces only), or comment lines of one
 * indentation, in a file of MIN_LINES lines or more. A run after a line that may open a block scalar,
 * a quoted scalar or a flow collection is left out, up to the next line at column 0: it is likely
 * inside one, and would only be put back after a parse.
 */
export function blankRuns(text: string, minLines = MIN_LINES, minRun = MIN_RUN_LINES): Fold[] {
  if (!lineCount(text, minLines)) return [];
  minRun = Math.max(minRun, 4);
  const folds: Fold[] = [];
  // since the last content line at column 0: a character that may open a multi-line scalar or collection
  let risky = false;
  // the current run: its kind, where its second and its last line start, how many lines, whether a
  // line between its first and last dedents
  let kind = CONTENT;
  let second = -1;
  let last = -1;
  let lines = 0;
  let dedent = false;
  for (let i = 0; i < text.length;) {
    const j = text.indexOf("\n", i);
    if (j === -1) break;
    const k = kindOf(text, i, j);
    if (k !== CONTENT && k === kind) {
      // the line before is one between the first and the last now
      if (lines >= 2 && k >= 0) dedent ||= dedents(text, last + k);
      if (lines === 1) second = i;
      lines++;
      last = i;
    } else {
      if (kind !== CONTENT && lines >= minRun && !risky)
        folds.push({ start: second, end: last, comment: kind < 0 ? -1 : kind, dedents: dedent });
      kind = k;
      lines = 1;
      dedent = false;
      last = i;
      if (k === CONTENT) {
        let c = i;
        while (text[c] === " " || text[c] === "\t") c++;
        if (c === i) risky = false;
        for (; c < j && !risky; c++) risky = OPENERS.has(text[c]);
      }
    }
    i = j + 1;
  }
  if (kind !== CONTENT && lines >= minRun && !risky)
    folds.push({ start: second, end: last, comment: kind < 0 ? -1 : kind, dedents: dedent });
  return folds;
}

/** Characters that may start a block scalar, a quoted scalar or a flow collection running over lines. */
const OPENERS = new Set(["|", ">", '"', "'", "[", "{"]);

/** The text with each fold's lines made one line of the same length. */
export function applyFolds(text: string, folds: readonly Fold[]): string {
  if (folds.length === 0) return text;
  const out: string[] = [];
  let copied = 0;
  for (const f of folds) {
    out.push(text.slice(copied, f.start));
    const n = f.end - f.start - 1;
    if (f.comment < 0) out.push(" ".repeat(n));
    else out.push(" ".repeat(f.comment), "#", f.dedents ? "#" : " ", " ".repeat(n - f.comment - 2));
    out.push("\n");
    copied = f.end;
  }
  out.push(text.slice(copied));
  return out.join("");
}

type Options = Parameters<typeof parseAllDocuments>[1] & ConstructorParameters<typeof Composer>[0];

/**
 * parseAllDocuments(text, options), with long runs of blank and comment lines shortened first where
 * that gives the same parse.
 */
export function parseAllDocumentsShortened(text: string, options: Options): Document.Parsed[] {
  return parseShortened(text, options).docs;
}

/** The documents, and the folds they were parsed with (the thresholds are the tests' to lower). */
export function parseShortened(
  text: string,
  options: Options,
  minLines = MIN_LINES,
  minRun = MIN_RUN_LINES,
): { docs: Document.Parsed[]; folds: readonly Fold[] } {
  let folds = blankRuns(text, minLines, minRun);
  // each try confirms every fold or drops one at least; a run inside a scalar costs one more try
  for (let tries = 0; folds.length > 0 && tries < 4; tries++) {
    const tokens = Array.from(new Parser().parse(applyFolds(text, folds)));
    const sure = confirmed(tokens, folds);
    if (sure.size === folds.length) {
      const composer = new Composer(options);
      const docs = Array.from(composer.compose(tokens)) as Document.Parsed[];
      // what parseAllDocuments gives for a stream without documents
      return { docs: docs.length > 0 ? docs : Object.assign([], { empty: true }, composer.streamInfo()), folds };
    }
    folds = folds.filter((f) => sure.has(f));
  }
  const docs = parseAllDocuments(text, options);
  return { docs: Array.isArray(docs) ? (docs as Document.Parsed[]) : [], folds: [] };
}

/** The folds whose line the parser read as a space or comment token of its own, outside flow collections. */
export function confirmed(tokens: readonly CST.Token[], folds: readonly Fold[]): Set<Fold> {
  const at = new Map<number, Fold>();
  for (const f of folds) at.set(f.comment < 0 ? f.start : f.start + f.comment, f);
  const sure = new Set<Fold>();
  const todo: Array<CST.Token | CST.SourceToken | undefined> = [...tokens];
  const push = (list: ReadonlyArray<CST.Token | CST.SourceToken> | undefined) => {
    if (list) for (const t of list) todo.push(t);
  };
  while (todo.length > 0) {
    const t = todo.pop();
    if (!t) continue;
    switch (t.type) {
      case "space":
      case "comment": {
        const f = at.get(t.offset);
        const want = f === undefined ? "" : f.comment < 0 ? "space" : "comment";
        if (f && t.type === want && t.offset + t.source.length === f.end - 1) sure.add(f);
        break;
      }
      case "document":
        push(t.start);
        todo.push(t.value);
        push(t.end);
        break;
      case "block-map":
      case "block-seq":
        for (const it of t.items) {
          push(it.start);
          if ("key" in it) todo.push(it.key ?? undefined);
          if ("sep" in it) push(it.sep);
          todo.push(it.value);
        }
        break;
      case "alias":
      case "scalar":
      case "single-quoted-scalar":
      case "double-quoted-scalar":
        push(t.end);
        break;
      case "doc-end":
        push(t.end);
        break;
      // a flow collection's blank lines are left as they are
    }
  }
  return sure;
}
