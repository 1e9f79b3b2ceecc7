import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { version } from "../../../package.json";
import type { FindingsStore, ParseStore } from "../workspace/io";

// Where the editor keeps parsed files and the last findings between sessions: one JSON file per
// project, in a folder the client names (VS Code's storage folder for the extension; `cacheDir` in
// the initialization options of other editors) or PIPEWRIGHT_CACHE_DIR; without one, nothing is
// kept, and the server reads and writes nothing outside the project. Files are named by a hash of
// the project's path and kept apart per Pipewright version. A store that cannot be read or written
// is simply not used.

const MAX_STORE_BYTES = 64 * 1024 * 1024;

/** The folder to keep parsed files in: PIPEWRIGHT_CACHE_DIR ("off": none), else the client's. */
export function cacheDir(fromClient: unknown): string | undefined {
  const chosen = process.env.PIPEWRIGHT_CACHE_DIR;
  if (chosen === "off") return undefined;
  if (chosen) return chosen;
  return typeof fromClient === "string" && path.isAbsolute(fromClient) ? fromClient : undefined;
}

/** One JSON file per project under `dir/<folder>`, named by a hash of the project's path. */
class StoreFile {
  private readonly file: string;

  constructor(projectDir: string, dir: string, folder: string) {
    const id = createHash("sha1").update(fs.realpathSync(projectDir)).digest("hex").slice(0, 20);
    this.file = path.join(dir, folder, `${id}.json`);
  }

  load(): unknown {
    try {
      const stat = fs.statSync(this.file);
      if (!stat.isFile() || stat.size > MAX_STORE_BYTES) return undefined;
      return JSON.parse(fs.readFileSync(this.file, "utf8"));
    } catch {
      return undefined;
    }
  }

  save(data: unknown): void {
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(data));
      fs.renameSync(tmp, this.file); // whole or not at all
    } catch {
      // a cache that cannot be written only costs time
    }
  }
}

export class DiskParseStore implements ParseStore {
  private readonly store: StoreFile;

  constructor(projectDir: string, dir: string) {
    this.store = new StoreFile(projectDir, dir, `parsed-${version}`);
  }

  load(): ReadonlyMap<string, unknown> | undefined {
    const data = this.store.load();
    if (!data || typeof data !== "object" || Array.isArray(data)) return undefined;
    return new Map(Object.entries(data as Record<string, unknown>));
  }

  save(files: ReadonlyMap<string, unknown>): void {
    this.store.save(Object.fromEntries(files));
  }
}

/**
 * The running build, for findings: another build of the same version (a developer's) may find other
 * things in the same files, so its findings are kept apart. The server's bundle's modification time.
 */
function buildStamp(): string {
  try {
    return Math.round(fs.statSync(__filename).mtimeMs).toString(36);
  } catch {
    return "0";
  }
}

/** The last analysis's findings, kept per project, Pipewright version and build. */
export class DiskFindingsStore implements FindingsStore {
  private readonly store: StoreFile;

  private readonly folder = `findings-${version}-${buildStamp()}`;

  constructor(
    projectDir: string,
    private readonly dir: string,
  ) {
    this.store = new StoreFile(projectDir, dir, this.folder);
  }

  load(): unknown {
    return this.store.load();
  }

  /** Saves, and removes what other builds kept: their findings would never be shown again. */
  save(data: unknown): void {
    this.store.save(data);
    try {
      for (const name of fs.readdirSync(this.dir))
        if (name.startsWith("findings-") && name !== this.folder)
          fs.rmSync(path.join(this.dir, name), { recursive: true, force: true });
    } catch {
      // only space
    }
  }
}
