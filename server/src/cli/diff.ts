// A unified diff of two texts, line by line, as `diff -u` and `git diff` print it (so `git apply` and
// `patch -p1` take it): Myers' O(ND) algorithm over the lines between the common start and end, hunks
// with three lines of context, `\ No newline at end of file` where a side ends without one.

type Op = { readonly kind: " " | "-" | "+"; readonly line: string; readonly last: boolean };

interface Lines {
  readonly lines: string[];
  /** Whether the text's last line has no line break. */
  readonly open: boolean;
}

function splitLines(text: string): Lines {
  if (text === "") return { lines: [], open: false };
  const lines = text.split("\n");
  const open = lines[lines.length - 1] !== "";
  if (!open) lines.pop();
  return { lines, open };
}

/** Beyond this many differing lines, the diff is the whole middle deleted, then inserted: memory stays bounded. */
const MAX_EDITS = 2000;

/** The shortest edit script from a to b, as kept, deleted and inserted lines (Myers 1986). */
function editScript(a: readonly string[], b: readonly string[]): Array<" " | "-" | "+"> {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDITS);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // per step d, the furthest x on each diagonal k in -d..d as the step found them (at k + d)
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  if (!found) return [...a.map(() => "-" as const), ...b.map(() => "+" as const)];
  // back from the end, through the V of each step
  const ops: Array<" " | "-" | "+"> = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const at = (k: number) => trace[d][k + d];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push(" ");
      x--;
      y--;
    }
    if (d > 0) {
      ops.push(x === prevX ? "+" : "-");
      x = prevX;
      y = prevY;
    }
  }
  return ops.reverse();
}

function operations(before: Lines, after: Lines): Op[] {
  const a = before.lines;
  const b = after.lines;
  // a last line without a line break differs from the same text with one
  const key = (lines: Lines, i: number) =>
    i === lines.lines.length - 1 && lines.open ? `${lines.lines[i]}\u0000` : lines.lines[i];
  const ka = a.map((_, i) => key(before, i));
  const kb = b.map((_, i) => key(after, i));
  let start = 0;
  while (start < ka.length && start < kb.length && ka[start] === kb[start]) start++;
  let endA = ka.length;
  let endB = kb.length;
  while (endA > start && endB > start && ka[endA - 1] === kb[endB - 1]) {
    endA--;
    endB--;
  }
  const middle = editScript(ka.slice(start, endA), kb.slice(start, endB));
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  const push = (kind: " " | "-" | "+") => {
    if (kind === "+") {
      ops.push({ kind, line: b[j], last: j === b.length - 1 && after.open });
      j++;
    } else {
      ops.push({ kind, line: a[i], last: i === a.length - 1 && before.open });
      i++;
      if (kind === " ") j++;
    }
  };
  for (let s = 0; s < start; s++) push(" ");
  for (const kind of middle) push(kind);
  while (i < a.length) push(" ");
  return ops;
}

/** The unified diff from `before` to `after`; "" when they are the same. */
export function unifiedDiff(before: string, after: string, fromLabel: string, toLabel: string, context = 3): string {
  if (before === after) return "";
  const ops = operations(splitLines(before), splitLines(after));
  const out = [`--- ${fromLabel}`, `+++ ${toLabel}`];
  // line numbers before each op, on each side
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let o = 0;
  let n = 0;
  for (const op of ops) {
    oldAt.push(o);
    newAt.push(n);
    if (op.kind !== "+") o++;
    if (op.kind !== "-") n++;
  }
  const changed = ops.map((op, i) => (op.kind === " " ? -1 : i)).filter((i) => i >= 0);
  let h = 0;
  while (h < changed.length) {
    // a hunk: changes less than 2 * context apart, with context around
    let last = h;
    while (last + 1 < changed.length && changed[last + 1] - changed[last] <= 2 * context) last++;
    const from = Math.max(0, changed[h] - context);
    const to = Math.min(ops.length, changed[last] + context + 1);
    const hunk = ops.slice(from, to);
    const oldCount = hunk.filter((op) => op.kind !== "+").length;
    const newCount = hunk.filter((op) => op.kind !== "-").length;
    // an empty side is numbered by the line before it
    const oldStart = oldCount ? oldAt[from] + 1 : oldAt[from];
    const newStart = newCount ? newAt[from] + 1 : newAt[from];
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const op of hunk) {
      out.push(`${op.kind}${op.line}`);
      if (op.last) out.push("\\ No newline at end of file");
    }
    h = last + 1;
  }
  return out.join("\n") + "\n";
}
