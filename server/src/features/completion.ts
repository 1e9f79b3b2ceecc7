import type { Model } from "../engine/engine";
import { loadFile, type ParsedFile } from "../engine/load";
import type { CEntry, CValue, Src } from "../engine/types";
import { anchorCopy } from "../engine/values";
import { GLOBAL_KEYWORDS } from "../engine/jobs";
import { keywordsAt } from "./keywords";
import { hiddenKinds } from "./hidden-kinds";
import { PREDEFINED_VARIABLES } from "../gitlab/predefined-variables";
import { valueText, valueToken, type ValueToken } from "./completion-token";

// Completion works on the text as typed, which is often not valid YAML yet: the context comes from
// the current line, read as text, and the keys that enclose it, read from the parse of the text with
// that line blanked; the candidates come from the model of the last analysis.

export type CompletionKind = "keyword" | "job" | "template" | "stage" | "file" | "key" | "variable";

export interface CompletionItem {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  readonly documentation?: string;
  /** Sort order: lower first. */
  readonly rank: number;
  /** What replaces the value being typed (document offsets): the whole name, quoted as it must be. */
  readonly edit?: { readonly start: number; readonly end: number; readonly newText: string };
  /** What the client matches the typed text against, when it is not the label (an opened quote). */
  readonly filterText?: string;
}

const indentOf = (line: string) => line.length - line.trimStart().length;

/**
 * The text with the line being typed blanked (its characters turned to spaces, so every offset stays):
 * what is above and below it is usually valid YAML even while that line is half typed.
 */
export function withLineBlanked(text: string, offset: number): string {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  const nl = text.indexOf("\n", offset);
  const end = nl < 0 ? text.length : nl;
  return text.slice(0, start) + " ".repeat(end - start) + text.slice(end);
}

/**
 * The keys (and list positions) enclosing a line at `indent`, from the parse of the text around it:
 * at each level, the last key written on an earlier line left of `indent`, into its value.
 */
export function enclosingKeys(file: ParsedFile, offset: number, indent: number): Array<string | number> {
  const path: Array<string | number> = [];
  const line = file.lines.position(offset).line;
  // a key encloses what is written right of it; a list item what is at or right of its content
  const encloses = (src: Src, orAt = false) => {
    const at = file.lines.position(src.start);
    return at.line < line && (at.character < indent || (orAt && at.character === indent));
  };
  let v: CValue | undefined = file.content;
  while (v && (v.kind === "map" || v.kind === "seq")) {
    let next: CValue | undefined;
    if (v.kind === "map") {
      let last: CEntry | undefined;
      // copies through a merge key or an alias carry the anchor's positions: not written here
      for (const e of v.entries.values()) if (!anchorCopy(e.value) && encloses(e.keySrc)) last = e;
      if (last) path.push(last.key);
      next = last?.value;
    } else {
      let i = v.items.length - 1;
      while (i >= 0 && (anchorCopy(v.items[i]) || !encloses(v.items[i].src, true))) i--;
      if (i >= 0) path.push(i);
      next = v.items[i];
    }
    if (!next || anchorCopy(next)) break;
    v = next;
  }
  return path;
}

function jobNames(model: Model, hidden: boolean): CompletionItem[] {
  const out: CompletionItem[] = [];
  // what each hidden key is for (template, rule set, ...), as its hover says: one index per model
  const kinds = hidden ? hiddenKinds(model) : undefined;
  for (const j of model.jobs.values()) {
    if (hidden ? j.kind !== "hidden" : j.kind !== "job" && j.kind !== "bridge") continue;
    out.push({
      label: j.name,
      kind: hidden ? "template" : "job",
      detail: kinds?.get(j.name) ?? "job",
      rank: model.templates.has(j.name) ? 0 : 1,
    });
  }
  return out;
}

/** Whether the letters typed so far (lower case) appear in the name, in order (as editors filter), ignoring case. */
function matches(typed: string, name: string): boolean {
  if (typed === "") return true;
  let i = 0;
  const n = name.toLowerCase();
  for (let j = 0; j < n.length && i < typed.length; j++) if (n[j] === typed[i]) i++;
  return i === typed.length;
}

/**
 * Every item that matches what is typed so far, given the edit that puts it in place of the value being
 * typed. Filtered here too, not only by the client: GitLab's config offers a thousand templates.
 */
