import type { CValue, Diagnostic } from "../engine/types";
import { GLOBAL_KEYWORDS } from "../engine/jobs";
import { get } from "../engine/values";
import type { LintRule } from "./registry";

// gitlab-org's scripts exit with their own codes to tell one kind of failure from another, and
// jobs react to them with `retry:exit_codes` and `allow_failure:exit_codes`. The table lives in
// the development docs (CI configuration internals, "Custom exit codes"); its first codes sit
// below 160, but codes there are also what shells and common tools exit with, so new ones are
// taken from 160 upward.

export const CUSTOM_EXIT_CODES_DOCS = "https://docs.gitlab.com/development/pipelines/internals/#custom-exit-codes";

/** gitlab-org's documented custom exit codes and what a job exiting with each ran into. */
export const CUSTOM_EXIT_CODES: ReadonlyMap<number, string> = new Map([
  [110, "a network connection failed"],
  [111, "the runner ran low on disk space"],
  [112, "a test already known to be flaky failed"],
  [160, "a job artifact could not be uploaded or downloaded"],
  [161, "a server answered with a 5xx error"],
  [162, "Gitaly could not be spawned"],
  [163, "an RSpec job ran out of time"],
  [164, "the Redis cluster reported an error"],
  [165, "a process crashed with a segmentation fault"],
  [166, "a file to be created already existed (EEXIST)"],
  [167, "GitLab.com was overloaded"],
  [168, "a gRPC call ran out of resources (RESOURCE_EXHAUSTED)"],
  [169, "a test went over its SQL query limit"],
  [170, "an SQL table was write-protected"],
]);

/** The lowest code from 160 up that the table does not use yet. */
export function nextFreeExitCode(): number {
  let code = 160;
  while (CUSTOM_EXIT_CODES.has(code) && code < 255) code++;
  return code;
}

const KEYWORDS = ["retry", "allow_failure"];

/**
 * 100–125 is where a script's own codes go (below, tools such as grep, curl or test runners use
 * small codes: 77 for "skipped", 99 for "hard error"). 126 and 127 are the shell's "not
 * executable" and "not found", 128+N is "killed by signal N" (137 is an OOM kill): a job lists
 * those to react to the shell or the kernel, so they are not custom codes either.
 */
const isNewCustomCode = (code: number) => code >= 100 && code <= 125 && !CUSTOM_EXIT_CODES.has(code);

export const customExitCode: LintRule = {
  id: "custom-exit-code",
  severity: "hint",
  summary: "a new custom exit code (100-125) that gitlab-org's table does not list",
  check(model) {
    const out: Diagnostic[] = [];
    const next = nextFreeExitCode();
    // a copy through an alias or merge key keeps the src of the anchor: judge each place once
    const seen = new Set<string>();
    const judge = (v: CValue) => {
      if (v.kind !== "scalar" || typeof v.value !== "number" || !isNewCustomCode(v.value)) return;
      const at = `${v.src.file}:${v.src.start}`;
      if (seen.has(at)) return;
      seen.add(at);
      out.push({
        src: v.src,
        severity: "hint",
        code: "custom-exit-code",
        message: `exit code ${v.value} is not one of gitlab-org's custom exit codes, and codes below 160 clash with those of shells and common tools: number a new custom code from 160 up; the next free one is ${next}`,
      });
    };
    for (const f of model.files.values()) {
      if (f.content?.kind !== "map") continue;
      for (const e of f.content.entries.values()) {
        if (GLOBAL_KEYWORDS.includes(e.key) && e.key !== "default") continue;
        for (const keyword of KEYWORDS) {
          const codes = get(get(e.value, keyword), "exit_codes");
          if (codes?.kind === "seq") codes.items.forEach(judge);
          else if (codes) judge(codes);
        }
      }
    }
    // anchors are judged when first used, which need not be where they are written: read in file order
    const order = [...model.files.keys()];
    return out.sort((a, b) => order.indexOf(a.src.file) - order.indexOf(b.src.file) || a.src.start - b.src.start);
  },
};
