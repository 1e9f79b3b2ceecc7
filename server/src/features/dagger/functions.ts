// The @func() functions of a Dagger module's @object() class, with their parameters, scanned from the
// entry file's text (ts-lexer.ts, ts-declarations.ts, ts-class-members.ts).

import { flagOf, kebabCase } from "./names";
import { classMembers, typeEnd, type Member } from "./ts-class-members";
import { objectClass, readDecorator, topLevelClasses, type Decorator } from "./ts-declarations";
import { closing, closingAngle, docText, isPunct, isWord, lex, OPEN, spanText, unquote, type Token } from "./ts-lexer";

export interface DaggerParam {
  readonly name: string;
  /** "--kebab-name", as `dagger call` spells it. */
  readonly flag: string;
  /** As written, whitespace collapsed; inferred from a literal default when not written. */
  readonly type: string;
  /** `x?: T`, a default value, or a type that admits null/undefined. */
  readonly optional: boolean;
  /** From `@argument({ defaultPath: "..." })`. */
  readonly defaultPath?: string;
  /** The default expression as written, e.g. `"a"` with its quotes, `42`, `[]`. */
  readonly defaultValue?: string;
  /** From `@argument({ ignore: [...] })`. */
  readonly ignore?: readonly string[];
  /** From `@argument({ defaultAddress: "..." })`. */
  readonly defaultAddress?: string;
}

export interface DaggerFunction {
  /** camelCase, as in the code. */
  readonly name: string;
  /** kebab-case, as `dagger call` spells it. */
  readonly cliName: string;
  readonly params: readonly DaggerParam[];
  /** As written, e.g. "Container", "Promise<string>"; "" when the code does not say. */
  readonly returns: string;
  /** The JSDoc text, without the comment markers and stars. */
  readonly doc?: string;
  /** Offsets of the name in the source. */
  readonly nameStart: number;
  readonly nameEnd: number;
}

const PARAM_MODIFIERS = new Set(["public", "private", "protected", "readonly", "override"]);

function splitParams(tokens: readonly Token[], open: number, close: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let from = open + 1;
  let i = from;
  let inType = false;
  while (i < close) {
    const t = tokens[i];
    if (t.kind === "punct") {
      if (t.text === ",") {
        if (i > from) out.push([from, i - 1]);
        from = i + 1;
        inType = false;
      } else if (t.text === ":") inType = true;
      else if (t.text === "=") inType = false;
      else if (t.text === "<" && inType) i = closingAngle(tokens, i);
      else if (OPEN[t.text]) i = closing(tokens, i);
    }
    i++;
  }
  if (from < close) out.push([from, close - 1]);
  return out;
}

interface ArgumentOptions {
  defaultPath?: string;
  defaultAddress?: string;
  ignore?: string[];
}

/** The literal options of `@argument({...})`; anything computed is left out. */
function argumentOptions(tokens: readonly Token[], d: Decorator): ArgumentOptions {
  const out: ArgumentOptions = {};
  if (d.argsOpen === undefined || d.argsClose === undefined) return out;
  for (let i = d.argsOpen + 1; i < d.argsClose; i++) {
    const key = tokens[i];
    if ((key.kind !== "ident" && key.kind !== "string") || !isPunct(tokens[i + 1], ":")) continue;
    const name = key.kind === "string" ? unquote(key.text) : key.text;
    const value = tokens[i + 2];
    if ((name === "defaultPath" || name === "defaultAddress") && value?.kind === "string")
      out[name] = unquote(value.text);
    if (name === "ignore" && isPunct(value, "[")) out.ignore = stringList(tokens, i + 2);
  }
  return out;
}

function stringList(tokens: readonly Token[], open: number): string[] {
  const close = closing(tokens, open);
  const out: string[] = [];
  for (let i = open + 1; i < close; i++) if (tokens[i].kind === "string") out.push(unquote(tokens[i].text));
  return out;
}

function literalType(tokens: readonly Token[], from: number, to: number): string {
  if (from !== to) return "";
  const t = tokens[from];
  if (t.kind === "string" || t.kind === "template") return "string";
  if (t.kind === "number") return "number";
  if (isWord(t, "true") || isWord(t, "false")) return "boolean";
  return "";
}

