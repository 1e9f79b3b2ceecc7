import type { Model } from "../engine/engine";
import type { CMap, CValue, Diagnostic, Fix, Src } from "../engine/types";
import { flatten, flattenJob } from "../engine/jobs";
import { get, str } from "../engine/values";
import { usesDind } from "../model/images";
import { visibleJobs } from "../model/jobs";
import type { LintRule } from "./rule";

// The Dagger CLI runs nothing itself: it connects to an engine. In a CI job that is the engine it
// starts in a Docker-in-Docker service, or the engine of a dagger-node host that Kubernetes runners
// reach through its socket (_EXPERIMENTAL_DAGGER_RUNNER_HOST points the CLI at it). A job with
// neither fails at its first `dagger call`, after pulling its image and installing the CLI.

const ID = "dagger-without-engine";
const DAGGER_NODE = "dagger-node";
const RUNNER_HOST = "_EXPERIMENTAL_DAGGER_RUNNER_HOST";
/** The hidden job the Dagger conversion writes; a job that extends it gets its engine. */
const SETUP_JOB = ".dagger";

/**
 * `dagger` where a shell starts a command: at the start of a line, after `&&`, `||`, `;`, `|`, `&`,
 * `(` or `$(`, a shell keyword, `sudo`/`exec`/... and `NAME=value` assignments; written bare or as a
 * path (`./bin/dagger`, `/usr/local/bin/dagger`), and followed by the end of the word.
 */
const COMMAND = new RegExp(
  String.raw`(?:^|&&|\|\||[;|&(]|\$\()\s*` +
    String.raw`(?:(?:if|then|else|do|while|until|!|time|sudo|exec|command|env|nohup)(?:\s+-[\w-]+)*\s+|\w+=\S*\s+)*` +
    String.raw`((?:[\w.~/\${}-]*/)?dagger)(?=$|[\s;&|)])(.*)`,
);
/** Sub-commands that never connect to an engine. */
const NO_ENGINE = /^\s*(?:version|help|completion|--help|-h|--version)\b/;

/** The text with quoted strings blanked (same length) and comments cut, so neither can hold a command. */
function shellText(line: string): string {
  const blanked = line.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, (q) => q[0] + " ".repeat(q.length - 2) + q[0]);
  const comment = blanked.search(/(?:^|\s)#/);
  return comment < 0 ? blanked : blanked.slice(0, comment);
}

/** The line of a command that runs dagger, if one does. */
function daggerLine(command: string): string | undefined {
  // most scripts never name dagger: one search rules them out before the per-line pattern
  if (!command.includes("dagger")) return undefined;
  for (const line of command.split("\n")) {
    const m = COMMAND.exec(shellText(line));
    if (m && !NO_ENGINE.test(m[2])) return line;
  }
  return undefined;
}

function commands(v: CValue | undefined): CValue[] {
  if (!v) return [];
  const flat = flatten(v);
  return flat.kind === "seq" ? [...flat.items] : flat.kind === "scalar" ? [flat] : [];
}

/** Each resolved job's first dagger line (null: none): an edit re-reads only the scripts of the jobs it changed. */
const firstDaggerOf = new WeakMap<CMap, { item: CValue; src: Src } | null>();

/** The first script line of the job that runs dagger: where it is written, narrowed to its line in a block. */
function firstDagger(model: Model, job: CMap): { item: CValue; src: Src } | undefined {
  let found = firstDaggerOf.get(job);
  if (found === undefined) firstDaggerOf.set(job, (found = findDagger(model, job) ?? null));
  return found ?? undefined;
}

function findDagger(model: Model, job: CMap): { item: CValue; src: Src } | undefined {
  for (const key of ["before_script", "script"]) {
    for (const item of commands(get(job, key))) {
      const text = str(item);
      const line = text === undefined ? undefined : daggerLine(text);
      if (line === undefined) continue;
      const written = model.files.get(item.src.file)?.text.slice(item.src.start, item.src.end) ?? "";
      const trimmed = line.trim();
      const at = text!.includes("\n") && trimmed ? written.indexOf(trimmed) : -1;
      const src =
        at < 0 ? item.src : { ...item.src, start: item.src.start + at, end: item.src.start + at + trimmed.length };
      return { item, src };
    }
  }
  return undefined;
}

function tagStrings(v: CValue | undefined): string[] {
  if (!v) return [];
  if (v.kind === "scalar") return v.value === null ? [] : [String(v.value)];
  if (v.kind === "seq") return v.items.flatMap(tagStrings);
  return [];
}

