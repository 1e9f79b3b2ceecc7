import * as assert from "node:assert/strict";
import ts from "typescript";
import { parseFunctions, type DaggerFunction, type DaggerParam } from "../server/src/features/dagger/functions";
import { kebabCase } from "../server/src/features/dagger/names";
import { docText } from "../server/src/features/dagger/ts-lexer";

// What the TypeScript compiler's own parser finds in a Dagger module's entry file, in the shape
// parseFunctions gives: the reference the server's scanner (which has no compiler, see ts-lexer.ts)
// is checked against, on every module the Dagger corpus check generates (scripts/dagger-corpus.mjs).
// Only the syntax tree is read, no type-checking: one createSourceFile per module, a few milliseconds.

type Decorated = ts.HasDecorators & ts.Node;

/** The last name of a decorator's expression: "func" for @func() and @dagger.func(). */
function decoratorName(d: ts.Decorator): string {
  const callee = ts.isCallExpression(d.expression) ? d.expression.expression : d.expression;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return ts.isIdentifier(callee) ? callee.text : "";
}

function decorators(node: Decorated): readonly ts.Decorator[] {
  return ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : [];
}

function hasDecorator(node: Decorated, name: string): boolean {
  return decorators(node).some((d) => decoratorName(d) === name);
}

/** A node's source text with blanks collapsed, as the scanner reports types and defaults. */
function textOf(sf: ts.SourceFile, node: ts.Node): string {
  return sf.text.slice(node.getStart(sf), node.end).replace(/\s+/g, " ").trim();
}

/** The last /** comment before the member (its decorators included), as JSDoc text. */
function docOf(sf: ts.SourceFile, member: ts.Node): string | undefined {
  const docs = (ts.getLeadingCommentRanges(sf.text, member.pos) ?? [])
    .map((r) => sf.text.slice(r.pos, r.end))
    .filter((c) => c.startsWith("/**") && c.length > 4);
  return docs.length ? docText(docs[docs.length - 1]) : undefined;
}

/** The type a literal default implies when none is written; "" for anything else. */
function literalType(init: ts.Expression): string {
  if (ts.isStringLiteral(init) || ts.isNoSubstitutionTemplateLiteral(init) || ts.isTemplateExpression(init))
    return "string";
  if (ts.isNumericLiteral(init)) return "number";
  if (init.kind === ts.SyntaxKind.TrueKeyword || init.kind === ts.SyntaxKind.FalseKeyword) return "boolean";
  return "";
}

/** A type that admits null or undefined at its top level: `T | null`, `undefined`. */
function admitsNothing(type: ts.TypeNode | undefined): boolean {
  if (!type) return false;
  const parts = ts.isUnionTypeNode(type) ? type.types : [type];
  return parts.some(
    (t) =>
      t.kind === ts.SyntaxKind.UndefinedKeyword ||
      (ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword),
  );
}

/** The literal options of the last `@argument({...})` on a parameter. */
function argumentOptions(
  param: ts.ParameterDeclaration,
): Pick<DaggerParam, "defaultPath" | "defaultAddress" | "ignore"> {
  const out: { defaultPath?: string; defaultAddress?: string; ignore?: string[] } = {};
  const args = decorators(param).filter((d) => decoratorName(d) === "argument");
  const last = args[args.length - 1]?.expression;
  const options = last && ts.isCallExpression(last) ? last.arguments[0] : undefined;
  if (!options || !ts.isObjectLiteralExpression(options)) return out;
  for (const p of options.properties) {
    if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) continue;
    const key = p.name.text;
    if ((key === "defaultPath" || key === "defaultAddress") && ts.isStringLiteral(p.initializer))
      out[key] = p.initializer.text;
    if (key === "ignore" && ts.isArrayLiteralExpression(p.initializer))
      out.ignore = p.initializer.elements.filter(ts.isStringLiteral).map((e) => e.text);
  }
  return out;
}

function paramOf(sf: ts.SourceFile, param: ts.ParameterDeclaration): DaggerParam | undefined {
  if (!ts.isIdentifier(param.name)) return undefined; // a destructuring pattern has no flag
  const name = param.name.text;
  const defaultValue = param.initializer ? textOf(sf, param.initializer) : undefined;
  const type = param.type ? textOf(sf, param.type) : param.initializer ? literalType(param.initializer) : "";
  const options = argumentOptions(param);
  return {
    name,
    flag: `--${kebabCase(name)}`,
    type,
    optional: param.questionToken !== undefined || defaultValue !== undefined || admitsNothing(param.type),
    ...(options.defaultPath !== undefined ? { defaultPath: options.defaultPath } : {}),
    ...(defaultValue !== undefined ? { defaultValue } : {}),
    ...(options.ignore !== undefined ? { ignore: options.ignore } : {}),
    ...(options.defaultAddress !== undefined ? { defaultAddress: options.defaultAddress } : {}),
  };
}

function memberName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isPrivateIdentifier(name)) return name.text;
  return undefined; // a computed name
}

function functionOf(sf: ts.SourceFile, member: ts.ClassElement): DaggerFunction | undefined {
  const isMethod = ts.isMethodDeclaration(member);
  if (!isMethod && !ts.isPropertyDeclaration(member)) return undefined;
  if (!hasDecorator(member, "func") || (isMethod && !member.body)) return undefined;
  const name = memberName(member.name);
  if (name === undefined) return undefined;
  const params = isMethod ? member.parameters.map((p) => paramOf(sf, p)).filter((p) => p !== undefined) : [];
  const doc = docOf(sf, member);
  return {
    name,
    cliName: kebabCase(name),
    params,
    returns: member.type ? textOf(sf, member.type) : "",
    ...(doc !== undefined ? { doc } : {}),
    nameStart: member.name.getStart(sf),
    nameEnd: member.name.end,
  };
}

/** parseFunctions, answered by the TypeScript compiler's parser. */
export function compilerFunctions(
  source: string,
  preferredClass?: string,
): { className?: string; functions: DaggerFunction[] } {
  const sf = ts.createSourceFile("index.ts", source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const objects = sf.statements.filter(ts.isClassDeclaration).filter((c) => hasDecorator(c, "object"));
  const cls = objects.find((c) => preferredClass !== undefined && c.name?.text === preferredClass) ?? objects[0];
  if (!cls) return { functions: [] };
  const functions = cls.members.map((m) => functionOf(sf, m)).filter((f) => f !== undefined);
  return { ...(cls.name ? { className: cls.name.text } : {}), functions };
}

/** Where the scanner and the compiler disagree about a module's entry file: one line each, empty when they agree. */
export function scannerDifferences(source: string, preferredClass?: string): string[] {
  const scanned = parseFunctions(source, preferredClass);
  const parsed = compilerFunctions(source, preferredClass);
  const out: string[] = [];
  if (scanned.className !== parsed.className)
    out.push(`class: scanner ${scanned.className}, compiler ${parsed.className}`);
  const count = Math.max(scanned.functions.length, parsed.functions.length);
  for (let i = 0; i < count; i++) {
    const a = scanned.functions[i];
    const b = parsed.functions[i];
    try {
      assert.deepStrictEqual(a, b);
    } catch {
      out.push(`function ${i + 1}: scanner ${JSON.stringify(a)}, compiler ${JSON.stringify(b)}`);
    }
  }
  return out;
}
