// The tokens of TypeScript source, for the scanner of a Dagger module's entry file (ts-declarations.ts,
// ts-class-members.ts, functions.ts). No TypeScript compiler here, it would add megabytes to the server;
// a small lexer that knows strings, template literals, comments and regular expressions is enough to find
// classes, members and signatures.

import { isDigit } from "./names";

type TokenKind = "ident" | "punct" | "string" | "template" | "number" | "regex";

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** A line break between the previous token (or comment) and this one. */
  readonly newlineBefore: boolean;
  /** The last /** comment since the previous token, for JSDoc. */
  readonly doc?: string;
}

const REGEX_AFTER_WORD = new Set([
  "return",
  "typeof",
  "instanceof",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "case",
  "do",
  "else",
  "yield",
  "await",
]);
const IDENT_START = /[\p{ID_Start}$_#]/u;
const IDENT_PART = /[\p{ID_Continue}$\u200c\u200d]/u;

interface Lexed {
  readonly tokens: Token[];
  readonly end: number;
}

/** Tokens of `src` from `pos`; with `untilBrace`, stops at the "}" that closes a template's `${`. */
export function lex(src: string, pos: number, untilBrace: boolean): Lexed {
  const tokens: Token[] = [];
  let i = pos;
  let depth = 0;
  let newline = false;
  let doc: string | undefined;
  const push = (kind: TokenKind, start: number, end: number): void => {
    tokens.push({ kind, text: src.slice(start, end), start, end, newlineBefore: newline, doc });
    newline = false;
    doc = undefined;
  };
  while (i < src.length) {
    const c = src[i];
    if (c === "\n") {
      newline = true;
      i++;
    } else if (c === " " || c === "\t" || c === "\r" || c === "\f" || c === "\v" || c === "\u00a0" || c === "\ufeff") {
      i++;
    } else if (c === "/" && src[i + 1] === "/") {
      i = lineCommentEnd(src, i);
    } else if (c === "/" && src[i + 1] === "*") {
      const end = blockCommentEnd(src, i);
      if (src.startsWith("/**", i) && end - i > 4) doc = src.slice(i, end);
      if (src.slice(i, end).includes("\n")) newline = true;
      i = end;
    } else if (c === '"' || c === "'") {
      const end = stringEnd(src, i);
      push("string", i, end);
      i = end;
    } else if (c === "`") {
      const end = templateEnd(src, i);
      push("template", i, end);
      i = end;
    } else if (isDigit(c) || (c === "." && isDigit(src[i + 1] ?? ""))) {
      const end = numberEnd(src, i);
      push("number", i, end);
      i = end;
    } else if (IDENT_START.test(c) || (c === "\\" && src[i + 1] === "u")) {
      const end = identEnd(src, i + 1);
      push("ident", i, end);
      i = end;
    } else if (c === "/" && regexAllowed(tokens[tokens.length - 1])) {
      const end = regexEnd(src, i);
      push(end > 0 ? "regex" : "punct", i, end > 0 ? end : i + 1);
      i = end > 0 ? end : i + 1;
    } else {
      if (untilBrace && c === "}" && depth === 0) return { tokens, end: i + 1 };
      if (c === "{") depth++;
      else if (c === "}") depth--;
      const len = punctLength(src, i);
      push("punct", i, i + len);
      i += len;
    }
  }
  return { tokens, end: i };
}

function lineCommentEnd(src: string, i: number): number {
  const nl = src.indexOf("\n", i);
  return nl < 0 ? src.length : nl;
}

function blockCommentEnd(src: string, i: number): number {
  const close = src.indexOf("*/", i + 2);
  return close < 0 ? src.length : close + 2;
}

// An unterminated string ends at the line break, so one typo does not swallow the file.
function stringEnd(src: string, i: number): number {
  const quote = src[i];
  let j = i + 1;
  while (j < src.length && src[j] !== quote && src[j] !== "\n") j += src[j] === "\\" ? 2 : 1;
  return Math.min(src.length, src[j] === quote ? j + 1 : j);
}

function templateEnd(src: string, i: number): number {
  let j = i + 1;
  while (j < src.length) {
    const c = src[j];
    if (c === "\\") j += 2;
    else if (c === "`") return j + 1;
    else if (c === "$" && src[j + 1] === "{") j = lex(src, j + 2, true).end;
    else j++;
  }
  return src.length;
}

function numberEnd(src: string, i: number): number {
  let j = i + 1;
  while (j < src.length && /[0-9A-Za-z_.]/.test(src[j])) {
    // an exponent's sign belongs to the number: 1e-5
    if (
      (src[j] === "e" || src[j] === "E") &&
      (src[j + 1] === "-" || src[j + 1] === "+") &&
      !/^0[xX]/.test(src.slice(i, j))
    )
      j++;
    j++;
  }
  return j;
}

function identEnd(src: string, j: number): number {
  while (j < src.length) {
    if (src[j] === "\\" && src[j + 1] === "u") j += 2;
    else if (IDENT_PART.test(src[j])) j++;
    else break;
  }
  return j;
}

// Whether "/" starts a regular expression: it cannot follow a value.
function regexAllowed(prev: Token | undefined): boolean {
  if (!prev) return true;
  if (prev.kind === "ident") return REGEX_AFTER_WORD.has(prev.text);
  if (prev.kind === "punct") return prev.text !== ")" && prev.text !== "]";
  return false;
}

/** End of a regular expression literal, or -1 when the line ends first (then it was a division). */
function regexEnd(src: string, i: number): number {
  let j = i + 1;
  let inClass = false;
  while (j < src.length) {
    const c = src[j];
    if (c === "\n") return -1;
    if (c === "\\") j += 2;
    else {
      if (c === "[") inClass = true;
      else if (c === "]") inClass = false;
      else if (c === "/" && !inClass) break;
      j++;
    }
  }
  if (j >= src.length) return -1;
  j++;
  while (j < src.length && /[a-z]/i.test(src[j])) j++;
  return j;
}

// Only the operators whose characters would mislead the parser are kept whole: "=>" is not a
// closing ">", "..." is not three dots, "?." is not an optional marker.
function punctLength(src: string, i: number): number {
  for (const op of ["...", "=>", "?."]) if (src.startsWith(op, i)) return op.length;
  return 1;
}

export const OPEN: Record<string, string> = { "(": ")", "[": "]", "{": "}" };

/** Index of the token that closes the bracket at `open` (the last token when unbalanced). */
export function closing(tokens: readonly Token[], open: number): number {
  const stack: string[] = [];
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== "punct") continue;
    if (OPEN[t.text]) stack.push(OPEN[t.text]);
    else if (t.text === ")" || t.text === "]" || t.text === "}") {
      while (stack.length && stack[stack.length - 1] !== t.text) stack.pop(); // tolerate a stray bracket
      stack.pop();
      if (stack.length === 0) return i;
    }
  }
  return tokens.length - 1;
}

