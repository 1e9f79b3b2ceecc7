import type { CEntry, CMap, CSeq, CValue, Diagnostic, Src, Via } from "./types";
import { resolvePlainScalar } from "./scalars";
import { get, mapOf, scalar, str, throughVia, withVia } from "./values";

// What each top-level key is (Entry::Root / Entry::Jobs), and a job's effective definition:
// the resolved hash with GitLab's flattening applied, `default:` keys it does not set itself,
// global variables, and its stage.

/** Top-level keys that are keywords, never jobs (Root::ALLOWED_KEYS). */
export const GLOBAL_KEYWORDS: readonly string[] = [
  "default",
  "include",
  "before_script",
  "image",
  "services",
  "after_script",
  "variables",
  "stages",
  "cache",
  "workflow",
];
/** Deprecated top-level forms of `default:` keys. */
export const DEPRECATED_GLOBAL_DEFAULTS: readonly string[] = [
  "image",
  "services",
  "cache",
  "before_script",
  "after_script",
];
/** Keys a job takes from `default:` when it does not set them (Default::ALLOWED_KEYS). */
export const DEFAULT_KEYS: readonly string[] = [
  "after_script",
  "artifacts",
  "before_script",
  "cache",
  "hooks",
  "id_tokens",
  "identity",
  "image",
  "interruptible",
  "retry",
  "services",
  "tags",
  "timeout",
];
export const DEFAULT_STAGES: readonly string[] = ["build", "test", "deploy"];

export type JobKind = "job" | "bridge" | "hidden" | "keyword" | "invalid";

export interface JobInfo {
  readonly name: string;
  readonly kind: JobKind;
  readonly keySrc: Src;
  /** After includes, extends and !reference; not yet flattened or defaulted. */
  readonly value: CValue;
  /** The key was quoted: it is a string whatever it says. */
  readonly quoted?: boolean;
}

function jobType(name: string, v: CValue): JobKind | undefined {
  if (name.startsWith(".")) return "hidden";
  if (v.kind !== "map") return undefined;
  if (v.entries.has("script") || v.entries.has("run")) return "job";
  if (v.entries.has("trigger") || v.entries.has("needs")) return "bridge";
  return undefined;
}

/** Classifies every top-level key; a keyword holding a script becomes a job, as in GitLab. */
export function classify(config: CMap): Map<string, JobInfo> {
  const out = new Map<string, JobInfo>();
  for (const [name, e] of config.entries) {
    const type = jobType(name, e.value);
    // a keyword stays a keyword unless it holds a job (GitLab's filter_jobs! quirk: `default: {script: …}`)
    const keyword = GLOBAL_KEYWORDS.includes(name) && type !== "job" && type !== "bridge";
    const kind: JobKind = keyword ? "keyword" : (type ?? "invalid");
    out.set(
      name,
      e.keyInner
        ? { name, kind, keySrc: e.keySrc, value: e.value, quoted: true }
        : { name, kind, keySrc: e.keySrc, value: e.value },
    );
  }
  return out;
}

