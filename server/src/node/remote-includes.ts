import * as os from "node:os";
import * as path from "node:path";
import {
  type ExternalAnswer,
  type ExternalRequest,
  type ProjectContext,
  isFullSha,
  projectFilePath,
  remotePath,
  requestKey,
  templatePath,
} from "../engine/external";
import type { RemoteIncludes } from "../workspace/io";
import { GitLabApi, type Token } from "./gitlab-api";
import { IncludeCache } from "./include-cache";
import { componentFiles, type FetchRun, fetchInto, type Problem, refusal, repositoryFile } from "./include-fetch";

// External includes for the CLI and the language server: answers from the on-disk cache at once
// (include-cache.ts), fetches from one GitLab instance when asked (gitlab-api.ts, include-fetch.ts).
// A copy at a full SHA is final; a copy found through a branch, a tag, a partial version, `~latest`,
// or a template or remote file is due for a refresh once older than refreshMinutes. A failed fetch
// is remembered for a minute, so that analyses meanwhile do not ask again; an older copy, if there
// is one, is still used, with a note that says how old it is and why it could not be refreshed.

export interface RemoteIncludesOptions {
  /** `https://gitlab.com`, `http://127.0.0.1:8080`, or with a relative URL root. */
  readonly instanceUrl: string;
  /** Sent to the instance's origin only, never with a remote file. */
  readonly token?: Token;
  readonly cacheDir: string;
  readonly refreshMinutes?: number;
  /** Per request attempt. */
  readonly timeoutMs?: number;
  /** Retries of a request that may pass later (timeout, network error, 429, 5xx). */
  readonly retries?: number;
  /** The time one fetch() call may take in all. */
  readonly budgetMs?: number;
  /** Tests only: maps a remote include's URL to where it is really fetched. */
  readonly rewriteRemote?: (url: string) => string;
  /** Tests only: the stand-in that answers for instanceUrl (whose host `$CI_SERVER_FQDN` stays). */
  readonly connectTo?: string;
  /** Tests only: the clock. */
  readonly now?: () => number;
}

const FAILURE_MEMORY_MS = 60_000;

/** Where the cache keeps a request's copy now. */
type Located =
  | { readonly kind: "copy"; readonly path: string; readonly context?: ProjectContext; readonly at?: number }
  | { readonly kind: "none" }
  | ({ readonly kind: "refused" } & Problem);

const NONE: Located = { kind: "none" };

export class NodeRemoteIncludes implements RemoteIncludes {
  readonly instanceHost: string;
  private readonly cache: IncludeCache;
  private readonly api: GitLabApi;
  private readonly now: () => number;
  private readonly refreshMs: number;
  private readonly budgetMs: number;
  /** Failed fetches by request key, with when they failed. */
  private readonly failures = new Map<string, Problem & { readonly at: number }>();
  /** Virtual paths lookup answered: read and diskPath answer these only. */
  private readonly found = new Set<string>();
  /** Fetches under way by request key, shared by fetch() calls that overlap. */
  private readonly fetching = new Map<string, Promise<void>>();

  constructor(options: RemoteIncludesOptions) {
    this.instanceHost = httpUrl(options.instanceUrl).host;
    this.cache = new IncludeCache(options.cacheDir);
    this.api = new GitLabApi({
      instanceUrl: options.instanceUrl,
      token: options.token,
      timeoutMs: options.timeoutMs ?? 10_000,
      retries: options.retries ?? 2,
      rewriteRemote: options.rewriteRemote,
      connectTo: options.connectTo,
    });
    this.now = options.now ?? Date.now;
    this.refreshMs = (options.refreshMinutes ?? 60) * 60_000;
    this.budgetMs = options.budgetMs ?? 30_000;
  }

  lookup(request: ExternalRequest): { readonly answer: ExternalAnswer; readonly refresh: boolean } {
    const located = this.locate(request);
    if (located.kind === "refused")
      return { answer: { status: "failed", message: located.message, severity: located.severity }, refresh: false };
    const now = this.now();
    const failure = this.failures.get(requestKey(request));
    const retry = failure !== undefined && now - failure.at >= FAILURE_MEMORY_MS;
    if (located.kind === "none") {
      if (failure)
        return { answer: { status: "failed", message: failure.message, severity: failure.severity }, refresh: retry };
      return { answer: { status: "unknown", why: "is not in the include cache yet" }, refresh: true };
    }
    this.found.add(located.path);
    const found = located.context
      ? { status: "found" as const, path: located.path, context: located.context }
      : { status: "found" as const, path: located.path };
    if (located.at === undefined) return { answer: found, refresh: false }; // at a SHA: final
    if (failure) {
      const note = `fetched ${ago(now - located.at)}; it could not be refreshed: ${failure.message}`;
      return { answer: { ...found, note }, refresh: retry };
    }
    return { answer: found, refresh: now - located.at > this.refreshMs };
  }

  read(virtualPath: string): string | undefined {
    return this.found.has(virtualPath) ? this.cache.read(virtualPath) : undefined;
  }

