import type { SourceHost } from "./types";

/** A SourceHost over a map of path → text: for tests, and as the base of editor overlays. */
export class MemoryHost implements SourceHost {
  private readonly files: Map<string, string>;

  constructor(files: Record<string, string> | Map<string, string>) {
    this.files = files instanceof Map ? new Map(files) : new Map(Object.entries(files));
  }

  set(path: string, text: string): void {
    this.files.set(path, text);
  }

  delete(path: string): void {
    this.files.delete(path);
  }

  readFile(path: string): string | undefined {
    return this.files.get(path);
  }

  listFiles(): readonly string[] {
    return [...this.files.keys()].sort();
  }

  /** Nothing to forget: the map is the truth. */
  invalidate(): void {}
}

/** Open editor buffers laid over another host: unsaved text wins over what is on disk. */
export class OverlayHost implements SourceHost {
  constructor(
    private readonly base: SourceHost,
    private readonly overlay: ReadonlyMap<string, string>,
  ) {}

  readFile(path: string): string | undefined {
    return this.overlay.get(path) ?? this.base.readFile(path);
  }

  unreadable(path: string): string | undefined {
    return this.overlay.has(path) ? undefined : this.base.unreadable?.(path);
  }

  private listed: { base: readonly string[]; set: ReadonlySet<string> } | undefined;

  /** The base's files and the buffers not saved yet, without reading any file to find out. */
  listFiles(): readonly string[] {
    const base = this.base.listFiles();
    if (this.listed?.base !== base) this.listed = { base, set: new Set(base) };
    const extra = [...this.overlay.keys()].filter((p) => !this.listed!.set.has(p));
    return extra.length ? [...base, ...extra].sort() : base;
  }
}