/** Diagnostics GitLab gives for the shape of jobs before any schema check. */
export function jobShapeDiagnostics(
  jobs: ReadonlyMap<string, JobInfo>,
  rootFile: string,
  hasExternal: boolean,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  let visible = 0;
  for (const j of jobs.values()) {
    if (j.kind === "job" || j.kind === "bridge") visible++;
    if (j.kind === "invalid") {
      // Entry::Jobs adds this error on the job's name, and Gitlab::Config::Entry::Validator words it as
      // "<location> <Name humanized> <text>", all lower-cased: "jobs my job config should implement ..."
      const text = `jobs ${humanizedName(j.name)} config should implement the script:, run:, or trigger: keyword`;
      // A job written only to adjust one from an unreadable include gets its script there.
      out.push(
        hasExternal
          ? {
              src: j.keySrc,
              severity: "warning",
              code: "job-no-script",
              job: j.name,
              message: `${text}, unless an include that cannot be read offline defines the rest of this job`,
            }
          : { src: j.keySrc, severity: "error", code: "job-no-script", job: j.name, message: text },
      );
    }
    const key = j.quoted || j.kind === "keyword" || j.kind === "hidden" ? j.name : resolvePlainScalar(j.name);
    if (typeof key === "number" || typeof key === "boolean") {
      // Psych reads `10:` as an Integer and `yes:` as true; Entry::Job wants a Symbol (`validates :name, type:
      // Symbol`, entry/job.rb) and names the key as Ruby prints it
      // (a float key such as `3.0:` reaches us as "3": GitLab prints 3.0)
      const shown = String(key);
      out.push({
        src: j.keySrc,
        severity: "error",
        code: "job-name-type",
        message: `jobs:${shown} name should be a symbol`,
      });
    }
    if ((j.kind === "job" || j.kind === "bridge") && j.name === "") {
      // Entry::Processable: `validates :name, presence: true` (lib/gitlab/ci/config/entry/processable.rb)
      out.push({ src: j.keySrc, severity: "error", code: "job-name-blank", message: "jobs:job name can't be blank" });
    }
    if (j.kind === "hidden" && j.value.kind === "scalar" && (j.value.value === null || j.value.value === "")) {
      out.push({
        src: j.keySrc,
        severity: "error",
        code: "job-blank",
        message: `jobs:${j.name} config can't be blank`,
      });
    }
  }
  if (visible === 0)
    out.push({
      src: { file: rootFile, start: 0, end: 0 },
      severity: "error",
      code: "config-no-visible-job",
      message: "jobs config should contain at least one visible job",
    });
  return out;
}

/**
 * A job's name as ActiveModel words an error on it (String#humanize, then the whole message lower-cased by
 * Gitlab::Config::Entry::Validator#messages): dots and underscores become spaces, leading spaces go, and
 * a trailing "_id" is dropped.
 */
export function humanizedName(name: string): string {
  let h = name.replace(/[._]/g, " ").replace(/^\s+/, "");
  if (name.replace(/\./g, "_").endsWith("_id")) h = h.replace(/ id$/, "");
  return h.toLowerCase();
}

/**
 * A keyword that `default:` inherits from the top level (before_script, image, services, after_script,
 * cache) set in both places: GitLab's Entry::Default#inherit! raises "<key> is defined in top-level and
 * `default:` entry" (lib/gitlab/ci/config/entry/default.rb). Reported at the top-level key.
 */
export function defaultConflictDiagnostics(config: CMap, jobs: ReadonlyMap<string, JobInfo>): Diagnostic[] {
  const d = config.entries.get("default");
  if (!d || d.value.kind !== "map" || jobs.get("default")?.kind !== "keyword") return [];
  const out: Diagnostic[] = [];
  for (const key of ["before_script", "image", "services", "after_script", "cache"]) {
    const top = config.entries.get(key);
    const inDefault = d.value.entries.get(key);
    if (!top || !inDefault || jobs.get(key)?.kind !== "keyword") continue;
    out.push({
      src: top.keySrc,
      severity: "error",
      code: "default-conflict",
      message: `${key} is defined in top-level and \`default:\` entry`,
      related: [{ src: inDefault.keySrc, message: `${key} in \`default:\`` }],
    });
  }
  return out;
}

/** The pipeline's stages: `.pre` first and `.post` last whatever the config says. */
export function stagesOf(config: CMap): string[] {
  const v = get(config, "stages");
  const listed = v ? flattenStrings(v) : [...DEFAULT_STAGES];
  return [".pre", ...listed.filter((s) => s !== ".pre" && s !== ".post"), ".post"];
}

function flattenStrings(v: CValue): string[] {
  if (v.kind === "scalar") return v.value === null ? [] : [String(v.value)];
  if (v.kind === "seq") return v.items.flatMap(flattenStrings);
  return [];
}

