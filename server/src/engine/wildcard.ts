// include:local wildcards as GitLab matches them (Repository#search_files_by_wildcard_path):
// the path is escaped, `**` becomes a lazy "anything" that crosses `/`, `*` anything but `/`,
// and the whole pattern is anchored at both ends. So `dir/**.yml` also matches files directly
// in `dir`, while `dir/**/*.yml` needs at least one subfolder.

export function wildcardToRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*") {
      if (pattern[i + 1] === "*") {
        re += ".*?";
        i++;
      } else {
        re += "[^/]*?";
      }
    } else {
      re += c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
    }
  }
  return new RegExp(`^${re}$`);
}

/** Files matching a wildcard include, in repository path order. */
export function matchWildcard(pattern: string, files: readonly string[]): string[] {
  const re = wildcardToRegExp(pattern);
  return files.filter((f) => re.test(f)).sort();
}
