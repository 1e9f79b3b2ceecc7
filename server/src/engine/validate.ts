import type { Code } from "./codes";
import type { ErrorObject, ValidateFunction } from "ajv";
import { job as jobSchema, root as rootSchema } from "../generated/validators";
import type { ParsedFile } from "./load";
import { flatten, flattenJob, GLOBAL_KEYWORDS, type JobInfo } from "./jobs";
import { allowedProperties, collapseErrors, suggest, typeWords } from "./schema-errors";
import type { CEntry, CMap, CValue, Diagnostic, Related, Src } from "./types";
import { gatherRelated } from "./gather";
import { markInclusions, type InclusionKeys } from "./inclusions";
import { gitlabWordings, type WordingSubject } from "./schema-wording";
import { get, mapOf, rubyInspect, toJS } from "./values";

// Schema validation of what GitLab validates: the resolved config. Each error is mapped back
// through provenance to the key or value where it is written, so an error inside a template
// reached through extends is reported once, at the template, with the jobs that use it as
// related information.

/** Per-job results kept between analyses, keyed by the job's resolved value. */
export type ValidationMemo = WeakMap<CValue, { readonly key: string; readonly diagnostics: readonly Diagnostic[] }>;

export interface ValidationInput {
  readonly files: ReadonlyMap<string, ParsedFile>;
  readonly merged: CMap;
  readonly jobs: ReadonlyMap<string, JobInfo>;
  /** Keys named as a parent in some `extends`: hidden ones are job templates. */
  readonly templates: ReadonlySet<string>;
  readonly memo?: ValidationMemo;
  /** Called before each job is checked (see AnalyzeOptions.checkpoint). */
  readonly checkpoint?: () => void;
  /** The root file's path: the other files' `spec:` header errors are worded as an included file's. */
  readonly root?: string;
  /** Inclusions of templated files: a mistake in one is found once per inclusion, and kept so. */
  readonly inclusions?: readonly InclusionKeys[];
}

/** Which top-level key of its file a source position belongs to. */
class Owners {
  private readonly byFile = new Map<string, Array<{ name: string; start: number; end: number }>>();

  constructor(files: ReadonlyMap<string, ParsedFile>) {
    for (const [path, f] of files) {
      const spans: Array<{ name: string; start: number; end: number }> = [];
      for (const doc of [f.header, f.content]) {
        if (doc?.kind !== "map") continue;
        for (const [name, e] of doc.entries)
          spans.push({ name, start: e.keySrc.start, end: Math.max(e.keySrc.end, e.value.src.end) });
      }
      this.byFile.set(path, spans);
    }
  }

  of(src: Src): string | undefined {
    return this.span(src)?.name;
  }

  /**
   * Whether `src` is written in the top-level entry whose key is at `keySrc` (by place, not name: a
   * job of a file with a `spec:` header is named by its inputs, and written as `$[[ inputs.name ]]`).
   */
  within(src: Src, keySrc: Src): boolean {
    return src.file === keySrc.file && this.span(src)?.start === keySrc.start;
  }

  private span(src: Src): { name: string; start: number; end: number } | undefined {
    return this.byFile.get(src.file)?.find((s) => s.start <= src.start && src.start <= s.end);
  }
}

interface Located {
  node: CValue | undefined;
  /** The map entry the node was reached through (for its key's range). */
  entry: CEntry | undefined;
  label: string;
}

function locate(root: CValue, instancePath: string): Located {
  let node: CValue | undefined = root;
  let entry: CEntry | undefined;
  const parts: string[] = [];
  for (const raw of instancePath.split("/").slice(1)) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node?.kind === "map") {
      entry = node.entries.get(seg);
      node = entry?.value;
      parts.push(seg);
    } else if (node?.kind === "seq") {
      node = node.items[Number(seg)];
      parts[parts.length - 1] = `${parts[parts.length - 1] ?? ""}[${seg}]`;
    } else {
      node = undefined;
    }
  }
  return { node, entry, label: parts.join(":") };
}

