import { RE2JS } from "re2js";

// Regular expressions users write (spec:inputs:regex; later rules:if's =~) run as GitLab runs
// them: with RE2 (Gitlab::UntrustedRegexp), in time linear in the input, never with a backtracking
// engine that `^(a+)+$` would hang. RE2's syntax, not JavaScript's: no lookarounds or backreferences.

/**
 * A test for the pattern (written bare or as `/pattern/`): whether it matches somewhere in a text;
 * undefined when the pattern is invalid.
 */
export function untrustedRegexp(pattern: string): ((text: string) => boolean) | undefined {
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern.replace(/^\/(.*)\/$/s, "$1"));
  } catch {
    return undefined;
  }
  return (text) => re.matcher(text).find();
}
