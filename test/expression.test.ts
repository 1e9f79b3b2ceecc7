import * as assert from "node:assert/strict";
import { test } from "node:test";
import {
  type ExprNode,
  type ExprValue,
  INVALID_EXPRESSION_SYNTAX,
  MAX_TOKENS,
  RegexpValue,
  evaluateExpression,
  expressionInputs,
  expressionIsTrue,
  expressionVariables,
  formatValue,
  lexExpression,
  parseExpression,
  validateExpression,
} from "../server/src/engine/expression";
import { fabricateRegexp, patternRegexp, scanPatternToken } from "../server/src/engine/expression-pattern";

// GitLab's expression language (engine/expression.ts), checked against GitLab's own specs: each
// group below names the spec file of gitlabhq/gitlabhq it comes from (and the example), and its
// expected values are that spec's. The Ruby strings of the specs are written here as the text they
// stand for: Ruby's '\/' is the two characters `\/`, written "\\/" or String.raw`\/` here.
// Cases GitLab's specs do not state are in the groups marked "(inferred)", with the source read.

type Vars = ReadonlyMap<string, string>;
const NO_VARS: Vars = new Map();

function parse(text: string): ExprNode {
  const parsed = parseExpression(text);
  assert.ok(parsed.ok, `${text}: ${parsed.ok ? "" : parsed.error.message}`);
  return parsed.tree;
}

/** Statement#evaluate: the raw value; the evaluation must not fail. */
function evaluate(text: string, vars: Vars, inputs?: ReadonlyMap<string, unknown>): ExprValue {
  const result = evaluateExpression(parse(text), vars, inputs);
  assert.equal(result.error, undefined, text);
  return result.value;
}

/** The parse error of a text GitLab refuses: [message, offset]. */
function syntaxError(text: string): [string, number] | undefined {
  const parsed = parseExpression(text);
  return parsed.ok ? undefined : [parsed.error.message, parsed.error.offset];
}

/** A tree the way GitLab's Lexeme#inspect prints it, as parser_spec.rb compares trees. */
const NAMES = { "==": "equals", "!=": "not_equals", "=~": "matches", "!~": "not_matches", "&&": "and", "||": "or" };
function inspect(node: ExprNode): string {
  switch (node.kind) {
    case "binary":
      return `${NAMES[node.op]}(${inspect(node.left)}, ${inspect(node.right)})`;
    case "variable":
      return `$${node.name}`;
    case "input":
      return `$[[ inputs.${node.name} ]]`;
    case "string":
      return JSON.stringify(node.value);
    case "pattern":
      return `/${node.regexp.source}/`;
    case "null":
      return "null";
    case "boolean":
      return String(node.value);
  }
}

/** The source of the regexp a pattern literal evaluates to (what UntrustedRegexp#== compares). */
function literalSource(text: string): string | undefined {
  const value = evaluate(text, NO_VARS);
  return value instanceof RegexpValue ? value.source : undefined;
}

// ---------------------------------------------------------------------------------------------
// spec/lib/gitlab/ci/pipeline/expression/statement_spec.rb (commit 0286e4c6), describe '#evaluate',
// the `where(:expression, :value)` table, with the spec's variables.

const STATEMENT_VARS: Vars = new Map([
  ["PRESENT_VARIABLE", "my variable"],
  ["PATH_VARIABLE", "a/path/variable/value"],
  ["FULL_PATH_VARIABLE", "/a/full/path/variable/value"],
  ["EMPTY_VARIABLE", ""],
]);

const FULL_OK = String.raw`$FULL_PATH_VARIABLE =~ /^\/a\/full\/path\/variable\/value$/`;
const FULL_BAD = String.raw`$FULL_PATH_VARIABLE =~ /^\/a\/bad\/path\/variable\/value$/`;
const PATH_OK = String.raw`$PATH_VARIABLE =~ /path\/variable/`;
const PATH_BAD = String.raw`$PATH_VARIABLE =~ /bad\/path\/variable/`;

const STATEMENT_EVALUATE: ReadonlyArray<[string, ExprValue]> = [
  ['$PRESENT_VARIABLE == "my variable"', true],
  ['"my variable" == $PRESENT_VARIABLE', true],
  ["$PRESENT_VARIABLE == null", false],
  ["$EMPTY_VARIABLE == null", false],
  ['"" == $EMPTY_VARIABLE', true],
  ["$EMPTY_VARIABLE", ""],
  ["$UNDEFINED_VARIABLE == null", true],
  ["null == $UNDEFINED_VARIABLE", true],
  ["$PRESENT_VARIABLE", "my variable"],
  ["$UNDEFINED_VARIABLE", null],
  ["$PRESENT_VARIABLE =~ /var.*e$/", true],
  [String.raw`$PRESENT_VARIABLE =~ /va\r.*e$/`, false],
  [String.raw`$PRESENT_VARIABLE =~ /va\/r.*e$/`, false],
  ["$PRESENT_VARIABLE =~ /^var.*/", false],
  ["$EMPTY_VARIABLE =~ /var.*/", false],
  ["$UNDEFINED_VARIABLE =~ /var.*/", false],
  ["$PRESENT_VARIABLE =~ /VAR.*/i", true],
  [PATH_OK, true],
  [FULL_OK, true],
  [String.raw`$FULL_PATH_VARIABLE =~ /\/path\/variable\/value$/`, true],
  ['$PRESENT_VARIABLE != "my variable"', false],
  ['"my variable" != $PRESENT_VARIABLE', false],
  ["$PRESENT_VARIABLE != null", true],
  ["$EMPTY_VARIABLE != null", true],
  ['"" != $EMPTY_VARIABLE', false],
  ["$UNDEFINED_VARIABLE != null", false],
  ["null != $UNDEFINED_VARIABLE", false],
  ["$PRESENT_VARIABLE !~ /var.*e$/", false],
  ["$PRESENT_VARIABLE !~ /^var.*/", true],
  [String.raw`$PRESENT_VARIABLE !~ /^v\ar.*/`, true],
  [String.raw`$PRESENT_VARIABLE !~ /^v\/ar.*/`, true],
  ["$EMPTY_VARIABLE !~ /var.*/", true],
  ["$UNDEFINED_VARIABLE !~ /var.*/", true],
  ["$PRESENT_VARIABLE !~ /VAR.*/i", false],

  ['$PRESENT_VARIABLE && "string"', "string"],
  ["$PRESENT_VARIABLE && $PRESENT_VARIABLE", "my variable"],
  ["$PRESENT_VARIABLE && $EMPTY_VARIABLE", ""],
  ["$PRESENT_VARIABLE && null", null],
  ['"string" && $PRESENT_VARIABLE', "my variable"],
  ["$EMPTY_VARIABLE && $PRESENT_VARIABLE", "my variable"],
  ["null && $PRESENT_VARIABLE", null],
  ['$EMPTY_VARIABLE && "string"', "string"],
  ["$EMPTY_VARIABLE && $EMPTY_VARIABLE", ""],
  ['"string" && $EMPTY_VARIABLE', ""],
  ['"string" && null', null],
  ['null && "string"', null],
  ['"string" && "string"', "string"],
  ["null && null", null],

  ["$PRESENT_VARIABLE =~ /my var/ && $EMPTY_VARIABLE =~ /nope/", false],
  ['$EMPTY_VARIABLE == "" && $PRESENT_VARIABLE', "my variable"],
  ['$EMPTY_VARIABLE == "" && $PRESENT_VARIABLE != "nope"', true],
  ["$PRESENT_VARIABLE && $UNDEFINED_VARIABLE", null],
  ["$UNDEFINED_VARIABLE && $EMPTY_VARIABLE", null],
  ["$UNDEFINED_VARIABLE && $PRESENT_VARIABLE", null],

  [`${FULL_OK} && ${PATH_OK}`, true],
  [`${FULL_BAD} && ${PATH_OK}`, false],
  [`${FULL_OK} && ${PATH_BAD}`, false],
  [`${FULL_BAD} && ${PATH_BAD}`, false],

  [`${FULL_OK} || ${PATH_OK}`, true],
  [`${FULL_BAD} || ${PATH_OK}`, true],
  [`${FULL_OK} || ${PATH_BAD}`, true],
  [`${FULL_BAD} || ${PATH_BAD}`, false],

  ["$PRESENT_VARIABLE =~ /my var/ || $EMPTY_VARIABLE =~ /nope/", true],
  ['$EMPTY_VARIABLE == "" || $PRESENT_VARIABLE', true],
  ['$PRESENT_VARIABLE != "nope" || $EMPTY_VARIABLE == ""', true],

  ['$PRESENT_VARIABLE && null || $EMPTY_VARIABLE == ""', true],
  ["$PRESENT_VARIABLE || $UNDEFINED_VARIABLE", "my variable"],
  ["$UNDEFINED_VARIABLE || $PRESENT_VARIABLE", "my variable"],
  ["$UNDEFINED_VARIABLE == null || $PRESENT_VARIABLE", true],
  ["$PRESENT_VARIABLE || $UNDEFINED_VARIABLE == null", "my variable"],

  ["($PRESENT_VARIABLE)", "my variable"],
  ["(($PRESENT_VARIABLE))", "my variable"],
  ['(($PRESENT_VARIABLE && null) || $EMPTY_VARIABLE == "")', true],
  ['($PRESENT_VARIABLE) && (null || $EMPTY_VARIABLE == "")', true],
  ['("string" || "test") == "string"', true],
  ['(null || ("test" == "string"))', false],
  ['("string" == ("test" && "string"))', true],
  ['("string" == ("test" || "string"))', false],
  ['("string" == "test" || "string")', "string"],
  ['("string" == ("string" || (("1" == "1") && ("2" == "3"))))', true],
];

