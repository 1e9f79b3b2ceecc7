import { MR_EVENTS, PIPELINE_SOURCES, type Scenario } from "./scenario";
import type { NamedScenario } from "./scenario-settings";

// The flags of `pipewright pipeline` as a scenario: the CLI reads them from its argv, the editor's pipeline view
// from a line the user types ("--tag v1.2 --var DEPLOY=1"), so both say a situation the same way.

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Reads one pipeline flag at `argv[i]`; returns how many items it took (0: not a pipeline flag). */
export function pipelineFlag(
  argv: readonly string[],
  i: number,
  scenario: Mutable<Scenario>,
  fail: (message: string) => never,
): number {
  const flag = argv[i];
  const value = () => {
    const v = argv[i + 1];
    if (v === undefined) fail(`${flag} needs a value`);
    return v;
  };
  switch (flag) {
    case "--scenario":
      scenario.name = value();
      return 2;
    case "--source": {
      const v = value();
      if (!(PIPELINE_SOURCES as readonly string[]).includes(v))
        fail(`--source must be one of ${PIPELINE_SOURCES.join(", ")}`);
      scenario.source = v as Scenario["source"];
      return 2;
    }
    case "--branch":
      if (scenario.tag !== undefined) fail("--branch and --tag cannot be used together");
      scenario.branch = value();
      return 2;
    case "--tag":
      if (scenario.branch !== undefined) fail("--branch and --tag cannot be used together");
      scenario.tag = value();
      return 2;
    case "--default-branch":
      scenario.defaultBranch = value();
      return 2;
    case "--project":
      scenario.project = value();
      return 2;
    case "--mr-target":
      scenario.mrTarget = value();
      return 2;
    case "--mr-labels":
      scenario.mrLabels = value()
        .split(",")
        .map((l) => l.trim())
        .filter(Boolean);
      return 2;
    case "--mr-title":
      scenario.mrTitle = value();
      return 2;
    case "--mr-event": {
      const v = value();
      if (!(MR_EVENTS as readonly string[]).includes(v)) fail(`--mr-event must be one of ${MR_EVENTS.join(", ")}`);
      scenario.mrEvent = v as Scenario["mrEvent"];
      return 2;
    }
    case "--var": {
      const v = value();
      const eq = v.indexOf("=");
      if (eq <= 0) fail(`--var takes KEY=VALUE, not ${v}`);
      scenario.variables = { ...scenario.variables, [v.slice(0, eq)]: v.slice(eq + 1) };
      return 2;
    }
    case "--changed":
      if (scenario.changes !== undefined) fail("--changed and --changes cannot be used together");
      scenario.changed = [...(scenario.changed ?? []), value().replace(/\\/g, "/").replace(/^\.\//, "")];
      return 2;
    case "--changes": {
      const v = value();
      if (v !== "none" && v !== "unknown") fail("--changes must be none or unknown");
      if (scenario.changed !== undefined) fail("--changed and --changes cannot be used together");
      scenario.changes = v;
      return 2;
    }
    default:
      return 0;
  }
}

/** A scenario flag the user got wrong, in the CLI's words. */
export class ScenarioFlagError extends Error {}

/**
 * Words of a line as a POSIX shell splits them, for quotes and backslashes only: `--mr-title "Fix it"` is two
 * words. An unclosed quote is an error (a shell would wait for more).
 */
export function splitArgs(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"' && i + 1 < line.length) word = (word ?? "") + line[++i];
      else word = (word ?? "") + c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= "";
    } else if (c === "\\" && i + 1 < line.length) word = (word ?? "") + line[++i];
    else if (c === " " || c === "\t" || c === "\n") {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? "") + c;
  }
  if (quote) throw new ScenarioFlagError(`unclosed ${quote} in: ${line}`);
  if (word !== undefined) words.push(word);
  return words;
}

/** The scenario a line of `pipewright pipeline` flags says, over the named scenario it starts from (--scenario). */
export function scenarioFromArgs(line: string, named: readonly NamedScenario[]): Scenario {
  const argv = splitArgs(line);
  const flags: Mutable<Scenario> = {};
  const fail = (message: string): never => {
    throw new ScenarioFlagError(message);
  };
  for (let i = 0; i < argv.length;) {
    const taken = pipelineFlag(argv, i, flags, fail);
    if (!taken) fail(`unknown flag ${argv[i]}: the flags are those of pipewright pipeline`);
    i += taken;
  }
  return withNamed(flags, named);
}

/** The flags over the named scenario they start from, when they name one; an unknown name is an error. */
export function withNamed(flags: Scenario, named: readonly NamedScenario[]): Scenario {
  const { name, ...rest } = flags;
  const base = name === undefined ? undefined : named.find((s) => s.name === name);
  if (name !== undefined && !base) throw new ScenarioFlagError(`no scenario "${name}"`);
  return { ...base, ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) };
}
