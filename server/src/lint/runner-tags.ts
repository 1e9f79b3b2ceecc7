import type { Model } from "../engine/engine";
import type { CMap, CSeq, CValue, Diagnostic, Fix, Src } from "../engine/types";
import { gatherRelated } from "../engine/gather";
import { get, str } from "../engine/values";
import { removeItem } from "./list-edits";
import type { LintRule } from "./registry";

// gitlab-org runners: `gitlab-org` for ordinary jobs, `gitlab-org-docker` for jobs that need
// Docker-in-Docker. No runner carries both tags, so a job asking for both never starts.

const PLAIN = "gitlab-org";
const DOCKER = "gitlab-org-docker";
const DIND_TEMPLATE = ".use-docker-in-docker";

function tagItems(job: CMap): CValue[] {
  const tags = get(job, "tags");
  return tags?.kind === "seq" ? [...tags.items] : [];
}

/** A job needs Docker-in-Docker when it runs a docker:*dind service or extends the dind template. */
export function usesDind(model: Model, name: string, job: CMap): boolean {
  const services = get(job, "services");
  const image = (s: CValue) => str(s) ?? str(get(s, "name")) ?? "";
  // through a registry mirror or the dependency proxy the image is still docker:*dind
  const dind = (name: string) => /^docker:.*dind/.test(name.replace(/^.*[/}]/, "").replace(/^\$\w+/, ""));
  if (services?.kind === "seq" && services.items.some((s) => dind(image(s)))) return true;
  const seen = new Set<string>();
  const ancestors = (n: string): boolean =>
    (model.extendsParents.get(n) ?? []).some((p) => p.name === DIND_TEMPLATE || (!seen.has(p.name) && (seen.add(p.name), ancestors(p.name))));
  return ancestors(name);
}

function jobs(model: Model): Array<[string, CMap]> {
  const out: Array<[string, CMap]> = [];
  for (const j of model.jobs.values()) {
    if (j.kind !== "job") continue;
    const eff = model.effectiveJob(j.name);
    if (eff) out.push([j.name, eff]);
  }
  return out;
}


export const conflictingRunnerTags: LintRule = {
  id: "conflicting-runner-tags",
  severity: "error",
  summary: `a job asks for both ${PLAIN} and ${DOCKER}: no runner has both`,
  check(model) {
    const out: Diagnostic[] = [];
    for (const [name, job] of jobs(model)) {
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
        message: `runner tags "${PLAIN}" and "${DOCKER}" together match no runner, so the job never starts: keep "${DOCKER}" for Docker-in-Docker jobs, "${PLAIN}" otherwise`,
        related: [{ src: model.jobs.get(name)!.keySrc, message: `used by job "${name}"${keep === DOCKER ? " (uses Docker-in-Docker)" : ""}` }],
        fixes,
      });
    }
    return gatherRelated(out);
  },
};

export const dindWithoutDockerTag: LintRule = {
  id: "dind-without-docker-tag",
  severity: "warning",
  summary: `a Docker-in-Docker job runs on ${PLAIN} runners, which cannot run it`,
  check(model) {
    const out: Diagnostic[] = [];
    for (const [name, job] of jobs(model)) {
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
        const text = model.files.get(first?.keySrc.file ?? "")?.text;
        if (first && text) {
          const lineStart = text.lastIndexOf("\n", first.keySrc.start - 1) + 1;
          const indent = text.slice(lineStart, first.keySrc.start);
          if (/^\s*$/.test(indent)) fix = { title: `Add "tags: [${DOCKER}]" to job "${name}"`, edits: [{ src: { file: first.keySrc.file, start: lineStart, end: lineStart } as Src, newText: `${indent}tags: [${DOCKER}]\n` }] };
        }
      }
      const message = `Docker-in-Docker needs a privileged runner, but "${PLAIN}" runners are not: use "${DOCKER}"`;
      out.push(
        fromDefault
          ? { src: info.keySrc, severity: "warning", code: "dind-without-docker-tag", message: `job "${name}" uses Docker-in-Docker and takes "${PLAIN}" from default: use "${DOCKER}"`, fixes: fix ? [fix] : undefined }
          : { src: plain.src, severity: "warning", code: "dind-without-docker-tag", message, related: [{ src: info.keySrc, message: `used by job "${name}"` }], fixes: fix ? [fix] : undefined },
      );
    }
    return gatherRelated(out);
  },
};
