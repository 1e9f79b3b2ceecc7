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

/** Files matching a wildcard include, in repository path order. */
export function matchWildcard(pattern: string, files: readonly string[]): string[] {
  const steps = wildcardSteps(pattern);
  return files.filter((f) => matchSteps(steps, f)).sort();
}
