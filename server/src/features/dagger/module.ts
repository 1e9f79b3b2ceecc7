// The project's Dagger module, read from text: dagger.json (dagger-json.ts), and the TypeScript
// entry file's @object() class with its @func() methods (functions.ts). Pure: the caller reads files.

import { entryFileOf, isTypeScriptSdk, normalizeDir, parseConfig, safeRead, sdkOf } from "./dagger-json";
import { parseFunctions, type DaggerFunction } from "./functions";
import { pascalCase } from "./names";

export const DEFAULT_ENGINE_VERSION = "v0.21.9";
export const SDK_MODULE = "@dagger.io/dagger";

export interface DaggerModule {
  readonly configPath: string;
  readonly name: string;
  readonly engineVersion?: string;
  /** `sdk` of dagger.json, or its `sdk.source`. */
  readonly sdk?: string;
  /** Project-relative, "" for the root. */
  readonly sourceDir: string;
  /** Project-relative, e.g. ".dagger/src/index.ts"; "" when the SDK is not one we know. */
  readonly entryFile: string;
  readonly className?: string;
  readonly functions: readonly DaggerFunction[];
}

/**
 * Reads dagger.json at the project root (and its "source", default per SDK layout) and the entry file; undefined when
 * there is no module. Bad JSON → undefined, never throws.
 */
export function findModule(read: (projectRelativePath: string) => string | undefined): DaggerModule | undefined {
  const configPath = "dagger.json";
  const config = parseConfig(read(configPath));
  if (!config) return undefined;
  const name = typeof config.name === "string" ? config.name : "";
  const sdk = sdkOf(config.sdk);
  const sourceDir = typeof config.source === "string" ? normalizeDir(config.source) : "";
  const entryFile = entryFileOf(sdk, sourceDir);
  const base = {
    configPath,
    name,
    engineVersion: typeof config.engineVersion === "string" ? config.engineVersion : undefined,
    sdk,
    sourceDir,
    entryFile,
  };
  if (!entryFile || !isTypeScriptSdk(sdk)) return { ...base, functions: [] };
  const source = safeRead(read, entryFile);
  if (source === undefined) return { ...base, functions: [] };
  const parsed = parseFunctions(source, pascalCase(name));
  return {
    ...base,
    ...(parsed.className !== undefined ? { className: parsed.className } : {}),
    functions: parsed.functions,
  };
}

/**
 * The module's engineVersion from dagger.json alone: what a lint needs on every analysis, without parsing the source.
 */
export function moduleEngineVersion(read: (projectRelativePath: string) => string | undefined): string | undefined {
  const version = parseConfig(safeRead(read, "dagger.json"))?.engineVersion;
  return typeof version === "string" ? version : undefined;
}
