import type { Model } from "../engine/engine";
import type { Src } from "../engine/types";
import { referenceIndex } from "../model/references";

// Who uses a template or a rule set: the jobs that end up with its keys, through `extends` chains and
// `!reference`s at any depth. The templates and rule sets in between are not counted; each job counts
// once. A key written as a job whose script GitLab would find in an include that cannot be read here
// (an "invalid" key) counts as the job it is meant to be. Keywords (`default:`, `workflow:`) that use
// it are named apart. Computed once per model, for every hidden key at once, when first asked.

export interface User {
  readonly name: string;
  /** Its key. */
  readonly src: Src;
}

export interface Usage {
  /** The hidden key. */
  readonly name: string;
  /** The jobs (and trigger jobs) that use it, in the config's job order. */
  readonly jobs: readonly User[];
  /** The keywords that use it (`default`, `workflow`). */
  readonly keywords: readonly User[];
}

const computed = new WeakMap<Model, ReadonlyMap<string, Usage>>();

/** Every hidden key that something extends or references, with the jobs and keywords that end up using it. */
export function usages(model: Model): ReadonlyMap<string, Usage> {
  const kept = computed.get(model);
  if (kept) return kept;
  // who uses each key directly: the keys that extend it, and those whose text references it
  const direct = new Map<string, Set<string>>();
  const add = (used: string, by: string) => {
    let set = direct.get(used);
    if (!set) direct.set(used, (set = new Set()));
    set.add(by);
  };
  for (const [child, parents] of model.extendsParents) for (const p of parents) add(p.name, child);
  for (const [used, by] of referenceIndex(model)) for (const b of by) add(used, b);

  const order = new Map<string, number>();
  for (const info of model.jobs.values()) order.set(info.name, order.size);
  const byOrder = (a: string, b: string) => order.get(a)! - order.get(b)!;
  const user = (name: string): User => ({ name, src: model.jobs.get(name)!.keySrc });
  const out = new Map<string, Usage>();
  for (const [name] of direct) {
    if (model.jobs.get(name)?.kind !== "hidden") continue;
    const seen = new Set<string>([name]);
    const queue = [name];
    const jobs: string[] = [];
    const keywords: string[] = [];
    while (queue.length) {
      for (const by of direct.get(queue.pop()!) ?? []) {
        if (seen.has(by)) continue;
        seen.add(by);
        const kind = model.jobs.get(by)?.kind;
        if (kind === "job" || kind === "bridge" || kind === "invalid") jobs.push(by);
        else if (kind === "keyword") keywords.push(by);
        queue.push(by);
      }
    }
    out.set(name, { name, jobs: jobs.sort(byOrder).map(user), keywords: keywords.sort(byOrder).map(user) });
  }
  computed.set(model, out);
  return out;
}

/** A template or rule set written in a file, and who uses it over every model the file is in. */
export interface UsedBy extends Usage {
  /** Its key in that file. */
  readonly at: Src;
  /** `used by 3 jobs`, `used by 1 job`, `used by 2 jobs and default`, `used by workflow`, `used by no job`. */
  readonly title: string;
}

/**
 * The templates and rule sets written in `file`, in file order. A file shared by several pipelines
 * (two roots, a child pipeline) counts the jobs of each; a job written in one place counts once.
 */
export function usedIn(models: readonly Model[], file: string): UsedBy[] {
  const byName = new Map<string, { at: Src; jobs: Map<string, User>; keywords: Map<string, User> }>();
  const where = (u: User) => `${u.src.file}\u0000${u.src.start}\u0000${u.name}`;
  for (const model of models) {
    const content = model.files.get(file)?.content;
    if (content?.kind !== "map") continue;
    const all = usages(model);
    for (const [key, e] of content.entries) {
      const usage = all.get(key);
      // a key a top-level merge key brought is written where its anchor is
      if (!usage || e.value.via?.[0]?.kind === "merge-key") continue;
      let entry = byName.get(key);
      if (!entry) byName.set(key, (entry = { at: e.keySrc, jobs: new Map(), keywords: new Map() }));
      for (const j of usage.jobs) entry.jobs.set(where(j), j);
      for (const k of usage.keywords) entry.keywords.set(where(k), k);
    }
  }
  return [...byName]
    .map(([name, { at, jobs, keywords }]) => {
      const usage = { name, jobs: [...jobs.values()], keywords: [...keywords.values()] };
      return { ...usage, at, title: usedByTitle(usage) };
    })
    .sort((a, b) => a.at.start - b.at.start);
}

/** The lens's words: the number of jobs, then the keywords by name. */
export function usedByTitle(u: Pick<Usage, "jobs" | "keywords">): string {
  const n = u.jobs.length;
  const parts = [...(n ? [`${n} ${n === 1 ? "job" : "jobs"}`] : []), ...new Set(u.keywords.map((k) => k.name))];
  if (!parts.length) return "used by no job";
  return `used by ${parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`}`;
}
