import { RegexpValue } from "./expression-pattern";
import { rubyInspect } from "./values";

// The values GitLab's expression language computes with, and the Ruby behaviour of each that the
// evaluation (expression.ts) relies on: a variable is a String or nil, a literal also true/false or
// a regexp, and an input (`$[[ inputs.x ]]`) may also be a number or an array. Ruby's truthiness,
// ActiveSupport's `present?`, `to_s` and `inspect` are reproduced for exactly these.

/** An input's value that is not a scalar (an array input), kept as given. */
export interface ExprOtherValue {
  readonly kind: "other";
  readonly value: unknown;
}

/** A Ruby value as GitLab's evaluation sees it: String, nil, true/false, an input's number or array, a regexp. */
export type ExprValue = string | boolean | number | null | RegexpValue | ExprOtherValue;

/** Ruby truthiness, the one `&&` and `||` use: only nil and false are false ("" is true). */
export function rubyTruthy(value: ExprValue): boolean {
  return value !== null && value !== false;
}

/**
 * ActiveSupport's `present?`, which decides whether the rule matches (Statement#truthful?): nil,
 * false, a string of only whitespace (Unicode's, `[[:space:]]`) and an empty array are blank.
 */
export function isPresent(value: ExprValue): boolean {
  if (value === null || value === false) return false;
  if (typeof value === "string") return !isBlankString(value);
  if (isOther(value)) {
    const v = value.value;
    if (Array.isArray(v)) return v.length > 0;
    if (v !== null && typeof v === "object") return Object.keys(v).length > 0;
  }
  return true;
}

/** Unicode White_Space, what Ruby's `[[:space:]]` matches in a UTF-8 string (ActiveSupport's BLANK_RE). */
function isBlankString(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const space =
      (c >= 0x09 && c <= 0x0d) ||
      c === 0x20 ||
      c === 0x85 ||
      c === 0xa0 ||
      c === 0x1680 ||
      (c >= 0x2000 && c <= 0x200a) ||
      c === 0x2028 ||
      c === 0x2029 ||
      c === 0x202f ||
      c === 0x205f ||
      c === 0x3000;
    if (!space) return false;
  }
  return true;
}

export function isOther(value: ExprValue): value is ExprOtherValue {
  return typeof value === "object" && value !== null && !(value instanceof RegexpValue);
}

/** An input's value as the expression sees it; a missing input is nil. */
export function inputValue(value: unknown): ExprValue {
  if (value === undefined || value === null) return null;
  if (typeof value === "string" || typeof value === "boolean" || typeof value === "number") return value;
  return { kind: "other", value };
}

/** Ruby's `to_s`, what the left side of `=~` becomes. */
export function rubyToS(value: ExprValue): string {
  if (value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "boolean" || typeof value === "number") return String(value);
  // Object#to_s also prints the object's address, which cannot be known
  if (value instanceof RegexpValue) return "#<Gitlab::UntrustedRegexp>";
  return rubyInspect(value.value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  const ka = Object.keys(a);
  const rb = b as Record<string, unknown>;
  return (
    ka.length === Object.keys(rb).length &&
    ka.every((k) => k in rb && deepEqual((a as Record<string, unknown>)[k], rb[k]))
  );
}

export function describeKind(value: ExprValue): string {
  if (value === null) return "nil";
  if (typeof value === "boolean") return String(value);
  if (typeof value === "string") return "a string";
  if (typeof value === "number") return "a number";
  if (value instanceof RegexpValue) return "a pattern";
  return "an array";
}

/** A value the way Ruby's `inspect` shows it, for hovers: `"text"`, `nil`, `true`, `/source/`. */
export function formatValue(value: ExprValue): string {
  if (value instanceof RegexpValue) return `/${value.source}/`;
  if (isOther(value)) return rubyInspect(value.value);
  if (typeof value === "string") return JSON.stringify(value);
  return value === null ? "nil" : String(value);
}
