import { untrustedRegexp } from "./untrusted-regexp";
import type { Code } from "./codes";
import type { CEntry, CMap, CValue, Diagnostic, Src } from "./types";
import { get, mapOf, scalar, seqOf, str, withVia } from "./values";

// `spec:inputs` declarations and `$[[ inputs.x ]]` interpolation, following GitLab's
// Ci::Config::Interpolation: values are checked against the header, then every string of
// the content document (keys included) is interpolated. A block that is the whole string
// keeps the input's type; inside a longer string it is spliced in as text.

export type InputType = "string" | "number" | "boolean" | "array";

export interface InputSpec {
  readonly name: string;
  readonly type: InputType;
  readonly default?: CValue;
  readonly options?: readonly CValue[];
  readonly regex?: string;
  readonly description?: string;
  readonly src: Src;
}

export type Report = (src: Src, code: Code, message: string, severity?: Diagnostic["severity"]) => void;

const TYPES: readonly InputType[] = ["array", "boolean", "number", "string"];

/** Reads `spec:inputs` of a header document. */
export function readInputSpecs(header: CMap | undefined, report: Report): Map<string, InputSpec> {
  const specs = new Map<string, InputSpec>();
  const inputs = get(get(header, "spec"), "inputs");
  if (!inputs || inputs.kind !== "map") return specs;
  for (const [name, e] of inputs.entries) {
    const v = e.value;
    const type = v.kind === "map" ? (str(get(v, "type")) ?? "string") : "string";
    if (!TYPES.includes(type as InputType)) {
      report(
        get(v, "type")?.src ?? e.keySrc,
        "input-spec-invalid",
        `unknown input specification for \`${name}\` (valid types: array, boolean, number, string)`,
      );
      continue;
    }
    const def = v.kind === "map" && v.entries.has("default") ? get(v, "default") : undefined;
    const options = get(v, "options");
    specs.set(name, {
      name,
      type: type as InputType,
      default: def,
      options: options?.kind === "seq" ? options.items : undefined,
      regex: str(get(v, "regex")),
      description: str(get(v, "description")),
      src: e.keySrc,
    });
  }
  return specs;
}

/** What a `spec:` header and each of its inputs may have (config/header/spec.rb, input.rb, entry/base_input.rb). */
const SPEC_KEYS = ["inputs", "include", "component", "description"];
const INPUT_KEYS = ["default", "description", "options", "regex", "type", "rules"];

/**
 * Whether a header has keys GitLab does not know: then its Interpolator reports the header's errors (which
 * the schema check words as GitLab does) and reads no inputs (lib/gitlab/ci/config/interpolation/interpolator.rb).
 */
export function headerHasUnknownKeys(header: CMap | undefined): boolean {
  const spec = get(header, "spec");
  if (spec?.kind !== "map") return false;
  if ([...spec.entries.keys()].some((k) => !SPEC_KEYS.includes(k))) return true;
  const inputs = get(spec, "inputs");
  if (inputs?.kind !== "map") return false;
  return [...inputs.entries.values()].some(
    (e) => e.value.kind === "map" && [...e.value.entries.keys()].some((k) => !INPUT_KEYS.includes(k)),
  );
}

function typeMatches(type: InputType, v: CValue): boolean {
  switch (type) {
    case "array":
      return v.kind === "seq";
    case "boolean":
      return v.kind === "scalar" && typeof v.value === "boolean";
    case "number":
      return v.kind === "scalar" && typeof v.value === "number";
    case "string":
      return v.kind === "scalar" && typeof v.value === "string";
  }
}

function checkValue(
  spec: InputSpec,
  v: CValue,
  what: "provided value" | "default value",
  prefix: string,
  report: Report,
): boolean {
  if (!typeMatches(spec.type, v)) {
    report(
      v.src,
      "input-type",
      `${prefix}\`${spec.name}\` input: ${what} is not a${spec.type === "array" ? "n" : ""} ${spec.type}`,
    );
    return false;
  }
  if (spec.options && v.kind === "scalar") {
    if (!spec.options.some((o) => o.kind === "scalar" && o.value === v.value)) {
      report(
        v.src,
        "input-option",
        `${prefix}\`${spec.name}\` input: \`${String(v.value)}\` cannot be used ` +
          `because it is not in the list of allowed options`,
      );
      return false;
    }
  }
  if (spec.regex !== undefined && v.kind === "scalar" && typeof v.value === "string") {
    const matches = untrustedRegexp(spec.regex);
    if (!matches) {
      report(spec.src, "input-regex", `${prefix}\`${spec.name}\` input: invalid regular expression`);
      return false;
    }
    if (!matches(v.value)) {
      report(v.src, "input-regex", `${prefix}\`${spec.name}\` input: ${what} does not match required RegEx pattern`);
      return false;
    }
  }
  return true;
}

