// Includes that live outside the project (`project`, `component`, `template`, `remote`), as the engine
// asks for them. The engine does no IO: it names the file it wants as an ExternalRequest and its host
// answers from what it has (a cache the workspace fills by fetching, when the user turned that on).
// A file that was found is read like a project file, under a virtual path that starts with `//`,
// which no project path can (include:local paths are normalised without leading slashes).

/** The project and commit a fetched file belongs to: its own `local:` includes are read there. */
export interface ProjectContext {
  /** The GitLab instance's host name (with a port when it has one), e.g. `gitlab.com`. */
  readonly host: string;
  /** The project's full path, e.g. `gitlab-org/gitlab`. */
  readonly project: string;
  /** The commit the file was read at (40 hex digits). */
  readonly sha: string;
}

export type ExternalRequest =
  | {
      readonly kind: "project";
      readonly host: string;
      readonly project: string;
      /** A branch, tag or SHA; undefined for the project's default branch (GitLab's `HEAD`). */
      readonly ref?: string;
      /** Repository path, without a leading slash. */
      readonly file: string;
    }
  | {
      readonly kind: "component";
      readonly host: string;
      readonly project: string;
      /** The component's name: `templates/<name>.yml` or `templates/<name>/template.yml`. */
      readonly name: string;
      /** A full tag, a partial version (`1`, `1.2`), `~latest`, a branch or a SHA. */
      readonly version: string;
    }
  | {
      readonly kind: "template";
      readonly host: string;
      /** As written in `include:template`, e.g. `Jobs/SAST.gitlab-ci.yml`. */
      readonly name: string;
    }
  | {
      readonly kind: "remote";
      /** An http(s) URL, fetched without credentials. */
      readonly url: string;
    };

export type ExternalAnswer =
  | {
      readonly status: "found";
      /** Virtual path of the file's text, which the host's readFile answers; starts with `//`. */
      readonly path: string;
      /** Where the file's own `local:` includes are read; undefined for `remote` and `template` files. */
      readonly context?: ProjectContext;
      /** An information to show at the include (the copy is old and could not be refreshed, say). */
      readonly note?: string;
    }
  | {
      /** GitLab would fail here (a missing project, ref or file), or the fetch failed with no copy to use. */
      readonly status: "failed";
      readonly message: string;
      readonly severity: "error" | "warning";
    }
  | {
      /** Not known yet: not fetched (or fetching is off). `why` follows the include's description. */
      readonly status: "unknown";
      readonly why?: string;
    };

/** The host's side: what it knows of external files, asked synchronously while an analysis runs. */
export interface ExternalIncludes {
  /** The configured instance's host, which `$CI_SERVER_FQDN` and `$CI_SERVER_HOST` stand for. */
  readonly instanceHost: string;
  resolve(request: ExternalRequest): ExternalAnswer;
}

/** Whether a path names a fetched file rather than a project file. */
export function isExternalPath(path: string): boolean {
  return path.startsWith("//");
}

/** A stable key for a request, for memo validity and for the fetch queue. */
export function requestKey(r: ExternalRequest): string {
  switch (r.kind) {
    case "project":
      return `project\u0000${r.host}\u0000${r.project.toLowerCase()}\u0000${r.ref ?? ""}\u0000${r.file}`;
    case "component":
      return `component\u0000${r.host}\u0000${r.project.toLowerCase()}\u0000${r.name}\u0000${r.version}`;
    case "template":
      return `template\u0000${r.host}\u0000${r.name}`;
    case "remote":
      return `remote\u0000${r.url}`;
  }
}

/** Virtual path of a file of a project at a commit: GitLab's web address of it, without the scheme. */
export function projectFilePath(c: ProjectContext, file: string): string {
  return `//${c.host}/${c.project}/-/blob/${c.sha}/${file}`;
}

/** Virtual path of an instance's CI template. */
export function templatePath(host: string, name: string): string {
  return `//${host}/-/ci-templates/${name}`;
}

/**
 * Virtual path of a remote file. `-` is no host name, so it never meets a project path; the scheme
 * stays, as `http://h/x.yml` and `https://h/x.yml` may well be different files.
 */
export function remotePath(url: string): string {
  const m = /^(https?):\/\/(.*)$/i.exec(url);
  return m ? `//-/remote/${m[1].toLowerCase()}/${m[2]}` : `//-/remote/${url}`;
}

const SHA = /^[0-9a-f]{40}$/i;

/** Whether a ref is a full commit SHA, which never needs the network again once fetched. */
export function isFullSha(ref: string): boolean {
  return SHA.test(ref);
}

/**
 * A component address `<fqdn>/<project path>/<name>@<version>` as a request; the FQDN variables are
 * the instance's host. Undefined when the address has no `@version` or no project (GitLab's error
 * follows from the caller).
 */
export function componentRequest(address: string, instanceHost: string): ExternalRequest | undefined {
  const expanded = address.replace(/\$(?:\{CI_SERVER_(?:FQDN|HOST)\}|CI_SERVER_(?:FQDN|HOST)\b)/g, instanceHost);
  const at = expanded.lastIndexOf("@");
  if (at <= 0 || at === expanded.length - 1) return undefined;
  const path = expanded.slice(0, at);
  const version = expanded.slice(at + 1);
  const parts = path.split("/");
  if (parts.length < 3 || parts.some((p) => p === "" || p === "." || p === "..")) return undefined;
  return {
    kind: "component",
    host: parts[0],
    project: parts.slice(1, -1).join("/"),
    name: parts[parts.length - 1],
    version,
  };
}
