// The project's Dagger module, read from text: dagger.json, and the TypeScript entry file's
// @object() class with its @func() methods. Pure: the caller reads files. No TypeScript compiler
// here, it would add megabytes to the server; a small scanner that knows strings, template
// literals, comments and regular expressions is enough to find classes, members and signatures.

export const DEFAULT_ENGINE_VERSION = "v0.21.9";
/** What `dagger init --sdk=typescript` pins in the module's package.json (0.21.x). */
export const DEFAULT_TYPESCRIPT_VERSION = "5.9.3";
export const SDK_MODULE = "@dagger.io/dagger";

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

export interface DaggerModule {
  readonly configPath: string;
  readonly name: string;
  readonly engineVersion?: string;
  /** `sdk` of dagger.json, or its `sdk.source`. */
  readonly sdk?: string;
  /** Project-relative, "" for the root. */
  readonly sourceDir: string;
  /** Project-relative, e.g. ".dagger/src/index.ts"; "" when the SDK is not one we know. */
  readonly entryFile: string;
  readonly className?: string;
  readonly functions: readonly DaggerFunction[];
}

export interface SourceEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

// ---------------------------------------------------------------------------------------------
// dagger.json

/**
 * Reads dagger.json at the project root (and its "source", default per SDK layout) and the entry file; undefined when
 * there is no module. Bad JSON → undefined, never throws.
 */
export function findModule(read: (projectRelativePath: string) => string | undefined): DaggerModule | undefined {
  const configPath = "dagger.json";
  const config = parseConfig(read(configPath));
  if (!config) return undefined;
  const name = typeof config.name === "string" ? config.name : "";
  const sdk = sdkOf(config.sdk);
  const sourceDir = typeof config.source === "string" ? normalizeDir(config.source) : "";
  const entryFile = entryFileOf(sdk, sourceDir);
  const base = {
    configPath,
    name,
    engineVersion: typeof config.engineVersion === "string" ? config.engineVersion : undefined,
    sdk,
    sourceDir,
    entryFile,
  };
  if (!entryFile || !isTypeScriptSdk(sdk)) return { ...base, functions: [] };
  const source = safeRead(read, entryFile);
  if (source === undefined) return { ...base, functions: [] };
  const parsed = parseFunctions(source, pascalCase(name));
  return {
    ...base,
    ...(parsed.className !== undefined ? { className: parsed.className } : {}),
    functions: parsed.functions,
  };
}

/**
 * The module's engineVersion from dagger.json alone: what a lint needs on every analysis, without parsing the source.
 */
export function moduleEngineVersion(read: (projectRelativePath: string) => string | undefined): string | undefined {
  const version = parseConfig(safeRead(read, "dagger.json"))?.engineVersion;
  return typeof version === "string" ? version : undefined;
}

function parseConfig(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ""));
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function safeRead(read: (path: string) => string | undefined, path: string): string | undefined {
  try {
    return read(path);
  } catch {
    return undefined; // a host that throws on a missing file must not break the feature
  }
}

// Older dagger.json files give the SDK as a string, newer ones as { source, config }.
function sdkOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value !== null && typeof value === "object" && typeof (value as { source?: unknown }).source === "string")
    return (value as { source: string }).source;
  return undefined;
}

// No "source" means the sources sit next to dagger.json; `dagger init` writes ".dagger"
// (older releases "dagger"), which the config then names.
function normalizeDir(dir: string): string {
  const parts = dir
    .replace(/\\/g, "/")
    .split("/")
    .filter((p) => p !== "" && p !== ".");
  return parts.join("/");
}

function joinPath(dir: string, file: string): string {
  return dir ? `${dir}/${file}` : file;
}

// The SDK may be named by a bare name or a module reference such as
// github.com/dagger/dagger/sdk/typescript@v0.21.9.
function isTypeScriptSdk(sdk: string | undefined): boolean {
  if (!sdk) return false;
  const s = sdk.toLowerCase().replace(/@.*$/, "");
  return s === "typescript" || s.endsWith("/typescript") || s.endsWith("/typescript-sdk");
}

