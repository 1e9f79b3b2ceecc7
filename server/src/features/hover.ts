import type { Model } from "../engine/engine";
import { renderValue } from "../engine/render";
import type { CValue, Src } from "../engine/types";
import { keyAtPath, namedJob, topLevelDefinitions } from "./definitions";
import { keywordDoc, type KeywordDoc } from "./keywords";
import type { InputSpec } from "../engine/inputs";
import { toJS } from "../engine/values";
import { spotAt, type Spot } from "../model/locate";
import { referenceIndex } from "../model/references";
import { CUSTOM_EXIT_CODES, CUSTOM_EXIT_CODES_DOCS } from "../gitlab/exit-codes";
import { PREDEFINED_VARIABLES, PREDEFINED_VARIABLES_DOCS } from "../gitlab/predefined-variables";
import { inputAt, inputSpec, variableAt } from "./variables";
import { jobAt, variableDefinitions } from "../model/variables";
import { usages } from "./used-by";
import { hiddenKind } from "./hidden-kinds";

// Hover texts, as Markdown: keywords explained from our schema; jobs, templates and rule sets
// shown resolved, with where they are defined, the comment above them and who uses them.

export interface HoverResult {
  readonly markdown: string;
  /** The range the hover is about. */
  readonly src: Src;
}

const MAX_YAML_LINES = 60;

/** Each value's block, kept with the value (values never change): writing a job as YAML was most of a hover. */
const blocks = new WeakMap<CValue, string>();

function yamlBlock(v: CValue): string {
  const kept = blocks.get(v);
  if (kept !== undefined) return kept;
  let text = renderValue(v, "yaml").trimEnd();
  const lines = text.split("\n");
  if (lines.length > MAX_YAML_LINES)
    text = [...lines.slice(0, MAX_YAML_LINES), `# … ${lines.length - MAX_YAML_LINES} more lines`].join("\n");
  const block = "```yaml\n" + text + "\n```";
  blocks.set(v, block);
  return block;
}

/**
 * A place as a link: `[file:line](pipewright-source:file#Lline)`. Features know project paths only; the
 * host turns the `pipewright-source:` target into the file's URI (lsp/convert.ts), so a click opens it there.
 */
function where(model: Model, src: Src): string {
  const line = model.files.get(src.file)?.lines.position(src.start).line ?? 0;
  // a fetched file is shown by its address on its instance (its `//` virtual path without the slashes)
  const shown = `\`${src.file.replace(/^\/\//, "")}:${line + 1}\``;
  const target = encodeURIComponent(src.file).replace(/\(/g, "%28").replace(/\)/g, "%29");
  return `[${shown}](${SOURCE_LINK}${target}#L${line + 1})`;
}

/** The link target that stands for a project file in hover Markdown (see `where`). */
export const SOURCE_LINK = "pipewright-source:";

/** The comment block written right above a key, without the `#` marks. */
function commentAbove(model: Model, src: Src): string {
  const f = model.files.get(src.file);
  if (!f) return "";
  const out: string[] = [];
  for (let i = f.lines.position(src.start).line - 1; i >= 0; i--) {
    const m = /^\s*#\s?(.*)$/.exec(f.lines.lineText(i));
    if (!m) break;
    out.unshift(m[1]);
  }
  return out.join("\n").trim();
}

function usersOf(model: Model, name: string): string[] {
  return [...model.extendsParents].filter(([, ps]) => ps.some((p) => p.name === name)).map(([k]) => k);
}

/** Top-level keys whose own text has a `!reference [name, ...]`. */
function referrersOf(model: Model, name: string): readonly string[] {
  return referenceIndex(model).get(name) ?? [];
}

function nameList(names: readonly string[]): string {
  return `${names
    .slice(0, 8)
    .map((u) => `\`${u}\``)
    .join(", ")}${names.length > 8 ? ", …" : ""}`;
}

/** "2 jobs and 1 template", "1 rule set": who the names are, counted by kind. */
function counted(model: Model, names: readonly string[]): string {
  const kinds = new Map<string, number>();
  for (const n of names) {
    const info = model.jobs.get(n);
    const kind = info?.kind === "hidden" ? hiddenKind(model, n) : info?.kind === "keyword" ? "keyword" : "job";
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  const parts = [...kinds].map(([k, n]) => `${n} ${n === 1 ? k : `${k}s`}`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}` : (parts[0] ?? "");
}

/** The hover for a job, template, rule set or other hidden key: resolved definition, place, comment, users. */
export function describeJob(model: Model, name: string): string | undefined {
  const info = model.jobs.get(name);
  if (!info) return undefined;
  const defs = topLevelDefinitions(model, name);
  const kind =
    info.kind === "hidden"
      ? hiddenKind(model, name)
      : info.kind === "bridge"
        ? "trigger job"
        : info.kind === "keyword"
          ? "keyword"
          : "job";
  const places = defs.map((d) => where(model, d)).join(", ") || "an include that cannot be read offline";
  const parts = [`**${kind}** \`${name}\` — defined in ${places}`];
  const comment = defs.length ? commentAbove(model, defs[0]) : "";
  if (comment) parts.push(comment);
  const users = usersOf(model, name);
  if (users.length) parts.push(`extended by ${counted(model, users)}: ${nameList(users)}`);
  const referrers = referrersOf(model, name);
  if (referrers.length) parts.push(`referenced by ${counted(model, referrers)}: ${nameList(referrers)}`);
  // through chains of extends and references, the jobs that end up with it (the CodeLens's count)
  const usage = info.kind === "hidden" ? usages(model).get(name) : undefined;
  const direct = [...users, ...referrers].filter((n) => model.jobs.get(n)?.kind !== "hidden").length;
  if (usage && usage.jobs.length !== direct)
    parts.push(`used by ${usage.jobs.length} ${usage.jobs.length === 1 ? "job" : "jobs"} in all`);
  const value = model.effectiveJob(name) ?? info.value;
  parts.push(yamlBlock(value));
  return parts.join("\n\n");
}

