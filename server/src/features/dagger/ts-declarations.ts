// Decorators, classes and imports at the top level of a Dagger module's entry file, from its tokens:
// what the scanner (functions.ts) and the edits (module-edits.ts) look for.

import { closing, closingAngle, isPunct, isWord, OPEN, unquote, type Token } from "./ts-lexer";

export interface Decorator {
  /** The last name of the decorator expression: "func" for @func() and @dagger.func(). */
  readonly name: string;
  /** Token indices of "(" and ")" of its call, when called. */
  readonly argsOpen?: number;
  readonly argsClose?: number;
  /** Index of the token after it. */
  readonly next: number;
}

export function readDecorator(tokens: readonly Token[], at: number): Decorator {
  let i = at + 1;
  let name = "";
  while (tokens[i]?.kind === "ident") {
    name = tokens[i].text;
    if (isPunct(tokens[i + 1], ".")) i += 2;
    else {
      i++;
      break;
    }
  }
  if (isPunct(tokens[i], "(")) {
    const close = closing(tokens, i);
    return { name, argsOpen: i, argsClose: close, next: close + 1 };
  }
  return { name, next: i };
}

export interface ClassInfo {
  readonly name?: string;
  readonly decorators: readonly Decorator[];
  /** Token indices of the body's braces. */
  readonly open: number;
  readonly close: number;
}

const CLASS_PREFIX = new Set(["export", "default", "abstract", "declare"]);

/** Classes declared at the top level, with the decorators written before them. */
export function topLevelClasses(tokens: readonly Token[]): ClassInfo[] {
  const out: ClassInfo[] = [];
  let pending: Decorator[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i];
    if (isPunct(t, "@")) {
      const d = readDecorator(tokens, i);
      pending.push(d);
      i = d.next;
    } else if (isWord(t, "class") && !isPunct(tokens[i - 1], ".")) {
      const info = classAt(tokens, i, pending);
      if (info) {
        out.push(info);
        i = info.close + 1;
      } else i++;
      pending = [];
    } else if (t.kind === "ident" && CLASS_PREFIX.has(t.text)) {
      i++;
    } else {
      pending = [];
      i = t.kind === "punct" && OPEN[t.text] ? closing(tokens, i) + 1 : i + 1;
    }
  }
  return out;
}

function classAt(tokens: readonly Token[], at: number, decorators: Decorator[]): ClassInfo | undefined {
  const name =
    tokens[at + 1]?.kind === "ident" && !["extends", "implements"].includes(tokens[at + 1].text)
      ? tokens[at + 1].text
      : undefined;
  for (let i = at + 1; i < tokens.length; i++) {
    const t = tokens[i];
    if (isPunct(t, "{")) return { name, decorators, open: i, close: closing(tokens, i) };
    if (isPunct(t, "<")) i = closingAngle(tokens, i);
    else if (isPunct(t, "(") || isPunct(t, "[")) i = closing(tokens, i);
    else if (isPunct(t, ";")) return undefined;
  }
  return undefined;
}

export function objectClass(classes: readonly ClassInfo[], preferred?: string): ClassInfo | undefined {
  const objects = classes.filter((c) => c.decorators.some((d) => d.name === "object"));
  return objects.find((c) => preferred !== undefined && c.name === preferred) ?? objects[0];
}

interface ImportSpecifier {
  readonly local: string;
  readonly end: number;
}

export interface ImportInfo {
  readonly from: string;
  readonly typeOnly: boolean;
  /** Offsets of the named list's braces, when there is one. */
  readonly braceOpen?: number;
  readonly braceClose?: number;
  readonly specifiers: readonly ImportSpecifier[];
  /** Every local name the statement binds (default, namespace and named). */
  readonly locals: readonly string[];
  /** Offset after the statement, its ";" included. */
  readonly end: number;
  readonly semicolon: boolean;
}

/** Static import declarations at the top level. */
export function topLevelImports(tokens: readonly Token[]): ImportInfo[] {
  const out: ImportInfo[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === "punct" && OPEN[t.text]) {
      i = closing(tokens, i);
      continue;
    }
    const prev = tokens[i - 1];
    if (!isWord(t, "import") || isPunct(prev, ".") || isPunct(tokens[i + 1], "(") || isPunct(tokens[i + 1], "."))
      continue;
    const info = importAt(tokens, i);
    if (info) out.push(info);
  }
  return out;
}

function importAt(tokens: readonly Token[], at: number): ImportInfo | undefined {
  let i = at + 1;
  const typeOnly = isWord(tokens[i], "type") && !isWord(tokens[i + 1], "from") && !isPunct(tokens[i + 1], ",");
  if (typeOnly) i++;
  const locals: string[] = [];
  const specifiers: ImportSpecifier[] = [];
  let braceOpen: number | undefined;
  let braceClose: number | undefined;
  for (; i < tokens.length && tokens[i].kind !== "string"; i++) {
    const t = tokens[i];
    if (isPunct(t, "{")) {
      const close = closing(tokens, i);
      braceOpen = t.start;
      braceClose = tokens[close].start;
      specifiers.push(...namedSpecifiers(tokens, i + 1, close));
      i = close;
    } else if (isPunct(t, "*") && isWord(tokens[i + 1], "as") && tokens[i + 2]?.kind === "ident") {
      locals.push(tokens[i + 2].text);
      i += 2;
    } else if (t.kind === "ident" && t.text !== "from") {
      locals.push(t.text);
    } else if (!isPunct(t, ",") && !isWord(t, "from")) return undefined;
  }
  const spec = tokens[i];
  if (!spec) return undefined;
  const semicolon = isPunct(tokens[i + 1], ";");
  return {
    from: unquote(spec.text),
    typeOnly,
    braceOpen,
    braceClose,
    specifiers,
    locals: [...locals, ...specifiers.map((s) => s.local)],
    end: semicolon ? tokens[i + 1].end : spec.end,
    semicolon,
  };
}

/** `a, type B, c as d` between token indices, each with its local name and end offset. */
function namedSpecifiers(tokens: readonly Token[], from: number, to: number): ImportSpecifier[] {
  const out: ImportSpecifier[] = [];
  let words: Token[] = [];
  const flush = (): void => {
    if (words.length) out.push({ local: words[words.length - 1].text, end: words[words.length - 1].end });
    words = [];
  };
  for (let i = from; i < to; i++) {
    if (isPunct(tokens[i], ",")) flush();
    else if (tokens[i].kind === "ident" || tokens[i].kind === "string") words.push(tokens[i]);
  }
  flush();
  return out;
}
