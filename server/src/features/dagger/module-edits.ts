// Edits to a Dagger module's entry file: a new method in the @object() class and the names it needs in
// the import from the SDK, everything else left as written.

import { SDK_MODULE } from "./module";
import { objectClass, topLevelClasses, topLevelImports, type ClassInfo, type ImportInfo } from "./ts-declarations";
import { lex, type Token } from "./ts-lexer";

export interface SourceEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

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

export function uniqueNames(names: readonly string[]): string[] {
  return [...new Set(names.filter((n) => n !== ""))];
}

export function importStatement(names: readonly string[], semicolon: boolean): string {
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
