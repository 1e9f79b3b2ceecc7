// The yaml package spends a few microseconds on every token, and a blank line between two nodes is a
// token of its own: a 1 MB file of a million blank (or comment) lines took 3 s to parse, past the
// budget of an analysis, though GitLab reads it at once. Such a run carries no value, so before parsing
// a file with that many lines we turn each long run of blank and comment lines between nodes into one
// comment line of the same length. Offsets stay where they were (only line breaks become spaces), so
// every position the parser gives is still one of the file's; line numbers come from the file itself.
// Only runs that cannot be inside a scalar are folded, decided from the text in one pass (the yaml
// lexer would know exactly, but lexing a million lines is itself the cost): since the last line that
// starts a top-level entry there is no block scalar header, quote or flow collection, and the line after
// the run is indented no deeper than the line before it (so it does not continue a plain scalar).

/** Below this many lines a file parses fast enough as it is. */
const MIN_LINES = 100_000;
/** A run shorter than this costs the parser little. */
const MIN_RUN_LINES = 64;

function lineCount(text: string, atLeast: number): boolean {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) if (++n >= atLeast) return true;
  return false;
}

type Line = "blank" | "comment" | "content";

/** The text with long runs of blank and comment lines between nodes folded into single comment lines. */
export function foldBlankRuns(text: string): string {
  if (!lineCount(text, MIN_LINES)) return text;
  const out: string[] = [];
  let copied = 0;
  // since the last content line at column 0: a character that may open a multi-line scalar or collection
  let risky = false;
  let lastIndent = 0;
  let runStart = -1;
  let runLines = 0;
  const fold = (end: number) => {
    // from the start of the run's first line to the line break that ends its last one
    const last = end - 1;
    if (last - runStart < 1) return;
    out.push(text.slice(copied, runStart), "#", " ".repeat(last - runStart - 1));
    copied = last;
  };
  for (let i = 0; i < text.length;) {
    let j = text.indexOf("\n", i);
    if (j === -1) j = text.length;
    let k = i;
    while (k < j && (text[k] === " " || text[k] === "\t" || text[k] === "\r")) k++;
    const kind: Line = k === j ? "blank" : text[k] === "#" ? "comment" : "content";
    if (kind !== "content") {
      if (runLines === 0) runStart = i;
      runLines++;
    } else {
      const indent = k - i;
      if (runLines >= MIN_RUN_LINES && !risky && (indent === 0 || indent <= lastIndent)) fold(i);
      runLines = 0;
      if (indent === 0) risky = false;
      for (let c = k; c < j && !risky; c++) risky = OPENERS.has(text[c]);
      lastIndent = indent;
    }
    i = j + 1;
  }
  if (runLines >= MIN_RUN_LINES && !risky && text.endsWith("\n")) fold(text.length);
  if (copied === 0) return text;
  out.push(text.slice(copied));
  const folded = out.join("");
  return folded.length === text.length ? folded : text;
}

/** Characters that may start a block scalar, a quoted scalar or a flow collection running over lines. */
const OPENERS = new Set(["|", ">", '"', "'", "[", "{"]);
