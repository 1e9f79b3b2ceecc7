import type { Model } from "../engine/engine";
import { isExternalPath } from "../engine/external";
import type { Diagnostic, Src } from "../engine/types";

// A finding inside a fetched file cannot be fixed there (it is someone else's file, and a copy),
// so it is shown where the user can act: on the `include:` entry of their own file that brought it
// in, through however many fetched files, with the inner place as related information.

type Edge = Model["includes"][number];

const entryKey = (src: Src) => `${src.file}\u0000${src.start}\u0000${src.end}`;

/** Findings of fetched files moved to the include entries that brought them in; the others as they are. */
export function rehomeExternalFindings(findings: readonly Diagnostic[], models: readonly Model[]): Diagnostic[] {
  if (!findings.some((d) => isExternalPath(d.src.file))) return [...findings];
  const broughtBy = new Map<string, Edge>();
  // each include entry: a fetched file several entries bring (a component included twice with other
  // inputs, two versions of it at one commit) is brought by each, and a finding that says which
  // inclusion it comes from goes to that one's entry, not to the first
  const entries = new Map<string, Edge>();
  for (const m of models)
    for (const edge of m.includes) {
      for (const t of edge.targets) if (isExternalPath(t) && !broughtBy.has(t)) broughtBy.set(t, edge);
      if (!entries.has(entryKey(edge.src))) entries.set(entryKey(edge.src), edge);
    }
  const out: Diagnostic[] = [];
  for (const d of findings) {
    if (!isExternalPath(d.src.file)) {
      out.push(d);
      continue;
    }
    const own = d.inclusion?.file === d.src.file ? entries.get(entryKey(d.inclusion.at)) : undefined;
    let edge = own?.targets.includes(d.src.file) ? own : broughtBy.get(d.src.file);
    // up the chain of fetched files to the project file that started it (bounded: a cycle is cut)
    for (let i = 0; edge && isExternalPath(edge.from) && i < 150; i++) edge = broughtBy.get(edge.from);
    if (!edge || isExternalPath(edge.from)) continue;
    out.push({
      ...d,
      src: edge.src,
      message: `\`${d.src.file.slice(2)}\`: ${d.message}`,
      related: [{ src: d.src, message: "here, in the fetched file" }, ...(d.related ?? [])],
      fixes: undefined,
    });
  }
  return out;
}
