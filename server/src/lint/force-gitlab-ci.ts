import type { CEntry, CValue, Diagnostic } from "../engine/types";
import { anchorCopy } from "../engine/values";
import type { LintRule } from "./rule";

// $FORCE_GITLAB_CI makes a pipeline run whatever its rules say, so reading the rules no longer
// tells which pipeline runs. The handbook prefers a variable per purpose ($START_AS_IF_FOSS, ...).

const USE = /\$\{?FORCE_GITLAB_CI\}?(?![A-Za-z0-9_])/;
const MESSAGE =
  "$FORCE_GITLAB_CI forces a pipeline whatever the rules say, so the rules " +
  "no longer tell which pipeline runs: use a variable for the specific case, " +
  "as $START_AS_IF_FOSS does";

export const forceGitlabCi: LintRule = {
  id: "force-gitlab-ci",
  severity: "warning",
  summary: "uses $FORCE_GITLAB_CI, which hides which pipeline runs",
  check(model, context) {
    const out: Diagnostic[] = [];
    const visit = (v: CValue) => {
      if (anchorCopy(v)) return; // reported where the anchor is
      if (v.kind === "scalar") {
        if (typeof v.value === "string" && USE.test(v.value))
          out.push({ src: v.src, severity: "warning", code: "force-gitlab-ci", message: MESSAGE });
      } else if (v.kind === "seq" || v.kind === "ref") v.items.forEach(visit);
      else
        for (const e of v.entries.values()) {
          if (e.key === "FORCE_GITLAB_CI" && e.value.via?.[0]?.kind !== "merge-key")
            out.push({ src: e.keySrc, severity: "warning", code: "force-gitlab-ci", message: MESSAGE });
          visit(e.value);
        }
    };
    for (const f of model.files.values()) {
      context.checkpoint?.();
      if (f.content?.kind !== "map") {
        if (f.content) visit(f.content);
        continue;
      }
      // top-level entry by entry, each kept with its value: a keystroke changes one (engine/load-by-entry.ts)
      for (const e of f.content.entries.values()) {
        const found = perEntry.get(e);
        if (found) {
          out.push(...found);
          continue;
        }
        const start = out.length;
        if (e.key === "FORCE_GITLAB_CI" && e.value.via?.[0]?.kind !== "merge-key")
          out.push({ src: e.keySrc, severity: "warning", code: "force-gitlab-ci", message: MESSAGE });
        visit(e.value);
        perEntry.set(e, out.slice(start));
      }
    }
    return out;
  },
};

/** What each top-level entry of a file yields, kept with the entry (its value and key positions never change). */
const perEntry = new WeakMap<CEntry, readonly Diagnostic[]>();