function replacing(items: CompletionItem[], token: ValueToken, text: string, offset: number): CompletionItem[] {
  const typed = text.slice(token.start + (token.quote ? 1 : 0), offset).toLowerCase();
  // no spreads: a thousand templates are offered on every keystroke after `extends:`
  return items
    .filter((i) => matches(typed, i.label))
    .map((i) => ({
      label: i.label,
      kind: i.kind,
      detail: i.detail,
      documentation: i.documentation,
      rank: i.rank,
      edit: { start: token.start, end: token.end, newText: valueText(i.label, token) },
      filterText: token.quote ? token.quote + i.label : undefined,
    }));
}

/** The names already in the list being typed in: its other items (from the parse), and those before on the line. */
function listed(file: ParsedFile, path: ReadonlyArray<string | number>, token: ValueToken): Set<string> {
  let v: CValue | undefined = file.content;
  for (const k of path) {
    if (v?.kind === "map" && typeof k === "string") v = v.entries.get(k)?.value;
    else if (v?.kind === "seq" && typeof k === "number") v = v.items[k];
    else v = undefined;
  }
  const names = new Set(token.before);
  if (v?.kind === "seq")
    for (const i of v.items) {
      const name = i.kind === "map" ? i.entries.get("job")?.value : i;
      if (name?.kind === "scalar" && typeof name.value === "string") names.add(name.value);
    }
  return names;
}

/** How many keys extend each name directly: the most used templates come first. */
function users(model: Model): Map<string, number> {
  const out = new Map<string, number>();
  for (const parents of model.extendsParents.values())
    for (const p of parents) out.set(p.name, (out.get(p.name) ?? 0) + 1);
  return out;
}

/**
 * What `extends:` may name, ranked: templates (hidden maps; a hidden key holding a list or a scalar is data), the
 * most extended first, then jobs. Kept with the model: GitLab's config offers a thousand on every keystroke.
 */
function parentCandidates(model: Model): readonly CompletionItem[] {
  let out = parentsOf.get(model);
  if (!out) {
    const used = users(model);
    const isMap = (name: string) => model.jobs.get(name)?.value.kind === "map";
    const hidden = jobNames(model, true)
      .filter((i) => isMap(i.label))
      .map((i) => ({ ...i, rank: Math.max(0, 100 - (used.get(i.label) ?? 0)) }));
    const visible = jobNames(model, false).map((i) => ({ ...i, rank: 200 }));
    // in rank order already: the host sorts by rank to keep the best, and a sorted list sorts at once
    out = [...hidden, ...visible].sort((a, b) => a.rank - b.rank);
    parentsOf.set(model, out);
  }
  return out;
}

const parentsOf = new WeakMap<Model, readonly CompletionItem[]>();

function stageOf(model: Model, job: string): number {
  const s = model.effectiveJob(job)?.entries.get("stage")?.value;
  return model.stages.indexOf(s?.kind === "scalar" ? String(s.value) : "test");
}

