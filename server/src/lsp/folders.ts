import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Located } from "../workspace/diagnostics";
import type { Workspace } from "../workspace/workspace";

// The workspace folders of an LSP session, each with its Workspace: which folder a URI belongs
// to, as a project-relative path, and back.

export interface Folder {
  readonly dir: string;
  readonly workspace: Workspace;
  /** The URI of a project-relative path of this folder. */
  uri(file: string): string;
}

export class Folders {
  readonly list: readonly Folder[];

  constructor(dirs: readonly string[], make: (dir: string) => Workspace) {
    this.list = dirs.map((dir) => {
      const workspace = make(dir);
      // a fetched file (a `//` virtual path) opens as its copy in the include cache
      const uri = (file: string) => pathToFileURL(workspace.externalCopy(file) ?? path.join(dir, file)).href;
      return { dir, workspace, uri };
    });
  }

  /** The folder a file URI is in, and its path there; undefined for other schemes and outside files. */
  locate(uri: string): { folder: Folder; file: string } | undefined {
    if (!uri.startsWith("file:")) return undefined;
    let abs: string;
    try {
      abs = fileURLToPath(uri);
    } catch {
      return undefined;
    }
    for (const folder of this.list) {
      const rel = path.relative(folder.dir, abs);
      if (!rel.startsWith("..") && !path.isAbsolute(rel)) return { folder, file: rel.split(path.sep).join("/") };
    }
    return undefined;
  }

  /** The folder and file of an optional URI; the first folder when there is none. */
  folderOf(uri: string | undefined): { folder: Folder | undefined; file: string | undefined } {
    const at = uri ? this.locate(uri) : undefined;
    return { folder: at?.folder ?? this.list[0], file: at?.file };
  }
}

export const location = (folder: Folder, l: Located) => ({ uri: folder.uri(l.file), range: l.range });
