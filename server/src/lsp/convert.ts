import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type * as lsp from "vscode-languageserver/node";
import type { RunnerFiles } from "../workspace/dagger-runner";
import type { FileEdit, Located, PositionedDiagnostic } from "../workspace/diagnostics";
import { NOT_CREATED_REASONS, type JobDecisions, type LabelledScenario } from "../workspace/job-decisions";
import { scenarioWords } from "../workspace/scenario";
import type {
  Action,
  CompletionAnswer,
  HoverAnswer,
  JobListItem,
  MergedAnswer,
  SimulatedPipeline,
  Symbol,
} from "../workspace/workspace";
import type { PipelineViewData, ScenariosResult } from "./pipeline-protocol";
import { location, type Folder } from "./folders";

// Workspace answers as LSP types. Positions are already LSP's (0-based, UTF-16); what is left is
// turning project paths into URIs and our kinds into LSP's numbers.

const SEVERITY = { error: 1, warning: 2, information: 3, hint: 4 } as const;
const COMPLETION_KIND: Record<CompletionAnswer["kind"], lsp.CompletionItemKind> = {
  keyword: 10,
  job: 3,
  template: 7,
  stage: 20,
  file: 17,
  key: 5,
  variable: 6,
  function: 2,
  flag: 10,
};
const SYMBOL_KIND: Record<Symbol["kind"], lsp.SymbolKind> = {
  stage: 3,
  job: 12,
  hidden: 5,
  keyword: 7,
  anchor: 14,
  group: 4,
};

export function editsByUri(folder: Folder, edits: readonly FileEdit[]): Record<string, lsp.TextEdit[]> {
  const changes: Record<string, lsp.TextEdit[]> = {};
  for (const e of edits) (changes[folder.uri(e.file)] ??= []).push({ range: e.range, newText: e.newText });
  return changes;
}

const docsLinks = new Map<string, { href: string } | undefined>();

/**
 * A code's page shipped with the extension (next to dist/), so it opens offline: a rule page, or the list
 * of codes with the code's anchor (`docs/diagnostics.md#<code>`), kept in the link.
 */
function docsLink(page: string | undefined): { href: string } | undefined {
  if (!page) return undefined;
  if (!docsLinks.has(page)) {
    const [file, anchor] = page.split("#");
    const abs = path.join(__dirname, "..", file);
    const url = fs.existsSync(abs) ? pathToFileURL(abs) : undefined;
    if (url && anchor) url.hash = anchor;
    docsLinks.set(page, url ? { href: url.href } : undefined);
  }
  return docsLinks.get(page);
}

/** A finding, with its fixes kept in `data` so a code action request can offer them. */
export function diagnostic(folder: Folder, d: PositionedDiagnostic): lsp.Diagnostic {
  return {
    range: d.range,
    severity: SEVERITY[d.severity],
    code: d.code,
    codeDescription: docsLink(d.docs),
    source: "pipewright",
    message: d.message,
    relatedInformation: d.related?.map((r) => ({ location: location(folder, r), message: r.message })),
    data: d.fixes
      ? { fixes: d.fixes.map((f) => ({ title: f.title, changes: editsByUri(folder, f.edits) })) }
      : undefined,
  };
}

/** The quick fixes that came with the diagnostics of a code action request. */
export function quickFixes(diagnostics: readonly lsp.Diagnostic[]): lsp.CodeAction[] {
  const out: lsp.CodeAction[] = [];
  for (const d of diagnostics) {
    const fixes =
      (d.data as { fixes?: Array<{ title: string; changes: Record<string, lsp.TextEdit[]> }> } | undefined)?.fixes ??
      [];
    for (const f of fixes)
      out.push({
        title: f.title,
        kind: "quickfix",
        diagnostics: [d],
        isPreferred: fixes.length === 1,
        edit: { changes: f.changes },
      });
  }
  return out;
}

/**
 * A refactoring or source action: documentChanges when it creates files, plain changes otherwise. One with a
 * description, for a client that takes change annotations (LSP 3.16), has every file created and every edit
 * annotated with the title and description: the preview VS Code shows on request lists the change under them.
 */