const SCHEMA_CODES: Record<string, Code> = {
  additionalProperties: "schema-unknown-keyword",
  type: "schema-type",
  enum: "schema-enum",
  const: "schema-enum",
  required: "schema-required",
  pattern: "schema-pattern",
  minimum: "schema-limit",
  maximum: "schema-limit",
  exclusiveMinimum: "schema-limit",
  exclusiveMaximum: "schema-limit",
  minItems: "schema-limit",
  maxItems: "schema-limit",
  minLength: "schema-limit",
  maxLength: "schema-limit",
  minProperties: "schema-limit",
  maxProperties: "schema-limit",
};

interface Subject {
  /** What the messages call the validated thing at its root: `job "rspec"`, `"default"`, ... */
  readonly title: string;
  readonly value: CValue;
  /** The key that names it, for errors about the whole thing (a missing keyword). */
  readonly keySrc: Src;
  /** Set for jobs: errors found elsewhere (a template) list this job as a user. */
  readonly job?: string;
  /** How GitLab names it in its messages (schema-wording.ts). */
  readonly wording: WordingSubject;
}

/**
 * GitLab's message where it has one, then ours: "<GitLab's>. <ours>". Two where GitLab gives two errors for
 * ours (an enum value of the wrong type: its type, then the allowed values), each with our words for it.
 */
function messages(
  e: ErrorObject,
  at: Located,
  subject: Subject,
  owners: Owners,
  entrySrc: Src | undefined,
  hint: string | undefined,
  wording: WordingSubject,
  unknownKeys: readonly string[] | undefined,
): { code: Code; message: string }[] {
  const ours = ourMessage(e, at, subject, owners, entrySrc, hint);
  const code = SCHEMA_CODES[e.keyword] ?? "schema-invalid";
  const gitlab = gitlabWordings(wording, {
    keyword: e.keyword,
    path: e.instancePath
      .split("/")
      .slice(1)
      .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~")),
    params: e.params as Record<string, unknown>,
    value: e.keyword === "additionalProperties" ? undefined : shallow(at.node),
    unknownKeys,
  });
  const joined = (g: string, o: string) => `${g}${g.endsWith(".") ? "" : "."} ${o}`;
  if (gitlab.length === 0) return [{ code, message: ours }];
  if (gitlab.length === 1) return [{ code, message: joined(gitlab[0], ours) }];
  const label = at.label ? `"${at.label}"` : subject.title;
  return [
    { code: "schema-type", message: joined(gitlab[0], `${label} must be ${typeWords("string")}`) },
    { code, message: joined(gitlab[1], ours) },
  ];
}

/** The value at an error, as much as its wording needs: a scalar, a list (items left out), a map's keys. */
function shallow(node: CValue | undefined): unknown {
  if (!node) return undefined;
  if (node.kind === "scalar") return node.value;
  if (node.kind === "map") return Object.fromEntries([...node.entries.keys()].map((k) => [k, null]));
  return [];
}

function ourMessage(
  e: ErrorObject,
  at: Located,
  subject: Subject,
  owners: Owners,
  entrySrc: Src | undefined,
  hint: string | undefined,
): string {
  const label = at.label ? `"${at.label}"` : subject.title;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "additionalProperties": {
      const key = String(p.additionalProperty);
      const owner = entrySrc ? owners.of(entrySrc) : undefined;
      const where = at.label
        ? `"${at.label}"`
        : owner && owner !== subject.job && subject.job
          ? `"${owner}"`
          : subject.title;
      return `unknown keyword "${key}" in ${where}${hint ? ` — did you mean "${hint}"?` : ""}`;
    }
    case "type":
      return `${label} must be ${typeWords(String(p.type))}`;
    case "enum":
      return `${label} must be one of: ${(p.allowedValues as unknown[]).map((v) => String(v)).join(", ")}`;
    case "const":
      return `${label} must be ${JSON.stringify(p.allowedValue)}`;
    case "required":
      return `${label} needs "${String(p.missingProperty)}"`;
    case "pattern": {
      const hint = (e.parentSchema as { patternHint?: string } | undefined)?.patternHint;
      return hint ? `${label} ${hint}` : `${label} does not have the expected form (${String(p.pattern)})`;
    }
    case "minItems":
      return `${label} must have at least ${String(p.limit)} item${p.limit === 1 ? "" : "s"}`;
    case "maxItems":
      return `${label} must have at most ${String(p.limit)} item${p.limit === 1 ? "" : "s"}`;
    case "minLength":
      return Number(p.limit) === 1
        ? `${label} must not be empty`
        : `${label} must be at least ${String(p.limit)} characters long`;
    case "maxLength":
      return `${label} must be at most ${String(p.limit)} characters long`;
    case "minProperties":
      return `${label} must not be empty`;
    case "maxProperties":
      return `${label} must have at most ${String(p.limit)} keys`;
    case "minimum":
    case "exclusiveMinimum":
      return `${label} must be ${e.keyword === "minimum" ? "at least" : "more than"} ${String(p.limit)}`;
    case "maximum":
    case "exclusiveMaximum":
      return `${label} must be ${e.keyword === "maximum" ? "at most" : "less than"} ${String(p.limit)}`;
    case "uniqueItems":
      return `${label} must not repeat items`;
    case "dependencies":
    case "dependentRequired":
      return `${label} with "${String(p.property)}" also needs "${String(p.missingProperty ?? p.deps)}"`;
    case "not":
    case "false schema":
      return `${label} is not allowed here`;
    default:
      return `${label} is not valid (${e.message ?? e.keyword})`;
  }
}

