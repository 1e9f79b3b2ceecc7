import type { Model } from "../../engine/engine";
import type { CEntry, CMap, CValue, Src, TextEdit } from "../../engine/types";
import type { LineIndex } from "../../engine/text";
import { get, str } from "../../engine/values";
import { proxyVariable } from "../../model/images";
import { insertItem } from "../../model/list-edits";
import {
  bindingLines,
  cacheLines,
  execLines,
  lines,
  listed,
  planCaches,
  planServices,
  serviceLines,
  type CachePlan,
  type JobContext,
  type ServicePlan,
} from "./job-environment";
import { DEFAULT_ENGINE_VERSION, type DaggerModule } from "./module";
import { addFunctionEdits } from "./module-edits";
import { camelCase, kebabCase } from "./names";
import { newModuleFiles } from "./new-module";

// "Convert job to Dagger Function": the job's work (image, variables, before_script and script,
// artifacts) moves into a method of the workspace's Dagger module, and the job keeps only what
// GitLab decides (rules, stage, needs, artifacts collection) plus one `dagger call` line. The
// runner set-up for Dagger (CLI install pinned to the module's engine, the executor) lives in one
// hidden job, `.dagger`, that converted jobs extend. Pure: the caller reads the module and
// applies the edits.

export type Executor = "docker" | "kubernetes";

export const SETUP_JOB = ".dagger";
const GITLAB_ORG = "gitlab-org";
const GITLAB_ORG_DOCKER = "gitlab-org-docker";
/** The runners whose node runs a Dagger engine, for the Kubernetes executor. */
export const DAGGER_NODE = "dagger-node";
/** Where the function mounts the source directory; also what it sets CI_PROJECT_DIR to. */
export const WORKDIR = "/src";
/** For jobs that name no image: the runner's default is unknown here, so a small shell image. */
export const FALLBACK_IMAGE = "alpine:3.20";

const SDK_IMPORTS = ["dag", "Container", "Directory", "Secret", "object", "func", "argument"] as const;

/** What the conversion produces: edits of the CI files, and of or for the module's files. */
export interface Conversion {
  /** Names the executor and every change the job's runners would not expect: new tags, a dropped cache. */
  readonly title: string;
  /** The same changes in sentences, for the preview (LSP change annotation's description). */
  readonly notes: readonly string[];
  /** The job's effective tags once converted (equal to before unless the title names them). */
  readonly tags: readonly string[];
  /** Edits of existing CI config files. */
  readonly configEdits: readonly TextEdit[];
  /** Module files to create, project-relative path → text. */
  readonly createFiles: Readonly<Record<string, string>>;
  /** Edits of the existing module entry file. */
  readonly moduleEdits: readonly TextEdit[];
  /** The generated method (for tests and previews). */
  readonly method: string;
  /** The `dagger call` line that replaces the script. */
  readonly call: string;
}

/** A value the function takes from the job's environment: a string flag or a secret. */
interface Param {
  readonly variable: string;
  readonly name: string;
  readonly secret: boolean;
}

/** Runner settings, not the script's environment: they stay in the YAML. */
const RUNNER_VARIABLE =
  /^(GIT_|FF_|ARTIFACT_|CACHE_|TRANSFER_METER_|KUBERNETES_|GET_SOURCES_ATTEMPTS$|RESTORE_CACHE_ATTEMPTS$|EXECUTOR_JOB_SECTION_ATTEMPTS$|DOCKER_HOST$|DOCKER_TLS_CERTDIR$|DOCKER_DRIVER$|DAGGER_VERSION$)/;
