import { type ExprSyntaxError, type OperatorKind, type Token, inputName, lexExpression } from "./expression-lexer";
import { RegexpValue, patternRegexp } from "./expression-pattern";
import {
  type ExprValue,
  deepEqual,
  describeKind,
  inputValue,
  isOther,
  isPresent,
  rubyToS,
  rubyTruthy,
} from "./expression-values";

// GitLab's expression language, the language of `rules:if`, `workflow:rules:if`,
// `include:rules:if` and `only/except:variables`, as lib/gitlab/ci/pipeline/expression/ has it:
// the lexer (expression-lexer.ts), GitLab's shunting-yard parser (parser.rb) and the evaluation
// of each lexeme (lexeme/*.rb) with Ruby's semantics: `&&` and `||` give back an operand, only
// nil and false are false inside an expression, and the result counts as true when it is
// `present?` (statement.rb). Patterns are RE2 (expression-pattern.ts).

export type { ExprSyntaxError } from "./expression-lexer";
export { MAX_TOKENS, lexExpression } from "./expression-lexer";
export { RegexpValue } from "./expression-pattern";
export type { ExprOtherValue, ExprValue } from "./expression-values";
export { formatValue, isPresent, rubyTruthy } from "./expression-values";

/**
 * What users see when GitLab's config validation meets an expression it cannot parse: the
 * ExpressionValidator's and Entry::Policy's "Invalid expression syntax"
 * (lib/gitlab/config/entry/validators.rb, lib/gitlab/ci/config/entry/policy.rb), lowercased with
 * the entry's location in front by Entry::Validator#messages, e.g.
 * "jobs:build:rules:rule if invalid expression syntax".
 */
export const INVALID_EXPRESSION_SYNTAX = "invalid expression syntax";

interface Span {
  /** UTF-16 offsets into the expression text. */
  readonly offset: number;
  readonly end: number;
}

export type ExprOperand =
  | (Span & { readonly kind: "variable"; readonly name: string })
  | (Span & { readonly kind: "input"; readonly name: string })
  | (Span & { readonly kind: "string"; readonly value: string })
  | (Span & { readonly kind: "pattern"; readonly regexp: RegexpValue })
  | (Span & { readonly kind: "null" })
  | (Span & { readonly kind: "boolean"; readonly value: boolean });

export interface ExprBinary extends Span {
  readonly kind: "binary";
  readonly op: OperatorKind;
  /** Where the operator is written. */
  readonly opOffset: number;
  readonly left: ExprNode;
  readonly right: ExprNode;
}

export type ExprNode = ExprOperand | ExprBinary;

export type Parsed = { ok: true; tree: ExprNode } | { ok: false; error: ExprSyntaxError };

/**
 * The precedence of each operator (`self.precedence` in lexeme/*.rb, lower binds tighter):
 * comparisons before `&&` before `||`, Ruby's order. `(` is above all, `)` just below it, so `)`
 * pops every operator down to its `(` and an operator never pops a `(`.
 */
const PRECEDENCE: Readonly<Record<OperatorKind | "(" | ")", number>> = {
  "==": 10,
  "!=": 10,
  "=~": 10,
  "!~": 10,
  "&&": 11,
  "||": 12,
  ")": 900,
  "(": 901,
};

/**
 * Parses an expression as GitLab's Statement#parse_tree does, with GitLab's error for every text
 * it refuses, in the order GitLab finds them: the lexer's, an empty statement, then the parser's.
 */
export function parseExpression(text: string): Parsed {
  const lexed = lexExpression(text);
  if (!lexed.ok) return lexed;
  const tokens = lexed.tokens;
  // statement.rb raises a bare StatementError for no tokens at all; GitLab has no words for it
  if (tokens.length === 0) return { ok: false, error: { message: "empty expression", offset: 0, length: text.length } };
  const rpn = toRpn(tokens);
  if ("message" in rpn) return { ok: false, error: rpn };
  return buildTree(rpn, tokens);
}

