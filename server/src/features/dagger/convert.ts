import type { Model } from "../../engine/engine";
import type { CEntry, CMap, CValue, Src, TextEdit } from "../../engine/types";
import type { LineIndex } from "../../engine/text";
import { get, str } from "../../engine/values";
import { proxyVariable } from "../../model/images";
import { insertItem } from "../../model/list-edits";
import {
  camelCase,
  DEFAULT_ENGINE_VERSION,
  kebabCase,
  newModuleFiles,
  addFunctionEdits,
  type DaggerModule,
} from "./module";

// "Convert job to Dagger Function": the job's work (image, variables, before_script and script,
// artifacts) moves into a method of the workspace's Dagger module, and the job keeps only what
// GitLab decides (rules, stage, needs, artifacts collection) plus one `dagger call` line. The
// runner set-up for Dagger (CLI install pinned to the module's engine, the executor) lives in one
// hidden job, `.dagger`, that converted jobs extend. Pure: the caller reads the module and
// applies the edits.

export type Executor = "docker" | "kubernetes";

export const SETUP_JOB = ".dagger";
/** Where the function mounts the source directory; also what it sets CI_PROJECT_DIR to. */
export const WORKDIR = "/src";
/** For jobs that name no image: the runner's default is unknown here, so a small shell image. */
export const FALLBACK_IMAGE = "alpine:3.20";

const SDK_IMPORTS = ["dag", "Container", "Directory", "Secret", "object", "func", "argument"] as const;

/** What the conversion produces: edits of the CI files, and of or for the module's files. */
export interface Conversion {
  readonly title: string;
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

function lines(v: CValue | undefined): string[] {
  if (!v) return [];
  if (v.kind === "scalar") return v.value === null ? [] : [String(v.value)];
  if (v.kind === "seq") return v.items.flatMap(lines);
  return [];
}

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
  readonly artifacts: readonly string[];
}