/** "Did you mean" suggestions worked out per job (or other subject): past these, a job with thousands of
 * unknown keys gets its findings without them. */
const MAX_SUGGESTIONS = 100;

/** Schema findings reported per job (or other subject); the rest are counted in one more. GitLab reports the
 * first; a 47,000-item list of wrong rules made 47,000 findings that took seconds to position and publish. */
export const MAX_SCHEMA_FINDINGS = 100;

function check(validate: ValidateFunction, subject: Subject, owners: Owners, out: Diagnostic[]): void {
  if (validate(toJS(subject.value))) return;
  const errors = collapseErrors(validate.errors ?? []);
  const first = out.length;
  const unwritten = checkErrors(errors, subject, owners, out);
  const shown = out.length - first + unwritten;
  if (shown <= MAX_SCHEMA_FINDINGS) return;
  const last = out[first + MAX_SCHEMA_FINDINGS];
  out.length = first + MAX_SCHEMA_FINDINGS;
  out.push({
    src: last.src,
    severity: "error",
    code: last.code,
    message:
      `${shown - MAX_SCHEMA_FINDINGS} more schema errors in ${subject.title}, from here on ` +
      `(the first ${MAX_SCHEMA_FINDINGS} are shown)`,
    job: subject.job,
  });
}

/**
 * Pushes the findings for these errors, the first MAX_SCHEMA_FINDINGS + 1 of them in full; returns how many more
 * there are, counted without their messages (a 47,000-item list of wrong rules spent a second writing them).
 */
