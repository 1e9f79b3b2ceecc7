// The VS Code side of Pipewright: starts the language server (dist/server.js) over IPC,
// gives files matching `pipewright.filePatterns` the `gitlab-ci` language, and adds the
// merged-configuration views, the pipeline view, the status bar item and the log. All analysis happens in the server.
import * as vscode from "vscode";
import {
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";
import type { ProjectSummary } from "../../server/src/lsp/analysis";
import {
  WRITE_RUNNER_COMMAND,
  type RunnerCommandParams,
  type RunnerCommandResult,
} from "../../server/src/lsp/dagger-protocol";
import type { PipelineResult, ScenariosResult } from "../../server/src/lsp/pipeline-protocol";
import { askCredentials, storedCredentials } from "./credentials";
import { DOCS_ANCHOR, DOCS_PAGE, docsPage, SHOW_DOCS, showDocsQuery } from "./docs-links";
import { PipelineView, type PipelineRequest } from "./pipeline-view";

const LANGUAGE_ID = "gitlab-ci";
const MERGED_SCHEME = "pipewright-merged";

/** Server notifications and requests (the server's side is in server/src/server.ts). */
interface AnalysisDone {
  files: number;
  jobs: number;
  ms: number;
  errors: number;
  warnings: number;
  /** Each project's counts, innermost first (lsp/analysis.ts ProjectSummary). */
  projects: ProjectSummary[];
}
type MergedResult =
  { text: string; sources?: { uris: string[]; lines: Array<[number, number, number] | null> } } | { error: string };
interface JobList {
  jobs: string[];
  items: Array<{ name: string; stage: string; uri: string; line: number }>;
  current?: string;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath("dist/server.js");
  // the server keeps V8's compiled code of its bundle there, so it starts without compiling it again
  const args = ["--cache-dir", context.globalStorageUri.fsPath];
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, args },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      args,
      options: { execArgv: ["--nolazy", "--inspect=6009"] },
    },
  };
  // the language client's log and the server's (connection.console), shown by Pipewright: Show log
  const output = vscode.window.createOutputChannel("Pipewright");
  context.subscriptions.push(output);
  const clientOptions: LanguageClientOptions = {
    outputChannel: output,
    // the folder VS Code gives this extension for its own data: the server keeps parsed files
    // there between sessions (it reads and writes nothing else outside the project)
    // trusted: in Restricted Mode the server reads no include cache and fetches nothing; credentials:
    // the token for external includes and the one instance it may be sent to
    initializationOptions: {
      cacheDir: context.globalStorageUri.fsPath,
      trusted: vscode.workspace.isTrusted,
      credentials: await storedCredentials(context.secrets),
    },
    // Every YAML file goes to the server, which decides which ones belong to a CI config
    // (a job file included from .gitlab-ci.yml may have any name). Files on disk only: the
    // merged views (scheme pipewright-merged) and untitled buffers are not part of a config.
    documentSelector: [
      { scheme: "file", language: LANGUAGE_ID },
      { scheme: "file", language: "yaml" },
    ],
    // files changed on disk: the server registers its own watchers (workspace/didChangeWatchedFiles)
    synchronize: { configurationSection: "pipewright" },
    middleware: {
      // a code's link to its page in this extension's docs/ opens the page rendered (docs-links.ts); the
      // diagnostics are changed in place, so they keep what the client keeps with them (data: the fixes)
      handleDiagnostics(uri, diagnostics, next) {
        for (const d of diagnostics) {
          const target = typeof d.code === "object" ? d.code.target : undefined;
          const page = target?.scheme === "file" ? docsPage(context.extensionUri.fsPath, target.fsPath) : undefined;
          if (page && typeof d.code === "object")
            d.code = {
              value: d.code.value,
              target: vscode.Uri.from({
                scheme: "command",
                path: SHOW_DOCS,
                query: showDocsQuery(page, target?.fragment),
              }),
            };
        }
        next(uri, diagnostics);
      },
    },
  };
  client = new LanguageClient("pipewright", "Pipewright", serverOptions, clientOptions);
  const lc = client;

  // ---- status bar: spinning while the server analyses, then the counts
  const status = vscode.window.createStatusBarItem("pipewright.status", vscode.StatusBarAlignment.Left, 10);
  status.name = "Pipewright";
  status.command = "pipewright.showMergedConfiguration";
  status.text = "$(sync~spin) Pipewright";
  status.tooltip = "Pipewright: starting the language server";
  status.show();
  context.subscriptions.push(status);

  // ---- the log (the output channel above) and a restart, for when the server is stuck or was updated
  context.subscriptions.push(
    vscode.commands.registerCommand("pipewright.restartServer", async () => {
      status.text = "$(sync~spin) Pipewright";
      status.tooltip = "Pipewright: restarting the language server";
      output.appendLine("Pipewright: restarting the language server");
      try {
        await lc.restart();
      } catch (e) {
        status.text = "$(error) Pipewright";
        const why = e instanceof Error ? e.message : String(e);
        status.tooltip = `Pipewright: the language server did not restart: ${why}`;
        output.show(true);
      }
    }),
    vscode.commands.registerCommand("pipewright.showLog", () => output.show(true)),
  );

  // ---- a diagnostic's rule page (docs/rules/<id>.md, shipped in the extension) in the Markdown preview; the
  // raw file where the preview is not there (the built-in Markdown extension disabled)
  context.subscriptions.push(
    vscode.commands.registerCommand(SHOW_DOCS, async (page?: unknown, anchor?: unknown) => {
      if (typeof page !== "string" || !DOCS_PAGE.test(page)) return;
      const fragment = typeof anchor === "string" && DOCS_ANCHOR.test(anchor) ? anchor : "";
      // the Markdown preview starts scrolled to the element its URI's fragment names
      const uri = vscode.Uri.joinPath(context.extensionUri, ...page.split("/")).with({ fragment });
      try {
        await vscode.commands.executeCommand("markdown.showPreview", uri);
      } catch {
        await vscode.window.showTextDocument(uri);
      }
    }),
  );

  // ---- merged views: read-only virtual documents, refreshed after each analysis
  const merged = new MergedContentProvider(lc);
  context.subscriptions.push(merged, vscode.workspace.registerTextDocumentContentProvider(MERGED_SCHEME, merged));

  lc.onNotification("pipewright/analysisStarted", () => {
    status.text = "$(sync~spin) Pipewright";
    status.tooltip = "Pipewright: analysing the CI configuration";
  });
  // the counts of the active file's project (the innermost whose folder holds it); nothing in a file of no
  // GitLab CI project, so a workspace without GitLab CI does not read "0 jobs, 0 errors"
  let last: AnalysisDone | undefined;
  const showStatus = () => {
    if (!last) return;
    const doc = vscode.window.activeTextEditor?.document.uri;
    const withConfig = last.projects.filter((p) => p.files > 0);
    let project: ProjectSummary | undefined;
    if (doc?.scheme === "file") {
      const at = doc.toString();
      project = last.projects.find((p) => at.startsWith(p.uri.endsWith("/") ? p.uri : `${p.uri}/`));
      if (!project || project.files === 0) return status.hide();
    } else {
      // no file in front (a panel, a merged view): the project with a configuration nearest the top
      project = withConfig[withConfig.length - 1];
      if (!project) return status.hide();
    }
    status.text = `Pipewright: ${plural(project.jobs, "job")}, ${plural(project.errors, "error")}`;
    status.tooltip =
      `Pipewright${withConfig.length > 1 ? ` (${project.name})` : ""}: ${plural(project.files, "file")}, ` +
      `${plural(project.jobs, "job")}, ${plural(project.errors, "error")}, ${plural(project.warnings, "warning")} ` +
      `(analysed in ${last.ms} ms).\nClick to show the merged configuration.`;
    status.show();
  };
  context.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(showStatus));
  lc.onNotification("pipewright/analysisDone", (p: AnalysisDone) => {
    last = { ...p, projects: p.projects ?? [] };
    showStatus();
    adoptAll();
    merged.refreshAll();
    void pipelines.refresh();
  });

  context.subscriptions.push(
    vscode.commands.registerCommand("pipewright.showMergedConfiguration", () => showMerged(sourceUri())),
    vscode.commands.registerCommand("pipewright.showMergedJob", async (job?: string) => {
      const source = sourceUri();
      if (typeof job !== "string" || !job) {
        // the job under the cursor, else a pick of every job with its stage and where it is defined
        const editor = vscode.window.activeTextEditor;
        const position = editor?.document.uri.scheme === "file" ? editor.selection.active : undefined;
        const list = await lc.sendRequest<JobList>("pipewright/jobs", {
          uri: source ? lc.code2ProtocolConverter.asUri(source) : undefined,
          position: position ? { line: position.line, character: position.character } : undefined,
        });
        if (list.current) return showMerged(source, list.current);
        if (!list.items.length) {
          void vscode.window.showInformationMessage("Pipewright: no jobs found in the CI configuration.");
          return undefined;
        }
        const picked = await vscode.window.showQuickPick(
          list.items.map((j) => ({
            label: j.name,
            description: j.stage,
            detail: `${vscode.workspace.asRelativePath(vscode.Uri.parse(j.uri))}:${j.line + 1}`,
          })),
          { title: "Pipewright: Show merged job", placeHolder: "Job name, stage or file", matchOnDescription: true },
        );
        if (!picked) return undefined;
        job = picked.label;
      }
      return showMerged(source, job);
    }),
    // in a merged view, F12 and hover lead to where each value is written
    vscode.languages.registerDefinitionProvider(
      { scheme: MERGED_SCHEME },
      {
        provideDefinition: (doc, position) => merged.sourceAt(doc.uri, position.line),
      },
    ),
    vscode.languages.registerHoverProvider(
      { scheme: MERGED_SCHEME },
      {
        provideHover: (doc, position) => {
          const at = merged.sourceAt(doc.uri, position.line);
          if (!at) return undefined;
          const place = `${vscode.workspace.asRelativePath(at.uri)}:${at.range.start.line + 1}`;
          const link = at.uri.with({ fragment: `L${at.range.start.line + 1}` }).toString();
          return new vscode.Hover(new vscode.MarkdownString(`Written at [${place}](${link})`));
        },
      },
    ),
  );

  // ---- the GitLab token for external includes; trusting the workspace restarts the server with fetching allowed
  context.subscriptions.push(
    vscode.commands.registerCommand("pipewright.setGitLabToken", async () => {
      const answer = await askCredentials(context.secrets);
      if (!answer) return;
      await lc.sendNotification("pipewright/credentials", answer.stored ?? {});
      void vscode.window.showInformationMessage(
        answer.stored ? `Pipewright: token stored for ${answer.stored.gitlabUrl}.` : "Pipewright: token forgotten.",
      );
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void lc.restart()),
  );

  // ---- the pipeline view: a scenario picked (or typed as `pipewright pipeline` flags), drawn, kept up to date
  const pipelines = new PipelineView(
    (request) =>
      lc.sendRequest<PipelineResult>("pipewright/pipeline", {
        uri: sourceUri() ? lc.code2ProtocolConverter.asUri(sourceUri()!) : undefined,
        ...request,
      }),
    (location) => openLocation(location),
  );
  context.subscriptions.push(
    pipelines,
    vscode.commands.registerCommand("pipewright.showPipeline", async (request?: PipelineRequest) => {
      const picked = request ?? (await pickScenario(lc));
      if (!picked) return undefined;
      await pipelines.show(picked);
      return pipelines.lastData;
    }),
  );

  // ---- the CodeLens above each job: which scenarios run it, and which rule decided, to jump to
  context.subscriptions.push(
    vscode.commands.registerCommand("pipewright.explainJob", async (arg?: ExplainJob) => {
      if (!arg?.decisions?.length) return;
      const items = arg.decisions.map((d) => ({
        label: `${d.label}: ${describeDecision(d)}`,
        description: d.location
          ? `${vscode.workspace.asRelativePath(vscode.Uri.parse(d.location.uri))}:${d.location.range.start.line + 1}`
          : "",
        detail: d.why ?? undefined,
        location: d.location,
      }));
      const picked = await vscode.window.showQuickPick(items, {
        title: `Pipewright: where ${arg.job} runs, and why`,
        placeHolder: "Pick one to go to the rule that decided",
      });
      if (picked?.location) await openLocation(picked.location);
    }),
  );

  // ---- the CodeLens above each template and rule set: the jobs that use it, in VS Code's references peek
  context.subscriptions.push(
    vscode.commands.registerCommand(
      "pipewright.showUsedBy",
      async (uri?: string, position?: LspPosition, name?: string) => {
        if (typeof uri !== "string" || !position || typeof name !== "string") return;
        const locations = await lc.sendRequest<Location[]>("pipewright/usedBy", { uri, name });
        const p2c = lc.protocol2CodeConverter;
        // an empty list (`used by no job`) opens the peek, which then says there are none
        await vscode.commands.executeCommand(
          "editor.action.showReferences",
          p2c.asUri(uri),
          p2c.asPosition(position),
          locations.map((l) => p2c.asLocation(l)),
        );
      },
    ),
  );

  // ---- the runner side of the jobs converted to Dagger for the Kubernetes executor: the server makes the edit and
  // asks VS Code to apply it, which shows it in its Refactor Preview first (docs/dagger-kubernetes.md)
  context.subscriptions.push(
    vscode.commands.registerCommand("pipewright.writeDaggerKubernetesRunner", async () => {
      const active = vscode.window.activeTextEditor?.document.uri;
      const at = active?.scheme === "file" ? active : vscode.workspace.workspaceFolders?.[0]?.uri;
      const params: RunnerCommandParams = { uri: at ? lc.code2ProtocolConverter.asUri(at) : undefined };
      const result = (await lc.sendRequest(ExecuteCommandRequest.type, {
        command: WRITE_RUNNER_COMMAND,
        arguments: [params],
      })) as RunnerCommandResult | null;
      if (!result) return;
      if ("error" in result) {
        void vscode.window.showErrorMessage(`Pipewright: ${result.error}.`);
        return;
      }
      const kept = result.kept.length ? ` Kept ${result.kept.join(", ")}, which differ.` : "";
      if (result.applied) {
        const written = result.files.filter((f) => f.status !== "same").length;
        void vscode.window.showInformationMessage(
          `Pipewright: ${plural(written, "manifest")} written in ${result.folder}: see runner.yaml before ` +
            `kubectl apply -k ${result.folder}.${kept}`,
        );
      } else if (result.files.every((f) => f.status === "same"))
        void vscode.window.showInformationMessage(`Pipewright: the manifests in ${result.folder} are up to date.`);
      else
        void vscode.window.showInformationMessage(
          `Pipewright: nothing written${result.reason ? ` (${result.reason})` : ""}.${kept}`,
        );
    }),
  );

  // ---- pipewright.filePatterns: user globs that also mean "this YAML file is GitLab CI"
  const applyPatterns = (doc: vscode.TextDocument) => {
    if (doc.languageId === "yaml" && doc.uri.scheme === "file" && matchesUserPattern(doc)) {
      void vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
    }
  };
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(applyPatterns),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("pipewright.filePatterns")) vscode.workspace.textDocuments.forEach(applyPatterns);
    }),
  );
  vscode.workspace.textDocuments.forEach(applyPatterns);

  // ---- a YAML file a configuration includes is GitLab CI whatever its name (`ci/build.yml`): once the server
  // says so, it becomes one, so that its grammar is ours and a YAML extension's "Unresolved tag: !reference"
  // stops appearing beside our findings
  const asked = new Set<string>();
  const adopt = async (doc: vscode.TextDocument) => {
    if (doc.languageId !== "yaml" || doc.uri.scheme !== "file" || asked.has(doc.uri.toString())) return;
    asked.add(doc.uri.toString());
    const uri = lc.code2ProtocolConverter.asUri(doc.uri);
    if (await lc.sendRequest<boolean>("pipewright/inConfig", { uri }).catch(() => false))
      await vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
    else asked.delete(doc.uri.toString()); // an include added later makes it one: asked again after analyses
  };
  const adoptAll = () => vscode.workspace.textDocuments.forEach((d) => void adopt(d));
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument((d) => void adopt(d)));

  try {
    await lc.start();
  } catch (e) {
    status.text = "$(error) Pipewright";
    status.tooltip = `Pipewright: the language server did not start: ${e instanceof Error ? e.message : String(e)}`;
    throw e;
  }
}

