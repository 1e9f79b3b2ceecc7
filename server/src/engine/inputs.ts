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

function applyFunction(value: CValue, fn: string, src: Src, report: Report): CValue | undefined {
  const m = /^(\w+)(?:\((.*)\))?$/.exec(fn.trim());
  const name = m?.[1];
  const args = m?.[2]?.split(",").map((a) => a.trim()) ?? [];
  const text = value.kind === "scalar" ? String(value.value ?? "") : spliceText(value);
  switch (name) {
    case "expand_vars":
      // Needs the project's CI/CD variables, which only exist on the server: keep the text.
      return value;
    case "truncate": {
      const [offset, length] = args.map((a) => Number.parseInt(a, 10));
      if (!Number.isInteger(offset) || !Number.isInteger(length)) break;
      return scalar(text.slice(offset, offset + length), value.src);
    }
    case "posix_quote":
      return scalar(`'${text.replace(/'/g, `'"'"'`)}'`, value.src);
    case "posix_escape":
      return scalar(
        text === "" ? "''" : text.replace(/([^A-Za-z0-9_\-.,:+/@\n])/g, "\\$1").replace(/\n/g, "'\n'"),
        value.src,
      );
  }
  report(
    src,
    "interpolation-error",
    `no function matching \`${fn.trim()}\`: known functions are expand_vars, truncate, posix_escape, posix_quote`,
  );
  return undefined;
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
    const [access, ...fns] = b.inner.split("|");
    const path = access.trim().split(".");
    if (path[0] !== "inputs") {
      resolved.push(undefined); // component.* and matrix.* are filled in later, on the server
      continue;
    }
    if (path.length < 2 || path.length > 5 || path.some((p) => p === "")) {
      report(src, "interpolation-error", "invalid interpolation access pattern");
      resolved.push(undefined);
      continue;
    }
    if (!values.has(path[1])) {
      report(src, "interpolation-error", `unknown interpolation key: \`${path[1]}\``);
      resolved.push(undefined);
      continue;
    }
    let v = values.get(path[1]);
    for (const key of path.slice(2)) v = v?.kind === "map" ? get(v, key) : undefined;
    if (fns.length > 3) report(src, "interpolation-error", "too many functions in interpolation block");
    for (const fn of fns) v = v === undefined ? undefined : applyFunction(v, fn, src, report);
    resolved.push(v === undefined ? undefined : withVia(v, { kind: "input", name: path.slice(1).join("."), at: src }));
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

/** Interpolates every string of a content document, keys included. Unchanged subtrees are shared. */
export function interpolate(value: CValue, values: ReadonlyMap<string, CValue | undefined>, report: Report): CValue {
  return interpolateIn(value, values, report, { left: MAX_INTERPOLATED_GROWTH, reported: false });
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
