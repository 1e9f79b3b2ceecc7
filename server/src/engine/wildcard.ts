import { matchSteps, type Step } from "./glob";

// include:local wildcards as GitLab matches them (Repository#search_files_by_wildcard_path):
// the path is escaped, `**` becomes "anything" that crosses `/`, `*` anything but `/`, and the
// whole pattern is anchored at both ends. So `dir/**.yml` also matches files directly in `dir`,
// while `dir/**/*.yml` needs at least one subfolder. Matched in linear time (glob.ts).

function wildcardSteps(pattern: string): Step[] {
  const out: Step[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*" && pattern[i + 1] === "*") {
      out.push({ kind: "any" });
      i++;
    } else out.push(c === "*" ? { kind: "star" } : { kind: "char", char: c });
  }
  return out;
}

/**
 * What each wildcard matched in a listing, kept with the listing: hosts hand out the same array while no file
 * was added or removed, and every analysis checks each wildcard include again (includes.ts, stillValid).
 */
const matched = new WeakMap<readonly string[], Map<string, readonly string[]>>();

/** Files matching a wildcard include, in repository path order. */
export function matchWildcard(pattern: string, files: readonly string[]): readonly string[] {
  let byPattern = matched.get(files);
  if (!byPattern) matched.set(files, (byPattern = new Map()));
  let out = byPattern.get(pattern);
  if (!out) {
    const steps = wildcardSteps(pattern);
    out = files.filter((f) => matchSteps(steps, f)).sort();
    byPattern.set(pattern, out);
  }
  return out;
}
