import * as fs from "node:fs";
import * as path from "node:path";
import type { SourceHost } from "../engine/types";

// The disk side of SourceHost: the only place that reads project files. Paths are
// project-relative; anything that resolves (through `..` or a symlink) outside the
// project directory reads as missing.

const SKIP_DIRS = new Set([".git", "node_modules"]);
const MAX_LISTED = 200_000;
const MAX_FILE_BYTES = 16 * 1024 * 1024;

export class DiskHost implements SourceHost {
  private readonly root: string;
  private listing: string[] | undefined;

  constructor(dir: string) {
    this.root = fs.realpathSync(dir);
  }

  readFile(rel: string): string | undefined {
    const abs = path.resolve(this.root, rel);
    try {
      const real = fs.realpathSync(abs);
      if (real !== this.root && !real.startsWith(this.root + path.sep)) return undefined;
      const stat = fs.statSync(real);
      if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
      return fs.readFileSync(real, "utf8");
    } catch {
      return undefined;
    }
  }

  /** Forget the file listing, after files were created or deleted. */
  invalidate(): void {
    this.listing = undefined;
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
