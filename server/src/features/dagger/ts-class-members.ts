// Members of the @object() class, from its tokens: decorators, doc comment, name, parameter list and type,
// each member's extent found without a TypeScript parser.

import { readDecorator, type ClassInfo, type Decorator } from "./ts-declarations";
import { closing, closingAngle, isPunct, OPEN, type Token } from "./ts-lexer";

const MEMBER_MODIFIERS = new Set([
  "public",
  "private",
  "protected",
  "static",
  "readonly",
  "async",
  "override",
  "abstract",
  "declare",
  "get",
  "set",
  "accessor",
]);

export interface Member {
  readonly decorators: readonly Decorator[];
  readonly doc?: string;
  /** Index of the name token; undefined for a computed name. */
  readonly nameIndex?: number;
  readonly isMethod: boolean;
  /** Method: token indices of the parameter list's parentheses. */
  readonly paramsOpen?: number;
  readonly paramsClose?: number;
  /** Token indices of the type annotation (return type for a method), when written. */
  readonly typeFrom?: number;
  readonly typeTo?: number;
  readonly hasBody: boolean;
  /** Index of the member's first token and of the token after it. */
  readonly first: number;
  readonly next: number;
}

export function classMembers(tokens: readonly Token[], cls: ClassInfo): Member[] {
  const out: Member[] = [];
  let i = cls.open + 1;
  while (i < cls.close) {
    if (isPunct(tokens[i], ";") || isPunct(tokens[i], ",")) {
      i++;
      continue;
    }
    const m = memberAt(tokens, i, cls.close);
    out.push(m);
    i = Math.max(m.next, i + 1);
  }
  return out;
}

/** Whether the word at `i` is a modifier rather than the member's name (`static()` is a method). */
function isModifier(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i];
  if (t.kind !== "ident" || !MEMBER_MODIFIERS.has(t.text)) return false;
  const next = tokens[i + 1];
  if (!next || next.newlineBefore) return false;
  return (
    next.kind === "ident" ||
    next.kind === "string" ||
    next.kind === "number" ||
    isPunct(next, "[") ||
    isPunct(next, "*")
  );
}

function memberAt(tokens: readonly Token[], first: number, end: number): Member {
  let i = first;
  const doc = tokens[first].doc;
  const decorators: Decorator[] = [];
  while (isPunct(tokens[i], "@") && i < end) {
    const d = readDecorator(tokens, i);
    decorators.push(d);
    i = d.next;
  }
  while (i < end && (isModifier(tokens, i) || isPunct(tokens[i], "*"))) i++;
  let nameIndex: number | undefined = i;
  if (isPunct(tokens[i], "[")) {
    nameIndex = undefined;
    i = closing(tokens, i) + 1;
  } else i++;
  if (isPunct(tokens[i], "?") || isPunct(tokens[i], "!")) i++;
  if (isPunct(tokens[i], "<")) i = closingAngle(tokens, i) + 1;
  const base = {
    decorators,
    doc: doc ?? (nameIndex !== undefined ? tokens[nameIndex].doc : undefined),
    nameIndex,
    first,
  };
  if (isPunct(tokens[i], "(")) return methodRest(tokens, i, end, base);
  return propertyRest(tokens, i, end, base);
}

type MemberBase = Pick<Member, "decorators" | "doc" | "nameIndex" | "first">;

function methodRest(tokens: readonly Token[], open: number, end: number, base: MemberBase): Member {
  const close = closing(tokens, open);
  let i = close + 1;
  let typeFrom: number | undefined;
  let typeTo: number | undefined;
  if (isPunct(tokens[i], ":")) {
    typeFrom = i + 1;
    typeTo = typeEnd(tokens, typeFrom, end, ["{", ";"]);
    i = typeTo + 1;
  }
  const hasBody = isPunct(tokens[i], "{");
  const next = hasBody ? closing(tokens, i) + 1 : isPunct(tokens[i], ";") ? i + 1 : i;
  return { ...base, isMethod: true, paramsOpen: open, paramsClose: close, typeFrom, typeTo, hasBody, next };
}

function propertyRest(tokens: readonly Token[], at: number, end: number, base: MemberBase): Member {
  let i = at;
  let typeFrom: number | undefined;
  let typeTo: number | undefined;
  if (isPunct(tokens[i], ":")) {
    typeFrom = i + 1;
    typeTo = typeEnd(tokens, typeFrom, end, ["=", ";"]);
    i = typeTo + 1;
  }
  if (isPunct(tokens[i], "=")) i = expressionEnd(tokens, i + 1, end) + 1;
  else if (isPunct(tokens[i], "{")) i = closing(tokens, i) + 1; // `static { ... }`
  if (isPunct(tokens[i], ";")) i++;
  return { ...base, isMethod: false, typeFrom, typeTo, hasBody: false, next: i };
}

/**
 * Index of the last token of a type that starts at `from`: it ends before one of `stops` at
 * depth 0, or at a line break that starts the next member. A "{" where a type is expected
 * (first, or after ":", "|", "&", ",", "<", "=>") is an object type, not a body.
 */
export function typeEnd(tokens: readonly Token[], from: number, end: number, stops: readonly string[]): number {
  let i = from;
  while (i < end) {
    const t = tokens[i];
    if (t.kind === "punct") {
      if (t.text === "{" && (i === from || expectsType(tokens[i - 1]))) i = closing(tokens, i);
      else if (stops.includes(t.text)) return i - 1;
      else if (t.text === "<") i = closingAngle(tokens, i);
      else if (t.text === "(" || t.text === "[") i = closing(tokens, i);
      else if (t.text === ")" || t.text === "]" || t.text === "}") return i - 1;
    } else if (i > from && t.newlineBefore && endsType(tokens[i - 1]) && startsMember(t)) return i - 1;
    i++;
  }
  return end - 1;
}

function expectsType(prev: Token): boolean {
  return prev.kind === "punct" && [":", "|", "&", ",", "<", "=>", "("].includes(prev.text);
}

function endsType(prev: Token): boolean {
  return (
    prev.kind === "ident" ||
    prev.kind === "string" ||
    prev.kind === "number" ||
    (prev.kind === "punct" && [")", "]", "}", ">"].includes(prev.text))
  );
}

function startsMember(t: Token): boolean {
  return t.kind === "ident" || isPunct(t, "@") || isPunct(t, "[") || isPunct(t, "*");
}

/** Index of the last token of an initializer: up to ";" at depth 0, or a line break after a complete value. */
function expressionEnd(tokens: readonly Token[], from: number, end: number): number {
  let i = from;
  while (i < end) {
    const t = tokens[i];
    if (i > from && t.newlineBefore && endsValue(tokens[i - 1]) && (startsMember(t) || t.kind === "string"))
      return i - 1;
    if (t.kind === "punct") {
      if (t.text === ";" || t.text === ",") return i - 1;
      if (OPEN[t.text]) i = closing(tokens, i);
      else if (t.text === ")" || t.text === "]" || t.text === "}") return i - 1;
    }
    i++;
  }
  return end - 1;
}

function endsValue(prev: Token): boolean {
  if (prev.kind === "ident")
    return !["new", "typeof", "void", "delete", "await", "yield", "in", "of", "instanceof"].includes(prev.text);
  return prev.kind !== "punct" || [")", "]", "}"].includes(prev.text);
}
