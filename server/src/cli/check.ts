import * as fs from "node:fs";
import * as path from "node:path";
import { version as VERSION } from "../../../package.json";
import { DEFAULT_ROOT } from "../engine/engine";
import { remoteIncludesFor } from "../node/remote-credentials";
import { nodeIO } from "../node/node-io";
import type { PositionedDiagnostic } from "../workspace/diagnostics";
import { PROJECT_SETTINGS_FILE } from "../workspace/settings";
import { Workspace, type Analysis, type RootAnalysis } from "../workspace/workspace";
import { UsageError, type Args } from "./args";
import { unifiedDiff } from "./diff";
import { fixInWorkspace, type FixResult } from "./fix";
import { codeQualityReport } from "./formats/codequality";
import type { ReportFinding } from "./formats/finding";
import { githubAnnotations } from "./formats/github";
import { sarifReport } from "./formats/sarif";
import { err, out } from "./output";
import type { Target } from "./project";
import { findingText, plural, shownPath, wantsColor, type TextStyle } from "./text";

// `pipewright check` over one project or several: each analysed by a Workspace of its own, fixed when
// asked (cli/fix.ts), then reported together — as text (cli/text.ts) or one of the machine formats —
// with a summary on stderr and the exit status: 1 for an error or too many warnings.

export interface Opened {
  readonly workspace: Workspace;
  readonly analysis: Analysis;
  readonly first: RootAnalysis;
}

/** A Workspace over a project, analysed (external includes fetched when asked); a missing root is a usage error. */
export async function openProject(target: Target, args: Args): Promise<Opened> {
  const remote = remoteIncludesFor(process.env, { gitlabUrl: args.gitlabUrl });
  const workspace = new Workspace(nodeIO(target.dir, { remoteIncludes: remote }), {
    roots: target.roots,
    baseline: "now",
    remoteIncludes: args.remote,
    gitlabUrl: args.gitlabUrl,
  });
  // the CLI has no user settings of its own: --rule takes their place, over .pipewright.yml
  if (Object.keys(args.rules).length) workspace.setUserSettings({ severity: args.rules });
  const analysis = await workspace.analyzeSettled();
  const first = analysis.roots[0];
  if (!first || (target.rootFlag && analysis.missingRoots.length)) {
    const missing = analysis.missingRoots[0] ?? DEFAULT_ROOT;
    throw new UsageError(
      target.rootFlag
        ? `no ${missing} in ${target.name}`
        : `no ${missing} in ${target.name}, and no roots in its ${PROJECT_SETTINGS_FILE}`,
      true,
      args.command,
    );
  }
  return { workspace, analysis, first };
}

interface Checked {
  readonly target: Target;
  readonly analysis: Analysis;
  readonly first: RootAnalysis;
  /** Every finding after fixing, before --quiet. */
  readonly all: readonly PositionedDiagnostic[];
  readonly fixes?: FixResult;
}

export async function check(args: Args, targets: readonly Target[]): Promise<number> {
  const reported = (d: PositionedDiagnostic) => !args.quiet || d.severity === "error";
  const checked: Checked[] = [];
  for (const target of targets) {
    const opened = await openProject(target, args);
    const workspace = opened.workspace;
    let { analysis, first } = opened;
    let fixes: FixResult | undefined;
    if (args.fix) {
      fixes = fixInWorkspace(workspace, reported);
      if (args.fix === "write" && fixes.files.size) {
        for (const [file, f] of fixes.files) writeInside(target.dir, file, f.after);
        for (const file of fixes.files.keys()) workspace.closeDocument(file);
        workspace.filesChanged([...fixes.files.keys()]);
      }
      analysis = await workspace.analyzeSettled();
      first = analysis.roots[0] ?? first;
    }
    checked.push({ target, analysis, first, all: workspace.diagnostics(), fixes });
  }
  const several = targets.length > 1;
  const text = !args.format || args.format === "text";
  if (args.fix) reportFixes(args, checked);
  if (args.fix !== "dry-run" || args.output !== undefined) {
    const tty = args.output === undefined && process.stdout.isTTY === true;
    const report = text
      ? textReport(checked, reported, {
          color: args.output === undefined && wantsColor(args.color, tty, process.env),
          related: tty,
          cwdPaths: tty || several,
        })
      : machineReport(
          args.format!,
          checked.flatMap((c) => c.all.filter(reported).map((d) => asJson(d, several ? c.target.prefix : ""))),
        );
    if (args.output !== undefined) fs.writeFileSync(args.output, report);
    else out(report);
  }
  if (text || args.fix) err(summary(checked, args.quiet));
  const all = checked.flatMap((c) => c.all);
  const warnings = all.filter((d) => d.severity === "warning").length;
  if (args.maxWarnings !== undefined && warnings > args.maxWarnings) {
    err(`pipewright: ${plural(warnings, "warning")}, more than --max-warnings ${args.maxWarnings} allows\n`);
    return 1;
  }
  return all.some((d) => d.severity === "error") ? 1 : 0;
}

