import { type ExternalRequest, isFullSha, projectFilePath, remotePath, templatePath } from "../engine/external";
import type { Failure, GitLabApi, Release } from "./gitlab-api";
import type { IncludeCache, IndexName, Stamp } from "./include-cache";

// Fetching one external include into the cache, as GitLab resolves it, and why it failed in
// GitLab's words where GitLab has them. Severity `error`: GitLab itself would fail the pipeline
// (the project, ref, version or file is not there; a remote file answers 4xx; too big). Severity
// `warning`: our own way to GitLab failed (a timeout, the network, 429 or 5xx after retries, a
// redirect we do not follow), so nothing is known about the include.
//
// GitLab's texts come from lib/gitlab/ci/config/external/file/{project,remote,template,base}.rb,
// app/services/ci/components/fetch_service.rb and lib/gitlab/config/loader/yaml.rb.

export interface Problem {
  readonly message: string;
  readonly severity: "error" | "warning";
}

/** What one fetch() call shares among its requests. */
export interface FetchRun {
  readonly api: GitLabApi;
  readonly cache: IncludeCache;
  /** The instance's host, as virtual paths name it. */
  readonly host: string;
  readonly now: () => number;
  /** Aborted when the call's time (budgetMs) runs out. */
  readonly signal: AbortSignal;
  readonly budgetMs: number;
  /** One answer per key in this call: a ref or the releases several requests need are asked once. */
  memo<T>(key: string, ask: () => Promise<T>): Promise<T>;
}

type ProjectRequest = Extract<ExternalRequest, { kind: "project" }>;
type ComponentRequest = Extract<ExternalRequest, { kind: "component" }>;
type TemplateRequest = Extract<ExternalRequest, { kind: "template" }>;
type RemoteRequest = Extract<ExternalRequest, { kind: "remote" }>;

const TEMPLATE_SUFFIX = ".gitlab-ci.yml";
const LATEST = "~latest";
/** lib/gitlab/ci/components/instance_path.rb's SHORTHAND_SEMVER_PATTERN: `1`, `1.2`. */
const SHORTHAND_SEMVER = /^\d+(\.\d+)?$/;
/** A release tag GitLab's catalog takes as a version (Gitlab::Regex::SemVer.optional_prefixed). */
const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** A file path as GitLab reads it for `include:project` (leading slashes removed). */
export function repositoryFile(file: string): string {
  return file.replace(/^\/+/, "");
}

/** Where a component's file can be, in GitLab's order (Ci::Catalog::ComponentsProject#fetch_component). */
export function componentFiles(name: string): string[] {
  return [`templates/${name}.yml`, `templates/${name}/template.yml`];
}

/** Why a request is not even asked: GitLab refuses it as written, or it is not on our instance. */
export function refusal(r: ExternalRequest, host: string): Problem | undefined {
  if (r.kind === "remote")
    return /^https?:\/\/[^/]/i.test(r.url)
      ? undefined
      : error(`Remote file \`${r.url}\` does not have a valid address!`);
  if (r.host.toLowerCase() !== host) {
    // InstancePath.match? takes only addresses on GitLab's own FQDN
    if (r.kind === "component")
      return error(`${componentPrefix(r)} the component path is not supported (the GitLab instance is \`${host}\`)`);
    const what = r.kind === "project" ? `Project \`${r.project}\`` : `Template file \`${r.name}\``;
    return warning(
      `${what} is on ${r.host}, but includes are fetched only from the configured GitLab instance, ${host}`,
    );
  }
  if (r.kind === "template" && !r.name.endsWith(TEMPLATE_SUFFIX))
    return error(`Template file \`${r.name}\` is not a valid location!`);
  return undefined;
}

/** Fetches one request into the cache: undefined when it is stored, else why not. */
export function fetchInto(run: FetchRun, r: ExternalRequest): Promise<Problem | undefined> {
  switch (r.kind) {
    case "project":
      return fetchProject(run, r);
    case "component":
      return fetchComponent(run, r);
    case "template":
      return fetchTemplate(run, r);
    case "remote":
      return fetchRemote(run, r);
  }
}

