import type { CScalar, CValue, Scalar } from "../types";
import type { MergeRequest, Situation } from "./situation";

// The variables an `if:` sees while GitLab creates a pipeline: in `include:rules`, in
// `workflow:rules` and in a job's `rules`/`only:variables`. Facts from gitlabhq/gitlabhq, as the research
// notes give them (research/pipeline-simulation.md §4.3, §5, §8) and re-read for this module:
//
// - lib/gitlab/ci/variables/builder.rb: `scoped_variables_for_pipeline_seed` (a job's rules, in this
//   order: job predefined, project predefined, pipeline predefined, Kubernetes, YAML, GITLAB_USER_*,
//   instance/group/project variables, pipeline variables, schedule variables, release variables) and
//   `config_variables` (include:rules: project + pipeline predefined, CI/CD settings variables,
//   pipeline variables, schedule variables).
// - lib/gitlab/ci/build/context/global.rb: workflow:rules see a stub job's variables, every key
//   matching /\ACI_(JOB|BUILD)/ removed.
// - lib/gitlab/ci/variables/collection.rb (`to_hash`: later entries win), builder/pipeline.rb,
//   app/models/project.rb (`predefined_variables`), app/models/merge_request.rb, app/models/ci/pipeline.rb.
//
// Expansion (the brief's question). `Rules::Rule::Clause::If#satisfied_by?` evaluates the statement
// with `context.variables_hash`, which is `variables.to_hash` (context/base.rb, context/build.rb,
// config/external/context.rb): the values as written, nothing expanded. So `B: "$A-x"` reads as
// `$A-x` in `rules:if`. Only `rules:changes`/`rules:exists` use `variables_hash_expanded`
// (`sort_and_expand_all`), and so does the environment name (context/build.rb#seed_environment).
// This module returns raw values and exports `sortAndExpandAll` for the places GitLab expands.
// Unverified: gitlab-org/gitlab!204549 ("Support nested variables expansion in rules:if",
// issue gitlab-org/gitlab#327780), reported merged for 18.5 in gitlab-org/gitlab#578297, may make
// rules:if see expanded values; the source read here (if.rb, lexeme/variable.rb, if_spec.rb) does not.
//
// What GitLab knows and a Situation does not (ids, versions, timestamps...) is a documented
// placeholder (PLACEHOLDERS below); the simulation only needs to be exact where a rule can tell.

/** One entry of a GitLab variables collection; a null value is a key GitLab sets to nil (reads as undefined). */
export interface VariableItem {
  readonly key: string;
  readonly value: string | null;
  /** `expand: false`: not expanded itself, though it expands where referenced (collection.rb). */
  readonly raw?: boolean;
}

/** What the simulation makes up, deterministically, for facts a Situation does not carry. */
export const PLACEHOLDERS = {
  /** CI_PROJECT_ID, CI_MERGE_REQUEST_PROJECT_ID (and a same-project MR's source project). */
  projectId: "1",
  /** CI_MERGE_REQUEST_SOURCE_PROJECT_ID of a merge request from a fork: anything but projectId. */
  forkProjectId: "2",
  /** CI_PROJECT_NAMESPACE_ID. */
  namespaceId: "1",
  /** CI_PIPELINE_IID once GitLab has allocated it (job rules); it is "" before (include and workflow rules). */
  pipelineIid: "1",
  /** CI_SERVER_VERSION and its parts; CI_SERVER_REVISION. */
  serverVersion: "18.6.0",
  serverRevision: "0000000000",
  /** CI_PROJECT_VISIBILITY. */
  visibility: "private",
  /** CI_COMMIT_TIMESTAMP (the commit's date is not in the Situation). */
  commitTimestamp: "1970-01-01T00:00:00Z",
  /** CI_COMMIT_AUTHOR when the Situation has no user to take it from. */
  commitAuthor: "Pipewright <pipewright@example.com>",
  /** A commit of another branch the Situation cannot know: merged results' target sha, the MR diff base. */
  otherSha: "ffffffffffffffffffffffffffffffffffffffff",
  /** CI_MERGE_REQUEST_DIFF_ID. */
  mergeRequestDiffId: "1",
  /** CI_TRIGGER_SHORT_TOKEN (the first characters of a trigger token). */
  triggerShortToken: "glpt",
  /** CI_UPSTREAM_PIPELINE_ID, CI_UPSTREAM_JOB_ID; CI_UPSTREAM_PROJECT_ID of a multi-project upstream. */
  upstreamPipelineId: "1",
  upstreamJobId: "1",
  upstreamProjectId: "2",
} as const;

const ZERO_SHA = "0000000000000000000000000000000000000000";

// --- Ruby conversions ---------------------------------------------------------------------------

/** Gitlab::Utils.slugify: lower-case, every character but a-z0-9 a `-`, at most 63, no `-` at the ends. */
export function slugify(text: string): string {
  let slug = slugs.get(text);
  if (slug === undefined) {
    if (slugs.size >= 10_000) slugs.clear();
    slugs.set(text, (slug = slugOf(text)));
  }
  return slug;
}

/** Slugs made so far: every pipeline slugs the same job names again. */
const slugs = new Map<string, string>();

function slugOf(text: string): string {
  // per code point (u flag), as Ruby's gsub works on characters
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]/gu, "-")
    .slice(0, 63)
    .replace(/^-+|-+$/g, "");
}

