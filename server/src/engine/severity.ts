import type { Diagnostic, Severity } from "./types";

/** What a project or user may set a diagnostic code to. */
export type SeveritySetting = Severity | "off";

const LEVELS: readonly SeveritySetting[] = ["off", "hint", "information", "warning", "error"];

export function isSeveritySetting(v: unknown): v is SeveritySetting {
  return typeof v === "string" && (LEVELS as readonly string[]).includes(v);
}

/** Applies per-code severities (from settings or .pipewright.yml): a new level, or "off" to drop. */
export function applySeverities(diags: readonly Diagnostic[], settings: Readonly<Record<string, SeveritySetting>>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const d of diags) {
    const s = settings[d.code];
    if (s === "off") continue;
    out.push(s && s !== d.severity ? { ...d, severity: s } : d);
  }
  return out;
}
