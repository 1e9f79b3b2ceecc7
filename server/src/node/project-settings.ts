import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { isSeveritySetting, type SeveritySetting } from "../engine/severity";

// `.pipewright.yml` at the project root: settings that belong to the repository rather than to
// one editor, read by the CLI and the language server alike: which files are CI roots (template
// repositories have no .gitlab-ci.yml of their own) and the severity of each diagnostic code.

export interface ProjectSettings {
  /** The main config file, when it is not `.gitlab-ci.yml`. */
  readonly ciConfigPath?: string;
  /** More root files to analyse, project-relative. */
  readonly roots: readonly string[];
  /** Diagnostic code → severity, or "off". */
  readonly severity: Readonly<Record<string, SeveritySetting>>;
}

export function severityMap(v: unknown): Record<string, SeveritySetting> {
  const out: Record<string, SeveritySetting> = {};
  if (v && typeof v === "object") for (const [k, s] of Object.entries(v)) if (isSeveritySetting(s)) out[k] = s;
  return out;
}

export const PROJECT_SETTINGS_FILE = ".pipewright.yml";

export function readProjectSettings(dir: string): ProjectSettings {
  let raw: unknown;
  try {
    raw = parse(fs.readFileSync(path.join(dir, PROJECT_SETTINGS_FILE), "utf8"));
  } catch {
    return { roots: [], severity: {} };
  }
  const s = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  return {
    ciConfigPath: typeof s.ciConfigPath === "string" ? s.ciConfigPath : undefined,
    roots: Array.isArray(s.roots) ? s.roots.filter((r): r is string => typeof r === "string") : [],
    severity: severityMap(s.severity),
  };
}
