import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { version } from "../../../package.json";
import type { ParseStore } from "../workspace/io";

// Where the editor keeps parsed files between sessions: one JSON file per project, in a folder the
// client names (VS Code's storage folder for the extension; `cacheDir` in the initialization
// options of other editors) or PIPEWRIGHT_CACHE_DIR; without one, nothing is kept, and the server
// reads and writes nothing outside the project. Files are named by a hash of the project's path and
// kept apart per Pipewright version. A store that cannot be read or written is simply not used.

const MAX_STORE_BYTES = 64 * 1024 * 1024;

/** The folder to keep parsed files in: PIPEWRIGHT_CACHE_DIR ("off": none), else the client's. */
export function cacheDir(fromClient: unknown): string | undefined {
  const chosen = process.env.PIPEWRIGHT_CACHE_DIR;
  if (chosen === "off") return undefined;
  if (chosen) return chosen;
  return typeof fromClient === "string" && path.isAbsolute(fromClient) ? fromClient : undefined;
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