/** Ruby's Float#to_s (numeric.c flo_to_s): shortest digits, fixed up to 16 integer digits, else `1.0e+16`. */
export function rubyFloatToS(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  if (n === 0) return Object.is(n, -0) ? "-0.0" : "0.0";
  const [mantissa, exponent] = Math.abs(n).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exp = Number(exponent);
  const decpt = exp + 1; // digits are d.ddd × 10^exp, i.e. the point sits after `decpt` digits
  const sign = n < 0 ? "-" : "";
  if (decpt > 0 && decpt <= 16) {
    if (digits.length <= decpt) return `${sign}${digits}${"0".repeat(decpt - digits.length)}.0`;
    return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  }
  if (decpt <= 0 && decpt > -4) return `${sign}0.${"0".repeat(-decpt)}${digits}`;
  const e = `${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return `${sign}${digits[0]}.${digits.slice(1) || "0"}e${e}`;
}

/** Ruby's Integer#to_s; past 2^53 a JavaScript number has already lost Ruby's exact digits. */
function rubyIntegerToS(n: number): string {
  return BigInt(n).toString();
}

/** How a scalar was written, when the caller can tell: a float written `2.0` reads as a whole number here. */
export type WrittenText = (scalar: CScalar) => string | undefined;

/**
 * `to_s` of a YAML scalar as Psych loaded it (Entry::Variable: `@config.to_s`, `config_value.to_s`).
 * A number that is not whole is a Float; a whole number is an Integer unless `written` shows a float
 * (`2.0`, `1.5e3`), because the YAML loader hands both over as the same JavaScript number.
 */
export function scalarToS(scalar: CScalar, written?: WrittenText): string {
  const v: Scalar = scalar.value;
  if (v === null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "true" : "false";
  if (!Number.isInteger(v)) return rubyFloatToS(v);
  const text = written?.(scalar);
  // Psych reads a plain scalar as a Float only when it has a point (`2.0`, `1.5e3`, `1:20.0`)
  return text?.includes(".") ? rubyFloatToS(v) : rubyIntegerToS(v);
}

// --- YAML variables -----------------------------------------------------------------------------

/**
 * YAML `variables:` as GitLab reads them (config/entry/variables.rb, variable.rb): a scalar value is
 * converted with `to_s` (SimpleVariable accepts strings, integers, floats and booleans); the hash form
 * takes `value` (missing or null: ""). A plain null, a list, or a hash `value` that is not a scalar is a
 * config error in GitLab ("variable definition must be either a string or a hash", "must be a scalar"),
 * reported by validation; such a variable is left out here.
 */
export function yamlVariables(variables: CValue | undefined, written?: WrittenText): ReadonlyMap<string, string> {
  // values are immutable: a job's variables, shared through extends or !reference, are read once
  // one empty map for every job without variables: the circle check (jobVariableCircle) is kept per map
  if (!variables) return NO_VARIABLES;
  if (written) return readYamlVariables(variables, written);
  let known = yamlMemo.get(variables);
  if (!known) yamlMemo.set(variables, (known = readYamlVariables(variables)));
  return known;
}

const yamlMemo = new WeakMap<CValue, ReadonlyMap<string, string>>();
const NO_VARIABLES: ReadonlyMap<string, string> = new Map();

function readYamlVariables(variables: CValue | undefined, written?: WrittenText): Map<string, string> {
  const out = new Map<string, string>();
  if (!variables || variables.kind !== "map") return out;
  for (const [key, { value }] of variables.entries) {
    if (value.kind === "scalar") {
      if (value.value !== null) out.set(key, scalarToS(value, written));
    } else if (value.kind === "map") {
      const inner = value.entries.get("value")?.value;
      if (!inner) out.set(key, "");
      else if (inner.kind === "scalar") out.set(key, scalarToS(inner, written));
    }
  }
  return out;
}

/** Names of YAML variables written `{value: ..., expand: false}`: GitLab marks them raw (variable.rb). */
export function yamlRawVariables(variables: CValue | undefined): Set<string> {
  const out = new Set<string>();
  if (!variables || variables.kind !== "map") return out;
  for (const [key, { value }] of variables.entries) {
    const expand = value.kind === "map" ? value.entries.get("expand")?.value : undefined;
    if (expand?.kind === "scalar" && expand.value === false) out.add(key);
  }
  return out;
}

/** Helpers.merge_variables: every key of `next` replaces the same key of `current` (last wins). */
export function mergeVariables(
  current: ReadonlyMap<string, string>,
  next: ReadonlyMap<string, string>,
): Map<string, string> {
  const out = new Map(current);
  for (const [k, v] of next) out.set(k, v);
  return out;
}

/**
 * The root variables a job inherits (Helpers.inherit_yaml_variables, seed/build.rb): all of them for
 * `inherit:variables: true` (the default), none for false, only the named ones for a list.
 */
export function inheritedRootVariables(
  root: ReadonlyMap<string, string>,
  inheritance: boolean | readonly string[],
): ReadonlyMap<string, string> {
  if (inheritance === true) return root; // shared by every job that inherits all (no copy)
  if (inheritance === false) return new Map();
  return new Map([...root].filter(([k]) => inheritance.includes(k)));
}

// --- collections ---------------------------------------------------------------------------------

/** Collection#to_hash: later entries win; a nil value reads as undefined, so it is left out. */
export function variablesMap(items: readonly VariableItem[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const { key, value } of items) {
    out.delete(key);
    if (value !== null) out.set(key, value);
  }
  return out;
}

function itemsOf(map: ReadonlyMap<string, string>, raw?: ReadonlySet<string>): VariableItem[] {
  return [...map].map(([key, value]) => (raw?.has(key) ? { key, value, raw: true } : { key, value }));
}

// Collection::Item::VARIABLES_REGEXP: `$$` and `%%` stay as written, `${}` too; $X, ${X}, %X% refer to X.
const ITEM_REFERENCE = /\$\$|%%|\$([a-zA-Z_][a-zA-Z0-9_]*)|\$\{([a-zA-Z_][a-zA-Z0-9_]*)?\}|%([a-zA-Z_][a-zA-Z0-9_]*)%/g;

/** Item#depends_on: undefined for a raw value or one without `$`/`%`; else the names it refers to. */
function dependsOn(item: VariableItem): string[] | undefined {
  if (item.raw || item.value === null || !/[$%]/.test(item.value)) return undefined;
  return [...item.value.matchAll(ITEM_REFERENCE)].flatMap((m) => m[1] ?? m[2] ?? m[3] ?? []);
}

/** Collection#expand_value: known names give their value, unknown ones vanish, escapes stay. */
function expandValue(value: string, known: ReadonlyMap<string, string | null>): string {
  return value.replace(ITEM_REFERENCE, (whole, a?: string, b?: string, c?: string) => {
    const name = a ?? b ?? c;
    if (name === undefined) return whole;
    return known.get(name) ?? "";
  });
}

/** Ruby's TSort#each_strongly_connected_component (Tarjan, nodes and children in order), iteratively. */
function stronglyConnected(children: readonly (readonly number[])[]): number[][] {
  const index: number[] = new Array<number>(children.length).fill(-1);
  const low: number[] = new Array<number>(children.length).fill(0);
  const onStack: boolean[] = new Array<boolean>(children.length).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  for (let start = 0; start < children.length; start++) {
    if (index[start] !== -1) continue;
    const work: Array<{ node: number; next: number }> = [];
    const enter = (v: number) => {
      index[v] = low[v] = counter++;
      stack.push(v);
      onStack[v] = true;
      work.push({ node: v, next: 0 });
    };
    enter(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const kids = children[frame.node];
      if (frame.next < kids.length) {
        const w = kids[frame.next++];
        if (index[w] === -1) enter(w);
        else if (onStack[w]) low[frame.node] = Math.min(low[frame.node], index[w]);
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low[parent] = Math.min(low[parent], low[frame.node]);
      }
      if (low[frame.node] === index[frame.node]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = false;
          component.push(w);
        } while (w !== frame.node);
        components.push(component.reverse()); // Ruby slices the stack: in the order pushed
      }
    }
  }
  return components;
}

export interface ExpandedItems {
  readonly items: readonly VariableItem[];
  /** Collection::Sort#errors: set when variables refer to each other in a circle (then nothing is expanded). */
  readonly error?: string;
}

/**
 * Collection#sort_and_expand_all: variables sorted so that each comes after the ones it refers to,
 * then each expanded against those before it. A circle (two or more variables) expands nothing and
 * gives GitLab's error, which fails pipeline creation for an included job (seed/build.rb).
 */
export function sortAndExpandAll(items: readonly VariableItem[]): ExpandedItems {
  const byKey = new Map<string, number[]>();
  items.forEach((item, i) => {
    const same = byKey.get(item.key);
    if (same) same.push(i);
    else byKey.set(item.key, [i]);
  });
  const deps = items.map(dependsOn);
  const children = deps.map((names) => (names ?? []).flatMap((name) => byKey.get(name) ?? []));
  const components = stronglyConnected(children);
  const cycles = components.filter((c) => c.length > 1);
  if (cycles.length > 0) {
    const names = cycles.map((c) => `[${c.map((i) => JSON.stringify(items[i].key)).join(", ")}]`);
    return { items, error: `circular variable reference detected: ${names.join(", ")}` };
  }
  const known = new Map<string, string | null>();
  const out: VariableItem[] = [];
  for (const [i] of components) {
    const item = items[i];
    const value = deps[i] && item.value !== null ? expandValue(item.value, known) : item.value;
    const expanded = value === item.value ? item : { ...item, value };
    known.set(item.key, expanded.value);
    out.push(expanded);
  }
  return { items: out };
}

// ExpandVariables::VARIABLES_REGEXP (lib/expand_variables.rb): $X, ${X}, %X%; no escapes.
const EXPAND_REFERENCE = /\$([a-zA-Z_][a-zA-Z0-9_]*)|\$\{([a-zA-Z_][a-zA-Z0-9_]*)\}|%([a-zA-Z_][a-zA-Z0-9_]*)%/g;

/** ExpandVariables.expand: every reference replaced by the variable's value, an unknown one by "". */
export function expandString(text: string, variables: ReadonlyMap<string, string>): string {
  return text.replace(EXPAND_REFERENCE, (_whole, a?: string, b?: string, c?: string) => {
    return variables.get((a ?? b ?? c)!) ?? "";
  });
}

// --- predefined variables -----------------------------------------------------------------------

/** Ruby's `present?` on a string: not empty and not only whitespace. */
function present(text: string | undefined): text is string {
  return text !== undefined && /[^\s]/u.test(text);
}

/** app/models/project.rb#predefined_variables (server, project, registry, dependency proxy, API, template). */
function projectItems(s: Situation): VariableItem[] {
  return memo(projectMemo, s, () => projectItemsOf(s));
}

/** The situation's own variables, made once per situation: every job of a pipeline reads them. */
const projectMemo = new WeakMap<Situation, VariableItem[]>();
const pipelineMemo = {
  seed: new WeakMap<Situation, VariableItem[]>(),
  config: new WeakMap<Situation, VariableItem[]>(),
};

function memo(map: WeakMap<Situation, VariableItem[]>, s: Situation, make: () => VariableItem[]): VariableItem[] {
  let items = map.get(s);
  if (!items) map.set(s, (items = make()));
  return items;
}

function projectItemsOf(s: Situation): VariableItem[] {
  const host = s.serverHost;
  const path = s.projectPath;
  const cut = path.lastIndexOf("/");
  const namespace = cut < 0 ? "" : path.slice(0, cut);
  const rootNamespace = path.split("/")[0];
  const url = `https://${host}`;
  const [major, minor, patch] = PLACEHOLDERS.serverVersion.split(".");
  const registry = `registry.${host}`; // registry.gitlab.com on GitLab.com; a guess elsewhere
  const proxy = `${host}:443`; // Gitlab.host_with_port
  const items: Array<[string, string | null]> = [
    ["CI", "true"],
    ["GITLAB_CI", "true"],
    ["CI_SERVER_FQDN", host],
    ["CI_SERVER_URL", url],
    ["CI_SERVER_HOST", host],
    ["CI_SERVER_PORT", "443"],
    ["CI_SERVER_PROTOCOL", "https"],
    ["CI_SERVER_SHELL_SSH_HOST", host],
    ["CI_SERVER_SHELL_SSH_PORT", "22"],
    ["CI_SERVER_NAME", "GitLab"],
    ["CI_SERVER_VERSION", PLACEHOLDERS.serverVersion],
    ["CI_SERVER_VERSION_MAJOR", major],
    ["CI_SERVER_VERSION_MINOR", minor],
    ["CI_SERVER_VERSION_PATCH", patch],
    ["CI_SERVER_REVISION", PLACEHOLDERS.serverRevision],
    ["GITLAB_FEATURES", ""], // the licensed features: none known
    ["CI_PROJECT_ID", PLACEHOLDERS.projectId],
    ["CI_PROJECT_NAME", path.slice(cut + 1)],
    ["CI_PROJECT_TITLE", path.slice(cut + 1)],
    ["CI_PROJECT_DESCRIPTION", null], // nil for a project without one
    ["CI_PROJECT_PATH", path],
    ["CI_PROJECT_PATH_SLUG", slugify(path)],
    ["CI_PROJECT_NAMESPACE", namespace],
    ["CI_PROJECT_NAMESPACE_SLUG", slugify(namespace)],
    ["CI_PROJECT_NAMESPACE_ID", PLACEHOLDERS.namespaceId],
    ["CI_PROJECT_ROOT_NAMESPACE", rootNamespace],
    ["CI_PROJECT_ROOT_NAMESPACE_SLUG", slugify(rootNamespace)], // docs: GitLab 19.0
    ["CI_PROJECT_URL", `${url}/${path}`],
    ["CI_PROJECT_VISIBILITY", PLACEHOLDERS.visibility],
    ["CI_PROJECT_REPOSITORY_LANGUAGES", ""],
    ["CI_PROJECT_TOPICS", ""], // docs: GitLab 18.3
    ["CI_PROJECT_CLASSIFICATION_LABEL", null],
    ["CI_DEFAULT_BRANCH", s.defaultBranch],
    ["CI_DEFAULT_BRANCH_SLUG", slugify(s.defaultBranch)], // docs
    ["CI_CONFIG_PATH", s.configPath],
    ["CI_REGISTRY", registry],
    ["CI_REGISTRY_IMAGE", `${registry}/${path.toLowerCase()}`],
    ["CI_DEPENDENCY_PROXY_SERVER", proxy],
    ["CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX", `${proxy}/${rootNamespace.toLowerCase()}/dependency_proxy/containers`],
    [
      "CI_DEPENDENCY_PROXY_DIRECT_GROUP_IMAGE_PREFIX",
      `${proxy}/${namespace.toLowerCase()}/dependency_proxy/containers`,
    ],
    ["CI_API_V4_URL", `${url}/api/v4`],
    ["CI_API_GRAPHQL_URL", `${url}/api/graphql`],
    ["CI_TEMPLATE_REGISTRY_HOST", "registry.gitlab.com"],
  ];
  return items.map(([key, value]) => ({ key, value }));
}

