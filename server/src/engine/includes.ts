import { interpolate, readInputSpecs, resolveInputValues, type Report } from "./inputs";
import type { ParsedFile } from "./load";
import { fnmatcher } from "./fnmatch";
import { normaliseLocalPath } from "./paths";
import type { CMap, CValue, Diagnostic, Src } from "./types";
import { deepMergeAll, emptyMap, get, str, toJS, without } from "./values";
import { matchWildcard } from "./wildcard";

// Follows `include:` the way GitLab's External::Processor does: each file's includes are
// expanded depth-first in the order written, deep-merged into one hash, and the including
// file is merged last so it wins. Files that live outside this project (project, remote,
// template, component) cannot be read offline; they are recorded and reported, and the
// rest of the analysis goes on without them.

export const MAX_INCLUDES = 150;

export type IncludeKind = "local" | "project" | "remote" | "template" | "component" | "artifact";
const SUBKEYS: readonly IncludeKind[] = ["local", "project", "remote", "template", "artifact", "component"];

export interface IncludeEdge {
  /** The including file. */
  readonly from: string;
  /** The include entry as written. */
  readonly src: Src;
  readonly kind: IncludeKind;
  /** The location after input interpolation: a path, project, URL, template or component. */
  readonly location: string;
  /** Project files this entry brought in (several for a wildcard); empty for external ones. */
  readonly targets: readonly string[];
  /** `include:rules` that depend on the pipeline, so the file may or may not be included. */
  readonly rules?: CValue;
  readonly external: boolean;
}

export interface Expansion {
  readonly value: CMap;
  /** Files included below this one, duplicates counted, as GitLab counts them. */
  readonly count: number;
  readonly edges: readonly IncludeEdge[];
  readonly diagnostics: readonly Diagnostic[];
  readonly deps: ReadonlyMap<string, ParsedFile | undefined>;
  readonly wildcards: ReadonlyMap<string, string>;
  readonly external: boolean;
}

/** `include:rules` decided for one pipeline: whether the including file `from` includes the entry. */
export type IncludeRulesDecider = (rules: CValue, from: string) => "include" | "skip";

export interface ExpansionMemo {
  get(key: string): Expansion | undefined;
  set(key: string, value: Expansion): void;
  delete(key: string): boolean;
}

export interface IncludeResult {
  readonly config: CMap;
  readonly edges: readonly IncludeEdge[];
  readonly diagnostics: readonly Diagnostic[];
  /** Every project file that took part, root first. */
  readonly files: readonly string[];
  /** True when some include could not be read, so jobs may exist that we cannot see. */
  readonly hasExternal: boolean;
  readonly includeCount: number;
}

interface Frame {
  edges: IncludeEdge[];
  diagnostics: Diagnostic[];
  deps: Map<string, ParsedFile | undefined>;
  wildcards: Map<string, string>;
  count: number;
  external: boolean;
  /** False when the result depends on where the file was reached from (cycles, the global limit). */
  pure: boolean;
}

export class IncludeExpander {
  private total = 0;
  private limitReported = false;

  constructor(
    private readonly parse: (path: string) => ParsedFile | undefined,
    private readonly listFiles: () => readonly string[],
    private readonly memo: ExpansionMemo,
    private readonly unreadable: (path: string) => string | undefined = () => undefined,
    /**
     * Decides `include:rules` for one pipeline (the simulation's); without it, rules that depend on
     * the pipeline keep their file, marked conditional on the edge.
     */
    private readonly decide?: IncludeRulesDecider,
  ) {}

  /** `inputs` are those a parent pipeline passes to a child pipeline's root file. */
  run(root: ParsedFile, inputs?: { value: CMap; at: Src }): IncludeResult {
    const frame = newFrame();
    const config = this.expand(
      root,
      inputs?.value,
      inputs?.at ?? { file: root.path, start: 0, end: 0 },
      "",
      [root.path],
      inputs === undefined,
      frame,
    );
    const files = [root.path];
    const seen = new Set(files);
    for (const e of frame.edges)
      for (const t of e.targets)
        if (!seen.has(t)) {
          seen.add(t);
          files.push(t);
        }
    return {
      config,
      edges: frame.edges,
      diagnostics: dedupe(frame.diagnostics),
      files,
      hasExternal: frame.external,
      includeCount: this.total,
    };
  }