async function fetchProject(run: FetchRun, r: ProjectRequest): Promise<Problem | undefined> {
  const project = r.project.toLowerCase(); // as GitLab finds it, and names it in its messages
  const file = repositoryFile(r.file);
  const subject = `Project \`${project}\` file \`${file}\``;
  const ref = r.ref ?? "HEAD"; // GitLab's name for the default branch
  const pinned = isFullSha(ref);
  const know = {
    denied: error(
      `Project \`${project}\` not found or access denied! ` +
        "Make sure any includes in the pipeline configuration are correctly defined.",
    ),
    commit: error(`Project \`${project}\` reference \`${ref}\` does not exist!`),
    file: error(`Project \`${project}\` file \`${file}\` does not exist!`),
  };
  let sha = ref.toLowerCase();
  if (!pinned) {
    let branch = r.ref;
    if (branch === undefined) {
      const head = await run.memo(`head\0${project}`, () => run.api.defaultBranch(project, run.signal));
      if (!head.ok) return apiProblem(run, head.failure, subject, know);
      if (head.value === null) return know.commit;
      branch = head.value;
    }
    const name = branch;
    const got = await run.memo(`commit\0${project}\0${name}`, () => run.api.commitSha(project, name, run.signal));
    if (!got.ok) return apiProblem(run, got.failure, subject, know);
    sha = got.value;
  }
  const path = projectFilePath({ host: run.host, project, sha }, file);
  if (!run.cache.has(path)) {
    const got = await run.api.rawFile(project, file, sha, run.signal);
    if (!got.ok) return got.failure.kind === "too-big" ? tooBig(file) : apiProblem(run, got.failure, subject, know);
    if (blank(got.value)) return error(`Project \`${project}\` file \`${file}\` is empty!`);
    const problem = store(run, path, got.value, subject);
    if (problem) return problem;
  }
  return pinned
    ? undefined
    : stamp(run, { kind: "refs", host: run.host, project }, ref, { at: run.now(), sha }, subject);
}

async function fetchComponent(run: FetchRun, r: ComponentRequest): Promise<Problem | undefined> {
  const project = r.project.toLowerCase();
  const prefix = componentPrefix(r);
  const know = {
    denied: error(`${prefix} project does not exist or you don't have sufficient permissions`),
    commit: error(`${prefix} content not found`),
    file: error(`${prefix} content not found`),
  };
  const pinned = isFullSha(r.version);
  const sha = pinned ? r.version.toLowerCase() : await versionSha(run, r, project, know);
  if (typeof sha !== "string") return sha;
  const paths = componentFiles(r.name).map((file) => ({
    file,
    path: projectFilePath({ host: run.host, project, sha }, file),
  }));
  if (!paths.some((p) => run.cache.has(p.path))) {
    const found = await componentFile(run, r, project, sha, paths, know);
    if (found) return found;
  }
  return pinned
    ? undefined
    : stamp(run, { kind: "versions", host: run.host, project }, r.version, { at: run.now(), sha }, prefix);
}

/** The first of a component's files that exists, stored; undefined when one is. */
async function componentFile(
  run: FetchRun,
  r: ComponentRequest,
  project: string,
  sha: string,
  paths: ReadonlyArray<{ file: string; path: string }>,
  know: Known,
): Promise<Problem | undefined> {
  for (const { file, path } of paths) {
    const got = await run.api.rawFile(project, file, sha, run.signal);
    if (got.ok) return blank(got.value) ? know.file : store(run, path, got.value, componentPrefix(r));
    if (got.failure.kind === "too-big") return tooBig(componentAddress(r));
    if (got.failure.kind !== "status" || got.failure.message !== "404 File Not Found")
      return apiProblem(run, got.failure, componentPrefix(r), know);
  }
  return know.file;
}

/** The commit a component version names, as InstancePath#find_version_sha finds it. */
async function versionSha(run: FetchRun, r: ComponentRequest, project: string, know: Known): Promise<string | Problem> {
  const prefix = componentPrefix(r);
  const version = r.version;
  let known = know;
  if (version === LATEST || SHORTHAND_SEMVER.test(version)) {
    const got = await run.memo(`releases\0${project}`, () => run.api.releases(project, run.signal));
    if (!got.ok) return apiProblem(run, got.failure, prefix, know);
    const best = latestRelease(got.value, version);
    if (best) return best.sha;
    // GitLab's words for a project that is no catalog resource, which one without releases cannot be
    const what = version === LATEST ? "The ~latest version reference" : "The partial semantic version reference";
    const unsupported = error(
      `${prefix} ${what} is not supported for non-catalog resources. Use a tag, branch, or commit SHA instead.`,
    );
    if (version === LATEST) return got.value.length > 0 ? know.file : unsupported;
    if (got.value.length === 0) known = { ...know, commit: unsupported };
  }
  // a release's tag, a tag or a branch: the commit it names
  const got = await run.memo(`commit\0${project}\0${version}`, () => run.api.commitSha(project, version, run.signal));
  return got.ok ? got.value : apiProblem(run, got.failure, prefix, known);
}

/** The highest release that is no prerelease, of this major (and minor) version for `1` (`1.2`). */
export function latestRelease(releases: readonly Release[], version: string): Release | undefined {
  const [major, minor] = version === LATEST ? [] : version.split(".").map(Number);
  let best: { release: Release; v: number[] } | undefined;
  for (const release of releases) {
    const m = SEMVER.exec(release.tag);
    if (!m || m[4]) continue; // GitLab's `latest` takes semantic versions without prerelease only
    const v = [Number(m[1]), Number(m[2]), Number(m[3])];
    if ((major !== undefined && v[0] !== major) || (minor !== undefined && v[1] !== minor)) continue;
    if (!best || compare(v, best.v) > 0) best = { release, v };
  }
  return best?.release;
}