/** A merge request pipeline, or a child of one (bridge.rb#child_params passes the merge request on). */
function mergeRequestOf(s: Situation): MergeRequest | undefined {
  return s.source === "merge_request_event" || s.source === "parent_pipeline" ? s.mergeRequest : undefined;
}

/** MergeRequest::CI_MERGE_REQUEST_DESCRIPTION_MAX_LENGTH, cut with ActiveSupport's String#truncate. */
const DESCRIPTION_MAX = 2700;
const MAX_COMMIT_MESSAGE_BYTES = 100_000; // Builder::Pipeline::MAX_COMMIT_MESSAGE_SIZE_IN_BYTES

function utf8Length(text: string): number {
  let n = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

/** String#byteslice(0, max), cut before a character that would not fit (Ruby may split it). */
function truncateBytes(text: string, max: number): string {
  let n = 0;
  let out = "";
  for (const ch of text) {
    n += utf8Length(ch);
    if (n > max) break;
    out += ch;
  }
  return out;
}

/** Ruby's String#chomp: one trailing "\n", "\r\n" or "\r" removed. */
function chomp(text: string): string {
  return text.replace(/(\r\n|\n|\r)$/, "");
}

/**
 * Commit#full_title and #description: the title is the message up to the first line break; the
 * description is the rest (chomped), or the whole message when the title has 100 characters or more.
 * A blank message's title is "No commit message" (inferred from Commit#no_commit_message).
 */
function titleAndDescription(message: string): [string, string] {
  if (!present(message)) return ["No commit message", ""];
  const title = message.split(/[\r\n]/, 1)[0];
  if ([...title].length >= 100) return [title, message];
  const cut = message.indexOf("\n");
  return [title, cut < 0 ? "" : chomp(message.slice(cut + 1))];
}

/** Gitlab::Regex.merge_request_draft, as MergeRequest#work_in_progress? applies it to the title. */
function isDraft(title: string): boolean {
  return /^(\[draft\]|\(draft\)|draft:)/i.test(title);
}

/** app/models/merge_request.rb#predefined_variables and #source_project_variables. */
function mergeRequestItems(s: Situation, mr: MergeRequest): Array<[string, string | null]> {
  const url = `https://${s.serverHost}`;
  const sourcePath = mr.sourceProjectPath ?? s.projectPath;
  const chars = [...mr.description];
  const truncated = chars.length > DESCRIPTION_MAX;
  const description = truncated ? chars.slice(0, DESCRIPTION_MAX - 3).join("") + "..." : mr.description;
  const items: Array<[string, string | null]> = [
    ["CI_MERGE_REQUEST_ID", String(mr.iid)], // placeholder: the instance-wide id is unknown
    ["CI_MERGE_REQUEST_IID", String(mr.iid)],
    ["CI_MERGE_REQUEST_REF_PATH", `refs/merge-requests/${mr.iid}/head`],
    ["CI_MERGE_REQUEST_PROJECT_ID", PLACEHOLDERS.projectId],
    ["CI_MERGE_REQUEST_PROJECT_PATH", s.projectPath],
    ["CI_MERGE_REQUEST_PROJECT_URL", `${url}/${s.projectPath}`],
    ["CI_MERGE_REQUEST_TARGET_BRANCH_NAME", mr.targetBranch],
    // placeholder: protections of other branches are unknown; the default branch is protected by default
    ["CI_MERGE_REQUEST_TARGET_BRANCH_PROTECTED", String(mr.targetBranch === s.defaultBranch)],
    ["CI_MERGE_REQUEST_TITLE", mr.title],
    ["CI_MERGE_REQUEST_DRAFT", String(isDraft(mr.title))],
    ["CI_MERGE_REQUEST_DESCRIPTION", description],
    ["CI_MERGE_REQUEST_DESCRIPTION_IS_TRUNCATED", String(truncated)],
  ];
  // label_names is ordered by title; absent when there are none (like ASSIGNEES and MILESTONE, unknown here)
  if (mr.labels.length > 0) items.push(["CI_MERGE_REQUEST_LABELS", [...mr.labels].sort().join(",")]);
  items.push(
    ["CI_MERGE_REQUEST_SQUASH_ON_MERGE", "false"], // placeholder
    ["CI_MERGE_REQUEST_SOURCE_PROJECT_ID", mr.sourceProjectPath ? PLACEHOLDERS.forkProjectId : PLACEHOLDERS.projectId],
    ["CI_MERGE_REQUEST_SOURCE_PROJECT_PATH", sourcePath],
    ["CI_MERGE_REQUEST_SOURCE_PROJECT_URL", `${url}/${sourcePath}`],
    ["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", s.ref.name],
    ["CI_MERGE_REQUEST_SOURCE_BRANCH_PROTECTED", String(s.protectedRef)],
  );
  return items;
}

/** When the values are read: include and workflow rules run before GitLab allocates the pipeline's IID. */
export type Phase = "config" | "seed";

/**
 * lib/gitlab/ci/variables/builder/pipeline.rb#predefined_variables: pipeline, commit, tag, merge
 * request and upstream variables, CI_OPEN_MERGE_REQUESTS.
 */
function pipelineItems(s: Situation, phase: Phase): VariableItem[] {
  return memo(pipelineMemo[phase], s, () => pipelineItemsOf(s, phase));
}

function pipelineItemsOf(s: Situation, phase: Phase): VariableItem[] {
  const mr = mergeRequestOf(s);
  const tag = s.ref.kind === "tag" && !mr;
  const branch = s.ref.kind === "branch" && !mr; // Ci::Pipeline#branch?: not a tag, no merge request
  const items: Array<[string, string | null]> = [
    // Chain::Seed allocates the IID (ensure_project_iid!) after include and workflow rules: nil.to_s there
    ["CI_PIPELINE_IID", phase === "seed" ? PLACEHOLDERS.pipelineIid : ""],
    ["CI_PIPELINE_SOURCE", s.source],
    ["CI_PIPELINE_CREATED_AT", null], // created_at is nil until the pipeline is saved, after all rules
    ["CI_PIPELINE_NAME", null], // workflow:name is set by PopulateMetadata, after all rules
  ];
  if (s.source === "schedule" && s.schedule) items.push(["CI_PIPELINE_SCHEDULE_DESCRIPTION", s.schedule.description]);
  // Ci::Pipeline#source_ref_path: refs/heads/ for branch and merge request pipelines, refs/tags/ for tags
  const refPath = `refs/${tag ? "tags" : "heads"}/${s.ref.name}`;
  items.push(["CI_CONFIG_REF_URI", `${s.serverHost}/${s.projectPath}//${s.configPath}@${refPath}`]);
  if (s.commit.sha !== "") {
    const before = s.source === "push" || s.source === "parent_pipeline" ? (s.commit.beforeSha ?? ZERO_SHA) : ZERO_SHA;
    const truncated = utf8Length(s.commit.message) > MAX_COMMIT_MESSAGE_BYTES;
    const cut = (text: string) => (truncated ? truncateBytes(text, MAX_COMMIT_MESSAGE_BYTES) : text);
    const [title, description] = titleAndDescription(s.commit.message);
    items.push(
      ["CI_COMMIT_SHA", s.commit.sha],
      ["CI_COMMIT_SHORT_SHA", s.commit.sha.slice(0, 8)],
      ["CI_COMMIT_BEFORE_SHA", before],
      ["CI_COMMIT_REF_NAME", s.ref.name], // source_ref: a merge request's source branch, which is the ref here
      ["CI_COMMIT_REF_SLUG", slugify(s.ref.name)],
    );
    if (branch) items.push(["CI_COMMIT_BRANCH", s.ref.name]);
    // docs only (GitLab 19.1): the merge base with the default branch, in pipelines for other branches
    if (branch && s.ref.name !== s.defaultBranch)
      items.push(["CI_COMMIT_DEFAULT_BRANCH_BASE_SHA", PLACEHOLDERS.otherSha]);
    items.push(
      ["CI_COMMIT_MESSAGE", cut(s.commit.message)],
      ["CI_COMMIT_MESSAGE_IS_TRUNCATED", String(truncated)],
      ["CI_COMMIT_TITLE", cut(title)],
      ["CI_COMMIT_DESCRIPTION", cut(description)],
      // protected_for?(git_ref): a merge request's git_ref is refs/heads/refs/merge-requests/<iid>/head,
      // which no protected branch names, so "false" there (inferred from ci/pipeline.rb#git_ref)
      ["CI_COMMIT_REF_PROTECTED", String(mr ? false : s.protectedRef)],
      ["CI_COMMIT_TIMESTAMP", PLACEHOLDERS.commitTimestamp],
      ["CI_COMMIT_AUTHOR", s.user ? `${s.user.name} <${s.user.email}>` : PLACEHOLDERS.commitAuthor],
      ["CI_COMMIT_USER_LOGIN", ""], // empty unless the author's profile and e-mail are public (docs)
    );
  }
  if (tag) items.push(["CI_COMMIT_TAG", s.ref.name], ["CI_COMMIT_TAG_MESSAGE", ""]); // tag message unknown
  if (mr) {
    const merged = mr.event !== "detached"; // merged results and merge trains have a target_sha
    items.push(
      ["CI_MERGE_REQUEST_EVENT_TYPE", mr.event],
      ["CI_MERGE_REQUEST_SOURCE_BRANCH_SHA", merged ? s.commit.sha : ""],
      ["CI_MERGE_REQUEST_TARGET_BRANCH_SHA", merged ? PLACEHOLDERS.otherSha : ""],
      ["CI_MERGE_REQUEST_DIFF_ID", PLACEHOLDERS.mergeRequestDiffId],
      ["CI_MERGE_REQUEST_DIFF_BASE_SHA", PLACEHOLDERS.otherSha],
      ...mergeRequestItems(s, mr),
    );
  }
  if (s.source === "pipeline" || s.source === "parent_pipeline") {
    const project = s.source === "parent_pipeline" ? PLACEHOLDERS.projectId : PLACEHOLDERS.upstreamProjectId;
    items.push(
      ["CI_UPSTREAM_PIPELINE_ID", PLACEHOLDERS.upstreamPipelineId],
      ["CI_UPSTREAM_PROJECT_ID", project],
      ["CI_UPSTREAM_JOB_ID", PLACEHOLDERS.upstreamJobId],
    );
  }
  // Ci::Pipeline#open_merge_requests_refs: the open merge requests of the source branch, `path!iid`;
  // only the situation's own merge request is known
  if (mr) items.push(["CI_OPEN_MERGE_REQUESTS", `${s.projectPath}!${mr.iid}`]);
  return items.map(([key, value]) => ({ key, value }));
}

/**
 * Predefined project and pipeline variables GitLab sets for this situation (§8): `project.predefined_variables`
 * then `Builder::Pipeline#predefined_variables`. `phase` "config" is before the IID is allocated.
 */
export function predefinedPipelineVariables(s: Situation, phase: Phase = "seed"): Map<string, string> {
  return variablesMap([...projectItems(s), ...pipelineItems(s, phase)]);
}

/** Builder#user_variables: who creates the pipeline. */
function userItems(s: Situation): VariableItem[] {
  if (!s.user) return [];
  return [
    { key: "GITLAB_USER_ID", value: String(s.user.id) },
    { key: "GITLAB_USER_EMAIL", value: s.user.email },
    { key: "GITLAB_USER_LOGIN", value: s.user.login },
    { key: "GITLAB_USER_NAME", value: s.user.name },
  ];
}

/** `pipeline.variables` then `pipeline_schedule.job_variables` (a schedule's, for schedule pipelines only). */
function pipelineAndScheduleItems(s: Situation): VariableItem[] {
  const schedule = s.source === "schedule" ? s.schedule?.variables : undefined;
  return [...itemsOf(s.variables), ...(schedule ? itemsOf(schedule) : [])];
}

/** A pipeline created with a trigger token: CI_PIPELINE_TRIGGERED and CI_TRIGGER_SHORT_TOKEN (builder.rb). */
function triggerItems(s: Situation): VariableItem[] {
  if (s.source !== "trigger") return [];
  return [
    { key: "CI_PIPELINE_TRIGGERED", value: "true" },
    { key: "CI_TRIGGER_SHORT_TOKEN", value: PLACEHOLDERS.triggerShortToken },
  ];
}

/**
 * What `include:rules:if` sees (Builder#config_variables): project and pipeline predefined variables
 * (before the IID exists), pipeline variables, schedule variables. No YAML variables, no GITLAB_USER_*.
 */
export function includeRulesVariables(s: Situation): Map<string, string> {
  return variablesMap([...projectItems(s), ...pipelineItems(s, "config"), ...pipelineAndScheduleItems(s)]);
}

/**
 * The ordered collection `workflow:rules` see (context/global.rb): a stub job's scoped variables —
 * its predefined ones (CI_NODE_TOTAL "1"; the trigger ones, inferred), project and pipeline predefined,
 * the top-level YAML variables, GITLAB_USER_*, pipeline and schedule variables — without any key
 * starting with CI_JOB or CI_BUILD, whoever set it.
 */
export function workflowVariableItems(
  s: Situation,
  topLevel: ReadonlyMap<string, string>,
  raw?: ReadonlySet<string>,
): VariableItem[] {
  return [
    ...triggerItems(s),
    { key: "CI_NODE_TOTAL", value: "1" },
    ...projectItems(s),
    ...pipelineItems(s, "config"),
    ...itemsOf(topLevel, raw),
    ...userItems(s),
    ...pipelineAndScheduleItems(s),
  ].filter((item) => !/^CI_(JOB|BUILD)/.test(item.key));
}

/** What `workflow:rules:if` sees: `workflowVariableItems`, later entries winning. */
export function workflowRulesVariables(s: Situation, topLevel: ReadonlyMap<string, string>): Map<string, string> {
  return variablesMap(workflowVariableItems(s, topLevel));
}

// --- job rules ----------------------------------------------------------------------------------

export interface JobFacts {
  readonly name: string;
  readonly stage: string;
  /** The job-level `when` (on_success when not written): CI_JOB_MANUAL is decided before the rules. */
  readonly when: string;
  /** `environment:` as written: name unexpanded, `action` (default start), `deployment_tier`, `url`. */
  readonly environment?: { name: string; action?: string; tier?: string; url?: string };
  /** `parallel`: this instance's 1-based index, and the total (CI_NODE_TOTAL is "1" without parallel). */
  readonly nodeIndex?: number;
  readonly nodeTotal?: number;
  /** YAML variables of the root or the job written `expand: false` (yamlRawVariables); only expansion reads it. */
  readonly rawVariables?: ReadonlySet<string>;
}

/**
 * CommitStatus#group_name: a parallel or matrix suffix (`1/3`, `[ruby, 3]`) taken off the name
 * (inferred: the regexp is recalled, not re-read; build/context/build_spec.rb shows `job: [a, b]` → `job`).
 */
export function jobGroupName(name: string): string {
  let group = groupNames.get(name);
  if (group === undefined) {
    if (groupNames.size >= 10_000) groupNames.clear();
    // GitLab refuses a job name over 255 characters (job-name-too-long); the pattern backtracks on long ones
    group =
      name.length > 255 ? name.trim() : name.replace(/([\b\s:]+((\[.*\])|(\d+[\s:/\\]+\d+))){1,3}\s*$/, "").trim();
    groupNames.set(name, group);
  }
  return group;
}

/** Group names made so far: every pipeline names the same jobs' groups again. */
const groupNames = new Map<string, string>();

/** Builder#predefined_variables_from_job_attr, the environment still to be added. */
function jobItems(s: Situation, facts: JobFacts): VariableItem[] {
  const items: VariableItem[] = [
    { key: "CI_JOB_NAME", value: facts.name },
    { key: "CI_JOB_NAME_SLUG", value: slugify(facts.name) },
    { key: "CI_JOB_GROUP_NAME", value: jobGroupName(facts.name) },
    { key: "CI_JOB_STAGE", value: facts.stage },
  ];
  // Ci::Processable::ACTIONABLE_WHEN = manual, delayed: the job-level when, before any rule applies
  if (facts.when === "manual" || facts.when === "delayed") items.push({ key: "CI_JOB_MANUAL", value: "true" });
  items.push(...triggerItems(s));
  if (facts.nodeIndex !== undefined) items.push({ key: "CI_NODE_INDEX", value: String(facts.nodeIndex) });
  items.push({ key: "CI_NODE_TOTAL", value: String(facts.nodeTotal ?? 1) });
  return items;
}

function environmentItems(facts: JobFacts, name: string): VariableItem[] {
  const env = facts.environment!;
  return [
    { key: "CI_ENVIRONMENT_NAME", value: name },
    { key: "CI_ENVIRONMENT_ACTION", value: env.action ?? "start" },
    // deployment_tier, else the existing environment's tier / external_url: none known, so nil
    { key: "CI_ENVIRONMENT_TIER", value: env.tier ?? null },
    { key: "CI_ENVIRONMENT_URL", value: env.url ?? null }, // as written, not expanded
  ];
}

export interface JobVariables {
  /** The ordered collection (Builder#scoped_variables_for_pipeline_seed); `variablesMap` of it is what rules see. */
  readonly items: readonly VariableItem[];
  /** CI_ENVIRONMENT_NAME: the environment name expanded; undefined without one or when it expands to blank. */
  readonly environment?: string;
}

/**
 * A job's variables while its rules are evaluated (§4.3): job predefined, project and pipeline
 * predefined, YAML (`root` — top-level plus the matched workflow rule's, after inherit:variables — then
 * the job's own), GITLAB_USER_*, pipeline variables, schedule variables. The environment name is expanded
 * against the same collection without CI_ENVIRONMENT_* (context/build.rb#seed_environment:
 * `ExpandVariables.expand(name, simple_variables.sort_and_expand_all)`).
 */
export function jobVariables(
  s: Situation,
  root: ReadonlyMap<string, string>,
  job: ReadonlyMap<string, string>,
  facts: JobFacts,
): JobVariables {
  const rest: VariableItem[] = [
    ...projectItems(s),
    ...pipelineItems(s, "seed"),
    ...itemsOf(mergeVariables(root, job), facts.rawVariables),
    ...userItems(s),
    ...pipelineAndScheduleItems(s),
  ];
  const simple = [...jobItems(s, facts), ...rest];
  // expanding every variable into the others is the costly part: only a job with an environment
  // needs it now; the circle check is for jobs that are created (variableCircle)
  let environment: string | undefined;
  if (facts.environment && present(facts.environment.name)) {
    const name = expandString(facts.environment.name, variablesMap(sortAndExpandAll(simple).items));
    if (present(name)) environment = name;
  }
  const items = environment ? [...jobItems(s, facts), ...environmentItems(facts, environment), ...rest] : simple;
  return { items, environment };
}

/**
 * What a job's `rules:if` (and `only/except:variables`) sees: `jobVariables`, later entries winning,
 * values as written. The matched rule's own `variables:` are not among them (seed/build.rb merges them
 * after the rules are evaluated).
 */
/**
 * GitLab's error for a created job whose variables name each other in a circle
 * (seed/build.rb#variable_expansion_errors); undefined when there is none. Only values that
 * reference a variable can be part of one, so the sort runs only when some value does.
 */
export function variableCircle(items: readonly VariableItem[]): string | undefined {
  // a circle is made of variables that name others: sort those only (each key's last item counts)
  const last = new Map<string, VariableItem>();
  for (const i of items) last.set(i.key, i);
  const referencing = [...last.values()].filter((i) => i.value !== null && /[$%]/.test(i.value));
  return referencing.length ? sortAndExpandAll(referencing).error : undefined;
}

export function jobRulesVariables(
  s: Situation,
  root: ReadonlyMap<string, string>,
  job: ReadonlyMap<string, string>,
  facts: JobFacts,
): ReadonlyMap<string, string> {
  // the same as variablesMap(jobVariables(...).items), in layers: the situation's and the root's are
  // shared by every job, so a job pays only for its own few variables
  const shared = situationLayers(s);
  let environment: ReadonlyMap<string, string | null> | undefined;
  if (facts.environment && present(facts.environment.name)) {
    const name = jobVariables(s, root, job, facts).environment;
    if (name !== undefined) environment = layerOf(environmentItems(facts, name));
  }
  const layers = [...shared.high, job, root, ...shared.low, ...(environment ? [environment] : []), jobLayer(s, facts)];
  const own = new Set([shared.high.length, ...(environment ? [layers.length - 2] : []), layers.length - 1]);
  return new LayeredVariables(layers, { own, key: sharedKey(s, root) });
}

/** One object per situation and root variables: what jobs' rules read from those alone is the same for each. */
function sharedKey(s: Situation, root: ReadonlyMap<string, string>): object {
  let byRoot = sharedKeys.get(s);
  if (!byRoot) sharedKeys.set(s, (byRoot = new WeakMap()));
  let key = byRoot.get(root);
  if (!key) byRoot.set(root, (key = {}));
  return key;
}

const sharedKeys = new WeakMap<Situation, WeakMap<ReadonlyMap<string, string>, object>>();

/** The job's predefined variables as a layer. */
function jobLayer(s: Situation, facts: JobFacts): Map<string, string | null> {
  return layerOf(jobItems(s, facts));
}

/**
 * The error of a created job whose variables name each other in a circle, as `variableCircle`, but
 * looked for only when a variable that can name another (YAML, pipeline, schedule) does.
 */
export function jobVariableCircle(
  s: Situation,
  root: ReadonlyMap<string, string>,
  job: ReadonlyMap<string, string>,
  facts: JobFacts,
): string | undefined {
  // variables given for the pipeline may name others: then the whole collection is sorted
  if (names(s.variables) || (s.schedule && names(s.schedule.variables)))
    return variableCircle(jobVariables(s, root, job, facts).items);
  if (!names(job) && !names(root)) return undefined;
  // otherwise a circle is among the YAML variables (predefined values name none), the same for
  // every situation: once per root and job variables (both kept by identity)
  let perJob = yamlCircles.get(root);
  if (!perJob) yamlCircles.set(root, (perJob = new WeakMap()));
  if (!perJob.has(job)) perJob.set(job, variableCircle(itemsOf(mergeVariables(root, job), facts.rawVariables)));
  return perJob.get(job);
}

const yamlCircles = new WeakMap<
  ReadonlyMap<string, string>,
  WeakMap<ReadonlyMap<string, string>, string | undefined>
>();

const namingMemo = new WeakMap<ReadonlyMap<string, string>, boolean>();

/** Whether some value names a variable ($X, ${X}, %X%). */
function names(variables: ReadonlyMap<string, string>): boolean {
  let known = namingMemo.get(variables);
  if (known === undefined) namingMemo.set(variables, (known = [...variables.values()].some((v) => /[$%]/.test(v))));
  return known;
}

/** A collection's items as one layer: the last item of a key wins; null means unset. */
function layerOf(items: readonly VariableItem[]): Map<string, string | null> {
  const layer = new Map<string, string | null>();
  for (const { key, value } of items) {
    layer.delete(key);
    layer.set(key, value);
  }
  return layer;
}

interface SituationLayers {
  /** Above the YAML variables: pipeline and schedule variables, then GITLAB_USER_*. */
  readonly high: ReadonlyArray<ReadonlyMap<string, string | null>>;
  /** Below them: pipeline predefined, then project predefined. */
  readonly low: ReadonlyArray<ReadonlyMap<string, string | null>>;
}

const layersMemo = new WeakMap<Situation, SituationLayers>();

function situationLayers(s: Situation): SituationLayers {
  let layers = layersMemo.get(s);
  if (!layers) {
    layers = {
      high: [layerOf(pipelineAndScheduleItems(s)), layerOf(userItems(s))],
      low: [layerOf(pipelineItems(s, "seed")), layerOf(projectItems(s))],
    };
    layersMemo.set(s, layers);
  }
  return layers;
}

/**
 * Variables in layers, the highest first: a name has the value of the first layer that has it (null
 * there: unset). Read by name, as rules read variables; listed in full only when asked.
 */
export class LayeredVariables implements ReadonlyMap<string, string> {
  private flat: Map<string, string> | undefined;

  constructor(
    private readonly layers: ReadonlyArray<ReadonlyMap<string, string | null>>,
    /**
     * For a job's variables: which layers are the job's own, and an object that stands for the other layers
     * (the situation's and the root's, shared by every job of a pipeline with the same root variables).
     */
    private readonly shared?: { readonly own: ReadonlySet<number>; readonly key: object },
  ) {}

  /**
   * The object standing for the shared layers when each of `names` has its value from them (or from none),
   * so that what depends on those names only is the same for every job with that object; else undefined.
   */
  sharedKeyFor(names: readonly string[]): object | undefined {
    if (!this.shared) return undefined;
    for (const name of names) {
      const from = this.layers.findIndex((layer) => layer.has(name));
      if (from >= 0 && this.shared.own.has(from)) return undefined;
    }
    return this.shared.key;
  }

  get(key: string): string | undefined {
    for (const layer of this.layers) {
      const value = layer.get(key);
      if (value !== undefined || layer.has(key)) return value ?? undefined;
    }
    return undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Every variable, the lowest layer's first, as variablesMap orders a collection. */
  private all(): Map<string, string> {
    if (!this.flat) {
      const flat = new Map<string, string>();
      for (let i = this.layers.length - 1; i >= 0; i--)
        for (const [key, value] of this.layers[i]) {
          flat.delete(key);
          if (value !== null) flat.set(key, value);
        }
      this.flat = flat;
    }
    return this.flat;
  }

  get size(): number {
    return this.all().size;
  }

  entries(): MapIterator<[string, string]> {
    return this.all().entries();
  }

  keys(): MapIterator<string> {
    return this.all().keys();
  }

  values(): MapIterator<string> {
    return this.all().values();
  }

  forEach(f: (value: string, key: string, map: ReadonlyMap<string, string>) => void): void {
    this.all().forEach((value, key) => f(value, key, this));
  }

  [Symbol.iterator](): MapIterator<[string, string]> {
    return this.all()[Symbol.iterator]();
  }
}
