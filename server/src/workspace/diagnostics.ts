import { docsPage, type Code } from "../engine/codes";
import type { Model } from "../engine/engine";
import { isExternalPath } from "../engine/external";
import { inclusionKey } from "../engine/inclusions";
import type { LineIndex, Range } from "../engine/text";
import type { Diagnostic, Fix, Inclusion, Severity, SeveritySetting, Src } from "../engine/types";
import { toJS } from "../engine/values";

// The one diagnostics pipeline of the CLI and the editor: the findings of every model (a root and
// its child pipelines, over every root), each reported once, with the severities settings give,
// positioned by the line index of the file it is in, grouped by file. A file with a `spec:` header
// included several times is checked once per inclusion: a mistake written in it is found at the
// same place with the same code each time (the messages may differ, by the job names and values the
// inputs put in). Those findings are shown as one, the first's message, with every inclusion as
// related information, the others' messages there when they differ.

/** Inclusions listed as related information of one finding; the rest are counted in its message. */
export const MAX_INCLUSIONS_LISTED = 20;

export interface Located {
  readonly file: string;
  readonly range: Range;
}

export interface FileEdit extends Located {
  readonly newText: string;
}

export interface PositionedFix {
  readonly title: string;
  readonly edits: readonly FileEdit[];
}

export interface PositionedDiagnostic extends Located {
  readonly severity: Severity;
  readonly code: Code;
  readonly message: string;
  readonly related?: ReadonlyArray<Located & { readonly message: string }>;
  readonly fixes?: readonly PositionedFix[];
  /**
   * Where the code is explained, relative to Pipewright's own folder: a lint's rule page (`docs/rules/<id>.md`),
   * any other code's row of the list of codes (`docs/diagnostics.md#<code>`).
   */
  readonly docs?: string;
}

/** Turns offsets into line/character ranges, with the line index of each file of the models. */
export class Positions {
  private readonly lines = new Map<string, LineIndex>();

  constructor(models: readonly Model[], extra?: (file: string) => LineIndex | undefined) {
    for (const m of models) for (const [path, f] of m.files) if (!this.lines.has(path)) this.lines.set(path, f.lines);
    this.extra = extra;
  }

  private readonly extra?: (file: string) => LineIndex | undefined;

  index(file: string): LineIndex | undefined {
    return this.lines.get(file) ?? this.extra?.(file);
  }

  range(src: Src): Range {
    return (
      this.index(src.file)?.range(src.start, src.end) ?? {
        start: { line: 0, character: 0 },
        end: { line: 0, character: 0 },
      }
    );
  }

  located(src: Src): Located {
    return { file: src.file, range: this.range(src) };
  }

  fix(f: Fix): PositionedFix {
    return { title: f.title, edits: f.edits.map((e) => ({ ...this.located(e.src), newText: e.newText })) };
  }

  /** Files in the order they were first met: root first, then as included. */
  files(): string[] {
    return [...this.lines.keys()];
  }
}

/** The same finding reached twice (a file shared by two roots, a template reached by two jobs) is one. */
function key(d: Diagnostic): string {
  return `${d.src.file}\u0000${d.src.start}\u0000${d.src.end}\u0000${d.code}\u0000${d.message}\u0000${inclusionKey(d)}`;
}

/** What the findings of one mistake in a templated file, one per inclusion, share. */
function placeKey(d: Diagnostic, level: Severity): string {
  return `${d.src.file}\u0000${d.src.start}\u0000${d.src.end}\u0000${d.code}\u0000${level}`;
}

/** Findings shown as one: a single finding, or the same mistake in several inclusions of a file. */
interface Fold {
  readonly level: Severity;
  readonly members: Diagnostic[];
  /** inclusionKey of each member. */
  readonly inclusions: Set<string>;
}

