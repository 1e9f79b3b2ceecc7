import type { RemoteIncludesMode } from "./external-includes";
import { isCode } from "../engine/codes";
import { DEFAULT_ROOT } from "../engine/engine";
import { loadFile } from "../engine/load";
import { suggest } from "../engine/schema-errors";
import type { CValue, Diagnostic, SeveritySetting, Src } from "../engine/types";
import type { RuleSetting } from "../lint/rule";
import { readScenarios, type NamedScenario } from "./scenario-settings";

// Settings come from two places: `.pipewright.yml` at the project root (the repository's, read by
// the CLI and the editor alike) and the editor's `pipewright.*` settings (the user's). Both are
// validated here: a value of the wrong type is left out and said once — on its line in
// `.pipewright.yml`, or as a problem the host logs for the user's settings — never a stop. So is
// what is unknown: a key of `.pipewright.yml` that is no setting (said at the key; the editor's
// settings hold other extensions' keys too), a code under `severity:` or `rules:` that does not exist,
// an option a rule does not have. schemas/pipewright.schema.json says the same for editors.

export const PROJECT_SETTINGS_FILE = ".pipewright.yml";

const LEVELS: readonly SeveritySetting[] = ["off", "hint", "information", "warning", "error"];

export function isSeveritySetting(v: unknown): v is SeveritySetting {
  return typeof v === "string" && (LEVELS as readonly string[]).includes(v);
}

/** What one source of settings says; every field already validated. */
export interface SettingsLayer {
  /** The main config file, when this layer names one. */
  readonly ciConfigPath?: string;
  /** More root files, project-relative. */
  readonly roots: readonly string[];
  /** Diagnostic code → severity or "off". */
  readonly severity: Readonly<Record<string, SeveritySetting>>;
  /** Lint rule id → severity and options. */
  readonly rules: Readonly<Record<string, RuleSetting>>;
  /** Seconds the editor may spend on analysing one version. */
  readonly analysisBudget?: number;
  /** The project's path on GitLab (`group/project`), for the pipeline simulation. */
  readonly project?: string;
  /** The project's default branch, for the pipeline simulation. */
  readonly defaultBranch?: string;
  /** Named situations and what must happen in them (`pipewright test`). */
  readonly scenarios?: readonly NamedScenario[];
  /** Whether includes from outside the project are read from the include cache, and fetched. */
  readonly remoteIncludes?: RemoteIncludesMode;
  /** The GitLab instance external includes come from, e.g. https://gitlab.example.com. */
  readonly gitlabUrl?: string;
  /** Minutes a cached branch, partial version, template or remote copy is used before it is fetched again. */
  readonly includeRefreshMinutes?: number;
}

/** The keys of `.pipewright.yml`. */
export const SETTING_KEYS = [
  "ciConfigPath",
  "roots",
  "severity",
  "rules",
  "analysisBudget",
  "project",
  "defaultBranch",
  "scenarios",
  "remoteIncludes",
  "gitlabUrl",
  "includeRefreshMinutes",
] as const;

/**
 * The options of the lint rules that have some (`rules: {<id>: {severity, ...options}}`); any other
 * rule takes only `severity`.
 */
export const RULE_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  "glci-variable-prefix": ["mode", "allow"],
};

export const NO_SETTINGS: SettingsLayer = { roots: [], severity: {}, rules: {} };

/** Seconds, by default: ten times what GitLab's own config takes on a slow first run. */
export const DEFAULT_ANALYSIS_BUDGET = 10;

/** The settings an analysis runs with: the project's, then the user's over them. */
export interface Settings {
  readonly roots: readonly string[];
  readonly severity: Readonly<Record<string, SeveritySetting>>;
  readonly rules: Readonly<Record<string, RuleSetting>>;
  readonly analysisBudget: number;
  readonly project?: string;
  readonly defaultBranch?: string;
  /** The project's scenarios, then the user's. */
  readonly scenarios: readonly NamedScenario[];
  readonly remoteIncludes: RemoteIncludesMode;
  /** Undefined: `$CI_SERVER_URL`, else https://gitlab.com (the host knows the environment). */
  readonly gitlabUrl?: string;
  readonly includeRefreshMinutes: number;
}

