import { stringify } from "yaml";
import type { CValue } from "./types";
import { toJS } from "./values";

// A resolved value as the text the CLI and the merged views print: YAML or JSON.

export function renderValue(v: CValue, format: "yaml" | "json"): string {
  const js = toJS(v);
  return format === "json"
    ? JSON.stringify(js, null, 2) + "\n"
    : stringify(js, { lineWidth: 0, aliasDuplicateObjects: false });
}
