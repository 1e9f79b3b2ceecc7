import type { Model } from "../engine/engine";
import type { CValue } from "../engine/types";

// What each hidden key is for, in the words users use: a rule set, a rule, a template, a hidden job or
// another hidden key. Hover says it of one key, completion of every key it offers (GitLab's config has a
// thousand): asked key by key, "is it extended?" walked every extends list each time, 30–70 ms on the
// first completion after an edit. So it is computed once per model, for every hidden key at once, when
// first asked, and kept with the model.

export type HiddenKind = "rule set" | "rule" | "template" | "hidden job" | "hidden key";

/** Keys a rule has (GitLab's Entry::Rules::Rule): a hidden key holding only these is a rule. */
const RULE_KEYS = new Set([
  "if",
  "changes",
  "exists",
  "when",
  "allow_failure",
  "variables",
  "needs",
  "start_in",
  "interruptible",
]);

/** What one hidden key is, given whether something extends it. */
function kindOf(value: CValue, extended: boolean): HiddenKind {
  const keys = value.kind === "map" ? [...value.entries.keys()] : [];
  if (keys.length && keys.every((k) => k === "rules")) return "rule set";
  if (
    keys.length &&
    keys.every((k) => RULE_KEYS.has(k)) &&
    keys.some((k) => k === "if" || k === "changes" || k === "exists")
  )
    return "rule";
  if (extended) return "template";
  return keys.some((k) => k === "script" || k === "trigger" || k === "run") ? "hidden job" : "hidden key";
}

const computed = new WeakMap<Model, ReadonlyMap<string, HiddenKind>>();

/** Every hidden key of the model, with what it is for. */
export function hiddenKinds(model: Model): ReadonlyMap<string, HiddenKind> {
  const kept = computed.get(model);
  if (kept) return kept;
  const extended = new Set<string>();
  for (const parents of model.extendsParents.values()) for (const p of parents) extended.add(p.name);
  const out = new Map<string, HiddenKind>();
  for (const info of model.jobs.values())
    if (info.kind === "hidden") out.set(info.name, kindOf(info.value, extended.has(info.name)));
  computed.set(model, out);
  return out;
}

/** What a hidden key is for ("hidden key" for a name the model does not hold as hidden). */
export function hiddenKind(model: Model, name: string): HiddenKind {
  return hiddenKinds(model).get(name) ?? "hidden key";
}
