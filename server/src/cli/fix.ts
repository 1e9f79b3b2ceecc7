import { isExternalPath } from "../engine/external";
import { LineIndex, type Position } from "../engine/text";
import type { FileEdit, PositionedDiagnostic } from "../workspace/diagnostics";
import type { Workspace } from "../workspace/workspace";

// `pipewright check --fix`: the fixes the findings come with, applied as eslint applies them. Only a
// finding's one fix (a finding with several offers a choice, which is the editor's), only in the
// project's own files, and a fix only whole: one whose edits overlap edits already taken waits for the
// next pass. Edits go in per file from the last to the first; the files are laid over the workspace as
// buffers and analysed again, up to ten passes, so a fix that uncovers another finding gets its fix
// too. Nothing here writes: the caller writes the files (--fix) or prints a diff (--fix-dry-run).

export interface FixResult {
  /** Each changed file's text before and after, project-relative paths. */
  readonly files: ReadonlyMap<string, { readonly before: string; readonly after: string }>;
  /** How many findings' fixes went in. */
  readonly fixed: number;
}

const MAX_PASSES = 10;

const before = (a: Position, b: Position) => a.line - b.line || a.character - b.character;

/** Whether two edits of one file touch the same text (two insertions at one place do: their order is unclear). */
function overlap(a: FileEdit, b: FileEdit): boolean {
  if (before(a.range.start, b.range.start) === 0) return true;
  return before(a.range.start, b.range.end) < 0 && before(b.range.start, a.range.end) < 0;
}

/** A text with non-overlapping edits applied, the last first so earlier positions stay valid. */
export function applyEdits(text: string, edits: readonly FileEdit[]): string {
  const lines = new LineIndex(text);
  const sorted = edits
    .map((e) => ({ start: lines.offset(e.range.start), end: lines.offset(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/**
 * Applies the fixes of the findings `select` keeps, in the workspace's buffers, pass after pass until none
 * is left or nothing changes; the workspace then answers for the fixed texts.
 */
export function fixInWorkspace(workspace: Workspace, select: (d: PositionedDiagnostic) => boolean): FixResult {
  const files = new Map<string, { before: string; after: string }>();
  let fixed = 0;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const taken = new Map<string, FileEdit[]>();
    let fixes = 0;
    for (const d of workspace.diagnostics()) {
      if (!select(d) || d.fixes?.length !== 1) continue;
      const edits = d.fixes[0].edits;
      if (!edits.length || edits.some((e) => isExternalPath(e.file) || workspace.readFile(e.file) === undefined))
        continue;
      const fits = edits.every(
        (e, i) =>
          !(taken.get(e.file) ?? []).some((t) => overlap(t, e)) &&
          !edits.slice(0, i).some((o) => o.file === e.file && overlap(o, e)),
      );
      if (!fits) continue;
      for (const e of edits) taken.set(e.file, [...(taken.get(e.file) ?? []), e]);
      fixes++;
    }
    let changed = false;
    for (const [file, edits] of taken) {
      const text = workspace.readFile(file)!;
      const after = applyEdits(text, edits);
      if (after === text) continue;
      files.set(file, { before: files.get(file)?.before ?? text, after });
      workspace.setDocument(file, after);
      changed = true;
    }
    if (!changed) break;
    fixed += fixes;
  }
  for (const [file, f] of files) if (f.before === f.after) files.delete(file);
  return { files, fixed };
}
