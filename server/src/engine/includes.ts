import { type ExternalAnswer, type ExternalIncludes, type ExternalRequest, requestKey } from "./external";
import { type ExternalEntry, type FileContext, wantedFiles } from "./include-external";
import { headerHasUnknownKeys, interpolate, readInputSpecs, resolveInputValues, type Report } from "./inputs";
import type { ParsedFile } from "./load";
import { fnmatcher } from "./fnmatch";
import { inclusionKey, markInclusion, type InclusionKeys } from "./inclusions";
import { normaliseLocalPath } from "./paths";
import type { CMap, CValue, Diagnostic, Inclusion, Src } from "./types";
import { deepMergeAll, emptyMap, get, str, toJS, without } from "./values";
import { matchWildcard } from "./wildcard";

// Follows `include:` the way GitLab's External::Processor does: each file's includes are
// expanded depth-first in the order written, deep-merged into one hash, and the including
// file is merged last so it wins. Files that live outside this project (project, remote,
// template, component) are asked of the host's ExternalIncludes, when it has one (the user
// turned fetching on); those it cannot answer are recorded and reported, and the rest of the
// analysis goes on without them.

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
  /** Files this entry brought in (several for a wildcard); fetched files by their `//` virtual paths. */
  readonly targets: readonly string[];
  /** `include:rules` that depend on the pipeline, so the file may or may not be included. */
  readonly rules?: CValue;
  /** True when the entry names a file outside the project that could not be read. */
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
  /** The host's answer to each external request (by requestKey), to tell when a fetch changed it. */
  readonly externals: ReadonlyMap<string, ExternalUse>;
  readonly inputFailures: ReadonlyMap<string, Diagnostic>;
  readonly external: boolean;
  /** Inclusions of templated files below this one (not this file's own: that depends on where it is included). */
  readonly inclusions: readonly InclusionKeys[];
  /** This file's top-level keys after interpolation. */
  readonly keys: readonly string[];
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
  /**
   * Files whose inputs failed (a missing or invalid input), with the first such error: GitLab stops
   * there, so what their uninterpolated `$[[ ]]` blocks cause next is a consequence, not a cause.
   */
  readonly inputFailures: ReadonlyMap<string, Diagnostic>;
  /** Every inclusion of a file with a `spec:` header (and the child pipeline's root, given inputs). */
  readonly inclusions: readonly InclusionKeys[];
}

/** An external request an expansion made, and the answer it got (as a signature). */
interface ExternalUse {
  readonly request: ExternalRequest;
  readonly answer: string;
}

interface Frame {
  edges: IncludeEdge[];
  diagnostics: Diagnostic[];
  deps: Map<string, ParsedFile | undefined>;
  wildcards: Map<string, string>;
  externals: Map<string, ExternalUse>;
  inputFailures: Map<string, Diagnostic>;
  inclusions: InclusionKeys[];
  count: number;
  external: boolean;
  /** False when the result depends on where the file was reached from (cycles, the global limit). */
  pure: boolean;
}

