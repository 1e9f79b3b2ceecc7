import type { Model } from "../engine/engine";
import type { CScalar, CValue, Diagnostic, Fix } from "../engine/types";
import { GLOBAL_KEYWORDS } from "../engine/jobs";
import { anchorCopy, get } from "../engine/values";
import { dockerHubImage, proxyVariable } from "../model/images";
import type { LintRule } from "./rule";

// gitlab-org pulls Docker Hub images through the group's Dependency Proxy, to stay clear of Docker
// Hub's pull rate limits: the image is written `${GITLAB_DEPENDENCY_PROXY_ADDRESS}ruby:3.2`, the
// variable holding the proxy's prefix with its trailing "/" (or nothing, where the proxy cannot be
// used). A config that defines neither variable has no proxy to use, so the rule stays silent.

/** The images written at a job's `image` and `services`, as the scalars that hold them. */
function imagesOf(holder: CValue, key: string): Array<CScalar & { value: string }> {
  const v = get(holder, key);
  if (!v) return [];
  const one = (x: CValue) => (x.kind === "map" ? get(x, "name") : x);
  const found = key === "services" ? (v.kind === "seq" ? v.items.map(one) : []) : [one(v)];
  return found.filter((x): x is CScalar & { value: string } => x?.kind === "scalar" && typeof x.value === "string");
}

/** Inserts the prefix (replacing a Docker Hub host) in the scalar as it is written. */
function prefixFix(model: Model, v: CScalar & { value: string }, host: string, variable: string): Fix | undefined {
  const text = model.files.get(v.src.file)?.text;
  if (!text) return undefined;
  const raw = text.slice(v.src.start, v.src.end);
  const prefix = `\${${variable}}`;
  const title = `Pull through the dependency proxy (\${${variable}})`;
  const quoted = raw.startsWith('"') || raw.startsWith("'");
  if (!quoted && /^[|>!&*]/.test(raw)) return undefined;
  const at = v.src.start + (quoted ? 1 : 0);
  if (text.slice(at, at + host.length) !== host) return undefined;
  const parent = writtenIn(model, v);
  if (!quoted && (!parent || isFlow(model, parent))) {
    // "{" ends a plain scalar inside [ ] or { }, so the new value has to be quoted there
    return { title, edits: [{ src: v.src, newText: JSON.stringify(prefix + v.value.slice(host.length)) }] };
  }
  return { title, edits: [{ src: { file: v.src.file, start: at, end: at + host.length }, newText: prefix }] };
}

/** The collection a value is written in, found by the parser's ranges in the file that holds it. */
function writtenIn(model: Model, v: CValue): CValue | undefined {
  let parent: CValue | undefined = model.files.get(v.src.file)?.content;
  while (parent && (parent.kind === "map" || parent.kind === "seq")) {
    const children = parent.kind === "map" ? [...parent.entries.values()].map((e) => e.value) : parent.items;
    // copies carry the anchor's range; the anchor itself is in the tree at its own place
    const child = children.find((c) => !anchorCopy(c) && c.src.start <= v.src.start && v.src.end <= c.src.end);
    if (!child) return undefined;
    if (child.src.start === v.src.start && child.src.end === v.src.end && child.kind === "scalar") return parent;
    parent = child;
  }
  return undefined;
}

/** Flow collections are written `[ ]` or `{ }`; their src starts at the bracket. */
function isFlow(model: Model, collection: CValue): boolean {
  const c = model.files.get(collection.src.file)?.text[collection.src.start];
  return c === "[" || c === "{";
}

export const dependencyProxy: LintRule = {
  id: "dependency-proxy",
  severity: "hint",
  summary: "a Docker Hub image is pulled without the dependency proxy the config defines",
  check(model) {
    const variable = proxyVariable(model);
    if (!variable) return [];
    const out: Diagnostic[] = [];
    // aliases and extends copy a value with the src where it is written: judge each place once
    const seen = new Set<string>();
    const judge = (holder: CValue, key: string) => {
      for (const v of imagesOf(holder, key)) {
        const at = `${v.src.file}:${v.src.start}`;
        if (seen.has(at)) continue;
        seen.add(at);
        const image = v.value;
        const hub = dockerHubImage(image);
        if (!hub) continue;
        const fix = prefixFix(model, v, hub.host, variable);
        out.push({
          src: v.src,
          severity: "hint",
          code: "dependency-proxy",
          message:
            `Docker Hub image "${image}" is pulled directly, not through the dependency ` +
            "proxy, and counts against Docker Hub's rate limits: " +
            `write it \${${variable}}${image.slice(hub.host.length)}`,
          fixes: fix ? [fix] : undefined,
        });
      }
    };
    for (const f of model.files.values()) {
      if (f.content?.kind !== "map") continue;
      judge(f.content, "image");
      judge(f.content, "services");
      for (const e of f.content.entries.values()) {
        if (GLOBAL_KEYWORDS.includes(e.key) && e.key !== "default") continue;
        judge(e.value, "image");
        judge(e.value, "services");
      }
    }
    // anchors are judged when first used, which need not be where they are written: read in file order
    const order = [...model.files.keys()];
    return out.sort((a, b) => order.indexOf(a.src.file) - order.indexOf(b.src.file) || a.src.start - b.src.start);
  },
};