/** parser.rb's tokens_rpn: the shunting-yard algorithm, popping operators of equal or tighter precedence. */
function toRpn(tokens: readonly Token[]): Token[] | ExprSyntaxError {
  const output: Token[] = [];
  const operators: Token[] = [];
  const pops = (token: Token): boolean => {
    const top = operators[operators.length - 1];
    return top !== undefined && precedence(token) >= precedence(top);
  };
  for (const token of tokens) {
    if (token.kind === "(") operators.push(token);
    else if (token.kind === ")") {
      while (pops(token)) output.push(operators.pop() as Token);
      if (operators.length === 0) return syntaxError("Unmatched parenthesis", token);
      operators.pop();
    } else if (isOperator(token)) {
      while (pops(token)) output.push(operators.pop() as Token);
      operators.push(token);
    } else output.push(token);
  }
  // an unclosed `(` is left among the operators and goes to the output, where the tree refuses it
  return output.concat(operators.reverse());
}

function precedence(token: Token): number {
  return PRECEDENCE[token.kind as OperatorKind | "(" | ")"];
}

function isOperator(token: Token): boolean {
  return token.kind in PRECEDENCE && token.kind !== "(" && token.kind !== ")";
}

/** parser.rb's tree: operands pushed, each operator takes the two last; one node must be left. */
function buildTree(rpn: readonly Token[], tokens: readonly Token[]): Parsed {
  const results: ExprNode[] = [];
  for (const token of rpn) {
    if (token.kind === "(")
      return { ok: false, error: syntaxError("Unprocessable token found in parse tree: parenthesis_open", token) };
    if (isOperator(token)) {
      const right = results.pop();
      const left = results.pop();
      // LogicalOperator#initialize checks the left operand first, so a missing operand on either
      // side reads "Invalid left operand" (the right one is popped first and is the one present)
      if (!left) return { ok: false, error: syntaxError("Invalid left operand", token) };
      if (!right) return { ok: false, error: syntaxError("Invalid right operand", token) };
      const op = token.kind as OperatorKind;
      results.push({ kind: "binary", op, opOffset: token.offset, left, right, offset: left.offset, end: right.end });
      continue;
    }
    const operand = buildOperand(token);
    if ("message" in operand) return { ok: false, error: operand };
    results.push(operand);
  }
  if (results.length > 1) {
    const extra = results[1];
    const error = {
      message: "Unreachable nodes in parse tree",
      offset: extra.offset,
      length: extra.end - extra.offset,
    };
    return { ok: false, error };
  }
  if (results.length === 0) {
    // only parentheses: `()`
    const first = tokens[0];
    const last = tokens[tokens.length - 1];
    const end = last.offset + last.text.length;
    return { ok: false, error: { message: "Empty parse tree", offset: first.offset, length: end - first.offset } };
  }
  return { ok: true, tree: results[0] };
}

/** A value token's node (Token#build). A pattern is compiled here, as Lexeme::Pattern.new does. */
function buildOperand(token: Token): ExprOperand | ExprSyntaxError {
  const span = { offset: token.offset, end: token.offset + token.text.length };
  switch (token.kind) {
    case "variable":
      return { kind: "variable", name: token.text.slice(1), ...span };
    case "input":
      return { kind: "input", name: inputName(token.text), ...span };
    case "string":
      return { kind: "string", value: token.text.slice(1, -1), ...span };
    case "null":
      return { kind: "null", ...span };
    case "boolean":
      return { kind: "boolean", value: token.text === "true", ...span };
    default: {
      // a pattern: RE2 refuses the body (lookaround, backreference, unbalanced parenthesis) or it
      // has a newline before its closing slash, which Ruby's line-anchored split cannot read
      const regexp = patternRegexp(token.text);
      return regexp ? { kind: "pattern", regexp, ...span } : syntaxError("Invalid regular expression!", token);
    }
  }
}