for (const [expression, value] of STATEMENT_EVALUATE) {
  test(`statement_spec #evaluate: ${expression} → ${formatValue(value)}`, () => {
    assert.equal(evaluate(expression, STATEMENT_VARS), value);
  });
}

// statement_spec.rb, describe '.new', "when variables are not provided": a variable is nil.
test("statement_spec .new: without variables, $PRESENT_VARIABLE evaluates to nil", () => {
  assert.equal(evaluate("$PRESENT_VARIABLE", NO_VARS), null);
});

// statement_spec.rb, describe '#evaluate', context 'with input references'.
const STATEMENT_INPUTS = new Map<string, unknown>([
  ["cloud_provider", "aws"],
  ["environment", "production"],
]);
const STATEMENT_EVALUATE_INPUTS: ReadonlyArray<[string, ExprValue]> = [
  ['$[[ inputs.cloud_provider ]] == "aws"', true],
  ['$[[ inputs.cloud_provider ]] == "gcp"', false],
  ['$[[ inputs.cloud_provider ]] == "aws" && $[[ inputs.environment ]] == "production"', true],
];
for (const [expression, value] of STATEMENT_EVALUATE_INPUTS) {
  test(`statement_spec #evaluate with input references: ${expression} → ${value}`, () => {
    assert.equal(evaluate(expression, NO_VARS, STATEMENT_INPUTS), value);
  });
}

// statement_spec.rb, describe '#truthful?', the `where(:expression, :value)` table
// ('$INVALID = 1' does not lex: truthful? rescues the error to false).
const STATEMENT_TRUTHFUL: ReadonlyArray<[string, boolean]> = [
  ['$PRESENT_VARIABLE == "my variable"', true],
  ["$PRESENT_VARIABLE == 'no match'", false],
  ["$UNDEFINED_VARIABLE == null", true],
  ["$PRESENT_VARIABLE", true],
  ["$UNDEFINED_VARIABLE", false],
  ["$EMPTY_VARIABLE", false],
  ["$INVALID = 1", false],
  ["$PRESENT_VARIABLE =~ /var.*/", true],
  ["$UNDEFINED_VARIABLE =~ /var.*/", false],
  ["$PRESENT_VARIABLE !~ /var.*/", false],
  ["$UNDEFINED_VARIABLE !~ /var.*/", true],
];
for (const [expression, value] of STATEMENT_TRUTHFUL) {
  test(`statement_spec #truthful?: ${expression} → ${value}`, () => {
    assert.equal(expressionIsTrue(expression, STATEMENT_VARS), value);
  });
}

// statement_spec.rb, describe '#truthful?', context 'when variables have patterns'.
const PATTERN_VARS: Vars = new Map([
  ["teststring", "abcde"],
  ["pattern1", "/^ab.*/"],
  ["pattern2", "/^at.*/"],
]);
const STATEMENT_PATTERN_VARS: ReadonlyArray<[string, boolean]> = [
  ['$teststring =~ "abcde"', true],
  ["$teststring =~ $teststring", true],
  ["$teststring =~ $pattern1", true],
  ["$teststring =~ $pattern2", false],
];
for (const [expression, value] of STATEMENT_PATTERN_VARS) {
  test(`statement_spec #truthful? when variables have patterns: ${expression} → ${value}`, () => {
    assert.equal(expressionIsTrue(expression, PATTERN_VARS), value);
  });
}

// statement_spec.rb, describe '#input_names' (every context; the invalid one gives none).
const STATEMENT_INPUT_NAMES: ReadonlyArray<[string, string[]]> = [
  ['$[[ inputs.cloud_provider ]] == "aws"', ["cloud_provider"]],
  ['$[[ inputs.a ]] == "x" && $[[ inputs.b ]] == "y"', ["a", "b"]],
  ['$[[ inputs.env ]] == "prod" || $[[ inputs.env ]] == "stage"', ["env"]],
  ['($[[ inputs.a ]] == "x" && $[[ inputs.b ]] == "y") || $[[ inputs.c ]] == "z"', ["a", "b", "c"]],
  ['$[[ inputs.region ]] == "us" && $CI_COMMIT_BRANCH == "main"', ["region"]],
  ['$PRESENT_VARIABLE == "value"', []],
];
for (const [expression, names] of STATEMENT_INPUT_NAMES) {
  test(`statement_spec #input_names: ${expression} → [${names.join(", ")}]`, () => {
    assert.deepEqual(expressionInputs(parse(expression)), names);
  });
}
test("statement_spec #input_names with invalid expression: 'invalid &&' does not parse", () => {
  assert.deepEqual(syntaxError("invalid &&"), ["Unknown lexeme found!", 0]);
});

