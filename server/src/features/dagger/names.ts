// Names, as Dagger converts them (github.com/iancoleman/strcase, which the engine and the CLI use):
// the engine stores a function's name through ToLowerCamel, the CLI shows it through ToKebab.

function isUpper(c: string): boolean {
  return c >= "A" && c <= "Z";
}

function isLower(c: string): boolean {
  return c >= "a" && c <= "z";
}

export function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

/** strcase's toCamelInitCase: separators start a word, a digit starts one too, runs of capitals fold. */
function strcaseCamel(s: string, initCase: boolean): string {
  const text = s.trim();
  let out = "";
  let capNext = initCase;
  let prevIsCap = false;
  for (let i = 0; i < text.length; i++) {
    let c = text[i];
    const cap = isUpper(c);
    const low = isLower(c);
    if (capNext) {
      if (low) c = c.toUpperCase();
    } else if (i === 0) {
      if (cap) c = c.toLowerCase();
    } else if (prevIsCap && cap) {
      c = c.toLowerCase();
    }
    prevIsCap = cap;
    if (cap || low) {
      out += c;
      capNext = false;
    } else if (isDigit(c)) {
      out += c;
      capNext = true;
    } else {
      capNext = c === "_" || c === " " || c === "-" || c === ".";
    }
  }
  return out;
}

/** strcase's ToKebab: a dash where the kind of character changes (lower→upper, letter↔digit). */
function strcaseKebab(s: string): string {
  const text = s.trim();
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const cap = isUpper(c);
    const low = isLower(c);
    const v = cap ? c.toLowerCase() : c;
    if (i + 1 < text.length) {
      const next = text[i + 1];
      const num = isDigit(v);
      const nextCap = isUpper(next);
      const nextLow = isLower(next);
      const nextNum = isDigit(next);
      if ((cap && (nextLow || nextNum)) || (low && (nextCap || nextNum)) || (num && (nextCap || nextLow))) {
        if (cap && nextLow && i > 0 && isUpper(text[i - 1])) out += "-";
        out += v;
        if (low || num || nextNum) out += "-";
        continue;
      }
    }
    out += c === " " || c === "_" || c === "-" || c === "." ? "-" : v;
  }
  return out;
}

// Job and variable names carry any punctuation ("rspec unit:pg14", ".pre"); Dagger only
// splits words at space, "_", "-" and ".", so everything else is made a separator first.
function separated(name: string): string {
  return name.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
}

// Not valid as parameter names (and confusing as method names), so never generated.
const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else " +
    "enum export extends false finally for function if import in " +
    ("instanceof new null return super switch this throw true try typeof var " +
      "void while with implements interface let package private ") +
    "protected public static yield await arguments eval constructor"
  ).split(" "),
);

/**
 * `name` as Dagger's CLI spells a function or argument of that name: containerEcho → container-echo, "rspec unit:pg14"
 * → rspec-unit-pg-14.
 */
export function kebabCase(name: string): string {
  return strcaseKebab(strcaseCamel(separated(name), false))
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
}

/**
 * A TypeScript identifier that Dagger keeps as is: "rspec unit:pg14" → rspecUnitPg14, CI_COMMIT_SHA → ciCommitSha; a
 * leading digit or a reserved word gets the prefix "job".
 */
export function camelCase(name: string): string {
  let out = strcaseCamel(separated(name), false);
  // strcase is not idempotent on runs like "xY_Z" → "xYZ"; one more pass settles it, so the
  // name in the code is the name the engine stores
  for (let again = strcaseCamel(out, false); again !== out; again = strcaseCamel(out, false)) out = again;
  if (out === "" || isDigit(out[0]) || RESERVED.has(out)) out = strcaseCamel(`job_${out}`, false);
  return out;
}

/** The class name Dagger expects for a module name (strcase.ToCamel): "my-module" → MyModule, "ci" → Ci. */
export function pascalCase(name: string): string {
  return strcaseCamel(name, true);
}

/** The flag of a parameter, as the CLI derives it from the engine's name for it. */
export function flagOf(paramName: string): string {
  return `--${kebabCase(paramName)}`;
}
