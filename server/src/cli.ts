#!/usr/bin/env node
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_ROOT, Engine } from "./engine/engine";
import { formatText, positioned, renderValue } from "./engine/output";
import { DiskHost } from "./node/disk-host";
import { effectiveSeverities, PROJECT_SETTINGS_FILE, readProjectSettings } from "./node/project-settings";
import { BaselineCache } from "./node/git-baseline";
import { withLintsProject } from "./lint/registry";
import { moduleEngineVersion } from "./features/dagger/module";

const USAGE = `usage:
  pipewright check [DIR] [--root FILE] [--format text|json]
      Report every problem of the GitLab CI config rooted in DIR (default: .).
      Exit status: 1 when there is an error, 0 otherwise, 2 on usage errors.
  pipewright merged [DIR] [--root FILE] [--job NAME] [--format yaml|json]
      Print the configuration after includes, extends and !reference, or with --job
      the effective definition of one job (defaults and global variables applied).
`;

class UsageError extends Error {
  constructor(message: string, readonly showUsage = true) {
    super(message);
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

interface Args {
  command: string;
  dir: string;
  /** Root files: --root, or the project's main config plus the roots of .pipewright.yml. */
  roots: string[];
  format?: string;
  job?: string;
}

function parseArgs(argv: string[]): Args {
  const [command, ...rest] = argv;
  if (!command || command === "-h" || command === "--help" || command === "help") {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (command !== "check" && command !== "merged") throw new UsageError(`unknown command "${command}"`);
  const args: Args = { command, dir: ".", roots: [] };
  let rootOption: string | undefined;
  let dirSet = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = () => {
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === "--root") rootOption = value();
    else if (a === "--format") args.format = value();
    else if (a === "--job" && command === "merged") args.job = value();
    else if (a.startsWith("--")) throw new UsageError(`unknown option ${a}`);
    else if (!dirSet) {
      args.dir = a;
      dirSet = true;
    } else throw new UsageError(`unexpected argument ${a}`);
  }
  const formats = command === "check" ? ["text", "json"] : ["yaml", "json"];
  if (args.format && !formats.includes(args.format)) throw new UsageError(`--format must be one of ${formats.join(", ")}`);
  if (!fs.existsSync(args.dir) || !fs.statSync(args.dir).isDirectory()) throw new UsageError(`${args.dir} is not a directory`);
  const clean = (r: string) => path.posix.normalize(r.split(path.sep).join("/")).replace(/^\.\//, "");
  if (rootOption !== undefined) {
    args.roots = [clean(rootOption)];
  } else {
    const project = readProjectSettings(args.dir);
    args.roots = [...new Set([clean(project.ciConfigPath ?? DEFAULT_ROOT), ...project.roots.map(clean)])].filter((r) => fs.existsSync(path.join(args.dir, r)));
    if (args.roots.length === 0) throw new UsageError(`no ${project.ciConfigPath ?? DEFAULT_ROOT} in ${args.dir}, and no roots in its ${PROJECT_SETTINGS_FILE}`);
  }
  for (const r of args.roots) if (!fs.existsSync(path.join(args.dir, r))) throw new UsageError(`no ${r} in ${args.dir}`);
  return args;
}

function main(argv: string[]): number {
  const args = parseArgs(argv);
  const disk = new DiskHost(args.dir);
  const engine = new Engine(disk);
  if (args.command === "check") {
    const settings = readProjectSettings(args.dir);
    const baseline = new BaselineCache(args.dir);
    const lint = { rules: settings.rules, baselineVariables: () => baseline.variables(args.roots), daggerEngineVersion: () => moduleEngineVersion((p) => disk.readFile(p)) };
    const projects = args.roots.map((root) => withLintsProject(engine.analyzeProject({ root }), lint));
    const project = projects[0];
    const model = project.main;
    const severity = effectiveSeverities(settings.severity, settings.rules);
    const diags = positioned(projects.flatMap((p) => [p.main, ...p.children.map((c) => c.model)]), severity);
    if (args.format === "json") process.stdout.write(JSON.stringify(diags, null, 2) + "\n");
    else {
      for (const d of diags) process.stdout.write(formatText(d) + "\n");
      const count = (s: string) => diags.filter((d) => d.severity === s).length;
      const jobs = [...model.jobs.values()].filter((j) => j.kind === "job" || j.kind === "bridge").length;
      const children = project.children.length ? ` (+${plural(project.children.length, "child pipeline")})` : "";
      const more = projects.length > 1 ? `${plural(projects.length, "root")}, first: ` : "";
      process.stderr.write(`${more}${plural(model.files.size, "file")}, ${plural(jobs, "job")}${children}: ${plural(count("error"), "error")}, ${plural(count("warning"), "warning")}, ${plural(count("information"), "note")}\n`);
    }
    return diags.some((d) => d.severity === "error") ? 1 : 0;
  }
  const model = engine.analyze({ root: args.roots[0] });
  const format = (args.format ?? "yaml") as "yaml" | "json";
  if (args.job !== undefined) {
    const job = model.effectiveJob(args.job);
    if (!job) {
      const info = model.jobs.get(args.job);
      const what = { hidden: "a hidden job", keyword: "a global keyword", invalid: "not a valid job: it has no script, run or trigger" } as Record<string, string>;
      throw new UsageError(info ? `"${args.job}" is ${what[info.kind] ?? "not a job"}` : `no job named "${args.job}"`, false);
    }
    process.stdout.write(renderValue(job, format));
  } else {
    process.stdout.write(renderValue(model.merged, format));
  }
  return model.diagnostics.some((d) => d.severity === "error") ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  if (e instanceof UsageError) {
    process.stderr.write(`pipewright: ${e.message}\n${e.showUsage ? `\n${USAGE}` : ""}`);
    process.exitCode = 2;
  } else {
    throw e;
  }
}