// ---------------------------------------------------------------------------------------------
// spec/lib/gitlab/ci/pipeline/expression/parser_spec.rb (commit 85dc423f), describe '#tree'.

// context 'validates simple operators', `where(:expression, :result_tree)`, and the contexts
// 'when combining && and OR operators' and 'when using parenthesis'.
const PARSER_TREES: ReadonlyArray<[string, string]> = [
  ['$VAR1 == "123"', 'equals($VAR1, "123")'],
  ['$VAR1 == "123" == $VAR2', 'equals(equals($VAR1, "123"), $VAR2)'],
  ["$VAR", "$VAR"],
  ['"some value"', '"some value"'],
  ["null", "null"],
  ["$VAR1 || $VAR2 && $VAR3", "or($VAR1, and($VAR2, $VAR3))"],
  ["$VAR1 && $VAR2 || $VAR3", "or(and($VAR1, $VAR2), $VAR3)"],
  ["$VAR1 && $VAR2 || $VAR3 && $VAR4", "or(and($VAR1, $VAR2), and($VAR3, $VAR4))"],
  ["$VAR1 && ($VAR2 || $VAR3) && $VAR4", "and(and($VAR1, or($VAR2, $VAR3)), $VAR4)"],
  [
    '$VAR1 == "a" || $VAR2 == "b" && $VAR3 == "c" || $VAR4 == "d" && $VAR5 == "e"',
    'or(or(equals($VAR1, "a"), and(equals($VAR2, "b"), equals($VAR3, "c"))), ' +
      'and(equals($VAR4, "d"), equals($VAR5, "e")))',
  ],
  [
    '(($VAR1 == "a" || $VAR2 == "b") && $VAR3 == "c" || $VAR4 == "d") && $VAR5 == "e"',
    'and(or(and(or(equals($VAR1, "a"), equals($VAR2, "b")), equals($VAR3, "c")), equals($VAR4, "d")), ' +
      'equals($VAR5, "e"))',
  ],
];
for (const [expression, tree] of PARSER_TREES) {
  test(`parser_spec #tree: ${expression} → ${tree}`, () => {
    assert.equal(inspect(parse(expression)), tree);
  });
}

// contexts 'when expression is empty', 'when two value tokens have no operator', 'when an operator
// has no left side', 'when an operator has no right side' (an OperatorError; its message is
// "Invalid left operand" both times, lexeme/logical_operator.rb checking the left side first) and
// 'when parenthesis are unmatched' (a ParseError each). The empty text is refused before the
// parser, by Statement#parse_tree (statement.rb), for which GitLab has no message.
const PARSER_ERRORS: ReadonlyArray<[string, [string, number]]> = [
  ["", ["empty expression", 0]],
  ['$VAR "text"', ["Unreachable nodes in parse tree", 5]],
  ['== "123"', ["Invalid left operand", 0]],
  ["$VAR ==", ["Invalid left operand", 5]],
  ["$VAR == (", ["Unprocessable token found in parse tree: parenthesis_open", 8]],
  ['$VAR2 == ("aa"', ["Unprocessable token found in parse tree: parenthesis_open", 9]],
  ['$VAR2 == ("aa"))', ["Unmatched parenthesis", 15]],
  ['$VAR2 == "aa")', ["Unmatched parenthesis", 13]],
  ['(($VAR2 == "aa")', ["Unprocessable token found in parse tree: parenthesis_open", 0]],
  ['($VAR2 == "aa"))', ["Unmatched parenthesis", 15]],
];
for (const [expression, error] of PARSER_ERRORS) {
  test(`parser_spec #tree errors: ${JSON.stringify(expression)} → ${error[0]} at ${error[1]}`, () => {
    assert.deepEqual(syntaxError(expression), error);
  });
}

// ---------------------------------------------------------------------------------------------
// spec/lib/gitlab/ci/pipeline/expression/lexer_spec.rb (commit 85dc423f), describe '#tokens'.

function tokenTexts(text: string): string[] {
  const lexed = lexExpression(text);
  assert.ok(lexed.ok, text);
  return lexed.tokens.map((t) => t.text);
}

const LEXER_TOKENS: ReadonlyArray<[string, string[]]> = [
  // 'returns single value', 'does ignore whitespace characters', 'returns multiple values of the
  // same token', 'returns multiple values with different tokens', 'returns tokens and operators'
  ["$VARIABLE", ["$VARIABLE"]],
  ["\t$VARIABLE ", ["$VARIABLE"]],
  ["$VARIABLE1 $VARIABLE2", ["$VARIABLE1", "$VARIABLE2"]],
  ['$VARIABLE "text" "value"', ["$VARIABLE", '"text"', '"value"']],
  ['$VARIABLE == "text"', ["$VARIABLE", "==", '"text"']],
  // context 'with complex expressions'
  [
    "$PRESENT_VARIABLE =~ /my var/ && $EMPTY_VARIABLE =~ /nope/",
    ["$PRESENT_VARIABLE", "=~", "/my var/", "&&", "$EMPTY_VARIABLE", "=~", "/nope/"],
  ],
  ['$EMPTY_VARIABLE == "" && $PRESENT_VARIABLE', ["$EMPTY_VARIABLE", "==", '""', "&&", "$PRESENT_VARIABLE"]],
  [
    '$EMPTY_VARIABLE == "" && $PRESENT_VARIABLE != "nope"',
    ["$EMPTY_VARIABLE", "==", '""', "&&", "$PRESENT_VARIABLE", "!=", '"nope"'],
  ],
  ["$PRESENT_VARIABLE && $EMPTY_VARIABLE", ["$PRESENT_VARIABLE", "&&", "$EMPTY_VARIABLE"]],
  [
    "$PRESENT_VARIABLE =~ /my var/ || $EMPTY_VARIABLE =~ /nope/",
    ["$PRESENT_VARIABLE", "=~", "/my var/", "||", "$EMPTY_VARIABLE", "=~", "/nope/"],
  ],
  ['$EMPTY_VARIABLE == "" || $PRESENT_VARIABLE', ["$EMPTY_VARIABLE", "==", '""', "||", "$PRESENT_VARIABLE"]],
  [
    '$EMPTY_VARIABLE == "" || $PRESENT_VARIABLE != "nope"',
    ["$EMPTY_VARIABLE", "==", '""', "||", "$PRESENT_VARIABLE", "!=", '"nope"'],
  ],
  ["$PRESENT_VARIABLE || $EMPTY_VARIABLE", ["$PRESENT_VARIABLE", "||", "$EMPTY_VARIABLE"]],
  [
    '$PRESENT_VARIABLE && null || $EMPTY_VARIABLE == ""',
    ["$PRESENT_VARIABLE", "&&", "null", "||", "$EMPTY_VARIABLE", "==", '""'],
  ],
  // context 'with parentheses are used'
  [
    "($PRESENT_VARIABLE =~ /my var/) && $EMPTY_VARIABLE =~ /nope/",
    ["(", "$PRESENT_VARIABLE", "=~", "/my var/", ")", "&&", "$EMPTY_VARIABLE", "=~", "/nope/"],
  ],
  [
    "$PRESENT_VARIABLE =~ /my var/ || ($EMPTY_VARIABLE =~ /nope/)",
    ["$PRESENT_VARIABLE", "=~", "/my var/", "||", "(", "$EMPTY_VARIABLE", "=~", "/nope/", ")"],
  ],
  [
    '($PRESENT_VARIABLE && (null || $EMPTY_VARIABLE == ""))',
    ["(", "$PRESENT_VARIABLE", "&&", "(", "null", "||", "$EMPTY_VARIABLE", "==", '""', ")", ")"],
  ],
];
for (const [expression, tokens] of LEXER_TOKENS) {
  test(`lexer_spec #tokens: ${JSON.stringify(expression)}`, () => {
    assert.deepEqual(tokenTexts(expression), tokens);
  });
}