interface ExplainJob {
  job: string;
  decisions: Array<{
    label: string;
    outcome: "runs" | "skipped" | "no-pipeline";
    when: string | null;
    allowFailure: boolean | null;
    why: string | null;
    location: {
      uri: string;
      range: { start: { line: number; character: number }; end: { line: number; character: number } };
    } | null;
  }>;
}

type LspPosition = { line: number; character: number };
type Location = { uri: string; range: { start: LspPosition; end: LspPosition } };

async function openLocation({ uri, range }: Location): Promise<void> {
  const start = new vscode.Position(range.start.line, range.start.character);
  const end = new vscode.Position(range.end.line, range.end.character);
  await vscode.window.showTextDocument(vscode.Uri.parse(uri), {
    selection: new vscode.Range(start, end),
    viewColumn: vscode.ViewColumn.One,
  });
}

/** The editor's scenarios in a QuickPick, and a last item to type one as `pipewright pipeline` flags. */
async function pickScenario(lc: LanguageClient): Promise<PipelineRequest | undefined> {
  const source = sourceUri();
  const { scenarios } = await lc.sendRequest<ScenariosResult>("pipewright/scenarios", {
    uri: source ? lc.code2ProtocolConverter.asUri(source) : undefined,
  });
  const typeOne = { label: "$(edit) Other…", description: "flags of pipewright pipeline: --tag v1.2 --var DEPLOY=1" };
  const picked = await vscode.window.showQuickPick([...scenarios, typeOne], {
    title: "Pipewright: Show pipeline",
    placeHolder: "Which pipeline?",
  });
  if (!picked) return undefined;
  if (picked !== typeOne) return { scenario: picked.label };
  const args = await vscode.window.showInputBox({
    title: "Pipewright: Show pipeline",
    prompt: "The situation, as flags of pipewright pipeline",
    placeHolder: "--source merge_request_event --branch feature --changed doc/index.md",
  });
  return args === undefined ? undefined : { args };
}

