import type { Model } from "../engine/engine";
import type { CValue, Diagnostic, Fix } from "../engine/types";
import { gatherRelated } from "../engine/gather";
import { flatten } from "../engine/jobs";
import { entry, get, str } from "../engine/values";
import { clonesAnyway, extendsTemplate, jobsExtending, writtenAt, type Written } from "./fast-no-clone";
import type { LintRule } from "./registry";

// gitlab-org's `.repo-from-artifacts` does not clone: GIT_STRATEGY comes from
// $CI_FETCH_REPO_GIT_STRATEGY ("none" by default) and the repository arrives as the artifact
// of the job it needs (clone-gitlab-repo). With `needs: []` a job downloads no artifacts at
// all, so it starts at once in a directory without the repository.

const TEMPLATE = ".repo-from-artifacts";
// The reference rather than the job's name: it keeps following the template if the clone job
// is renamed or made optional there, it is the form gitlab-org's own jobs use, and it resolves
// to exactly what the template needs, so the fixed job re-analyses as the template does.
const REFERENCE = `!reference [${TEMPLATE}, needs]`;

/** The names of the jobs the template needs (`- name` or `- job: name`), for the message. */
function neededNames(needs: readonly CValue[]): string[] {
  return needs.map((n) => str(n) ?? str(get(n, "job"))).filter((n): n is string => n !== undefined);
}

function needItems(v: CValue | undefined): CValue[] | undefined {
  if (!v) return undefined;
  const flat = flatten(v);
  return flat.kind === "seq" ? [...flat.items] : undefined;
}

function message(names: readonly string[]): string {
  const which = names.length ? names.map((n) => `"${n}"`).join(", ") : "the jobs";
  return `needs: [] drops ${which} that ${TEMPLATE} needs: the job downloads no artifacts, so it starts without the repository that ${TEMPLATE} takes from them instead of cloning; put ${REFERENCE} in its needs`;
}

/** Only a literal empty flow list is replaced; anything else may be shared or hold comments. */
function referenceFix(model: Model, where: Written, value: CValue, ownerExtends: boolean): Fix[] | undefined {
  if (!where.literal || !ownerExtends || value.kind !== "seq" || value.items.length) return undefined;
  const text = model.files.get(value.src.file)?.text ?? "";
  if (!/^\[\s*\]$/.test(text.slice(value.src.start, value.src.end))) return undefined;
  return [{ title: `Need what ${TEMPLATE} needs`, edits: [{ src: value.src, newText: `[${REFERENCE}]` }] }];
}

export const repoFromArtifactsNeeds: LintRule = {
  id: "repo-from-artifacts-needs",
  severity: "warning",
  summary: `a job extending ${TEMPLATE} sets needs: [], so it gets no repository`,
  check(model) {
    const templateNeeds = needItems(get(get(model.merged, TEMPLATE), "needs"));
    // A template that needs nothing (or one in an include we cannot read) gives nothing to lose.
    if (!templateNeeds?.length) return [];
    const text = message(neededNames(templateNeeds));
    const out: Diagnostic[] = [];
    for (const job of jobsExtending(model, TEMPLATE)) {
      if (clonesAnyway(job.effective) || needItems(get(job.effective, "needs"))?.length !== 0) continue;
      const own = entry(job.resolved, "needs");
      if (!own) continue;
      const where = writtenAt(own.value, job.name);
      const ownerExtends = where.owner === job.name || (where.owner !== undefined && extendsTemplate(model, where.owner, TEMPLATE));
      out.push({
        src: where.at,
        severity: "warning",
        code: "repo-from-artifacts-needs",
        message: text,
        related: [{ src: model.jobs.get(job.name)!.keySrc, message: `used by job "${job.name}"` }],
        fixes: referenceFix(model, where, own.value, ownerExtends),
      });
    }
    return gatherRelated(out);
  },
};