export const DEFAULT_INCLUDE_REFRESH_MINUTES = 60;

type Problem = (message: string, at?: { readonly src: Src }) => void;
/** Where a setting is written in `.pipewright.yml`, by its keys; nothing for the editor's settings. */
type At = (...keys: string[]) => CValue | undefined;
/** Where the last of these keys is written itself (not its value). */
type KeyAt = (...keys: string[]) => { readonly src: Src } | undefined;

/**
 * Reads a settings object (plain JS from the editor, or `.pipewright.yml` loaded), reporting what is ignored;
 * `strict`: keys that are no setting are reported too (`.pipewright.yml`; the editor's section holds others).
 */
function readLayer(raw: unknown, problem: Problem, at: At, keyAt: KeyAt, strict: boolean): SettingsLayer {
  if (raw === undefined || raw === null) return NO_SETTINGS;
  if (typeof raw !== "object" || Array.isArray(raw)) {
    problem("settings must be a map of setting names to values");
    return NO_SETTINGS;
  }
  const s = raw as Record<string, unknown>;
  if (strict)
    for (const key of Object.keys(s))
      if (!(SETTING_KEYS as readonly string[]).includes(key)) {
        const hint = suggest(key, SETTING_KEYS);
        problem(`unknown setting ${key}${hint ? ` — did you mean ${hint}?` : ""}`, keyAt(key));
      }
  let ciConfigPath: string | undefined;
  if (s.ciConfigPath !== undefined && s.ciConfigPath !== null) {
    if (typeof s.ciConfigPath === "string" && s.ciConfigPath.trim() !== "") ciConfigPath = s.ciConfigPath;
    else problem("ciConfigPath must be a file path, e.g. ci/main.yml", at("ciConfigPath"));
  }
  let roots: string[] = [];
  if (s.roots !== undefined && s.roots !== null) {
    if (Array.isArray(s.roots) && s.roots.every((r) => typeof r === "string")) roots = s.roots as string[];
    else problem("roots must be a list of file paths", at("roots"));
  }
  let analysisBudget: number | undefined;
  if (s.analysisBudget !== undefined && s.analysisBudget !== null) {
    const b = s.analysisBudget;
    if (typeof b === "number" && b > 0 && b <= 3600) analysisBudget = b;
    else problem("analysisBudget must be a number of seconds, above 0 and at most 3600", at("analysisBudget"));
  }
  const text = (key: "project" | "defaultBranch", what: string): string | undefined => {
    const v = s[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === "string" && v.trim() !== "") return v.trim();
    problem(`${key} must be ${what}`, at(key));
    return undefined;
  };
  const project = text("project", "the project's path on GitLab, e.g. gitlab-org/gitlab");
  let remoteIncludes: RemoteIncludesMode | undefined;
  if (s.remoteIncludes !== undefined && s.remoteIncludes !== null) {
    if (s.remoteIncludes === "off" || s.remoteIncludes === "cache" || s.remoteIncludes === "fetch")
      remoteIncludes = s.remoteIncludes;
    else problem("remoteIncludes must be off, cache or fetch", at("remoteIncludes"));
  }
  let gitlabUrl: string | undefined;
  // the editor's default is "", which means "not set"
  if (s.gitlabUrl !== undefined && s.gitlabUrl !== null && s.gitlabUrl !== "") {
    if (typeof s.gitlabUrl === "string" && /^https?:\/\/[^/\s]+\/?$/i.test(s.gitlabUrl.trim()))
      gitlabUrl = s.gitlabUrl.trim().replace(/\/$/, "");
    else problem("gitlabUrl must be an instance's address, e.g. https://gitlab.example.com", at("gitlabUrl"));
  }
  let includeRefreshMinutes: number | undefined;
  if (s.includeRefreshMinutes !== undefined && s.includeRefreshMinutes !== null) {
    const m = s.includeRefreshMinutes;
    if (typeof m === "number" && m >= 0 && m <= 525600) includeRefreshMinutes = m;
    else problem("includeRefreshMinutes must be a number of minutes, from 0 to 525600", at("includeRefreshMinutes"));
  }
  const defaultBranch = text("defaultBranch", "a branch name, e.g. main");
  const severity: Record<string, SeveritySetting> = {};
  if (s.severity !== undefined && s.severity !== null) {
    if (typeof s.severity !== "object" || Array.isArray(s.severity))
      problem("severity must map diagnostic codes to off, hint, information, warning or error", at("severity"));
    else
      for (const [code, level] of Object.entries(s.severity)) {
        if (!isCode(code)) problem(unknownCode(code), keyAt("severity", code));
        else if (isSeveritySetting(level)) severity[code] = level;
        else problem(`severity of ${code} must be off, hint, information, warning or error`, at("severity", code));
      }
  }
  return {
    ciConfigPath,
    roots,
    analysisBudget,
    project,
    defaultBranch,
    remoteIncludes,
    gitlabUrl,
    includeRefreshMinutes,
    // none written is none, as with no settings at all: the same settings again change nothing
    scenarios:
      s.scenarios === undefined
        ? undefined
        : readScenarios(s.scenarios, (m, ...keys) => problem(m, at("scenarios", ...keys))),
    severity,
    rules: mergeRules(
      severityRules(severity),
      readRules(s.rules, (m, key, ...keys) => problem(m, key ? keyAt("rules", ...keys) : at("rules", ...keys))),
    ),
  };
}

