import type { DaggerFunction } from "./functions";
import type { DaggerModule } from "./module";

// Inside a script line that runs `dagger call`, the words after `call` are the module's
// functions and their flags, in kebab-case. These functions read one line of text and the
// module parsed from its source; the caller finds the line and turns offsets into ranges.

export interface CallToken {
  readonly text: string;
  /** Offsets in the line, end exclusive. */
  readonly start: number;
  readonly end: number;
}

export interface CallSuggestion {
  readonly label: string;
  readonly kind: "function" | "flag";
  readonly detail: string;
  readonly documentation?: string;
  /** What to insert in place of the word at the cursor. */
  readonly insertText: string;
  readonly start: number;
  readonly end: number;
}

/** Words of the line, split on blanks outside quotes. */
export function tokens(line: string): CallToken[] {
  const out: CallToken[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length) break;
    const start = i;
    let quote = "";
    while (i < line.length && (quote || !/\s/.test(line[i]))) {
      if (quote && line[i] === quote) quote = "";
      else if (!quote && (line[i] === '"' || line[i] === "'")) quote = line[i];
      i++;
    }
    out.push({ text: line.slice(start, i), start, end: i });
  }
  return out;
}

interface Parsed {
  /** Index of the `call` word; -1 when the line runs no `dagger call`. */
  readonly call: number;
  readonly words: readonly CallToken[];
}

function parse(line: string): Parsed {
  const words = tokens(line);
  const dagger = words.findIndex((w) => w.text === "dagger" || w.text.endsWith("/dagger"));
  if (dagger < 0) return { call: -1, words };
  const call = words.findIndex((w, i) => i > dagger && w.text === "call");
  return { call, words };
}

/** The function a `dagger call` line calls: the first word after `call` that is not a flag. */
function calledFunction(p: Parsed, module: DaggerModule): { fn?: DaggerFunction; index: number } {
  for (let i = p.call + 1; i < p.words.length; i++) {
    const w = p.words[i].text;
    if (w.startsWith("-")) continue;
    return { fn: module.functions.find((f) => f.cliName === w), index: i };
  }
  return { index: -1 };
}

export function signature(fn: DaggerFunction): string {
  const params = fn.params.map(
    (p) =>
      `${p.name}${p.optional || p.defaultValue !== undefined || p.defaultPath !== undefined ? "?" : ""}: ${p.type}`,
  );
  return `${fn.name}(${params.join(", ")}): ${fn.returns}`;
}

function flagDetail(fn: DaggerFunction, flag: string): string | undefined {
  const p = fn.params.find((x) => x.flag === flag);
  if (!p) return undefined;
  const how =
    p.type === "Directory" || p.type === "File"
      ? "a path on the host or a Git URL"
      : p.type === "Secret"
        ? "a secret: env:NAME, file:PATH or cmd:COMMAND"
        : p.type === "boolean"
          ? "a bare flag"
          : "a value";
  const dflt =
    p.defaultPath !== undefined
      ? ` (defaults to the context path ${p.defaultPath})`
      : p.defaultValue !== undefined
        ? ` (defaults to ${p.defaultValue})`
        : p.optional
          ? " (optional)"
          : "";
  return `${p.flag} ${p.type}: ${how}${dflt}`;
}

export function functionDoc(fn: DaggerFunction): string {
  const cli = [
    `dagger call ${fn.cliName}`,
    ...fn.params.map((p) =>
      p.optional || p.defaultValue !== undefined || p.defaultPath !== undefined ? `[${p.flag}=…]` : `${p.flag}=…`,
    ),
  ].join(" ");
  return ["```typescript", signature(fn), "```", fn.doc ?? "", "", "```sh", cli, "```"]
    .filter((l, i, a) => !(l === "" && a[i - 1] === ""))
    .join("\n");
}

/** Completion after `dagger call`: function names, then the flags of the chosen function. */
export function completeCall(line: string, col: number, module: DaggerModule): CallSuggestion[] {
  const p = parse(line);
  if (p.call < 0 || col <= p.words[p.call].end) return [];
  const current = p.words.find((w) => w.start <= col && col <= w.end);
  const start = current?.start ?? col;
  const end = current?.end ?? col;
  const typed = line.slice(start, col);
  const { fn, index } = calledFunction(p, module);
  const onFunction = index < 0 || (current !== undefined && p.words[index] === current);
  if (onFunction && !typed.startsWith("-")) {
    return module.functions
      .filter((f) => f.cliName.startsWith(typed))
      .map((f) => ({
        label: f.cliName,
        kind: "function",
        detail: signature(f),
        documentation: f.doc,
        insertText: f.cliName,
        start,
        end,
      }));
  }
  if (!fn || !typed.startsWith("-")) return [];
  const used = new Set(p.words.filter((w) => w !== current).map((w) => w.text.split("=")[0]));
  return fn.params
    .filter((x) => !used.has(x.flag) && x.flag.startsWith(typed.split("=")[0]))
    .map((x) => ({
      label: x.flag,
      kind: "flag",
      detail: flagDetail(fn, x.flag)!,
      insertText: x.type === "boolean" ? x.flag : `${x.flag}=`,
      start,
      end,
    }));
}

/** Hover on the function word or one of its flags in a `dagger call` line. */
export function hoverCall(
  line: string,
  col: number,
  module: DaggerModule,
): { markdown: string; start: number; end: number } | undefined {
  const p = parse(line);
  if (p.call < 0) return undefined;
  const word = p.words.find((w) => w.start <= col && col < w.end);
  if (!word || p.words.indexOf(word) <= p.call) return undefined;
  const { fn, index } = calledFunction(p, module);
  if (!fn) return undefined;
  if (p.words[index] === word) return { markdown: functionDoc(fn), start: word.start, end: word.end };
  const flag = word.text.split("=")[0];
  const detail = flagDetail(fn, flag);
  return detail
    ? { markdown: `\`${fn.cliName}\` ${detail}`, start: word.start, end: word.start + flag.length }
    : undefined;
}

/** A job that calls `fn`, extending the Dagger set-up job: for the "Insert a Dagger job" action. */
export function daggerJobText(fn: DaggerFunction, setupJob: string, jobName = fn.cliName): string {
  const required = fn.params.filter((p) => !p.optional && p.defaultValue === undefined && p.defaultPath === undefined);
  const flags = required.map((p) =>
    p.type === "Directory" ? `${p.flag}=.` : p.type === "boolean" ? p.flag : `${p.flag}=`,
  );
  if (!flags.some((f) => f.startsWith("--source")) && fn.params.some((p) => p.flag === "--source"))
    flags.unshift("--source=.");
  const tail = /\bDirectory\b/.test(fn.returns) ? "export --path=." : /\bContainer\b/.test(fn.returns) ? "stdout" : "";
  const call = ["dagger", "call", fn.cliName, ...flags, tail].filter(Boolean).join(" ");
  return `${jobName}:\n  extends: ${setupJob}\n  script:\n    - ${call}\n`;
}