function syntaxError(message: string, token: Token): ExprSyntaxError {
  return { message, offset: token.offset, length: token.text.length };
}

/**
 * Where evaluating went wrong the way it goes wrong in GitLab with a NoMethodError, which no
 * caller rescues (Statement#truthful? rescues only ExpressionError): a comparison GitLab's Ruby
 * cannot make, such as a pattern with a string, or `=~` with `true` on its right.
 */
export interface ExprRuntimeError {
  readonly message: string;
  /** The operator's offset and length in the expression text. */
  readonly offset: number;
  readonly length: number;
}

export interface ExprResult {
  /** The raw value (Statement#evaluate): `&&` and `||` give back one of their operands. */
  readonly value: ExprValue;
  /** Whether the value is `present?`, i.e. whether the rule matches. */
  readonly truthy: boolean;
  /** Variables read, in the order read, each once; an operand `&&`/`||` skipped is not read. */
  readonly reads: readonly string[];
  /** Inputs read (`$[[ inputs.x ]]`), likewise. */
  readonly inputReads: readonly string[];
  /** Set when GitLab would fail with an internal error; then value is null and truthy false. */
  readonly error?: ExprRuntimeError;
}

/** Thrown to unwind an evaluation GitLab would abandon with a NoMethodError. */
class RubyFailure extends Error {
  constructor(
    message: string,
    readonly node: ExprBinary,
  ) {
    super(message);
  }
}

interface Context {
  readonly vars: ReadonlyMap<string, string>;
  readonly inputs: ReadonlyMap<string, unknown> | undefined;
  readonly reads: Set<string>;
  readonly inputReads: Set<string>;
}

/**
 * Evaluates a parsed expression with the variables' raw values (no nested expansion: GitLab
 * reads the variables hash as is) and the inputs of `$[[ inputs.x ]]`. An undefined variable or
 * input is nil.
 */
export function evaluateExpression(
  tree: ExprNode,
  vars: ReadonlyMap<string, string>,
  inputs?: ReadonlyMap<string, unknown>,
): ExprResult {
  const ctx: Context = { vars, inputs, reads: new Set(), inputReads: new Set() };
  const done = (value: ExprValue, error?: ExprRuntimeError): ExprResult => ({
    value,
    truthy: error ? false : isPresent(value),
    reads: [...ctx.reads],
    inputReads: [...ctx.inputReads],
    ...(error ? { error } : {}),
  });
  try {
    return done(evaluateNode(tree, ctx));
  } catch (e) {
    if (!(e instanceof RubyFailure)) throw e;
    return done(null, { message: e.message, offset: e.node.opOffset, length: e.node.op.length });
  }
}

function evaluateNode(node: ExprNode, ctx: Context): ExprValue {
  switch (node.kind) {
    case "variable":
      ctx.reads.add(node.name);
      return ctx.vars.get(node.name) ?? null;
    case "input":
      ctx.inputReads.add(node.name);
      return inputValue(ctx.inputs?.get(node.name));
    case "string":
    case "boolean":
      return node.value;
    case "pattern":
      return node.regexp;
    case "null":
      return null;
    case "binary":
      return evaluateBinary(node, ctx);
  }
}

function evaluateBinary(node: ExprBinary, ctx: Context): ExprValue {
  // lexeme/and.rb and or.rb are Ruby's `&&` and `||`: short-circuit, and the value is an operand
  if (node.op === "&&") {
    const left = evaluateNode(node.left, ctx);
    return rubyTruthy(left) ? evaluateNode(node.right, ctx) : left;
  }
  if (node.op === "||") {
    const left = evaluateNode(node.left, ctx);
    return rubyTruthy(left) ? left : evaluateNode(node.right, ctx);
  }
  const left = evaluateNode(node.left, ctx);
  const right = evaluateNode(node.right, ctx);
  switch (node.op) {
    case "==":
      return equalsWithCoercion(left, right, node);
    case "!=":
      return !equalsWithCoercion(left, right, node);
    case "=~":
      return matches(left, right, node);
    case "!~":
      // lexeme/not_matches.rb: true when the right side is nil or false, else the opposite of `=~`
      return right === null || right === false ? true : !matches(left, right, node);
  }
}