  private expand(
    file: ParsedFile,
    given: CMap | undefined,
    givenAt: Src,
    location: string,
    stack: string[],
    isRoot: boolean,
    out: Frame,
  ): CMap {
    const key = `${file.path}\u0000${given ? JSON.stringify(toJS(given)) : ""}`;
    const cached = this.memo.get(key);
    if (cached && !isRoot && this.stillValid(cached) && this.total + cached.count <= MAX_INCLUDES) {
      this.total += cached.count;
      absorb(out, cached, cached.count);
      return cached.value;
    }
    const frame = newFrame();
    frame.deps.set(file.path, file);
    const report: Report = (src, code, message, severity = "error") =>
      frame.diagnostics.push({ src, code, message, severity });
    const specs = readInputSpecs(file.header, report);
    let content: CMap = file.content?.kind === "map" ? file.content : emptyMap({ file: file.path, start: 0, end: 0 });
    if (file.header || (given && given.entries.size > 0)) {
      const values = resolveInputValues(specs, given, givenAt, location, isRoot, report);
      if (file.header) content = interpolate(content, values, report) as CMap;
    }
    // the included files in order, then the including file's own keys: deep-merged, the last wins
    const parts: CMap[] = [];
    const include = content.entries.get("include");
    if (include) {
      for (const item of include.value.kind === "seq" ? include.value.items : [include.value])
        this.includeEntry(item, file.path, stack, parts, frame, report);
    }
    const value = deepMergeAll([...parts, without(content, "include")]);
    if (frame.pure && !isRoot) {
      this.memo.set(key, {
        value,
        count: frame.count,
        edges: frame.edges,
        diagnostics: frame.diagnostics,
        deps: frame.deps,
        wildcards: frame.wildcards,
        external: frame.external,
      });
    }
    absorb(out, frame, frame.count);
    return value;
  }

  private stillValid(e: Expansion): boolean {
    for (const [path, parsed] of e.deps) if (this.parse(path) !== parsed) return false;
    if (e.wildcards.size) {
      const files = this.listFiles();
      for (const [pattern, matched] of e.wildcards)
        if (matchWildcard(pattern, files).join("\n") !== matched) return false;
    }
    return true;
  }