/** Exactly-equal findings dropped; findings of different inclusions at one place, code and severity folded. */
function fold(findings: Iterable<Diagnostic>, severity: Readonly<Record<string, SeveritySetting>>): Fold[] {
  const out: Fold[] = [];
  const seen = new Set<string>();
  const byPlace = new Map<string, Fold[]>();
  for (const d of findings) {
    const level = severity[d.code] ?? d.severity;
    if (level === "off") continue;
    const k = key(d);
    if (seen.has(k)) continue;
    seen.add(k);
    if (!d.inclusion) {
      out.push({ level, members: [d], inclusions: new Set() });
      continue;
    }
    // two findings of one inclusion at one place are two things said: they stay apart
    const inclusion = inclusionKey(d);
    const place = placeKey(d, level);
    const folds = byPlace.get(place) ?? [];
    byPlace.set(place, folds);
    let into = folds.find((f) => !f.inclusions.has(inclusion));
    if (!into) {
      into = { level, members: [], inclusions: new Set() };
      folds.push(into);
      out.push(into);
    }
    into.members.push(d);
    into.inclusions.add(inclusion);
  }
  return out;
}

/** The inputs an inclusion passes, briefly: `name: "alpha", stage: "test"`. */
function inputsText(inclusion: Inclusion): string {
  const entries = [...(inclusion.inputs?.entries ?? [])];
  if (entries.length === 0) return "the include with no inputs";
  const text = entries.map(([k, e]) => `${k}: ${JSON.stringify(toJS(e.value)) ?? "null"}`).join(", ");
  return `the include with inputs ${text.length > 80 ? `${text.slice(0, 79)}…` : text}`;
}

/** The first member's message, with how many other inclusions have the mistake. */
function foldedMessage(first: Diagnostic, count: number): string {
  const others = count - 1;
  const listed = count > MAX_INCLUSIONS_LISTED ? `; the first ${MAX_INCLUSIONS_LISTED} are listed` : "";
  return `${first.message} (also in ${others} other inclusion${others === 1 ? "" : "s"} of this file${listed})`;
}

/** Each member's inclusion, the include entry that made it, as related information. */
function inclusionsRelated(members: readonly Diagnostic[]): Array<{ src: Src; message: string }> {
  const first = members[0];
  return members.slice(0, MAX_INCLUSIONS_LISTED).map((d, i) => {
    const which = `${inputsText(d.inclusion!)} (${i + 1} of ${members.length})`;
    if (i === 0) return { src: d.inclusion!.at, message: `from ${which}` };
    return {
      src: d.inclusion!.at,
      message: `also from ${which}${d.message === first.message ? "" : `: ${d.message}`}`,
    };
  });
}

/**
 * Every finding, once, with severities applied ("off" drops it), positioned and grouped by
 * file; every file of every model has an entry, empty when it is clean, so a host can clear it.
 */
export function diagnosticsByFile(
  findings: Iterable<Diagnostic>,
  positions: Positions,
  severity: Readonly<Record<string, SeveritySetting>>,
): Map<string, PositionedDiagnostic[]> {
  const out = new Map<string, PositionedDiagnostic[]>();
  // fetched files get no entry: their findings are moved to the project's include lines
  for (const file of positions.files()) if (!isExternalPath(file)) out.set(file, []);
  for (const { level, members } of fold(findings, severity)) {
    const d = members[0];
    const related = members.length > 1 ? [...(d.related ?? []), ...inclusionsRelated(members)] : d.related;
    const p: PositionedDiagnostic = {
      ...positions.located(d.src),
      severity: level,
      code: d.code,
      message: members.length > 1 ? foldedMessage(d, members.length) : d.message,
      related: related?.length ? related.map((r) => ({ ...positions.located(r.src), message: r.message })) : undefined,
      fixes: d.fixes?.length ? d.fixes.map((f) => positions.fix(f)) : undefined,
      docs: docsPage(d.code),
    };
    const list = out.get(d.src.file);
    if (list) list.push(p);
    else out.set(d.src.file, [p]);
  }
  for (const list of out.values()) list.sort(byPosition);
  // files no model loaded (a root that does not exist, say) go last, by name
  const known = new Set(positions.files().filter((f) => !isExternalPath(f)));
  const unknown = [...out.keys()].filter((f) => !known.has(f)).sort((a, b) => a.localeCompare(b));
  return unknown.length
    ? new Map([...[...known].map((f) => [f, out.get(f)!] as const), ...unknown.map((f) => [f, out.get(f)!] as const)])
    : out;
}

const byPosition = (a: Located, b: Located) =>
  a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;

/** All findings in one list, as a compiler prints them: files in include order, then by position. */
export function sortedDiagnostics(
  byFile: ReadonlyMap<string, readonly PositionedDiagnostic[]>,
): PositionedDiagnostic[] {
  return [...byFile.values()].flat();
}
