import { evaluateExpression, expressionInputs, expressionVariables, parseExpression, type Parsed } from "../expression";
import { fnmatcher } from "../fnmatch";
import type { CValue } from "../types";
import { entry, get, isNull } from "../values";
import { LayeredVariables, sortAndExpandAll as sortAndExpandItems, variablesMap } from "./variables";

// The clauses of a rule — `if`, `changes`, `exists` — evaluated the way GitLab's
// lib/gitlab/ci/build/rules/rule/clause/{if,changes,exists}.rb evaluate them, for a job's rules,
// workflow:rules and include:rules alike. Pure: the diff, the files of the commit, another ref's
// diff and another project's files all come in through the ClauseContext.
//
// Where the context cannot say (no file list, no host to diff against `compare_to`), a clause is
// taken as satisfied and says so in `unknown`: GitLab itself errs towards running a job when it
// cannot decide cheaply (a nil diff, too many comparisons), so a simulation that must pick one
// answer picks that one, and the host can show the assumption.

/** What a rule's clauses see. */
export interface ClauseContext {
  /** The variables the rule sees, raw (not expanded): `if:` reads them as they are (clause/if.rb). */
  readonly variables: ReadonlyMap<string, string>;
  /**
   * The same variables sorted and expanded (Context#variables_hash_expanded), which `changes:` and
   * `exists:` patterns are expanded with. Computed from `variables` when absent; a caller that knows
   * which variables are raw (`expand: false`) or files gives its own, as GitLab keeps those unexpanded.
   */
  readonly expandedVariables?: ReadonlyMap<string, string>;
  /** The paths the pipeline's diff changed; undefined when there is no diff: every `changes:` is then true. */
  readonly changes: readonly string[] | undefined;
  /** Every file of the pipeline's commit; undefined when unknown: `exists:` is then assumed true (see `unknown`). */
  readonly files: readonly string[] | undefined;
  /**
   * The paths changed between the merge base of `ref` and the pipeline's commit (`changes:compare_to`),
   * or "invalid" when `ref` names no commit. Absent: unknown, the clause is assumed true.
   */
  readonly compareTo?: (ref: string) => readonly string[] | "invalid";
  /**
   * The files of another project at `ref` (its default branch when undefined), for `exists:project`;
   * "no-project" when it does not exist or cannot be read, "no-ref" when `ref` is no ref of it.
   * Absent: unknown, the clause is assumed true.
   */
  readonly projectFiles?: (project: string, ref: string | undefined) => readonly string[] | "no-project" | "no-ref";
  /** `$[[ inputs.x ]]` values, for rules under `spec:inputs`. */
  readonly inputs?: ReadonlyMap<string, unknown>;
}

/**
 * A clause's verdict: satisfied or not (with `unknown` saying what was assumed, when the context
 * could not tell), or GitLab's Clause::ParseError text, which fails the pipeline.
 */
export type Clause = { readonly satisfied: boolean; readonly unknown?: string } | { readonly error: string };

/** Changed paths × patterns beyond which `changes:` is true without matching (CHANGES_MAX_PATTERN_COMPARISONS). */
export const CHANGES_MAX_PATTERN_COMPARISONS = 50_000;
/** Files × wildcard patterns beyond which `exists:` is true without matching (Exists::MAX_PATTERN_COMPARISONS). */
export const EXISTS_MAX_PATTERN_COMPARISONS = 50_000;

/** The message GitLab raises for a `compare_to` that names no commit (clause/changes.rb). */
export const COMPARE_TO_INVALID = "rules:changes:compare_to is not a valid ref";

const NAME = "[A-Za-z_][A-Za-z0-9_]*";
/** ExpandVariables::VARIABLES_REGEXP: `$NAME`, `${NAME}`, `%NAME%`; no escapes. */
const EXPAND_RE = new RegExp(`\\$(${NAME})|\\$\\{(${NAME})\\}|%(${NAME})%`, "g");

/**
 * ExpandVariables.expand_existing: each `$VAR`, `${VAR}` and `%VAR%` naming a variable becomes its
 * value, in one pass (a value's own references are not expanded again); an unknown name stays as
 * written, so `$UNKNOWN/**` keeps its `$` and can only match a path that has one.
 */
export function expandExisting(text: string, variables: ReadonlyMap<string, string>): string {
  if (!text.includes("$") && !text.includes("%")) return text;
  return text.replace(EXPAND_RE, (whole: string, a?: string, b?: string, c?: string) => {
    const value = variables.get(a ?? b ?? c ?? "");
    return value ?? whole;
  });
}

