import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

// `.pipewright.yml` at the project root: settings that belong to the repository rather than to
// one editor, read by the CLI and the language server alike. For now: which files are CI roots
// (template repositories have no .gitlab-ci.yml of their own).

export interface ProjectSettings {
  /** The main config file, when it is not `.gitlab-ci.yml`. */
  readonly ciConfigPath?: string;
  /** More root files to analyse, project-relative. */
  readonly roots: readonly string[];
}

export const PROJECT_SETTINGS_FILE = ".pipewright.yml";

export function readProjectSettings(dir: string): ProjectSettings {
  let raw: unknown;
  try {
    raw = parse(fs.readFileSync(path.join(dir, PROJECT_SETTINGS_FILE), "utf8"));
  } catch {
    return { roots: [] };
  }
  const s = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  return {
    ciConfigPath: typeof s.ciConfigPath === "string" ? s.ciConfigPath : undefined,
    roots: Array.isArray(s.roots) ? s.roots.filter((r): r is string => typeof r === "string") : [],
  };
}