function plan(job: CMap): JobPlan {
  const imageValue = get(job, "image");
  const image = str(imageValue) ?? str(get(imageValue, "name")) ?? FALLBACK_IMAGE;
  const script = [...lines(get(job, "before_script")), ...lines(get(job, "script"))];
  const env: Array<[string, string]> = [];
  const params: Param[] = [];
  const fromCi = new Set<string>();
  const variables = get(job, "variables");
  const used = usedVariables(script);
  if (variables?.kind === "map") {
    for (const e of variables.entries.values()) {
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
  return { image, imageParam: image.includes("$"), env, params, script, artifacts: paths };
}

function methodText(fn: string, jobName: string, p: JobPlan): string {
  const args = ['@argument({ defaultPath: "/" }) source: Directory'];
  // an image built from CI variables has no sensible default: the caller names it
  if (p.imageParam) args.push("image: string");
  for (const param of p.params) args.push(param.secret ? `${param.name}?: Secret` : `${param.name}: string = ""`);
  const returns = p.artifacts.length ? "Directory" : "Container";
  const out: string[] = [];
  out.push(`  /**`, `   * Runs the work of GitLab job ${q(jobName)}: its image, variables, before_script and script.`);
  if (p.artifacts.length) out.push(`   * Returns the job's artifacts:paths as a directory.`);
  out.push(`   */`, `  @func()`, `  ${fn}(${args.join(", ")}): ${returns} {`);
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
  for (const param of p.params.filter((x) => x.secret))
    out.push(`    if (${param.name}) ctr = ctr.withSecretVariable(${q(param.variable)}, ${param.name})`);
  // one shell for all lines, as the runner does: `cd` and `export` carry over to the next line
  out.push(`    ctr = ctr.withExec(["sh", "-ec", [`);
  for (const l of p.script) out.push(`      ${q(l)},`);
  out.push(`    ].join("\\n")])`);
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
    v?.kind === "seq" && v.items.some((t) => str(t) === "gitlab-org" || str(t) === "gitlab-org-docker");
  if (has(get(get(model.merged, "default"), "tags"))) return true;
  for (const j of model.jobs.values())
    if (j.kind === "job" && has(get(model.effectiveJob(j.name), "tags"))) return true;
  return false;
}

/** Images of the set-up job go through the dependency proxy where the config has one, as the lint asks. */
function proxyPrefix(model: Model): string {
  const variable = proxyVariable(model);
  return variable ? `\${${variable}}` : "";
}

/** The hidden job every converted job extends: CLI pinned to the engine, executor set-up. */
export function setupJobText(model: Model, executor: Executor, daggerVersion: string): string {
  const proxy = proxyPrefix(model);
  const install = [
    "apk add --no-cache curl",
    "curl -fsSL https://dl.dagger.io/dagger/install.sh | BIN_DIR=/usr/local/bin sh",
    "dagger version",
  ];
  const out = [`${SETUP_JOB}:`];
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
    if (usesGitlabOrgTags(model)) out.push("  tags: [gitlab-org-docker]");
  } else {
    out.push(
      "  # Kubernetes runners on dagger-node hosts reach the node's Dagger engine through its socket;",
      "  # DAGGER_VERSION pins the CLI to the engine version of dagger.json.",
      `  image: ${proxy}alpine:3.20`,
      "  tags: [dagger-node]",
      "  variables:",
      `    DAGGER_VERSION: "${daggerVersion}"`,
      "    _EXPERIMENTAL_DAGGER_RUNNER_HOST: unix:///var/run/dagger/engine.sock",
    );
  }
  out.push("  before_script:", ...install.map((l) => `    - ${l}`));
  return out.join("\n") + "\n";
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

  const p = plan(job);
  const fn = freeName(options.module, camelCase(name));
  const method = methodText(fn, name, p);
  const call = callLine(fn, p);
  const engineVersion = options.module?.engineVersion ?? DEFAULT_ENGINE_VERSION;
  const daggerVersion = engineVersion.replace(/^v/, "");

  const edits: TextEdit[] = [];
  const at = (start: number, end: number, newText: string): TextEdit => ({
    src: { file: file.path, start, end } as Src,
    newText,
  });
  const own = (k: string) => (raw.value.kind === "map" ? raw.value.entries.get(k) : undefined);
  // the function now does these; the job's own copies would override `.dagger`'s
  for (const k of ["image", "before_script"]) {
    const e = own(k);
    if (e) {
      const r = entryLines(file.lines, e);
      edits.push(at(r.start, r.end, ""));
    }
  }
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
  const tags = own("tags");
  if (tags) {
    if (options.executor === "kubernetes") {
      const r = entryLines(file.lines, tags);
      edits.push(at(r.start, r.end, "")); // `.dagger` sends the job to the dagger-node runners
    } else if (tags.value.kind === "seq") {
      for (const t of tags.value.items)
        if (str(t) === "gitlab-org") edits.push(at(t.src.start, t.src.end, "gitlab-org-docker"));
    }
  }
  const ext = own("extends");
  if (!ext) {
    const s = file.lines.startOfLine(first.keySrc.start);
    edits.push(at(s, s, `${indent}extends: ${SETUP_JOB}\n`));
  } else if (ext.value.kind === "scalar") {
    edits.push(
      at(
        ext.value.src.start,
        ext.value.src.end,
        `[${file.text.slice(ext.value.src.start, ext.value.src.end)}, ${SETUP_JOB}]`,
      ),
    );
  } else if (ext.value.kind === "seq" && !ext.value.items.some((i) => str(i) === SETUP_JOB)) {
    // last, so the set-up's image and before_script win over the other parents'
    const edit = insertItem(model, ext.value, ext.value.items.length, SETUP_JOB);
    if (edit) edits.push(edit);
  }
  if (!model.jobs.has(SETUP_JOB)) {
    const s = aboveComments(file.lines, info.keySrc.start);
    const blankBefore = s === 0 || /\n\s*\n$/.test(file.text.slice(0, s)) ? "" : "\n";
    edits.push(at(s, s, `${blankBefore}${setupJobText(model, options.executor, daggerVersion)}\n`));
  }

  const imports = [...SDK_IMPORTS].filter((n) => {
    if (n === "Secret") return p.params.some((x) => x.secret);
    if (n === "Container") return !p.artifacts.length;
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
  const where = options.executor === "docker" ? "Docker executor" : "Kubernetes executor";
  return {
    title: `Convert job "${name}" to a Dagger Function (${where})`,
    configEdits: joinEdits(edits),
    createFiles,
    moduleEdits,
    method,
    call,
  };
}
