// The value being typed on the current line, for a completion to replace whole: a clients that is given
// no range replaces only the word before the cursor, so `- clone te` would become `- clone clone test
// images`. The line is read as text (it is often not YAML yet), left to right, in one pass.

export interface ValueToken {
  /** Offsets in the document: from the value's first character (its opening quote, if any)... */
  readonly start: number;
  /** ...to its end: the end of the line in a block value; the next `,` or `]` in a flow list. */
  readonly end: number;
  /** The quote the value was opened with, to close it. */
  readonly quote: '"' | "'" | "";
  /** Inside `[...]` on this line: names there end at `,` and `]`. */
  readonly flow: boolean;
  /** Names already written in this flow list, before the one being typed. */
  readonly before: readonly string[];
}

/** Where the value being typed starts and ends, on the line of `offset`. */
export function valueToken(text: string, offset: number): ValueToken {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const nl = text.indexOf("\n", offset);
  const lineEnd = nl < 0 ? text.length : nl;
  const line = text.slice(lineStart, lineEnd);
  const at = offset - lineStart;
  // the start: after the last `[` or `,` of an open flow list, else after `- ` or `key: `
  let depth = 0;
  let quote = "";
  let itemStart = -1;
  const items: string[] = [];
  for (let i = 0; i < at; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = "";
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === "[") {
      depth++;
      itemStart = i + 1;
      items.length = 0;
    } else if (c === "]" && depth > 0) depth--;
    else if (c === "," && depth > 0) {
      items.push(unquote(line.slice(itemStart, i)));
      itemStart = i + 1;
    }
  }
  const flow = depth > 0;
  let start: number;
  if (flow) start = itemStart;
  else {
    const m = /^\s*(?:-\s+)?(?:[^\s:'"][^:]*:\s+)?(?:-\s+)?/.exec(line.slice(0, at));
    start = m ? m[0].length : at;
  }
  while (start < at && line[start] === " ") start++;
  const open = line[start] === '"' || line[start] === "'" ? (line[start] as '"' | "'") : "";
  // the end: a flow item ends at `,` or `]`; a block value at the line's end or a comment
  let end = at;
  if (flow) {
    while (end < line.length && line[end] !== "," && line[end] !== "]") end++;
  } else {
    const comment = line.indexOf(" #", at);
    end = comment < 0 ? line.length : comment;
  }
  while (end > at && line[end - 1] === " ") end--;
  return {
    start: lineStart + start,
    end: lineStart + end,
    quote: open,
    flow,
    before: items.map((s) => s.trim()).filter(Boolean),
  };
}

const unquote = (s: string) => s.trim().replace(/^(["'])(.*)\1$/, "$2");

/**
 * The text that puts `name` in place of the token: in the quote the user opened, else plain when
 * YAML reads it back as the same string, else double-quoted.
 */
export function valueText(name: string, token: Pick<ValueToken, "quote" | "flow">): string {
  if (token.quote === "'") return `'${name.replace(/'/g, "''")}'`;
  if (token.quote === '"') return JSON.stringify(name);
  const special = token.flow ? /[,[\]{}]|^[\s!&*|>'"%@`#?:-]|: | #|\s$/ : /^[\s!&*[\]{}|>'"%@`#?,]|^- |: | #|\s$/;
  return special.test(name) ? JSON.stringify(name) : name;
}