/** The value the job's variables give `name`, if any. */
function variable(job: CMap, name: string): string | undefined {
  const v = get(get(job, "variables"), name);
  return str(v?.kind === "map" ? get(v, "value") : v);
}

/**
 * A service whose image a variable names (`name: ${DOCKER_DIND_IMAGE}`) and that is the daemon DOCKER_HOST
 * names: the host of `tcp://docker:2375` is one of its aliases, or the variable's name says Docker.
 */
function variableDindService(job: CMap): boolean {
  const host = /^tcp:\/\/([^:/]+)/.exec(variable(job, "DOCKER_HOST") ?? "")?.[1];
  const services = get(job, "services");
  if (!host || services?.kind !== "seq") return false;
  return services.items.some((s) => {
    const image = str(s) ?? str(get(s, "name")) ?? "";
    const aliases = (str(get(s, "alias")) ?? "").split(",").map((a) => a.trim());
    return image.includes("$") && (aliases.includes(host) || /\$\{?\w*(DIND|DOCKER)\w*\}?/i.test(image));
  });
}

/**
 * How a job (effective, or a template's resolved value) reaches an engine, if it does. A service
 * whose image is a variable counts as Docker-in-Docker when it is the daemon DOCKER_HOST names: the
 * CLI starts its engine there. DOCKER_HOST alone does not: a job's own services replace those of the
 * template that set it, and the daemon goes with them.
 */
function engine(model: Model, name: string, job: CMap): "dind" | "tag" | "variable" | undefined {
  if (variable(job, RUNNER_HOST)) return "variable";
  if (tagStrings(get(job, "tags")).includes(DAGGER_NODE)) return "tag";
  const flat = flattenJob(job);
  if (usesDind(model, name, flat) || variableDindService(flat)) return "dind";
  return undefined;
}

/**
 * `extends: .dagger` as the job's first key, when that gives it an engine: the config has a `.dagger`
 * that reaches one, the job extends nothing (its own value is all there is to merge over), and does not
 * write the key that would replace the engine's.
 */
function extendsFix(model: Model, name: string): Fix | undefined {
  const setup = model.jobs.get(SETUP_JOB)?.value;
  const info = model.jobs.get(name);
  if (setup?.kind !== "map" || info?.value.kind !== "map" || model.extendsParents.get(name)?.length) return undefined;
  if (info.value.entries.has("extends")) return undefined;
  const how = engine(model, SETUP_JOB, setup);
  if (
    !how ||
    (how === "dind" && info.value.entries.has("services")) ||
    (how === "tag" && info.value.entries.has("tags"))
  )
    return undefined;
  const first = [...info.value.entries.values()][0];
  const lines = model.files.get(first?.keySrc.file ?? "")?.lines;
  // the first key must be the job's own, written in its block mapping (not a merge key's, not a flow map)
  if (!first || !lines || first.keySrc.file !== info.value.src.file) return undefined;
  if (first.keySrc.start < info.value.src.start || first.keySrc.start >= info.value.src.end) return undefined;
  const lineStart = lines.startOfLine(first.keySrc.start);
  const indent = lines.text.slice(lineStart, first.keySrc.start);
  if (!/^[ \t]*$/.test(indent)) return undefined;
  return {
    title: `Extend ${SETUP_JOB} in job "${name}"`,
    edits: [
      {
        src: { file: first.keySrc.file, start: lineStart, end: lineStart } as Src,
        newText: `${indent}extends: ${SETUP_JOB}\n`,
      },
    ],
  };
}

export const daggerWithoutEngine: LintRule = {
  id: ID,
  severity: "warning",
  summary: "a job runs the Dagger CLI without a Docker-in-Docker service or dagger-node runners to give it an engine",
  check(model) {
    const out: Diagnostic[] = [];
    for (const [name, job] of visibleJobs(model)) {
      const found = firstDagger(model, job);
      if (!found || engine(model, name, job)) continue;
      const info = model.jobs.get(name)!;
      const inJob =
        found.src.file === info.value.src.file &&
        found.src.start >= info.value.src.start &&
        found.src.end <= info.value.src.end;
      const fix = extendsFix(model, name);
      out.push({
        src: found.src,
        severity: "warning",
        code: ID,
        message:
          `job "${name}" runs \`dagger\` but has no engine to reach: add a Docker-in-Docker service ` +
          `(extend \`${SETUP_JOB}\`) or run it on \`${DAGGER_NODE}\` runners`,
        related: inJob ? undefined : [{ src: info.keySrc, message: `run by job "${name}"` }],
        fixes: fix ? [fix] : undefined,
      });
    }
    return out;
  },
};
