import * as path from "node:path";
import { isCode } from "../engine/codes";
import type { SeveritySetting } from "../engine/types";
import type { RemoteIncludesMode } from "../workspace/external-includes";
import type { Scenario } from "../workspace/scenario";
import { pipelineFlag, type Mutable } from "../workspace/scenario-flags";
import { isSeveritySetting } from "../workspace/settings";
import { PIPELINE_USAGE } from "./pipeline";
import { TEST_USAGE } from "./scenario-report";

// The command line, read: a command, its paths (folders or files) and its flags, as eslint, yamllint and
// actionlint take them (`--format json` or `--format=json`, `--help` per command, `--version`, `--`
// before paths that start with a dash). Nothing here reads files: cli/project.ts finds the projects.

/** A wrong command line: said on stderr with the command's usage, exit status 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly showUsage = true,
    /** The command whose usage to show; the overview when undefined. */
    readonly command?: string,
  ) {
    super(message);
  }
}

export interface Args {
  readonly command: string;
  /** Folders and files as given; none: the current folder. */
  readonly paths: readonly string[];
  /** --root: the one root to analyse instead of the configured ones. */
  readonly root?: string;
  readonly format?: string;
  /** --output-file: the report goes there rather than to stdout. */
  readonly output?: string;
  readonly job?: string;
  /** `pipeline`'s flags. */
  readonly scenario: Mutable<Scenario>;
  /** --fetch / --offline: replace the remoteIncludes setting. */
  readonly remote?: RemoteIncludesMode;
  readonly gitlabUrl?: string;
  /** --quiet: errors only. */
  readonly quiet: boolean;
  /** --max-warnings N: more warnings than N fail the run. */
  readonly maxWarnings?: number;
  /** --rule CODE=SEVERITY, over `.pipewright.yml`'s severities. */
  readonly rules: Readonly<Record<string, SeveritySetting>>;
  /** --fix: write the fixes; --fix-dry-run: print them as a diff. */
  readonly fix?: "write" | "dry-run";
  /** --color / --no-color; undefined: colour on a terminal unless NO_COLOR is set. */
  readonly color?: boolean;
  /** `dagger runner`'s: the documents' settings, and what to do with files there already. */
  readonly runner: DaggerRunnerArgs;
}

export interface DaggerRunnerArgs {
  /** Settings of the documents (features/dagger/kubernetes-runner.ts RunnerOptions), from their flags. */
  readonly options: Readonly<Record<string, string>>;
  /** --force: replace files that say something else. */
  readonly force: boolean;
  /** --check: write nothing; fail when a file is missing or says something else. */
  readonly check: boolean;
}

/** What the command line asks for: a run, a usage text, or the version. */
export type Request = { readonly kind: "run"; readonly args: Args } | { readonly kind: "help"; readonly text: string };

export const COMMANDS = ["check", "merged", "pipeline", "test", "fetch", "dagger"] as const;

const FORMATS: Record<string, string[]> = {
  check: ["text", "json", "codequality", "sarif", "github"],
  merged: ["yaml", "json"],
  pipeline: ["text", "json"],
  test: ["text", "junit"],
  fetch: ["text"],
  dagger: ["text"],
};

/** Commands that take several folders or files in one run; the others take one. */
const MANY_PATHS = ["check", "fetch"];

/** `pipewright dagger runner`'s flags for the documents' settings, and the setting each gives. */
const RUNNER_FLAGS: Readonly<Record<string, string>> = {
  "--out": "folder",
  "--namespace": "namespace",
  "--engine-namespace": "engineNamespace",
  "--node-label": "nodeLabel",
  "--name": "name",
  "--token-secret": "tokenSecret",
  "--runner-image": "runnerImage",
};

/** Flags that take a value, which may also be given as `--flag=value`. */
const VALUE_FLAGS = new Set([
  "--root",
  "--format",
  "--output-file",
  "--job",
  "--gitlab-url",
  "--max-warnings",
  "--rule",
  // pipewright pipeline's (workspace/scenario-flags.ts)
  "--scenario",
  "--source",
  "--branch",
  "--tag",
  "--default-branch",
  "--project",
  "--mr-target",
  "--mr-labels",
  "--mr-title",
  "--mr-event",
  "--var",
  "--changed",
  "--changes",
  // pipewright dagger runner's
  ...Object.keys(RUNNER_FLAGS),
]);

