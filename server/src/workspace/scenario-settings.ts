import { MR_EVENTS, PIPELINE_SOURCES, type Scenario } from "./scenario";

// `scenarios:` in `.pipewright.yml`: named situations with what must happen in them — CI
// configuration tests, as GitLab's handbook writes them against a whole GitLab instance, run
// offline by `pipewright test`. Every field is checked; a wrong one is said on its line and the
// scenario is left out.

/** What must happen in a scenario's pipeline. */
export interface Expectations {
  /** Whether a pipeline is created at all. */
  readonly created?: boolean;
  /** Jobs that must be in the pipeline. */
  readonly run: readonly string[];
  /** Jobs that must not be. */
  readonly skip: readonly string[];
  /** A job's `when` (it must also run). */
  readonly when: Readonly<Record<string, string>>;
}

export interface NamedScenario extends Scenario {
  readonly name: string;
  readonly expect: Expectations;
}

const WHEN = ["on_success", "on_failure", "always", "manual", "delayed"];
const KEYS = [
  "source",
  "branch",
  "tag",
  "defaultBranch",
  "project",
  "mrTarget",
  "mrLabels",
  "mrTitle",
  "mrEvent",
  "variables",
  "changed",
  "changes",
  "expect",
];

type Problem = (message: string, ...keys: string[]) => void;

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The scenarios of a settings object; `problem` gets the keys under `scenarios` where each is wrong. */
export function readScenarios(raw: unknown, problem: Problem): NamedScenario[] {
  if (raw === undefined || raw === null) return [];
  if (!isMap(raw)) {
    problem("scenarios must map scenario names to what the pipeline is for and what it must do");
    return [];
  }
  const out: NamedScenario[] = [];
  for (const [name, value] of Object.entries(raw)) {
    const scenario = readScenario(name, value, (m, ...keys) => problem(m, name, ...keys));
    if (scenario) out.push(scenario);
  }
  return out;
}

function readScenario(name: string, raw: unknown, problem: Problem): NamedScenario | undefined {
  if (!isMap(raw)) {
    problem(`scenario ${name} must be a map (source, branch, changed, expect...)`);
    return undefined;
  }
  let ok = true;
  const bad = (message: string, ...keys: string[]) => {
    problem(message, ...keys);
    ok = false;
  };
  for (const key of Object.keys(raw)) if (!KEYS.includes(key)) bad(`scenario ${name}: unknown key ${key}`, key);
  const text = (key: string): string | undefined => {
    const v = raw[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === "string" || typeof v === "number") return String(v);
    bad(`scenario ${name}: ${key} must be a text`, key);
    return undefined;
  };
  const list = (key: string): string[] | undefined => {
    const v = raw[key];
    if (v === undefined || v === null) return undefined;
    if (isStrings(v)) return v;
    bad(`scenario ${name}: ${key} must be a list of texts`, key);
    return undefined;
  };
  const source = text("source");
  if (source !== undefined && !(PIPELINE_SOURCES as readonly string[]).includes(source))
    bad(`scenario ${name}: source must be one of ${PIPELINE_SOURCES.join(", ")}`, "source");
  const mrEvent = text("mrEvent");
  if (mrEvent !== undefined && !(MR_EVENTS as readonly string[]).includes(mrEvent))
    bad(`scenario ${name}: mrEvent must be one of ${MR_EVENTS.join(", ")}`, "mrEvent");
  const changes = text("changes");
  if (changes !== undefined && changes !== "none" && changes !== "unknown")
    bad(`scenario ${name}: changes must be none or unknown`, "changes");
  if (raw.branch !== undefined && raw.tag !== undefined)
    bad(`scenario ${name}: give a branch or a tag, not both`, "tag");
  let variables: Record<string, string> | undefined;
  if (raw.variables !== undefined && raw.variables !== null) {
    if (
      isMap(raw.variables) &&
      Object.values(raw.variables).every((v) => ["string", "number", "boolean"].includes(typeof v))
    )
      variables = Object.fromEntries(Object.entries(raw.variables).map(([k, v]) => [k, String(v)]));
    else bad(`scenario ${name}: variables must map names to values`, "variables");
  }
  const expect = readExpectations(name, raw.expect, bad);
  if (!ok || !expect) return undefined;
  return {
    name,
    source: source as Scenario["source"],
    branch: text("branch"),
    tag: text("tag"),
    defaultBranch: text("defaultBranch"),
    project: text("project"),
    mrTarget: text("mrTarget"),
    mrLabels: list("mrLabels"),
    mrTitle: text("mrTitle"),
    mrEvent: mrEvent as Scenario["mrEvent"],
    variables,
    changed: list("changed"),
    changes: changes as Scenario["changes"],
    expect,
  };
}

function readExpectations(name: string, raw: unknown, bad: Problem): Expectations | undefined {
  if (raw === undefined || raw === null) return { run: [], skip: [], when: {} };
  if (!isMap(raw)) {
    bad(`scenario ${name}: expect must be a map (created, run, skip, when)`, "expect");
    return undefined;
  }
  let ok = true;
  const fail = (message: string, ...keys: string[]) => {
    bad(message, "expect", ...keys);
    ok = false;
  };
  for (const key of Object.keys(raw))
    if (!["created", "run", "skip", "when"].includes(key)) fail(`scenario ${name}: unknown expectation ${key}`, key);
  if (raw.created !== undefined && typeof raw.created !== "boolean")
    fail(`scenario ${name}: expect.created must be true or false`, "created");
  for (const key of ["run", "skip"])
    if (raw[key] !== undefined && !isStrings(raw[key]))
      fail(`scenario ${name}: expect.${key} must list job names`, key);
  const when: Record<string, string> = {};
  if (raw.when !== undefined) {
    if (!isMap(raw.when)) fail(`scenario ${name}: expect.when must map job names to when`, "when");
    else
      for (const [job, w] of Object.entries(raw.when)) {
        if (typeof w === "string" && WHEN.includes(w)) when[job] = w;
        else fail(`scenario ${name}: expect.when of ${job} must be one of ${WHEN.join(", ")}`, "when", job);
      }
  }
  if (!ok) return undefined;
  return {
    created: raw.created as boolean | undefined,
    run: (raw.run as string[] | undefined) ?? [],
    skip: (raw.skip as string[] | undefined) ?? [],
    when,
  };
}