/**
 * lexeme/logical_operator.rb's compare_with_coercion: a boolean compared with a string is
 * compared as its text ("true"/"false"); anything else is Ruby's `==`.
 */
function equalsWithCoercion(left: ExprValue, right: ExprValue, node: ExprBinary): boolean {
  if (typeof left === "boolean" && typeof right === "string") return String(left) === right;
  if (typeof left === "string" && typeof right === "boolean") return left === String(right);
  return rubyEquals(left, right, node);
}

/** Ruby's `left == right` for the values an expression can hold. */
function rubyEquals(left: ExprValue, right: ExprValue, node: ExprBinary): boolean {
  if (left instanceof RegexpValue) {
    // Gitlab::UntrustedRegexp#== compares `source`, which only another regexp has
    if (right instanceof RegexpValue) return left.source === right.source;
    throw new RubyFailure(`GitLab fails comparing a pattern with ${describeKind(right)} (NoMethodError)`, node);
  }
  if (isOther(left)) return isOther(right) && deepEqual(left.value, right.value);
  return left === right;
}

/**
 * lexeme/matches.rb: false when the right side is nil or false; a string on the right is read as
 * a pattern when it has the `/…/flags` shape and RE2 compiles it (Pattern.build_and_evaluate, so
 * a variable can hold a pattern); otherwise the string stays a string, and Ruby's `String#scan`
 * then looks for the left text inside it: a substring test with the sides swapped. The left side
 * is taken as text (`to_s`, nil is ""), and the pattern may match anywhere in it.
 */
function matches(text: ExprValue, right: ExprValue, node: ExprBinary): boolean {
  if (right === null || right === false) return false;
  let pattern: RegexpValue | string;
  if (right instanceof RegexpValue) pattern = right;
  else if (typeof right === "string") pattern = patternRegexp(right) ?? right;
  else throw new RubyFailure(`GitLab fails matching against ${describeKind(right)} (NoMethodError)`, node);
  const s = rubyToS(text);
  return typeof pattern === "string" ? pattern.includes(s) : pattern.test(s);
}

/**
 * Whether a rule with this `if:` matches: Statement#truthful?, the value `present?`. A text that
 * does not parse is false, as GitLab rescues every ExpressionError to false; an evaluation GitLab
 * fails with an internal error is false too (GitLab would not create the pipeline at all).
 */
export function expressionIsTrue(
  text: string,
  vars: ReadonlyMap<string, string>,
  inputs?: ReadonlyMap<string, unknown>,
): boolean {
  const parsed = parseExpression(text);
  return parsed.ok && evaluateExpression(parsed.tree, vars, inputs).truthy;
}

/**
 * Statement#valid?, the check GitLab's config validation makes: the text parses, and evaluating
 * it with no variables does not fail. Undefined when valid; else the error.
 */
export function validateExpression(text: string): ExprSyntaxError | undefined {
  const parsed = parseExpression(text);
  if (!parsed.ok) return parsed.error;
  return evaluateExpression(parsed.tree, new Map()).error;
}

/** The variables an expression names, in the order written, each once. */
export function expressionVariables(tree: ExprNode): string[] {
  return collect(tree, "variable");
}

/** The inputs an expression names (Statement#input_names), in the order written, each once. */
export function expressionInputs(tree: ExprNode): string[] {
  return collect(tree, "input");
}

function collect(tree: ExprNode, kind: "variable" | "input"): string[] {
  const names = new Set<string>();
  const walk = (node: ExprNode): void => {
    if (node.kind === "binary") {
      walk(node.left);
      walk(node.right);
    } else if ((node.kind === "variable" || node.kind === "input") && node.kind === kind) names.add(node.name);
  };
  walk(tree);
  return [...names];
}