/**
 * The value of each input for one inclusion of a file. `given` is the include's `inputs:`
 * map (undefined for the root file, whose values come when the pipeline runs).
 * Returns undefined for an input that has no value we can know.
 */
export function resolveInputValues(
  specs: ReadonlyMap<string, InputSpec>,
  given: CMap | undefined,
  givenAt: Src,
  location: string,
  isRoot: boolean,
  report: Report,
): Map<string, CValue | undefined> {
  const prefix = location ? `\`${location}\`: ` : "";
  const values = new Map<string, CValue | undefined>();
  if (given) {
    const unknown = [...given.entries.keys()].filter((k) => !specs.has(k));
    if (specs.size === 0 && given.entries.size > 0) {
      report(
        givenAt,
        "input-unexpected",
        `${prefix}Given inputs not defined in the \`spec\` section of the included configuration file`,
      );
      return values;
    }
    if (unknown.length)
      report(
        given.entries.get(unknown[0])!.keySrc,
        "input-unknown",
        `${prefix}unknown input arguments: ${unknown.join(", ")}`,
      );
  }
  for (const spec of specs.values()) {
    if (spec.default !== undefined) checkValue(spec, spec.default, "default value", prefix, report);
    const provided = given?.entries.get(spec.name)?.value;
    if (provided !== undefined) {
      values.set(spec.name, checkValue(spec, provided, "provided value", prefix, report) ? provided : undefined);
    } else if (spec.default !== undefined) {
      values.set(spec.name, spec.default);
    } else if (isRoot) {
      values.set(spec.name, undefined); // a pipeline input: given when the pipeline is run
    } else {
      report(givenAt, "input-required", `${prefix}\`${spec.name}\` input: required value has not been provided`);
      values.set(spec.name, undefined);
    }
  }
  return values;
}

/** An interpolation block `$[[ ... ]]`: where it is, its whole text, and what is inside (trimmed). */
interface Block {
  readonly index: number;
  readonly text: string;
  readonly inner: string;
}

/**
 * The blocks of a string, exactly as GitLab's /\$\[\[\s*(\S.*?\S)\s*\]\]/g finds them (what is inside is
 * on one line and has two characters at least; the spaces around it may span lines), in one pass:
 * where a block cannot close on its line, no later block of that line can, so `$[[` written 150,000
 * times costs one scan, not one scan each.
 */
export function blocksOf(text: string): Block[] {
  const out: Block[] = [];
  const space = (i: number) => /\s/.test(text[i]);
  for (let at = text.indexOf("$[["); at >= 0;) {
    let start = at + 3;
    while (start < text.length && space(start)) start++;
    const newline = text.indexOf("\n", start);
    const lineEnd = newline < 0 ? text.length : newline;
    // the lazy match ends at the last non-space before the first `]]` that leaves two characters inside
    let close = text.indexOf("]]", start + 1);
    let last = -1;
    while (close >= 0) {
      last = close - 1;
      while (last > start && space(last)) last--;
      if (last > start) break;
      close = text.indexOf("]]", close + 1);
    }
    if (close < 0) break; // no `]]` ahead: no block can close
    if (last >= lineEnd) {
      at = text.indexOf("$[[", lineEnd);
      continue;
    }
    out.push({ index: at, text: text.slice(at, close + 2), inner: text.slice(start, last + 1) });
    at = text.indexOf("$[[", close + 2);
  }
  return out;
}