/** EdgeStagesInjector: when `stages` is given, `.pre`/`.post` are moved to the ends. */
export function injectEdgeStages(config: CMap): CMap {
  const e = config.entries.get("stages");
  if (!e || e.value.kind !== "seq") return config;
  const v = e.value;
  const src = v.src;
  const items = [
    scalar(".pre", src),
    ...v.items.filter((i) => !(i.kind === "scalar" && (i.value === ".pre" || i.value === ".post"))),
    scalar(".post", src),
  ];
  const entries = new Map(config.entries);
  entries.set("stages", { ...e, value: { ...v, items } });
  return { ...config, entries };
}

/**
 * Flattened items by the items they came from: values are immutable and extends shares them (a job's
 * copy differs in its own hops only, which flattening does not pass to the items), so a script that
 * 300 jobs inherit is flattened once, not 300 times.
 */
const flattened = new WeakMap<readonly CValue[], CValue[]>();

/** Full flattening of nested lists, as Entry::Commands / ComposableArray do. */
export function flatten(v: CValue): CValue {
  if (v.kind !== "seq" || !v.items.some((i) => i.kind === "seq")) return v;
  const known = flattened.get(v.items);
  if (known) return { ...v, items: known };
  const items: CValue[] = [];
  // Items of an inner list inherit its hops, so a script line pulled in by !reference still says so.
  // An explicit stack, not recursion: references can nest lists a hundred levels deep.
  const stack: { items: readonly CValue[]; at: number; via: readonly Via[] | undefined }[] = [
    { items: v.items, at: 0, via: undefined },
  ];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.at === top.items.length) {
      stack.pop();
      continue;
    }
    const i = top.items[top.at++];
    if (i.kind === "seq") stack.push({ items: i.items, at: 0, via: [...(top.via ?? []), ...(i.via ?? [])] });
    else items.push(throughVia(i, top.via));
  }
  flattened.set(v.items, items);
  return { ...v, items };
}

/**
 * How deep GitLab lets script lists nest: `StringOrNestedArrayOfStringsValidator` with
 * `max_level: 10` (lib/gitlab/config/entry/validators.rb, NestedArrayHelpers), where the outer
 * list is the first level.
 */
export const MAX_COMMANDS_NESTING = 10;

/** The first list nested deeper than `max` levels (the outer list is level 1), if any. */
function tooDeep(v: CValue, max: number): CSeq | undefined {
  const stack: { list: CSeq; level: number }[] = v.kind === "seq" ? [{ list: v, level: 1 }] : [];
  while (stack.length > 0) {
    const { list, level } = stack.pop()!;
    if (level > max) return list;
    for (let k = list.items.length - 1; k >= 0; k--) {
      const i = list.items[k];
      if (i.kind === "seq") stack.push({ list: i, level: level + 1 });
    }
  }
  return undefined;
}

/**
 * Script lists (and rules) nested deeper than GitLab accepts, reported with GitLab's message at the keyword's
 * value (at its !reference when it came through one: the inner reference that went one level too
 * far can be many files away from the job). `job` is the job before flattening.
 */
export function commandsNestingDiagnostics(name: string, job: CMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  const check = (v: CValue | undefined, path: string) => {
    if (!v || !tooDeep(v, MAX_COMMANDS_NESTING)) return;
    out.push({
      src: v.via?.[0]?.at ?? v.src,
      severity: "error",
      code: "commands-too-deep",
      message:
        `${name}:${path} config should be a string or a nested array of strings ` +
        `up to ${MAX_COMMANDS_NESTING} levels deep`,
    });
  };
  for (const k of SCRIPT_KEYS) check(job.entries.get(k)?.value, k);
  // rules are flattened as deep (NestedArrayOfHashesOrArraysValidator, lib/gitlab/config/entry/validators.rb)
  const rules = job.entries.get("rules")?.value;
  if (rules && tooDeep(rules, MAX_COMMANDS_NESTING))
    out.push({
      src: rules.via?.[0]?.at ?? rules.src,
      severity: "error",
      code: "rules-too-deep",
      message: `${name} rules should be an array containing hashes and arrays of hashes`,
    });
  const hooks = job.entries.get("hooks")?.value;
  if (hooks?.kind === "map") check(hooks.entries.get("pre_get_sources_script")?.value, "hooks:pre_get_sources_script");
  return out;
}