/**
 * How GitLab expands a `changes:`/`exists:` pattern: expand_existing against the variables sorted and
 * expanded into each other, so a variable whose value is `$OTHER/src` gives OTHER's value (nested
 * expansion), while an unknown name in the pattern stays literal.
 */
export function expandPattern(pattern: string, variables: ReadonlyMap<string, string>): string {
  if (!pattern.includes("$") && !pattern.includes("%")) return pattern; // nothing to expand: skip the sort
  return expandExisting(pattern, sortAndExpandAll(variables));
}

const expandedMemo = new WeakMap<ReadonlyMap<string, string>, ReadonlyMap<string, string>>();

/**
 * Collection#sort_and_expand_all (keep_undefined: false), for variables given as a plain map: every
 * value has the variables it names replaced by their own expanded values; a name that is no
 * variable is removed; `$$` and `%%` stay. A variable naming itself sees nothing for that name
 * (it is not yet in the collection being built). When two or more variables name each other in a
 * circle GitLab expands nothing at all and keeps every value as written (Collection::Sort#errors).
 */
export function sortAndExpandAll(variables: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
  const known = expandedMemo.get(variables);
  if (known) return known;
  // the collection's own algorithm (variables.ts), on the map's entries
  const sorted = sortAndExpandItems([...variables].map(([key, value]) => ({ key, value })));
  const done = variablesMap(sorted.items);
  // keep the variables' own order, which callers may show; a circle keeps every value as written
  const out = sorted.error ? variables : new Map([...variables.keys()].map((k) => [k, done.get(k) ?? ""]));
  expandedMemo.set(variables, out);
  return out;
}

/** The variables patterns are expanded with. */
function expandedOf(ctx: ClauseContext): ReadonlyMap<string, string> {
  return ctx.expandedVariables ?? sortAndExpandAll(ctx.variables);
}

/**
 * expand_existing with the expanded variables, which are worked out only when a text names one: most
 * patterns name none, and expanding every variable into the others is the costly part.
 */
function expander(ctx: ClauseContext): (text: string) => string {
  let expanded: ReadonlyMap<string, string> | undefined;
  return (text) =>
    text.includes("$") || text.includes("%") ? expandExisting(text, (expanded ??= expandedOf(ctx))) : text;
}

/** A YAML list of patterns as GitLab's Array() reads it: a list, or one string; scalars as their text. */
function stringsOf(v: CValue | undefined): string[] {
  if (v === undefined || isNull(v)) return [];
  const items = v.kind === "seq" ? v.items : [v];
  const out: string[] = [];
  for (const item of items)
    if (item.kind === "scalar" && item.value !== null) out.push(String(item.value));
    else if (item.kind === "seq") out.push(...stringsOf(item));
  return out;
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}

/**
 * `if:` (clause/if.rb): Statement#truthful? with the raw variables. A text that does not parse is
 * false (config validation reports it); so is a value that is no string.
 */
export function ifClause(expression: CValue, ctx: ClauseContext): Clause {
  if (expression.kind !== "scalar" || typeof expression.value !== "string") return { satisfied: false };
  const parsed = parsedExpression(expression.value);
  if (!parsed.ok) return { satisfied: false };
  // a rule set shared by hundreds of jobs mostly reads the pipeline's variables, not the job's: its value is
  // then the same for each of them, worked out once per pipeline
  const reads = readsOf(parsed);
  const shared =
    ctx.variables instanceof LayeredVariables && !reads.inputs ? ctx.variables.sharedKeyFor(reads.names) : undefined;
  let known = shared && sharedClauses.get(shared);
  const kept = known?.get(expression.value);
  if (kept) return kept;
  const result = evaluateExpression(parsed.tree, ctx.variables, ctx.inputs);
  // GitLab rescues only expression errors; what Ruby cannot compare fails the pipeline with an internal error
  const clause: Clause = result.error
    ? { satisfied: false, unknown: `GitLab fails evaluating this rule: ${result.error.message}` }
    : { satisfied: result.truthy };
  if (shared) {
    if (!known) sharedClauses.set(shared, (known = new Map()));
    known.set(expression.value, clause);
  }
  return clause;
}

