#!/usr/bin/env node
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  CodeAction,
  CodeActionKind,
  CompletionItemKind,
  createConnection,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  Location,
  ProposedFeatures,
  SymbolKind,
  TextDocuments,
  TextDocumentSyncKind,
  type Diagnostic as LspDiagnostic,
  type DocumentSymbol,
  type InitializeParams,
  type SymbolInformation,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { Engine, type Model, type ProjectAnalysis } from "./engine/engine";
import { dedupe } from "./engine/includes";
import { OverlayHost } from "./engine/memory-host";
import { renderValue } from "./engine/output";
import type { Diagnostic, Src, TextEdit } from "./engine/types";
import { complete } from "./features/completion";
import { definition } from "./features/definitions";
import { hover } from "./features/hover";
import { conversions, daggerCompletion, daggerHover, insertJobActions } from "./features/dagger/actions";
import type { Conversion } from "./features/dagger/convert";
import { moduleEngineVersion } from "./features/dagger/module";
import { LineIndex } from "./engine/text";
import { occurrences, rename } from "./features/find-references";
import { outline, type OutlineSymbol } from "./features/symbols";
import { DiskHost } from "./node/disk-host";
import { effectiveSeverities, mergeRules, readProjectSettings, severityMap, severityRules } from "./node/project-settings";
import { BaselineCache } from "./node/git-baseline";
import { applySeverities, isSeveritySetting, type SeveritySetting } from "./engine/severity";
import { isRule, ruleSettings, withLintsProject, type RuleSetting } from "./lint/registry";

// The language server: the only layer that knows LSP. It keeps the open buffers, runs the
// engine over every root of the workspace (debounced), publishes diagnostics for every file of
// every include graph, and answers requests with the engine's feature functions.

interface Settings {
  ciConfigPath: string;
  roots: string[];
  /** Diagnostic code → severity or "off"; the project's .pipewright.yml comes first, then these. */
  severity: Record<string, SeveritySetting>;
  /** Lint rule id → severity or { severity, ...options }; applied over the project's `rules:`. */
  rules: Record<string, RuleSetting>;
}

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let root = "";
let settings: Settings = { ciConfigPath: ".gitlab-ci.yml", roots: [], severity: {}, rules: {} };
let baseline: BaselineCache | undefined;
let disk: DiskHost | undefined;
let engine: Engine | undefined;
let analyses: ProjectAnalysis[] = [];
/** Per file, the last model in which it parsed: completion runs while the text is half typed. */
const lastGood = new Map<string, Model>();
let published = new Set<string>();
let dirty = true;
let timer: NodeJS.Timeout | undefined;
let hasConfigurationCapability = false;

const relOf = (uri: string): string | undefined => {
  if (!uri.startsWith("file:")) return undefined;
  const rel = path.relative(root, fileURLToPath(uri));
  return rel.startsWith("..") || path.isAbsolute(rel) ? undefined : rel.split(path.sep).join("/");
};
const uriOf = (rel: string) => pathToFileURL(path.join(root, rel)).href;

function models(): Model[] {
  return analyses.flatMap((a) => [a.main, ...a.children.map((c) => c.model)]);
}

function modelFor(file: string): Model | undefined {
  return models().find((m) => m.files.has(file));
}

function rangeOf(src: Src) {
  const lines = models().find((m) => m.files.has(src.file))?.files.get(src.file)?.lines;
  return lines ? lines.range(src.start, src.end) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

/** Source action that adds a job calling one of the workspace module's functions. */
const INSERT_DAGGER_JOB = `${CodeActionKind.Source}.pipewright.insertDaggerJob`;

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, information: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint } as const;

function toLsp(d: Diagnostic): LspDiagnostic {
  return {
    range: rangeOf(d.src),
    severity: SEVERITY[d.severity],
    code: d.code,
    codeDescription: ruleLink(d.code),
    source: "pipewright",
    message: d.message,
    relatedInformation: d.related?.map((r) => ({ location: Location.create(uriOf(r.src.file), rangeOf(r.src)), message: r.message })),
    data: d.fixes ? { fixes: d.fixes.map((f) => ({ title: f.title, edits: f.edits.map((e) => ({ uri: uriOf(e.src.file), range: rangeOf(e.src), newText: e.newText })) })) } : undefined,
  };
}

