#!/usr/bin/env node
import * as path from "node:path";
import { type Model } from "./engine/engine";
import { isExternalPath } from "./engine/external";
import { version as VERSION } from "../../package.json";
import { renderValue } from "./engine/render";
import type { PositionedDiagnostic } from "./workspace/diagnostics";
import { PROJECT_SETTINGS_FILE } from "./workspace/settings";
import { pipelineJson, pipelineText } from "./cli/pipeline";
import { withNamed } from "./workspace/scenario-flags";
import { scenarioJunit, scenarioText } from "./cli/scenario-report";
import { parseArgs, usage, UsageError, type Args } from "./cli/args";
import { check, openProject } from "./cli/check";
import { daggerRunner } from "./cli/dagger";
import { err, guardOutput, out } from "./cli/output";
import { resolveTargets, type Target } from "./cli/project";
import { findingText, plural, wantsColor, type TextStyle } from "./cli/text";

// The CLI: arguments to a Workspace over each project, and its answers to text or JSON. The command
// line is read by cli/args.ts, the projects found by cli/project.ts, `check` is cli/check.ts.

async function main(argv: string[]): Promise<number> {
  const request = parseArgs(argv, VERSION);
  if (request.kind === "help") {
    out(request.text);
    return 0;
  }
  const args = request.args;
  const targets = resolveTargets(args.paths, args.root, process.cwd(), args.command);
  if (args.command === "check") return check(args, targets);
  if (args.command === "fetch") {
    let status = 0;
    for (const target of targets) status = Math.max(status, await fetchCommand(args, target, targets.length > 1));
    return status;
  }
  const target = targets[0];
  if (args.command === "dagger") return daggerRunner(args, target);
  const { workspace, first } = await openProject(target, args);
  // a FILE given is the one root
  const root = target.roots?.length === 1 ? target.roots[0] : undefined;
  const settingsFile = path.join(target.name, PROJECT_SETTINGS_FILE);
  if (args.command === "test") {
    const results = workspace.testScenarios(root);
    if (!results.length) throw new UsageError(`no scenarios in ${settingsFile}`, false);
    out(args.format === "junit" ? scenarioJunit(results) : scenarioText(results));
    return results.some((r) => r.checks.some((c) => !c.ok)) ? 1 : 0;
  }
  if (args.command === "pipeline") {
    const name = args.scenario.name;
    if (name !== undefined && !workspace.scenarios().some((s) => s.name === name))
      throw new UsageError(`no scenario "${name}" in ${settingsFile}`, false);
    const scenario = withNamed(args.scenario, workspace.scenarios());
    const situation = workspace.situation(scenario, root);
    const pipeline = workspace.pipeline(situation, root);
    out(
      args.format === "json"
        ? JSON.stringify(pipelineJson(pipeline), null, 2) + "\n"
        : pipelineText(pipeline, situation),
    );
    return pipeline.errors.length ? 1 : 0;
  }
  const model = first.main;
  const format = (args.format ?? "yaml") as "yaml" | "json";
  if (args.job !== undefined) {
    const job = model.effectiveJob(args.job);
    if (!job) {
      const info = model.jobs.get(args.job);
      const what = {
        hidden: "a hidden job",
        keyword: "a global keyword",
        invalid: "not a valid job: it has no script, run or trigger",
      } as Record<string, string>;
      throw new UsageError(
        info ? `"${args.job}" is ${what[info.kind] ?? "not a job"}` : `no job named "${args.job}"`,
        false,
      );
    }
    out(renderValue(job, format));
  } else {
    out(renderValue(model.merged, format));
  }
  return model.diagnostics.some((d) => d.severity === "error") ? 1 : 0;
}

/** `pipewright fetch`: what is in the cache now, and what could not be fetched. */
async function fetchCommand(args: Args, target: Target, several: boolean): Promise<number> {
  const { workspace, analysis } = await openProject(target, args);
  const tty = process.stdout.isTTY === true;
  const style: TextStyle = {
    color: wantsColor(args.color, tty, process.env),
    related: tty,
    prefix: tty || several || target.discovered ? target.prefix : "",
  };
  return fetchReport(analysis.models, workspace.diagnostics(), style);
}

function fetchReport(models: readonly Model[], diags: readonly PositionedDiagnostic[], style: TextStyle): number {
  const fetched = new Set(models.flatMap((m) => [...m.files.keys()].filter(isExternalPath)));
  const failed = diags.filter((d) => d.code === "include-fetch-failed" || d.code === "include-cached");
  for (const d of failed) out(findingText(d, style) + "\n");
  err(
    `${plural(fetched.size, "external file")} in the include cache` +
      (failed.length ? `; ${plural(failed.length, "include")} could not be fetched\n` : "\n"),
  );
  return failed.some((d) => d.code === "include-fetch-failed") ? 1 : 0;
}

// --debug may come anywhere; it only changes how an internal error is shown
guardOutput();
const argv = process.argv.slice(2);
const debug = argv.includes("--debug");
main(argv.filter((a) => a !== "--debug")).then(
  (code) => (process.exitCode = code),
  (e: unknown) => failed(e),
);

function failed(e: unknown): void {
  if (e instanceof UsageError) {
    err(`pipewright: ${e.message}\n${e.showUsage ? `\n${usage(e.command)}` : ""}`);
    process.exitCode = 2;
  } else {
    // exit 1 means "the config has errors": a failure of our own must not read as that
    const message = e instanceof Error ? e.message : String(e);
    err(
      debug && e instanceof Error && e.stack
        ? `pipewright: internal error\n${e.stack}\n`
        : `pipewright: internal error: ${message} (run again with --debug for the stack, and please report it)\n`,
    );
    process.exitCode = 3;
  }
}