function unknownCode(code: string): string {
  return `${code} is not a Pipewright diagnostic code (they are listed in docs/diagnostics.md)`;
}

/**
 * `rules:` settings: `id: warning` or `id: { severity: warning, ...options }`. A bad severity, an id
 * that is no code and an option the rule does not have are said and ignored; `problem` is told the keys
 * under `rules`, and whether the problem is the last key itself rather than its value.
 */
function readRules(
  raw: unknown,
  problem: (message: string, key: boolean, ...keys: string[]) => void,
): Record<string, RuleSetting> {
  const out: Record<string, RuleSetting> = {};
  if (raw === undefined || raw === null) return out;
  if (typeof raw !== "object" || Array.isArray(raw)) {
    problem("rules must map rule ids to a severity or to options", false);
    return out;
  }
  for (const [id, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!isCode(id)) problem(unknownCode(id), true, id);
    else if (isSeveritySetting(v)) out[id] = { severity: v, options: {} };
    else if (v && typeof v === "object" && !Array.isArray(v)) {
      const { severity, ...given } = v as Record<string, unknown>;
      if (severity !== undefined && !isSeveritySetting(severity))
        problem(`rules.${id}.severity must be off, hint, information, warning or error`, false, id, "severity");
      const known = RULE_OPTIONS[id] ?? [];
      const options: Record<string, unknown> = {};
      const has = known.length ? `its options: severity, ${known.join(", ")}` : "only severity";
      for (const [name, value] of Object.entries(given)) {
        if (known.includes(name)) options[name] = value;
        else problem(`rules.${id} has no option ${name} (${has})`, true, id, name);
      }
      out[id] = { severity: isSeveritySetting(severity) ? severity : undefined, options };
    } else problem(`rules.${id} must be a severity or a map of options`, false, id);
  }
  return out;
}

/** `severity: { <rule id>: level }` turns a rule on or off like `rules: { <rule id>: level }`. */
function severityRules(severity: Readonly<Record<string, SeveritySetting>>): Record<string, RuleSetting> {
  return Object.fromEntries(Object.entries(severity).map(([id, s]) => [id, { severity: s, options: {} }]));
}

/** Earlier layers first: a later layer's option wins over an earlier one's, one by one. */
function mergeRules(...layers: ReadonlyArray<Readonly<Record<string, RuleSetting>>>): Record<string, RuleSetting> {
  const out: Record<string, RuleSetting> = {};
  for (const layer of layers)
    for (const [id, r] of Object.entries(layer))
      out[id] = { severity: r.severity ?? out[id]?.severity, options: { ...out[id]?.options, ...r.options } };
  return out;
}