/** Lint findings link to their rule page, shipped with the extension so it opens offline. */
function ruleLink(code: string): { href: string } | undefined {
  if (!isRule(code)) return undefined;
  const page = path.join(__dirname, "..", "docs", "rules", `${code}.md`);
  return fs.existsSync(page) ? { href: pathToFileURL(page).href } : undefined;
}

/** The project's `.pipewright.yml` first, then the user's settings over it. */
function lintSettings(project: ReturnType<typeof readProjectSettings>, roots: readonly string[]) {
  const rules = mergeRules(project.rules, severityRules(settings.severity), settings.rules);
  return { rules, baselineVariables: () => baseline?.variables(roots), daggerEngineVersion: () => moduleEngineVersion(readProject) };
}

function rootsToAnalyse(): string[] {
  const project = readProjectSettings(root);
  const list = [project.ciConfigPath ?? settings.ciConfigPath, ...settings.roots, ...project.roots].map((r) => r.replace(/^\.?\//, ""));
  return [...new Set(list)].filter((r) => documents.get(uriOf(r)) || fs.existsSync(path.join(root, r)));
}

/** Runs the engine over every root now; cheap when little changed, thanks to its caches. */
function analyse(): void {
  if (!engine || !disk) return;
  clearTimeout(timer);
  dirty = false;
  const started = performance.now();
  void connection.sendNotification("pipewright/analysisStarted", {});
  const overlay = new Map<string, string>();
  for (const doc of documents.all()) {
    const rel = relOf(doc.uri);
    if (rel !== undefined) overlay.set(rel, doc.getText());
  }
  engine.setHost(new OverlayHost(disk, overlay));
  const project = readProjectSettings(root);
  const roots = rootsToAnalyse();
  const lint = lintSettings(project, roots);
  analyses = roots.map((r) => withLintsProject(engine!.analyzeProject({ root: r }), lint));
  for (const m of models()) {
    for (const [f, parsed] of m.files) if (!parsed.diagnostics.some((d) => d.code === "yaml-syntax")) lastGood.set(f, m);
  }
  const byFile = new Map<string, Diagnostic[]>();
  for (const m of models()) {
    for (const f of m.files.keys()) if (!byFile.has(f)) byFile.set(f, []);
    for (const d of m.diagnostics) byFile.get(d.src.file)?.push(d) ?? byFile.set(d.src.file, [d]);
  }
  const now = new Set<string>();
  let errors = 0;
  let warnings = 0;
  const severities = effectiveSeverities({ ...project.severity, ...settings.severity }, lint.rules);
  for (const [file, diags] of byFile) {
    const uri = uriOf(file);
    const unique = applySeverities(dedupe(diags), severities);
    errors += unique.filter((d) => d.severity === "error").length;
    warnings += unique.filter((d) => d.severity === "warning").length;
    now.add(uri);
    void connection.sendDiagnostics({ uri, diagnostics: unique.map(toLsp) });
  }
  for (const uri of published) if (!now.has(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
  published = now;
  const jobs = analyses.reduce((n, a) => n + [...a.main.jobs.values()].filter((j) => j.kind === "job" || j.kind === "bridge").length, 0);
  const files = new Set(models().flatMap((m) => [...m.files.keys()])).size;
  void connection.sendNotification("pipewright/analysisDone", { files, jobs, errors, warnings, ms: Math.round(performance.now() - started) });
}

function schedule(): void {
  dirty = true;
  clearTimeout(timer);
  timer = setTimeout(() => safely("analysis", analyse), 200);
}

/** Answers from a fresh analysis: a request right after a keystroke sees that keystroke. */
function fresh(): void {
  if (dirty) analyse();
}

function safely<T>(what: string, f: () => T): T | null {
  try {
    return f();
  } catch (e) {
    connection.console.error(`pipewright: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return null;
  }
}

function settingsFrom(s: Partial<Settings> | null | undefined): Settings {
  return { ciConfigPath: s?.ciConfigPath || ".gitlab-ci.yml", roots: Array.isArray(s?.roots) ? s!.roots : [], severity: severityMap(s?.severity), rules: ruleSettings(s?.rules, isSeveritySetting) };
}

async function loadSettings(): Promise<void> {
  if (!hasConfigurationCapability) return;
  settings = settingsFrom((await connection.workspace.getConfiguration("pipewright")) as Partial<Settings> | null);
}

connection.onInitialize((params: InitializeParams) => {
  const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
  root = folder ? fileURLToPath(folder) : process.cwd();
  const init = (params.initializationOptions ?? {}) as Partial<Settings>;
  settings = settingsFrom(init);
  hasConfigurationCapability = !!params.capabilities.workspace?.configuration;
  disk = new DiskHost(root);
  baseline = new BaselineCache(root);
  engine = new Engine(disk);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      definitionProvider: true,
      documentSymbolProvider: true,
      workspaceSymbolProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, INSERT_DAGGER_JOB] },
      completionProvider: { triggerCharacters: [" ", "[", ",", "$", "{", "-"] },
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
    },
    serverInfo: { name: "pipewright" },
  };
});

connection.onInitialized(async () => {
  if (hasConfigurationCapability) void connection.client.register(DidChangeConfigurationNotification.type, { section: "pipewright" });
  await safely("settings", loadSettings);
  safely("analysis", analyse);
});

connection.onDidChangeConfiguration(async (change) => {
  // clients without workspace/configuration push the settings with the notification
  if (!hasConfigurationCapability) settings = settingsFrom((change.settings as { pipewright?: Partial<Settings> } | null)?.pipewright);
  else await safely("settings", loadSettings);
  schedule();
});

connection.onDidChangeWatchedFiles(() => {
  disk?.invalidate();
  schedule();
});

documents.onDidChangeContent(() => schedule());
documents.onDidClose(() => schedule());

connection.onHover((p) =>
  safely("hover", () => {
    fresh();
    const file = relOf(p.textDocument.uri);
    const model = file !== undefined ? modelFor(file) : undefined;
    if (!model || file === undefined) return null;
    const parsed = model.files.get(file)!;
    const offset = parsed.lines.offset(p.position);
    const call = daggerHover(parsed.text, offset, readProject);
    if (call) return { contents: { kind: "markdown" as const, value: call.markdown }, range: parsed.lines.range(call.start, call.end) };
    const h = hover(model, file, offset);
    return h ? { contents: { kind: "markdown" as const, value: h.markdown }, range: rangeOf(h.src) } : null;
  }),
);

connection.onDefinition((p) =>
  safely("definition", () => {
    fresh();
    const file = relOf(p.textDocument.uri);
    const model = file !== undefined ? modelFor(file) : undefined;
    if (!model || file === undefined) return null;
    const offset = model.files.get(file)!.lines.offset(p.position);
    return definition(model, file, offset).map((src) => Location.create(uriOf(src.file), src.start === 0 && src.end === 0 ? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } : rangeOf(src)));
  }),
);

const COMPLETION_KIND = { keyword: CompletionItemKind.Property, job: CompletionItemKind.Function, template: CompletionItemKind.Class, stage: CompletionItemKind.EnumMember, file: CompletionItemKind.File, key: CompletionItemKind.Field, variable: CompletionItemKind.Variable } as const;

connection.onCompletion((p) =>
  safely("completion", () => {
    const file = relOf(p.textDocument.uri);
    const doc = documents.get(p.textDocument.uri);
    if (file === undefined || !doc) return [];
    if (dirty) analyse();
    const calls = daggerCompletion(doc.getText(), doc.offsetAt(p.position), readProject);
    if (calls.length) {
      return calls.map((c) => ({
        label: c.label,
        kind: c.kind === "function" ? CompletionItemKind.Method : CompletionItemKind.Property,
        detail: c.detail,
        documentation: c.documentation,
        textEdit: { range: { start: doc.positionAt(c.start), end: doc.positionAt(c.end) }, newText: c.insertText },
      }));
    }
    const model = lastGood.get(file) ?? modelFor(file) ?? analyses[0]?.main;
    if (!model) return [];
    return complete(model, file, doc.getText(), doc.offsetAt(p.position), () => disk?.listFiles() ?? []).map((c) => ({
      label: c.label,
      kind: COMPLETION_KIND[c.kind],
      detail: c.detail,
      documentation: c.documentation ? { kind: "markdown" as const, value: c.documentation } : undefined,
      sortText: `${String(c.rank).padStart(3, "0")}${c.label}`,
    }));
  }) ?? [],
);

connection.onCodeAction((p) =>
  safely("code actions", () => {
    const actions: CodeAction[] = [];
    for (const d of p.context.diagnostics) {
      const fixes = (d.data as { fixes?: Array<{ title: string; edits: Array<{ uri: string; range: LspDiagnostic["range"]; newText: string }> }> } | undefined)?.fixes ?? [];
      for (const f of fixes) {
        const changes: Record<string, Array<{ range: LspDiagnostic["range"]; newText: string }>> = {};
        for (const e of f.edits) (changes[e.uri] ??= []).push({ range: e.range, newText: e.newText });
        actions.push({ title: f.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: fixes.length === 1, edit: { changes } });
      }
    }
    const file = relOf(p.textDocument.uri);
    const model = file !== undefined ? modelFor(file) : undefined;
    if (model && file !== undefined) {
      const offset = model.files.get(file)!.lines.offset(p.range.start);
      const wants = (kind: string) => !p.context.only || p.context.only.some((k) => kind === k || kind.startsWith(`${k}.`));
      if (wants(CodeActionKind.RefactorRewrite)) for (const c of conversions(model, file, offset, readProject)) actions.push({ title: c.title, kind: CodeActionKind.RefactorRewrite, edit: conversionEdit(model, c) });
      if (wants(INSERT_DAGGER_JOB) && p.context.only) for (const a of insertJobActions(model, file, readProject)) actions.push({ title: a.title, kind: INSERT_DAGGER_JOB, edit: textEdits(model, a.edits) });
    }
    return actions;
  }),
);

/** Files of the project as the editor sees them: unsaved buffers first (the Dagger module's source too). */
const readProject = (rel: string): string | undefined => documents.get(uriOf(rel))?.getText() ?? disk?.readFile(rel);

function textEdits(model: Model, edits: readonly TextEdit[]) {
  const changes: Record<string, Array<{ range: LspDiagnostic["range"]; newText: string }>> = {};
  for (const e of edits) (changes[uriOf(e.src.file)] ??= []).push({ range: model.files.get(e.src.file)!.lines.range(e.src.start, e.src.end), newText: e.newText });
  return { changes };
}

/** One workspace edit: new module files created with their text, the CI files and the module source edited. */
function conversionEdit(model: Model, c: Conversion) {
  const documentChanges: Array<unknown> = [];
  for (const [rel, text] of Object.entries(c.createFiles)) {
    if (readProject(rel) !== undefined) continue;
    documentChanges.push({ kind: "create", uri: uriOf(rel), options: { ignoreIfExists: true } });
    documentChanges.push({ textDocument: { uri: uriOf(rel), version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: text }] });
  }
  const byFile = new Map<string, TextEdit[]>();
  for (const e of [...c.configEdits, ...c.moduleEdits]) byFile.set(e.src.file, [...(byFile.get(e.src.file) ?? []), e]);
  for (const [rel, edits] of byFile) {
    const lines = model.files.get(rel)?.lines ?? new LineIndex(readProject(rel) ?? "");
    documentChanges.push({ textDocument: { uri: uriOf(rel), version: null }, edits: edits.map((e) => ({ range: lines.range(e.src.start, e.src.end), newText: e.newText })) });
  }
  return { documentChanges } as never;
}

function occurrencesAt(p: { textDocument: { uri: string }; position: { line: number; character: number } }) {
  fresh();
  const file = relOf(p.textDocument.uri);
  const model = file !== undefined ? modelFor(file) : undefined;
  if (!model || file === undefined) return undefined;
  return { model, file, offset: model.files.get(file)!.lines.offset(p.position) };
}

connection.onReferences((p) =>
  safely("references", () => {
    const at = occurrencesAt(p);
    const occ = at && occurrences(at.model, at.file, at.offset);
    return occ ? occ.places.map((src) => Location.create(uriOf(src.file), rangeOf(src))) : [];
  }),
);

connection.onPrepareRename((p) =>
  safely("prepare rename", () => {
    const at = occurrencesAt(p);
    const occ = at && occurrences(at.model, at.file, at.offset);
    const here = occ?.places.find((s) => s.file === at!.file && s.start <= at!.offset && at!.offset <= s.end);
    return here ? { range: rangeOf(here), placeholder: occ!.name } : null;
  }),
);

connection.onRenameRequest((p) =>
  safely("rename", () => {
    const at = occurrencesAt(p);
    const edits = at && rename(at.model, at.file, at.offset, p.newName);
    if (!edits) return null;
    const changes: Record<string, Array<{ range: ReturnType<typeof rangeOf>; newText: string }>> = {};
    for (const e of edits) (changes[uriOf(e.src.file)] ??= []).push({ range: rangeOf(e.src), newText: e.newText });
    return { changes };
  }),
);

const SYMBOL_KIND = { stage: SymbolKind.Namespace, job: SymbolKind.Function, hidden: SymbolKind.Class, keyword: SymbolKind.Property, anchor: SymbolKind.Constant, group: SymbolKind.Package } as const;

function toDocumentSymbol(s: OutlineSymbol): DocumentSymbol {
  return { name: s.name, detail: s.detail, kind: SYMBOL_KIND[s.kind], range: rangeOf(s.range), selectionRange: rangeOf(s.selection), children: s.children?.map(toDocumentSymbol) };
}

connection.onDocumentSymbol((p) =>
  safely("document symbols", () => {
    fresh();
    const file = relOf(p.textDocument.uri);
    const model = file !== undefined ? modelFor(file) : undefined;
    return model && file !== undefined ? outline(model, file).map(toDocumentSymbol) : [];
  }),
);

connection.onWorkspaceSymbol((p) =>
  safely("workspace symbols", () => {
    fresh();
    const q = p.query.toLowerCase();
    const out: SymbolInformation[] = [];
    const seen = new Set<string>();
    for (const m of models()) {
      for (const f of m.files.values()) {
        if (f.content?.kind !== "map") continue;
        for (const e of f.content.entries.values()) {
          const key = `${f.path}\u0000${e.key}`;
          if (seen.has(key) || !e.key.toLowerCase().includes(q) || e.value.via?.[0]?.kind === "merge-key") continue;
          seen.add(key);
          const kind = m.jobs.get(e.key)?.kind === "hidden" ? SymbolKind.Class : SymbolKind.Function;
          out.push({ name: e.key, kind, location: Location.create(uriOf(f.path), rangeOf(e.keySrc)) });
        }
      }
    }
    return out;
  }),
);

connection.onRequest("pipewright/merged", (p: { uri?: string; job?: string }) =>
  safely("merged view", () => {
    fresh();
    const file = p.uri ? relOf(p.uri) : undefined;
    const model = (file !== undefined ? modelFor(file) : undefined) ?? analyses[0]?.main;
    if (!model) return { error: "no GitLab CI configuration found in this workspace" };
    if (p.job) {
      const job = model.effectiveJob(p.job);
      return job ? { text: `# effective definition of job "${p.job}" (pipewright)\n` + renderValue(job, "yaml") } : { error: `no job named "${p.job}"` };
    }
    return { text: `# merged configuration of ${model.root} (pipewright)\n` + renderValue(model.merged, "yaml") };
  }) ?? { error: "the merged view failed; see the server log" },
);

connection.onRequest("pipewright/jobs", (p: { uri?: string }) =>
  safely("jobs", () => {
    fresh();
    const file = p.uri ? relOf(p.uri) : undefined;
    const model = (file !== undefined ? modelFor(file) : undefined) ?? analyses[0]?.main;
    return { jobs: model ? [...model.jobs.values()].filter((j) => j.kind === "job" || j.kind === "bridge").map((j) => j.name) : [] };
  }) ?? { jobs: [] },
);

process.on("uncaughtException", (e) => connection.console.error(`pipewright: ${e.stack ?? e.message}`));

documents.listen(connection);
connection.listen();
