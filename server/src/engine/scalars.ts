import type { Scalar } from "./types";

// GitLab loads YAML with Ruby's Psych, whose plain-scalar rules are YAML 1.1 with quirks of
// its own: only yes/no/on/off/true/false are booleans (not y/n), integers may hold "," or "_",
// "1:20" is a base-60 integer. Dates and times would be Ruby objects GitLab refuses to load;
// we keep them as text and leave the complaint to validation.

const STRINGY = /^[^\d.:-]?[\p{L}_\s!@#$%^&*(){}<>|/\\~;=]+/u;
const SEXAGESIMAL_INT = /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}$/;
const SEXAGESIMAL_FLOAT = /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}\.[0-9_]*$/;
const FLOAT = /^(?:[-+]?([0-9][0-9_,]*)?\.[0-9]*([eE][-+][0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/;
const INTEGER = /^(?:[-+]?0b[0-1_,]+|[-+]?0[0-7_,]+|[-+]?(?:0|[1-9](?:[0-9]|,[0-9]|_[0-9])*)|[-+]?0x[0-9a-fA-F_,]+)$/;
const TIME = /^-?\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d\d:\d\d(?:\.\d*)?(?:\s*(?:Z|[-+]\d{1,2}:?(?:\d\d)?))?$/;
const DATE = /^\d{4}-(?:1[012]|0\d|\d)-(?:[12]\d|3[01]|0\d|\d)$/;

/** Resolves the source text of an untagged plain scalar the way Psych does. */
export function resolvePlainScalar(text: string): Scalar {
  if (text === "") return null;
  if (STRINGY.test(text) || text.includes("\n")) {
    if (text.length > 5) return text;
    if (/^[^ytonf~]/i.test(text)) return text;
    if (text === "~" || /^null$/i.test(text)) return null;
    if (/^(yes|true|on)$/i.test(text)) return true;
    if (/^(no|false|off)$/i.test(text)) return false;
    return text;
  }
  if (TIME.test(text) || DATE.test(text)) return text;
  if (/^\+?\.inf$/i.test(text)) return Infinity;
  if (/^-\.inf$/i.test(text)) return -Infinity;
  if (/^\.nan$/i.test(text)) return NaN;
  if (/^:./.test(text)) return text;
  if (SEXAGESIMAL_INT.test(text)) return sexagesimal(text);
  if (SEXAGESIMAL_FLOAT.test(text)) return sexagesimal(text);
  if (FLOAT.test(text)) {
    if (/^[-+]?\.$/.test(text)) return text;
    return Number.parseFloat(text.replace(/[,_]/g, "").replace(/\.([Ee]|$)/, "$1"));
  }
  if (INTEGER.test(text)) return parseRubyInteger(text.replace(/[,_]/g, ""));
  return text;
}

function sexagesimal(text: string): number {
  const negative = text.startsWith("-");
  const parts = text.replace(/^[-+]/, "").replace(/_/g, "").split(":");
  let n = 0;
  for (const p of parts) n = n * 60 + Number.parseFloat(p);
  return negative ? -n : n;
}

function parseRubyInteger(text: string): number {
  const negative = text.startsWith("-");
  const body = text.replace(/^[-+]/, "");
  let n: number;
  if (/^0b/i.test(body)) n = Number.parseInt(body.slice(2), 2);
  else if (/^0x/i.test(body)) n = Number.parseInt(body.slice(2), 16);
  else if (body.length > 1 && body.startsWith("0")) n = Number.parseInt(body.slice(1), 8);
  else n = Number.parseInt(body, 10);
  return negative ? -n : n;
}
