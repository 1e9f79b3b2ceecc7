import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { MAX_YAML_BYTES } from "./gitlab-api";

// The include cache on disk. A fetched file lies at its virtual path without the leading `//`, so
// the folder reads like GitLab's addresses:
//
//   <host>/<project>/-/blob/<sha>/<file>      a project's or a component's file, at a commit
//   <host>/<project>/-/refs.json              branch or tag (or HEAD, the default branch) → SHA, and when
//   <host>/<project>/-/versions.json          component version (`1.2`, `~latest`, a tag) → SHA, and when
//   <host>/-/ci-templates/<name>              a CI template
//   <host>/-/ci-templates.json                template name → when it was fetched
//   -/remote/<URL without its scheme>         a remote file
//   -/remote.json                             URL → when it was fetched
//
// Content at a SHA never changes, so it is kept as is; what can move (a branch, a partial version,
// a template, a remote file) is found through an index that says when it was fetched. Every path
// segment is made safe before it reaches the file system (safeSegment), so no project, file or URL
// can name a place outside the cache folder. Files are written whole or not at all (a temporary
// file, then a rename); reads are synchronous, as an analysis asks.

export interface Stamp {
  /** When it was fetched (ms since the epoch). */
  readonly at: number;
  /** The commit it resolved to (refs and versions). */
  readonly sha?: string;
}

export type IndexName =
  | { readonly kind: "refs" | "versions"; readonly host: string; readonly project: string }
  | { readonly kind: "templates"; readonly host: string }
  | { readonly kind: "remote" };

const MAX_INDEX_BYTES = 8 * 1024 * 1024;
/** A stored copy's bytes: the fetched ones, where each byte that was not UTF-8 became U+FFFD (3 bytes). */
const MAX_COPY_BYTES = 3 * MAX_YAML_BYTES;
const SHA = /^[0-9a-f]{40}$/;
/** What a file name must not say as is: `%` (our escape), separators, a drive, Windows's wildcards. */
const UNSAFE = '%\\/:?#*"<>|';
/** Names Windows keeps for devices, whatever their extension. */
const DEVICE = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;

/** A path segment as a file name that means only itself: percent-encoded where it could mean more. */
export function safeSegment(segment: string): string {
  if (segment === "") return "%"; // no encoding yields a lone `%`
  if (segment === "." || segment === "..") return segment.replace(/\./g, "%2E");
  let out = Array.from(segment, (c) => (c < " " || c === "\u007f" || UNSAFE.includes(c) ? percent(c) : c)).join("");
  out = out.replace(/[. ]$/, percent); // Windows drops a trailing dot or space
  if (DEVICE.test(out)) out = percent(out[0]) + out.slice(1);
  if (Buffer.byteLength(out) > 200) {
    const hash = createHash("sha1").update(segment).digest("hex").slice(0, 16);
    out = `${Array.from(out).slice(0, 40).join("")}~${hash}`; // file names have at most 255 bytes
  }
  return out;
}

function percent(c: string): string {
  return [...Buffer.from(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");
}

export class IncludeCache {
  private readonly root: string;
  /** Indexes as last read or written, with the file's mtime and size to see another process's writes. */
  private readonly indexes = new Map<string, { mtime: number; size: number; stamps: Map<string, Stamp> }>();

  constructor(dir: string) {
    this.root = path.resolve(dir);
  }

  /** Where a virtual path's copy is (or would be); undefined for a path that is not virtual. */
  diskPath(virtualPath: string): string | undefined {
    return virtualPath.startsWith("//") ? this.place(virtualPath.slice(2).split("/")) : undefined;
  }

  has(virtualPath: string): boolean {
    const file = this.diskPath(virtualPath);
    return file !== undefined && regularFile(file, MAX_COPY_BYTES) !== undefined;
  }

  read(virtualPath: string): string | undefined {
    const file = this.diskPath(virtualPath);
    if (file === undefined || regularFile(file, MAX_COPY_BYTES) === undefined) return undefined;
    try {
      return fs.readFileSync(file, "utf8");
    } catch {
      return undefined;
    }
  }

  /** Stores a file's text; throws when it cannot. */
  write(virtualPath: string, text: string): void {
    const file = this.diskPath(virtualPath);
    if (file === undefined) throw new Error(`not a cache path: ${virtualPath}`);
    // read-only on disk: go-to-definition opens the copy, and editors show such a file as read-only
    writeAtomic(file, text, 0o444);
  }

  /** An index's entries (empty when it is missing or unreadable). */
  stamps(index: IndexName): ReadonlyMap<string, Stamp> {
    const file = this.indexFile(index);
    const stat = regularFile(file, MAX_INDEX_BYTES);
    if (stat === undefined) return new Map();
    const known = this.indexes.get(file);
    if (known && known.mtime === stat.mtimeMs && known.size === stat.size) return known.stamps;
    const stamps = parseIndex(file);
    this.indexes.set(file, { mtime: stat.mtimeMs, size: stat.size, stamps });
    return stamps;
  }

  /** Sets one entry of an index (read again first, so another process's entries stay); throws when it cannot. */
  stamp(index: IndexName, key: string, stamp: Stamp): void {
    const file = this.indexFile(index);
    const stamps = new Map(this.stamps(index)).set(key, stamp);
    writeAtomic(file, JSON.stringify(Object.fromEntries(stamps), null, 1));
    const stat = fs.statSync(file);
    this.indexes.set(file, { mtime: stat.mtimeMs, size: stat.size, stamps });
  }

  private indexFile(index: IndexName): string {
    const segments =
      index.kind === "remote"
        ? ["-", "remote.json"]
        : index.kind === "templates"
          ? [index.host, "-", "ci-templates.json"]
          : [index.host, ...index.project.split("/"), "-", `${index.kind}.json`];
    const file = this.place(segments);
    if (file === undefined) throw new Error("an index outside the cache"); // cannot happen: segments are safe
    return file;
  }

  /** The file of these segments, made safe; checked once more to be inside the cache folder. */
  private place(segments: readonly string[]): string | undefined {
    const file = path.join(this.root, ...segments.map(safeSegment));
    return file.startsWith(this.root + path.sep) ? file : undefined;
  }
}

/** The file's stat when it is a regular file (not a link) of at most `max` bytes. */
function regularFile(file: string, max: number): fs.Stats | undefined {
  try {
    const stat = fs.lstatSync(file);
    return stat.isFile() && stat.size <= max ? stat : undefined;
  } catch {
    return undefined;
  }
}

function parseIndex(file: string): Map<string, Stamp> {
  const out = new Map<string, Stamp>();
  try {
    const data: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    if (!data || typeof data !== "object" || Array.isArray(data)) return out;
    for (const [key, v] of Object.entries(data as Record<string, { at?: unknown; sha?: unknown } | null>)) {
      if (typeof v?.at !== "number") continue;
      if (v.sha === undefined) out.set(key, { at: v.at });
      else if (typeof v.sha === "string" && SHA.test(v.sha)) out.set(key, { at: v.at, sha: v.sha });
    }
  } catch {
    // an unreadable index is an empty one: what it knew is fetched again
  }
  return out;
}

/** Whole or not at all: readers see the old file or the new one, never a part. */
function writeAtomic(file: string, text: string, mode = 0o644): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    fs.writeFileSync(tmp, text, { mode });
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
