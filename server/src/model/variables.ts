import type { Model } from "../engine/engine";
import type { ParsedFile } from "../engine/load";
import type { CEntry, CValue, Src } from "../engine/types";
import { get } from "../engine/values";

// Variables of a config: every place one is defined (global, workflow, job, rules, matrix),
// every place one is used in a string, and where a job gets a variable from.

/** A variable key where it is written. */
export interface VariableSite {
  readonly name: string;
  readonly keySrc: Src;
  /** The name itself: inside the quotes of a quoted key. */
  readonly nameSrc: Src;
  readonly value: CValue;
}

function keysOf(vars: CValue | undefined, out: CEntry[]): void {
  if (vars?.kind === "map") out.push(...vars.entries.values());
}

/** Every variable the config defines, where written: global, workflow, job, rules and matrix variables. */
export function definedVariables(model: Model): readonly VariableSite[] {
  let sites = sitesOf.get(model);
  if (!sites) {
    const all: VariableSite[] = [];
    for (const file of model.files.values()) for (const site of fileSites(file)) all.push(site);
    sitesOf.set(model, (sites = all));
  }
  return sites;
}

/** The variables of each model, asked for by several lints in one analysis. */
const sitesOf = new WeakMap<Model, readonly VariableSite[]>();
/** Those of each parsed file: an edit collects only the file it changed again. */
const sitesOfFile = new WeakMap<ParsedFile, readonly VariableSite[]>();

function fileSites(file: ParsedFile): readonly VariableSite[] {
  let sites = sitesOfFile.get(file);
  if (!sites) sitesOfFile.set(file, (sites = collect(file)));
  return sites;
}

function collect(file: ParsedFile): VariableSite[] {
  const entries: CEntry[] = [];
  const ofRules = (rules: CValue | undefined) => {
    if (rules?.kind === "seq") for (const r of rules.items) keysOf(get(r, "variables"), entries);
  };
  const content = file.content;
  if (content?.kind === "map") {
    for (const e of content.entries.values()) {
      if (e.key === "variables") keysOf(e.value, entries);
      else if (e.key === "workflow") ofRules(get(e.value, "rules"));
      else if (e.value.kind === "map") {
        keysOf(get(e.value, "variables"), entries);
        ofRules(get(e.value, "rules"));
        const matrix = get(get(e.value, "parallel"), "matrix");
        if (matrix?.kind === "seq") for (const m of matrix.items) keysOf(m, entries);
      }
    }
  }
  // a key reached through an alias or merge key keeps the src of the anchor: count it once (anchors are
  // the file's own, so once per file is once in the config)
  const seen = new Set<string>();
  const out: VariableSite[] = [];
  for (const e of entries) {
    const at = `${e.keySrc.file}:${e.keySrc.start}`;
    if (seen.has(at)) continue;
    seen.add(at);
    out.push({ name: e.key, keySrc: e.keySrc, nameSrc: e.keyInner ?? e.keySrc, value: e.value });
  }
  return out;
}

const ANY_USE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)|%([A-Za-z_][A-Za-z0-9_]*)%/g;

/**
 * Every `$NAME`, `${NAME}` and `%NAME%` in the strings of the config's files, where written,
 * by name: one pass over the files however many variables get a rename fix.
 */
export function variableUses(model: Model): Map<string, Src[]> {
  const out = new Map<string, Src[]>();
  const seen = new Set<string>();
  for (const file of model.files.values()) {
    const visit = (v: CValue) => {
      if (v.kind === "scalar") {
        if (typeof v.value !== "string" || !/[$%]/.test(v.value) || v.src.file !== file.path) return;
        // an alias copy carries its anchor's range: scan each written string once
        const at = `${file.path}:${v.src.start}`;
        if (seen.has(at)) return;
        seen.add(at);
        const raw = file.text.slice(v.src.start, v.src.end);
        for (const m of raw.matchAll(ANY_USE)) {
          const name = m[1] ?? m[2] ?? m[3];
          const start = v.src.start + m.index! + m[0].indexOf(name);
          const list = out.get(name) ?? [];
          list.push({ file: file.path, start, end: start + name.length });
          out.set(name, list);
        }
      } else if (v.kind === "seq" || v.kind === "ref") v.items.forEach(visit);
      else for (const e of v.entries.values()) visit(e.value);
    };
    if (file.content) visit(file.content);
  }
  return out;
}

/** The top-level job a file offset belongs to, by the ranges of the file's top-level keys. */
export function jobAt(file: ParsedFile, offset: number): string | undefined {
  if (file.content?.kind !== "map") return undefined;
  for (const e of file.content.entries.values())
    if (e.keySrc.start <= offset && offset <= e.value.src.end) return e.key;
  return undefined;
}

export interface VariableDefinition {
  readonly src: Src;
  readonly value: CValue;
}

/** Where a job gets a variable from (its own, a template's, or the global one), or the global definition. */
export function variableDefinitions(model: Model, name: string, job: string | undefined): VariableDefinition[] {
  const out: VariableDefinition[] = [];
  const vars = job ? model.effectiveJob(job)?.entries.get("variables")?.value : undefined;
  const own = vars?.kind === "map" ? vars.entries.get(name) : undefined;
  if (own) out.push({ src: own.keySrc, value: own.value });
  const globals = model.merged.entries.get("variables")?.value;
  const global = globals?.kind === "map" ? globals.entries.get(name) : undefined;
  if (global && !out.some((d) => d.src.file === global.keySrc.file && d.src.start === global.keySrc.start))
    out.push({ src: global.keySrc, value: global.value });
  return out;
}
