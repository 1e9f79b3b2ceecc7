import * as fs from "node:fs";
import * as path from "node:path";
import type { ProjectFiles } from "../workspace/io";

// The disk side of the project's files: the only place that reads them. Paths are project-relative;
// anything that resolves (through `..` or a symlink) outside the project directory, or is not a
// regular file, reads as missing. Texts are kept, and checked against the file's size and mtime
// before each use, so an analysis after an edit re-reads only what changed on disk; those of files the
// editor watches (it reports their changes, which `invalidate` them) are used without a look.

const SKIP_DIRS = new Set([".git", "node_modules"]);
const MAX_LISTED = 200_000;
const MAX_FILE_BYTES = 16 * 1024 * 1024;

interface Read {
  readonly text: string | undefined;
  readonly size: number;
  readonly mtimeMs: number;
  /** Read while the editor reports every change to the file: the text holds until it says otherwise. */
  readonly watched?: boolean;
}

export class DiskHost implements ProjectFiles {
  private readonly root: string;
  private listing: string[] | undefined;
  private readonly texts = new Map<string, Read>();

  /**
   * `watched`: whether the editor now reports every change to a file (its file watchers cover it, and
   * `invalidate` is called on their events); such a file's kept text is used without looking at the disk.
   */
  constructor(
    dir: string,
    private readonly watched: (rel: string) => boolean = () => false,
  ) {
    this.root = fs.realpathSync(dir);
  }

  readFile(rel: string): string | undefined {
    const kept = this.texts.get(rel);
    // a keystroke's analysis reads every file of the config; one the editor watches needs no stat
    if (kept?.watched) return kept.text;
    const abs = path.resolve(this.root, rel);
    if (kept) {
      const stat = statOf(abs);
      if (stat ? stat.size === kept.size && stat.mtimeMs === kept.mtimeMs : kept.text === undefined) {
        if (this.watched(rel)) this.texts.set(rel, { ...kept, watched: true });
        return kept.text;
      }
    }
    const read = { ...this.read(abs), watched: this.watched(rel) };
    this.texts.set(rel, read);
    return read.text;
  }

  private read(abs: string): Read {
    const missing = { text: undefined, size: -1, mtimeMs: -1 };
    try {
      const real = fs.realpathSync(abs);
      if (real !== this.root && !real.startsWith(this.root + path.sep)) return missing;
      const stat = fs.statSync(real);
      if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return { ...missing, size: stat.size, mtimeMs: stat.mtimeMs };
      return { text: fs.readFileSync(real, "utf8"), size: stat.size, mtimeMs: stat.mtimeMs };
    } catch {
      return missing;
    }
  }

  unreadable(rel: string): string | undefined {
    if (this.readFile(rel) !== undefined) return undefined;
    const size = this.texts.get(rel)?.size ?? -1;
    return size > MAX_FILE_BYTES
      ? `is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB, more than Pipewright reads`
      : undefined;
  }

  /** Whether something is at the path inside the project, even when it cannot be read as a file. */
  exists(rel: string): boolean {
    const abs = path.resolve(this.root, rel);
    return (abs === this.root || abs.startsWith(this.root + path.sep)) && statOf(abs) !== undefined;
  }

  /** Forgets the listing and the texts read (of these paths, or all), after files changed on disk. */
  invalidate(paths?: readonly string[]): void {
    this.listing = undefined;
    if (paths) for (const p of paths) this.texts.delete(p);
    else this.texts.clear();
  }

  listFiles(): readonly string[] {
    if (this.listing) return this.listing;
    const out: string[] = [];
    const walk = (dir: string, prefix: string) => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (out.length >= MAX_LISTED) return;
        const rel = prefix ? `${prefix}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name)) walk(path.join(dir, e.name), rel);
        } else if (e.isFile()) {
          out.push(rel);
        }
      }
    };
    walk(this.root, "");
    this.listing = out.sort();
    return this.listing;
  }
}

function statOf(abs: string): fs.Stats | undefined {
  try {
    return fs.statSync(abs);
  } catch {
    return undefined;
  }
}
