import type { Model } from "../engine/engine";
import { GLOBAL_KEYWORDS } from "../engine/jobs";
import { keywordsAt } from "./keywords";
import { PREDEFINED_VARIABLES } from "../gitlab/predefined-variables";

// Completion works on the text as typed, which is often not valid YAML yet: the context comes
// from the current line and the keys above it (by indentation), the candidates from the model
// of the last analysis.

export type CompletionKind = "keyword" | "job" | "template" | "stage" | "file" | "key" | "variable";

export interface CompletionItem {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  readonly documentation?: string;
  /** Sort order: lower first. */
  readonly rank: number;
}

const indentOf = (line: string) => line.length - line.trimStart().length;

/** Keys enclosing a line, found by walking up to lines with less indentation. */
export function parentKeys(lines: readonly string[], lineNo: number, indent: number): string[] {
  const keys: string[] = [];
  let limit = indent;
  for (let i = lineNo - 1; i >= 0 && limit > 0; i--) {
    const l = lines[i];
    if (!l.trim() || l.trimStart().startsWith("#")) continue;
    const ind = indentOf(l);
    if (ind >= limit) continue;
    const m = /^\s*(?:-\s+)?(["']?)([^"':#][^:#]*?)\1\s*:(\s|$)/.exec(l);
    if (m && !/^\s*-\s/.test(l)) {
      keys.unshift(m[2]);
      limit = ind;
    } else if (/^\s*-\s/.test(l)) {
      limit = ind;
      const inner = /^\s*-\s+(["']?)([^"':#][^:#]*?)\1\s*:(\s|$)/.exec(l);
      if (inner && ind + 2 < indent) keys.unshift(inner[2]);
    }
  }
  return keys;
}

/** The top-level key a line belongs to: the nearest line above it at column 0. */
function jobOfLine(lines: readonly string[], lineNo: number): string | undefined {
  for (let i = lineNo; i >= 0; i--) {
    const m = /^(["']?)([^\s#"'-][^:#]*?)\1\s*:(\s|$)/.exec(lines[i]);
    if (m) return m[2];
  }
  return undefined;
}

function jobNames(model: Model, hidden: boolean): CompletionItem[] {
  const out: CompletionItem[] = [];
  for (const j of model.jobs.values()) {
    if (hidden ? j.kind !== "hidden" : j.kind !== "job" && j.kind !== "bridge") continue;
    out.push({
      label: j.name,
      kind: hidden ? "template" : "job",
      detail: hidden ? "hidden job" : "job",
      rank: model.templates.has(j.name) ? 0 : 1,
    });
  }
  return out;
}

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
): CompletionItem[] {
  const before = text.slice(0, offset);
  const lineNo = before.split("\n").length - 1;
  const lines = text.split("\n");
  const line = before.slice(before.lastIndexOf("\n") + 1);
  const indent = indentOf(line);

  // $VAR / ${VAR}: the variables the job defines or inherits, the global ones, then GitLab's predefined ones
  const variable = /\$\{?([A-Za-z0-9_]*)$/.exec(line);
  if (variable && !/\$\[\[/.test(line.slice(-variable[0].length - 2))) {
    const job = jobOfLine(lines, lineNo);
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
    if (done.length === 0) return [...jobNames(model, true), ...jobNames(model, false)];
    let v = model.merged.entries.get(done[0])?.value;
    for (const k of done.slice(1)) v = v?.kind === "map" ? v.entries.get(k)?.value : undefined;
    return v?.kind === "map" ? [...v.entries.keys()].map((k) => ({ label: k, kind: "key" as const, rank: 0 })) : [];
  }

  const parents = parentKeys(lines, lineNo, indent);
  const inline = /^\s*(?:-\s+)?([A-Za-z_][\w-]*):\s+\S*$/.exec(line);
  const listItem = /^\s*-\s+[^:]*$/.test(line);
  const key = inline?.[1] ?? (listItem ? parents[parents.length - 1] : undefined);
  const job = parents[0];
  const currentStage = job ? stageOf(model, job) : -1;

  switch (key) {
    case "extends":
      return [...jobNames(model, true), ...jobNames(model, false).map((i) => ({ ...i, rank: 2 }))];
    case "needs":
    case "dependencies":
    case "job":
      return jobNames(model, false)
        .filter((i) => i.label !== job)
        .map((i) => ({
          ...i,
          rank: stageOf(model, i.label) < currentStage ? 0 : stageOf(model, i.label) === currentStage ? 1 : 3,
          detail: `stage ${model.stages[stageOf(model, i.label)] ?? "?"}`,
        }));
    case "stage":
      return model.stages.map((s, i) => ({ label: s, kind: "stage" as const, rank: i }));
    case "local":
    case "include":
      if (parents.includes("include") || key === "include") {
        return listFiles()
          .filter((f) => /\.ya?ml$/i.test(f) && f !== file)
          .map((f) => ({ label: f, kind: "file" as const, rank: model.files.has(f) ? 1 : 0 }));
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
