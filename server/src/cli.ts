#!/usr/bin/env node
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_ROOT, Engine } from "./engine/engine";
import { formatText, positioned, renderValue } from "./engine/output";
import { DiskHost } from "./node/disk-host";

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
  root: string;
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
  const args: Args = { command, dir: ".", root: DEFAULT_ROOT };
  let dirSet = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = () => {
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === "--root") args.root = value();
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
  args.root = path.posix.normalize(args.root.split(path.sep).join("/")).replace(/^\.\//, "");
  if (!fs.existsSync(path.join(args.dir, args.root))) throw new UsageError(`no ${args.root} in ${args.dir}`);
  return args;
}

function main(argv: string[]): number {
  const args = parseArgs(argv);
  const engine = new Engine(new DiskHost(args.dir));
  if (args.command === "check") {
    const project = engine.analyzeProject({ root: args.root });
    const model = project.main;
    const diags = positioned([model, ...project.children.map((c) => c.model)]);
    if (args.format === "json") process.stdout.write(JSON.stringify(diags, null, 2) + "\n");
    else {
      for (const d of diags) process.stdout.write(formatText(d) + "\n");
      const count = (s: string) => diags.filter((d) => d.severity === s).length;
      const jobs = [...model.jobs.values()].filter((j) => j.kind === "job" || j.kind === "bridge").length;
      const children = project.children.length ? ` (+${plural(project.children.length, "child pipeline")})` : "";
      process.stderr.write(`${plural(model.files.size, "file")}, ${plural(jobs, "job")}${children}: ${plural(count("error"), "error")}, ${plural(count("warning"), "warning")}, ${plural(count("information"), "note")}\n`);
    }
    return diags.some((d) => d.severity === "error") ? 1 : 0;
  }
  const model = engine.analyze({ root: args.root });
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