/** Ruby's to_s of an interpolated value, as spliced into a longer string. */
function spliceText(v: CValue): string {
  if (v.kind === "scalar") return v.value === null ? "" : String(v.value);
  return JSON.stringify(toPlain(v))
    .replace(/","/g, '", "')
    .replace(/,(?=[[{"\d])/g, ", ");
}

function toPlain(v: CValue): unknown {
  if (v.kind === "scalar") return v.value;
  if (v.kind === "seq") return v.items.map(toPlain);
  if (v.kind === "map") return Object.fromEntries([...v.entries].map(([k, e]) => [k, toPlain(e.value)]));
  return null;
}

/** Ruby's String#strip: ASCII whitespace, and NULs at the end. */
function rubyStrip(s: string): string {
  return s.replace(/^[\t\n\v\f\r ]+/, "").replace(/[\0\t\n\v\f\r ]+$/, "");
}

type Applied = { readonly value: CValue } | { readonly error: string };

/** Only a string may be given to a function (each of GitLab's functions/*.rb checks `is_a?(String)`). */
function onString(name: string, value: CValue, f: (text: string) => Applied): Applied {
  if (value.kind === "scalar" && typeof value.value === "string") return f(value.value);
  return { error: `error in \`${name}\` function: invalid input type: ${name} can only be used with string inputs` };
}

/**
 * GitLab's interpolation functions, in the order its FunctionsStack tries them: an expression is the first
 * whose pattern it matches (lib/gitlab/ci/config/interpolation/functions_stack.rb, functions/*.rb).
 */
const FUNCTIONS: ReadonlyArray<{
  readonly name: string;
  readonly pattern: RegExp;
  readonly apply: (value: CValue, args: RegExpExecArray) => Applied;
}> = [
  {
    // functions/truncate.rb: the closing parenthesis is optional there too; Ruby's str[offset, length]
    name: "truncate",
    pattern: /^truncate\(\s*(\d+)\s*,\s*(\d+)\s*\)?$/,
    apply: (value, m) =>
      onString("truncate", value, (text) => {
        const chars = [...text];
        const offset = Number(m[1]);
        return { value: scalar(chars.slice(offset, offset + Number(m[2])).join(""), value.src) };
      }),
  },
  {
    // functions/expand_vars.rb: needs the project's CI/CD variables, which only the server has: kept as written
    name: "expand_vars",
    pattern: /^expand_vars$/,
    apply: (value) => onString("expand_vars", value, () => ({ value })),
  },
  {
    // functions/posix_escape.rb: Ruby's Shellwords.shellescape
    name: "posix_escape",
    pattern: /^posix_escape$/,
    apply: (value) =>
      onString("posix_escape", value, (text) => ({
        value: scalar(
          text === "" ? "''" : text.replace(/([^A-Za-z0-9_\-.,:+/@\n])/g, "\\$1").replace(/\n/g, "'\n'"),
          value.src,
        ),
      })),
  },
  {
    // functions/split.rb: the parts stripped, empty ones dropped; a list, so it must come last
    name: "split",
    pattern: /^split\('([^']*)'\)$/,
    apply: (value, m) =>
      onString("split", value, (text) => {
        const separator = m[1];
        if (separator === "")
          return { error: "error in `split` function: invalid argument: separator cannot be empty" };
        // Ruby splits on runs of whitespace when the separator is one space
        const parts = separator === " " ? text.split(/[\t\n\v\f\r ]+/) : text.split(separator);
        const items = parts.map(rubyStrip).filter((p) => p !== "");
        return {
          value: seqOf(
            items.map((p) => scalar(p, value.src)),
            value.src,
          ),
        };
      }),
  },
];

/**
 * Applies a block's functions to its value, as GitLab's FunctionsStack does: every expression must match a
 * function (all that do not are errors), `split` only last; then each runs in turn until one fails.
 * Returns the value, or the errors.
 */
function applyFunctions(value: CValue | undefined, expressions: readonly string[]): CValue | undefined | string[] {
  const errors: string[] = [];
  const stack: Array<{ fn: (typeof FUNCTIONS)[number]; args: RegExpExecArray }> = [];
  expressions.forEach((expression, i) => {
    for (const fn of FUNCTIONS) {
      const args = fn.pattern.exec(expression);
      if (!args) continue;
      if (fn.name === "split" && i < expressions.length - 1)
        errors.push("split() must be the last function in a chain (it returns an array, not a string)");
      else stack.push({ fn, args });
      return;
    }
    errors.push(
      `no function matching \`${expression}\`: check that the function name, arguments, and types are correct`,
    );
  });
  if (errors.length) return errors;
  let v = value;
  for (const { fn, args } of stack) {
    if (v === undefined) return undefined; // a value we cannot know (a pipeline input)
    const out = fn.apply(v, args);
    if ("error" in out) return [out.error];
    v = out.value;
  }
  return v;
}

/** Where an access path has got to: the whole context, the inputs, a value, or a value we cannot know. */
type Place = { readonly at: "context" } | { readonly at: "inputs" } | { readonly at: "value"; readonly v: CValue };

/**
 * The value of a block's access path, `inputs.name`, `inputs.list[0].key`, ..., or its error, as GitLab's
 * Interpolation::Access finds them (lib/gitlab/ci/config/interpolation/access.rb): at most 5 objects
 * (the fifth keeps the rest of the dots), each a key or a key with up to 5 list indices.
 */
function access(
  content: string,
  values: ReadonlyMap<string, CValue | undefined>,
): { readonly value: CValue | undefined } | { readonly errors: string[] } {
  const split = content.split(".");
  const objects = split.length > 5 ? [...split.slice(0, 4), split.slice(4).join(".")] : split;
  const errors: string[] = [];
  if (objects.length <= 1) errors.push("invalid pattern used for interpolation. valid pattern is $[[ inputs.input ]]");
  if (new TextEncoder().encode(content).length > 1024) errors.push("maximum interpolation expression size exceeded");
  if (errors.length) return { errors };
  let place: Place | undefined = { at: "context" };
  const key = (p: Place | undefined, k: string): Place | undefined | string => {
    if (p === undefined) return undefined;
    const unknown = `unknown interpolation provided: \`${k}\` in \`${content}\``;
    if (p.at === "context") return k === "inputs" ? { at: "inputs" } : unknown;
    if (p.at === "inputs") {
      if (!values.has(k)) return unknown;
      const v = values.get(k);
      return v === undefined ? undefined : { at: "value", v };
    }
    return p.v.kind === "map" && p.v.entries.has(k) ? { at: "value", v: get(p.v, k)! } : unknown;
  };
  for (const segment of objects) {
    let next: Place | undefined | string;
    if (!segment.includes("[")) next = key(place, segment);
    else {
      const m = /^(\w*)((?:\[\d+\])+)$/.exec(segment);
      if (!m) next = badIndex(segment, content);
      else if (m[1] === "") next = `invalid indexed access without a key in \`${content}\``;
      else {
        const indices = [...m[2].matchAll(/\[(\d+)\]/g)].map((i) => BigInt(i[1]));
        if (indices.length > 5) next = `too many array indices in \`${content}\` (maximum depth: 5)`;
        else {
          next = key(place, m[1]);
          for (const i of indices) {
            if (next === undefined || typeof next === "string") break;
            if (next.at !== "value" || next.v.kind !== "seq")
              next = `cannot index into non-array value at [${i}] in \`${content}\``;
            else if (i >= BigInt(next.v.items.length))
              next = `array index ${i} out of bounds (size: ${next.v.items.length}) in \`${content}\``;
            else next = { at: "value", v: next.v.items[Number(i)] };
          }
        }
      }
    }
    if (typeof next === "string") return { errors: [next] };
    place = next;
  }
  return { value: place?.at === "value" ? place.v : undefined };
}

/** Why a segment with `[` is not a key and list indices (access.rb's parse_indexed_segment). */
function badIndex(segment: string, content: string): string {
  if (segment.split("[").length !== segment.split("]").length)
    return `invalid array index in \`${content}\`: missing closing bracket`;
  const invalid = [...segment.matchAll(/\[([^\]]*)\]/g)].map((b) => b[1]).find((b) => !/^\d+$/.test(b));
  if (invalid !== undefined) return `invalid array index in \`${content}\`: \`${invalid}\` is not a valid index`;
  return `invalid array index syntax in \`${content}\``;
}

/**
 * A block's value, or its errors, as GitLab's Interpolation::Block gives them (block.rb): the access path,
 * then at most 3 functions. Undefined where the block is left as written: `matrix.*`, filled in later by
 * GitLab, `component.*`, known only to the server, and a value we cannot know.
 */
function evaluateBlock(
  inner: string,
  values: ReadonlyMap<string, CValue | undefined>,
): { readonly value: CValue | undefined } | { readonly errors: string[] } {
  const parts = inner.split("|");
  while (parts.length > 1 && parts[parts.length - 1] === "") parts.pop(); // Ruby's split drops trailing empties
  const [path, ...fns] = parts.map(rubyStrip);
  const head = path.split(".")[0];
  if (head === "matrix" || (head === "component" && path.includes("."))) return { value: undefined };
  const found = access(path, values);
  if ("errors" in found) return found;
  if (fns.length > 3) return { errors: ["too many functions in interpolation block"] };
  const out = applyFunctions(found.value, fns);
  return Array.isArray(out) ? { errors: out } : { value: out };
}

/**
 * How much text splicing inputs into strings may add to one file. GitLab has no limit of its own
 * (a 100 KB input spliced 9,000 times is 900 MB it would try to build); this is the largest file
 * the host reads, so interpolation cannot make a file bigger than one we would refuse to read.
 */
export const MAX_INTERPOLATED_GROWTH = 16 * 1024 * 1024;

interface Budget {
  left: number;
  reported: boolean;
  /** GitLab's "`file.yml`: " before the errors of an included file's blocks, empty at the root. */
  readonly prefix: string;
}

/** Interpolates one string; returns the typed value, a new string, or undefined when unchanged. */
function interpolateString(
  text: string,
  src: Src,
  values: ReadonlyMap<string, CValue | undefined>,
  report: Report,
  budget: Budget,
): CValue | undefined {
  if (!text.includes("$[[")) return undefined;
  const blocks = blocksOf(text);
  if (blocks.length === 0) return undefined;
  const resolved: Array<CValue | undefined> = [];
  for (const b of blocks) {
    const out = evaluateBlock(b.inner, values);
    if ("errors" in out) {
      for (const error of out.errors) report(src, "interpolation-error", `${budget.prefix}${error}`);
      resolved.push(undefined);
      continue;
    }
    const v = out.value;
    const name = rubyStrip(b.inner.split("|")[0]).split(".").slice(1).join(".");
    resolved.push(v === undefined ? undefined : withVia(v, { kind: "input", name, at: src }));
  }
  if (blocks.length === 1 && blocks[0].text === text) return resolved[0] ?? undefined;
  if (resolved.every((r) => r === undefined)) return undefined;
  let out = "";
  let last = 0;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    const spliced = resolved[i] === undefined ? b.text : spliceText(resolved[i]!);
    budget.left -= spliced.length - b.text.length;
    if (budget.left < 0) {
      if (!budget.reported)
        report(
          src,
          "interpolation-limit",
          `inputs spliced into this file's strings add more than ${MAX_INTERPOLATED_GROWTH / 1024 / 1024} MB ` +
            `of text: this string and the rest are left as written`,
        );
      budget.reported = true;
      return undefined;
    }
    out += text.slice(last, b.index) + spliced;
    last = b.index + b.text.length;
  }
  out += text.slice(last);
  return scalar(out, src);
}

/**
 * Interpolates every string of a content document, keys included. Unchanged subtrees are shared. `location`
 * is the included file's, for GitLab's "`file.yml`: " before an error; empty for the root file.
 */
export function interpolate(
  value: CValue,
  values: ReadonlyMap<string, CValue | undefined>,
  location: string,
  report: Report,
): CValue {
  const prefix = location ? `\`${location}\`: ` : "";
  return interpolateIn(value, values, report, { left: MAX_INTERPOLATED_GROWTH, reported: false, prefix });
}

function interpolateIn(
  value: CValue,
  values: ReadonlyMap<string, CValue | undefined>,
  report: Report,
  budget: Budget,
): CValue {
  switch (value.kind) {
    case "scalar": {
      if (typeof value.value !== "string") return value;
      return interpolateString(value.value, value.src, values, report, budget) ?? value;
    }
    case "ref":
    case "seq": {
      let changed = false;
      const items: CValue[] = [];
      for (const i of value.items) {
        const n = interpolateIn(i, values, report, budget);
        if (n !== i) changed = true;
        // a list item that was a string and is now a list (an array input) is spliced into the list,
        // as GitLab does (Interpolation::Config#insert_array_input_into_existing_array?)
        if (value.kind === "seq" && i.kind === "scalar" && typeof i.value === "string" && n.kind === "seq")
          for (const x of n.items) items.push(x);
        else items.push(n);
      }
      if (!changed) return value;
      return value.kind === "seq" ? { ...seqOf(items, value.src), via: value.via } : { ...value, items };
    }
    case "map": {
      let changed = false;
      const entries = new Map<string, CEntry>();
      for (const [k, e] of value.entries) {
        const newKey = interpolateString(k, e.keySrc, values, report, budget);
        const key =
          newKey === undefined ? k : newKey.kind === "scalar" ? String(newKey.value ?? "") : spliceText(newKey);
        const v = interpolateIn(e.value, values, report, budget);
        if (key !== k || v !== e.value) changed = true;
        entries.set(key, key === k && v === e.value ? e : { key, keySrc: e.keySrc, value: v });
      }
      return changed ? { ...mapOf(entries, value.src), via: value.via } : value;
    }
  }
}
