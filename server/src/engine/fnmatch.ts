// Ruby's File.fnmatch with FNM_PATHNAME | FNM_DOTMATCH | FNM_EXTGLOB, the way GitLab matches
// `rules:exists` and `rules:changes` patterns: `*` and `?` stay within a folder, `**/` spans
// folders (zero or more), `{a,b}` picks one of several, `[...]` is a character class.

export function fnmatchToRegExp(pattern: string): RegExp {
  let re = "";
  let i = 0;
  let braces = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (
      c === "*" &&
      pattern[i + 1] === "*" &&
      (pattern[i + 2] === "/" || i + 2 === pattern.length) &&
      (i === 0 || pattern[i - 1] === "/")
    ) {
      re += pattern[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += pattern[i + 2] === "/" ? 3 : 2;
      continue;
    }
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) re += "\\[";
      else {
        re += `[${pattern
          .slice(i + 1, end)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else if (c === "{") {
      braces++;
      re += "(?:";
    } else if (c === "}" && braces > 0) {
      braces--;
      re += ")";
    } else if (c === "," && braces > 0) re += "|";
    else re += c.replace(/[.+^$()|\\/]/g, "\\$&");
    i++;
  }
  try {
    return new RegExp(`^${re}$`);
  } catch {
    // a class like [z-a] or braces left open: the pattern matches no file rather than stopping the analysis
    return NEVER;
  }
}

const NEVER = /(?!)/;

export function fnmatch(pattern: string, path: string): boolean {
  return fnmatchToRegExp(pattern).test(path);
}