function compare(a: readonly number[], b: readonly number[]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

async function fetchTemplate(run: FetchRun, r: TemplateRequest): Promise<Problem | undefined> {
  const subject = `Template file \`${r.name}\``;
  const missing = error(`Included file \`${r.name}\` is empty or does not exist!`); // base.rb
  const got = await run.api.template(r.name.slice(0, -TEMPLATE_SUFFIX.length), run.signal);
  if (!got.ok) {
    if (got.failure.kind === "too-big") return tooBig(r.name);
    return got.failure.kind === "status" && got.failure.status === 404
      ? missing
      : unreachable(run, subject, got.failure);
  }
  if (blank(got.value)) return missing;
  return (
    store(run, templatePath(run.host, r.name), got.value, subject) ??
    stamp(run, { kind: "templates", host: run.host }, r.name, { at: run.now() }, subject)
  );
}

async function fetchRemote(run: FetchRun, r: RemoteRequest): Promise<Problem | undefined> {
  const subject = `Remote file \`${r.url}\``;
  const got = await run.api.remote(r.url, run.signal);
  if (!got.ok) {
    const f = got.failure;
    if (f.kind === "too-big") return tooBig(r.url);
    // GitLab fails on any code from 400 on; a 429 or 5xx may pass later, so only they warn
    if (f.kind === "status" && f.status >= 400 && f.status < 500 && f.status !== 429)
      return error(`${subject} could not be fetched because of HTTP code \`${f.status}\` error!`);
    return unreachable(run, subject, f);
  }
  if (blank(got.value)) return error(`Included file \`${r.url}\` is empty or does not exist!`);
  return (
    store(run, remotePath(r.url), got.value, subject) ??
    stamp(run, { kind: "remote" }, r.url, { at: run.now() }, subject)
  );
}

/** What each 404 of the API means for this include. */
interface Known {
  readonly denied: Problem;
  readonly commit: Problem;
  readonly file: Problem;
}

/** An API failure in GitLab's words: its 404 messages say which of project, commit or file is missing. */
function apiProblem(run: FetchRun, f: Failure, subject: string, know: Known): Problem {
  if (f.kind === "status") {
    if (f.status === 401)
      return {
        ...know.denied,
        message: `${know.denied.message} (GitLab answered 401 Unauthorized: is the token valid?)`,
      };
    if (f.status === 403 || f.message === "404 Project Not Found") return know.denied;
    if (f.message === "404 Commit Not Found") return know.commit;
    if (f.message === "404 File Not Found") return know.file;
  }
  return unreachable(run, subject, f);
}

/** Our way to GitLab failed: nothing is known of the include. Worded like remote.rb's errors. */
function unreachable(run: FetchRun, subject: string, f: Failure): Problem {
  return warning(`${subject} could not be fetched because of ${reason(run, f)}`);
}

function reason(run: FetchRun, f: Failure): string {
  switch (f.kind) {
    case "status":
      return `HTTP code \`${f.status}\` error!`;
    case "timeout":
      return "a timeout error!";
    case "budget":
      return `a timeout error! (fetching took longer than ${run.budgetMs / 1000} s)`;
    case "network":
      return `a socket error! (${f.detail})`;
    case "redirect":
      return f.to ? `a redirect to another origin! (${f.to})` : "too many redirects!";
    case "too-big":
      return "its size!";
    case "bad-answer":
      return `an unexpected answer! (${f.detail})`;
  }
}

/** base.rb's "`location`: error" with lib/gitlab/config/loader/yaml.rb's error for more than max_yaml_size_bytes. */
function tooBig(location: string): Problem {
  return error(`\`${location}\`: The provided YAML is too big`);
}

function store(run: FetchRun, path: string, text: string, subject: string): Problem | undefined {
  try {
    run.cache.write(path, text);
    return undefined;
  } catch (e) {
    return warning(`${subject} was fetched but could not be stored in the include cache: ${(e as Error).message}`);
  }
}

function stamp(run: FetchRun, index: IndexName, key: string, value: Stamp, subject: string): Problem | undefined {
  try {
    run.cache.stamp(index, key, value);
    return undefined;
  } catch (e) {
    return warning(`${subject} was fetched but could not be stored in the include cache: ${(e as Error).message}`);
  }
}

/** Ruby's `blank?` of a string: nothing but white space. */
function blank(text: string): boolean {
  return /^\s*$/.test(text);
}

function componentAddress(r: ComponentRequest): string {
  return `${r.host}/${r.project}/${r.name}@${r.version}`;
}

/** fetch_service.rb's error_prefix. */
function componentPrefix(r: ComponentRequest): string {
  return `Component '${componentAddress(r)}' -`;
}

function error(message: string): Problem {
  return { message, severity: "error" };
}

function warning(message: string): Problem {
  return { message, severity: "warning" };
}