function checkErrors(errors: readonly ErrorObject[], subject: Subject, owners: Owners, out: Diagnostic[]): number {
  const first = out.length;
  let unwritten = 0;
  let suggestions = 0;
  // GitLab names every unknown key of a map in one message
  const unknownKeys = new Map<string, string[]>();
  for (const e of errors) {
    if (e.keyword !== "additionalProperties") continue;
    const keys = unknownKeys.get(e.instancePath) ?? [];
    keys.push(String((e.params as Record<string, unknown>).additionalProperty));
    unknownKeys.set(e.instancePath, keys);
  }
  for (const e of errors) {
    const at = locate(subject.value, e.instancePath);
    // an input block that could not be filled in has no value to check yet
    if (at.node?.kind === "scalar" && typeof at.node.value === "string" && at.node.value.includes("$[[")) continue;
    let src: Src;
    let entrySrc: Src | undefined;
    const propertyName = (e as ErrorObject & { propertyName?: string }).propertyName;
    if (e.keyword === "propertyNames") continue; // the specific error about the name comes with it
    if (out.length - first > MAX_SCHEMA_FINDINGS) {
      unwritten++;
      continue;
    }
    if (propertyName !== undefined) {
      const map = at.node?.kind === "map" ? at.node : undefined;
      src = map?.entries.get(propertyName)?.keySrc ?? at.node?.src ?? subject.keySrc;
      const hint = (e.parentSchema as { patternHint?: string } | undefined)?.patternHint;
      const what =
        e.keyword === "pattern"
          ? (hint ?? `does not have the expected form (${String((e.params as Record<string, unknown>).pattern)})`)
          : "is not allowed";
      out.push({
        src,
        severity: "error",
        code: SCHEMA_CODES[e.keyword] ?? "schema-invalid",
        message: `key "${propertyName}" in ${at.label ? `"${at.label}"` : subject.title} ${what}`,
      });
      continue;
    } else if (e.keyword === "additionalProperties") {
      const map = at.node?.kind === "map" ? at.node : undefined;
      entrySrc = map?.entries.get(String((e.params as Record<string, unknown>).additionalProperty))?.keySrc;
      src = entrySrc ?? at.node?.src ?? subject.keySrc;
    } else if (e.keyword === "required") {
      src = at.entry?.keySrc ?? subject.keySrc;
    } else {
      src = at.node?.src ?? at.entry?.keySrc ?? subject.keySrc;
    }
    const related: Related[] = [];
    // written elsewhere (a template): one finding for all the jobs that use it, so in our words only (GitLab's
    // name the job)
    const shared = subject.job !== undefined && owners.of(src) !== subject.job && !owners.within(src, subject.keySrc);
    if (shared) related.push({ src: subject.keySrc, message: `used by job "${subject.job}"` });
    const hint =
      e.keyword === "additionalProperties" && suggestions++ < MAX_SUGGESTIONS
        ? suggest(String((e.params as Record<string, unknown>).additionalProperty), allowedProperties(e))
        : undefined;
    const fixes =
      hint && entrySrc ? [{ title: `Change to "${hint}"`, edits: [{ src: entrySrc, newText: hint }] }] : undefined;
    const wording = shared ? ({ kind: "none" } as const) : subject.wording;
    for (const { code, message } of messages(
      e,
      at,
      subject,
      owners,
      entrySrc,
      hint,
      wording,
      unknownKeys.get(e.instancePath),
    ))
      out.push({ src, severity: "error", code, message, related, fixes, job: subject.job });
  }
  return unwritten;
}

/** Keywords that only exist at the top level. */
const TOP_LEVEL_ONLY = ["workflow", "stages", "default", "include", "spec"];

/**
 * A key with neither script, run nor trigger is not a job (GitLab says so: job-no-script),
 * so we cannot know what it was meant to be. Its job keywords are still checked, and top-level
 * keywords found inside it (a block indented one level too far, or a fragment holding a
 * workflow) are checked as the top-level keywords they are.
 */
function checkNotAJob(j: JobInfo, owners: Owners, out: Diagnostic[]): void {
  if (j.value.kind !== "map") {
    out.push({
      src: j.value.src,
      severity: "error",
      code: "schema-type",
      message: `job "${j.name}" must be a map of keywords`,
    });
    return;
  }
  const jobPart = new Map<string, CEntry>();
  for (const [k, e] of j.value.entries) {
    if (TOP_LEVEL_ONLY.includes(k)) {
      check(
        rootSchema,
        {
          title: `"${k}"`,
          value: mapOf(new Map([[k, { ...e, value: flattenGlobal(k, e.value) }]]), e.keySrc),
          keySrc: e.keySrc,
          wording: { kind: "none" },
        },
        owners,
        out,
      );
    } else {
      jobPart.set(k, e);
    }
  }
  check(
    jobSchema,
    {
      title: `job "${j.name}"`,
      value: flattenJob(mapOf(jobPart, j.value.src)),
      keySrc: j.keySrc,
      job: j.name,
      wording: { kind: "none" },
    },
    owners,
    out,
  );
}

/** Global keywords as GitLab reads them: the lists it flattens, flattened. */
function flattenGlobal(key: string, v: CValue): CValue {
  if (key === "default" && v.kind === "map") return flattenJob(v);
  if (key === "before_script" || key === "after_script" || key === "stages") return flatten(v);
  if (key === "workflow" && v.kind === "map") {
    const rules = v.entries.get("rules");
    if (rules) return { ...v, entries: new Map([...v.entries, ["rules", { ...rules, value: flatten(rules.value) }]]) };
  }
  return v;
}

/**
 * A top-level variable's `value` must be one of its `options` (entry/variable.rb, ComplexVariable): GitLab's
 * "variables:<name> config value must be present in options", the name lower-cased as its entries write it.
 */