  /** Follows one include entry: the files it brings in are expanded and added to `parts`, in order. */
  private includeEntry(item: CValue, from: string, stack: string[], parts: CMap[], frame: Frame, report: Report): void {
    if (item.kind === "scalar" && item.value === null) return;
    let kind: IncludeKind;
    let locationValue: CValue | undefined;
    let rules: CValue | undefined;
    let inputs: CValue | undefined;
    let files: CValue[] = [];
    if (item.kind === "scalar" && typeof item.value === "string") {
      kind = /^https?:\/\//i.test(item.value) ? "remote" : "local";
      locationValue = item;
    } else if (item.kind === "map") {
      const present = SUBKEYS.filter((k) => item.entries.has(k));
      if (present.length === 0) {
        report(
          item.src,
          "include-invalid",
          `\`${JSON.stringify(toJS(item))}\` does not have a valid subkey for include. ` +
            `Valid subkeys are: \`local\`, \`project\`, \`remote\`, \`template\`, \`artifact\`, ` +
            `\`component\``,
        );
        return;
      }
      if (present.length > 1) {
        report(
          item.src,
          "include-invalid",
          "Each include must use only one of: `local`, `project`, `remote`, `template`, `artifact`, `component`",
        );
        return;
      }
      kind = present[0];
      locationValue = get(item, kind);
      rules = get(item, "rules");
      inputs = get(item, "inputs") ?? get(item, "with");
      if (kind === "project") {
        const f = get(item, "file");
        files = f?.kind === "seq" ? [...f.items] : f ? [f] : [];
      }
    } else {
      report(item.src, "include-invalid", "Each include must be a hash or a string");
      return;
    }
    const location = str(locationValue);
    if (location === undefined) {
      report(
        locationValue?.src ?? item.src,
        "include-invalid",
        `Included file \`${JSON.stringify(locationValue ? toJS(locationValue) : null)}\` needs to be a string`,
      );
      return;
    }
    let listed = false;
    const decision =
      rules && this.decide
        ? this.decide(rules, from)
        : decideRules(rules, () => {
            listed = true;
            return this.listFiles();
          });
    // a decision taken on the file listing, or for one pipeline, must be taken again next time
    if (listed || (rules && this.decide)) frame.pure = false;
    if (decision === "skip") return;
    const conditional = decision === "conditional" ? rules : undefined;

    if (kind !== "local") {
      const fileList = files.map((f) => `\`${str(f) ?? "?"}\``).join(", ");
      const what =
        kind === "project"
          ? `project \`${location}\`${files.length ? ` file ${fileList}` : ""}`
          : `${kind} \`${location}\``;
      if (kind === "project" && files.length === 0) {
        report(item.src, "include-invalid", `include:project \`${location}\` needs a \`file\``);
        return;
      }
      for (const f of kind === "project" ? files : [locationValue!]) {
        const name = str(f) ?? "";
        if (kind !== "component" && !isYamlName(name)) {
          report(f.src, "include-not-yaml", `Included file \`${name}\` does not have YAML extension!`);
        }
      }
      this.countOne(item.src, frame, report, files.length || 1);
      frame.external = true;
      frame.edges.push({ from, src: item.src, kind, location, targets: [], rules: conditional, external: true });
      report(
        item.src,
        "include-external",
        `include:${what} cannot be read offline: jobs and templates it defines are unknown to this analysis`,
        "information",
      );
      return;
    }

    if (location.includes("$")) {
      frame.external = true;
      frame.edges.push({ from, src: item.src, kind, location, targets: [], rules: conditional, external: true });
      report(
        locationValue!.src,
        "include-variables",
        `include:local \`${location}\` uses CI/CD variables that only have values when the pipeline runs: not followed`,
        "information",
      );
      return;
    }
    let targets: string[];
    if (location.includes("*")) {
      const pattern = location.replace(/^\/+/, "");
      targets = matchWildcard(pattern, this.listFiles());
      frame.wildcards.set(pattern, targets.join("\n"));
      if (targets.length === 0)
        report(
          locationValue!.src,
          "include-no-match",
          `no file matches \`${location}\`: GitLab includes nothing here`,
          "warning",
        );
    } else {
      const path = normaliseLocalPath(location);
      if (path === undefined) {
        report(
          locationValue!.src,
          "include-outside-project",
          `Local file \`${location}\` is outside the project: include:local paths are read from the repository root`,
        );
        return;
      }
      if (!isYamlName(path)) {
        report(locationValue!.src, "include-not-yaml", `Included file \`${location}\` does not have YAML extension!`);
        return;
      }
      targets = [path];
    }
    frame.edges.push({ from, src: item.src, kind, location, targets, rules: conditional, external: false });
    for (const target of targets) {
      if (stack.includes(target)) {
        frame.pure = false;
        const chain = [...stack.slice(stack.indexOf(target)), target].join(" → ");
        report(
          locationValue!.src,
          "include-cycle",
          `include cycle: ${chain} (GitLab fails with "Maximum of ${MAX_INCLUDES} nested includes are allowed!")`,
        );
        continue;
      }
      if (!this.countOne(item.src, frame, report, 1)) break;
      const parsed = this.parse(target);
      frame.deps.set(target, parsed);
      const why = parsed === undefined ? this.unreadable(target) : undefined;
      if (why) {
        report(locationValue!.src, "file-unreadable", `Local file \`${target}\` ${why}`);
        continue;
      }
      if (parsed === undefined) {
        const missing = `Local file \`${location.includes("*") ? target : location}\` does not exist!`;
        if (conditional)
          report(
            locationValue!.src,
            "include-not-found",
            `${missing} (GitLab fails only when the include:rules select this file)`,
            "warning",
          );
        else report(locationValue!.src, "include-not-found", missing);
        continue;
      }
      if (parsed.content === undefined && parsed.diagnostics.length === 0) {
        report(locationValue!.src, "include-empty", `Local file \`${target}\` is empty!`);
        continue;
      }
      const given = inputs?.kind === "map" ? inputs : undefined;
      if (inputs && !given)
        report(inputs.src, "include-invalid", "include:inputs must be a map of input names to values");
      const sub = this.expand(parsed, given, given?.src ?? item.src, target, [...stack, target], false, frame);
      parts.push(sub);
    }
  }

