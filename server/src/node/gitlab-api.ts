// The GitLab REST API v4 calls that remote includes need, and the plain GET of an `include:remote`
// file, over Node's fetch. Every request has a time limit per attempt and is retried with backoff
// when a retry may help (a timeout, a network error, 429, 5xx; never another 4xx). Redirects are
// followed by hand, at most MAX_REDIRECTS and only within the origin first asked, so a token can
// never be carried elsewhere. Bodies are read with a size cap, and at most MAX_IN_FLIGHT requests
// run at once. The token goes only to the instance's origin, never with a remote file, and is never
// logged. Answers are values, never exceptions: the caller turns a Failure into GitLab's words.

/**
 * GitLab's default `max_yaml_size_bytes` (app/models/application_setting_implementation.rb): a bigger
 * file fails with "The provided YAML is too big" (lib/gitlab/config/loader/yaml.rb).
 */
export const MAX_YAML_BYTES = 2 * 1024 * 1024;
const MAX_IN_FLIGHT = 4;
const MAX_REDIRECTS = 3;
const BACKOFF_MS = [250, 1000];
/** Enough for GitLab's JSON error message; a longer error body is not read at all. */
const ERROR_BODY_BYTES = 64 * 1024;
/** A JSON answer: a template's content, JSON-escaped, may take up to twice its size. */
const JSON_BYTES = 2 * MAX_YAML_BYTES + ERROR_BODY_BYTES;
const MAX_RELEASE_PAGES = 10;
const SHA = /^[0-9a-f]{40}$/;

export interface Token {
  /** `private`: a personal, project or group access token (PRIVATE-TOKEN); `job`: CI_JOB_TOKEN (JOB-TOKEN). */
  readonly kind: "private" | "job";
  readonly value: string;
}

/** Why a request gave nothing; `budget`: the caller's time for all its requests ran out. */
export type Failure =
  | { readonly kind: "status"; readonly status: number; readonly message?: string }
  | { readonly kind: "timeout" | "budget" | "too-big" }
  | { readonly kind: "network" | "bad-answer"; readonly detail: string }
  /** To another origin (`to`), or too many hops (no `to`). */
  | { readonly kind: "redirect"; readonly to?: string };

export type Got<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: Failure };

export interface Release {
  readonly tag: string;
  readonly sha: string;
}

export interface ApiOptions {
  readonly instanceUrl: string;
  readonly token?: Token;
  readonly timeoutMs: number;
  readonly retries: number;
  /** Tests only: where a remote include's URL is really fetched. */
  readonly rewriteRemote?: (url: string) => string;
  /** Tests only: where the instance's API is really reached (a stand-in), its host staying instanceUrl's. */
  readonly connectTo?: string;
}

interface Answer {
  readonly text: string;
  readonly headers: Headers;
}

function fail(failure: Failure): { ok: false; failure: Failure } {
  return { ok: false, failure };
}

