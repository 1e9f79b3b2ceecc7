import type { CMap, CValue, Diagnostic, Fix, Src } from "../engine/types";
import { gatherRelated } from "../engine/gather";
import { get, str } from "../engine/values";
import { usesDind } from "../model/images";
import { visibleJobs } from "../model/jobs";
import type { LintRule } from "./rule";

// Docker-in-Docker needs a privileged runner: on gitlab-org that is `gitlab-org-docker`; the
// ordinary `gitlab-org` runners cannot start the docker:dind service.

const PLAIN = "gitlab-org";
const DOCKER = "gitlab-org-docker";

function tagItems(job: CMap): CValue[] {
  const tags = get(job, "tags");
  return tags?.kind === "seq" ? [...tags.items] : [];
}

export const dindWithoutDockerTag: LintRule = {
  id: "dind-without-docker-tag",
  severity: "warning",
  summary: `a Docker-in-Docker job runs on ${PLAIN} runners, which cannot run it`,
  check(model) {
    const out: Diagnostic[] = [];
    for (const [name, job] of visibleJobs(model)) {
      const items = tagItems(job);
      const plain = items.find((t) => str(t) === PLAIN);
      if (!plain || items.some((t) => str(t) === DOCKER) || !usesDind(model, name, job)) continue;
      const info = model.jobs.get(name)!;
      const fromDefault = get(job, "tags")?.via?.some((h) => h.kind === "default");
      let fix: Fix | undefined;
      if (!fromDefault) {
        fix = { title: `Use "${DOCKER}"`, edits: [{ src: plain.src, newText: DOCKER }] };
      } else if (info.value.kind === "map") {
        // the tag comes from default: give this job its own tags instead of changing every job
        const first = [...info.value.entries.values()][0];
        const lines = model.files.get(first?.keySrc.file ?? "")?.lines;
        if (first && lines) {
          const lineStart = lines.startOfLine(first.keySrc.start);
          const indent = lines.text.slice(lineStart, first.keySrc.start);
          if (/^\s*$/.test(indent))
            fix = {
              title: `Add "tags: [${DOCKER}]" to job "${name}"`,
              edits: [
                {
                  src: { file: first.keySrc.file, start: lineStart, end: lineStart } as Src,
                  newText: `${indent}tags: [${DOCKER}]\n`,
                },
              ],
            };
        }
      }
      const message = `Docker-in-Docker needs a privileged runner, but "${PLAIN}" runners are not: use "${DOCKER}"`;
      out.push(
        fromDefault
          ? {
              src: info.keySrc,
              severity: "warning",
              code: "dind-without-docker-tag",
              message: `job "${name}" uses Docker-in-Docker and takes "${PLAIN}" from default: use "${DOCKER}"`,
              fixes: fix ? [fix] : undefined,
            }
          : {
              src: plain.src,
              severity: "warning",
              code: "dind-without-docker-tag",
              message,
              related: [{ src: info.keySrc, message: `used by job "${name}"` }],
              fixes: fix ? [fix] : undefined,
            },
      );
    }
    return gatherRelated(out);
  },
};
