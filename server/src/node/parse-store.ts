import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { version } from "../../../package.json";
import type { ParseStore } from "../workspace/io";

// Where the editor keeps parsed files between sessions: one JSON file per project in the user's
// cache folder ($XDG_CACHE_HOME/pipewright, ~/.cache/pipewright), never in the repository, named
// by a hash of the project's path and kept apart per Pipewright version. PIPEWRIGHT_CACHE_DIR
// chooses another folder, and "off" keeps nothing. A store that cannot be read or written is
// simply not used: it only ever saves time.

const MAX_STORE_BYTES = 64 * 1024 * 1024;

export function cacheDir(): string | undefined {
  const chosen = process.env.PIPEWRIGHT_CACHE_DIR;
  if (chosen === "off") return undefined;
  if (chosen) return chosen;
  const base =
    process.env.XDG_CACHE_HOME ||
    (process.platform === "win32" ? process.env.LOCALAPPDATA : undefined) ||
    path.join(os.homedir(), ".cache");
  return path.join(base, "pipewright");
}

export class DiskParseStore implements ParseStore {
  private readonly file: string;

  constructor(projectDir: string, dir: string) {
    const id = createHash("sha1").update(fs.realpathSync(projectDir)).digest("hex").slice(0, 20);
    this.file = path.join(dir, `parsed-${version}`, `${id}.json`);
  }

  load(): ReadonlyMap<string, unknown> | undefined {
    try {
      const stat = fs.statSync(this.file);
      if (!stat.isFile() || stat.size > MAX_STORE_BYTES) return undefined;
      const data: unknown = JSON.parse(fs.readFileSync(this.file, "utf8"));
      if (!data || typeof data !== "object" || Array.isArray(data)) return undefined;
      return new Map(Object.entries(data as Record<string, unknown>));
    } catch {
      return undefined;
    }
  }

  save(files: ReadonlyMap<string, unknown>): void {
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(Object.fromEntries(files)));
      fs.renameSync(tmp, this.file); // whole or not at all
    } catch {
      // a cache that cannot be written only costs time
    }
  }
}