  /** Counts included files against GitLab's limit; false once the limit is passed. */
  private countOne(at: Src, frame: Frame, report: Report, n: number): boolean {
    this.total += n;
    frame.count += n;
    if (this.total > MAX_INCLUDES) {
      frame.pure = false;
      if (!this.limitReported) {
        this.limitReported = true;
        report(at, "include-limit", `Maximum of ${MAX_INCLUDES} nested includes are allowed!`);
      }
      return false;
    }
    return true;
  }
}

/**
 * include:rules as far as they can be decided offline. Rules are tried in order and the first
 * that matches decides (`when: never` leaves the file out). A rule with only `exists` is decided
 * against the project's files; a rule with `if` or `changes` depends on the pipeline, and so does
 * everything after it.
 */
function decideRules(rules: CValue | undefined, files: () => readonly string[]): "include" | "skip" | "conditional" {
  if (!rules) return "include";
  if (rules.kind !== "seq" || rules.items.length === 0) return "conditional";
  for (const rule of rules.items) {
    if (rule.kind !== "map" || rule.entries.has("if") || rule.entries.has("changes")) return "conditional";
    const exists = get(rule, "exists");
    if (exists) {
      const found = existsMatches(exists, files);
      if (found === undefined) return "conditional";
      if (!found) continue;
    }
    return str(get(rule, "when")) === "never" ? "skip" : "include";
  }
  return "skip";
}

/** Whether any `exists` pattern matches a project file; undefined when that cannot be known here. */
function existsMatches(exists: CValue, files: () => readonly string[]): boolean | undefined {
  const spec = exists.kind === "map" ? exists : undefined;
  if (spec && (spec.entries.has("project") || spec.entries.has("ref"))) return undefined;
  const list = spec ? get(spec, "paths") : exists;
  const patterns = list?.kind === "seq" ? list.items.map(str) : [str(list)];
  if (patterns.some((p) => p === undefined || p.includes("$"))) return undefined;
  const matchers = (patterns as string[]).map(fnmatcher);
  return files().some((f) => matchers.some((m) => m(f)));
}

function newFrame(): Frame {
  return { edges: [], diagnostics: [], deps: new Map(), wildcards: new Map(), count: 0, external: false, pure: true };
}

interface Absorbable {
  readonly edges: readonly IncludeEdge[];
  readonly diagnostics: readonly Diagnostic[];
  readonly deps: ReadonlyMap<string, ParsedFile | undefined>;
  readonly wildcards: ReadonlyMap<string, string>;
  readonly external: boolean;
  readonly pure?: boolean;
}

function absorb(out: Frame, inner: Absorbable, count: number) {
  out.edges.push(...inner.edges);
  out.diagnostics.push(...inner.diagnostics);
  for (const [k, v] of inner.deps) out.deps.set(k, v);
  for (const [k, v] of inner.wildcards) out.wildcards.set(k, v);
  out.count += count;
  out.external ||= inner.external;
  if (inner.pure === false) out.pure = false;
}

export function dedupe(diags: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diags.filter((d) => {
    const k = `${d.src.file}:${d.src.start}:${d.src.end}:${d.code}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Whether a path's last part is a name ending in `.yml` or `.yaml` (GitLab's `.+\.(yml|yaml)$`),
 * tested in linear time: that pattern backtracks quadratically on a long name full of dots.
 */
function isYamlName(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot > 0 && /^(yml|yaml)$/i.test(name.slice(dot + 1));
}
