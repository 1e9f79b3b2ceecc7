#!/usr/bin/env node
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_ROOT } from "./engine/engine";
import { renderValue } from "./engine/render";
import { nodeIO } from "./node/node-io";
import type { PositionedDiagnostic } from "./workspace/diagnostics";
import { PROJECT_SETTINGS_FILE } from "./workspace/settings";
import { Workspace } from "./workspace/workspace";
import type { Scenario } from "./workspace/scenario";
import { PIPELINE_USAGE, pipelineJson, pipelineText } from "./cli/pipeline";
import { pipelineFlag, withNamed, type Mutable } from "./workspace/scenario-flags";
import { scenarioJunit, scenarioText, TEST_USAGE } from "./cli/scenario-report";

// The CLI: arguments to a Workspace over the directory, and its answers to text or JSON.

const USAGE = `usage:
  pipewright check [DIR] [--root FILE] [--format text|json]
      Report every problem of the GitLab CI config rooted in DIR (default: .).
      Exit status: 1 when there is an error, 0 otherwise, 2 on usage errors,
      3 when Pipewright itself fails (a bug: --debug prints its stack).
  pipewright merged [DIR] [--root FILE] [--job NAME] [--format yaml|json]
      Print the configuration after includes, extends and !reference, or with --job
      the effective definition of one job (defaults and global variables applied).
${PIPELINE_USAGE}${TEST_USAGE}`;

class UsageError extends Error {
  constructor(
    message: string,
    readonly showUsage = true,
  ) {
    super(message);
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

interface Args {
  command: string;
  dir: string;
  /** --root: the one root to analyse instead of the configured ones. */
  root?: string;
  format?: string;
  job?: string;
  /** `pipeline`'s flags. */
  scenario: Mutable<Scenario>;
}

const COMMANDS = ["check", "merged", "pipeline", "test"];
const FORMATS: Record<string, string[]> = {
  check: ["text", "json"],
  merged: ["yaml", "json"],
  pipeline: ["text", "json"],
  test: ["text", "junit"],
};

function parseArgs(argv: string[]): Args {
  const [command, ...rest] = argv;
  if (!command || command === "-h" || command === "--help" || command === "help") {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (!COMMANDS.includes(command)) throw new UsageError(`unknown command "${command}"`);
  const args: Args = { command, dir: ".", scenario: {} };
  let dirSet = false;
  const fail = (message: string): never => {
    throw new UsageError(message);
  };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const taken = command === "pipeline" ? pipelineFlag(rest, i, args.scenario, fail) : 0;
    if (taken) {
      i += taken - 1;
      continue;
    }
    const value = () => {
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === "--root") args.root = path.posix.normalize(value().split(path.sep).join("/")).replace(/^\.\//, "");
    else if (a === "--format") args.format = value();
    else if (a === "--job" && command === "merged") args.job = value();
    else if (a.startsWith("--")) throw new UsageError(`unknown option ${a}`);
    else if (!dirSet) {
      args.dir = a;
      dirSet = true;
    } else throw new UsageError(`unexpected argument ${a}`);
  }
  const formats = FORMATS[command];
  if (args.format && !formats.includes(args.format))
    throw new UsageError(`--format must be one of ${formats.join(", ")}`);
  if (!fs.existsSync(args.dir) || !fs.statSync(args.dir).isDirectory())
    throw new UsageError(`${args.dir} is not a directory`);
  return args;
}

function main(argv: string[]): number {
  const args = parseArgs(argv);
  const workspace = new Workspace(nodeIO(args.dir), {
    roots: args.root === undefined ? undefined : [args.root],
    baseline: "now",
  });
  const analysis = workspace.analyze();
  const first = analysis.roots[0];
  if (!first || (args.root !== undefined && analysis.missingRoots.length)) {
    const missing = analysis.missingRoots[0] ?? DEFAULT_ROOT;
    throw new UsageError(
      args.root !== undefined
        ? `no ${missing} in ${args.dir}`
        : `no ${missing} in ${args.dir}, and no roots in its ${PROJECT_SETTINGS_FILE}`,
    );
  }
  if (args.command === "test") {
    const results = workspace.testScenarios(args.root);
    if (!results.length) throw new UsageError(`no scenarios in ${path.join(args.dir, PROJECT_SETTINGS_FILE)}`, false);
    process.stdout.write(args.format === "junit" ? scenarioJunit(results) : scenarioText(results));
    return results.some((r) => r.checks.some((c) => !c.ok)) ? 1 : 0;
  }
  if (args.command === "pipeline") {
    const name = args.scenario.name;
    if (name !== undefined && !workspace.scenarios().some((s) => s.name === name))
      throw new UsageError(`no scenario "${name}" in ${path.join(args.dir, PROJECT_SETTINGS_FILE)}`, false);
    const scenario = withNamed(args.scenario, workspace.scenarios());
    const situation = workspace.situation(scenario, args.root);
    const pipeline = workspace.pipeline(situation, args.root);
    process.stdout.write(
      args.format === "json"
        ? JSON.stringify(pipelineJson(pipeline), null, 2) + "\n"
        : pipelineText(pipeline, situation),
    );
    return pipeline.errors.length ? 1 : 0;
  }
  if (args.command === "check") {
    const diags = workspace.diagnostics();
    if (args.format === "json") process.stdout.write(JSON.stringify(diags.map(asJson), null, 2) + "\n");
    else {
      for (const d of diags) process.stdout.write(formatText(d) + "\n");
      const count = (s: string) => diags.filter((d) => d.severity === s).length;
      const jobs = [...first.main.jobs.values()].filter((j) => j.kind === "job" || j.kind === "bridge").length;
      const children = first.children.length ? ` (+${plural(first.children.length, "child pipeline")})` : "";
      const more = analysis.roots.length > 1 ? `${plural(analysis.roots.length, "root")}, first: ` : "";
      process.stderr.write(
        `${more}${plural(first.main.files.size, "file")}, ${plural(jobs, "job")}${children}: ` +
          `${plural(count("error"), "error")}, ${plural(count("warning"), "warning")}, ` +
          `${plural(count("information"), "note")}\n`,
      );
    }
    return diags.some((d) => d.severity === "error") ? 1 : 0;
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
    process.stdout.write(renderValue(job, format));
  } else {
    process.stdout.write(renderValue(model.merged, format));
  }
  return model.diagnostics.some((d) => d.severity === "error") ? 1 : 0;
}

/** `file:line:col: severity: message [code]`, 1-based like a compiler's. */
function formatText(d: PositionedDiagnostic): string {
  return `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`;
}

/** The JSON form: LSP's 0-based positions, paths relative to DIR. */
function asJson(d: PositionedDiagnostic) {
  const { file, range, severity, code, message, related } = d;
  return related ? { file, range, severity, code, message, related } : { file, range, severity, code, message };
}

// --debug may come anywhere; it only changes how an internal error is shown
const argv = process.argv.slice(2);
const debug = argv.includes("--debug");
try {
  process.exitCode = main(argv.filter((a) => a !== "--debug"));
} catch (e) {
  if (e instanceof UsageError) {
    process.stderr.write(`pipewright: ${e.message}\n${e.showUsage ? `\n${USAGE}` : ""}`);
    process.exitCode = 2;
  } else {
    // exit 1 means "the config has errors": a failure of our own must not read as that
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(
      debug && e instanceof Error && e.stack
        ? `pipewright: internal error\n${e.stack}\n`
        : `pipewright: internal error: ${message} (run again with --debug for the stack, and please report it)\n`,
    );
    process.exitCode = 3;
  }
}