const SCRIPT_KEYS = ["script", "before_script", "after_script"];

function replace(map: CMap, key: string, f: (v: CValue) => CValue): CMap {
  const e = map.entries.get(key);
  if (!e) return map;
  const n = f(e.value);
  if (n === e.value) return map;
  const entries = new Map(map.entries);
  entries.set(key, { ...e, value: n });
  return { ...map, entries };
}

function flattenRules(v: CValue): CValue {
  const flat = flatten(v);
  if (flat.kind !== "seq") return flat;
  let changed = flat !== v;
  const items = flat.items.map((r) => {
    if (r.kind !== "map") return r;
    const n = replace(r, "needs", flatten);
    if (n !== r) changed = true;
    return n;
  });
  return changed ? { ...flat, items } : flat;
}

/** Applies GitLab's flattening to the keys of a job (or of `default:`) that flatten, and only to those. */
export function flattenJob(job: CMap): CMap {
  let out = job;
  for (const k of SCRIPT_KEYS) out = replace(out, k, flatten);
  out = replace(out, "hooks", (h) => (h.kind === "map" ? replace(h, "pre_get_sources_script", flatten) : h));
  out = replace(out, "rules", flattenRules);
  out = replace(out, "needs", flatten);
  // Caches is a ComposableArray in GitLab; services built from !reference lists are accepted
  // the same way (GitLab's own pipeline relies on both).
  out = replace(out, "cache", flatten);
  out = replace(out, "services", flatten);
  return out;
}

/**
 * Lists nested inside lists that GitLab does not flatten are type errors. Reported where the
 * inner list was put in place: at the !reference or alias when it came through one.
 */
export function nestedListDiagnostics(name: string, job: CMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  // one path, pushed and popped: a copy per level made deeply nested maps (a fuzzed config) quadratic
  const path: string[] = [];
  const visit = (v: CValue) => {
    if (v.kind === "map") {
      for (const [k, e] of v.entries) {
        if (k === "inputs") continue; // array inputs may hold anything
        // a list anywhere in variables is a type error the schema reports; walking the global ones again
        // in every job was a fuzzed config's 18 % (a 10,000-item list, 445 jobs)
        if (k === "variables") continue;
        path.push(k);
        visit(e.value);
        path.pop();
      }
    } else if (v.kind === "seq") {
      for (const i of v.items) {
        if (i.kind === "seq") {
          const at = i.via?.[0]?.at ?? i.src;
          out.push({
            src: at,
            severity: "error",
            code: "nested-list",
            message:
              `jobs:${name}:${path.join(":")} must not contain nested lists: GitLab flattens ` +
              `nested lists only in script, before_script, after_script, rules, needs, ` +
              `cache, services and stages`,
          });
        } else {
          visit(i);
        }
      }
    }
  };
  visit(job);
  return out;
}

export interface GlobalContext {
  readonly defaults: CMap | undefined;
  readonly variables: CMap | undefined;
}

/** `default:` plus the deprecated top-level forms; `default:` wins when both are set. */
export function globalContext(config: CMap): GlobalContext {
  const entries = new Map<string, CEntry>();
  for (const k of DEPRECATED_GLOBAL_DEFAULTS) {
    const e = config.entries.get(k);
    if (e) entries.set(k, e);
  }
  const d = get(config, "default");
  if (d?.kind === "map") for (const [k, e] of d.entries) entries.set(k, e);
  const vars = get(config, "variables");
  return {
    defaults: entries.size ? flattenJob(mapOf(entries, d?.src ?? config.src)) : undefined,
    variables: vars?.kind === "map" ? vars : undefined,
  };
}