/** `.pipewright.yml` read from its text, with a warning on each line it had to ignore. */
export function readProjectSettings(text: string | undefined): { settings: SettingsLayer; diagnostics: Diagnostic[] } {
  if (text === undefined) return { settings: NO_SETTINGS, diagnostics: [] };
  const file = loadFile(PROJECT_SETTINGS_FILE, text);
  const diagnostics: Diagnostic[] = file.diagnostics.filter((d) => d.severity === "error");
  const content = file.content;
  const whole = { file: PROJECT_SETTINGS_FILE, start: 0, end: 0 };
  const problem: Problem = (message, at) =>
    diagnostics.push({
      src: at?.src ?? content?.src ?? whole,
      severity: "warning",
      code: "settings-invalid",
      message: `${message}: ignored`,
    });
  const at: At = (...keys) =>
    keys.reduce<CValue | undefined>((v, k) => (v?.kind === "map" ? v.entries.get(k)?.value : undefined), content);
  const keyAt: KeyAt = (...keys) => {
    const parent = at(...keys.slice(0, -1));
    const entry = parent?.kind === "map" ? parent.entries.get(keys[keys.length - 1]) : undefined;
    return entry ? { src: entry.keySrc } : parent;
  };
  const settings = readLayer(content === undefined ? undefined : plain(content, text), problem, at, keyAt, true);
  return { settings, diagnostics };
}

/** The editor's settings, validated; `problems` are for the host to show (a log line, say). */
export function readUserSettings(raw: unknown): { settings: SettingsLayer; problems: string[] } {
  const problems: string[] = [];
  const settings = readLayer(
    raw,
    (m) => problems.push(`pipewright settings: ${m}: ignored`),
    () => undefined,
    () => undefined,
    false,
  );
  return { settings, problems };
}

/**
 * Plain values of `.pipewright.yml`. It is read as YAML 1.1, like CI files, where a bare `off` is
 * false; in settings it always means the level or mode "off", so it stays that word.
 */
function plain(v: CValue, text: string): unknown {
  if (v.kind === "scalar")
    return v.value === false && /^off$/i.test(text.slice(v.src.start, v.src.end)) ? "off" : v.value;
  if (v.kind === "seq" || v.kind === "ref") return v.items.map((i) => plain(i, text));
  return Object.fromEntries([...v.entries].map(([k, e]) => [k, plain(e.value, text)]));
}

const cleanPath = (p: string) => p.replace(/\\/g, "/").replace(/^(\.\/|\/)+/, "");

/**
 * The roots to analyse and the rules and severities to apply: the project's `.pipewright.yml` first,
 * the user's settings over it (their `ciConfigPath` only when the project names none), and roots
 * a command line gives replacing both.
 */
export function effectiveSettings(
  project: SettingsLayer,
  user: SettingsLayer,
  commandLineRoots?: readonly string[],
): Settings {
  const main = project.ciConfigPath ?? user.ciConfigPath ?? DEFAULT_ROOT;
  const roots = commandLineRoots ?? [main, ...user.roots, ...project.roots];
  const rules = mergeRules(project.rules, user.rules);
  const severity: Record<string, SeveritySetting> = { ...project.severity, ...user.severity };
  for (const [id, r] of Object.entries(rules)) if (r.severity) severity[id] = r.severity;
  const analysisBudget = user.analysisBudget ?? project.analysisBudget ?? DEFAULT_ANALYSIS_BUDGET;
  return {
    roots: [...new Set(roots.map(cleanPath))],
    severity,
    rules,
    analysisBudget,
    project: project.project ?? user.project,
    defaultBranch: project.defaultBranch ?? user.defaultBranch,
    scenarios: [...(project.scenarios ?? []), ...(user.scenarios ?? [])],
    remoteIncludes: user.remoteIncludes ?? project.remoteIncludes ?? "off",
    gitlabUrl: user.gitlabUrl ?? project.gitlabUrl,
    includeRefreshMinutes:
      user.includeRefreshMinutes ?? project.includeRefreshMinutes ?? DEFAULT_INCLUDE_REFRESH_MINUTES,
  };
}
