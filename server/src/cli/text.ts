import { isExternalPath } from "../engine/external";
import type { Located, PositionedDiagnostic } from "../workspace/diagnostics";

// Findings as text, compiler style: `file:line:col: severity: message [code]`, 1-based. On a terminal
// the paths are from the current folder (so the terminal makes them links), the related places follow
// as `note:` lines, and with colour the severity word is coloured and the place bold. Into a pipe or a
// file the text is as it always was: paths from the project folder, no notes, no colour — unless the run
// covers several projects or one found above the current folder, where paths from the current folder
// are the only unambiguous ones.

export interface TextStyle {
  /** ANSI colours. */
  readonly color: boolean;
  /** Prepended to the project's paths: the project folder from the current folder, or "". */
  readonly prefix: string;
  /** Related places as `note:` lines under their finding. */
  readonly related: boolean;
}

export const PLAIN: TextStyle = { color: false, prefix: "", related: false };

const SGR = {
  bold: ["\x1b[1m", "\x1b[22m"],
  dim: ["\x1b[2m", "\x1b[22m"],
  red: ["\x1b[31m", "\x1b[39m"],
  yellow: ["\x1b[33m", "\x1b[39m"],
  cyan: ["\x1b[36m", "\x1b[39m"],
  grey: ["\x1b[90m", "\x1b[39m"],
} as const;

type Paint = keyof typeof SGR;

function paint(style: TextStyle, what: Paint, text: string): string {
  return style.color ? `${SGR[what][0]}${text}${SGR[what][1]}` : text;
}

const SEVERITY_PAINT: Record<string, Paint> = { error: "red", warning: "yellow", information: "cyan", hint: "grey" };

/** A project path as shown: from the current folder when the style says so; fetched files as they are. */
export function shownPath(file: string, style: Pick<TextStyle, "prefix">): string {
  if (!style.prefix || isExternalPath(file)) return file;
  return `${style.prefix.replace(/\/+$/, "")}/${file}`;
}

function place(at: Located, style: TextStyle): string {
  return paint(
    style,
    "bold",
    `${shownPath(at.file, style)}:${at.range.start.line + 1}:${at.range.start.character + 1}`,
  );
}

/** One finding, and its related places when the style shows them; no final line break. */
export function findingText(d: PositionedDiagnostic, style: TextStyle = PLAIN): string {
  const severity = paint(style, SEVERITY_PAINT[d.severity] ?? "bold", d.severity);
  const head = `${place(d, style)}: ${severity}: ${d.message} ${paint(style, "dim", `[${d.code}]`)}`;
  if (!style.related || !d.related?.length) return head;
  return [head, ...d.related.map((r) => `  ${place(r, style)}: ${paint(style, "cyan", "note")}: ${r.message}`)].join(
    "\n",
  );
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/**
 * Whether text output is coloured: --color or --no-color when given, else on a terminal unless
 * NO_COLOR is set to something (no-color.org) or the terminal is dumb.
 */
export function wantsColor(flag: boolean | undefined, isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (flag !== undefined) return flag;
  return isTTY && !env.NO_COLOR && env.TERM !== "dumb";
}
