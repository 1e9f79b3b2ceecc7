import type { CMap, CSeq, CValue, Diagnostic, Fix } from "../engine/types";
import { gatherRelated } from "../engine/gather";
import { get, str } from "../engine/values";
import { usesDind } from "../model/images";
import { visibleJobs } from "../model/jobs";
import { removeItem } from "../model/list-edits";
import type { LintRule } from "./rule";

// gitlab-org runners: `gitlab-org` for ordinary jobs, `gitlab-org-docker` for jobs that need
// Docker-in-Docker. No runner carries both tags, so a job asking for both never starts.

const PLAIN = "gitlab-org";
const DOCKER = "gitlab-org-docker";

function tagItems(job: CMap): CValue[] {
  const tags = get(job, "tags");
  return tags?.kind === "seq" ? [...tags.items] : [];
}

export const conflictingRunnerTags: LintRule = {
  id: "conflicting-runner-tags",
  severity: "error",
  summary: `a job asks for both ${PLAIN} and ${DOCKER}: no runner has both`,
  check(model) {
    const out: Diagnostic[] = [];
    for (const [name, job] of visibleJobs(model)) {
      const items = tagItems(job);
      const plain = items.findIndex((t) => str(t) === PLAIN);
      const docker = items.findIndex((t) => str(t) === DOCKER);
      if (plain < 0 || docker < 0) continue;
      const tags = get(job, "tags") as CSeq;
      const keep = usesDind(model, name, job) ? DOCKER : PLAIN;
      const drop = keep === DOCKER ? plain : docker;
      const edit = removeItem(model, tags, drop);
      const fixes: Fix[] | undefined = edit ? [{ title: `Keep only "${keep}"`, edits: [edit] }] : undefined;
      out.push({
        src: tags.src,
        severity: "error",
        code: "conflicting-runner-tags",
        message:
          `runner tags "${PLAIN}" and "${DOCKER}" together match no runner, so the ` +
          `job never starts: keep "${DOCKER}" for Docker-in-Docker jobs, "${PLAIN}" ` +
          `otherwise`,
        related: [
          {
            src: model.jobs.get(name)!.keySrc,
            message: `used by job "${name}"${keep === DOCKER ? " (uses Docker-in-Docker)" : ""}`,
          },
        ],
        fixes,
      });
    }
    return gatherRelated(out);
  },
};
