import type { Model } from "../../engine/engine";
import type { LineIndex } from "../../engine/text";
import type { TextEdit } from "../../engine/types";
import { spotAt } from "../../model/locate";
import { completeCall, daggerJobText, hoverCall, type CallSuggestion } from "./call";
import { convertJob, likelyExecutor, setupJobName, setupJobText, type Conversion, type Executor } from "./convert";
import { DEFAULT_ENGINE_VERSION, type DaggerModule } from "./module";

// Where the Dagger features apply in a CI file, for the language server: which job a code
// action converts, the jobs that can be inserted, and the `dagger call` line under the cursor.

export type Read = (path: string) => string | undefined;

/** The job whose name or script is at `offset`: what "Convert job to Dagger Function" acts on. */
export function conversionTarget(model: Model, file: string, offset: number): string | undefined {
  const parsed = model.files.get(file);
  if (!parsed) return undefined;
  const spot = spotAt(parsed, offset);
  if (!spot || spot.inHeader || typeof spot.path[0] !== "string") return undefined;
  const name = spot.path[0];
  if (model.jobs.get(name)?.kind !== "job") return undefined;
  const onName = spot.path.length === 1 && spot.key?.key === name;
  const inScript = spot.path[1] === "script" || (spot.path.length === 2 && spot.key?.key === "script");
  return onName || inScript ? name : undefined;
}

/** One conversion per executor, the one matching how the job runs today first and preferred. */
export function conversions(
  model: Model,
  file: string,
  offset: number,
  module: DaggerModule | undefined,
  read: Read,
): Array<Conversion & { readonly preferred: boolean }> {
  const name = conversionTarget(model, file, offset);
  if (!name) return [];
  const moduleSource = module ? read(module.entryFile) : undefined;
  const likely = likelyExecutor(model, name);
  const executors: Executor[] = likely === "kubernetes" ? ["kubernetes", "docker"] : ["docker", "kubernetes"];
  return executors.flatMap((executor) => {
    const c = convertJob(model, name, { executor, module, moduleSource });
    return c ? [{ ...c, preferred: executor === likely }] : [];
  });
}

export interface InsertJob {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

/**
 * "Insert a Dagger job" for each function of the module: a job calling it, added at the end of
 * the file, with the `.dagger` set-up job when the config has none (Docker executor, the common case).
 */
export function insertJobActions(model: Model, file: string, module: DaggerModule | undefined): InsertJob[] {
  const parsed = model.files.get(file);
  if (!module || !parsed) return [];
  const text = parsed.text;
  const end = text.length;
  const lead = text.length === 0 || text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n";
  const setupName = setupJobName(model, "docker");
  const setup = model.jobs.has(setupName)
    ? ""
    : `${setupJobText(model, "docker", (module.engineVersion ?? DEFAULT_ENGINE_VERSION).replace(/^v/, ""), setupName)}\n`;
  const free = (wanted: string) => {
    let name = wanted;
    for (let i = 2; model.jobs.has(name); i++) name = `${wanted}-dagger${i === 2 ? "" : `-${i - 1}`}`;
    return name;
  };
  return module.functions.map((fn) => ({
    title: `Insert a Dagger job calling ${fn.cliName}`,
    edits: [
      { src: { file, start: end, end }, newText: `${lead}${setup}${daggerJobText(fn, setupName, free(fn.cliName))}` },
    ],
  }));
}

// A `dagger call` command is read from the line it is on (completion works on half-typed text).

export function daggerCompletion(lines: LineIndex, offset: number, module: DaggerModule | undefined): CallSuggestion[] {
  const { text: line, start } = lines.lineAt(offset);
  if (!module || !/\bdagger\b/.test(line)) return [];
  return completeCall(line, offset - start, module).map((s) => ({ ...s, start: s.start + start, end: s.end + start }));
}

export function daggerHover(
  lines: LineIndex,
  offset: number,
  module: DaggerModule | undefined,
): { markdown: string; start: number; end: number } | undefined {
  const { text: line, start } = lines.lineAt(offset);
  if (!module || !/\bdagger\b/.test(line)) return undefined;
  const h = hoverCall(line, offset - start, module);
  return h ? { markdown: h.markdown, start: h.start + start, end: h.end + start } : undefined;
}
