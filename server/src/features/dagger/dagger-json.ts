// dagger.json, as the engine reads it: its JSON, the SDK it names and where the module's sources and
// entry file are. Never throws: a bad file is no module.

export function parseConfig(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ""));
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function safeRead(read: (path: string) => string | undefined, path: string): string | undefined {
  try {
    return read(path);
  } catch {
    return undefined; // a host that throws on a missing file must not break the feature
  }
}

// Older dagger.json files give the SDK as a string, newer ones as { source, config }.
export function sdkOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value !== null && typeof value === "object" && typeof (value as { source?: unknown }).source === "string")
    return (value as { source: string }).source;
  return undefined;
}

// No "source" means the sources sit next to dagger.json; `dagger init` writes ".dagger"
// (older releases "dagger"), which the config then names.
export function normalizeDir(dir: string): string {
  const parts = dir
    .replace(/\\/g, "/")
    .split("/")
    .filter((p) => p !== "" && p !== ".");
  return parts.join("/");
}

function joinPath(dir: string, file: string): string {
  return dir ? `${dir}/${file}` : file;
}

// The SDK may be named by a bare name or a module reference such as
// github.com/dagger/dagger/sdk/typescript@v0.21.9.
export function isTypeScriptSdk(sdk: string | undefined): boolean {
  if (!sdk) return false;
  const s = sdk.toLowerCase().replace(/@.*$/, "");
  return s === "typescript" || s.endsWith("/typescript") || s.endsWith("/typescript-sdk");
}

function isGoSdk(sdk: string | undefined): boolean {
  if (!sdk) return false;
  const s = sdk.toLowerCase().replace(/@.*$/, "");
  return s === "go" || s.endsWith("/sdk/go");
}

export function entryFileOf(sdk: string | undefined, sourceDir: string): string {
  if (isTypeScriptSdk(sdk)) return joinPath(sourceDir, "src/index.ts");
  if (isGoSdk(sdk)) return joinPath(sourceDir, "main.go");
  return "";
}