  diskPath(virtualPath: string): string | undefined {
    return this.found.has(virtualPath) ? this.cache.diskPath(virtualPath) : undefined;
  }

  async fetch(requests: readonly ExternalRequest[]): Promise<void> {
    const budget = new AbortController();
    const timer = setTimeout(() => budget.abort(), this.budgetMs);
    const answers = new Map<string, Promise<unknown>>();
    const run: FetchRun = {
      api: this.api,
      cache: this.cache,
      host: this.instanceHost,
      now: this.now,
      signal: budget.signal,
      budgetMs: this.budgetMs,
      memo: <T>(key: string, ask: () => Promise<T>): Promise<T> => {
        const known = answers.get(key) as Promise<T> | undefined;
        if (known) return known;
        const asked = ask();
        answers.set(key, asked);
        return asked;
      },
    };
    const jobs = new Map<string, Promise<void>>();
    for (const request of requests) {
      const key = requestKey(request);
      if (jobs.has(key)) continue;
      let job = this.fetching.get(key);
      if (!job) {
        job = this.fetchOne(run, request, key).finally(() => this.fetching.delete(key));
        this.fetching.set(key, job);
      }
      jobs.set(key, job);
    }
    try {
      await Promise.all(jobs.values());
    } finally {
      clearTimeout(timer);
    }
  }

  private async fetchOne(run: FetchRun, request: ExternalRequest, key: string): Promise<void> {
    if (refusal(request, this.instanceHost)) return; // lookup says why; there is nothing to ask
    let problem: Problem | undefined;
    try {
      problem = await fetchInto(run, request);
    } catch (e) {
      problem = { message: `include could not be fetched: ${(e as Error).message}`, severity: "warning" };
    }
    if (problem) this.failures.set(key, { ...problem, at: this.now() });
    else this.failures.delete(key);
  }

  private locate(r: ExternalRequest): Located {
    const refused = refusal(r, this.instanceHost);
    if (refused) return { kind: "refused", ...refused };
    const host = this.instanceHost;
    switch (r.kind) {
      case "project": {
        const project = r.project.toLowerCase();
        const ref = r.ref ?? "HEAD";
        const stamp = isFullSha(ref)
          ? { sha: ref.toLowerCase(), at: undefined }
          : this.cache.stamps({ kind: "refs", host, project }).get(ref);
        if (!stamp?.sha) return NONE;
        const context = { host, project, sha: stamp.sha };
        return this.copy(projectFilePath(context, repositoryFile(r.file)), stamp.at, context);
      }
      case "component": {
        const project = r.project.toLowerCase();
        const stamp = isFullSha(r.version)
          ? { sha: r.version.toLowerCase(), at: undefined }
          : this.cache.stamps({ kind: "versions", host, project }).get(r.version);
        if (!stamp?.sha) return NONE;
        const context = { host, project, sha: stamp.sha };
        const copies = componentFiles(r.name).map((file) =>
          this.copy(projectFilePath(context, file), stamp.at, context),
        );
        return copies.find((c) => c.kind === "copy") ?? NONE;
      }
      case "template": {
        const stamp = this.cache.stamps({ kind: "templates", host }).get(r.name);
        return stamp ? this.copy(templatePath(host, r.name), stamp.at) : NONE;
      }
      case "remote": {
        const stamp = this.cache.stamps({ kind: "remote" }).get(r.url);
        return stamp ? this.copy(remotePath(r.url), stamp.at) : NONE;
      }
    }
  }

  private copy(virtualPath: string, at: number | undefined, context?: ProjectContext): Located {
    return this.cache.has(virtualPath) ? { kind: "copy", path: virtualPath, at, context } : NONE;
  }
}

/** The include cache for one GitLab instance. */
export function remoteIncludes(options: RemoteIncludesOptions): RemoteIncludes {
  return new NodeRemoteIncludes(options);
}

/** The user's cache folder for includes: XDG's on Linux, the platform's on macOS and Windows. */
export function defaultCacheDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (platform === "win32")
    return path.win32.join(env.LOCALAPPDATA || path.win32.join(home, "AppData", "Local"), "pipewright", "includes");
  if (platform === "darwin") return path.posix.join(home, "Library", "Caches", "pipewright", "includes");
  const xdg = env.XDG_CACHE_HOME; // the XDG spec ignores a relative path
  return path.posix.join(
    xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, ".cache"),
    "pipewright",
    "includes",
  );
}

/** The instance's address as a URL; throws when it is none (the settings check it first). */
function httpUrl(address: string): URL {
  const url = URL.canParse(address) ? new URL(address) : undefined;
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:"))
    throw new Error(`the GitLab instance's address is not an http(s) URL: ${address}`);
  return url;
}

/** How long ago, in the largest whole unit: `3 days`, `1 hour`. */
function ago(ms: number): string {
  const units: Array<[string, number]> = [
    ["day", 86_400_000],
    ["hour", 3_600_000],
    ["minute", 60_000],
  ];
  for (const [unit, size] of units) {
    const n = Math.floor(ms / size);
    if (n >= 1) return `${n} ${unit}${n === 1 ? "" : "s"} ago`;
  }
  return "less than a minute ago";
}