export function complete(
  model: Model,
  file: string,
  text: string,
  offset: number,
  listFiles: () => readonly string[],
  /** The parse of `text` with the line being typed blanked, when the host has one at hand. */
  structure?: ParsedFile,
): CompletionItem[] {
  // the line being typed is read as text (it is often not YAML yet); what encloses it, from the parse
  const line = text.slice(text.lastIndexOf("\n", offset - 1) + 1, offset);
  const indent = indentOf(line);
  const parsed = structure ?? loadFile(file, withLineBlanked(text, offset));
  const parents = enclosingKeys(parsed, offset, indent);
  const job = typeof parents[0] === "string" ? parents[0] : undefined;

  // $VAR / ${VAR}: the variables the job defines or inherits, the global ones, then GitLab's predefined ones
  const variable = /\$\{?([A-Za-z0-9_]*)$/.exec(line);
  if (variable && !/\$\[\[/.test(line.slice(-variable[0].length - 2))) {
    const own = job ? model.effectiveJob(job)?.entries.get("variables")?.value : undefined;
    const global = model.merged.entries.get("variables")?.value;
    const out = new Map<string, CompletionItem>();
    for (const [vars, rank, detail] of [
      [own, 0, "job variable"],
      [global, 1, "global variable"],
    ] as const) {
      if (vars?.kind === "map")
        for (const k of vars.entries.keys()) if (!out.has(k)) out.set(k, { label: k, kind: "variable", detail, rank });
    }
    for (const v of PREDEFINED_VARIABLES.values())
      if (!out.has(v.name) && !v.deprecated)
        out.set(v.name, {
          label: v.name,
          kind: "variable",
          detail: "predefined",
          documentation: v.description,
          rank: 2,
        });
    return [...out.values()];
  }

  // !reference [target, key, ...
  const ref = /!reference\s*\[([^\]]*)$/.exec(line);
  if (ref) {
    const done = ref[1]
      .split(",")
      .slice(0, -1)
      .map((s) => s.trim().replace(/^["']|["']$/g, ""));
    const token = valueToken(text, offset);
    if (done.length === 0) return replacing([...jobNames(model, true), ...jobNames(model, false)], token, text, offset);
    let v = model.merged.entries.get(done[0])?.value;
    for (const k of done.slice(1)) v = v?.kind === "map" ? v.entries.get(k)?.value : undefined;
    const keys =
      v?.kind === "map" ? [...v.entries.keys()].map((k) => ({ label: k, kind: "key" as const, rank: 0 })) : [];
    return replacing(keys, token, text, offset);
  }

  // `key: value being typed` — the value may have spaces, an opened quote or a flow list
  const inline = /^\s*(?:-\s+)?([A-Za-z_][\w-]*):\s+\S.*$|^\s*(?:-\s+)?([A-Za-z_][\w-]*):\s+$/.exec(line);
  const listItem = /^\s*-\s+[^:]*$/.test(line);
  const enclosing = parents[parents.length - 1];
  const inlineKey = inline?.[1] ?? inline?.[2];
  const key = inlineKey ?? (listItem && typeof enclosing === "string" ? enclosing : undefined);
  const currentStage = job ? stageOf(model, job) : -1;
  const token = valueToken(text, offset);
  // the list the value is typed in: the enclosing key's (a block list), or this line's key's (a flow list)
  const listPath = inlineKey ? [...parents, inlineKey] : parents;

  switch (key) {
    case "extends": {
      // a parent must be a map (a hidden key holding a list or a scalar is data, not a template),
      // not the job itself, not one already listed; the most extended first
      const taken = listed(parsed, listPath, token);
      return replacing(
        parentCandidates(model).filter((i) => i.label !== job && !taken.has(i.label)),
        token,
        text,
        offset,
      );
    }
    case "needs":
    case "dependencies":
    case "job": {
      // needs: this stage or an earlier one (this stage first); dependencies: earlier stages only
      const taken = listed(parsed, key === "job" ? parents.slice(0, -1) : listPath, token);
      const latest = key === "dependencies" ? currentStage - 1 : currentStage;
      const items = jobNames(model, false)
        .filter((i) => i.label !== job && !taken.has(i.label))
        .filter((i) => currentStage < 0 || stageOf(model, i.label) <= latest)
        .map((i) => ({
          ...i,
          rank: stageOf(model, i.label) === currentStage ? 0 : 1,
          detail: `stage ${model.stages[stageOf(model, i.label)] ?? "?"}`,
        }));
      return replacing(items, token, text, offset);
    }
    case "stage":
      return replacing(
        model.stages.map((s, i) => ({ label: s, kind: "stage" as const, rank: i })),
        token,
        text,
        offset,
      );
    case "local":
    case "include":
      if (parents.includes("include") || key === "include") {
        const files = listFiles()
          .filter((f) => /\.ya?ml$/i.test(f) && f !== file)
          .map((f) => ({ label: f, kind: "file" as const, rank: model.files.has(f) ? 1 : 0 }));
        return replacing(files, token, text, offset);
      }
  }
  if (inline || listItem) return [];

  // a key: the keywords allowed under the enclosing keys
  const path = parents.length === 0 ? [] : parents;
  const keywords =
    path.length === 0
      ? keywordsAt([]).filter(
          (k) =>
            GLOBAL_KEYWORDS.includes(k.keyword) ||
            ["default", "include", "stages", "variables", "workflow", "spec"].includes(k.keyword),
        )
      : keywordsAt(path);
  return keywords.map((k) => ({
    label: k.keyword,
    kind: "keyword" as const,
    documentation: k.description + (k.docs ? `\n\n[GitLab documentation](${k.docs})` : ""),
    rank: 0,
  }));
}
