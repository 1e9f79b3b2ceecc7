import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { isSeveritySetting, type SeveritySetting } from "../engine/severity";
import { ruleSettings, type RuleSetting } from "../lint/registry";

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
  /** Lint rule id → its severity and options (`rules:`). */
  readonly rules: Readonly<Record<string, RuleSetting>>;
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
    return { roots: [], severity: {}, rules: {} };
  }
  const s = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const severity = severityMap(s.severity);
  return {
    ciConfigPath: typeof s.ciConfigPath === "string" ? s.ciConfigPath : undefined,
    roots: Array.isArray(s.roots) ? s.roots.filter((r): r is string => typeof r === "string") : [],
    severity,
    rules: mergeRules(severityRules(severity), ruleSettings(s.rules, isSeveritySetting)),
  };
}

/** Severity per code, with a rule's `rules.<id>.severity` taking the place of `severity.<id>`. */
export function effectiveSeverities(severity: Readonly<Record<string, SeveritySetting>>, rules: Readonly<Record<string, RuleSetting>>): Record<string, SeveritySetting> {
  const out = { ...severity };
  for (const [id, r] of Object.entries(rules)) if (r.severity) out[id] = r.severity;
  return out;
}

/** `severity: { <rule id>: level }` turns a rule on or off like `rules: { <rule id>: level }`. */
export function severityRules(severity: Readonly<Record<string, SeveritySetting>>): Record<string, RuleSetting> {
  return Object.fromEntries(Object.entries(severity).map(([id, s]) => [id, { severity: s, options: {} }]));
}

/** Project rules first, then the user's: a user's option wins over the project's one by one. */
export function mergeRules(...layers: ReadonlyArray<Readonly<Record<string, RuleSetting>>>): Record<string, RuleSetting> {
  const out: Record<string, RuleSetting> = {};
  for (const layer of layers)
    for (const [id, r] of Object.entries(layer)) out[id] = { severity: r.severity ?? out[id]?.severity, options: { ...out[id]?.options, ...r.options } };
  return out;
}