const CHECK_USAGE = `  pipewright check [DIR|FILE]... [--root FILE] [--format text|json|codequality|sarif|github]
      [--output-file FILE] [--quiet] [--max-warnings N] [--rule CODE=SEVERITY]...
      [--fix | --fix-dry-run]
      Report every problem of the GitLab CI config in DIR (default: the current folder; when it
      has no .gitlab-ci.yml nor .pipewright.yml, the nearest folder above that has one, up to the
      git root). A FILE is analysed as the root, in the project around it. Several folders and
      files are checked in one run. As text, JSON, a GitLab Code Quality report
      (artifacts:reports:codequality), SARIF 2.1.0 or GitHub Actions annotations.
      --quiet                 report errors only
      --max-warnings N        fail (exit 1) when there are more than N warnings
      --rule CODE=SEVERITY    a code's severity (off, hint, information, warning, error), over
                              .pipewright.yml's; repeatable
      --fix                   apply the fixes the findings come with, then report what remains
      --fix-dry-run           print those fixes as a unified diff, and change nothing
      Exit status: 1 when there is an error (or more warnings than --max-warnings), 0 otherwise,
      2 on usage errors, 3 when Pipewright itself fails (a bug: --debug prints its stack).
`;

const FETCH_USAGE = `  pipewright fetch [DIR|FILE]... [--root FILE] [--gitlab-url URL]
      Fetch the config's project, component, template and remote includes into the
      include cache, for CI and for working offline. Exit status: 1 when one failed.
`;

const MERGED_USAGE = `  pipewright merged [DIR|FILE] [--root FILE] [--job NAME] [--format yaml|json]
      Print the configuration after includes, extends and !reference, or with --job
      the effective definition of one job (defaults and global variables applied).
`;

const COMMON_USAGE = `  Every command reads external includes as the remoteIncludes setting says (off by default):
      --fetch reads them from the include cache and fetches what is missing or old,
      --offline only from the cache; --gitlab-url names the instance ($CI_SERVER_URL,
      else https://gitlab.com). The token ($GITLAB_TOKEN, else $CI_JOB_TOKEN) is only
      sent to an instance named by --gitlab-url, $CI_SERVER_URL, $GITLAB_URL or gitlab.com.
  Text output is coloured on a terminal, unless NO_COLOR is set: --color, --no-color say otherwise.
  pipewright COMMAND --help shows one command's usage; pipewright --version the version.
`;

const DAGGER_USAGE = `  pipewright dagger runner [DIR] [--out FOLDER] [--force | --check] [--namespace NS]
      [--engine-namespace NS] [--node-label KEY] [--name NAME] [--token-secret NAME]
      [--runner-image IMAGE] [--gitlab-url URL]
      Write the Kubernetes side of the jobs converted to Dagger Functions for the Kubernetes
      executor (docs/dagger-kubernetes.md): the Dagger Engine DaemonSet, pinned to dagger.json's
      engineVersion, on nodes labelled and tainted KEY=true (default dagger-node), and a privileged
      GitLab runner whose jobs run there with the engine's socket. Into FOLDER of the project
      (default .gitlab/dagger/kubernetes); never outside it. A file that says something else is
      left alone, and nothing is written, unless --force.
      --check                 write nothing; exit 1 when a file is missing or out of date
      --gitlab-url URL        the instance the runner registers with (else the project's gitlabUrl,
                              else https://gitlab.com)
`;

const USAGES: Record<string, string> = {
  check: CHECK_USAGE,
  fetch: FETCH_USAGE,
  merged: MERGED_USAGE,
  pipeline: PIPELINE_USAGE,
  test: TEST_USAGE,
  dagger: DAGGER_USAGE,
};

/** The usage of one command, or of all. */
export function usage(command?: string): string {
  if (command && USAGES[command]) return `usage:\n${USAGES[command]}${COMMON_USAGE}`;
  const all = [CHECK_USAGE, FETCH_USAGE, MERGED_USAGE, PIPELINE_USAGE, TEST_USAGE, DAGGER_USAGE, COMMON_USAGE];
  return `usage:\n${all.join("")}`;
}

const isHelp = (a: string) => a === "-h" || a === "--help";

/** `--flag=value` as two words, for the flags that take a value; words after `--` are paths. */
function splitValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  let paths = false;
  for (const a of argv) {
    const eq = a.indexOf("=");
    if (!paths && a.startsWith("--") && eq > 2 && VALUE_FLAGS.has(a.slice(0, eq)))
      out.push(a.slice(0, eq), a.slice(eq + 1));
    else out.push(a);
    if (a === "--") paths = true;
  }
  return out;
}