function isGoSdk(sdk: string | undefined): boolean {
  if (!sdk) return false;
  const s = sdk.toLowerCase().replace(/@.*$/, "");
  return s === "go" || s.endsWith("/sdk/go");
}

function entryFileOf(sdk: string | undefined, sourceDir: string): string {
  if (isTypeScriptSdk(sdk)) return joinPath(sourceDir, "src/index.ts");
  if (isGoSdk(sdk)) return joinPath(sourceDir, "main.go");
  return "";
}

// ---------------------------------------------------------------------------------------------
// Names, as Dagger converts them (github.com/iancoleman/strcase, which the engine and the CLI use):
// the engine stores a function's name through ToLowerCamel, the CLI shows it through ToKebab.

function isUpper(c: string): boolean {
  return c >= "A" && c <= "Z";
}

function isLower(c: string): boolean {
  return c >= "a" && c <= "z";
}

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

/** strcase's toCamelInitCase: separators start a word, a digit starts one too, runs of capitals fold. */
function strcaseCamel(s: string, initCase: boolean): string {
  const text = s.trim();
  let out = "";
  let capNext = initCase;
  let prevIsCap = false;
  for (let i = 0; i < text.length; i++) {
    let c = text[i];
    const cap = isUpper(c);
    const low = isLower(c);
    if (capNext) {
      if (low) c = c.toUpperCase();
    } else if (i === 0) {
      if (cap) c = c.toLowerCase();
    } else if (prevIsCap && cap) {
      c = c.toLowerCase();
    }
    prevIsCap = cap;
    if (cap || low) {
      out += c;
      capNext = false;
    } else if (isDigit(c)) {
      out += c;
      capNext = true;
    } else {
      capNext = c === "_" || c === " " || c === "-" || c === ".";
    }
  }
  return out;
}

/** strcase's ToKebab: a dash where the kind of character changes (lower→upper, letter↔digit). */
function strcaseKebab(s: string): string {
  const text = s.trim();
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const cap = isUpper(c);
    const low = isLower(c);
    const v = cap ? c.toLowerCase() : c;
    if (i + 1 < text.length) {
      const next = text[i + 1];
      const num = isDigit(v);
      const nextCap = isUpper(next);
      const nextLow = isLower(next);
      const nextNum = isDigit(next);
      if ((cap && (nextLow || nextNum)) || (low && (nextCap || nextNum)) || (num && (nextCap || nextLow))) {
        if (cap && nextLow && i > 0 && isUpper(text[i - 1])) out += "-";
        out += v;
        if (low || num || nextNum) out += "-";
        continue;
      }
    }
    out += c === " " || c === "_" || c === "-" || c === "." ? "-" : v;
  }
  return out;
}

// Job and variable names carry any punctuation ("rspec unit:pg14", ".pre"); Dagger only
// splits words at space, "_", "-" and ".", so everything else is made a separator first.
function separated(name: string): string {
  return name.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
}

// Not valid as parameter names (and confusing as method names), so never generated.
const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else " +
    "enum export extends false finally for function if import in " +
    ("instanceof new null return super switch this throw true try typeof var " +
      "void while with implements interface let package private ") +
    "protected public static yield await arguments eval constructor"
  ).split(" "),
);

/**
 * `name` as Dagger's CLI spells a function or argument of that name: containerEcho → container-echo, "rspec unit:pg14"
 * → rspec-unit-pg-14.
 */
export function kebabCase(name: string): string {
  return strcaseKebab(strcaseCamel(separated(name), false))
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
}

/**
 * A TypeScript identifier that Dagger keeps as is: "rspec unit:pg14" → rspecUnitPg14, CI_COMMIT_SHA → ciCommitSha; a
 * leading digit or a reserved word gets the prefix "job".
 */
