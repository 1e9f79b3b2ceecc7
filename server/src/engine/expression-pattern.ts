import { RE2JS } from "re2js";

// The `/pattern/flags` values of GitLab's expression language (expression.ts), built the way
// GitLab builds them, so that a pattern matches here exactly when it matches on GitLab:
// lib/gitlab/ci/pipeline/expression/lexeme/pattern.rb turns every `\/` into `/`, then
// lib/gitlab/untrusted_regexp/ruby_syntax.rb splits `/body/flags`, puts the flags in front of the
// body as `(?flags)` and compiles it with RE2 (Gitlab::UntrustedRegexp, multiline: false).
// Every pattern therefore runs on RE2's automaton here too (re2js), in time linear in the text;
// no user-written pattern ever reaches JavaScript's backtracking RegExp.

/**
 * The flags GitLab accepts after the closing slash, `[ismU]` in both pattern.rb and
 * ruby_syntax.rb. They go to RE2 as written, so they mean what they mean to RE2, not to Ruby:
 * `i` ignores case, `m` lets `^`/`$` match at line breaks, `s` lets `.` match a newline, `U`
 * swaps greedy and lazy quantifiers. (Ruby's own `m` is RE2's `s`; GitLab does not translate.)
 */
const FLAGS = "ismU";

/** A compiled pattern: the value of a `/…/` literal, or of a variable whose text reads as one. */
export class RegexpValue {
  readonly kind = "regexp";

  /**
   * @param source what RE2 compiled: the body with `(?flags)` in front, as GitLab builds it. Two
   *   patterns are `==` in GitLab when their sources are (Gitlab::UntrustedRegexp#==).
   */
  constructor(
    readonly source: string,
    private readonly re: RE2JS,
  ) {}

  /** Whether the pattern matches anywhere in the text (GitLab: `scan(text).present?`, unanchored). */
  test(text: string): boolean {
    return this.re.matcher(text).find();
  }
}

/**
 * The regexp a Ruby-syntax text `/body/flags` stands for, or undefined when the text has not that
 * shape or RE2 cannot compile the body (GitLab: RubySyntax.fabricate! raising RegexpError).
 */
export function fabricateRegexp(text: string): RegexpValue | undefined {
  // compiling is the costly part of matching, and a config repeats its patterns across many jobs
  if (compiled.has(text)) return compiled.get(text);
  if (compiled.size >= MAX_COMPILED) compiled.clear();
  const value = fabricate(text);
  compiled.set(text, value);
  return value;
}

/** Patterns compiled so far (RegexpValue is immutable), at most this many before starting afresh. */
const MAX_COMPILED = 10_000;
const compiled = new Map<string, RegexpValue | undefined>();

function fabricate(text: string): RegexpValue | undefined {
  const parts = rubySyntaxParts(text);
  if (!parts) return undefined;
  // ruby_syntax.rb prepends the flags only when there are some
  const source = parts.flags ? `(?${parts.flags})${parts.body}` : parts.body;
  try {
    return new RegexpValue(source, RE2JS.compile(source));
  } catch {
    return undefined;
  }
}

/**
 * The regexp of a pattern's text as a `/…/` literal or a variable holds it: `\/` is an escaped
 * slash and becomes `/` before anything else (pattern.rb, `gsub(%r{\\/}, '/')`).
 */
export function patternRegexp(text: string): RegexpValue | undefined {
  return fabricateRegexp(text.split("\\/").join("/"));
}

/**
 * Body and flags of `/body/flags`, read as Ruby reads RubySyntax::PATTERN, `^/(.*)/([ismU]*)$`:
 * in Ruby `^` and `$` are line anchors and `.` stops at a newline, so the shape may be any one
 * line of the text (the first that has it); the body runs to the line's last slash.
 */
function rubySyntaxParts(text: string): { body: string; flags: string } | undefined {
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    const slash = line.lastIndexOf("/");
    if (line.startsWith("/") && slash > 0 && isFlags(line.slice(slash + 1))) {
      return { body: line.slice(1, slash), flags: line.slice(slash + 1) };
    }
    start = end + 1;
  }
  return undefined;
}

function isFlags(text: string): boolean {
  for (const c of text) if (!FLAGS.includes(c)) return false;
  return true;
}

/**
 * The lexer's pattern token, Lexeme::Pattern::PATTERN `^\/([^\/]|\\/)+[^\\]\/[ismU]*` as is. It
 * runs on RE2, whose leftmost-first matching picks the same end Ruby's backtracking does: the
 * token ends at the first slash that can close it (`/some .* / pattern/` stops after `.* /`), a
 * body needs two characters (`//` and `/a/` are no patterns), a body cannot end with a
 * backslash, and `[^\/]` crosses newlines.
 */
const PATTERN_TOKEN = RE2JS.compile("/(?:[^/]|\\\\/)+[^\\\\]/[ismU]*");

/** Length of the pattern token at `pos`, or 0 when none starts there. */
export function scanPatternToken(text: string, pos: number): number {
  if (text.charCodeAt(pos) !== 0x2f) return 0;
  const m = PATTERN_TOKEN.matcher(text.slice(pos));
  return m.lookingAt() ? m.end() : 0;
}