// 'raises syntax error in case of finding unknown tokens', and describe '#lexemes' (which kinds).
test("lexer_spec: '$V1 123 $V2' raises Unknown lexeme found! at the number", () => {
  assert.deepEqual(syntaxError("$V1 123 $V2"), ["Unknown lexeme found!", 4]);
});
test("lexer_spec #lexemes: '$VAR \"text\"' is a variable and a string", () => {
  const lexed = lexExpression('$VAR "text"');
  assert.ok(lexed.ok);
  assert.deepEqual(
    lexed.tokens.map((t) => t.kind),
    ["variable", "string"],
  );
});

// 'limits statement to specified amount of tokens': GitLab's limit is lexer.rb's MAX_TOKENS = 100,
// and its loop makes the 100th token the first refused (inferred from lexer.rb's `times` loop).
test("lexer.rb MAX_TOKENS: 99 tokens lex, the 100th gives Too many tokens! at that token", () => {
  assert.equal(MAX_TOKENS, 100);
  const ok = Array.from({ length: 50 }, (_, i) => `$V${i}`).join(" && "); // 99 tokens
  assert.equal(tokenTexts(ok).length, 99);
  assert.ok(parseExpression(ok).ok);
  const tooMany = `${ok} &&`;
  assert.deepEqual(syntaxError(tooMany), ["Too many tokens!", ok.length + 1]);
  assert.equal(expressionIsTrue(tooMany, NO_VARS), false);
  // the error comes before anything else past the 99th token, unknown lexemes included
  assert.deepEqual(syntaxError(`${ok} && %`), ["Too many tokens!", ok.length + 1]);
});

// ---------------------------------------------------------------------------------------------
// spec/lib/gitlab/ci/pipeline/expression/lexeme/pattern_spec.rb (commit 419c53ec).

// describe '.scan': the token scanned and the regexp its value builds (UntrustedRegexp.new(source)).
const PATTERN_SCAN: ReadonlyArray<[string, string | undefined, string | undefined, string]> = [
  // [text, token, source, example]
  ["/pattern/", "/pattern/", "pattern", "correctly identifies a pattern token"],
  ["//", undefined, undefined, "does not allow to use an empty pattern"],
  ["/pattern/i", "/pattern/i", "(?i)pattern", "support single flag"],
  ["/pattern/im", "/pattern/im", "(?im)pattern", "support multiple flags"],
  ["/pattern/x", "/pattern/", "pattern", "ignores unsupported flags"],
  ["/some .* / pattern/", "/some .* /", "some .* ", "is an eager scanner for regexp boundaries"],
  [
    String.raw`/some .* \/ pattern/`,
    String.raw`/some .* \/ pattern/`,
    "some .* / pattern",
    "does not match on escaped regexp boundaries",
  ],
  [
    String.raw`/some numeric \/$ pattern/`,
    String.raw`/some numeric \/$ pattern/`,
    "some numeric /$ pattern",
    "recognizes \\ as an escape character for /",
  ],
  [
    String.raw`/some numeric \$ pattern/`,
    String.raw`/some numeric \$ pattern/`,
    String.raw`some numeric \$ pattern`,
    "does not recognize \\ as an escape character for $",
  ],
];
for (const [text, token, source, example] of PATTERN_SCAN) {
  test(`pattern_spec .scan '${example}': ${text}`, () => {
    const length = scanPatternToken(text, 0);
    assert.equal(length ? text.slice(0, length) : undefined, token);
    if (token) assert.equal(patternRegexp(token)?.source, source);
  });
}

// describe '#initialize' ("with escaped slashes": the value has `/` for `\/`), '.build' ('raises an
// error if pattern is invalid') and '.build_and_evaluate' (a text that is no pattern stays a text).
test("pattern_spec #initialize: /foo\\/bar/ is the regexp foo/bar; foo is no pattern", () => {
  assert.equal(patternRegexp("/foo/")?.source, "foo");
  assert.equal(patternRegexp(String.raw`/foo\/bar/`)?.source, "foo/bar");
  assert.equal(patternRegexp("foo"), undefined);
});
test("pattern_spec .build: '/ some ( thin/i' is an invalid regular expression", () => {
  assert.deepEqual(syntaxError("$V =~ / some ( thin/i"), ["Invalid regular expression!", 6]);
  assert.equal(literalSource("/.*/"), ".*");
});
test("pattern_spec .build_and_evaluate: '/foo/' is a regexp, 'foo' stays the string", () => {
  const vars: Vars = new Map([
    ["P", "/foo/"],
    ["S", "foo"],
  ]);
  assert.equal(expressionIsTrue("$X =~ $P", new Map([...vars, ["X", "a foo b"]])), true);
  // 'foo' is no pattern: `=~` looks for the left text inside it
  assert.equal(expressionIsTrue("$X =~ $S", new Map([...vars, ["X", "a foo b"]])), false);
  assert.equal(expressionIsTrue("$X =~ $S", new Map([...vars, ["X", "oo"]])), true);
});

// spec/lib/gitlab/ci/pipeline/expression/lexeme/pattern/regular_expression_spec.rb (419c53ec):
// '/foo\\/bar/' (Ruby for /foo\/bar/) is valid, 'foo' is not; '/bar/' is UntrustedRegexp.new('bar').
test("regular_expression_spec #valid? and #expression", () => {
  assert.ok(fabricateRegexp("/foo/bar/"));
  assert.equal(fabricateRegexp("foo"), undefined);
  assert.equal(fabricateRegexp("/bar/")?.source, "bar");
});

