import { textHash } from "../engine/parsed-store";
import type { ExternalIncludes } from "../engine/external";
import type { SourceHost } from "../engine/types";
import type { PositionedDiagnostic } from "./diagnostics";

// The findings of the last session's last analysis, kept with everything that analysis read, so that
// an editor that starts on unchanged files shows them at once instead of after a whole analysis (half
// a second to a second on GitLab's own config): as a compiler's incremental build keeps a file's
// diagnostics with the hashes of its inputs. They are shown only when every read gives the same answer
// again — each file's text, each missing or unreadable file, the file listing, the git baseline — and
// the settings are the same. The analysis runs all the same, right after, and only the files whose
// findings it sees differently are published again (none, when the inputs were all read).

export const KEPT_FORMAT = 1;

/** An answer from the world: a text, a listing or a set of names, whether a file is there, or none. */
export type Answer = string | readonly string[] | boolean | undefined;

/**
 * Every answer an analysis had from the world, by question: `r path` a file's text, `u path` why it
 * cannot be read, `e path` whether it is there, `l` the file listing, `b` the git baseline's names.
 */
export type Reads = ReadonlyMap<string, Answer>;

/**
 * A host that notes what it is asked and what it answers, around the workspace's own: the texts and the
 * listing are noted as they are (no copy), and hashed only when the findings are kept.
 */
export class ReadRecorder implements SourceHost {
  readonly reads = new Map<string, Answer>();

  constructor(
    private readonly base: SourceHost,
    private readonly isThere?: (path: string) => boolean,
  ) {}

  readFile(path: string): string | undefined {
    const text = this.base.readFile(path);
    this.reads.set(`r ${path}`, text);
    return text;
  }

  listFiles(): readonly string[] {
    const files = this.base.listFiles();
    this.reads.set("l", files);
    return files;
  }

  unreadable(path: string): string | undefined {
    const why = this.base.unreadable?.(path);
    this.reads.set(`u ${path}`, why);
    return why;
  }

  exists(path: string): boolean {
    const there = this.isThere?.(path) ?? false;
    this.reads.set(`e ${path}`, there);
    return there;
  }

  get externalIncludes(): ExternalIncludes | undefined {
    return this.base.externalIncludes;
  }
}

/** A read's answer as kept: texts and listings by length and hash, the rest as they are. */
function answerPrint(answer: Answer, question: string): string {
  if (answer === undefined) return "-";
  if (typeof answer === "boolean") return answer ? "1" : "0";
  if (question.startsWith("u ")) return `u${answer as string}`;
  const text = typeof answer === "string" ? answer : answer.join("\n");
  return `${text.length}:${textHash(text)}`;
}

/** What is kept: the findings, and what they were made from. */
export interface KeptFindings {
  readonly format: number;
  /** The settings the analysis ran with, and the git baseline its GLCI_ rule saw, as one string. */
  readonly context: string;
  readonly reads: ReadonlyArray<readonly [question: string, answer: string]>;
  readonly files: ReadonlyArray<readonly [file: string, diagnostics: readonly PositionedDiagnostic[]]>;
  /** The git baseline as it was computed (workspace/baseline.ts's), for the next session to start with. */
  readonly baseline?: unknown;
}

export function keep(
  context: string,
  reads: Reads,
  diagnostics: ReadonlyMap<string, readonly PositionedDiagnostic[]>,
  baseline?: unknown,
): KeptFindings {
  return {
    format: KEPT_FORMAT,
    context,
    reads: [...reads].map(([q, a]) => [q, answerPrint(a, q)] as const),
    files: [...diagnostics],
    ...(baseline === undefined ? {} : { baseline }),
  };
}

/** The questions a ReadRecorder notes, asked again of a host; null for any other. */
export function askingHost(host: SourceHost, isThere: (path: string) => boolean): (question: string) => Answer | null {
  return (question) => {
    const path = question.slice(2);
    if (question === "l") return host.listFiles();
    if (question.startsWith("r ")) return host.readFile(path);
    if (question.startsWith("u ")) return host.unreadable?.(path);
    if (question.startsWith("e ")) return isThere(path);
    return null;
  };
}

/**
 * The kept findings by file when they hold now: made in this context, and every question answered as
 * it was (`ask` answers null to a question it does not know: the findings do not hold). Anything
 * malformed is ignored, never trusted.
 */
export function stillHolding(
  data: unknown,
  context: string,
  ask: (question: string) => Answer | null,
): ReadonlyMap<string, readonly PositionedDiagnostic[]> | undefined {
  if (!data || typeof data !== "object") return undefined;
  const kept = data as Partial<KeptFindings>;
  if (kept.format !== KEPT_FORMAT || kept.context !== context) return undefined;
  if (!Array.isArray(kept.reads) || !Array.isArray(kept.files)) return undefined;
  for (const read of kept.reads) {
    if (!Array.isArray(read) || typeof read[0] !== "string" || typeof read[1] !== "string") return undefined;
    const now = ask(read[0]);
    if (now === null || answerPrint(now, read[0]) !== read[1]) return undefined;
  }
  const files = new Map<string, readonly PositionedDiagnostic[]>();
  for (const entry of kept.files) {
    if (!Array.isArray(entry) || typeof entry[0] !== "string" || !Array.isArray(entry[1])) return undefined;
    if (!entry[1].every(wellFormed)) return undefined;
    files.set(entry[0], entry[1] as PositionedDiagnostic[]);
  }
  return files;
}

const isPosition = (p: unknown): boolean =>
  !!p &&
  typeof p === "object" &&
  Number.isInteger((p as { line: unknown }).line) &&
  Number.isInteger((p as { character: unknown }).character);

/** A file and a range in it. */
function located(x: unknown): boolean {
  if (!x || typeof x !== "object") return false;
  const l = x as { file?: unknown; range?: { start?: unknown; end?: unknown } };
  return typeof l.file === "string" && !!l.range && isPosition(l.range.start) && isPosition(l.range.end);
}

const SEVERITIES: ReadonlySet<unknown> = new Set(["error", "warning", "information", "hint"]);

/** Enough of a diagnostic's shape (its related places and fixes too) for the host to turn it into its own. */
function wellFormed(d: unknown): boolean {
  if (!located(d)) return false;
  const x = d as Partial<PositionedDiagnostic>;
  const list = (v: unknown, each: (item: unknown) => boolean) => v === undefined || (Array.isArray(v) && v.every(each));
  return (
    typeof x.message === "string" &&
    typeof x.code === "string" &&
    SEVERITIES.has(x.severity) &&
    (x.docs === undefined || typeof x.docs === "string") &&
    list(x.related, (r) => located(r) && typeof (r as { message?: unknown }).message === "string") &&
    list(
      x.fixes,
      (f) =>
        !!f &&
        typeof (f as { title?: unknown }).title === "string" &&
        Array.isArray((f as { edits?: unknown }).edits) &&
        (f as { edits: unknown[] }).edits.every(
          (e) => located(e) && typeof (e as { newText?: unknown }).newText === "string",
        ),
    )
  );
}
