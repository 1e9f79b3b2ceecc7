import type { Model } from "../engine/engine";
import type { CValue, Diagnostic, Fix } from "../engine/types";
import { gatherRelated } from "../engine/gather";
import { flatten } from "../engine/jobs";
import { entry, get, str } from "../engine/values";
import { clonesAnyway, extendsTemplate, jobsExtending, writtenAt, type Written } from "../model/jobs";
import { insertItem } from "../model/list-edits";
import type { LintRule } from "./rule";

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

function message(names: readonly string[], empty: boolean): string {
  const which = names.length ? names.map((n) => `"${n}"`).join(", ") : "the jobs";
  if (!empty)
    return (
      `needs replaces the needs of ${TEMPLATE} without ${which}: the job downloads ` +
      `no repository artifact, so it starts without the repository that ${TEMPLATE} ` +
      `takes from it instead of cloning; add ${REFERENCE} to its needs`
    );
  return (
    `needs: [] drops ${which} that ${TEMPLATE} needs: the job downloads no ` +
    `artifacts, so it starts without the repository that ${TEMPLATE} takes ` +
    `from them instead of cloning; put ${REFERENCE} in its needs`
  );
}

/** A needs list that names other jobs but none of the template's: appended to where it is written. */
function appendFix(model: Model, where: Written, value: CValue, ownerExtends: boolean): Fix[] | undefined {
  if (!where.literal || !ownerExtends || value.kind !== "seq" || !value.items.length) return undefined;
  const last = value.items[value.items.length - 1];
  if (last.src.file !== value.src.file || last.via?.length) return undefined;
  const edit = insertItem(model, value, value.items.length, REFERENCE);
  return edit ? [{ title: `Also need what ${TEMPLATE} needs`, edits: [edit] }] : undefined;
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
  summary: `a job extending ${TEMPLATE} sets needs: [] or needs without the template's, so it gets no repository`,
  check(model) {
    const templateNeeds = needItems(get(get(model.merged, TEMPLATE), "needs"));
    // A template that needs nothing (or one in an include we cannot read) gives nothing to lose.
    if (!templateNeeds?.length) return [];
    const names = neededNames(templateNeeds);
    const out: Diagnostic[] = [];
    for (const job of jobsExtending(model, TEMPLATE)) {
      if (clonesAnyway(job.effective)) continue;
      const needs = needItems(get(job.effective, "needs"));
      if (!needs) continue;
      const empty = needs.length === 0;
      // other needs are fine as long as one of the template's is still there
      if (!empty && (names.length === 0 || neededNames(needs).some((n) => names.includes(n)))) continue;
      const own = entry(job.resolved, "needs");
      if (!own) continue;
      const where = writtenAt(own.value, job.name);
      const ownerExtends =
        where.owner === job.name || (where.owner !== undefined && extendsTemplate(model, where.owner, TEMPLATE));
      out.push({
        src: where.at,
        severity: "warning",
        code: "repo-from-artifacts-needs",
        message: message(names, empty),
        related: [{ src: model.jobs.get(job.name)!.keySrc, message: `used by job "${job.name}"` }],
        fixes: empty
          ? referenceFix(model, where, own.value, ownerExtends)
          : appendFix(model, where, own.value, ownerExtends),
      });
    }
    return gatherRelated(out);
  },
};