// spec/lib/gitlab/untrusted_regexp/ruby_syntax_spec.rb: '.valid?', '.fabricate', '.fabricate!'
// ('fabricates regexp with a single flag' also scans 'SOMETHING' once).
const RUBY_SYNTAX: ReadonlyArray<[string, string | undefined]> = [
  ["/some .* thing/", "some .* thing"],
  ["/some ( thing/", undefined],
  ["//", ""],
  ["some .* thing", undefined],
  ["/something/i", "(?i)something"],
  ["/something/im", "(?im)something"],
  ["/something/", "something"],
];
for (const [text, source] of RUBY_SYNTAX) {
  test(`ruby_syntax_spec fabricate: ${text} → ${source === undefined ? "nil" : JSON.stringify(source)}`, () => {
    assert.equal(fabricateRegexp(text)?.source, source);
  });
}
test("ruby_syntax_spec: /something/i matches SOMETHING", () => {
  assert.equal(fabricateRegexp("/something/i")?.test("SOMETHING"), true);
});

// ---------------------------------------------------------------------------------------------
// spec/lib/gitlab/ci/pipeline/expression/lexeme/matches_spec.rb (commit 71786ddc) and
// not_matches_spec.rb (commit e97635ea), describe '#evaluate'. The spec's right values are
// UntrustedRegexp objects; here they are pattern literals (a variable holding `//` for the empty
// regexp, which no literal can write). nil is an undefined variable. Each row: the context, left,
// right, `=~`, `!~`.

