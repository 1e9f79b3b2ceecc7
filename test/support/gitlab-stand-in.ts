import * as http from "node:http";
import type { AddressInfo } from "node:net";

// A stand-in for a GitLab instance, for tests of remote includes: the few REST API v4 endpoints
// they call, answering with GitLab's status codes, JSON shapes and error messages (`404 Project Not
// Found`, `404 Commit Not Found`, `404 File Not Found`, `401 Unauthorized`), plus plain files for
// `include:remote`. It records every request with its headers (to see where a token went) and can
// be told to fail a path: a status, a delay or no answer at all, a redirect.

export interface StandInProject {
  readonly defaultBranch: string;
  /** Branch or tag → SHA. */
  readonly refs: Record<string, string>;
  /** SHA → path → text. */
  readonly files: Record<string, Record<string, string>>;
  /** Newest first, as GitLab lists them. A prerelease is a tag with a `-suffix`, as GitLab reads it. */
  readonly releases?: ReadonlyArray<{ readonly tag: string; readonly sha: string }>;
  /** Answers 404 without the right token, as GitLab does for a project one may not see. */
  readonly private?: boolean;
}

export interface StandInData {
  /** By full path. */
  readonly projects: Record<string, StandInProject>;
  /** By name as `include:template` writes it, e.g. `Jobs/SAST.gitlab-ci.yml`. */
  readonly templates: Record<string, string>;
  /** By URL path served, e.g. `/remote/gitlab.gnome.org/x.yml`. */
  readonly remote: Record<string, string>;
  /** The token the instance accepts (as PRIVATE-TOKEN or JOB-TOKEN). */
  readonly token?: string;
}

export interface StandInFailure {
  /** Answer this status, with GitLab's JSON message for it. */
  readonly status?: number;
  /** Wait before answering (the answer is then the usual one, or `status`). */
  readonly delayMs?: number;
  /** Never answer. */
  readonly hang?: boolean;
  /** Answer 302 with this Location. */
  readonly redirect?: string;
  /** Fail this many times only. */
  times?: number;
}

export interface RecordedRequest {
  readonly method: string;
  /** As sent: path and query, percent-encoded. */
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
}

export interface StandIn {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** By request path, with or without its query. */
  readonly failures: Map<string, StandInFailure>;
  /** The most requests that were open at once. */
  readonly maxInFlight: number;
  close(): Promise<void>;
}

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly json?: boolean;
  readonly headers?: Record<string, string>;
}

const json = (status: number, value: unknown, headers?: Record<string, string>): Reply => ({
  status,
  body: JSON.stringify(value),
  json: true,
  headers,
});
const message = (status: number, what?: string): Reply =>
  json(status, { message: what ? `${status} ${what} Not Found` : `${status} ${http.STATUS_CODES[status]}` });
const SHA = /^[0-9a-f]{40}$/;

export async function startStandIn(data: StandInData): Promise<StandIn> {
  const requests: RecordedRequest[] = [];
  const failures = new Map<string, StandInFailure>();
  let inFlight = 0;
  let maxInFlight = 0;
  const server = http.createServer((req, res) => {
    const path = req.url ?? "/";
    requests.push({ method: req.method ?? "GET", path, headers: req.headers });
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    res.on("close", () => inFlight--);
    const key = failures.has(path) ? path : path.split("?")[0];
    const failure = failures.get(key);
    if (failure?.times !== undefined && --failure.times <= 0) failures.delete(key);
    if (failure?.hang) return;
    const reply = (): Reply =>
      failure?.redirect !== undefined
        ? { status: 302, body: "", headers: { location: failure.redirect } }
        : failure?.status !== undefined
          ? message(failure.status)
          : answer(data, path, req.headers);
    setTimeout(() => send(res, reply()), failure?.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failures,
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: http.ServerResponse, reply: Reply): void {
  if (res.destroyed) return;
  res.writeHead(reply.status, {
    "content-type": reply.json ? "application/json" : "text/plain; charset=utf-8",
    ...reply.headers,
  });
  res.write(reply.body); // written, then ended: chunked, without a Content-Length to rely on
  res.end();
}

function answer(data: StandInData, path: string, headers: http.IncomingHttpHeaders): Reply {
  const [pathname, query = ""] = path.split("?");
  const params = new URLSearchParams(query);
  if (!pathname.startsWith("/api/v4/")) {
    const text = data.remote[pathname];
    return text === undefined ? { status: 404, body: "Not Found" } : { status: 200, body: text };
  }
  const token = headers["private-token"] ?? headers["job-token"];
  if (token !== undefined && token !== data.token) return message(401);
  const template = /^\/api\/v4\/templates\/gitlab_ci_ymls\/([^/]+)$/.exec(pathname);
  if (template) {
    const key = decodeURIComponent(template[1]);
    const content = data.templates[`${key}.gitlab-ci.yml`];
    return content === undefined ? message(404, "Template") : json(200, { name: key, content });
  }
  const m = /^\/api\/v4\/projects\/([^/]+)(\/.*)?$/.exec(pathname);
  if (!m) return json(404, { error: "404 Not Found" });
  const fullPath = decodeURIComponent(m[1]);
  const name = Object.keys(data.projects).find((p) => p.toLowerCase() === fullPath.toLowerCase());
  const project = name === undefined ? undefined : data.projects[name];
  if (!name || !project || (project.private && token === undefined)) return message(404, "Project");
  const rest = m[2] ?? "";
  if (rest === "") return json(200, { id: 1, path_with_namespace: name, default_branch: project.defaultBranch });
  const commit = /^\/repository\/commits\/([^/]+)$/.exec(rest);
  if (commit) {
    const sha = resolve(project, decodeURIComponent(commit[1]));
    return sha ? json(200, { id: sha, short_id: sha.slice(0, 8) }) : message(404, "Commit");
  }
  const file = /^\/repository\/files\/([^/]+)\/raw$/.exec(rest);
  if (file) {
    const sha = resolve(project, params.get("ref") ?? project.defaultBranch);
    if (!sha) return message(404, "Commit");
    const text = project.files[sha]?.[decodeURIComponent(file[1])];
    return text === undefined ? message(404, "File") : { status: 200, body: text };
  }
  if (rest === "/releases") {
    const perPage = Number(params.get("per_page") ?? 20);
    const page = Number(params.get("page") ?? 1);
    const all = project.releases ?? [];
    const list = all.slice((page - 1) * perPage, page * perPage);
    const next = page * perPage < all.length ? String(page + 1) : "";
    return json(
      200,
      list.map((r) => ({ tag_name: r.tag, name: r.tag, commit: { id: r.sha, short_id: r.sha.slice(0, 8) } })),
      { "x-next-page": next },
    );
  }
  return json(404, { error: "404 Not Found" });
}

/** A branch, tag, HEAD or a SHA of the project, as the commit it names. */
function resolve(project: StandInProject, ref: string): string | undefined {
  if (ref === "HEAD") return project.refs[project.defaultBranch];
  if (Object.hasOwn(project.refs, ref)) return project.refs[ref];
  return SHA.test(ref) && project.files[ref] ? ref : undefined;
}
