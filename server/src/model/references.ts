import type { Model } from "../engine/engine";
import type { CValue } from "../engine/types";
import { anchorCopy } from "../engine/values";

// Which top-level keys use a template or rule set through `!reference`, as written (not through
// copies an alias made): computed once per model, when first asked.

const indexes = new WeakMap<Model, ReadonlyMap<string, readonly string[]>>();

/** Name → the top-level keys whose own text has a `!reference [name, ...]`, in file order. */
export function referenceIndex(model: Model): ReadonlyMap<string, readonly string[]> {
  let index = indexes.get(model);
  if (index) return index;
  const out = new Map<string, string[]>();
  const visit = (v: CValue, owner: string) => {
    if (anchorCopy(v)) return;
    if (v.kind === "ref") {
      const first = v.items[0];
      if (first?.kind === "scalar" && typeof first.value === "string") {
        const list = out.get(first.value) ?? [];
        if (!list.includes(owner)) list.push(owner);
        out.set(first.value, list);
      }
    } else if (v.kind === "seq") v.items.forEach((i) => visit(i, owner));
    else if (v.kind === "map") for (const e of v.entries.values()) visit(e.value, owner);
  };
  for (const f of model.files.values()) {
    if (f.content?.kind === "map") for (const [k, e] of f.content.entries) visit(e.value, k);
  }
  index = out;
  indexes.set(model, index);
  return index;
}