const MULTILINE_MATCH = "My awesome contents\n\nMy-text-string!\n";
const MULTILINE_NO_MATCH = "My awesome contents\n\nMy-terrible-string!\n";
const MATCHES: ReadonlyArray<[string, string | null, string | null, boolean, boolean]> = [
  ["when left and right do not match", "my-string", "/something/", false, true],
  ["when left and right match", "my-awesome-string", "/awesome.string$/", true, false],
  ["when left is nil", null, "/pattern/", false, true],
  ["when right is nil", "my-awesome-string", null, false, true],
  ["when left and right are nil", null, null, false, true],
  ["when left is an empty string", "", "/pattern/", false, true],
  ["when left and right are empty strings", "", "//", true, false],
  ["when left is a multiline string and matches right", MULTILINE_MATCH, "/text-string/", true, false],
  ["when left is a multiline string and does not match right", MULTILINE_NO_MATCH, "/text-string/", false, true],
  ["when a matching pattern uses regex flags", "My AWESOME content\n", "/awesome/i", true, false],
  ["when a non-matching pattern uses regex flags", "My AWESOME content\n", "/terrible/i", false, true],
  ["when right value is a regexp string, when matching", "abcde", "/^ab.*/", true, false],
  ["when right value is a regexp string, when not matching", "dfg", "/^ab.*/", false, true],
];
for (const [context, left, right, match, notMatch] of MATCHES) {
  const vars = new Map<string, string>();
  if (left !== null) vars.set("LEFT", left);
  if (right !== null) vars.set("RIGHT", right);
  test(`matches_spec/not_matches_spec '${context}': =~ ${match}, !~ ${notMatch}`, () => {
    assert.equal(evaluate("$LEFT =~ $RIGHT", vars), match);
    assert.equal(evaluate("$LEFT !~ $RIGHT", vars), notMatch);
    // the same with the pattern written as a literal, where a literal can write it
    if (right !== null && right.length > 3) {
      assert.equal(evaluate(`$LEFT =~ ${right}`, vars), match);
      assert.equal(evaluate(`$LEFT !~ ${right}`, vars), notMatch);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// spec/lib/gitlab/ci/pipeline/expression/lexeme/equals_spec.rb (commit 0e12d5f6, with booleans),
// describe '#evaluate'. Booleans are written as literals, strings as quoted literals.

const EQUALS: ReadonlyArray<[string, boolean]> = [
  // 'when left and right are equal', 'when left and right are not equal'
  ['"string" == "string"', true],
  ['"one string" == "two string"', false],
  ['"two string" == "one string"', false],
  // 'with boolean and string comparison', 'when boolean matches string representation'
  ['true == "true"', true],
  ['"true" == true', true],
  ['false == "false"', true],
  ['"false" == false', true],
  // 'when boolean does not match string representation'
  ['true == "false"', false],
  ['"false" == true', false],
  ['false == "true"', false],
  ['"true" == false', false],
  // 'with both values as booleans'
  ["true == true", true],
  ["false == false", true],
  ["true == false", false],
  ["false == true", false],
];
for (const [expression, value] of EQUALS) {
  test(`equals_spec #evaluate: ${expression} → ${value}`, () => {
    assert.equal(evaluate(expression, NO_VARS), value);
    assert.equal(evaluate(expression.replace("==", "!="), NO_VARS), !value);
  });
}

// spec/lib/gitlab/ci/pipeline/expression/lexeme/not_equals_spec.rb (commit 0ca5c1a2), describe
// '#evaluate': values through inputs, which can hold numbers and nil too.
const NOT_EQUAL_VALUES: readonly unknown[] = ["one string", "two string", 1, 2, "", null, false, true];
function compare(op: string, left: unknown, right: unknown): ExprValue {
  return evaluate(
    `$[[ inputs.l ]] ${op} $[[ inputs.r ]]`,
    NO_VARS,
    new Map([
      ["l", left],
      ["r", right],
    ]),
  );
}
for (const [left, right] of [
  ["string", "string"],
  [1, 1],
  ["", ""],
  [null, null],
]) {
  test(`not_equals_spec 'when left and right are equal': ${JSON.stringify(left)} != ${JSON.stringify(right)}`, () => {
    assert.equal(compare("!=", left, right), false);
  });
}
for (const left of NOT_EQUAL_VALUES) {
  for (const right of NOT_EQUAL_VALUES) {
    if (left === right) continue;
    const name = `${JSON.stringify(left)} != ${JSON.stringify(right)}`;
    test(`not_equals_spec 'when left and right are not equal': ${name}`, () => {
      assert.equal(compare("!=", left, right), true);
    });
  }
}

// spec/lib/gitlab/ci/pipeline/expression/lexeme/and_spec.rb and or_spec.rb (commit 0ca5c1a2),
// describe '#evaluate': permutations of truthy and falsey values; `&&` gives the right value when
// both are truthy and the left when both are falsey, `||` the reverse.
function permutations(values: readonly unknown[]): Array<[unknown, unknown]> {
  return values.flatMap((a, i) => values.filter((_, j) => j !== i).map((b): [unknown, unknown] => [a, b]));
}
const rubyTruthyValue = (v: unknown): boolean => v !== null && v !== false;
for (const [left, right] of permutations([true, 1, "a"])) {
  test(`and_spec/or_spec 'when left and right are truthy': ${JSON.stringify(left)}, ${JSON.stringify(right)}`, () => {
    assert.equal(compare("&&", left, right), right);
    assert.equal(compare("||", left, right), left);
  });
}
for (const [left, right] of permutations([true, false, null])) {
  test(`and_spec 'when left or right is falsey': ${JSON.stringify(left)} && ${JSON.stringify(right)}`, () => {
    assert.equal(rubyTruthyValue(compare("&&", left, right)), false);
  });
}
for (const [left, right] of permutations([true, false, "a"])) {
  test(`or_spec 'when left or right is truthy': ${JSON.stringify(left)} || ${JSON.stringify(right)}`, () => {
    assert.equal(rubyTruthyValue(compare("||", left, right)), true);
  });
}
for (const [left, right] of permutations([false, null])) {
  test(`and_spec/or_spec 'when left and right are falsey': ${JSON.stringify(left)}, ${JSON.stringify(right)}`, () => {
    assert.equal(compare("&&", left, right), left);
    assert.equal(compare("||", left, right), right);
  });
}

// ---------------------------------------------------------------------------------------------
// spec/lib/gitlab/ci/pipeline/expression/lexeme/string_spec.rb (commit 31522c51), describe '.scan'.

const STRING_SCAN: ReadonlyArray<[string, string, string]> = [
  ["when using double quotes", '"some string"', "some string"],
  ["when using single quotes", "'some string 2'", "some string 2"],
  ["is a greedy scanner for double quotes", '"some string" "and another one"', "some string"],
  ["is a greedy scanner for single quotes", "'some string' 'and another one'", "some string"],
  ["allows to use single quotes inside double quotes", `"some ' string"`, "some ' string"],
  ["allow to use double quotes inside single quotes", `'some " string'`, 'some " string'],
  ["allows to use an empty string inside single quotes", "''", ""],
  ["allow to use an empty string inside double quotes", '""', ""],
];
for (const [example, text, value] of STRING_SCAN) {
  test(`string_spec .scan '${example}'`, () => {
    const lexed = lexExpression(text);
    assert.ok(lexed.ok);
    assert.equal(lexed.tokens[0].kind, "string");
    const first = parse(lexed.tokens[0].text);
    assert.equal(first.kind === "string" && first.value, value);
  });
}

// spec/lib/gitlab/ci/pipeline/expression/lexeme/variable_spec.rb (commit be93ac23), '#evaluate'.
test("variable_spec #evaluate: defined, undefined and empty variables", () => {
  assert.equal(evaluate("$VARIABLE", new Map([["VARIABLE", "my variable"]])), "my variable");
  assert.equal(evaluate("$VARIABLE", new Map([["OTHER", "variable"]])), null);
  assert.equal(evaluate("$VARIABLE", new Map([["VARIABLE", ""]])), "");
});

// spec/lib/gitlab/ci/pipeline/expression/lexeme/null_spec.rb: null always evaluates to nil.
test("null_spec #evaluate: null is nil", () => {
  assert.equal(evaluate("null", NO_VARS), null);
});

// spec/lib/gitlab/ci/pipeline/expression/lexeme/boolean_spec.rb (commit 0e12d5f6): '.build',
// '#evaluate', '#inspect'.
test("boolean_spec: true and false build, evaluate and inspect as booleans", () => {
  assert.equal(evaluate("true", NO_VARS), true);
  assert.equal(evaluate("false", NO_VARS), false);
  assert.equal(inspect(parse("true")), "true");
  assert.equal(inspect(parse("false")), "false");
});

// spec/lib/gitlab/ci/pipeline/expression/lexeme/input_spec.rb (commit 0286e4c6): '.build' (spaces
// in the brackets) and '#evaluate' (a defined input, an undefined one, no inputs at all).
test("input_spec: names with spaces in the brackets, and undefined inputs are nil", () => {
  assert.deepEqual(expressionInputs(parse("$[[ inputs.environment ]]")), ["environment"]);
  assert.deepEqual(expressionInputs(parse("$[[  inputs.environment  ]]")), ["environment"]);
  assert.equal(evaluate("$[[ inputs.environment ]]", NO_VARS, new Map([["environment", "production"]])), "production");
  assert.equal(evaluate("$[[ inputs.environment ]]", NO_VARS, new Map([["region", "us-west"]])), null);
  assert.equal(evaluate("$[[ inputs.environment ]]", NO_VARS), null);
});

// ---------------------------------------------------------------------------------------------
// spec/lib/gitlab/ci/config/entry/rules/rule_spec.rb (and entry/policy_spec.rb, the same cases for
// only/except:variables): what config validation (Statement#valid?) accepts. Users see
// INVALID_EXPRESSION_SYNTAX (lib/gitlab/config/entry/validators.rb, ExpressionValidator).

const VALIDITY: ReadonlyArray<[string, string, [string, number] | undefined]> = [
  ["when specifying an if: clause", "$THIS || $THAT", undefined],
  ["when specifying valid variables expressions policy", "$VAR == null", undefined],
  ["when specifying an invalid if: clause expression", "$MY_VAR ==", ["Invalid left operand", 8]],
  ["when specifying an if: clause expression with an invalid token", "$MY_VAR == 123", ["Unknown lexeme found!", 11]],
  ["when using invalid regex in an if: clause", "$MY_VAR =~ /some ( thing/", ["Invalid regular expression!", 11]],
  ["with lookahead regex character", "$CI_COMMIT_REF =~ /^(?!master).+/", ["Invalid regular expression!", 18]],
];
for (const [context, expression, error] of VALIDITY) {
  test(`rule_spec '${context}': ${expression}`, () => {
    const found = validateExpression(expression);
    assert.deepEqual(found && [found.message, found.offset], error);
  });
}
test("validators.rb: the message users see", () => {
  assert.equal(INVALID_EXPRESSION_SYNTAX, "invalid expression syntax");
});

// spec/lib/gitlab/ci/build/policy/variables_spec.rb: '$UNDEFINED' is not satisfied, '$UNDEFINED ==
// null' is; an overridden empty variable is not.
test("policy/variables_spec: undefined and empty variables", () => {
  assert.equal(expressionIsTrue("$UNDEFINED", NO_VARS), false);
  assert.equal(expressionIsTrue("$UNDEFINED == null", NO_VARS), true);
  assert.equal(expressionIsTrue("$CI_PROJECT_NAME", new Map([["CI_PROJECT_NAME", ""]])), false);
});

// ---------------------------------------------------------------------------------------------
// GitLab's docs, doc/ci/jobs/job_rules.md: "Compare a variable to a regular expression" (`/./` is
// an invalid expression syntax error; anchors), "Store a regular expression in a variable" (its
// examples; variables inside a pattern are not resolved) and Troubleshooting, "Unexpected behavior
// from regular expression matching with `=~`" (a right side that is no pattern is a substring
// test with the sides swapped).

test('job_rules.md troubleshooting: "23" =~ "1234" is true, "23" =~ /1234/ is false', () => {
  assert.equal(evaluate('"23" =~ "1234"', NO_VARS), true);
  assert.equal(evaluate('"23" =~ /1234/', NO_VARS), false);
});
test("job_rules.md: /./ is invalid expression syntax", () => {
  assert.deepEqual(syntaxError("$V =~ /./"), ["Unknown lexeme found!", 6]);
  assert.ok(validateExpression("$V =~ /./"));
});
test("job_rules.md: /^issue-.*$/ is /^issue-/, and /issue/ also matches severe-issues", () => {
  for (const branch of ["issue-1", "severe-issues"]) {
    const vars: Vars = new Map([["B", branch]]);
    assert.equal(evaluate("$B =~ /^issue-.*$/", vars), evaluate("$B =~ /^issue-/", vars));
  }
  assert.equal(evaluate("$B =~ /issue/", new Map([["B", "severe-issues"]])), true);
});
test("job_rules.md: a regular expression stored in a variable", () => {
  const vars = (teststring: string): Vars =>
    new Map([
      ["pattern", "/^ab.*/"],
      ["teststring", teststring],
    ]);
  assert.equal(expressionIsTrue("$teststring =~ $pattern", vars("abcde")), true);
  assert.equal(expressionIsTrue("$teststring =~ $pattern", vars("fghij")), false);
});
test("job_rules.md: variables inside a pattern are not resolved", () => {
  const vars = (job: string): Vars =>
    new Map([
      ["string1", "regex-job1"],
      ["string2", "regex-job2"],
      ["pattern", "/$string2/"],
      ["CI_JOB_NAME", job],
    ]);
  assert.equal(expressionIsTrue("$CI_JOB_NAME =~ /$string1/", vars("regex-job1")), false);
  assert.equal(expressionIsTrue("$CI_JOB_NAME =~ $pattern", vars("regex-job2")), false);
  assert.equal(expressionIsTrue(String.raw`$CI_JOB_NAME =~ /\$string1/`, vars("a$string1")), true);
});

// ---------------------------------------------------------------------------------------------
// (inferred) Cases no spec states, read from the lexeme sources of lib/gitlab/ci/pipeline/expression/.

// lexer.rb's order and each lexeme's pattern: `null` has no word boundary, `true`/`false` have one
// (lexeme/boolean.rb), `${VAR}`, `!`, `=`, bare words and numbers are no lexemes.
const INFERRED_ERRORS: ReadonlyArray<[string, [string, number]]> = [
  ["${VAR}", ["Unknown lexeme found!", 0]],
  ["! $VAR", ["Unknown lexeme found!", 0]],
  ["$A = $B", ["Unknown lexeme found!", 3]],
  ["$A =! $B", ["Unknown lexeme found!", 3]],
  ["trueish", ["Unknown lexeme found!", 0]],
  ["true_", ["Unknown lexeme found!", 0]],
  ["nullx", ["Unknown lexeme found!", 4]],
  ["nullnull", ["Unreachable nodes in parse tree", 4]],
  ["()", ["Empty parse tree", 0]],
  ['"unclosed', ["Unknown lexeme found!", 0]],
  ['"two\nlines"', ["Unknown lexeme found!", 0]],
  ["$V =~ /a/", ["Unknown lexeme found!", 6]],
  ["$V =~ //", ["Unknown lexeme found!", 6]],
  ["$V =~ /ab/g", ["Unknown lexeme found!", 10]],
  [String.raw`$V =~ /ab\/`, ["Unknown lexeme found!", 6]],
  ["$V =~ /ab\ncd/", ["Invalid regular expression!", 6]],
  ["$V =~ /(a)\\1/", ["Invalid regular expression!", 6]],
  ["$V\u00a0== $W", ["Unknown lexeme found!", 2]],
  ["   ", ["empty expression", 0]],
  ['/ab/ "x"', ["Unreachable nodes in parse tree", 5]],
  ['/((/ "x"', ["Invalid regular expression!", 0]],
];
for (const [expression, error] of INFERRED_ERRORS) {
  test(`(inferred) syntax: ${JSON.stringify(expression)} → ${error[0]} at ${error[1]}`, () => {
    assert.deepEqual(syntaxError(expression), error);
  });
}

// lexeme/pattern.rb's token pattern `^\/([^\/]|\\/)+[^\\]\/[ismU]*` under backtracking: a second
// slash right after a closing one joins the token, and its body then runs to the last slash
// (ruby_syntax.rb's greedy `.*`).
test("(inferred) pattern tokens: the shortest closing slash, two characters at least", () => {
  assert.deepEqual(tokenTexts("$V =~ /ab//"), ["$V", "=~", "/ab//"]);
  assert.equal(literalSource("/ab//"), "ab/");
  assert.deepEqual(tokenTexts("/a//"), ["/a//"]);
  assert.deepEqual(tokenTexts(String.raw`/a\/b/ /c\/d/`), [String.raw`/a\/b/`, String.raw`/c\/d/`]);
  assert.deepEqual(tokenTexts("/ab/i/cd/"), ["/ab/i", "/cd/"]);
  assert.deepEqual(tokenTexts("/ab/Usmi"), ["/ab/Usmi"]);
});

// The flags reach RE2 as written (ruby_syntax.rb `(?flags)`): `m` is RE2's multi-line, `s` lets
// `.` match a newline, `U` makes quantifiers lazy; without flags `^`/`$` are the text's ends.
test("(inferred) pattern flags are RE2's", () => {
  const vars: Vars = new Map([["MSG", "first line\nsecond line"]]);
  assert.equal(evaluate("$MSG =~ /^second/", vars), false);
  assert.equal(evaluate("$MSG =~ /^second/m", vars), true);
  assert.equal(evaluate("$MSG =~ /line$/", vars), true);
  assert.equal(evaluate("$MSG =~ /first line$/", vars), false);
  assert.equal(evaluate("$MSG =~ /first line$/m", vars), true);
  assert.equal(evaluate("$MSG =~ /line.second/", vars), false);
  assert.equal(evaluate("$MSG =~ /line.second/m", vars), false);
  assert.equal(evaluate("$MSG =~ /line.second/s", vars), true);
  assert.equal(evaluate("$MSG =~ /FIRST/", vars), false);
  assert.equal(evaluate("$MSG =~ /FIRST/i", vars), true);
  assert.equal(literalSource("/a+/U"), "(?U)a+");
});

// lexeme/matches.rb with Pattern.build_and_evaluate: a right-hand string becomes a pattern when it
// reads as one; one RE2 refuses, or one with other flags, stays a string (substring test, sides
// swapped, the string as written); the shape may be any line of the value (ruby_syntax.rb's `^…$`
// are line anchors); `/a/`, too short for a literal, is a pattern in a variable.
test("(inferred) a variable on the right of =~ as a pattern or as a string", () => {
  const vars: Vars = new Map([
    ["BAD", "/(/"],
    ["FLAGGED", "/AB/i"],
    ["OTHERFLAG", "/ab/g"],
    ["SHORT", "/a/"],
    ["SECOND_LINE", "not a pattern\n/^ab/"],
    ["QUOTED", "x/ab/y"],
  ]);
  assert.equal(evaluate('"(" =~ $BAD', vars), true);
  assert.equal(evaluate('"x(" =~ $BAD', vars), false);
  assert.equal(evaluate('"abc" =~ $FLAGGED', vars), true);
  assert.equal(evaluate('"abc" =~ $OTHERFLAG', vars), false);
  assert.equal(evaluate('"ab/" =~ $OTHERFLAG', vars), true);
  assert.equal(evaluate('"cat" =~ $SHORT', vars), true);
  assert.equal(evaluate('"abc" =~ $SECOND_LINE', vars), true);
  assert.equal(evaluate('"ab" =~ $QUOTED', vars), true);
  assert.equal(evaluate('"abc" =~ "/^ab/"', vars), true);
  // nil on the left is "": contained in every string, matched by every pattern matching ""
  assert.equal(evaluate('$UNDEFINED =~ "abc"', vars), true);
  assert.equal(evaluate("$UNDEFINED =~ /x*y*/", vars), true);
  // false on the right: `=~` false, `!~` true (matches.rb / not_matches.rb `unless regexp`)
  assert.equal(evaluate('"a" =~ false', vars), false);
  assert.equal(evaluate('"a" !~ false', vars), true);
  // the left side is `to_s`: true is "true"
  assert.equal(evaluate("true =~ /^tr/", vars), true);
});

// ActiveSupport's `present?` at the top (statement.rb) versus Ruby truthiness inside `&&`/`||`.
test("(inferred) present? at the top, Ruby truthiness inside", () => {
  const vars: Vars = new Map([
    ["SPACES", " \t\n"],
    ["NBSP", "\u00a0\u3000"],
    ["ZWSP", "\u200b"],
    ["EMPTY", ""],
    ["X", "x"],
  ]);
  assert.equal(expressionIsTrue("$SPACES", vars), false);
  assert.equal(expressionIsTrue("$NBSP", vars), false);
  assert.equal(expressionIsTrue("$ZWSP", vars), true);
  assert.equal(expressionIsTrue("$EMPTY || $X", vars), false);
  assert.equal(expressionIsTrue("$EMPTY && $X", vars), true);
  assert.equal(expressionIsTrue("$SPACES && $X", vars), true);
  assert.equal(expressionIsTrue("/ab/", vars), true);
  assert.equal(expressionIsTrue("true", vars), true);
  assert.equal(expressionIsTrue("false || null", vars), false);
  assert.equal(expressionIsTrue("$A", NO_VARS, new Map()), false);
  const inputs = new Map<string, unknown>([
    ["none", []],
    ["some", ["a"]],
    ["zero", 0],
  ]);
  assert.equal(expressionIsTrue("$[[ inputs.none ]]", NO_VARS, inputs), false);
  assert.equal(expressionIsTrue("$[[ inputs.some ]]", NO_VARS, inputs), true);
  assert.equal(expressionIsTrue("$[[ inputs.zero ]]", NO_VARS, inputs), true);
  assert.equal(expressionIsTrue(`$[[ inputs.some ]] =~ 'x["a"]y'`, NO_VARS, inputs), true);
});

// Ruby's `==` beyond GitLab's coercion: a pattern compares by source with a pattern, and with
// anything else GitLab's Ruby fails (UntrustedRegexp#== calls `source` on it); `=~` with true or
// a number on its right fails too (Pattern.new calls `gsub` on it). No caller rescues that.
test("(inferred) evaluations GitLab fails with an internal error", () => {
  assert.equal(evaluate("/ab/i == /ab/i", NO_VARS), true);
  assert.equal(evaluate("/ab/ == /ab/i", NO_VARS), false);
  assert.equal(evaluate('"ab" == /ab/', NO_VARS), false);
  const failed = evaluateExpression(parse('$X && /ab/ == "ab"'), new Map([["X", "1"]]));
  assert.equal(failed.value, null);
  assert.equal(failed.truthy, false);
  assert.equal(failed.error?.offset, 11);
  assert.equal(expressionIsTrue('"a" =~ true', NO_VARS), false);
  assert.ok(validateExpression('"a" =~ true'));
  assert.equal(validateExpression('"a" =~ false'), undefined);
  // evaluated with no variables, the left side is nil and `&&` never reaches the comparison
  assert.equal(validateExpression('$X && /ab/ == "ab"'), undefined);
});

// What hover needs: the variables read, in order, each once, and those a short-circuit skips unread.
test("(inferred) reads follow Ruby's short-circuit", () => {
  const tree = parse('$A == "1" || $B && $C =~ $A || $D');
  assert.deepEqual(expressionVariables(tree), ["A", "B", "C", "D"]);
  const vars: Vars = new Map([
    ["A", "1"],
    ["B", "x"],
  ]);
  assert.deepEqual(evaluateExpression(tree, vars).reads, ["A"]);
  assert.deepEqual(evaluateExpression(tree, new Map([["B", "x"]])).reads, ["A", "B", "C", "D"]);
  assert.deepEqual(evaluateExpression(parse("$[[ inputs.a ]] || $B"), NO_VARS).inputReads, ["a"]);
});

test("(inferred) node spans and formatted values", () => {
  const tree = parse('($A == "x") || /b+/i');
  assert.equal(tree.kind === "binary" && tree.opOffset, 12);
  assert.deepEqual([tree.offset, tree.end], [1, 20]);
  assert.equal(formatValue(evaluate("/b+/i", NO_VARS)), "/(?i)b+/");
  assert.equal(formatValue(null), "nil");
  assert.equal(formatValue('say "hi"'), '"say \\"hi\\""');
});

// ---------------------------------------------------------------------------------------------
// Every pattern runs on RE2 (Gitlab::UntrustedRegexp): patterns that make a backtracking engine run
// for ever, on 10 KB texts, answer at once. No timing is asserted; the test finishing is the check.

test("adversarial patterns run in linear time", () => {
  const text = "a".repeat(10_000);
  const vars: Vars = new Map([
    ["TEXT", text],
    ["TEXT_B", `${text}b`],
    ["NESTED", "/^(a+)+$/"],
  ]);
  // a 10 KB pattern literal: (a?){n}a{n}, exponential for backtracking
  const body = "a?".repeat(3500) + "a".repeat(3500);
  const literal = `$TEXT =~ /^${body}$/`;
  assert.ok(literal.length > 10_000);
  assert.equal(expressionIsTrue(literal, vars), false);
  assert.equal(expressionIsTrue("$TEXT_B =~ $NESTED", vars), false);
  assert.equal(expressionIsTrue("$TEXT_B !~ /^(a|aa)+$/", vars), true);
  // a 10 KB string literal and a long run of escaped slashes lex in one pass
  assert.equal(expressionIsTrue(`"${text}" == $TEXT`, vars), true);
  const slashes = String.raw`\/`.repeat(5_000);
  assert.equal(expressionIsTrue(`"${"/".repeat(5_000)}" =~ /^${slashes}$/`, vars), true);
});