export function parseArgs(argv: readonly string[], version: string): Request {
  const [command, ...given] = argv;
  if (!command || isHelp(command)) return { kind: "help", text: usage() };
  if (command === "--version" || command === "-v") return { kind: "help", text: `${version}\n` };
  if (command === "help") return { kind: "help", text: usage(given[0]) };
  if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`unknown command "${command}"`);
  const fail = (message: string): never => {
    throw new UsageError(message, true, command);
  };
  const rest = splitValues(given);
  const paths: string[] = [];
  const scenario: Mutable<Scenario> = {};
  const rules: Record<string, SeveritySetting> = {};
  let root: string | undefined;
  let format: string | undefined;
  let output: string | undefined;
  let job: string | undefined;
  let remote: RemoteIncludesMode | undefined;
  let gitlabUrl: string | undefined;
  let quiet = false;
  let maxWarnings: number | undefined;
  let fix: Args["fix"];
  let color: boolean | undefined;
  const runnerOptions: Record<string, string> = {};
  let force = false;
  let checkFiles = false;
  let onlyPaths = false;
  const checkOnly = (a: string) => {
    if (command !== "check") fail(`${a} is an option of pipewright check`);
  };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (onlyPaths || !a.startsWith("-") || a === "-") {
      paths.push(a);
      continue;
    }
    if (a === "--") {
      onlyPaths = true;
      continue;
    }
    if (isHelp(a)) return { kind: "help", text: usage(command) };
    if (a === "--version") return { kind: "help", text: `${version}\n` };
    const taken = command === "pipeline" ? pipelineFlag(rest, i, scenario, fail) : 0;
    if (taken) {
      i += taken - 1;
      continue;
    }
    const value = () => {
      const v = rest[++i];
      if (v === undefined) fail(`${a} needs a value`);
      return v;
    };
    if (a === "--root") root = path.posix.normalize(value().split(path.sep).join("/")).replace(/^\.\//, "");
    else if (a === "--format") format = value();
    else if (a === "--output-file" && command === "check") output = value();
    else if (a === "--job" && command === "merged") job = value();
    else if (a === "--fetch") remote = "fetch";
    else if (a === "--offline") remote = "cache";
    else if (a === "--gitlab-url") {
      gitlabUrl = value().replace(/\/+$/, "");
      if (!/^https?:\/\/[^/\s]+$/i.test(gitlabUrl))
        fail("--gitlab-url must be an address like https://gitlab.example.com");
    } else if (a === "--color" || a === "--no-color") color = a === "--color";
    else if (RUNNER_FLAGS[a] !== undefined || a === "--force" || a === "--check") {
      if (command !== "dagger") fail(`${a} is an option of pipewright dagger runner`);
      if (a === "--force") force = true;
      else if (a === "--check") checkFiles = true;
      else runnerOptions[RUNNER_FLAGS[a]] = value();
    } else if (a === "--quiet" || a === "-q") {
      checkOnly(a);
      quiet = true;
    } else if (a === "--max-warnings") {
      checkOnly(a);
      const v = value();
      if (!/^\d+$/.test(v)) fail(`--max-warnings takes a number of warnings, not ${v}`);
      maxWarnings = Number(v);
    } else if (a === "--rule") {
      checkOnly(a);
      const v = value();
      const eq = v.indexOf("=");
      const code = eq < 0 ? v : v.slice(0, eq).trim();
      const level = eq < 0 ? "" : v.slice(eq + 1).trim();
      if (eq < 0 || !isSeveritySetting(level))
        fail(`--rule takes CODE=SEVERITY, the severity one of off, hint, information, warning, error: not ${v}`);
      if (!isCode(code)) fail(`--rule: ${code} is not a Pipewright diagnostic code (docs/diagnostics.md lists them)`);
      rules[code] = level as SeveritySetting;
    } else if (a === "--fix" || a === "--fix-dry-run") {
      checkOnly(a);
      const mode = a === "--fix" ? "write" : "dry-run";
      if (fix && fix !== mode) fail("--fix and --fix-dry-run contradict each other");
      fix = mode;
    } else if (a.includes("=") && a.startsWith("--")) fail(`${a.slice(0, a.indexOf("="))} takes no value`);
    else fail(`unknown option ${a}`);
  }
  if (command === "dagger") {
    if (paths[0] !== "runner")
      fail(paths.length ? `unknown dagger command "${paths[0]}"` : "pipewright dagger needs a command: runner");
    paths.shift();
    if (force && checkFiles) fail("--force and --check contradict each other");
  }
  const formats = FORMATS[command];
  if (format && !formats.includes(format)) fail(`--format must be one of ${formats.join(", ")}`);
  if (paths.length > 1 && !MANY_PATHS.includes(command))
    fail(`pipewright ${command} takes one folder or file, not ${paths.length}`);
  if (command === "fetch") {
    if (remote === "cache") fail("fetch and --offline contradict each other");
    remote = "fetch";
  }
  return {
    kind: "run",
    args: {
      command,
      paths,
      root,
      format,
      output,
      job,
      scenario,
      remote,
      gitlabUrl,
      quiet,
      maxWarnings,
      rules,
      fix,
      color,
      runner: { options: runnerOptions, force, check: checkFiles },
    },
  };
}