export class IncludeExpander {
  private total = 0;
  private limitReported = false;
  /** The host's answers in this run: one answer per request, however often it is included. */
  private readonly answers = new Map<string, ExternalAnswer>();

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
    private readonly externalIncludes?: ExternalIncludes,
  ) {}

  /**
   * `inputs` are those a parent pipeline passes to a child pipeline's root file; `entry` is the
   * trigger's `include:` entry that passes them.
   */
  run(root: ParsedFile, inputs?: { value: CMap; at: Src; entry?: Src }): IncludeResult {
    const frame = newFrame();
    const config = this.expand(
      root,
      inputs?.value,
      inputs?.at ?? { file: root.path, start: 0, end: 0 },
      "",
      [root.path],
      inputs === undefined,
      frame,
      undefined,
      inputs?.entry,
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
      inputFailures: frame.inputFailures,
      inclusions: frame.inclusions,
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
    context: FileContext,
    /** The include entry, when this expansion is an inclusion of a file with a `spec:` header. */
    entry?: Src,
  ): CMap {
    const key = `${file.path}\u0000${given ? JSON.stringify(toJS(given)) : ""}`;
    // kept out of the memo: the same file and inputs may be included by another entry
    const inclusion: Inclusion | undefined =
      file.header && entry ? { file: file.path, at: entry, inputs: given } : undefined;
    const cached = this.memo.get(key);
    if (cached && !isRoot && this.stillValid(cached) && this.total + cached.count <= MAX_INCLUDES) {
      this.total += cached.count;
      absorb(out, cached, cached.count, inclusion && { ...inclusion, keys: cached.keys });
      return cached.value;
    }
    const frame = newFrame();
    frame.deps.set(file.path, file);
    const report: Report = (src, code, message, severity = "error") =>
      frame.diagnostics.push({ src, code, message, severity });
    const specs = readInputSpecs(file.header, report);
    let content: CMap = file.content?.kind === "map" ? file.content : emptyMap({ file: file.path, start: 0, end: 0 });
    // an invalid header stands in for the inputs: GitLab reports its errors (validate.ts) and reads no inputs
    if ((file.header || (given && given.entries.size > 0)) && !headerHasUnknownKeys(file.header)) {
      const before = frame.diagnostics.length;
      const values = resolveInputValues(specs, given, givenAt, location, isRoot, report);
      const failed = frame.diagnostics.slice(before).find((d) => d.severity === "error");
      if (failed) frame.inputFailures.set(file.path, failed);
      if (file.header) content = interpolate(content, values, location, report) as CMap;
    }
    // the included files in order, then the including file's own keys: deep-merged, the last wins
    const parts: CMap[] = [];
    const include = content.entries.get("include");
    if (include) {
      for (const item of include.value.kind === "seq" ? include.value.items : [include.value])
        this.includeEntry(item, file.path, stack, parts, frame, report, context);
    }
    const value = deepMergeAll([...parts, without(content, "include")]);
    const keys = inclusion ? [...content.entries.keys()] : [];
    if (frame.pure && !isRoot) {
      this.memo.set(key, {
        value,
        count: frame.count,
        edges: frame.edges,
        diagnostics: frame.diagnostics,
        deps: frame.deps,
        wildcards: frame.wildcards,
        externals: frame.externals,
        inputFailures: frame.inputFailures,
        external: frame.external,
        inclusions: frame.inclusions,
        keys,
      });
    }
    absorb(out, frame, frame.count, inclusion && { ...inclusion, keys });
    return value;
  }

  private stillValid(e: Expansion): boolean {
    for (const [path, parsed] of e.deps) if (this.parse(path) !== parsed) return false;
    if (e.wildcards.size) {
      const files = this.listFiles();
      for (const [pattern, matched] of e.wildcards)
        if (matchWildcard(pattern, files).join("\n") !== matched) return false;
    }
    for (const use of e.externals.values()) if (signature(this.resolve(use.request)) !== use.answer) return false;
    return true;
  }

  private resolve(request: ExternalRequest): ExternalAnswer {
    const key = requestKey(request);
    let answer = this.answers.get(key);
    if (!answer) {
      answer = this.externalIncludes?.resolve(request) ?? { status: "unknown" };
      this.answers.set(key, answer);
    }
    return answer;
  }

  /** Follows one include entry: the files it brings in are expanded and added to `parts`, in order. */
  private includeEntry(
    item: CValue,
    from: string,
    stack: string[],
    parts: CMap[],
    frame: Frame,
    report: Report,
    context: FileContext,
  ): void {
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
        : decideRules(
            rules,
            // `exists` in a fetched file looks in that file's project, which only its server can list
            context !== undefined
              ? undefined
              : () => {
                  listed = true;
                  return this.listFiles();
                },
          );
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
      if (this.externalIncludes) {
        const ref = item.kind === "map" ? str(get(item, "ref")) : undefined;
        const entry = { kind, location, locationAt: locationValue!.src, files, ref };
        this.followExternal(entry, item, inputs, from, stack, parts, frame, report, context, conditional);
        return;
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

    if (context !== undefined && !location.includes("$") && !location.includes("*")) {
      // a local include inside a fetched file: a file of that file's project, at its commit
      if (!isYamlName(location)) {
        report(locationValue!.src, "include-not-yaml", `Included file \`${location}\` does not have YAML extension!`);
        return;
      }
      const entry = { kind, location, locationAt: locationValue!.src, files: [] };
      this.followExternal(entry, item, inputs, from, stack, parts, frame, report, context, conditional);
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
    let targets: readonly string[];
    if (context !== undefined) {
      // GitLab matches the wildcard against that project's files, which only its server can list
      frame.external = true;
      frame.edges.push({ from, src: item.src, kind, location, targets: [], rules: conditional, external: true });
      report(
        locationValue!.src,
        "include-external",
        `include:local \`${location}\` of a fetched file is a wildcard over another project's files: not followed`,
        "information",
      );
      return;
    } else if (location.includes("*")) {
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
        // GitLab names the path as it reads it: without the leading `/` (File::Local strips it)
        const missing = `Local file \`${location.includes("*") ? target : location.replace(/^\/+/, "")}\` does not exist!`;
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
      const at = given?.src ?? item.src;
      const sub = this.expand(parsed, given, at, target, [...stack, target], false, frame, context, item.src);
      parts.push(sub);
    }
  }

  /**
   * Follows an entry that names files outside the project (or a local include inside a fetched
   * file): each is asked of the host, and what it found is expanded in the file's own context.
   */
  private followExternal(
    entry: ExternalEntry,
    item: CValue,
    inputs: CValue | undefined,
    from: string,
    stack: string[],
    parts: CMap[],
    frame: Frame,
    report: Report,
    context: FileContext,
    conditional: CValue | undefined,
  ): void {
    const targets: string[] = [];
    const edgeAt = frame.edges.length;
    let unresolved = false;
    for (const wanted of wantedFiles(entry, context, this.externalIncludes!.instanceHost)) {
      if ("problem" in wanted) {
        report(wanted.at, "include-invalid", wanted.problem, wanted.severity);
        continue;
      }
      if (!this.countOne(item.src, frame, report, 1)) break;
      if (hasVariables(wanted.request)) {
        unresolved = true;
        report(
          wanted.at,
          "include-variables",
          `include:${wanted.label} uses CI/CD variables that only have values when the pipeline runs: not followed`,
          "information",
        );
        continue;
      }
      const answer = this.resolve(wanted.request);
      frame.externals.set(requestKey(wanted.request), { request: wanted.request, answer: signature(answer) });
      if (answer.status === "unknown") {
        unresolved = true;
        report(
          item.src,
          "include-external",
          `include:${wanted.label} ${answer.why ?? "cannot be read offline"}: ` +
            "jobs and templates it defines are unknown to this analysis",
          "information",
        );
        continue;
      }
      if (answer.status === "failed") {
        unresolved = true;
        report(wanted.at, "include-fetch-failed", answer.message, answer.severity);
        continue;
      }
      if (answer.note) report(item.src, "include-cached", `include:${wanted.label}: ${answer.note}`, "information");
      targets.push(answer.path);
      if (stack.includes(answer.path)) {
        frame.pure = false;
        const chain = [...stack.slice(stack.indexOf(answer.path)), answer.path].join(" → ");
        report(
          wanted.at,
          "include-cycle",
          `include cycle: ${chain} (GitLab fails with "Maximum of ${MAX_INCLUDES} nested includes are allowed!")`,
        );
        continue;
      }
      const parsed = this.parse(answer.path);
      frame.deps.set(answer.path, parsed);
      if (parsed === undefined) {
        unresolved = true;
        report(
          wanted.at,
          "include-fetch-failed",
          `include:${wanted.label} is no longer in the include cache`,
          "warning",
        );
        continue;
      }
      if (parsed.content === undefined && parsed.diagnostics.length === 0) {
        report(wanted.at, "include-empty", `Included file \`${answer.path}\` is empty!`);
        continue;
      }
      const given = inputs?.kind === "map" ? inputs : undefined;
      if (inputs && !given)
        report(inputs.src, "include-invalid", "include:inputs must be a map of input names to values");
      const at = given?.src ?? item.src;
      const sub = this.expand(
        parsed,
        given,
        at,
        answer.path,
        [...stack, answer.path],
        false,
        frame,
        answer.context ?? null,
        item.src,
      );
      parts.push(sub);
    }
    if (unresolved) frame.external = true;
    const edge = { from, src: item.src, kind: entry.kind, location: entry.location, targets, rules: conditional };
    frame.edges.splice(edgeAt, 0, { ...edge, external: unresolved });
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
function decideRules(
  rules: CValue | undefined,
  files: (() => readonly string[]) | undefined,
): "include" | "skip" | "conditional" {
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
function existsMatches(exists: CValue, files: (() => readonly string[]) | undefined): boolean | undefined {
  const spec = exists.kind === "map" ? exists : undefined;
  if (!files || (spec && (spec.entries.has("project") || spec.entries.has("ref")))) return undefined;
  const list = spec ? get(spec, "paths") : exists;
  const patterns = list?.kind === "seq" ? list.items.map(str) : [str(list)];
  if (patterns.some((p) => p === undefined || p.includes("$"))) return undefined;
  const matchers = (patterns as string[]).map(fnmatcher);
  return files().some((f) => matchers.some((m) => m(f)));
}

function newFrame(): Frame {
  return {
    edges: [],
    diagnostics: [],
    deps: new Map(),
    wildcards: new Map(),
    externals: new Map(),
    inputFailures: new Map(),
    inclusions: [],
    count: 0,
    external: false,
    pure: true,
  };
}

/** What an answer amounts to, to tell when the host's answer changed since an expansion used it. */
function signature(a: ExternalAnswer): string {
  switch (a.status) {
    case "found":
      return `found\u0000${a.path}\u0000${a.note ?? ""}`;
    case "failed":
      return `failed\u0000${a.severity}\u0000${a.message}`;
    case "unknown":
      return `unknown\u0000${a.why ?? ""}`;
  }
}

/** Whether a request still names CI/CD variables (only `$CI_SERVER_FQDN`/`_HOST` are known offline). */
function hasVariables(r: ExternalRequest): boolean {
  switch (r.kind) {
    case "project":
      return r.project.includes("$") || r.file.includes("$") || (r.ref ?? "").includes("$");
    case "component":
      return r.host.includes("$") || r.project.includes("$") || r.name.includes("$") || r.version.includes("$");
    case "template":
      return r.name.includes("$");
    case "remote":
      return r.url.includes("$");
  }
}

interface Absorbable {
  readonly edges: readonly IncludeEdge[];
  readonly diagnostics: readonly Diagnostic[];
  readonly deps: ReadonlyMap<string, ParsedFile | undefined>;
  readonly wildcards: ReadonlyMap<string, string>;
  readonly externals: ReadonlyMap<string, ExternalUse>;
  readonly inputFailures: ReadonlyMap<string, Diagnostic>;
  readonly external: boolean;
  readonly inclusions: readonly InclusionKeys[];
  readonly pure?: boolean;
}

/** `inclusion`: this expansion's own, whose file's findings it marks. */
function absorb(out: Frame, inner: Absorbable, count: number, inclusion?: InclusionKeys) {
  out.edges.push(...inner.edges);
  let marked = inner.diagnostics;
  if (inclusion) {
    out.inclusions.push(inclusion);
    marked = markInclusion(inner.diagnostics, { file: inclusion.file, at: inclusion.at, inputs: inclusion.inputs });
  }
  out.diagnostics.push(...marked);
  out.inclusions.push(...inner.inclusions);
  for (const [k, v] of inner.deps) out.deps.set(k, v);
  for (const [k, v] of inner.wildcards) out.wildcards.set(k, v);
  for (const [k, v] of inner.externals) out.externals.set(k, v);
  for (const [k, v] of inner.inputFailures)
    // the failure as marked, the same object as in the findings (follow-ons are folded into it by identity)
    if (!out.inputFailures.has(k))
      out.inputFailures.set(k, marked === inner.diagnostics ? v : (marked[inner.diagnostics.indexOf(v)] ?? v));
  out.count += count;
  out.external ||= inner.external;
  if (inner.pure === false) out.pure = false;
}

export function dedupe(diags: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diags.filter((d) => {
    const k = `${d.src.file}:${d.src.start}:${d.src.end}:${d.code}:${d.message}:${inclusionKey(d)}`;
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