/** Index of the ">" closing the type arguments or parameters at `open` ("<"). */
export function closingAngle(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== "punct") continue;
    if (OPEN[t.text]) i = closing(tokens, i);
    else if (t.text === "<") depth++;
    else if (t.text === ">" && --depth === 0) return i;
    else if (t.text === ";" || t.text === "}") return i - 1;
  }
  return tokens.length - 1;
}

export function isPunct(t: Token | undefined, text: string): boolean {
  return t !== undefined && t.kind === "punct" && t.text === text;
}

export function isWord(t: Token | undefined, text: string): boolean {
  return t !== undefined && t.kind === "ident" && t.text === text;
}

/** The text of a comment between its markers, stars and the blanks after them removed. */
export function docText(comment: string): string {
  const body = comment.replace(/^\/\*\*/, "").replace(/\*\/$/, "");
  const lines = body.split(/\r?\n/).map((l) => l.replace(/^\s*\*(?!\/) ?/, "").replace(/\s+$/, ""));
  while (lines.length && lines[0].trim() === "") lines.shift();
  while (lines.length && lines[lines.length - 1].trim() === "") lines.pop();
  if (lines.length === 1) return lines[0].trim();
  return lines.join("\n");
}

/** The value of a string literal token. */
export function unquote(literal: string): string {
  const body = literal.slice(1, literal.endsWith(literal[0]) && literal.length > 1 ? -1 : undefined);
  return body.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])/g, (_m, e: string) => {
    if (e.startsWith("u{")) return String.fromCodePoint(parseInt(e.slice(2, -1), 16));
    if (e.startsWith("u") || e.startsWith("x")) return String.fromCharCode(parseInt(e.slice(1), 16));
    const simple: Record<string, string> = {
      n: "\n",
      t: "\t",
      r: "\r",
      b: "\b",
      f: "\f",
      v: "\v",
      "0": "\0",
      "\n": "",
      "\r\n": "",
    };
    return simple[e] ?? e;
  });
}

/** Source text from token `a` to token `b` inclusive, blanks collapsed. */
export function spanText(src: string, tokens: readonly Token[], a: number, b: number): string {
  if (b < a) return "";
  return src.slice(tokens[a].start, tokens[b].end).replace(/\s+/g, " ").trim();
}
