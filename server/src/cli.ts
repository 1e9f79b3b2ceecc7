#!/usr/bin/env node
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_ROOT, type Model } from "./engine/engine";
import { isExternalPath } from "./engine/external";
import { codeQualityReport } from "./cli/formats/codequality";
import type { ReportFinding } from "./cli/formats/finding";
import { githubAnnotations } from "./cli/formats/github";
import { sarifReport } from "./cli/formats/sarif";
import { version as VERSION } from "../../package.json";
import { remoteIncludesFor } from "./node/remote-credentials";
import type { RemoteIncludesMode } from "./workspace/external-includes";
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
  pipewright check [DIR] [--root FILE] [--format text|json|codequality|sarif|github]
      [--output-file FILE]
      Report every problem of the GitLab CI config rooted in DIR (default: .): as text,
      JSON, a GitLab Code Quality report (artifacts:reports:codequality), SARIF 2.1.0 or
      GitHub Actions annotations.
      Exit status: 1 when there is an error, 0 otherwise, 2 on usage errors,
      3 when Pipewright itself fails (a bug: --debug prints its stack).
  pipewright fetch [DIR] [--root FILE] [--gitlab-url URL]
      Fetch the config's project, component, template and remote includes into the
      include cache, for CI and for working offline. Exit status: 1 when one failed.
  Every command reads external includes as the remoteIncludes setting says (off by default):
      --fetch reads them from the include cache and fetches what is missing or old,
      --offline only from the cache; --gitlab-url names the instance ($CI_SERVER_URL,
      else https://gitlab.com). The token ($GITLAB_TOKEN, else $CI_JOB_TOKEN) is only
      sent to an instance named by --gitlab-url, $CI_SERVER_URL, $GITLAB_URL or gitlab.com.
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
  /** --output-file: the report goes there rather than to stdout. */
  output?: string;
  job?: string;
  /** `pipeline`'s flags. */
  scenario: Mutable<Scenario>;
  /** --fetch / --offline: replace the remoteIncludes setting. */
  remote?: RemoteIncludesMode;
  gitlabUrl?: string;
}

const COMMANDS = ["check", "merged", "pipeline", "test", "fetch"];
const FORMATS: Record<string, string[]> = {
  check: ["text", "json", "codequality", "sarif", "github"],
  merged: ["yaml", "json"],
  pipeline: ["text", "json"],
  test: ["text", "junit"],
  fetch: ["text"],
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
    else if (a.startsWith("--format=")) args.format = a.slice("--format=".length);
    else if (a === "--output-file" && command === "check") args.output = value();
    else if (a === "--job" && command === "merged") args.job = value();
    else if (a === "--fetch") args.remote = "fetch";
    else if (a === "--offline") args.remote = "cache";
    else if (a === "--gitlab-url") {
      args.gitlabUrl = value().replace(/\/+$/, "");
      if (!/^https?:\/\/[^/\s]+$/i.test(args.gitlabUrl))
        fail("--gitlab-url must be an address like https://gitlab.example.com");
    } else if (a.startsWith("--")) throw new UsageError(`unknown option ${a}`);
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
  if (command === "fetch") {
    if (args.remote === "cache") throw new UsageError("fetch and --offline contradict each other");
    args.remote = "fetch";
  }
  return args;
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const remote = remoteIncludesFor(process.env, { gitlabUrl: args.gitlabUrl });
  const workspace = new Workspace(nodeIO(args.dir, { remoteIncludes: remote }), {
    roots: args.root === undefined ? undefined : [args.root],
    baseline: "now",
    remoteIncludes: args.remote,
    gitlabUrl: args.gitlabUrl,
  });
  const analysis = await workspace.analyzeSettled();
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
  if (args.command === "fetch") return fetchReport(analysis.models, workspace.diagnostics());
  if (args.command === "check") {
    const diags = workspace.diagnostics();
    const report = args.format && args.format !== "text" ? checkReport(args.format, diags) : undefined;
    if (report !== undefined && args.output !== undefined) fs.writeFileSync(args.output, report);
    else if (report !== undefined) process.stdout.write(report);
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

/** `pipewright fetch`: what is in the cache now, and what could not be fetched. */
function fetchReport(models: readonly Model[], diags: readonly PositionedDiagnostic[]): number {
  const fetched = new Set(models.flatMap((m) => [...m.files.keys()].filter(isExternalPath)));
  const failed = diags.filter((d) => d.code === "include-fetch-failed" || d.code === "include-cached");
  for (const d of failed) process.stdout.write(formatText(d) + "\n");
  process.stderr.write(
    `${plural(fetched.size, "external file")} in the include cache` +
      (failed.length ? `; ${plural(failed.length, "include")} could not be fetched\n` : "\n"),
  );
  return failed.some((d) => d.code === "include-fetch-failed") ? 1 : 0;
}

/** `file:line:col: severity: message [code]`, 1-based like a compiler's. */
function formatText(d: PositionedDiagnostic): string {
  return `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`;
}

/** The JSON form: LSP's 0-based positions, paths relative to DIR; a lint's rule page when it has one. */
function asJson(d: PositionedDiagnostic): ReportFinding {
  const { file, range, severity, code, message, related, docs } = d;
  return { file, range, severity, code, message, ...(related ? { related } : {}), ...(docs ? { docs } : {}) };
}

/** `check`'s machine-readable reports. */
function checkReport(format: string, diags: readonly PositionedDiagnostic[]): string {
  const findings = diags.map(asJson);
  // no docsBaseUrl: the rule pages have no published address yet, and SARIF wants absolute links
  const options = { version: VERSION };
  if (format === "json") return JSON.stringify(findings, null, 2) + "\n";
  if (format === "codequality") return codeQualityReport(findings, options);
  if (format === "sarif") return sarifReport(findings, options);
  return githubAnnotations(findings, options);
}

// --debug may come anywhere; it only changes how an internal error is shown
const argv = process.argv.slice(2);
const debug = argv.includes("--debug");
main(argv.filter((a) => a !== "--debug")).then(
  (code) => (process.exitCode = code),
  (e: unknown) => failed(e),
);

function failed(e: unknown): void {
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
