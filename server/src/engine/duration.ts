// Durations as GitLab reads them: `timeout`, `start_in` and `expire_in` go through ChronicDuration
// (the gitlab-chronic-duration gem, 0.12, with GitLab's patch that makes a month 30 days, and
// `ChronicDuration.raise_exceptions = true` from config/initializers/chronic_duration.rb). What it
// accepts is looser and stranger than a pattern can say: "1h30m", "1:30" (a minute and a half),
// "2 hours and 10" (ten minutes: a bare number after a unit takes the next smaller one), "hour"
// (one hour), while "0 seconds", "" and any unknown word ("7 elephants", "$TIMEOUT") are not
// durations. Written as a single pass over the text, so a hostile value costs linear time.

const UNITS = ["seconds", "minutes", "hours", "days", "weeks", "months", "years"] as const;
type Unit = (typeof UNITS)[number];

/** Seconds per unit (ChronicDuration#duration_units_seconds_multiplier, GitLab's patch for months). */
const SECONDS: Record<Unit, number> = {
  seconds: 1,
  minutes: 60,
  hours: 3600,
  days: 86_400,
  weeks: 604_800,
  months: 2_592_000,
  years: 31_557_600,
};

/** The words ChronicDuration maps to a unit (ChronicDuration#mappings). */
const WORDS: Readonly<Record<string, Unit>> = {
  seconds: "seconds",
  second: "seconds",
  secs: "seconds",
  sec: "seconds",
  s: "seconds",
  minutes: "minutes",
  minute: "minutes",
  mins: "minutes",
  min: "minutes",
  m: "minutes",
  hours: "hours",
  hour: "hours",
  hrs: "hours",
  hr: "hours",
  h: "hours",
  days: "days",
  day: "days",
  dy: "days",
  d: "days",
  weeks: "weeks",
  week: "weeks",
  wks: "weeks",
  wk: "weeks",
  w: "weeks",
  months: "months",
  mo: "months",
  mos: "months",
  month: "months",
  years: "years",
  year: "years",
  yrs: "years",
  yr: "years",
  y: "years",
};
const JOIN_WORDS = new Set(["and", "with", "plus"]);
/** `h:m:s` parts, last first (ChronicDuration#filter_by_type: weeks are skipped). */
const CLOCK_UNITS: readonly Unit[] = ["seconds", "minutes", "hours", "days", "months", "years"];

const isDigit = (c: string) => c >= "0" && c <= "9";
/** Ruby's String#split with no argument splits on these; strip removes them and NUL at the ends. */
const isSpace = (c: string) => c === " " || c === "\t" || c === "\n" || c === "\v" || c === "\f" || c === "\r";

/** `^[0-9]+:[0-9]+(:[0-9]+){0,4}(\.[0-9]*)?$` on one line, without a regular expression. */
function isClock(line: string): boolean {
  let i = 0;
  let parts = 0;
  for (;;) {
    const start = i;
    while (i < line.length && isDigit(line[i])) i++;
    if (i === start) return false;
    parts++;
    if (i < line.length && line[i] === ":") {
      i++;
      continue;
    }
    break;
  }
  if (parts < 2 || parts > 6) return false;
  if (i < line.length && line[i] === ".") {
    i++;
    while (i < line.length && isDigit(line[i])) i++;
  }
  return i === line.length;
}

/** "1:30" → "1 minutes 30 seconds"; anything else unchanged. Ruby's `^`/`$` match at any line. */
function fromClock(text: string): string {
  const squeezed = text.replaceAll(" ", "");
  if (!squeezed.split("\n").some(isClock)) return text;
  const parts = squeezed.split(":");
  while (parts.length && parts[parts.length - 1] === "") parts.pop(); // Ruby drops trailing empties
  if (parts.length > CLOCK_UNITS.length) return text;
  return parts
    .reverse()
    .map((v, k) => `${v} ${CLOCK_UNITS[k]}`)
    .reverse()
    .join(" ");
}

/** The text's words, numbers cut out of the words around them (`gsub(float_matcher) { " #{n} " }`). */
function words(text: string): string[] {
  const out: string[] = [];
  let word = "";
  const flush = () => {
    if (word) out.push(word);
    word = "";
  };
  for (let i = 0; i < text.length;) {
    const c = text[i];
    const startsNumber = isDigit(c) || (c === "." && i + 1 < text.length && isDigit(text[i + 1]));
    if (startsNumber) {
      flush();
      let j = i;
      while (j < text.length && isDigit(text[j])) j++;
      if (j < text.length - 1 && text[j] === "." && isDigit(text[j + 1])) {
        j++;
        while (j < text.length && isDigit(text[j])) j++;
      }
      out.push(text.slice(i, j));
      i = j;
    } else if (isSpace(c)) {
      flush();
      i++;
    } else {
      word += c;
      i++;
    }
  }
  flush();
  return out;
}

function trimNul(w: string): string {
  let a = 0;
  let b = w.length;
  while (a < b && w[a] === "\0") a++;
  while (b > a && w[b - 1] === "\0") b--;
  return w.slice(a, b);
}

/** One comma off each end (`gsub(/^,/, "").gsub(/,$/, "")`): "h," is hours. */
function trimComma(w: string): string {
  const a = w.startsWith(",") ? 1 : 0;
  const b = w.length > a && w.endsWith(",") ? w.length - 1 : w.length;
  return w.slice(a, b);
}

const isNumber = (w: string) => isDigit(w[0]) || w[0] === ".";

/** Ruby's `to_f % 1 > 0 ? to_f : to_i`: "1.5" is 1.5, "2.0" is 2, ".5" is 0.5. */
function numberOf(w: string): number {
  const f = Number(w.startsWith(".") ? `0${w}` : w);
  return f % 1 > 0 ? f : Math.trunc(f);
}

/**
 * The duration in seconds, as `ChronicDuration.parse` gives it; undefined where GitLab's validators
 * find no duration: an unknown word (DurationParseError) or a total of zero (parse returns nil).
 */
export function parseDuration(text: string): number | undefined {
  const tokens: Array<number | Unit> = [];
  for (const w of words(fromClock(text.toLowerCase()))) {
    if (isNumber(w)) {
      tokens.push(numberOf(w));
      continue;
    }
    const bare = trimComma(trimNul(w));
    const unit = WORDS[bare];
    if (unit) tokens.push(unit);
    else if (!JOIN_WORDS.has(bare)) return undefined;
  }
  if (typeof tokens[0] === "string") tokens.unshift(1); // "day" is one day
  let total = 0;
  let lastUnit: Unit | undefined;
  for (let k = 0; k < tokens.length; k++) {
    const n = tokens[k];
    if (typeof n !== "number") continue;
    const next = tokens[k + 1];
    let unit: Unit;
    if (typeof next === "string") unit = lastUnit = next;
    else if (lastUnit) unit = lastUnit = UNITS[Math.max(0, UNITS.indexOf(lastUnit) - 1)];
    else unit = "seconds";
    total += n * SECONDS[unit];
  }
  return total === 0 ? undefined : total;
}

/** `ChronicDuration.output(Project::MAX_BUILD_TIMEOUT)` read back: 1 mo 10 hrs 29 mins 6 secs (Rails' month). */
export const MAX_JOB_TIMEOUT_SECONDS = 2_629_746;
/** `start_in` may be at most a week (Entry::Job, Entry::Rules::Rule: `duration: { limit: '1 week' }`). */
export const MAX_START_IN_SECONDS = 604_800;