/** if: clauses' results by the shared variables they were evaluated with (LayeredVariables#sharedKeyFor). */
const sharedClauses = new WeakMap<object, Map<string, Clause>>();

/** The variables and whether inputs an expression reads, once per parsed tree. */
function readsOf(parsed: Parsed & { ok: true }): { readonly names: readonly string[]; readonly inputs: boolean } {
  let reads = readsMemo.get(parsed);
  if (!reads) {
    reads = { names: expressionVariables(parsed.tree), inputs: expressionInputs(parsed.tree).length > 0 };
    readsMemo.set(parsed, reads);
  }
  return reads;
}

const readsMemo = new WeakMap<Parsed, { readonly names: readonly string[]; readonly inputs: boolean }>();

/** Expressions parsed so far (trees are immutable): a rule set shared by many jobs is parsed once. */
const parsedMemo = new Map<string, Parsed>();

function parsedExpression(text: string): Parsed {
  let parsed = parsedMemo.get(text);
  if (!parsed) {
    if (parsedMemo.size >= 10_000) parsedMemo.clear();
    parsed = parseExpression(text);
    parsedMemo.set(text, parsed);
  }
  return parsed;
}

/** The `regexp:` form of changes/exists, behind the ci_rules_regexp feature flag (off by default). */
const REGEXP_UNKNOWN =
  "`regexp:` is behind GitLab's ci_rules_regexp feature flag: with the flag off (the default) the clause is " +
  "always true, which is assumed here";

/**
 * `changes:` (clause/changes.rb), written as a list or as `{paths, compare_to}`. In GitLab's order:
 * a `compare_to` naming no commit is an error; no diff (tags, schedules, new branches...) is true;
 * an empty diff is false; the patterns, expanded and without duplicates, none left is false; more
 * than 50,000 comparisons is true; otherwise any changed path matching any pattern (File.fnmatch?
 * with FNM_PATHNAME | FNM_DOTMATCH | FNM_EXTGLOB).
 */
export function changesClause(changes: CValue, ctx: ClauseContext): Clause {
  const isMap = changes.kind === "map";
  if (isMap && !isNull(get(changes, "regexp"))) return { satisfied: true, unknown: REGEXP_UNKNOWN };
  const patterns = unique(stringsOf(isMap ? get(changes, "paths") : changes));
  const expand = expander(ctx);
  let diff: readonly string[] | undefined = ctx.changes;
  let unknown: string | undefined;
  const compareTo = isMap ? entry(changes, "compare_to")?.value : undefined;
  if (compareTo !== undefined && !isNull(compareTo)) {
    const ref = expand(compareTo.kind === "scalar" ? String(compareTo.value) : "");
    const found = ctx.compareTo?.(ref);
    if (found === "invalid") return { error: COMPARE_TO_INVALID };
    // the diff against another ref is a list, never "no diff"
    if (found === undefined) unknown = `the paths changed since \`${ref}\` (compare_to) are unknown`;
    diff = found ?? [];
  }
  if (diff === undefined) return { satisfied: true };
  if (diff.length === 0 && unknown === undefined) return { satisfied: false };
  // a list that names no variable gives the same answer for the same diff: rule sets shared through
  // anchors and !reference are matched once per pipeline, not once per job
  const fixed = unknown === undefined && !patterns.some((p) => p.includes("$") || p.includes("%"));
  const known = fixed ? changesMemo.get(changes)?.get(diff) : undefined;
  if (known !== undefined) return { satisfied: known };
  const result = matchChanges(patterns.map(expand), diff, unknown);
  if (fixed && "satisfied" in result && result.unknown === undefined) {
    let byDiff = changesMemo.get(changes);
    if (!byDiff) changesMemo.set(changes, (byDiff = new WeakMap()));
    byDiff.set(diff, result.satisfied);
  }
  return result;
}

const changesMemo = new WeakMap<CValue, WeakMap<readonly string[], boolean>>();

function matchChanges(expanded: string[], diff: readonly string[], unknown: string | undefined): Clause {
  const globs = unique(expanded);
  if (globs.length === 0) return { satisfied: false };
  if (unknown !== undefined) return { satisfied: true, unknown };
  if (diff.length * globs.length > CHANGES_MAX_PATTERN_COMPARISONS) return { satisfied: true };
  const matchers = globs.map(fnmatcher);
  return { satisfied: diff.some((path) => matchers.some((m) => m(path))) };
}