function variableOptions(variables: CValue | undefined, out: Diagnostic[]): void {
  if (variables?.kind !== "map") return;
  for (const [name, e] of variables.entries) {
    const options = get(e.value, "options");
    if (options?.kind !== "seq" || options.items.length === 0) continue;
    const value = get(e.value, "value");
    const plain = JSON.stringify(value ? toJS(value) : null);
    if (options.items.some((o) => JSON.stringify(toJS(o)) === plain)) continue;
    const allowed = options.items.map((o) => rubyInspect(toJS(o))).join(", ");
    out.push({
      src: value?.src ?? e.keySrc,
      severity: "error",
      code: "variable-not-in-options",
      message:
        `variables:${name.toLowerCase()} config value must be present in options. ` +
        (value ? `${name}'s value ${rubyInspect(toJS(value))} is not` : `${name} has no value, and it must be`) +
        ` one of its options: ${allowed}`,
    });
  }
}

/** Schema diagnostics for a whole model: globals, each file's include and spec, jobs and templates. */
export function schemaDiagnostics(input: ValidationInput): Diagnostic[] {
  const owners = new Owners(input.files);
  const out: Diagnostic[] = [];
  const globals = new Map<string, CEntry>();
  for (const [k, e] of input.merged.entries) {
    const kind = input.jobs.get(k)?.kind;
    if (GLOBAL_KEYWORDS.includes(k) && kind === "keyword") globals.set(k, { ...e, value: flattenGlobal(k, e.value) });
  }
  if (globals.size)
    check(
      rootSchema,
      {
        title: "the configuration",
        value: mapOf(globals, input.merged.src),
        keySrc: input.merged.src,
        wording: { kind: "global" },
      },
      owners,
      out,
    );
  variableOptions(globals.get("variables")?.value, out);
  for (const f of input.files.values()) {
    // include: is gone from the merged config; check it in each file that writes one
    const include = f.content?.kind === "map" ? f.content.entries.get("include") : undefined;
    if (include)
      check(
        rootSchema,
        {
          title: "include",
          value: mapOf(new Map([["include", include]]), include.keySrc),
          keySrc: include.keySrc,
          wording: { kind: "global" },
        },
        owners,
        out,
      );
    const header = f.header?.entries.get("spec");
    const spec = header ?? (f.content?.kind === "map" ? f.content.entries.get("spec") : undefined);
    if (spec)
      check(
        rootSchema,
        {
          title: "spec",
          value: mapOf(new Map([["spec", spec]]), spec.keySrc),
          keySrc: spec.keySrc,
          // only a header is GitLab's: a spec: in the content document is a job to it
          wording: header
            ? { kind: "header", location: f.path === input.root ? "" : `\`${f.path}\`: ` }
            : { kind: "none" },
        },
        owners,
        out,
      );
  }
  const memo = input.memo ?? new WeakMap();
  for (const j of input.jobs.values()) {
    // a job's findings depend only on its resolved value (sources included) and how it is read
    const key = `${j.kind}\u0000${j.name}\u0000${input.templates.has(j.name)}`;
    const kept = memo.get(j.value);
    if (kept && kept.key === key) {
      out.push(...kept.diagnostics);
      continue;
    }
    input.checkpoint?.();
    const before = out.length;
    checkJob(j, input, owners, out);
    memo.set(j.value, { key, diagnostics: out.slice(before) });
  }
  return gatherRelated(input.inclusions ? markInclusions(out, input.inclusions) : out);
}

function checkJob(j: JobInfo, input: ValidationInput, owners: Owners, out: Diagnostic[]): void {
  if (j.kind === "invalid") {
    if (j.name !== "spec") checkNotAJob(j, owners, out);
    return;
  }
  if (j.value.kind !== "map") return;
  if (j.kind === "job" || j.kind === "bridge") {
    check(
      jobSchema,
      {
        title: `job "${j.name}"`,
        value: flattenJob(j.value),
        keySrc: j.keySrc,
        job: j.name,
        wording: { kind: "job", name: j.name },
      },
      owners,
      out,
    );
  } else if (j.kind === "hidden" && input.templates.has(j.name)) {
    // a fragment: what it has must be right, what it lacks may come from the job that extends it
    const found: Diagnostic[] = [];
    const template = { title: `"${j.name}"`, value: flattenJob(j.value), keySrc: j.keySrc };
    check(jobSchema, { ...template, wording: { kind: "none" } }, owners, found);
    out.push(...found.filter((d) => d.code !== "schema-required"));
  }
}
