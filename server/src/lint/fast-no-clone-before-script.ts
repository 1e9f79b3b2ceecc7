import type { Model } from "../engine/engine";
import type { CValue, Diagnostic, Fix, Src } from "../engine/types";
import { gatherRelated } from "../engine/gather";
import { flatten } from "../engine/jobs";
import { entry, get, str } from "../engine/values";
import { clonesAnyway, extendsTemplate, jobsExtending, writtenAt, type Written } from "../model/jobs";
import { insertItem } from "../model/list-edits";
import type { LintRule } from "./rule";

// gitlab-org's `.fast-no-clone-job` sets GIT_STRATEGY: none and fetches the few files a job
// needs through the API in its before_script. A job that writes its own before_script without
// that step runs in a directory that has none of the files its script expects.

const TEMPLATE = ".fast-no-clone-job";
const REFERENCE = `!reference ["${TEMPLATE}", before_script]`;
const MESSAGE =
  `before_script replaces the one from ${TEMPLATE}, which downloads the job's ` +
  `files because the job does not clone the repository, so the script runs ` +
  `without them: add ${REFERENCE} to it`;

function commands(v: CValue | undefined): CValue[] {
  if (!v) return [];
  const flat = flatten(v);
  return flat.kind === "seq" ? [...flat.items] : flat.kind === "scalar" && flat.value !== null ? [flat] : [];
}

const sameSrc = (a: Src, b: Src) => a.file === b.file && a.start === b.start && a.end === b.end;

/**
 * By content rather than by the !reference hop: the template's commands also arrive through
 * extends, through a !reference to another template that inherits them, or through an anchor,
 * and all of those still run the download.
 */
function runsDownload(effective: CValue | undefined, download: readonly CValue[]): boolean {
  const have = commands(effective);
  return download.every((d) => have.some((h) => sameSrc(h.src, d.src) || (str(d) !== undefined && str(h) === str(d))));
}

const CURL_INSTALL =
  /\b(apk\s+add|apt-get\s+install|apt\s+install|yum\s+install|dnf\s+install|microdnf\s+install)\b.*\bcurl\b/;

/** Text where a new first item of the list written at `list` goes, or undefined when unsure. */
function insertFirst(model: Model, list: CValue, item: string): Fix["edits"] | undefined {
  const text = model.files.get(list.src.file)?.text;
  if (!text) return undefined;
  if (list.kind === "seq") {
    // The download step runs curl: a job that installs curl first keeps that install in front,
    // as gitlab-org's own jobs on small images do.
    const installs = list.items.findIndex((i) => !CURL_INSTALL.test(str(i) ?? ""));
    const flow = text[list.src.start] === "[";
    const edit = insertItem(model, list, flow ? 0 : installs < 0 ? list.items.length : installs, item);
    return edit ? [edit] : undefined;
  }
  const command = str(list);
  const written = text.slice(list.src.start, list.src.end);
  // A one-line string becomes a flow list; JSON's quoting is valid YAML double-quoted text.
  if (list.kind === "scalar" && command !== undefined && !written.includes("\n")) {
    return [{ src: list.src, newText: `[${item}, ${JSON.stringify(command)}]` }];
  }
  return undefined;
}

function downloadFix(model: Model, where: Written, value: CValue, ownerExtends: boolean): Fix[] | undefined {
  if (!where.literal || !ownerExtends) return undefined;
  const edits = insertFirst(model, value, REFERENCE);
  return edits ? [{ title: `Add ${REFERENCE} to before_script`, edits }] : undefined;
}

export const fastNoCloneBeforeScript: LintRule = {
  id: "fast-no-clone-before-script",
  severity: "warning",
  summary: `a job extending ${TEMPLATE} replaces its before_script without the step that downloads the job's files`,
  check(model) {
    const template = get(model.merged, TEMPLATE);
    const download = commands(get(template, "before_script"));
    // Without the template's own before_script there is nothing to lose (or it is in an include we cannot read).
    if (!download.length) return [];
    const out: Diagnostic[] = [];
    for (const job of jobsExtending(model, TEMPLATE)) {
      if (clonesAnyway(job.effective) || runsDownload(get(job.effective, "before_script"), download)) continue;
      const own = entry(job.resolved, "before_script");
      if (!own) continue;
      const where = writtenAt(own.value, job.name);
      const isNull = own.value.kind === "scalar" && own.value.value === null;
      const ownerExtends =
        where.owner === job.name || (where.owner !== undefined && extendsTemplate(model, where.owner, TEMPLATE));
      out.push({
        // an empty `before_script:` has no text of its own to underline
        src: isNull ? own.keySrc : where.at,
        severity: "warning",
        code: "fast-no-clone-before-script",
        message: MESSAGE,
        related: [{ src: model.jobs.get(job.name)!.keySrc, message: `used by job "${job.name}"` }],
        fixes: isNull ? undefined : downloadFix(model, where, own.value, ownerExtends),
      });
    }
    return gatherRelated(out);
  },
};
