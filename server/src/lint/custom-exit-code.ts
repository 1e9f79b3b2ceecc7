import type { CValue, Diagnostic } from "../engine/types";
import { GLOBAL_KEYWORDS } from "../engine/jobs";
import { get } from "../engine/values";
import { CUSTOM_EXIT_CODES, nextFreeExitCode } from "../gitlab/exit-codes";
import type { LintRule } from "./rule";

// A new custom exit code below 160 collides with the codes shells and tools exit with; the
// table of gitlab-org's own codes is in gitlab/exit-codes.ts.

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
        message:
          `exit code ${v.value} is not one of gitlab-org's custom exit codes, and ` +
          `codes below 160 clash with those of shells and common tools: number a ` +
          `new custom code from 160 up; the next free one is ${next}`,
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