export function codeAction(folder: Folder, a: Action, annotations = false): lsp.CodeAction {
  const base = { title: a.title, kind: a.kind, ...(a.preferred ? { isPreferred: true } : {}) };
  const annotate = annotations && a.confirm !== undefined;
  if (a.change.create.length === 0 && !annotate)
    return { ...base, edit: { changes: editsByUri(folder, a.change.edits) } };
  const annotationId = annotate ? CONFIRM : undefined;
  const edit = (e: lsp.TextEdit): lsp.TextEdit | lsp.AnnotatedTextEdit => (annotationId ? { ...e, annotationId } : e);
  const start = { line: 0, character: 0 };
  const documentChanges: Array<lsp.CreateFile | lsp.TextDocumentEdit> = [];
  for (const c of a.change.create) {
    const create: lsp.CreateFile = { kind: "create", uri: folder.uri(c.file), options: { ignoreIfExists: true } };
    documentChanges.push(annotationId ? { ...create, annotationId } : create);
    documentChanges.push({
      textDocument: { uri: folder.uri(c.file), version: null },
      edits: [edit({ range: { start, end: start }, newText: c.text })],
    });
  }
  for (const [uri, edits] of Object.entries(editsByUri(folder, a.change.edits)))
    documentChanges.push({ textDocument: { uri, version: null }, edits: edits.map(edit) });
  if (!annotate) return { ...base, edit: { documentChanges } };
  // not needsConfirmation: VS Code shows such changes unchecked in its Refactor Preview, and Apply then applies
  // none of them (found by the e2e test). The label and description group the change in the preview the user
  // opens with Ctrl+Enter in the Quick Fix menu.
  const annotation: lsp.ChangeAnnotation = { label: a.title, needsConfirmation: false };
  if (a.confirm?.description) annotation.description = a.confirm.description;
  return { ...base, edit: { documentChanges, changeAnnotations: { [CONFIRM]: annotation } } };
}

/** The one change annotation of an action the user confirms. */
const CONFIRM = "pipewright.confirm";

/** The change annotations of the runner manifests: files created, and files replaced (said apart in the preview). */
export const RUNNER_NEW = "pipewright.runner.new";
export const RUNNER_REPLACE = "pipewright.runner.replace";

/**
 * "Write Dagger Kubernetes runner manifests" as one edit: each new file created, each file that says something else
 * replaced whole, those already there as written left out. For a client that takes change annotations every change
 * carries one that needs confirmation, so the editor shows it before writing anything (VS Code: its Refactor
 * Preview, each file to tick); a client that takes none gets the new files only, never a replaced one unseen.
 * Undefined when nothing is left to write.
 */
export function runnerEdit(folder: Folder, r: RunnerFiles, annotations: boolean): lsp.WorkspaceEdit | undefined {
  const start = { line: 0, character: 0 };
  const documentChanges: Array<lsp.CreateFile | lsp.TextDocumentEdit> = [];
  const annotated = <T extends object>(change: T, id: string): T =>
    annotations ? { ...change, annotationId: id } : change;
  for (const f of r.files) {
    const uri = folder.uri(f.file);
    if (f.status === "new") {
      documentChanges.push(
        annotated<lsp.CreateFile>({ kind: "create", uri, options: { ignoreIfExists: true } }, RUNNER_NEW),
      );
      documentChanges.push({
        textDocument: { uri, version: null },
        edits: [annotated<lsp.TextEdit>({ range: { start, end: start }, newText: f.text }, RUNNER_NEW)],
      });
    } else if (f.status === "replaces" && annotations && f.range)
      documentChanges.push({
        textDocument: { uri, version: null },
        edits: [annotated<lsp.TextEdit>({ range: f.range, newText: f.text }, RUNNER_REPLACE)],
      });
  }
  if (!documentChanges.length) return undefined;
  if (!annotations) return { documentChanges };
  const replaced = r.files.filter((f) => f.status === "replaces").map((f) => f.file);
  const changeAnnotations: Record<string, lsp.ChangeAnnotation> = {
    [RUNNER_NEW]: { label: r.title, needsConfirmation: true, description: r.description },
  };
  if (replaced.length)
    changeAnnotations[RUNNER_REPLACE] = {
      label: `Replace ${replaced.join(", ")}`,
      needsConfirmation: true,
      description:
        `${replaced.length === 1 ? "This file says" : "These files say"} something else now: ` +
        "the new text replaces it whole.",
    };
  return { documentChanges, changeAnnotations };
}