/** Writes a fixed file, only inside the project folder. */
function writeInside(dir: string, file: string, text: string): void {
  const full = path.resolve(dir, file);
  if (!full.startsWith(path.resolve(dir) + path.sep)) throw new Error(`a fix edits ${file}, outside the project`);
  fs.writeFileSync(full, text);
}

/** --fix-dry-run's diff on stdout; what was fixed (or would be) on stderr. */
function reportFixes(args: Args, checked: readonly Checked[]): void {
  let fixed = 0;
  let files = 0;
  for (const c of checked) {
    if (!c.fixes) continue;
    fixed += c.fixes.fixed;
    files += c.fixes.files.size;
    if (args.fix === "dry-run")
      for (const [file, f] of c.fixes.files) {
        const shown = shownPath(file, { prefix: c.target.prefix });
        out(unifiedDiff(f.before, f.after, `a/${shown}`, `b/${shown}`));
      }
  }
  const what = `${plural(fixed, "fix", "fixes")} in ${plural(files, "file")}`;
  err(args.fix === "write" ? `fixed: ${what}\n` : `--fix-dry-run: ${what} would be applied; nothing was written\n`);
}

function textReport(
  checked: readonly Checked[],
  reported: (d: PositionedDiagnostic) => boolean,
  how: { color: boolean; related: boolean; cwdPaths: boolean },
): string {
  let text = "";
  for (const c of checked) {
    // paths from the current folder on a terminal, and whenever the project folder is not the one given
    const cwdPaths = how.cwdPaths || c.target.discovered;
    const style: TextStyle = { color: how.color, related: how.related, prefix: cwdPaths ? c.target.prefix : "" };
    for (const d of c.all) if (reported(d)) text += findingText(d, style) + "\n";
  }
  return text;
}

/** `2 files, 1 job: 1 error, 2 warnings, 1 note`, of the first root (of each project's, when several). */
function summary(checked: readonly Checked[], quiet: boolean): string {
  const all = checked.flatMap((c) => c.all);
  const count = (s: string) => all.filter((d) => d.severity === s).length;
  const errors = plural(count("error"), "error");
  const findings = quiet
    ? errors
    : `${errors}, ${plural(count("warning"), "warning")}, ${plural(count("information"), "note")}`;
  if (checked.length > 1) {
    const files = checked.reduce((n, c) => n + c.analysis.summary.files, 0);
    const jobs = checked.reduce((n, c) => n + c.analysis.summary.jobs, 0);
    return `${plural(checked.length, "project")}, ${plural(files, "file")}, ${plural(jobs, "job")}: ${findings}\n`;
  }
  const { analysis, first } = checked[0];
  const jobs = [...first.main.jobs.values()].filter((j) => j.kind === "job" || j.kind === "bridge").length;
  const children = first.children.length ? ` (+${plural(first.children.length, "child pipeline")})` : "";
  const more = analysis.roots.length > 1 ? `${plural(analysis.roots.length, "root")}, first: ` : "";
  return `${more}${plural(first.main.files.size, "file")}, ${plural(jobs, "job")}${children}: ${findings}\n`;
}

/** The JSON form: LSP's 0-based positions, paths relative to DIR (from the current folder when several). */
export function asJson(d: PositionedDiagnostic, prefix = ""): ReportFinding {
  const { range, severity, code, message, related, docs } = d;
  const file = shownPath(d.file, { prefix });
  const rel = related?.map((r) => ({ ...r, file: shownPath(r.file, { prefix }) }));
  return { file, range, severity, code, message, ...(rel ? { related: rel } : {}), ...(docs ? { docs } : {}) };
}

/** `check`'s machine-readable reports. */
function machineReport(format: string, findings: readonly ReportFinding[]): string {
  // no docsBaseUrl: the docs pages have no published address yet, and SARIF wants absolute links
  const options = { version: VERSION };
  if (format === "json") return JSON.stringify(findings, null, 2) + "\n";
  if (format === "codequality") return codeQualityReport(findings, options);
  if (format === "sarif") return sarifReport(findings, options);
  return githubAnnotations(findings, options);
}