/** A pattern with none of fnmatch's wildcards (exact_glob?). */
function isExact(glob: string): boolean {
  return !/[*?[{]/.test(glob);
}

/** `**` + `/*` + an extension with no further folder or wildcard, e.g. `**\/*.js` (extension_glob?). */
function extensionOf(glob: string): string | undefined {
  const rest = glob.startsWith("**/*") ? glob.slice(4) : glob;
  return rest.startsWith(".") && !rest.includes("/") && isExact(rest) ? rest : undefined;
}

const fileSets = new WeakMap<readonly string[], ReadonlySet<string>>();
const topLevelLists = new WeakMap<readonly string[], readonly string[]>();

function fileSet(files: readonly string[]): ReadonlySet<string> {
  let set = fileSets.get(files);
  if (!set) fileSets.set(files, (set = new Set(files)));
  return set;
}

/** The files of the top folder: what GitLab lists (tree(sha).blobs) when no pattern can reach deeper. */
function topLevel(files: readonly string[]): readonly string[] {
  let list = topLevelLists.get(files);
  if (!list) topLevelLists.set(files, (list = files.filter((f) => !f.includes("/"))));
  return list;
}

/**
 * `exists:` (clause/exists.rb), written as a list, one string, or `{paths, project, ref}`. No
 * pattern is false before anything is read. The patterns are expanded like `changes:` ones (without
 * removing duplicates); when none has `/` or `**` only the top folder's files are listed. Each
 * pattern then is exact (no `* ? [ {`: the path itself, or with a trailing `/` a folder holding some
 * file), an extension (`**\/*.ext`: a path ending in `.ext`), or a wildcard pattern matched with
 * fnmatch; more than 50,000 files × wildcard patterns is true.
 */
export function existsClause(exists: CValue, ctx: ClauseContext): Clause {
  const isMap = exists.kind === "map";
  if (isMap && !isNull(get(exists, "regexp"))) return { satisfied: true, unknown: REGEXP_UNKNOWN };
  const patterns = stringsOf(isMap ? get(exists, "paths") : exists);
  if (patterns.length === 0) return { satisfied: false };
  const expand = expander(ctx);
  const project = isMap ? scalarText(get(exists, "project")) : undefined;
  let files: readonly string[] | undefined = ctx.files;
  let unknown = "the files of the commit are unknown";
  if (project !== undefined) {
    const path = expand(project);
    const rawRef = scalarText(get(exists, "ref"));
    const ref = rawRef === undefined ? undefined : expand(rawRef);
    const found = ctx.projectFiles?.(path, ref);
    if (found === "no-project") return { error: `rules:exists:project \`${path}\` not found or access denied` };
    if (found === "no-ref") return { error: `rules:exists:ref \`${ref}\` is not a valid ref in project \`${path}\`` };
    files = found;
    unknown = `the files of project \`${path}\` are unknown`;
  }
  if (files === undefined) return { satisfied: true, unknown };
  const globs = patterns.map(expand);
  const paths = globs.every((g) => !g.includes("/") && !g.includes("**")) ? topLevel(files) : files;
  return { satisfied: existsIn(paths, globs) };
}

function scalarText(v: CValue | undefined): string | undefined {
  return v?.kind === "scalar" && v.value !== null ? String(v.value) : undefined;
}

function existsIn(paths: readonly string[], globs: readonly string[]): boolean {
  const exact: string[] = [];
  const extensions: string[] = [];
  const wildcards: string[] = [];
  for (const g of globs) {
    const ext = isExact(g) ? undefined : extensionOf(g);
    if (isExact(g)) exact.push(g);
    else if (ext !== undefined) extensions.push(ext);
    else wildcards.push(g);
  }
  const set = fileSet(paths);
  // a trailing `/` asks for a folder (GitLab 18.2): some file under it. GitLab's own lookup could miss
  // one depending on the other files (gitlab-org/gitlab#630776, fixed by MR 258123); this is the fix's answer.
  if (exact.some((g) => (g.endsWith("/") ? paths.some((p) => p.startsWith(g)) : set.has(g)))) return true;
  if (extensions.length && paths.some((p) => extensions.some((e) => p.endsWith(e)))) return true;
  if (wildcards.length === 0) return false;
  if (paths.length * wildcards.length > EXISTS_MAX_PATTERN_COMPARISONS) return true;
  const matchers = wildcards.map(fnmatcher);
  return matchers.some((m) => paths.some((p) => m(p)));
}