/** At most this many items go to the client at once (GitLab's config has a thousand templates). */
export const MAX_COMPLETIONS = 200;

/**
 * The answers as a list. A client that takes a shared edit range gets it once, with each item's text
 * only where it differs from the label: the thousand templates offered after `extends:` stay small.
 */
export function completionList(all: readonly CompletionAnswer[], editRangeDefault: boolean): lsp.CompletionList {
  // the best MAX_COMPLETIONS; past them the list is incomplete, and the client asks again as the user types
  const isIncomplete = all.length > MAX_COMPLETIONS;
  const answers = isIncomplete ? [...all].sort((a, b) => a.rank - b.rank).slice(0, MAX_COMPLETIONS) : all;
  const range = answers[0]?.textEdit?.range;
  const shared =
    editRangeDefault && range !== undefined && answers.every((a) => a.textEdit && sameRange(a.textEdit.range, range));
  if (!shared) return { isIncomplete, items: answers.map(completion) };
  return {
    isIncomplete,
    itemDefaults: { editRange: range },
    items: answers.map((a) => {
      const { textEdit, ...rest } = completion(a);
      const newText = (textEdit as lsp.TextEdit).newText;
      return newText === a.label ? rest : { ...rest, textEditText: newText };
    }),
  };
}

const sameRange = (a: lsp.Range, b: lsp.Range) =>
  a.start.line === b.start.line &&
  a.start.character === b.start.character &&
  a.end.line === b.end.line &&
  a.end.character === b.end.character;

export function completion(c: CompletionAnswer): lsp.CompletionItem {
  return {
    label: c.label,
    kind: COMPLETION_KIND[c.kind],
    detail: c.detail,
    documentation: c.documentation ? { kind: "markdown", value: c.documentation } : undefined,
    sortText: `${String(c.rank).padStart(3, "0")}${c.label}`,
    textEdit: c.textEdit,
    filterText: c.filterText,
  };
}

export function documentSymbol(s: Symbol): lsp.DocumentSymbol {
  return {
    name: s.name,
    detail: s.detail,
    kind: SYMBOL_KIND[s.kind],
    range: s.range,
    selectionRange: s.selection,
    children: s.children?.map(documentSymbol),
  };
}