export class GitLabApi {
  /** The instance URL without a trailing slash (it may have a path: a relative URL root). */
  private readonly base: string;
  private readonly origin: string;
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly options: ApiOptions) {
    const url = new URL(options.connectTo ?? options.instanceUrl);
    this.origin = url.origin;
    this.base = `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  }

  /** The project's default branch; null when it has none (an empty repository). */
  async defaultBranch(project: string, signal: AbortSignal): Promise<Got<string | null>> {
    const got = await this.json(this.projectUrl(project), signal);
    if (!got.ok) return got;
    const branch = (got.value as { default_branch?: unknown } | null)?.default_branch;
    return { ok: true, value: typeof branch === "string" && branch !== "" ? branch : null };
  }

  /** The commit a branch, tag or SHA names. */
  async commitSha(project: string, ref: string, signal: AbortSignal): Promise<Got<string>> {
    const got = await this.json(`${this.projectUrl(project)}/repository/commits/${encodeURIComponent(ref)}`, signal);
    if (!got.ok) return got;
    const id = (got.value as { id?: unknown } | null)?.id;
    return typeof id === "string" && SHA.test(id) ? { ok: true, value: id } : fail(badAnswer("no commit id"));
  }

  async rawFile(project: string, file: string, sha: string, signal: AbortSignal): Promise<Got<string>> {
    const url = `${this.projectUrl(project)}/repository/files/${encodeURIComponent(file)}/raw?ref=${sha}`;
    const got = await this.get(url, true, MAX_YAML_BYTES, signal);
    return got.ok ? { ok: true, value: got.value.text } : got;
  }

  /** The project's releases with their commits, newest first as GitLab lists them. */
  async releases(project: string, signal: AbortSignal): Promise<Got<Release[]>> {
    const out: Release[] = [];
    for (let page = "1", n = 0; page !== "" && n < MAX_RELEASE_PAGES; n++) {
      const url = `${this.projectUrl(project)}/releases?per_page=100&page=${encodeURIComponent(page)}`;
      const got = await this.get(url, true, JSON_BYTES, signal);
      if (!got.ok) return got;
      const list = parseJson(got.value.text);
      if (!Array.isArray(list)) return fail(badAnswer("releases are not a list"));
      for (const r of list as Array<{ tag_name?: unknown; commit?: { id?: unknown } } | null>) {
        const tag = r?.tag_name;
        const sha = r?.commit?.id;
        if (typeof tag === "string" && typeof sha === "string" && SHA.test(sha)) out.push({ tag, sha });
      }
      page = got.value.headers.get("x-next-page") ?? "";
    }
    return { ok: true, value: out };
  }

  /** A CI template's content, by its key: the name without `.gitlab-ci.yml` (`Jobs/SAST`). */
  async template(key: string, signal: AbortSignal): Promise<Got<string>> {
    const got = await this.json(`${this.base}/api/v4/templates/gitlab_ci_ymls/${encodeURIComponent(key)}`, signal);
    if (!got.ok) return got;
    const content = (got.value as { content?: unknown } | null)?.content;
    if (typeof content !== "string") return fail(badAnswer("no template content"));
    return Buffer.byteLength(content) > MAX_YAML_BYTES ? fail({ kind: "too-big" }) : { ok: true, value: content };
  }

  /** A remote file: a plain GET, without credentials. */
  async remote(url: string, signal: AbortSignal): Promise<Got<string>> {
    const got = await this.get(this.options.rewriteRemote?.(url) ?? url, false, MAX_YAML_BYTES, signal);
    return got.ok ? { ok: true, value: got.value.text } : got;
  }

  private projectUrl(project: string): string {
    return `${this.base}/api/v4/projects/${encodeURIComponent(project)}`;
  }

  private async json(url: string, signal: AbortSignal): Promise<Got<unknown>> {
    const got = await this.get(url, true, JSON_BYTES, signal);
    if (!got.ok) return got;
    const value = parseJson(got.value.text);
    return value === undefined ? fail(badAnswer("not JSON")) : { ok: true, value };
  }

  /** A GET with retries: what may pass (timeouts, network errors, 429, 5xx) is tried again after a pause. */
  private async get(url: string, auth: boolean, maxBytes: number, signal: AbortSignal): Promise<Got<Answer>> {
    let got = await this.attempt(url, auth, maxBytes, signal);
    for (let i = 0; i < this.options.retries && !got.ok && mayPass(got.failure); i++) {
      if (!(await sleep(BACKOFF_MS[Math.min(i, BACKOFF_MS.length - 1)], signal))) return fail({ kind: "budget" });
      got = await this.attempt(url, auth, maxBytes, signal);
    }
    return got;
  }

  private async attempt(url: string, auth: boolean, maxBytes: number, signal: AbortSignal): Promise<Got<Answer>> {
    if (!(await this.acquire(signal))) return fail({ kind: "budget" });
    try {
      const origin = new URL(url).origin;
      let current = url;
      for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
        const timeout = AbortSignal.timeout(this.options.timeoutMs);
        try {
          const response = await fetch(current, {
            headers: auth ? this.credentials(current) : {},
            redirect: "manual",
            signal: AbortSignal.any([signal, timeout]),
          });
          const location = response.headers.get("location");
          if (response.status >= 300 && response.status < 400 && location !== null) {
            await response.body?.cancel();
            const next = new URL(location, current);
            if (next.origin !== origin) return fail({ kind: "redirect", to: next.href });
            current = next.href;
            continue;
          }
          if (!response.ok)
            return fail({ kind: "status", status: response.status, message: await gitlabMessage(response) });
          const text = await readCapped(response, maxBytes);
          return text === undefined
            ? fail({ kind: "too-big" })
            : { ok: true, value: { text, headers: response.headers } };
        } catch (e) {
          if (signal.aborted) return fail({ kind: "budget" });
          if (timeout.aborted) return fail({ kind: "timeout" });
          return fail({ kind: "network", detail: describe(e) });
        }
      }
      return fail({ kind: "redirect" });
    } catch (e) {
      return fail({ kind: "network", detail: describe(e) }); // a URL that cannot be parsed
    } finally {
      this.release();
    }
  }

  /** The token's header, for the instance's origin only. */
  private credentials(url: string): Record<string, string> {
    const token = this.options.token;
    if (!token || new URL(url).origin !== this.origin) return {};
    return token.kind === "private" ? { "PRIVATE-TOKEN": token.value } : { "JOB-TOKEN": token.value };
  }

  /** Waits for one of the MAX_IN_FLIGHT places; false when the caller's time ran out first. */
  private acquire(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    if (this.inFlight < MAX_IN_FLIGHT) {
      this.inFlight++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const go = () => {
        signal.removeEventListener("abort", stop);
        this.inFlight++;
        resolve(true);
      };
      const stop = () => {
        const at = this.waiting.indexOf(go);
        if (at >= 0) this.waiting.splice(at, 1);
        resolve(false);
      };
      this.waiting.push(go);
      signal.addEventListener("abort", stop, { once: true });
    });
  }

  private release(): void {
    this.inFlight--;
    this.waiting.shift()?.();
  }
}

function mayPass(f: Failure): boolean {
  return f.kind === "timeout" || f.kind === "network" || (f.kind === "status" && (f.status === 429 || f.status >= 500));
}

function badAnswer(detail: string): Failure {
  return { kind: "bad-answer", detail };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** GitLab's `{"message": "404 Project Not Found"}`, when the error body is that. */
async function gitlabMessage(response: Response): Promise<string | undefined> {
  const text = await readCapped(response, ERROR_BODY_BYTES);
  const message = text === undefined ? undefined : (parseJson(text) as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : undefined;
}

/** The body as text, or undefined past `max` bytes: read no further than that. */
async function readCapped(response: Response, max: number): Promise<string | undefined> {
  if (Number(response.headers.get("content-length")) > max) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** The system's words for a network error: `connect ECONNREFUSED 127.0.0.1:1`, `getaddrinfo ENOTFOUND x`. */
function describe(e: unknown): string {
  const cause = (e as { cause?: unknown } | null)?.cause;
  const inner = cause instanceof Error ? cause : e instanceof Error ? e : undefined;
  return inner?.message ?? String(e);
}

/** Pauses; false when the caller's time ran out meanwhile. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", stop);
      resolve(true);
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener("abort", stop, { once: true });
  });
}
