import { scanPatternToken } from "./expression-pattern";

// The lexer of GitLab's expression language (lib/gitlab/ci/pipeline/expression/lexer.rb): skip
// whitespace, then try each lexeme in GitLab's order, anchored where the scan is; the first that
// matches wins. Each lexeme's pattern is in lib/gitlab/ci/pipeline/expression/lexeme/*.rb.

/** A syntax error: GitLab's message for it and where it is in the expression's text. */
export interface ExprSyntaxError {
  /** GitLab's text (the ExpressionError's message), e.g. "Unknown lexeme found!". */
  readonly message: string;
  /** UTF-16 offset into the expression text. */
  readonly offset: number;
  /** UTF-16 length of the text the error is about (0 at the end of the text). */
  readonly length: number;
}

export type ValueKind = "input" | "variable" | "string" | "pattern" | "null" | "boolean";
export type OperatorKind = "==" | "=~" | "!=" | "!~" | "&&" | "||";
export type TokenKind = "(" | ")" | ValueKind | OperatorKind;

export interface Token {
  readonly kind: TokenKind;
  /** The token as written. */
  readonly text: string;
  readonly offset: number;
}

/**
 * lexer.rb reads at most this many tokens. Its loop stops after MAX_TOKENS scans whether or not
 * the text is done, and only a scan that finds the end returns, so 99 tokens is the most an
 * expression can have: the 100th gives "Too many tokens!".
 */
export const MAX_TOKENS = 100;

export type Lexed = { ok: true; tokens: Token[] } | { ok: false; error: ExprSyntaxError };

/** The tokens of an expression, or GitLab's lexer error ("Unknown lexeme found!", "Too many tokens!"). */
export function lexExpression(text: string): Lexed {
  const tokens: Token[] = [];
  let pos = 0;
  for (let i = 0; i < MAX_TOKENS; i++) {
    pos = skipWhitespace(text, pos);
    if (pos >= text.length) return { ok: true, tokens };
    const length = scanToken(text, pos);
    if (!length) return { ok: false, error: { message: "Unknown lexeme found!", offset: pos, length: 1 } };
    tokens.push({ kind: length.kind, text: text.slice(pos, pos + length.length), offset: pos });
    pos += length.length;
  }
  const last = tokens[tokens.length - 1];
  return { ok: false, error: { message: "Too many tokens!", offset: last.offset, length: last.text.length } };
}

/** Ruby's `\s`: ASCII whitespace only; a no-break space is an unknown lexeme in GitLab too. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** Ruby's `\w` without the `u` flag: ASCII letters, digits and `_`. */
function isWord(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

function skipWhitespace(text: string, pos: number): number {
  while (pos < text.length && isSpace(text.charCodeAt(pos))) pos++;
  return pos;
}

function wordEnd(text: string, pos: number): number {
  while (pos < text.length && isWord(text.charCodeAt(pos))) pos++;
  return pos;
}

/** GitLab's lexemes in the order lexer.rb's LEXEMES tries them. */
const SCANNERS: ReadonlyArray<[TokenKind, (text: string, pos: number) => number]> = [
  ["(", (t, p) => literal(t, p, "(")],
  [")", (t, p) => literal(t, p, ")")],
  ["input", scanInput],
  ["variable", scanVariable],
  ["string", scanString],
  ["pattern", scanPatternToken],
  ["null", (t, p) => literal(t, p, "null")],
  ["boolean", scanBoolean],
  ["==", (t, p) => literal(t, p, "==")],
  ["=~", (t, p) => literal(t, p, "=~")],
  ["!=", (t, p) => literal(t, p, "!=")],
  ["!~", (t, p) => literal(t, p, "!~")],
  ["&&", (t, p) => literal(t, p, "&&")],
  ["||", (t, p) => literal(t, p, "||")],
];

function scanToken(text: string, pos: number): { kind: TokenKind; length: number } | undefined {
  for (const [kind, scan] of SCANNERS) {
    const length = scan(text, pos);
    if (length > 0) return { kind, length };
  }
  return undefined;
}

function literal(text: string, pos: number, word: string): number {
  return text.startsWith(word, pos) ? word.length : 0;
}

/** lexeme/input.rb: `$[[`, spaces, `inputs.` and a name, spaces, `]]`. */
function scanInput(text: string, pos: number): number {
  if (!text.startsWith("$[[", pos)) return 0;
  let p = skipWhitespace(text, pos + 3);
  if (!text.startsWith("inputs.", p)) return 0;
  const nameEnd = wordEnd(text, p + 7);
  if (nameEnd === p + 7) return 0;
  p = skipWhitespace(text, nameEnd);
  return text.startsWith("]]", p) ? p + 2 - pos : 0;
}

/** The name inside an input token `$[[ inputs.name ]]`. */
export function inputName(token: string): string {
  const start = token.indexOf("inputs.") + 7;
  return token.slice(start, wordEnd(token, start));
}

/** lexeme/variable.rb: `$` and a name of word characters; `${VAR}` is no variable here. */
function scanVariable(text: string, pos: number): number {
  if (text.charCodeAt(pos) !== 0x24) return 0;
  const end = wordEnd(text, pos + 1);
  return end > pos + 1 ? end - pos : 0;
}

/**
 * lexeme/string.rb: `"…"` or `'…'`, the shortest match, with no escapes. Ruby's `.` stops at a
 * newline, so a string cannot span lines; an unclosed quote is no string.
 */
function scanString(text: string, pos: number): number {
  const quote = text[pos];
  if (quote !== '"' && quote !== "'") return 0;
  for (let p = pos + 1; p < text.length; p++) {
    if (text[p] === quote) return p + 1 - pos;
    if (text[p] === "\n") return 0;
  }
  return 0;
}

/**
 * lexeme/boolean.rb: `\b(?:true|false)\b`. The leading `\b` always holds (Ruby's StringScanner
 * matches from the scan position, seeing nothing before it); the trailing one refuses `trueish`.
 */
function scanBoolean(text: string, pos: number): number {
  for (const word of ["true", "false"]) {
    if (text.startsWith(word, pos) && !isWord(text.charCodeAt(pos + word.length))) return word.length;
  }
  return 0;
}