/** A hover, its `pipewright-source:` links (features/hover.ts `where`) made the files' URIs in this project. */
export function hover(folder: Folder, h: HoverAnswer | undefined): lsp.Hover | null {
  if (!h) return null;
  const value = h.markdown.replace(
    /\]\(pipewright-source:([^)#]*)#L(\d+)\)/g,
    // a parenthesis in the URI would end the Markdown link early
    (_, file: string, line: string) =>
      `](${folder.uri(decodeURIComponent(file)).replace(/\(/g, "%28").replace(/\)/g, "%29")}#L${line})`,
  );
  return { contents: { kind: "markdown", value }, range: h.range };
}

export function rename(folder: Folder, edits: readonly FileEdit[] | undefined): lsp.WorkspaceEdit | null {
  return edits ? { changes: editsByUri(folder, edits) } : null;
}

export function symbols(
  folder: Folder,
  list: ReadonlyArray<Parameters<typeof workspaceSymbol>[1]>,
): lsp.SymbolInformation[] {
  return list.map((s) => workspaceSymbol(folder, s));
}

/** Symbols of several projects, each once: a file two projects hold is in both projects' lists. */
export function uniqueSymbols(list: readonly lsp.SymbolInformation[]): lsp.SymbolInformation[] {
  const seen = new Set<string>();
  return list.filter((s) => {
    const r = s.location.range;
    const key = `${s.name}\u0000${s.location.uri}\u0000${r.start.line}:${r.start.character}`;
    return !seen.has(key) && !!seen.add(key);
  });
}

export function workspaceSymbol(
  folder: Folder,
  s: { name: string; kind: "job" | "hidden"; file: string; range: lsp.Range },
): lsp.SymbolInformation {
  return { name: s.name, kind: SYMBOL_KIND[s.kind], location: location(folder, s) };
}

/**
 * A job's CodeLens: whether it runs in each scenario. Clicking runs `pipewright.explainJob` with
 * each decision and the location of the rule that made it (the VS Code client lists them).
 */
export function codeLens(folder: Folder, file: string, d: JobDecisions): lsp.CodeLens {
  const decisions = d.decisions.map((x) => ({
    label: x.label,
    outcome: x.outcome,
    when: x.when ?? null,
    allowFailure: x.allowFailure ?? null,
    why: x.why ?? null,
    location: x.decidedBy ? location(folder, x.decidedBy) : null,
  }));
  return {
    range: d.range,
    command: {
      title: d.title,
      command: "pipewright.explainJob",
      arguments: [{ uri: folder.uri(file), job: d.job, decisions }],
    },
  };
}

/**
 * A template's or rule set's CodeLens: `used by 3 jobs`. Clicking runs `pipewright.showUsedBy` with the
 * key's URI, position and name; the client asks `pipewright/usedBy` for the users' keys and shows them in
 * VS Code's references peek (`editor.action.showReferences`).
 */
export function usedByLens(
  folder: Folder,
  file: string,
  u: { name: string; title: string; range: lsp.Range },
): lsp.CodeLens {
  return {
    range: u.range,
    command: { title: u.title, command: "pipewright.showUsedBy", arguments: [folder.uri(file), u.range.start, u.name] },
  };
}

/** Every lens of a file: where each job runs, then who uses each template and rule set. */
export function codeLenses(
  folder: Folder,
  file: string,
  jobs: readonly JobDecisions[],
  usedBy: ReadonlyArray<Parameters<typeof usedByLens>[2]>,
): lsp.CodeLens[] {
  return [...jobs.map((d) => codeLens(folder, file, d)), ...usedBy.map((u) => usedByLens(folder, file, u))];
}

export function pipelineView(folder: Folder, title: string, p: SimulatedPipeline): PipelineViewData {
  const at = (l: Located | undefined) => (l ? location(folder, l) : null);
  const problems = (list: SimulatedPipeline["errors"]) => list.map((e) => ({ message: e.message, location: at(e.at) }));
  return {
    title,
    created: p.created,
    message: p.message ?? null,
    name: p.name ?? null,
    stages: p.stages.map((s) => ({ name: s.name, jobs: [...s.jobs] })),
    jobs: p.jobs.map((j) => ({
      name: j.name,
      stage: j.stage,
      when: j.when,
      allowFailure: j.allowFailure,
      startIn: j.startIn ?? null,
      needs: j.needs ? [...j.needs] : null,
      location: at(j.src),
      rule: at(j.decidedBy),
    })),
    notCreated: p.notCreated.map((j) => ({
      name: j.name,
      why: NOT_CREATED_REASONS[j.reason],
      location: at(j.src),
      rule: at(j.decidedBy),
    })),
    errors: problems(p.errors),
    warnings: problems(p.warnings),
    children: p.children.map((c) => ({
      job: c.job,
      file: c.file,
      pipeline: pipelineView(folder, `child pipeline of ${c.job} (${c.file})`, c.pipeline),
    })),
  };
}

export function scenarios(list: readonly LabelledScenario[]): ScenariosResult["scenarios"] {
  return list.map(({ label, scenario }) => ({ label, description: scenarioWords(scenario) }));
}

/**
 * A merged view for the client: its text, and each line's source as `[uri index, line, character]` into
 * `uris` (null for a line of its own: a comment), for go-to-definition and hover in the view.
 */
export function mergedView(
  folder: Folder,
  m: MergedAnswer | { error: string },
): { text: string; sources: { uris: string[]; lines: Array<[number, number, number] | null> } } | { error: string } {
  if ("error" in m) return m;
  const uris: string[] = [];
  const index = new Map<string, number>();
  const lines = m.sources.map((l): [number, number, number] | null => {
    if (!l) return null;
    let i = index.get(l.file);
    if (i === undefined) {
      index.set(l.file, (i = uris.length));
      uris.push(folder.uri(l.file));
    }
    return [i, l.range.start.line, l.range.start.character];
  });
  return { text: m.text, sources: { uris, lines } };
}

/** The jobs for the client's picker (name, stage, where), and the job under the cursor. */
export function jobList(folder: Folder | undefined, l: { jobs: readonly JobListItem[]; current?: string }) {
  return {
    jobs: l.jobs.map((j) => j.name),
    items: l.jobs.map((j) => ({
      name: j.name,
      stage: j.stage,
      uri: folder?.uri(j.at.file) ?? "",
      line: j.at.range.start.line,
    })),
    current: l.current,
  };
}