function admitsNothing(type: string): boolean {
  return type.split("|").some((part) => ["null", "undefined"].includes(part.trim()));
}

function parseParam(src: string, tokens: readonly Token[], from: number, to: number): DaggerParam | undefined {
  let i = from;
  let options: ArgumentOptions = {};
  while (isPunct(tokens[i], "@") && i <= to) {
    const d = readDecorator(tokens, i);
    if (d.name === "argument") options = argumentOptions(tokens, d);
    i = d.next;
  }
  while (i < to && tokens[i].kind === "ident" && PARAM_MODIFIERS.has(tokens[i].text) && tokens[i + 1]?.kind === "ident")
    i++;
  if (isPunct(tokens[i], "...")) i++;
  const nameTok = tokens[i];
  if (!nameTok || i > to || nameTok.kind !== "ident") return undefined; // a destructuring pattern has no flag
  i++;
  let optional = false;
  if (isPunct(tokens[i], "?") && i <= to) {
    optional = true;
    i++;
  }
  let type = "";
  if (isPunct(tokens[i], ":") && i <= to) {
    const typeTo = typeEnd(tokens, i + 1, to + 1, ["="]);
    type = spanText(src, tokens, i + 1, typeTo);
    i = typeTo + 1;
  }
  let defaultValue: string | undefined;
  if (isPunct(tokens[i], "=") && i <= to) {
    defaultValue = spanText(src, tokens, i + 1, to);
    if (!type) type = literalType(tokens, i + 1, to);
  }
  return {
    name: nameTok.text,
    flag: flagOf(nameTok.text),
    type,
    optional: optional || defaultValue !== undefined || admitsNothing(type),
    ...(options.defaultPath !== undefined ? { defaultPath: options.defaultPath } : {}),
    ...(defaultValue !== undefined ? { defaultValue } : {}),
    ...(options.ignore !== undefined ? { ignore: options.ignore } : {}),
    ...(options.defaultAddress !== undefined ? { defaultAddress: options.defaultAddress } : {}),
  };
}

function memberFunction(src: string, tokens: readonly Token[], m: Member): DaggerFunction | undefined {
  if (m.nameIndex === undefined || !m.decorators.some((d) => d.name === "func")) return undefined;
  if (m.isMethod && !m.hasBody) return undefined; // an overload signature; its implementation follows
  const nameTok = tokens[m.nameIndex];
  const name = nameTok.kind === "string" ? unquote(nameTok.text) : nameTok.text;
  const params: DaggerParam[] = [];
  if (m.isMethod && m.paramsOpen !== undefined && m.paramsClose !== undefined) {
    for (const [a, b] of splitParams(tokens, m.paramsOpen, m.paramsClose)) {
      const p = parseParam(src, tokens, a, b);
      if (p) params.push(p);
    }
  }
  return {
    name,
    cliName: kebabCase(name),
    params,
    returns: m.typeFrom !== undefined && m.typeTo !== undefined ? spanText(src, tokens, m.typeFrom, m.typeTo) : "",
    ...(m.doc !== undefined ? { doc: docText(m.doc) } : {}),
    nameStart: nameTok.start,
    nameEnd: nameTok.end,
  };
}

/**
 * The @object() class and its @func() methods (and @func() fields, which Dagger exposes too). With several @object()
 * classes, the one named `preferredClass` (the module's main object), else the first.
 */
export function parseFunctions(
  source: string,
  preferredClass?: string,
): { className?: string; functions: DaggerFunction[] } {
  const tokens = lex(source, 0, false).tokens;
  const cls = objectClass(topLevelClasses(tokens), preferredClass);
  if (!cls) return { functions: [] };
  const functions: DaggerFunction[] = [];
  for (const m of classMembers(tokens, cls)) {
    const fn = memberFunction(source, tokens, m);
    if (fn) functions.push(fn);
  }
  return { ...(cls.name !== undefined ? { className: cls.name } : {}), functions };
}
