import type { CMap, CValue } from "../../engine/types";
import { get, str } from "../../engine/values";
import { camelCase } from "./names";

// What a job has around its script, for "Convert job to Dagger Function": its cache (Dagger cache volumes), its
// services (Dagger services bound under GitLab's host names) and its after_script (a shell of its own after the
// script). Plans and the generated TypeScript for them; convert.ts puts them in the method and edits the YAML.

/** A job value's strings, nested lists flattened (as GitLab reads script lists). */
export function lines(v: CValue | undefined): string[] {
  if (!v) return [];
  if (v.kind === "scalar") return v.value === null ? [] : [String(v.value)];
  if (v.kind === "seq") return v.items.flatMap(lines);
  return [];
}

const q = (s: string) => JSON.stringify(s);
const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Replaces the variables `known` has; the others are given to `unknown`, which returns their text. */
function expand(text: string, known: ReadonlyMap<string, string>, unknown: (name: string) => string): string {
  return text.replace(VARIABLE, (_, braced: string | undefined, plain: string | undefined) => {
    const name = braced ?? plain ?? "";
    return known.get(name) ?? unknown(name);
  });
}

/** A name Dagger and a reader take as is: lower case, runs of anything but letters, digits and `.` made `-`. */
function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "");
}

export const listed = (items: readonly string[]) =>
  items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;

/** What the conversion knows of the job's environment: its literal YAML variables and where the function runs. */
export interface JobContext {
  readonly jobName: string;
  readonly workdir: string;
  /** Variables with a value GitLab does not expand further: job and global YAML variables, CI_JOB_NAME, ... */
  readonly known: ReadonlyMap<string, string>;
  /** Artifact paths as written: a cache volume's files are not in the directory the function returns. */
  readonly artifacts: readonly string[];
}

// ---- cache ------------------------------------------------------------------------------------------------------

/** A cache path mounted as a Dagger cache volume. */
export interface CacheMount {
  /** Relative to the project directory. */
  readonly path: string;
  readonly volume: string;
}

export interface CachePlan {
  readonly mounts: readonly CacheMount[];
  /** What cannot be mounted, each with why: "`**‍/*.o` (a glob)". */
  readonly dropped: readonly string[];
  /** Where the volumes differ from GitLab's cache, in sentences. */
  readonly approximations: readonly string[];
}

function cacheItems(v: CValue | undefined): CMap[] {
  if (v?.kind === "map") return [v];
  if (v?.kind === "seq") return v.items.filter((i): i is CMap => i.kind === "map");
  return [];
}

