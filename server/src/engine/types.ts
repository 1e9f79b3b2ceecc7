import type { ExternalIncludes } from "./external";
import type { Code } from "./codes";

// Core data model of the engine. Every value of a resolved configuration is a CValue that
// carries the file and offsets it was written at (`src`) and, when it was copied from
// somewhere else, the chain of hops that brought it (`via`). Values are immutable and shared:
// copying a subtree costs one object, so provenance never has to be recomputed.

export interface Src {
  /** Project-relative POSIX path. */
  readonly file: string;
  /** UTF-16 offsets into the file text, end exclusive. */
  readonly start: number;
  readonly end: number;
}

export type ViaKind = "alias" | "merge-key" | "extends" | "reference" | "default" | "global-variables" | "input";

/** One hop on the way from a value's definition to the place it is used. */
export interface Via {
  readonly kind: ViaKind;
  /** Anchor name, parent job name, reference path joined by "." or input name. */
  readonly name: string;
  /** Where the hop is written: the alias, the `extends` entry, the `!reference` tag... */
  readonly at: Src;
}

interface Base {
  readonly src: Src;
  readonly via?: readonly Via[];
}

export interface CEntry {
  readonly key: string;
  readonly keySrc: Src;
  /** For a quoted key: the range between the quotes (the name itself). */
  readonly keyInner?: Src;
  readonly value: CValue;
}

export interface CMap extends Base {
  readonly kind: "map";
  readonly entries: ReadonlyMap<string, CEntry>;
}

export interface CSeq extends Base {
  readonly kind: "seq";
  readonly items: readonly CValue[];
}

export type Scalar = string | number | boolean | null;

export interface CScalar extends Base {
  readonly kind: "scalar";
  readonly value: Scalar;
  /** For a quoted scalar: the range between the quotes. */
  readonly inner?: Src;
}

/** An unresolved `!reference [...]`: its raw items, validated when it is resolved. */
export interface CRef extends Base {
  readonly kind: "ref";
  readonly items: readonly CValue[];
  /** Set when the tag was put on something other than a sequence. */
  readonly invalid?: boolean;
  /** For an invalid one: what the tag was put on, as GitLab's "!reference <it> is not valid" shows it. */
  readonly written?: string;
}

export type CValue = CMap | CSeq | CScalar | CRef;

export type Severity = "error" | "warning" | "information" | "hint";

/** What a project or user may set a diagnostic code to: a severity, or "off" to drop it. */
export type SeveritySetting = Severity | "off";

export interface Related {
  readonly src: Src;
  readonly message: string;
}

/** A text change: replace the text at `src` with `newText`. */
export interface TextEdit {
  readonly src: Src;
  readonly newText: string;
}

/** A fix the user can apply, computed with the finding so every host offers the same one. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

/** A finding in offset form; hosts turn offsets into line/character with the file's LineIndex. */
export interface Diagnostic {
  readonly src: Src;
  readonly severity: Severity;
  readonly code: Code;
  readonly message: string;
  readonly related?: readonly Related[];
  readonly fixes?: readonly Fix[];
  /** The job the finding is about, when it is about one: lets later steps relate findings without reading messages. */
  readonly job?: string;
  /**
   * The inclusion of a file with a `spec:` header that the finding comes from, when known: a file
   * included several times with different inputs is interpolated, and checked, once per inclusion.
   */
  readonly inclusion?: Inclusion;
}

/** One inclusion of a file with a `spec:` header: where it is included, and with which inputs. */
export interface Inclusion {
  /** The included file. */
  readonly file: string;
  /** The `include:` entry (for a child pipeline's root, the trigger's `include:` entry). */
  readonly at: Src;
  /** The inputs written there; undefined when none are (the file's defaults apply). */
  readonly inputs?: CMap;
}

/**
 * Everything the engine may learn about the outside world comes through a SourceHost.
 * The engine itself does no IO: the CLI gives it a disk-backed host, the language
 * server one that lays open editor buffers over the disk.
 */
export interface SourceHost {
  /** Text of a project-relative file, or undefined when it does not exist. */
  readFile(path: string): string | undefined;
  /** Every file of the project, project-relative, for include wildcards. */
  listFiles(): readonly string[];
  /**
   * Why a file that is there cannot be read (it is too big, say), as words that follow its path;
   * undefined when it reads or is not there.
   */
  unreadable?(path: string): string | undefined;
  /**
   * Files outside the project (`include:project`, `component`, `template`, `remote`), when the user
   * turned fetching on; their texts are then read with readFile under `//` virtual paths.
   */
  readonly externalIncludes?: ExternalIncludes;
}
