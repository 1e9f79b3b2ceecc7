import schemaJson from "../../../schemas/gitlab-ci.json";
import { GLOBAL_KEYWORDS } from "../engine/jobs";

// Keyword documentation from our schema: the description and docs link of whatever schema node
// a path of keys leads to, following $ref and looking into every branch a keyword may take.

type Node = Record<string, unknown>;
const schema = schemaJson as unknown as Node;
const definitions = schema.definitions as Record<string, Node>;

export interface KeywordDoc {
  readonly keyword: string;
  readonly description: string;
  readonly docs?: string;
}

function deref(n: Node | undefined): Node | undefined {
  let cur = n;
  for (let i = 0; cur && typeof cur.$ref === "string" && i < 20; i++) {
    const name = (cur.$ref as string).replace("#/definitions/", "");
    // a property that only points elsewhere may still carry its own description
    cur = cur.description
      ? { ...definitions[name], description: cur.description, docs: cur.docs ?? definitions[name]?.docs }
      : definitions[name];
  }
  return cur;
}

function branches(n: Node): Node[] {
  const out: Node[] = [n];
  for (const k of ["anyOf", "oneOf", "allOf"])
    if (Array.isArray(n[k])) out.push(...(n[k] as Node[]).map((b) => deref(b)!).filter(Boolean));
  for (const k of ["then", "else"]) if (n[k] && typeof n[k] === "object") out.push(deref(n[k] as Node)!);
  return out;
}

function child(n: Node, key: string | number): Node | undefined {
  for (const b of branches(n)) {
    if (typeof key === "number") {
      if (b.items && typeof b.items === "object") return deref(b.items as Node);
      continue;
    }
    const props = b.properties as Record<string, Node> | undefined;
    if (props?.[key]) return deref(props[key]);
  }
  for (const b of branches(n)) {
    if (typeof key === "string" && b.additionalProperties && typeof b.additionalProperties === "object")
      return deref(b.additionalProperties as Node);
  }
  return undefined;
}

/** The schema node for a path of keys in the content document (or the spec header). */
export function schemaAt(path: ReadonlyArray<string | number>, inHeader = false): Node | undefined {
  if (path.length === 0) return undefined;
  const [first, ...rest] = path;
  let node: Node | undefined;
  if (typeof first !== "string") return undefined;
  if (inHeader || GLOBAL_KEYWORDS.includes(first) || first === "spec")
    node = deref((schema.properties as Record<string, Node>)[first]);
  else if (first.startsWith(".")) node = rest.length ? definitions.job : undefined;
  else node = definitions.job;
  for (const key of rest) {
    if (!node) return undefined;
    node = child(node, key);
  }
  return node;
}

export function keywordDoc(path: ReadonlyArray<string | number>, inHeader = false): KeywordDoc | undefined {
  const last = path[path.length - 1];
  if (typeof last !== "string") return undefined;
  const isJobName = path.length === 1 && !inHeader && !GLOBAL_KEYWORDS.includes(last) && last !== "spec";
  if (isJobName) return undefined;
  const node = schemaAt(path, inHeader);
  if (!node || typeof node.description !== "string") return undefined;
  return { keyword: last, description: node.description, docs: typeof node.docs === "string" ? node.docs : undefined };
}

/** Keys allowed at a path (for completion): the properties of every branch. */
export function keywordsAt(path: ReadonlyArray<string | number>, inHeader = false): KeywordDoc[] {
  const node = path.length === 0 ? undefined : schemaAt(path, inHeader);
  const source = path.length === 0 ? [schema] : node ? branches(node) : [];
  const out = new Map<string, KeywordDoc>();
  for (const b of source) {
    const props = (b.properties ?? {}) as Record<string, Node>;
    for (const [k, v] of Object.entries(props)) {
      const d = deref(v);
      if (!out.has(k))
        out.set(k, {
          keyword: k,
          description: String(d?.description ?? ""),
          docs: typeof d?.docs === "string" ? (d.docs as string) : undefined,
        });
    }
  }
  return [...out.values()];
}

export const jobKeywords = (): KeywordDoc[] => keywordsAt(["job-placeholder"]);