function describeInput(spec: InputSpec): string {
  const facts = [`type ${spec.type}`];
  if (spec.default !== undefined) facts.push(`default \`${JSON.stringify(toJS(spec.default))}\``);
  else facts.push("required");
  if (spec.options) facts.push(`one of ${spec.options.map((o) => `\`${String(toJS(o))}\``).join(", ")}`);
  if (spec.regex) facts.push(`matching \`${spec.regex}\``);
  return [`**input** \`${spec.name}\` — ${facts.join(", ")}`, spec.description ?? ""].filter(Boolean).join("\n\n");
}

function describeVariable(model: Model, name: string, job: string | undefined): string | undefined {
  const defs = variableDefinitions(model, name, job);
  const predefined = PREDEFINED_VARIABLES.get(name);
  const parts: string[] = [];
  if (predefined) {
    const deprecated = predefined.deprecated ? ` *Deprecated: ${predefined.deprecated}*` : "";
    parts.push(`**predefined variable** \`${name}\` — ${predefined.description}${deprecated}`);
    parts.push(`Available: ${predefined.availability}. [GitLab documentation](${PREDEFINED_VARIABLES_DOCS})`);
  }
  const lead = predefined ? "Overridden" : `**variable** \`${name}\` —`;
  for (const d of defs) parts.push(`${lead} defined in ${where(model, d.src)}\n\n${yamlBlock(d.value)}`);
  return parts.length ? parts.join("\n\n") : undefined;
}

/** A code listed in `retry:exit_codes` or `allow_failure:exit_codes` (alone or in a list). */
function exitCodeAt(spot: Spot): number | undefined {
  const v = spot.value;
  if (v?.kind !== "scalar" || typeof v.value !== "number") return undefined;
  const p = spot.path;
  const at = typeof p[p.length - 1] === "number" ? p.length - 2 : p.length - 1;
  return p[at] === "exit_codes" && (p[at - 1] === "retry" || p[at - 1] === "allow_failure") ? v.value : undefined;
}

function keywordMarkdown(doc: KeywordDoc): string {
  return `**${doc.keyword}** — ${doc.description}${doc.docs ? `\n\n[GitLab documentation](${doc.docs})` : ""}`;
}

export function hover(model: Model, file: string, offset: number): HoverResult | undefined {
  const parsed = model.files.get(file);
  if (!parsed) return undefined;
  const input = inputAt(parsed, offset);
  if (input) {
    const spec = inputSpec(parsed, input.name);
    return spec ? { src: input.src, markdown: describeInput(spec) } : undefined;
  }
  const variable = variableAt(parsed, offset);
  if (variable) {
    const text = describeVariable(model, variable.name, jobAt(parsed, offset));
    if (text) return { src: variable.src, markdown: text };
  }
  const spot = spotAt(parsed, offset);
  if (!spot) return undefined;
  if (spot.alias) {
    const anchor = [...spot.file.anchors]
      .reverse()
      .find((a) => a.name === spot.alias!.name && a.src.start < spot.alias!.at.start);
    if (!anchor) return undefined;
    return {
      src: spot.alias.at,
      markdown: [
        `**anchor** \`&${anchor.name}\` — defined in ${where(model, anchor.src)}`,
        yamlBlock(anchor.value),
      ].join("\n\n"),
    };
  }
  const code = exitCodeAt(spot);
  const meaning = code === undefined ? undefined : CUSTOM_EXIT_CODES.get(code);
  if (meaning && spot.value) {
    return {
      src: spot.value.src,
      markdown:
        `**exit code ${code}**: ${meaning}\n\nOne of gitlab-org's [custom exit ` + `codes](${CUSTOM_EXIT_CODES_DOCS}).`,
    };
  }
  const job = namedJob(spot);
  if (job !== undefined && spot.value) {
    const text = describeJob(model, job);
    return text ? { src: spot.value.src, markdown: text } : undefined;
  }
  if (spot.reference && spot.reference.index > 0 && spot.value) {
    const path = spot.reference.ref.items
      .slice(0, spot.reference.index + 1)
      .map((i) => (i.kind === "scalar" ? String(i.value) : ""));
    const found = keyAtPath(model, path);
    if (!found) return undefined;
    return {
      src: spot.value.src,
      markdown: [`\`${path.join(".")}\` — defined in ${where(model, found.src)}`, yamlBlock(found.value)].join("\n\n"),
    };
  }
  if (spot.key) {
    if (spot.path.length === 1 && !spot.inHeader) {
      const text = describeJob(model, spot.key.key);
      const doc = keywordDoc(spot.path);
      if (doc)
        return {
          src: spot.key.keySrc,
          markdown: keywordMarkdown(doc),
        };
      return text ? { src: spot.key.keySrc, markdown: text } : undefined;
    }
    const doc = keywordDoc(spot.path, spot.inHeader);
    if (doc)
      return {
        src: spot.key.keySrc,
        markdown: keywordMarkdown(doc),
      };
  }
  return undefined;
}
