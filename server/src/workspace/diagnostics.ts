import { CODES, docsPage, type Code } from "../engine/codes";
import type { Model } from "../engine/engine";
import { isExternalPath } from "../engine/external";
import type { LineIndex, Range } from "../engine/text";
import type { Diagnostic, Fix, Severity, SeveritySetting, Src } from "../engine/types";

// The one diagnostics pipeline of the CLI and the editor: the findings of every model (a root and
// its child pipelines, over every root), each reported once, with the severities settings give,
// positioned by the line index of the file it is in, grouped by file.

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
  /** The rule page, project-relative (`docs/rules/<id>.md`), for lint findings. */
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
  return `${d.src.file}\u0000${d.src.start}\u0000${d.src.end}\u0000${d.code}\u0000${d.message}`;
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
  const seen = new Set<string>();
  for (const d of findings) {
    const level = severity[d.code] ?? d.severity;
    if (level === "off") continue;
    const k = key(d);
    if (seen.has(k)) continue;
    seen.add(k);
    const p: PositionedDiagnostic = {
      ...positions.located(d.src),
      severity: level,
      code: d.code,
      message: d.message,
      related: d.related?.length
        ? d.related.map((r) => ({ ...positions.located(r.src), message: r.message }))
        : undefined,
      fixes: d.fixes?.length ? d.fixes.map((f) => positions.fix(f)) : undefined,
      docs: CODES[d.code].section === "lint" ? docsPage(d.code) : undefined,
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