/** The directories before a pattern's first wildcard: `coverage/*.xml` → `coverage`; "" for `**‍/x` or `*.log`. */
function staticPrefix(pattern: string): string {
  const parts = pattern.split("/");
  const at = parts.findIndex((p) => /[*?[]/.test(p));
  return (at < 0 ? parts : parts.slice(0, at)).join("/");
}

const normalise = (p: string) => p.replace(/^(\.\/)+/, "").replace(/\/+$/, "");

/** Why a cache path cannot be a mount, or undefined when it can; `path` is already expanded. */
function unmountable(path: string, artifacts: readonly string[]): string | undefined {
  if (path.includes("$")) return "names a variable only GitLab knows";
  if (/[*?[]/.test(path)) return "a glob";
  if (path.startsWith("/") || path.split("/").includes("..")) return "outside the project directory";
  if (path === "" || path === ".") return "the whole project directory";
  const inside = (a: string, b: string) => a === b || a.startsWith(`${b}/`);
  for (const a of artifacts) {
    const prefix = staticPrefix(a);
    // `**/x` and `*.log` at the top match files anywhere or at the top, not under one directory we could tell
    const overlaps = prefix === "" ? /\*\*/.test(a) : inside(path, prefix) || inside(prefix, path);
    if (overlaps) return "also collected as an artifact, and a volume's files are not in what the function returns";
  }
  return undefined;
}

/**
 * The job's caches as cache volumes, one per path: a volume is mounted at one place. The volume is named from the
 * cache key and the path, so jobs that share a key share the volume, as they share GitLab's cache.
 */
export function planCaches(job: CMap, ctx: JobContext): CachePlan {
  const mounts: CacheMount[] = [];
  const dropped: string[] = [];
  const approximations: string[] = [];
  const unexpanded = new Set<string>();
  let filesKey = false;
  let pull = false;
  let push = false;
  let fallback = false;
  const artifacts = ctx.artifacts.map(normalise);
  const jobSlug = slug(ctx.jobName) || "job";
  cacheItems(get(job, "cache")).forEach((item, index) => {
    const key = get(item, "key");
    const fromText = (text: string) =>
      slug(
        expand(text, ctx.known, (name) => {
          // a ref or pipeline variable: GitLab keeps one cache per value, the engine one volume for all
          unexpanded.add(`$${name}`);
          return name;
        }),
      );
    let name: string;
    if (key?.kind === "map") {
      // key:files: GitLab hashes the files' last commits; a volume name cannot follow their content
      filesKey = true;
      const prefix = str(get(key, "prefix"));
      name = (prefix && fromText(prefix)) || `${jobSlug}-${index}`;
    } else {
      // GitLab's key when none is given is "default"
      const text = key?.kind === "scalar" && key.value !== null ? String(key.value) : "default";
      name = fromText(text) || `${jobSlug}-${index}`;
    }
    for (const written of lines(get(item, "paths"))) {
      // paths are relative to the project directory; $CI_PROJECT_DIR is the function's workdir
      const expanded = expand(written, ctx.known, (v) => `$${v}`);
      const path = normalise(
        expanded === ctx.workdir
          ? "."
          : expanded.startsWith(`${ctx.workdir}/`)
            ? expanded.slice(ctx.workdir.length + 1)
            : expanded,
      );
      const why = unmountable(path, artifacts);
      if (why) dropped.push(`${written} (${why})`);
      else if (!mounts.some((m) => m.path === path)) mounts.push({ path, volume: `${name}-${slug(path) || "root"}` });
    }
    const untracked = get(item, "untracked");
    if (untracked?.kind === "scalar" && untracked.value === true)
      dropped.push("untracked files (no one path to mount)");
    const policy = str(get(item, "policy"));
    if (policy === "pull") pull = true;
    if (policy === "push") push = true;
    if (get(item, "fallback_keys")) fallback = true;
  });
  if (mounts.length) {
    const vars = [...unexpanded];
    if (vars.length)
      approximations.push(
        `The cache key's ${listed(vars)} ${vars.length > 1 ? "are" : "is"} not expanded: GitLab keeps a cache ` +
          "per value, the engine one volume for all.",
      );
    if (filesKey) approximations.push("A key:files cache gets one volume, not a new one when those files change.");
    if (pull) approximations.push("policy: pull is not kept: what the commands write stays in the volume.");
    if (push) approximations.push("policy: push is not kept: the commands see what the volume holds.");
    if (fallback) approximations.push("fallback_keys have no counterpart: a new volume starts empty.");
  }
  return { mounts, dropped, approximations };
}

// ---- services ---------------------------------------------------------------------------------------------------

/** One of the job's services as a Dagger service. */
export interface ServiceRun {
  /** The TypeScript constant holding it. */
  readonly constant: string;
  /** The image, or the name of the argument that carries it when it holds CI variables. */
  readonly image: string;
  readonly imageParam: boolean;
  /** The image as written, for the `dagger call` flag when it is an argument. */
  readonly written: string;
  readonly entrypoint?: readonly string[];
  readonly command?: readonly string[];
  /** The service's own variables, after the job's. */
  readonly variables: ReadonlyArray<readonly [string, string]>;
  /** The host names the function's container reaches it by. */
  readonly aliases: readonly string[];
  /** Docker-in-Docker: runs privileged, as GitLab's runners must for it. */
  readonly privileged: boolean;
}

export interface ServicePlan {
  readonly services: readonly ServiceRun[];
  /** Where the Dagger services differ from GitLab's, in sentences. */
  readonly approximations: readonly string[];
}

/**
 * The host names GitLab Runner gives a service without an alias (helpers/container/services, SplitNameAndVersion):
 * the image without tag, digest and registry port, `/` made `__`, and, when that differs, `/` made `-` (the one that
 * is a valid host name). `tutum/wordpress:latest` → tutum__wordpress, tutum-wordpress.
 */
export function defaultAliases(image: string): string[] {
  const name = image.replace(/@.*$/, "").replace(/:[^/:]*$/, "");
  const service = name.replace(/^([^/]*?):[0-9]+(?=\/|$)/, "$1");
  // the runner derives none from a name that is not a Docker reference (upper case, spaces, ...)
  if (!/^[a-z0-9][a-z0-9._-]*(?::[0-9]+)?(?:\/[a-z0-9][a-z0-9._-]*)*$/.test(name)) return [];
  const underscores = service.replace(/\//g, "__");
  const dashes = service.replace(/\//g, "-");
  return underscores === dashes ? [underscores] : [underscores, dashes];
}

const DIND = /(^|\/)docker:[^/]*dind|dind/;

/**
 * The job's services. GitLab starts each with the job's YAML variables and then its own (docs: "Passing CI/CD
 * variables to services"), reachable under its alias and the names derived from its image; an alias a service
 * before it took is skipped, as the runner skips it. Of the derived names, the function binds the host-name one
 * (or the one the job's scripts or variables mention), an explicit alias being what most jobs use.
 */
export function planServices(
  value: CValue | undefined,
  ctx: JobContext,
  mentions: string,
  taken: Set<string>,
  executor: "docker" | "kubernetes",
): ServicePlan {
  const items = value?.kind === "seq" ? value.items : [];
  // a URL's scheme and user are not host names: postgres://postgres:pw@db names db only
  const hosts = mentions.replace(/[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^@/\s]*@)?/g, " ");
  const services: ServiceRun[] = [];
  const bound = new Set<string>();
  let guessed = false;
  let ignored = false;
  for (const item of items) {
    const written = str(item) ?? str(get(item, "name"));
    if (!written) continue;
    const explicit = (str(get(item, "alias")) ?? "").split(/[\s,]+/).filter((a) => a !== "");
    // the runner expands the name; what the YAML's variables say is known here, the rest only at the call
    const resolved = expand(written, ctx.known, (v) => `$${v}`);
    const open = resolved.includes("$");
    // from a name built from CI variables the runner derives the names after expanding it; ours are a guess
    const plain = open ? expand(resolved, new Map(), () => "").replace(/^\/+/, "") : resolved;
    const derived = defaultAliases(plain);
    if (open && !explicit.length && derived.length) guessed = true;
    const mentioned = (a: string) =>
      new RegExp(`(^|[^A-Za-z0-9_.-])${a.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^A-Za-z0-9_-])`).test(hosts);
    const wanted = [
      ...explicit,
      ...derived.filter((a, i) => mentioned(a) || (i === derived.length - 1 && !explicit.length)),
    ];
    const aliases = [...new Set(wanted)].filter((a) => !bound.has(a));
    if (!aliases.length) continue;
    for (const a of aliases) bound.add(a);
    const list = (k: string) => {
      const v = get(item, k);
      return v?.kind === "seq" ? lines(v) : v?.kind === "scalar" && v.value !== null ? [String(v.value)] : undefined;
    };
    const variables: Array<[string, string]> = [];
    const own = get(item, "variables");
    if (own?.kind === "map")
      for (const e of own.entries.values()) {
        const v = e.value.kind === "scalar" ? (e.value.value === null ? "" : String(e.value.value)) : undefined;
        if (v !== undefined) variables.push([e.key, v]);
      }
    if (item.kind === "map" && (get(item, "docker") || get(item, "kubernetes") || get(item, "pull_policy")))
      ignored = true;
    let constant = `${camelCase(aliases[0])}Service`;
    for (let i = 2; taken.has(constant); i++) constant = `${camelCase(aliases[0])}Service${i}`;
    taken.add(constant);
    let image = resolved;
    if (open) {
      image = `${camelCase(aliases[0])}Image`;
      for (let i = 2; taken.has(image); i++) image = `${camelCase(aliases[0])}Image${i}`;
      taken.add(image);
    }
    services.push({
      constant,
      image,
      imageParam: open,
      written,
      entrypoint: list("entrypoint"),
      command: list("command"),
      variables,
      aliases,
      privileged: DIND.test(plain),
    });
  }
  const approximations: string[] = [];
  if (services.length) {
    approximations.push(
      "Dagger starts a service once the ports its image EXPOSEs answer (GitLab's services have no ports: to say " +
        "which, add .withExposedPort to the service).",
    );
    if (executor === "kubernetes")
      approximations.push(
        "On the Kubernetes executor a job reaches its services at localhost; in the function, use their aliases.",
      );
    if (guessed)
      approximations.push(
        "The host name of a service whose image is built from CI variables is derived from its image without " +
          "them: give it an alias if the job uses another.",
      );
    if (ignored) approximations.push("A service's docker:, kubernetes: and pull_policy settings are not carried over.");
  }
  return { services, approximations };
}

/** The service constants, before the function's container that binds them. */
export function serviceLines(plan: ServicePlan, jobVariables: readonly string[]): string[] {
  if (!plan.services.length) return [];
  const out: string[] = [];
  if (jobVariables.length) {
    out.push(`    // GitLab gives every service the job's YAML variables, then the service's own`);
    out.push(`    const jobVariables = (c: Container) =>`, `      c`, ...jobVariables.map((l) => `        ${l}`));
  }
  for (const s of plan.services) {
    out.push(
      `    const ${s.constant} = dag`,
      `      .container()`,
      `      .from(${s.imageParam ? s.image : q(s.image)})`,
    );
    if (jobVariables.length) out.push(`      .with(jobVariables)`);
    for (const [k, v] of s.variables)
      // the runner expands a service variable's value: here from the variables the service already has
      out.push(`      .withEnvVariable(${q(k)}, ${q(v)}${v.includes("$") ? ", { expand: true }" : ""})`);
    if (s.entrypoint) out.push(`      .withEntrypoint(${JSON.stringify(s.entrypoint).replace(/","/g, '", "')})`);
    // GitLab runs the image's ENTRYPOINT with its CMD (or the service's command); Dagger skips the ENTRYPOINT unless
    // told to use it
    const opts = [
      ...(s.command ? [`args: ${JSON.stringify(s.command).replace(/","/g, '", "')}`] : []),
      "useEntrypoint: true",
      ...(s.privileged ? ["insecureRootCapabilities: true"] : []),
    ];
    out.push(`      .asService({ ${opts.join(", ")} })`);
  }
  return out;
}

export function bindingLines(plan: ServicePlan): string[] {
  return plan.services.flatMap((s) => s.aliases.map((a) => `      .withServiceBinding(${q(a)}, ${s.constant})`));
}

export function cacheLines(plan: CachePlan, workdir: string): string[] {
  return plan.mounts.map(
    (m) => `      .withMountedCache(${q(`${workdir}/${m.path}`)}, dag.cacheVolume(${q(m.volume)}))`,
  );
}

// ---- script and after_script ------------------------------------------------------------------------------------

function joined(items: readonly string[], indent: string): string[] {
  return [`${indent}[`, ...items.map((l) => `${indent}  ${q(l)},`), `${indent}].join("\\n"),`];
}

/**
 * The exec that runs the job's before_script and script and, when it has one, its after_script. The script runs in
 * one shell, as the runner runs it: `cd` and `export` carry over to the next line. The after_script runs as GitLab
 * runs it (docs: after_script): in a new shell once the script has ended, passed or failed, so it sees the script's
 * files but not its exported variables, with CI_JOB_STATUS set; its failure does not change the job's result, so the
 * exec ends with the script's status. One exec, not two: a failed exec stops the pipeline of containers there.
 */
export function execLines(script: readonly string[], afterScript: readonly string[]): string[] {
  if (!afterScript.length) {
    const out = [`    ctr = ctr.withExec(["sh", "-ec", [`];
    for (const l of script) out.push(`      ${q(l)},`);
    out.push(`    ].join("\\n")])`);
    return out;
  }
  return [
    `    // after_script runs in a shell of its own whether the script passed or failed, and cannot fail the job`,
    `    ctr = ctr.withExec([`,
    `      "sh",`,
    `      "-c",`,
    `      [`,
    `        'sh -ec "$1"',`,
    `        "status=$?",`,
    `        'if [ "$status" -eq 0 ]; then export CI_JOB_STATUS=success; else export CI_JOB_STATUS=failed; fi',`,
    `        'sh -ec "$2" || echo "after_script failed; the job keeps the status of its script" >&2',`,
    `        'exit "$status"',`,
    `      ].join("\\n"),`,
    `      "sh",`,
    ...joined(script, "      "),
    ...joined(afterScript, "      "),
    `    ])`,
  ];
}