function describeDecision(d: ExplainJob["decisions"][number]): string {
  if (d.outcome === "no-pipeline") return "no pipeline is created";
  if (d.outcome === "skipped") return `not created${d.why ? ` (${d.why})` : ""}`;
  return `runs, ${d.when ?? "on_success"}${d.allowFailure ? ", allowed to fail" : ""}`;
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The CI file the merged views are computed for: the active editor's, if it is YAML on disk. */
function sourceUri(): vscode.Uri | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc) return undefined;
  if (doc.uri.scheme === MERGED_SCHEME) return MergedContentProvider.parse(doc.uri).source;
  if (doc.uri.scheme === "file" && (doc.languageId === LANGUAGE_ID || doc.languageId === "yaml")) return doc.uri;
  return undefined;
}

async function showMerged(source: vscode.Uri | undefined, job?: string): Promise<vscode.Uri> {
  const uri = MergedContentProvider.uri(source, job);
  const doc = await vscode.workspace.openTextDocument(uri);
  if (doc.languageId !== "yaml") await vscode.languages.setTextDocumentLanguage(doc, "yaml");
  await vscode.window.showTextDocument(uri, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  return uri;
}

/**
 * Documents `pipewright-merged:/<title>.yml?<query>`: the query carries the source file and
 * the job (if any); the text comes from the server's `pipewright/merged` request.
 */
class MergedContentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** Each open view's line sources, as the server gave them with its text. */
  private readonly sources = new Map<string, { uris: string[]; lines: Array<[number, number, number] | null> }>();

  constructor(private readonly lc: LanguageClient) {}

  /** Where the value on a line of a merged view is written. */
  sourceAt(view: vscode.Uri, line: number): vscode.Location | undefined {
    const s = this.sources.get(view.toString());
    const at = s?.lines[line];
    if (!s || !at) return undefined;
    const position = new vscode.Position(at[1], at[2]);
    return new vscode.Location(this.lc.protocol2CodeConverter.asUri(s.uris[at[0]]), position);
  }

  static uri(source: vscode.Uri | undefined, job?: string): vscode.Uri {
    const title = job ? `Merged job ${job.replace(/[/\\]/g, "_")}.yml` : "Merged configuration.yml";
    const query = JSON.stringify({ source: source?.toString(), job });
    return vscode.Uri.from({ scheme: MERGED_SCHEME, path: `/${title}`, query });
  }

  static parse(uri: vscode.Uri): { source?: vscode.Uri; job?: string } {
    try {
      const q = JSON.parse(uri.query) as { source?: string; job?: string };
      return { source: q.source ? vscode.Uri.parse(q.source) : undefined, job: q.job };
    } catch {
      return {};
    }
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const { source, job } = MergedContentProvider.parse(uri);
    const params = { uri: source ? this.lc.code2ProtocolConverter.asUri(source) : undefined, job };
    try {
      const r = await this.lc.sendRequest<MergedResult>("pipewright/merged", params, token);
      if (!("text" in r)) return `# Pipewright could not compute this view:\n# ${r.error.replace(/\n/g, "\n# ")}\n`;
      if (r.sources) this.sources.set(uri.toString(), r.sources);
      return r.text;
    } catch (e) {
      return `# Pipewright: the language server did not answer: ${e instanceof Error ? e.message : String(e)}\n`;
    }
  }

  refreshAll(): void {
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme === MERGED_SCHEME && !doc.isClosed) this.changed.fire(doc.uri);
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Does `doc` match one of the globs of `pipewright.filePatterns` (like files.associations)? */
function matchesUserPattern(doc: vscode.TextDocument): boolean {
  const uri = doc.uri;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const patterns = vscode.workspace.getConfiguration("pipewright", uri).get<string[]>("filePatterns") ?? [];
  for (const p of patterns) {
    if (typeof p !== "string" || !p) continue;
    // a pattern without a slash names files anywhere (as in files.associations); one with a
    // slash is relative to the workspace folder, or absolute
    const glob = p.includes("/") ? p.replace(/^\.\//, "") : `**/${p}`;
    const pattern = folder && !p.startsWith("/") ? new vscode.RelativePattern(folder, glob) : glob;
    if (vscode.languages.match({ pattern, scheme: "file" }, doc) > 0) return true;
  }
  return false;
}
