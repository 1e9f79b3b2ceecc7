import { inclusionKey } from "./inclusions";
import type { Diagnostic, Related } from "./types";

/**
 * One finding per place and text (and inclusion of a templated file): when a template or shared value
 * is faulted through several jobs, the copies become one finding that lists every job as related
 * information.
 */
export function gatherRelated(diags: readonly Diagnostic[]): Diagnostic[] {
  const byKey = new Map<string, { d: Diagnostic; related: Related[] }>();
  for (const d of diags) {
    const k = `${d.src.file}:${d.src.start}:${d.src.end}:${d.code}:${d.message}:${inclusionKey(d)}`;
    const seen = byKey.get(k);
    if (!seen) byKey.set(k, { d, related: [...(d.related ?? [])] });
    else
      for (const r of d.related ?? [])
        if (!seen.related.some((x) => x.src === r.src && x.message === r.message)) seen.related.push(r);
  }
  return [...byKey.values()].map(({ d, related }) =>
    related.length ? { ...d, related } : { ...d, related: undefined },
  );
}
