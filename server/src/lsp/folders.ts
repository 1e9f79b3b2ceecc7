import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type * as lsp from "vscode-languageserver/node";
import type { Located } from "../workspace/diagnostics";
import type { Workspace } from "../workspace/workspace";

// The projects of an LSP session, each with its Workspace. A workspace folder holds one project per
// directory with a `.gitlab-ci.yml` (node/discover-projects.ts), its own root included when it has a
// config, and is one project at its root when it has none. A file belongs to every project whose include
// graph holds it; a request about it is answered by the innermost of those, else by the innermost project
// whose directory contains it. Buffers and changes on disk go to every project that contains the file.

export interface Folder {
  /** The project's directory: its Workspace's root. */
  readonly dir: string;
  /** The workspace folder the project was found in. */
  readonly root: string;
  readonly workspace: Workspace;
  /** The URI of a project-relative path of this project. */
  uri(file: string): string;
  /** The project-relative path of a file URI inside the project's directory; undefined for any other. */
  fileOf(uri: string): string | undefined;
}

/** The project directories of a workspace folder, absolute; the host's discovery (node/discover-projects.ts). */
export type Discover = (root: string) => readonly string[];

export class Folders {
  /** Every project of every workspace folder, innermost first (deeper directories before the ones holding them). */
  list: readonly Folder[] = [];
  /** The workspace folders. */
  private roots: string[] = [];
  /** The editor's open buffers, by URI: a project found later starts with those it contains. */
  private readonly open = new Map<string, string>();

  constructor(
    dirs: readonly string[],
    private readonly make: (dir: string, root: string) => Workspace,
    private readonly discover: Discover = () => [],
  ) {
    for (const dir of dirs) this.add(dir);
  }

  /** The workspace folders, as the client gave them. */
  workspaceFolders(): readonly string[] {
    return this.roots;
  }

  /** A workspace folder the client added: its projects are found. */
  add(root: string): void {
    if (this.roots.includes(root)) return;
    this.roots.push(root);
    this.rediscover(root);
  }

  /** A workspace folder the client removed: its projects go (their diagnostics are cleared by the next analysis). */
  remove(root: string): void {
    this.roots = this.roots.filter((r) => r !== root);
    this.list = this.list.filter((f) => f.root !== root);
  }

  /**
   * Finds a workspace folder's projects again (a config was created or deleted): projects still there keep
   * their Workspace, new ones get one, gone ones go. True when the projects changed.
   */
  rediscover(root: string): boolean {
    const found = this.discover(root);
    const dirs = found.length ? found : [root];
    const before = this.list.filter((f) => f.root === root);
    const kept = before.filter((f) => dirs.includes(f.dir));
    const added = dirs.filter((d) => !kept.some((f) => f.dir === d)).map((d) => this.project(d, root));
    if (!added.length && kept.length === before.length) return false;
    this.list = [...this.list.filter((f) => f.root !== root), ...kept, ...added].sort(
      (a, b) => b.dir.length - a.dir.length || (a.dir < b.dir ? -1 : 1),
    );
    return true;
  }

  private project(dir: string, root: string): Folder {
    const workspace = this.make(dir, root);
    // a fetched file (a `//` virtual path) opens as its copy in the include cache
    const uri = (file: string) => pathToFileURL(workspace.externalCopy(file) ?? path.join(dir, file)).href;
    const fileOf = (u: string) => {
      const abs = absolute(u);
      return abs === undefined ? undefined : inside(dir, abs);
    };
    for (const [u, text] of this.open) {
      const file = fileOf(u);
      if (file !== undefined) workspace.setDocument(file, text);
    }
    return { dir, root, workspace, uri, fileOf };
  }

  /** Every project whose directory contains a file URI, innermost first, with the file's path there. */
  containing(uri: string): Array<{ folder: Folder; file: string }> {
    const abs = absolute(uri);
    if (abs === undefined) return [];
    return this.list.flatMap((folder) => {
      const file = inside(folder.dir, abs);
      return file === undefined ? [] : [{ folder, file }];
    });
  }

  /**
   * The project that answers for a file URI, and the file's path there: the innermost whose include graph
   * holds it, else the innermost whose directory contains it; undefined for other schemes and outside files.
   */
  locate(uri: string): { folder: Folder; file: string } | undefined {
    const all = this.containing(uri);
    return all.find(({ folder, file }) => holds(folder.workspace, file)) ?? all[0];
  }

  /** The project and file of an optional URI; the first workspace folder's outermost project when there is none. */
  folderOf(uri: string | undefined): { folder: Folder | undefined; file: string | undefined } {
    const at = uri ? this.locate(uri) : undefined;
    const first = this.list.filter((f) => f.root === this.roots[0]);
    return { folder: at?.folder ?? first[first.length - 1] ?? this.list[0], file: at?.file };
  }

  /** An editor buffer's text, for every project that contains it; false when none does. */
  setDocument(uri: string, text: string): boolean {
    this.open.set(uri, text);
    const all = this.containing(uri);
    for (const { folder, file } of all) folder.workspace.setDocument(file, text);
    return all.length > 0;
  }

  closeDocument(uri: string): void {
    this.open.delete(uri);
    for (const { folder, file } of this.containing(uri)) folder.workspace.closeDocument(file);
  }

  /**
   * Files changed on disk: every project containing one reads it again; a file created or deleted (a config,
   * a folder of configs) has the projects of its workspace folder found again.
   */
  filesChanged(changes: readonly lsp.FileEvent[]): void {
    const moved = new Set<string>();
    for (const change of changes) {
      // 1 is Created, 3 is Deleted (lsp.FileChangeType)
      const abs = absolute(change.uri);
      if (abs === undefined || change.type === 2) continue;
      for (const root of this.roots) if (inside(root, abs) !== undefined) moved.add(root);
    }
    for (const root of moved) this.rediscover(root);
    for (const change of changes)
      for (const { folder, file } of this.containing(change.uri)) folder.workspace.filesChanged([file]);
  }
}

/** Whether a project's last analysis holds a file (any of its models, or its findings). */
function holds(workspace: Workspace, file: string): boolean {
  const analysis = workspace.analyze();
  return analysis.diagnostics.has(file) || analysis.models.some((m) => m.files.has(file));
}

function absolute(uri: string): string | undefined {
  if (!uri.startsWith("file:")) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** A path's project-relative form, `/`-separated, when it is inside `dir`. */
function inside(dir: string, abs: string): string | undefined {
  const rel = path.relative(dir, abs);
  if (rel.startsWith("..") || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join("/");
}

export const location = (folder: Folder, l: Located) => ({ uri: folder.uri(l.file), range: l.range });
