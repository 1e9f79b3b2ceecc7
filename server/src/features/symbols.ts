import type { Model } from "../engine/engine";
import type { Src } from "../engine/types";

// The outline of one file: its jobs grouped by stage (in pipeline order), its hidden jobs, its
// top-level keywords, and its anchors.

export type SymbolKind = "stage" | "job" | "hidden" | "keyword" | "anchor" | "group";

export interface OutlineSymbol {
  readonly name: string;
  readonly kind: SymbolKind;
  readonly detail?: string;
  /** The whole entry. */
  readonly range: Src;
  /** The name. */
  readonly selection: Src;
  readonly children?: readonly OutlineSymbol[];
}

function group(name: string, kind: SymbolKind, children: OutlineSymbol[], detail?: string): OutlineSymbol {
  const range = {
    file: children[0].range.file,
    // reduce, not spread: a spread of 100,000 arguments overflows the stack
    start: children.reduce((min, c) => Math.min(min, c.range.start), Infinity),
    end: children.reduce((max, c) => Math.max(max, c.range.end), -Infinity),
  };
  return { name, kind, detail, range, selection: children[0].selection, children };
}

export function outline(model: Model, file: string): OutlineSymbol[] {
  const parsed = model.files.get(file);
  if (parsed?.content?.kind !== "map") return [];
  const byStage = new Map<string, OutlineSymbol[]>();
  const hidden: OutlineSymbol[] = [];
  const keywords: OutlineSymbol[] = [];
  for (const e of parsed.content.entries.values()) {
    if (e.value.via?.[0]?.kind === "merge-key") continue;
    const info = model.jobs.get(e.key);
    const symbol = {
      name: e.key,
      range: { file, start: e.keySrc.start, end: Math.max(e.keySrc.end, e.value.src.end) },
      selection: e.keySrc,
    };
    if (info?.kind === "job" || info?.kind === "bridge") {
      const stage = model.effectiveJob(e.key)?.entries.get("stage")?.value;
      const name = stage?.kind === "scalar" ? String(stage.value) : info.kind === "bridge" ? "test" : "test";
      byStage.set(name, [
        ...(byStage.get(name) ?? []),
        { ...symbol, kind: "job", detail: info.kind === "bridge" ? "trigger job" : undefined },
      ]);
    } else if (info?.kind === "hidden") {
      hidden.push({ ...symbol, kind: "hidden", detail: model.templates.has(e.key) ? "template" : undefined });
    } else {
      keywords.push({
        ...symbol,
        kind: info?.kind === "keyword" ? "keyword" : "job",
        detail: info?.kind === "invalid" ? "not a valid job" : undefined,
      });
    }
  }
  const stages = [...byStage.keys()].sort((a, b) => model.stages.indexOf(a) - model.stages.indexOf(b));
  const out: OutlineSymbol[] = [...keywords];
  for (const s of stages) out.push(group(s, "stage", byStage.get(s)!, "stage"));
  if (hidden.length) out.push(group("hidden jobs", "group", hidden));
  const anchors = parsed.anchors
    .filter((a) => a.src.file === file)
    .map((a) => ({
      name: `&${a.name}`,
      kind: "anchor" as const,
      range: { file, start: a.src.start, end: Math.max(a.src.end, a.value.src.end) },
      selection: a.src,
    }));
  if (anchors.length) out.push(group("anchors", "group", anchors));
  return out;
}

export interface WorkspaceSymbol {
  readonly name: string;
  readonly kind: "job" | "hidden";
  readonly src: Src;
}

/** Top-level keys of every file whose name contains `query` (any case), each place once. */
export function workspaceSymbols(models: readonly Model[], query: string): WorkspaceSymbol[] {
  const q = query.toLowerCase();
  const out: WorkspaceSymbol[] = [];
  const seen = new Set<string>();
  for (const m of models) {
    for (const f of m.files.values()) {
      if (f.content?.kind !== "map") continue;
      for (const e of f.content.entries.values()) {
        const key = `${f.path}\u0000${e.key}`;
        if (seen.has(key) || !e.key.toLowerCase().includes(q) || e.value.via?.[0]?.kind === "merge-key") continue;
        seen.add(key);
        out.push({ name: e.key, kind: m.jobs.get(e.key)?.kind === "hidden" ? "hidden" : "job", src: e.keySrc });
      }
    }
  }
  return out;
}
