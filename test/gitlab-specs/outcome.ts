// Whether a ported GitLab spec case gives GitLab's result, and what we give instead.
import * as assert from "node:assert/strict";
import { analyze, effective } from "../helpers";
import { toJS } from "../../server/src/engine/values";
import type { SpecCase } from "./types";

/** Whether we give GitLab's result, and what we give. */
export function outcome(c: SpecCase): { ok: boolean; got: string } {
  const model = analyze({ ...c.files });
  const e = c.expect;
  const list = (severity: string) =>
    model.diagnostics.filter((d) => d.severity === severity).map((d) => `${d.code}: ${d.message}`);
  if ("error" in e || "warning" in e) {
    const [severity, text] = "error" in e ? ["error", e.error] : ["warning", e.warning];
    const found = model.diagnostics.some((d) => d.severity === severity && d.message.startsWith(text));
    const all = model.diagnostics.map((d) => `${d.severity} ${d.code}: ${d.message}`);
    return { ok: found, got: all.length ? all.join("\n") : "no diagnostics" };
  }
  if ("absent" in e) {
    const found = model.diagnostics.filter((d) => d.message.startsWith(e.absent));
    return { ok: found.length === 0, got: found.length ? found.map((d) => d.message).join("\n") : "absent" };
  }
  if ("valid" in e) {
    const errors = list("error");
    return { ok: errors.length === 0, got: errors.length ? errors.join("\n") : "valid" };
  }
  const actual: Record<string, unknown> = {};
  if ("merged" in e) {
    for (const key of Object.keys(e.merged)) {
      const v = model.merged.entries.get(key)?.value;
      actual[key] = v ? toJS(v) : undefined;
    }
  } else {
    const job = (effective(model, e.job) ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(e.effective)) actual[key] = job[key];
  }
  const wanted = "merged" in e ? e.merged : e.effective;
  let ok = true;
  try {
    assert.deepEqual(actual, wanted);
  } catch {
    ok = false;
  }
  const errors = list("error");
  return { ok, got: JSON.stringify(actual) + (errors.length ? `\nerrors: ${errors.join("; ")}` : "") };
}