const SECRET_VARIABLE = /(TOKEN|PASSWORD|PASSWD|SECRET|PRIVATE|_KEY$|^KEY$|CREDENTIALS)/;
const VARIABLE_USE = /\$\$?(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;
/** Names a script sets itself (`X=1`, `export X=`, `for X in`, `read X`): shell variables, not CI ones. */
const SHELL_ASSIGNMENT =
  /(?:^|[\s;&|(])(?:export\s+|local\s+|readonly\s+)?([A-Za-z_][A-Za-z0-9_]*)=|\bfor\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\b|\bread\s+(?:-\w+\s+)*([A-Za-z_][A-Za-z0-9_]*)/g;

function variableValue(v: CValue): string | undefined {
  if (v.kind === "scalar") return v.value === null ? "" : String(v.value);
  if (v.kind === "map") return str(get(v, "value")) ?? "";
  return undefined;
}

function usedVariables(script: readonly string[]): string[] {
  const assigned = new Set<string>();
  for (const l of script) for (const m of l.matchAll(SHELL_ASSIGNMENT)) assigned.add(m[1] ?? m[2] ?? m[3]);
  const used: string[] = [];
  for (const l of script)
    for (const m of l.matchAll(VARIABLE_USE)) {
      const name = m[1] ?? m[2];
      if (!assigned.has(name) && !used.includes(name)) used.push(name);
    }
  return used;
}

const q = (s: string) => JSON.stringify(s);

/** A string as a YAML flow-sequence item: plain when YAML reads it back as the same string. */
function flowItem(s: string): string {
  const plain = /^[A-Za-z_$][A-Za-z0-9_$./-]*$/.test(s) && !/^(true|false|yes|no|on|off|y|n|null)$/i.test(s);
  return plain ? s : q(s);
}

const flowList = (items: readonly string[]) => `[${items.map(flowItem).join(", ")}]`;

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Paths GitLab collects as artifacts, as include patterns: a plain path means the path and what is under it. */
function includePatterns(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const clean = p.replace(/^\.\//, "").replace(/\/+$/, "");
    out.push(clean);
    if (!/[*?[]/.test(clean)) out.push(`${clean}/**`);
  }
  return [...new Set(out)];
}

interface JobPlan {
  readonly image: string;
  /** The image as a flag when it holds CI variables only GitLab can expand. */
  readonly imageParam: boolean;
  readonly env: ReadonlyArray<readonly [string, string]>;
  readonly params: readonly Param[];
  readonly script: readonly string[];
  readonly afterScript: readonly string[];
  readonly artifacts: readonly string[];
  readonly caches: CachePlan;
  readonly services: ServicePlan;
  /** The job's YAML variables as `.withEnvVariable(...)` calls for its services. */
  readonly serviceEnv: readonly string[];
  /** YAML variables GitLab would give the services but the function cannot: built from variables it lacks. */
  readonly serviceEnvMissing: readonly string[];
}

/** What GitLab passes to services besides the script's environment: Docker-in-Docker's own settings. */
const SERVICE_VARIABLE = /^DOCKER_/;

function plan(job: CMap, name: string, executor: Executor): JobPlan {
  const imageValue = get(job, "image");
  const image = str(imageValue) ?? str(get(imageValue, "name")) ?? FALLBACK_IMAGE;
  const script = [...lines(get(job, "before_script")), ...lines(get(job, "script"))];
  const afterScript = lines(get(job, "after_script"));
  const env: Array<[string, string]> = [];
  const params: Param[] = [];
  const fromCi = new Set<string>();
  const variables = get(job, "variables");
  // the wrapper that runs after_script sets CI_JOB_STATUS for it
  const used = usedVariables([...script, ...afterScript]).filter(
    (v) => v !== "CI_JOB_STATUS" || !afterScript.length || usedVariables(script).includes(v),
  );
  /** Variables whose value GitLab does not expand further, for cache keys and paths and service names. */
  const known = new Map<string, string>([
    ["CI_PROJECT_DIR", WORKDIR],
    ["CI_JOB_NAME", name],
    ["CI_JOB_STAGE", str(get(job, "stage")) ?? "test"],
  ]);
  const serviceVariables: Array<[string, string]> = [];
  if (variables?.kind === "map") {
    for (const e of variables.entries.values()) {
      const literal = variableValue(e.value)?.replace(/\$\{?CI_PROJECT_DIR\}?(?![A-Za-z0-9_])/g, WORKDIR);
      if (literal !== undefined && !literal.includes("$")) known.set(e.key, literal);
      if (literal !== undefined && (!RUNNER_VARIABLE.test(e.key) || SERVICE_VARIABLE.test(e.key)))
        serviceVariables.push([e.key, literal]);
      if (RUNNER_VARIABLE.test(e.key)) continue;
      // global variables come along only when the script reads them: a job gets dozens
      const global = e.value.via?.some((h) => h.kind === "global-variables");
      if (global && !used.includes(e.key)) continue;
      const raw = variableValue(e.value);
      if (raw === undefined) continue;
      // the project directory is the function's workdir, not the runner's checkout
      const value = raw.replace(/\$\{?CI_PROJECT_DIR\}?(?![A-Za-z0-9_])/g, WORKDIR);
      // a value built from other variables is expanded by GitLab; the call passes it on
      if (value.includes("$")) fromCi.add(e.key);
      else env.push([e.key, value]);
    }
  }
  const defined = new Set(env.map(([k]) => k));
  for (const name of used) if (!defined.has(name) && name !== "CI_PROJECT_DIR") fromCi.add(name);
  // argument names must stay distinct: IMAGE vs the image argument, ENV vs env
  const taken = new Set(["source", "image", "ctr"]);
  for (const variable of fromCi) {
    let name = camelCase(variable);
    for (let i = 2; taken.has(name); i++) name = `${camelCase(variable)}${i}`;
    taken.add(name);
    params.push({ variable, name, secret: SECRET_VARIABLE.test(variable) });
  }
  // optional secrets last: they read best after the plain flags
  params.sort((a, b) => Number(a.secret) - Number(b.secret));
  const paths = lines(get(get(job, "artifacts"), "paths"));
  const ctx: JobContext = { jobName: name, workdir: WORKDIR, known, artifacts: paths };
  const caches = planCaches(job, ctx);
  // a service's aliases may be written in the scripts or in variables (DATABASE_URL: postgres://db:5432/...)
  const mentions = [...script, ...afterScript, ...serviceVariables.map(([, v]) => v)].join("\n");
  const names = new Set([...taken, "jobVariables"]);
  // services that come from the set-up job (a job that extends `.dagger` already) are the Dagger CLI's engine
  const fromSetup = get(job, "services")?.via?.some(
    (h) => h.kind === "extends" && (h.name === SETUP_JOB || h.name.startsWith(`${SETUP_JOB}:`)),
  );
  const services = planServices(fromSetup ? undefined : get(job, "services"), ctx, mentions, names, executor);
  const serviceEnv: string[] = [];
  const serviceEnvMissing: string[] = [];
  if (services.services.length) {
    for (const [k, v] of serviceVariables) {
      const param = params.find((x) => x.variable === k);
      if (!v.includes("$")) serviceEnv.push(`.withEnvVariable(${q(k)}, ${q(v)})`);
      else if (param && !param.secret) serviceEnv.push(`.withEnvVariable(${q(k)}, ${param.name})`);
      else if (param)
        serviceEnv.push(`.with((s) => (${param.name} ? s.withSecretVariable(${q(k)}, ${param.name}) : s))`);
      else serviceEnvMissing.push(k);
    }
    // the function's docker commands reach a Docker-in-Docker service as the job's did
    const dockerHost = known.get("DOCKER_HOST");
    if (services.services.some((s) => s.privileged) && dockerHost && !env.some(([k]) => k === "DOCKER_HOST"))
      env.push(["DOCKER_HOST", dockerHost]);
  }
  return {
    image,
    imageParam: image.includes("$"),
    env,
    params,
    script,
    afterScript,
    artifacts: paths,
    caches,
    services,
    serviceEnv,
    serviceEnvMissing,
  };
}

function methodText(fn: string, jobName: string, p: JobPlan): string {
  const args = ['@argument({ defaultPath: "/" }) source: Directory'];
  // an image built from CI variables has no sensible default: the caller names it
  if (p.imageParam) args.push("image: string");
  for (const s of p.services.services) if (s.imageParam) args.push(`${s.image}: string`);
  for (const param of p.params) args.push(param.secret ? `${param.name}?: Secret` : `${param.name}: string = ""`);
  const returns = p.artifacts.length ? "Directory" : "Container";
  const out: string[] = [];
  const parts = [
    "image",
    "variables",
    ...(p.services.services.length ? ["services"] : []),
    ...(p.caches.mounts.length ? ["cache"] : []),
    "before_script",
    "script",
    ...(p.afterScript.length ? ["after_script"] : []),
  ];
  const work = `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
  out.push(`  /**`, `   * Runs the work of GitLab job ${q(jobName)}: its ${work}.`);
  if (p.artifacts.length) out.push(`   * Returns the job's artifacts:paths as a directory.`);
  out.push(`   */`, `  @func()`, `  ${fn}(${args.join(", ")}): ${returns} {`);
  out.push(...serviceLines(p.services, p.serviceEnv));
  out.push(
    `    let ctr = dag`,
    `      .container()`,
    `      .from(${p.imageParam ? "image" : q(p.image)})`,
    `      .withMountedDirectory(${q(WORKDIR)}, source)`,
    `      .withWorkdir(${q(WORKDIR)})`,
  );
  out.push(`      .withEnvVariable("CI_PROJECT_DIR", ${q(WORKDIR)})`);
  for (const [k, v] of p.env) out.push(`      .withEnvVariable(${q(k)}, ${q(v)})`);
  for (const param of p.params.filter((x) => !x.secret))
    out.push(`      .withEnvVariable(${q(param.variable)}, ${param.name})`);
  out.push(...cacheLines(p.caches, WORKDIR), ...bindingLines(p.services));
  for (const param of p.params.filter((x) => x.secret))
    out.push(`    if (${param.name}) ctr = ctr.withSecretVariable(${q(param.variable)}, ${param.name})`);
  out.push(...execLines(p.script, p.afterScript));
  if (p.artifacts.length)
    out.push(
      `    return dag.directory().withDirectory(".", ctr.directory(${q(WORKDIR)}), ` +
        `{ include: ${JSON.stringify(includePatterns(p.artifacts)).replace(/","/g, '", "')} })`,
    );
  else out.push(`    return ctr`);
  out.push(`  }`);
  return out.join("\n") + "\n";
}

function callLine(fn: string, p: JobPlan): string {
  const parts = ["dagger", "call", kebabCase(fn), "--source=."];
  if (p.imageParam) parts.push(`--image="${p.image}"`);
  for (const s of p.services.services) if (s.imageParam) parts.push(`--${kebabCase(s.image)}="${s.written}"`);
  for (const param of p.params)
    parts.push(
      param.secret
        ? `--${kebabCase(param.name)}=env:${param.variable}`
        : `--${kebabCase(param.name)}="$${param.variable}"`,
    );
  parts.push(p.artifacts.length ? "export --path=." : "stdout");
  return parts.join(" ");
}

/** The config runs on gitlab-org runners: some job or default asks for the gitlab-org tag. */
export function usesGitlabOrgTags(model: Model): boolean {
  const has = (v: CValue | undefined) =>
    v?.kind === "seq" && v.items.some((t) => str(t) === GITLAB_ORG || str(t) === GITLAB_ORG_DOCKER);
  if (has(get(get(model.merged, "default"), "tags"))) return true;
  for (const j of model.jobs.values())
    if (j.kind === "job" && has(get(model.effectiveJob(j.name), "tags"))) return true;
  return false;
}

/** The runner tags a new `.dagger` set-up job asks for. */
export function setupTags(model: Model, executor: Executor): string[] {
  if (executor === "kubernetes") return [DAGGER_NODE];
  return usesGitlabOrgTags(model) ? [GITLAB_ORG_DOCKER] : [];
}

/** A job's runner tags as GitLab matches them: its effective `tags`, nested lists flattened; [] for none. */
export function effectiveTags(model: Model, name: string): string[] {
  return tagStrings(get(model.effectiveJob(name), "tags"));
}

function tagStrings(v: CValue | undefined): string[] {
  if (!v) return [];
  if (v.kind === "scalar") return v.value === null ? [] : [String(v.value)];
  if (v.kind === "seq") return v.items.flatMap(tagStrings);
  return [];
}

/**
 * The executor a job most likely runs on today, offered first: Kubernetes when a tag says so
 * (`kubernetes`, `k8s`, a `$KUBERNETES_...` variable, `dagger-node`) or the job sets the Kubernetes
 * executor's own variables (`KUBERNETES_CPU_REQUEST`, ...); Docker otherwise, the common case.
 */
export function likelyExecutor(model: Model, name: string): Executor {
  if (effectiveTags(model, name).some((t) => /kubernetes|k8s/i.test(t) || t === DAGGER_NODE)) return "kubernetes";
  const variables = get(model.effectiveJob(name), "variables");
  if (variables?.kind === "map")
    for (const e of variables.entries.values())
      if (/^KUBERNETES_/.test(e.key) && !e.value.via?.some((h) => h.kind === "global-variables")) return "kubernetes";
  return "docker";
}

/** Images of the set-up job go through the dependency proxy where the config has one, as the lint asks. */
function proxyPrefix(model: Model): string {
  const variable = proxyVariable(model);
  return variable ? `\${${variable}}` : "";
}

/**
 * The set-up job a conversion for this executor extends: `.dagger`, unless the config's `.dagger` sets up the
 * other executor (a Docker-in-Docker service, or the Kubernetes runners' engine socket); then one of its own,
 * `.dagger:kubernetes` or `.dagger:docker`, so that no job is sent to runners set up for the other.
 */
export function setupJobName(model: Model, executor: Executor): string {
  const existing = model.jobs.get(SETUP_JOB);
  if (!existing) return SETUP_JOB;
  const its = setupExecutor(existing.value);
  return its === undefined || its === executor ? SETUP_JOB : `${SETUP_JOB}:${executor}`;
}

/** The executor a set-up job is written for, when it says so; undefined for one written otherwise. */
function setupExecutor(job: CValue): Executor | undefined {
  const variables = get(job, "variables");
  if (get(variables, "_EXPERIMENTAL_DAGGER_RUNNER_HOST") || tagStrings(get(job, "tags")).includes(DAGGER_NODE))
    return "kubernetes";
  const services = get(job, "services");
  const dind = (s: CValue) => /dind/.test(str(s) ?? str(get(s, "name")) ?? "");
  if (get(variables, "DOCKER_HOST") || (services?.kind === "seq" && services.items.some(dind))) return "docker";
  return undefined;
}

/** The hidden job every converted job extends: CLI pinned to the engine, executor set-up. */
export function setupJobText(model: Model, executor: Executor, daggerVersion: string, name = SETUP_JOB): string {
  const proxy = proxyPrefix(model);
  const install = [
    "apk add --no-cache curl",
    "curl -fsSL https://dl.dagger.io/dagger/install.sh | BIN_DIR=/usr/local/bin sh",
    "dagger version",
  ];
  const out = [`${name}:`];
  if (executor === "docker") {
    out.push(
      "  # The Dagger CLI starts its engine in the Docker-in-Docker service; DAGGER_VERSION pins the CLI",
      "  # to the engine version of dagger.json.",
      `  image: ${proxy}docker:27-cli`,
      "  services:",
      `    - ${proxy}docker:27-dind`,
      "  variables:",
      `    DAGGER_VERSION: "${daggerVersion}"`,
      "    DOCKER_HOST: tcp://docker:2375",
      '    DOCKER_TLS_CERTDIR: ""',
    );
    const tags = setupTags(model, executor);
    if (tags.length) out.push(`  tags: ${flowList(tags)}`);
  } else {
    out.push(
      "  # Kubernetes runners on dagger-node hosts reach the node's Dagger engine through its socket;",
      "  # DAGGER_VERSION pins the CLI to the engine version of dagger.json.",
      `  image: ${proxy}alpine:3.20`,
      `  tags: ${flowList(setupTags(model, executor))}`,
      "  variables:",
      `    DAGGER_VERSION: "${daggerVersion}"`,
      "    _EXPERIMENTAL_DAGGER_RUNNER_HOST: unix:///var/run/dagger/engine.sock",
    );
  }
  out.push("  before_script:", ...install.map((l) => `    - ${l}`));
  return out.join("\n") + "\n";
}

/** An empty list or null: no services. */
function isEmpty(v: CValue): boolean {
  return (v.kind === "seq" && v.items.length === 0) || (v.kind === "scalar" && v.value === null);
}

/**
 * Whether job `name` would still get `key` without its own: from a parent, `default:`, or the deprecated top-level
 * keyword that acts as a default.
 */
function inherits(model: Model, name: string, key: string): boolean {
  for (const p of model.extendsParents.get(name) ?? [])
    if (get(model.jobs.get(p.name)?.value, key) !== undefined) return true;
  return get(get(model.merged, "default"), key) !== undefined || get(model.merged, key) !== undefined;
}

/** Where the line after `offset`'s starts (the end of the text on the last line). */
const lineEnd = (lines: LineIndex, offset: number) => lines.nextLineStart(offset) ?? lines.text.length;

/** The whole lines of a key and its value, for removing or replacing the entry. */
function entryLines(lines: LineIndex, e: CEntry): { start: number; end: number } {
  const last = Math.max(e.value.src.end, e.keySrc.end) - 1;
  return { start: lines.startOfLine(e.keySrc.start), end: lineEnd(lines, last) };
}

/** Where to put a new top-level block before `offset`'s line: above the comments that belong to it. */
function aboveComments(lines: LineIndex, offset: number): number {
  let line = lines.position(offset).line;
  while (line > 0 && /^\s*#/.test(lines.lineText(line - 1))) line--;
  return lines.lineStart(line);
}

/** An insertion and an edit at the same offset would be ambiguous to apply: make them one edit. */
function joinEdits(edits: readonly TextEdit[]): TextEdit[] {
  const sorted = [...edits].sort(
    (a, b) => a.src.start - b.src.start || a.src.end - a.src.start - (b.src.end - b.src.start),
  );
  const out: TextEdit[] = [];
  for (const e of sorted) {
    const prev = out[out.length - 1];
    if (prev && prev.src.file === e.src.file && prev.src.start === prev.src.end && prev.src.start === e.src.start)
      out[out.length - 1] = { src: e.src, newText: prev.newText + e.newText };
    else out.push(e);
  }
  return out;
}

function blockItems(items: readonly string[], indent: string): string {
  return items.map((i) => `${indent}  - ${i}`).join("\n");
}

/** A name not yet taken in the module: converting a second job called "build" gives "build2". */
function freeName(module: DaggerModule | undefined, wanted: string): string {
  const taken = new Set(module?.functions.map((f) => f.name) ?? []);
  let name = wanted;
  for (let i = 2; taken.has(name); i++) name = `${wanted}${i}`;
  return name;
}

export interface ConvertOptions {
  readonly executor: Executor;
  /** The workspace's module and its entry file text, when there is one. */
  readonly module?: DaggerModule;
  readonly moduleSource?: string;
}

/** Converts job `name`; undefined when it is not a job written as a block mapping with a script. */
export function convertJob(model: Model, name: string, options: ConvertOptions): Conversion | undefined {
  const info = model.jobs.get(name);
  const job = model.effectiveJob(name);
  if (!info || info.kind !== "job" || !job) return undefined;
  const file = model.files.get(info.keySrc.file);
  const raw = file?.content?.kind === "map" ? file.content.entries.get(name) : undefined;
  if (!file || !raw || raw.value.kind !== "map" || raw.value.entries.size === 0) return undefined;
  const entries = [...raw.value.entries.values()];
  const first = entries[0];
  const indent = file.text.slice(file.lines.startOfLine(first.keySrc.start), first.keySrc.start);
  if (!/^ +$/.test(indent)) return undefined; // flow mapping or odd layout: no safe text edit

  const p = plan(job, name, options.executor);
  const fn = freeName(options.module, camelCase(name));
  const method = methodText(fn, name, p);
  const call = callLine(fn, p);
  const engineVersion = options.module?.engineVersion ?? DEFAULT_ENGINE_VERSION;
  const daggerVersion = engineVersion.replace(/^v/, "");

  const edits: TextEdit[] = [];
  const at = (start: number, end: number, newText: string, path = file.path): TextEdit => ({
    src: { file: path, start, end } as Src,
    newText,
  });
  // an entry a `<<: *anchor` brought is written elsewhere: removing its lines would edit the anchor
  const jobStart = raw.keySrc.start;
  const jobEnd = raw.value.src.end;
  const writtenHere = (e: CEntry) =>
    e.keySrc.file === file.path && e.keySrc.start >= jobStart && e.keySrc.end <= jobEnd;
  const own = (k: string) => {
    const e = raw.value.kind === "map" ? raw.value.entries.get(k) : undefined;
    return e && writtenHere(e) ? e : undefined;
  };
  const ownAnywhere = (k: string) => (raw.value.kind === "map" ? raw.value.entries.get(k) : undefined);
  const jobLineStart = file.lines.startOfLine(first.keySrc.start);
  /** Keys the job gets of its own, written first, after a new `extends`. */
  const added: string[] = [];
  // the function now does these; the job's own copies would override `.dagger`'s
  for (const k of ["image", "before_script"]) {
    const e = own(k);
    if (e) {
      const r = entryLines(file.lines, e);
      edits.push(at(r.start, r.end, ""));
    }
  }

  // Tags: the job keeps the runners it has unless the title says otherwise. `.dagger` comes last in
  // `extends`, so its tags beat those of the other parents and of `default:`; where that would move
  // the job, it gets its own `tags:`, which beat every parent.
  const before = effectiveTags(model, name);
  const setupName = setupJobName(model, options.executor);
  const setup = model.jobs.get(setupName);
  const inherited = setup ? tagStrings(get(setup.value, "tags")) : setupTags(model, options.executor);
  let tags: string[];
  if (options.executor === "kubernetes") tags = inherited.length ? inherited : before;
  else if (before.length === 0) tags = inherited;
  // Docker-in-Docker on gitlab-org needs the privileged gitlab-org-docker runners
  else tags = [...new Set(before.map((t) => (t === GITLAB_ORG ? GITLAB_ORG_DOCKER : t)))];
  const ownTags = own("tags");
  const rawTags = ownAnywhere("tags");
  const tagsLine = `${indent}tags: ${flowList(tags)}\n`;
  if (ownTags) {
    const items = ownTags.value.kind === "seq" ? ownTags.value.items : [];
    const plainItems =
      items.length === before.length &&
      items.every((t, i) => t.kind === "scalar" && writtenHere({ ...ownTags, keySrc: t.src }) && str(t) === before[i]);
    const fromSetup = inherited.length > 0 && sameList(tags, inherited);
    if (sameList(tags, before)) {
      // unchanged
    } else if (fromSetup && options.executor === "kubernetes") {
      const r = entryLines(file.lines, ownTags);
      edits.push(at(r.start, r.end, "")); // `.dagger` sends the job to the dagger-node runners
    } else if (plainItems && tags.length === items.length) {
      items.forEach((t, i) => {
        if (tags[i] !== before[i]) edits.push(at(t.src.start, t.src.end, flowItem(tags[i])));
      });
    } else if (fromSetup) {
      const r = entryLines(file.lines, ownTags);
      edits.push(at(r.start, r.end, ""));
    } else {
      const r = entryLines(file.lines, ownTags);
      edits.push(at(r.start, r.end, tagsLine));
    }
  } else if (rawTags || !sameList(inherited.length ? inherited : before, tags)) {
    added.push(tagsLine);
  }

  const notes: string[] = [];
  /** Takes `key` away from the job: its own entry removed, or `key: []` where a parent or default: would give one. */
  const takeAway = (key: string): string => {
    const written = own(key);
    const inherited = !written || inherits(model, name, key);
    const off = `${indent}${key}: []\n`;
    if (written) {
      const r = entryLines(file.lines, written);
      edits.push(at(r.start, r.end, inherited ? off : ""));
    } else added.push(off);
    return inherited ? `turned off (${key}: [])` : "removed";
  };
  // cache: the function's commands run inside Dagger, where GitLab's cache folders are not seen; the paths that can
  // be mounted become cache volumes of the function
  const cache = get(job, "cache");
  const caches = cache !== undefined && !isEmpty(cache);
  const { mounts, dropped } = p.caches;
  if (caches) {
    const how = takeAway("cache");
    notes.push(
      `The job's cache is ${how} in the YAML: the function's commands run inside Dagger, where GitLab's cache ` +
        "folders are not seen.",
    );
    if (mounts.length)
      notes.push(
        [
          `The cache moves into the function as Dagger cache volumes: ` +
            `${mounts.map((m) => `${m.path} in "${m.volume}"`).join(", ")}.`,
          "A volume lives in the Dagger engine: it keeps what the commands write, whether they pass or fail, for " +
            "every branch and pipeline the engine serves, and hides what the checkout has at its path.",
          ...(options.executor === "docker"
            ? [
                "On the Docker executor the engine runs in the job's Docker-in-Docker service: the volumes last " +
                  "as long as the job.",
              ]
            : []),
          ...p.caches.approximations,
        ].join(" "),
      );
    if (dropped.length) notes.push(`Not mounted, so no longer cached: ${dropped.join("; ")}.`);
  }
  // services: they move into the function, where its containers reach them under GitLab's host names. On the Docker
  // executor the job's own list would also replace `.dagger`'s Docker-in-Docker service, and `dagger` would find no
  // engine; on Kubernetes GitLab would start them for nothing
  const moved = p.services.services;
  if (options.executor === "docker") {
    const ownServices = ownAnywhere("services");
    if (ownServices !== undefined && !isEmpty(ownServices.value)) {
      const written = own("services");
      if (written) {
        const r = entryLines(file.lines, written);
        edits.push(at(r.start, r.end, ""));
      } else added.push(`${indent}services: [${proxyPrefix(model)}docker:27-dind]\n`);
    }
  } else if (moved.length) takeAway("services");
  if (moved.length) {
    const bound = moved.map((s) => `${s.written} as ${s.aliases.map((a) => `"${a}"`).join(", ")}`);
    notes.push(
      [
        `The job's services move into the function as Dagger services: ${bound.join("; ")}.`,
        options.executor === "docker"
          ? "In the YAML they would replace the Docker-in-Docker service the Dagger CLI needs."
          : "In the YAML they are removed: the function's containers could not reach them.",
        ...(p.serviceEnvMissing.length
          ? [
              `GitLab would give them ${listed(p.serviceEnvMissing)}, built from variables the function does not ` +
                "have: pass them as arguments if a service needs them.",
            ]
          : []),
        ...(moved.some((s) => s.privileged)
          ? [
              "Docker-in-Docker runs privileged; the function's docker commands reach it through DOCKER_HOST, " +
                "without TLS (its certificates are not shared).",
            ]
          : []),
        ...p.services.approximations,
      ].join(" "),
    );
  }
  // after_script: the function runs it after the script; left in the YAML it would run in the Dagger CLI's container
  if (p.afterScript.length) {
    const how = takeAway("after_script");
    notes.push(
      "The job's after_script runs in the function, after the script whether it passed or failed, in a shell of its " +
        `own with CI_JOB_STATUS set; it is ${how} in the YAML. It has no time limit of its own (GitLab's is 5 ` +
        "minutes), and it does not run when the job is cancelled, where GitLab runs it.",
    );
  }
  if (!sameList(tags, before))
    notes.push(
      `The job's runner tags change from ${before.length ? flowList(before) : "none"} to ${flowList(tags)}` +
        (options.executor === "kubernetes"
          ? ": the Kubernetes executor needs runners whose node runs a Dagger engine."
          : ": Docker-in-Docker needs privileged runners."),
    );

  const ext = own("extends");
  if (!ext) {
    edits.push(at(jobLineStart, jobLineStart, `${indent}extends: ${setupName}\n${added.join("")}`));
  } else {
    if (added.length) edits.push(at(jobLineStart, jobLineStart, added.join("")));
    if (ext.value.kind === "scalar") {
      edits.push(
        at(
          ext.value.src.start,
          ext.value.src.end,
          `[${file.text.slice(ext.value.src.start, ext.value.src.end)}, ${setupName}]`,
        ),
      );
    } else if (ext.value.kind === "seq" && !ext.value.items.some((i) => str(i) === setupName)) {
      // last, so the set-up's image and before_script win over the other parents'
      const edit = insertItem(model, ext.value, ext.value.items.length, setupName);
      if (edit) edits.push(edit);
    }
  }
  // after the `extends` edits: a new script key and a `.dagger` item added to a block list that ends the
  // job are insertions at the same offset, joined in this order
  const scriptText = `${indent}script:\n${blockItems([call], indent)}\n`;
  const script = own("script");
  if (script) {
    const r = entryLines(file.lines, script);
    edits.push(at(r.start, r.end, scriptText));
  } else {
    const r = lineEnd(
      file.lines,
      entries.reduce((max, e) => Math.max(max, e.value.src.end - 1), 0),
    );
    edits.push(at(r, r, scriptText));
  }
  if (!setup) {
    const text = setupJobText(model, options.executor, daggerVersion, setupName);
    const root = model.files.get(model.root);
    if (root && root.path !== file.path) {
      // in the root file, where a reader looks for the pipeline's set-up, not in an included one
      const t = root.text;
      const lead = t.length === 0 || t.endsWith("\n\n") ? "" : t.endsWith("\n") ? "\n" : "\n\n";
      edits.push(at(t.length, t.length, `${lead}${text}`, root.path));
    } else {
      const s = aboveComments(file.lines, info.keySrc.start);
      const blankBefore = s === 0 || /\n\s*\n$/.test(file.text.slice(0, s)) ? "" : "\n";
      edits.push(at(s, s, `${blankBefore}${text}\n`));
    }
  }

  const imports = [...SDK_IMPORTS].filter((n) => {
    if (n === "Secret") return p.params.some((x) => x.secret);
    // services given the job's variables take them from a helper typed with Container
    if (n === "Container") return !p.artifacts.length || p.serviceEnv.length > 0;
    return true;
  });
  let createFiles: Record<string, string> = {};
  const moduleEdits: TextEdit[] = [];
  if (options.module) {
    // a module we cannot add to (no TypeScript source, no @object() class) gets no half conversion
    const added = options.moduleSource === undefined ? [] : addFunctionEdits(options.moduleSource, method, imports);
    if (added.length === 0) return undefined;
    for (const e of added)
      moduleEdits.push({ src: { file: options.module.entryFile, start: e.start, end: e.end }, newText: e.newText });
  } else {
    createFiles = newModuleFiles("ci", engineVersion, method, imports);
  }
  const where = [options.executor === "docker" ? "Docker executor" : "Kubernetes executor"];
  if (!sameList(tags, before)) where.push(`runs on ${tags.join(", ")}`);
  if (caches && dropped.length) where.push(mounts.length ? "drops part of its cache" : "drops its cache");
  return {
    title: `Convert job "${name}" to a Dagger Function (${where.join(", ")})`,
    notes,
    tags,
    configEdits: joinEdits(edits),
    createFiles,
    moduleEdits,
    method,
    call,
  };
}