export function camelCase(name: string): string {
  let out = strcaseCamel(separated(name), false);
  // strcase is not idempotent on runs like "xY_Z" → "xYZ"; one more pass settles it, so the
  // name in the code is the name the engine stores
  for (let again = strcaseCamel(out, false); again !== out; again = strcaseCamel(out, false)) out = again;
  if (out === "" || isDigit(out[0]) || RESERVED.has(out)) out = strcaseCamel(`job_${out}`, false);
  return out;
}

/** The class name Dagger expects for a module name (strcase.ToCamel): "my-module" → MyModule, "ci" → Ci. */
export function pascalCase(name: string): string {
  return strcaseCamel(name, true);
}

/** The flag of a parameter, as the CLI derives it from the engine's name for it. */
function flagOf(paramName: string): string {
  return `--${kebabCase(paramName)}`;
}

// ---------------------------------------------------------------------------------------------
// Scanner

type TokenKind = "ident" | "punct" | "string" | "template" | "number" | "regex";

interface Token {
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
function lex(src: string, pos: number, untilBrace: boolean): Lexed {
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

const OPEN: Record<string, string> = { "(": ")", "[": "]", "{": "}" };

/** Index of the token that closes the bracket at `open` (the last token when unbalanced). */
function closing(tokens: readonly Token[], open: number): number {
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
function closingAngle(tokens: readonly Token[], open: number): number {
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

function isPunct(t: Token | undefined, text: string): boolean {
  return t !== undefined && t.kind === "punct" && t.text === text;
}

function isWord(t: Token | undefined, text: string): boolean {
  return t !== undefined && t.kind === "ident" && t.text === text;
}

/** The text of a comment between its markers, stars and the blanks after them removed. */
function docText(comment: string): string {
  const body = comment.replace(/^\/\*\*/, "").replace(/\*\/$/, "");
  const lines = body.split(/\r?\n/).map((l) => l.replace(/^\s*\*(?!\/) ?/, "").replace(/\s+$/, ""));
  while (lines.length && lines[0].trim() === "") lines.shift();
  while (lines.length && lines[lines.length - 1].trim() === "") lines.pop();
  if (lines.length === 1) return lines[0].trim();
  return lines.join("\n");
}

/** The value of a string literal token. */
function unquote(literal: string): string {
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
function spanText(src: string, tokens: readonly Token[], a: number, b: number): string {
  if (b < a) return "";
  return src.slice(tokens[a].start, tokens[b].end).replace(/\s+/g, " ").trim();
}

// ---------------------------------------------------------------------------------------------
// Decorators, classes, imports

interface Decorator {
  /** The last name of the decorator expression: "func" for @func() and @dagger.func(). */
  readonly name: string;
  /** Token indices of "(" and ")" of its call, when called. */
  readonly argsOpen?: number;
  readonly argsClose?: number;
  /** Index of the token after it. */
  readonly next: number;
}

function readDecorator(tokens: readonly Token[], at: number): Decorator {
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

interface ClassInfo {
  readonly name?: string;
  readonly decorators: readonly Decorator[];
  /** Token indices of the body's braces. */
  readonly open: number;
  readonly close: number;
}

const CLASS_PREFIX = new Set(["export", "default", "abstract", "declare"]);

/** Classes declared at the top level, with the decorators written before them. */
function topLevelClasses(tokens: readonly Token[]): ClassInfo[] {
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

function objectClass(classes: readonly ClassInfo[], preferred?: string): ClassInfo | undefined {
  const objects = classes.filter((c) => c.decorators.some((d) => d.name === "object"));
  return objects.find((c) => preferred !== undefined && c.name === preferred) ?? objects[0];
}

interface ImportSpecifier {
  readonly local: string;
  readonly end: number;
}

interface ImportInfo {
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
function topLevelImports(tokens: readonly Token[]): ImportInfo[] {
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

// ---------------------------------------------------------------------------------------------
// Members of the @object() class

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
const PARAM_MODIFIERS = new Set(["public", "private", "protected", "readonly", "override"]);

interface Member {
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

function classMembers(tokens: readonly Token[], cls: ClassInfo): Member[] {
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
  if (isPunct(tokens[i], "{")) {
    const bodyClose = closing(tokens, i);
    return {
      ...base,
      isMethod: true,
      paramsOpen: open,
      paramsClose: close,
      typeFrom,
      typeTo,
      hasBody: true,
      next: bodyClose + 1,
    };
  }
  return {
    ...base,
    isMethod: true,
    paramsOpen: open,
    paramsClose: close,
    typeFrom,
    typeTo,
    hasBody: false,
    next: isPunct(tokens[i], ";") ? i + 1 : i,
  };
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
function typeEnd(tokens: readonly Token[], from: number, end: number, stops: readonly string[]): number {
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

// ---------------------------------------------------------------------------------------------
// Parameters

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

// ---------------------------------------------------------------------------------------------
// Edits

function eolOf(source: string): string {
  return source.includes("\r\n") ? "\r\n" : "\n";
}

function withEol(text: string, eol: string): string {
  return eol === "\n" ? text : text.replace(/\r?\n/g, eol);
}

function lineStartAt(source: string, offset: number): number {
  return source.lastIndexOf("\n", offset - 1) + 1;
}

function isBlank(text: string): boolean {
  return text.trim() === "";
}

/** Inserts the method before the class's closing brace, a blank line after the previous member. */
function methodEdit(
  source: string,
  tokens: readonly Token[],
  cls: ClassInfo,
  methodText: string,
  eol: string,
): SourceEdit {
  const closeAt = tokens[cls.close].start;
  const text = withEol(methodText.endsWith("\n") ? methodText : methodText + "\n", eol);
  const empty = cls.close === cls.open + 1;
  const lineStart = lineStartAt(source, closeAt);
  if (!isBlank(source.slice(lineStart, closeAt))) {
    // `class X {}` or a brace after code on its line: start a line of our own
    return { start: closeAt, end: closeAt, newText: eol + text };
  }
  const before = source.slice(0, lineStart).replace(/\r?\n$/, "");
  const prevLine = before.slice(before.lastIndexOf("\n") + 1);
  const needsGap = !empty && !isBlank(prevLine);
  return { start: lineStart, end: lineStart, newText: (needsGap ? eol : "") + text };
}

function uniqueNames(names: readonly string[]): string[] {
  return [...new Set(names.filter((n) => n !== ""))];
}

function importStatement(names: readonly string[], semicolon: boolean): string {
  return `import { ${names.join(", ")} } from "${SDK_MODULE}"${semicolon ? ";" : ""}`;
}

/** Adds names to an existing named import, after its last name, keeping its one-line or one-per-line layout. */
function extendImportEdit(source: string, imp: ImportInfo, names: readonly string[], eol: string): SourceEdit {
  const last = imp.specifiers[imp.specifiers.length - 1];
  if (!last) return { start: imp.braceOpen! + 1, end: imp.braceClose!, newText: ` ${names.join(", ")} ` };
  const multiline = source.slice(imp.braceOpen, imp.braceClose).includes("\n");
  if (!multiline) return { start: last.end, end: last.end, newText: names.map((n) => `, ${n}`).join("") };
  const lineStart = lineStartAt(source, last.end);
  const indent = /^[ \t]*/.exec(source.slice(lineStart))![0];
  return { start: last.end, end: last.end, newText: names.map((n) => `,${eol}${indent}${n}`).join("") };
}

/** Where a new import goes: after the last import, else after the file's leading comments. */
function newImportEdit(
  source: string,
  tokens: readonly Token[],
  imports: readonly ImportInfo[],
  names: readonly string[],
  eol: string,
): SourceEdit {
  const semicolon = imports.length > 0 ? imports[0].semicolon : false;
  const statement = importStatement(names, semicolon);
  if (imports.length) {
    const at = imports[imports.length - 1].end;
    return { start: at, end: at, newText: eol + statement };
  }
  // there is always a class here, so a first token; the import goes on the line it starts,
  // after the file's leading comment (Dagger's module description)
  const at = lineStartAt(source, tokens[0].start);
  return { start: at, end: at, newText: statement + eol + eol };
}

/**
 * Edits that add `methodText` (already indented by 2 spaces, ending with a newline) as the last member of the module's
 * @object() class, and add missing names to the `from "@dagger.io/dagger"` import (creating it if absent), without
 * touching anything else. No @object() class: no edits.
 */
export function addFunctionEdits(
  source: string,
  methodText: string,
  imports: readonly string[],
  preferredClass?: string,
): SourceEdit[] {
  const tokens = lex(source, 0, false).tokens;
  const cls = objectClass(topLevelClasses(tokens), preferredClass);
  if (!cls) return [];
  const eol = eolOf(source);
  const edits: SourceEdit[] = [];
  const all = topLevelImports(tokens);
  const fromSdk = all.filter((i) => i.from === SDK_MODULE);
  const present = new Set(fromSdk.flatMap((i) => i.locals));
  const missing = uniqueNames(imports).filter((n) => !present.has(n));
  if (missing.length) {
    const target = fromSdk.find((i) => !i.typeOnly && i.braceOpen !== undefined);
    edits.push(
      target ? extendImportEdit(source, target, missing, eol) : newImportEdit(source, tokens, all, missing, eol),
    );
  }
  edits.push(methodEdit(source, tokens, cls, methodText, eol));
  return edits.sort((a, b) => a.start - b.start);
}

// ---------------------------------------------------------------------------------------------
// A new module

function engineTag(version: string): string {
  return version.startsWith("v") ? version : `v${version}`;
}

function jsonFile(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

/**
 * The files of a new TypeScript module as `dagger init --sdk=typescript --name=<name>` of that engine version lays them
 * out (dagger.json, .dagger/package.json, .dagger/tsconfig.json, .dagger/src/index.ts with the class holding
 * `methodText`, and the .gitignore/.gitattributes Dagger writes for the generated sdk/), keyed by project-relative
 * path.
 */
export function newModuleFiles(
  name: string,
  engineVersion: string,
  methodText: string,
  imports: readonly string[],
): Record<string, string> {
  const className = pascalCase(name);
  const names = uniqueNames([...imports, "object"]);
  const method = methodText.endsWith("\n") ? methodText : methodText + "\n";
  const index = [
    "/**",
    ` * Dagger Functions of the ${name} module, converted from GitLab CI jobs.`,
    " */",
    importStatement(names, false),
    "",
    "@object()",
    `export class ${className} {`,
    method + "}",
    "",
  ].join("\n");
  return {
    "dagger.json": jsonFile({
      name,
      engineVersion: engineTag(engineVersion),
      sdk: { source: "typescript" },
      source: ".dagger",
    }),
    ".dagger/package.json": jsonFile({ type: "module", dependencies: { typescript: DEFAULT_TYPESCRIPT_VERSION } }),
    ".dagger/tsconfig.json": jsonFile({
      compilerOptions: {
        target: "ES2022",
        moduleResolution: "Node",
        experimentalDecorators: true,
        strict: true,
        skipLibCheck: true,
        paths: { [SDK_MODULE]: ["./sdk/index.ts"], [`${SDK_MODULE}/telemetry`]: ["./sdk/telemetry.ts"] },
      },
    }),
    ".dagger/.gitignore": "/sdk\n/**/node_modules/**\n/**/.pnpm-store/**\n/.env\n",
    ".dagger/.gitattributes": "/sdk/** linguist-generated\n",
    ".dagger/src/index.ts": index,
  };
}