/** `inherit:<what>`: true (default), false, or a list of the names kept. */
function inheritFilter(job: CMap, what: "default" | "variables"): (key: string) => boolean {
  const v = get(get(job, "inherit"), what);
  if (!v || (v.kind === "scalar" && v.value === true)) return () => true;
  if (v.kind === "scalar" && v.value === false) return () => false;
  if (v.kind === "seq") {
    const names = new Set(v.items.map((i) => str(i)).filter((s): s is string => s !== undefined));
    return (k) => names.has(k);
  }
  return () => true;
}

/** The value a job sees for a global variable: hash forms give their `value`. */
function variableForJob(v: CValue): CValue {
  if (v.kind !== "map") return v;
  const value = get(v, "value");
  if (value && !v.entries.has("expand")) return throughVia(value, v.via);
  return v;
}

/**
 * `default:`'s entries and the global variables as a job inherits them, with the hop that says so. The same for
 * every job, so made once per map (and kept while the map is: an unchanged config keeps its maps), not once per
 * job: GitLab's own config has 900 jobs and 30 global variables.
 */
const defaultsMemo = new WeakMap<CMap, Map<string, CEntry>>();
const variablesMemo = new WeakMap<CMap, Map<string, CEntry>>();

function inheritedDefaults(defaults: CMap): Map<string, CEntry> {
  let out = defaultsMemo.get(defaults);
  if (!out) {
    out = new Map();
    for (const [k, e] of defaults.entries)
      out.set(k, { ...e, value: withVia(e.value, { kind: "default", name: k, at: e.keySrc }) });
    defaultsMemo.set(defaults, out);
  }
  return out;
}

function inheritedVariables(variables: CMap): Map<string, CEntry> {
  let out = variablesMemo.get(variables);
  if (!out) {
    out = new Map();
    for (const [k, e] of variables.entries)
      out.set(k, {
        ...e,
        value: withVia(variableForJob(e.value), { kind: "global-variables", name: k, at: e.keySrc }),
      });
    variablesMemo.set(variables, out);
  }
  return out;
}

/** A job's effective definition: what the runner gets, with every value's provenance. */
export function effectiveJob(info: JobInfo, ctx: GlobalContext): CMap | undefined {
  if ((info.kind !== "job" && info.kind !== "bridge") || info.value.kind !== "map") return undefined;
  let job = flattenJob(info.value);
  const entries = new Map(job.entries);
  const inheritDefault = inheritFilter(job, "default");
  if (ctx.defaults) {
    for (const [k, e] of inheritedDefaults(ctx.defaults)) {
      if (!DEFAULT_KEYS.includes(k) || !inheritDefault(k)) continue;
      if (info.kind === "bridge" && k !== "interruptible") continue;
      const own = entries.get(k);
      if (own && !(own.value.kind === "scalar" && own.value.value === null)) continue;
      entries.set(k, e);
    }
  }
  const inheritVars = inheritFilter(job, "variables");
  if (ctx.variables) {
    const vars = new Map<string, CEntry>();
    for (const [k, e] of inheritedVariables(ctx.variables)) if (inheritVars(k)) vars.set(k, e);
    const own = get(job, "variables");
    if (own?.kind === "map")
      for (const [k, e] of own.entries) vars.set(k, { ...e, value: throughVia(e.value, own.via) });
    if (vars.size) {
      const ownEntry = job.entries.get("variables");
      entries.set("variables", {
        key: "variables",
        keySrc: ownEntry?.keySrc ?? ctx.variables.src,
        value: mapOf(vars, own?.src ?? ctx.variables.src),
      });
    }
  }
  if (!entries.has("stage") && info.kind === "job") {
    entries.set("stage", { key: "stage", keySrc: info.keySrc, value: scalar("test", info.keySrc) });
  }
  job = { ...job, entries };
  return job;
}

/** A job's effective definition, kept between analyses with what it was computed from. */
export interface JobDefinition {
  readonly name: string;
  readonly kind: string;
  readonly globals: ReadonlyArray<CValue | undefined>;
  readonly value: CMap;
  readonly diagnostics: readonly Diagnostic[];
}
