// Mutations for the fuzzer (scripts/fuzz.mjs): a seeded PRNG, a context built from the real corpora, and
// operators that turn one file of a config into something GitLab users (or their mistakes) could write.
// Two kinds of operators: structural ones parse the file with the `yaml` package (YAML 1.1, duplicate keys
// allowed), change its tree and print it again; textual ones cut, insert and shuffle characters and lines.
// Everything is driven by the PRNG: the same seed and index give the same input.
import YAML from "yaml";

// ───────────────────────────── randomness ─────────────────────────────

/** mulberry32 over a uint32 state, with helpers. */
export function rng(seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return {
    next,
    int,
    /** An integer in [a, b]. */
    between: (a, b) => a + int(b - a + 1),
    pick: (arr) => arr[int(arr.length)],
    chance: (p) => next() < p,
    /** An index into `weights`, with probability proportional to its weight. */
    weighted: (weights) => {
      const total = weights.reduce((a, b) => a + b, 0);
      let x = next() * total;
      for (let i = 0; i < weights.length; i++) if ((x -= weights[i]) < 0) return i;
      return weights.length - 1;
    },
  };
}

/** The seed of input `index` of a run with `seed`: each input can be made again on its own. */
export function inputSeed(seed, index) {
  let h = (seed >>> 0) ^ Math.imul((index + 1) >>> 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

// ───────────────────────────── vocabulary ─────────────────────────────

const GLOBAL_KEYS = new Set([
  "default",
  "include",
  "stages",
  "variables",
  "workflow",
  "image",
  "services",
  "cache",
  "before_script",
  "after_script",
  "types",
  "spec",
  "pages:deploy",
]);

const KEYWORDS = [
  "script",
  "before_script",
  "after_script",
  "image",
  "services",
  "stage",
  "variables",
  "rules",
  "needs",
  "extends",
  "artifacts",
  "cache",
  "when",
  "only",
  "except",
  "tags",
  "parallel",
  "trigger",
  "environment",
  "inherit",
  "dependencies",
  "allow_failure",
  "retry",
  "timeout",
  "interruptible",
  "resource_group",
  "release",
  "coverage",
  "start_in",
  "hooks",
  "id_tokens",
  "secrets",
  "pages",
  "run",
  "manual_confirmation",
  "identity",
  "dast_configuration",
  "publish",
];

/** YAML scalars with a surprising type or value, as text (parsed in a `v: …` line). */
const EDGE_SCALARS = [
  "''",
  '""',
  "null",
  "~",
  "true",
  "false",
  "yes",
  "no",
  "on",
  "off",
  "y",
  "n",
  "0",
  "-0",
  "010",
  "0o777",
  "0x7fffffff",
  "0b1010",
  "1_000_000",
  "1:20",
  "190:20:30.15",
  "3.5",
  "1e308",
  "1e309",
  "-1e309",
  "1.5e-400",
  ".inf",
  "-.inf",
  ".nan",
  "9007199254740993",
  "99999999999999999999999999999999",
  "-2147483649",
  "4294967296",
  "2001-12-14t21:59:43.10-05:00",
  "2001-12-14",
  "!!binary aGVsbG8=",
  "!!str 12",
  "!!int '12'",
  "!!float 'x'",
  "!!null ''",
  "!!bool 'yes'",
  "!!timestamp 2001-12-14",
  "!!omap [a: 1, b: 2]",
  "!!set {a, b}",
  "!!pairs [a: 1, a: 2]",
  "!custom x",
  "!reference x",
  "!reference []",
  "!reference [[a], b]",
  "!reference {a: 1}",
  "!!map {}",
  "!!seq []",
  "[]",
  "{}",
  "[[]]",
  "[{}]",
  "{a: }",
  "[~]",
  "'$CI_COMMIT_REF_NAME'",
  "'${CI_JOB_NAME}'",
  "'$$'",
  "'$'",
  "'${'",
  "'$UNDEFINED_VAR'",
  "'$[[ inputs.x ]]'",
  "'$[[ inputs.x | expand_vars ]]'",
  "'$[[ inputs.x | truncate(0, 99999999999) ]]'",
  "'$[[ inputs.x | truncate(-1, 2) ]]'",
  "'$[[ inputs.x | posix_escape | expand_vars | truncate(1,2) ]]'",
  "'$[[ $[[ inputs.x ]] ]]'",
  "'$[['",
  "'$[[ ]]'",
  "'$[[ inputs ]]'",
  "'$[[ inputs.x.y.z ]]'",
  "'$[[ matrix.A ]]'",
  "'$[[ job.name ]]'",
  '"\\u0000"',
  '"\\uD800"',
  '"\\uDFFF\\uD800"',
  '"\\uFFFE"',
  '"\\U0001F600"',
  '"\\x85\\u2028\\u2029"',
  '"\\t\\r\\n"',
  '"\\e\\a\\b"',
  "'\u202ejob'",
  "'e\u0301\u0301\u0301'",
  "'\ufeff'",
  "'*'",
  "'**/*'",
  "'../../../etc/passwd'",
  "'/'",
  "'.'",
  "'-'",
  "'<<'",
  "'__proto__'",
  "'constructor'",
  "'1 week'",
  "'99999999999 years'",
  "'never'",
  "'manual'",
  "'delayed'",
  "'on_success'",
  "'always'",
  "'.pre'",
  "'.post'",
];

const WEIRD_CHARS = [
  "[",
  "]",
  "{",
  "}",
  ":",
  ": ",
  "- ",
  "#",
  " #",
  "|",
  ">",
  "&",
  "*",
  "!",
  "%",
  "@",
  "`",
  '"',
  "'",
  ",",
  "?",
  "? ",
  "\t",
  "\u0000",
  "\ufeff",
  "\u2028",
  "\u0085",
  "\r",
  "\n",
  " ",
  "    ",
  "$[[",
  "]]",
  "<<: ",
  "\\",
  "$",
  "${",
  "!reference ",
  "&a ",
  "*a",
  "---",
  "...",
];

const UNICODE = [
  "\ufeff",
  "\u200b",
  "\u200d",
  "\u202e",
  "\u2066",
  "\u0301".repeat(50),
  "ジョブ",
  "задача",
  "👍🏽",
  "\ud83d",
  "\ude00",
  "\ufffe",
  "\uffff",
  "\u0000",
  "\u0085",
  "\u2028",
  "\u2029",
  "\u00a0",
  "\u3000",
  "İ",
  "ß",
  "ﬃ",
  "\u{10ffff}",
  "Ω".repeat(1000),
];

const VARIABLES = [
  "CI_COMMIT_BRANCH",
  "CI_COMMIT_REF_NAME",
  "CI_DEFAULT_BRANCH",
  "CI_PIPELINE_SOURCE",
  "CI_MERGE_REQUEST_LABELS",
  "CI_PROJECT_PATH",
  "CI_COMMIT_TAG",
  "CI_JOB_NAME",
  "FOO",
  "GLCI_X",
];

const REGEXES = [
  "/^main$/",
  "/(a+)+$/",
  "/^(a|a)*$/",
  "/(?i)MAIN/",
  "/[/",
  "/\\/",
  "/(?<n>x)/",
  "/(?=x)/",
  "/\\1/",
  "/a{1000}{1000}/",
  "/a{99999}/",
  "/\\p{L}+/",
  "/.*.*.*.*.*.*=.*/",
  "/^(?:(?:a|b)*c)*$/i",
  "/" + "(".repeat(500) + "a" + ")".repeat(500) + "/",
  "/" + "(a|".repeat(300) + "b" + ")".repeat(300) + "/",
  "/" + "x".repeat(20000) + "/",
  "/[[:alpha:]]/",
  "/\\Qa.b\\E/",
  "//",
  "/a/gimsux",
];

const GLOBS = [
  "**/*.yml",
  "*",
  "**",
  "*.yml",
  ".gitlab/ci/**/*.yml",
  "**/".repeat(30) + "*.yml",
  "*".repeat(1000),
  "a/**/b/**/c/**/d/**/e",
  "{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}{q,r}{s,t}{u,v}{w,x}",
  "{".repeat(30) + "a" + ",b}".repeat(30),
  "[!a-z]*.yml",
  "[",
  "[]]",
  "\\*",
  "{,}",
  "{a,}",
  "?",
  "**/*.{yml,yaml,json,rb,js,ts,go,md}",
  "!(x)",
  "../**",
  "/**/*",
  "$CI_PROJECT_DIR/**",
  "",
];

const HUGE_NUMBERS = [
  "0",
  "-1",
  "1",
  "2",
  "199",
  "200",
  "201",
  "2147483647",
  "2147483648",
  "9007199254740993",
  "1" + "0".repeat(30),
  "1e308",
  "1e309",
  "-1e309",
  "1.5",
  ".nan",
  ".inf",
  "0x" + "f".repeat(20),
  "'99999999999999 years'",
  "'1 fortnight'",
  "'-1 seconds'",
  "'0.5 hours'",
  "'3 days 2 hours 1 minute 0 seconds'",
  "'" + "1 hour ".repeat(2000) + "'",
  "'never'",
];

// ───────────────────────────── the corpus context ─────────────────────────────

const PARSE = { version: "1.1", uniqueKeys: false, prettyErrors: false, strict: false };
const PRINT = { lineWidth: 0, minContentWidth: 0 };

function keyName(k) {
  if (YAML.isScalar(k)) return String(k.value);
  if (k === null || k === undefined) return "";
  return typeof k === "object" ? "[complex]" : String(k);
}

function globRegExp(glob) {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*" && glob[i + 1] === "*") {
      re += ".*";
      i++;
      if (glob[i + 1] === "/") i++;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/**
 * What the operators need to know about one corpus: its files, which of them to mutate how often (the root
 * and the files others include most), its jobs and their keys, its anchors.
 */
export function corpusContext(name, files) {
  const paths = Object.keys(files).sort();
  const yamlPaths = paths.filter((p) => /\.ya?ml$/i.test(p));
  const jobs = new Set();
  const templates = new Set();
  const jobKeys = new Map();
  const anchors = new Set();
  const referrers = new Map(yamlPaths.map((p) => [p, 0]));
  for (const p of yamlPaths) {
    const text = files[p];
    for (const m of text.matchAll(/&([\w-]+)/g)) anchors.add(m[1]);
    for (const doc of YAML.parseAllDocuments(text, PARSE)) {
      if (!YAML.isMap(doc.contents)) continue;
      for (const pair of doc.contents.items) {
        const k = keyName(pair.key);
        if (GLOBAL_KEYS.has(k) || !YAML.isMap(pair.value)) continue;
        (k.startsWith(".") ? templates : jobs).add(k);
        jobKeys.set(k, [...new Set([...(jobKeys.get(k) ?? []), ...pair.value.items.map((q) => keyName(q.key))])]);
      }
    }
    // which files this one names: plain paths and wildcards
    const named = new Set();
    for (const m of text.matchAll(/[\w./*{}$-]*\.ya?ml\b/g)) {
      const ref = m[0].replace(/^\//, "");
      if (ref.includes("*")) {
        const re = globRegExp(ref);
        for (const q of yamlPaths) if (re.test(q)) named.add(q);
      } else if (referrers.has(ref)) named.add(ref);
    }
    for (const q of named) if (q !== p) referrers.set(q, referrers.get(q) + 1);
  }
  const root = yamlPaths.includes(".gitlab-ci.yml") ? ".gitlab-ci.yml" : yamlPaths[0];
  const weights = yamlPaths.map((p) => (p === root ? 0 : 1 + Math.min(3, referrers.get(p))));
  const rest = weights.reduce((a, b) => a + b, 0);
  // the root is the file users edit most: about a fifth of the mutations, at least as often as any other file
  weights[yamlPaths.indexOf(root)] = Math.max(4, rest / 4);
  const bytes = paths.reduce((n, p) => n + files[p].length, 0);
  return {
    name,
    files,
    root,
    paths: yamlPaths,
    weights,
    jobs: [...jobs].sort(),
    templates: [...templates].sort(),
    jobKeys,
    anchors: [...anchors].sort(),
    bytes,
  };
}

// ───────────────────────────── tree helpers ─────────────────────────────

/** Every map pair and sequence item under `node` (not through aliases), at most `limit`. */
function entries(node, limit = 20000) {
  const out = [];
  const walk = (n, path, depth) => {
    if (out.length >= limit) return;
    if (YAML.isMap(n)) {
      n.items.forEach((pair, index) => {
        const p = [...path, keyName(pair.key)];
        out.push({ parent: n, index, pair, node: pair.value, path: p, depth });
        walk(pair.value, p, depth + 1);
      });
    } else if (YAML.isSeq(n)) {
      n.items.forEach((item, index) => {
        const p = [...path, index];
        out.push({ parent: n, index, node: item, path: p, depth });
        walk(item, p, depth + 1);
      });
    }
  };
  walk(node, [], 0);
  return out;
}

function replace(entry, node) {
  if (entry.pair) entry.pair.value = node;
  else entry.parent.items[entry.index] = node;
}

const where = (e) => e.path.map(String).join(".").slice(0, 120) || "(top)";

/** A node from YAML text (`v: TEXT`), or undefined when the text does not parse. */
function nodeFromText(text) {
  const d = YAML.parseDocument(`v: ${text}\n`, PARSE);
  if (d.errors.length || !YAML.isMap(d.contents)) return undefined;
  return d.contents.items[0]?.value ?? null;
}

function reference(doc, parts) {
  const n = doc.createNode(parts);
  n.tag = "!reference";
  n.flow = true;
  return n;
}

function hasAlias(node) {
  let found = false;
  if (YAML.isNode(node) || YAML.isPair(node))
    YAML.visit(node, {
      Alias() {
        found = true;
        return YAML.visit.BREAK;
      },
    });
  return found;
}

function jobPairs(doc) {
  if (!YAML.isMap(doc.contents)) return [];
  return doc.contents.items.filter((p) => !GLOBAL_KEYS.has(keyName(p.key)) && YAML.isMap(p.value));
}

/** A job of this file to change (or a new one when it has none). */
function someJob(m, doc, { hidden } = {}) {
  let jobs = jobPairs(doc);
  if (hidden !== undefined) jobs = jobs.filter((p) => keyName(p.key).startsWith(".") === hidden);
  if (jobs.length && m.R.chance(0.9)) return m.R.pick(jobs);
  if (!YAML.isMap(doc.contents)) return undefined;
  const name = `${hidden ? "." : ""}fuzz_job_${m.R.int(100)}`;
  doc.set(name, doc.createNode({ script: ["echo fuzz"] }));
  return doc.contents.items.find((p) => keyName(p.key) === name);
}

const anyJob = (m) => (m.ctx.jobs.length && m.R.chance(0.9) ? m.R.pick(m.ctx.jobs) : `nope_${m.R.int(9)}`);
const anyTemplate = (m) =>
  m.ctx.templates.length && m.R.chance(0.9) ? m.R.pick(m.ctx.templates) : `.nope_${m.R.int(9)}`;
const anyName = (m) => (m.R.chance(0.5) ? anyTemplate(m) : anyJob(m));
const anyKeyOf = (m, job) => m.R.pick(m.ctx.jobKeys.get(job) ?? KEYWORDS);
const anyPath = (m) => m.R.pick(m.ctx.paths);

function ifExpression(R, depth = 0) {
  const v = () => `$${R.pick(VARIABLES)}`;
  const atoms = [
    () => v(),
    () => `${v()} == "${R.pick(["main", "", "x", "$[[ inputs.x ]]"])}"`,
    () => `${v()} != null`,
    () => `${v()} == ${v()}`,
    () => `${v()} ${R.pick(["=~", "!~"])} ${R.pick(REGEXES)}`,
    () => `${v()} =~ ${v()}`,
    () => `"a" == 'b'`,
    () => R.pick(["(", ")", "$", "==", "&& ||", "/unterminated", "$A =~", "null", "true", "'x"]),
  ];
  if (depth < 3 && R.chance(0.4)) {
    const a = ifExpression(R, depth + 1);
    const b = ifExpression(R, depth + 1);
    return R.chance(0.3) ? `(${a}) ${R.pick(["&&", "||"])} (${b})` : `${a} ${R.pick(["&&", "||"])} ${b}`;
  }
  if (depth === 0 && R.chance(0.08)) return "(".repeat(R.between(50, 3000)) + v() + ")".repeat(R.between(50, 3000));
  if (depth === 0 && R.chance(0.08))
    return Array.from({ length: R.between(100, 5000) }, () => R.pick(atoms.slice(0, 5))()).join(
      R.pick([" && ", " || "]),
    );
  return R.pick(atoms)();
}

function someRules(m, doc) {
  const R = m.R;
  const rule = () => {
    const r = {};
    if (R.chance(0.7)) r.if = ifExpression(R);
    if (R.chance(0.25)) r.changes = R.chance(0.5) ? [R.pick(GLOBS)] : { paths: [R.pick(GLOBS)], compare_to: "main" };
    if (R.chance(0.2)) r.exists = R.chance(0.7) ? [R.pick(GLOBS), R.pick(GLOBS)] : { paths: [R.pick(GLOBS)] };
    if (R.chance(0.4)) r.when = R.pick(["never", "always", "manual", "delayed", "on_success", "on_failure", "bogus"]);
    if (R.chance(0.1)) r.start_in = R.pick(HUGE_NUMBERS);
    if (R.chance(0.1)) r.allow_failure = R.chance(0.5) ? true : { exit_codes: [1, 2, 1e20] };
    if (R.chance(0.1)) r.variables = { [R.pick(VARIABLES)]: `$${R.pick(VARIABLES)}` };
    if (R.chance(0.05)) r.needs = [anyJob(m)];
    return r;
  };
  const list = Array.from({ length: R.chance(0.04) ? R.between(100, 1000) : R.between(1, 4) }, rule);
  const node = doc.createNode(list);
  if (R.chance(0.15) && m.ctx.templates.length) {
    node.items.splice(R.int(node.items.length + 1), 0, reference(doc, [anyTemplate(m), "rules"]));
  }
  return node;
}

// ───────────────────────────── structural operators ─────────────────────────────
// Each takes (m, doc), changes doc and returns a description, or undefined when it does not apply.

function deleteEntry(m, doc) {
  const es = entries(doc.contents);
  if (!es.length) return undefined;
  const e = m.R.pick(es);
  e.parent.items.splice(e.index, 1);
  return `deleted ${where(e)}`;
}

function duplicateEntry(m, doc) {
  const es = entries(doc.contents);
  if (!es.length) return undefined;
  const e = m.R.pick(es);
  const item = e.parent.items[e.index];
  const copy = YAML.isNode(item) || YAML.isPair(item) ? item.clone() : item;
  const times = m.R.chance(0.1) ? m.R.between(10, 500) : 1;
  for (let k = 0; k < times; k++)
    e.parent.items.splice(m.R.chance(0.7) ? e.index + 1 : m.R.int(e.parent.items.length + 1), 0, copy);
  return `duplicated ${where(e)}${times > 1 ? ` ${times} times` : ""}`;
}

function swapEntries(m, doc) {
  const es = entries(doc.contents);
  if (es.length < 2) return undefined;
  const a = m.R.pick(es);
  const b = m.R.pick(es);
  if (a === b || hasAlias(a.node) || hasAlias(b.node)) return undefined;
  const an = a.node;
  const bn = b.node;
  // swapping a node with one inside it would make a cycle: copy instead
  replace(a, YAML.isNode(bn) ? bn.clone() : bn);
  replace(b, YAML.isNode(an) ? an.clone() : an);
  return `swapped the values of ${where(a)} and ${where(b)}`;
}

function moveEntry(m, doc) {
  const es = entries(doc.contents).filter((e) => e.pair);
  const maps = entries(doc.contents).filter((e) => YAML.isMap(e.node));
  if (!es.length || !maps.length) return undefined;
  const e = m.R.pick(es);
  const to = m.R.pick(maps);
  if (to.node === e.parent || to.path.join("\0").startsWith(e.path.join("\0"))) return undefined;
  e.parent.items.splice(e.index, 1);
  to.node.items.push(e.pair);
  return `moved ${where(e)} into ${where(to)}`;
}

function edgeScalar(m, doc) {
  const es = entries(doc.contents);
  if (!es.length) return undefined;
  const scalars = es.filter((e) => YAML.isScalar(e.node));
  const e = scalars.length && m.R.chance(0.8) ? m.R.pick(scalars) : m.R.pick(es);
  const text = m.R.pick(EDGE_SCALARS);
  const node = nodeFromText(text);
  if (node === undefined) return undefined;
  replace(e, node);
  return `set ${where(e)} to ${text.slice(0, 60)}`;
}

function changeType(m, doc) {
  const es = entries(doc.contents);
  if (!es.length) return undefined;
  const e = m.R.pick(es);
  if (hasAlias(e.node)) return undefined;
  const kinds = ["empty map", "empty list", "null", "wrapped in a list", "wrapped in a map", "flattened to text"];
  const kind = m.R.pick(kinds);
  const inner = YAML.isNode(e.node) ? e.node.clone() : e.node;
  const node = {
    "empty map": () => doc.createNode({}),
    "empty list": () => doc.createNode([]),
    null: () => doc.createNode(null),
    "wrapped in a list": () => doc.createNode([inner]),
    "wrapped in a map": () => {
      const n = doc.createNode({});
      n.add(doc.createPair(m.R.pick(KEYWORDS), inner));
      return n;
    },
    "flattened to text": () => doc.createNode(String(inner?.toString?.() ?? inner)),
  }[kind]();
  replace(e, node);
  return `${where(e)}: ${kind}`;
}

function spliceKey(m, doc) {
  // a key and its value from another file of this config or of another corpus
  const donors = m.R.chance(0.5) ? [m.ctx] : m.corpora;
  const c = m.R.pick(donors);
  const file = m.R.pick(c.paths);
  const { doc: ddoc, pairs: cands } = donor(c, file);
  if (!cands.length) return undefined;
  const e = m.R.pick(cands);
  let pair;
  if (hasAlias(e.pair)) {
    const js = e.node === null ? null : YAML.isNode(e.node) ? e.node.toJS(ddoc, { maxAliasCount: 1000 }) : e.node;
    pair = doc.createPair(keyName(e.pair.key), js);
  } else pair = e.pair.clone();
  const maps = [
    ...(YAML.isMap(doc.contents) ? [{ node: doc.contents, path: [] }] : []),
    ...entries(doc.contents).filter((x) => YAML.isMap(x.node) && x.depth <= 2),
  ];
  if (!maps.length) return undefined;
  const to = e.depth === 0 && YAML.isMap(doc.contents) && m.R.chance(0.6) ? maps[0] : m.R.pick(maps);
  to.node.items.splice(m.R.int(to.node.items.length + 1), 0, pair);
  return `spliced ${c.name}:${file}:${where(e)} into ${where(to)}`;
}

/** The last document of a corpus file and its pairs down to depth 2, parsed once: donors are only read. */
function donor(c, file) {
  c.donors ??= new Map();
  let d = c.donors.get(file);
  if (!d) {
    const docs = YAML.parseAllDocuments(c.files[file], PARSE);
    const doc = docs[docs.length - 1];
    const ok = doc && !doc.errors.length;
    d = { doc, pairs: ok ? entries(doc.contents, 5000).filter((e) => e.pair && e.depth <= 2) : [] };
    c.donors.set(file, d);
  }
  return d;
}

function renameKey(m, doc) {
  const es = entries(doc.contents).filter((e) => e.pair);
  if (!es.length) return undefined;
  const e = m.R.pick(es);
  const R = m.R;
  const name = R.pick([
    () => R.pick(KEYWORDS),
    () => R.pick([...GLOBAL_KEYS]),
    () => anyName(m),
    () => R.pick(["__proto__", "constructor", "hasOwnProperty", "toString", "prototype", "valueOf"]),
    () => R.pick(["<<", "", " ", "?", "-", ":", "a: b", "# x", "&a", "*a", "!x", ".", "..", ".pre", ".post"]),
    () => R.pick(["1", "0", "null", "~", "true", "1.5", "1e3"]),
    () => "k".repeat(R.between(256, 20000)),
    () => keyName(e.pair.key) + R.pick(UNICODE),
    () => `${keyName(e.pair.key)} ${R.between(1, 3)}/${R.between(1, 3)}`,
    () => `${keyName(e.pair.key)}: [${R.pick(["a", "b, c", "$[[ matrix.A ]]"])}]`,
  ])();
  const old = keyName(e.pair.key);
  const key = doc.createNode(name);
  if (R.chance(0.05)) key.tag = R.pick(["!!int", "!!null", "!reference", "!!binary"]);
  e.pair.key = key;
  return `renamed ${where(e)} to ${JSON.stringify(name.slice(0, 60))} (was ${JSON.stringify(old.slice(0, 40))})`;
}

function editExtends(m, doc) {
  const R = m.R;
  const job = someJob(m, doc);
  if (!job) return undefined;
  const name = keyName(job.key);
  const kind = R.pick(["template", "list", "self", "missing", "odd type", "cycle", "chain", "diamond", "many"]);
  const set = (j, v) => j.value.set("extends", doc.createNode(v));
  switch (kind) {
    case "template":
      set(job, anyTemplate(m));
      break;
    case "list":
      set(
        job,
        Array.from({ length: R.between(2, 5) }, () => anyName(m)),
      );
      break;
    case "self":
      set(job, R.chance(0.5) ? name : [anyTemplate(m), name]);
      break;
    case "missing":
      set(job, R.pick([".does-not-exist", "", " ", "*", ".*", name + "_"]));
      break;
    case "odd type":
      job.value.set("extends", nodeFromText(R.pick(["1", "~", "{a: b}", "[[a]]", "[1, true]", "!reference [a, b]"])));
      break;
    case "cycle": {
      const others = jobPairs(doc).filter((p) => p !== job);
      if (!others.length) return undefined;
      const other = R.pick(others);
      set(job, keyName(other.key));
      set(other, name);
      break;
    }
    case "chain": {
      const n = R.between(3, 40);
      for (let k = 0; k < n; k++)
        doc.set(`.fz_chain_${k}`, doc.createNode({ extends: `.fz_chain_${k + 1}`, variables: { [`C${k}`]: `${k}` } }));
      doc.set(`.fz_chain_${n}`, doc.createNode({ script: ["echo end"] }));
      set(job, ".fz_chain_0");
      return `${name} extends a chain of ${n} templates`;
    }
    case "diamond": {
      const n = R.between(3, 14);
      for (let k = 0; k < n; k++)
        for (const s of ["a", "b"])
          doc.set(
            `.fz_dia_${k}${s}`,
            doc.createNode({ extends: [`.fz_dia_${k + 1}a`, `.fz_dia_${k + 1}b`], variables: { [`D${k}${s}`]: s } }),
          );
      for (const s of ["a", "b"]) doc.set(`.fz_dia_${n}${s}`, doc.createNode({ script: [`echo ${s}`] }));
      set(job, [".fz_dia_0a", ".fz_dia_0b"]);
      return `${name} extends a diamond lattice ${n} deep`;
    }
    default:
      set(
        job,
        Array.from({ length: R.between(20, 300) }, () => anyName(m)),
      );
  }
  return `extends of ${name}: ${kind}`;
}

function editReference(m, doc) {
  const R = m.R;
  const kind = R.pick(["existing", "existing", "self", "malformed", "chain", "bomb", "cycle", "in list"]);
  if (kind === "chain") {
    const n = R.between(5, 150);
    for (let k = 0; k < n; k++) doc.set(`.fz_ref_${k}`, doc.createNode({ script: ["echo " + k] }));
    for (let k = 0; k < n; k++)
      doc.setIn([`.fz_ref_${k}`, "script"], doc.createNode([reference(doc, [`.fz_ref_${k + 1}`, "script"])]));
    doc.set(`.fz_ref_${n}`, doc.createNode({ script: ["echo end"] }));
    const job = someJob(m, doc, { hidden: false });
    if (job) job.value.set("script", reference(doc, [".fz_ref_0", "script"]));
    return `!reference chain of ${n}`;
  }
  if (kind === "bomb") {
    const width = R.between(2, 12);
    const depth = R.between(2, 9);
    doc.set(".fz_rb_0", doc.createNode({ script: Array.from({ length: width }, (_, i) => `echo ${i}`) }));
    for (let k = 1; k <= depth; k++) {
      const list = doc.createNode([]);
      for (let i = 0; i < width; i++) list.items.push(reference(doc, [`.fz_rb_${k - 1}`, "script"]));
      const t = doc.createNode({});
      t.set("script", list);
      doc.set(`.fz_rb_${k}`, t);
    }
    const job = someJob(m, doc, { hidden: false });
    if (job)
      job.value.set(R.pick(["script", "before_script", "after_script"]), reference(doc, [`.fz_rb_${depth}`, "script"]));
    return `!reference amplification ${width}^${depth}`;
  }
  if (kind === "cycle") {
    const n = R.between(1, 4);
    for (let k = 0; k < n; k++) {
      const t = doc.createNode({});
      t.set("script", reference(doc, [`.fz_cyc_${(k + 1) % n}`, "script"]));
      doc.set(`.fz_cyc_${k}`, t);
    }
    const job = someJob(m, doc, { hidden: false });
    if (job) job.value.set("script", reference(doc, [".fz_cyc_0", "script"]));
    return `!reference cycle of ${n}`;
  }
  const es = entries(doc.contents);
  if (!es.length) return undefined;
  const e = m.R.pick(es);
  let parts;
  if (kind === "existing") {
    const j = anyName(m);
    parts = [j, anyKeyOf(m, j)];
    if (R.chance(0.2)) parts.push(R.pick(["0", "x", "script", "rules", 0]));
  } else if (kind === "self") parts = [String(e.path[0] ?? "x"), ...e.path.slice(1).map(String)];
  else if (kind === "in list") {
    const j = anyName(m);
    const list = doc.createNode(["echo before"]);
    list.items.push(reference(doc, [j, anyKeyOf(m, j)]));
    replace(e, list);
    return `${where(e)}: list with !reference [${j}, …]`;
  } else {
    const node = nodeFromText(
      R.pick([
        "!reference",
        "!reference []",
        "!reference [a]",
        "!reference [[a], b]",
        "!reference [{a: 1}, b]",
        "!reference {a: b}",
        "!reference [a, b, c, d, e, f, g, h, i, j, k]",
        "!reference [1, 2]",
        "!reference [~, ~]",
        "!reference [.pre, script]",
        "!reference ['', '']",
      ]),
    );
    if (node === undefined) return undefined;
    replace(e, node);
    return `${where(e)}: malformed !reference`;
  }
  replace(e, reference(doc, parts));
  return `${where(e)}: !reference [${parts.join(", ")}]`;
}

function aliasBomb(m, doc) {
  if (!YAML.isMap(doc.contents)) return undefined;
  const R = m.R;
  const width = R.between(2, 10);
  const depth = R.between(2, 10);
  const asMaps = R.chance(0.3);
  let prev = doc.createNode(Array.from({ length: width }, (_, i) => `echo ${"x".repeat(R.chance(0.3) ? 30 : 1)}${i}`));
  prev.anchor = `fzb0`;
  const holder = doc.createNode({});
  holder.set("l0", prev);
  for (let k = 1; k <= depth; k++) {
    const node = asMaps ? doc.createNode({}) : doc.createNode([]);
    for (let i = 0; i < width; i++) {
      const alias = doc.createAlias(prev);
      if (asMaps) node.set(`k${i}`, alias);
      else node.items.push(alias);
    }
    node.anchor = `fzb${k}`;
    holder.set(`l${k}`, node);
    prev = node;
  }
  doc.set(".fz_bomb", holder);
  const job = someJob(m, doc, { hidden: false });
  if (job) job.value.set(R.pick(["script", "variables", "tags", "rules", "cache", "artifacts"]), doc.createAlias(prev));
  return `alias bomb ${width}^${depth}${asMaps ? " (maps)" : ""}`;
}

function anchorAlias(m, doc) {
  const es = entries(doc.contents);
  if (es.length < 2) return undefined;
  const R = m.R;
  const kind = R.pick(["alias", "merge", "merge list", "merge scalar"]);
  const maps = es.filter((e) => YAML.isMap(e.node));
  const a = R.pick(kind === "alias" ? es : maps.length ? maps : es);
  if (!YAML.isNode(a.node)) return undefined;
  const name = a.node.anchor ?? `fza${R.int(1000)}`;
  a.node.anchor = name;
  // the alias must come after its anchor in the printed text: the yaml package refuses otherwise
  const ia = es.indexOf(a);
  const inside = a.path.join("\0");
  const later = es.filter((e, i) => i > ia && !e.path.join("\0").startsWith(inside));
  const laterMaps = later.filter((e) => YAML.isMap(e.node));
  if (kind === "alias") {
    if (!later.length) return undefined;
    const b = R.pick(later);
    replace(b, doc.createAlias(a.node));
    return `${where(b)}: *${name} (${where(a)})`;
  }
  if (!laterMaps.length) return undefined;
  const b = R.pick(laterMaps);
  let value;
  if (kind === "merge") value = doc.createAlias(a.node);
  else if (kind === "merge list") value = doc.createNode([doc.createAlias(a.node), doc.createAlias(a.node)]);
  else value = nodeFromText(R.pick(["x", "~", "[1, 2]", "{a: 1}", "[[a]]"]));
  b.node.items.splice(R.int(b.node.items.length + 1), 0, doc.createPair("<<", value));
  return `${where(b)}: <<: (${kind}) of ${where(a)}`;
}

function editInclude(m, doc) {
  if (!YAML.isMap(doc.contents)) return undefined;
  const R = m.R;
  let inc = doc.get("include", true);
  if (!YAML.isSeq(inc)) {
    const seq = doc.createNode([]);
    if (inc !== undefined && inc !== null) seq.items.push(inc);
    doc.set("include", seq);
    inc = seq;
  }
  const self = m.file;
  const kind = R.pick([
    "local",
    "local",
    "self",
    "root",
    "missing",
    "wildcard",
    "odd path",
    "with inputs",
    "with rules",
    "other kinds",
    "odd type",
    "many",
    "new file",
    "change existing",
  ]);
  let v;
  let detail = kind;
  switch (kind) {
    case "local":
      v = R.chance(0.5) ? anyPath(m) : { local: anyPath(m) };
      break;
    case "self":
      v = R.chance(0.5) ? self : { local: "/" + self };
      break;
    case "root":
      v = { local: m.ctx.root };
      break;
    case "missing":
      v = { local: R.pick(["missing.yml", "nope/x.yaml", "x.json", "Dockerfile", ".gitlab-ci.yml/"]) };
      break;
    case "wildcard":
      v = { local: R.pick(GLOBS) };
      break;
    case "odd path":
      v = {
        local: R.pick([
          "../outside.yml",
          "../../../../etc/passwd",
          "/etc/passwd",
          "//x.yml",
          "./" + anyPath(m),
          anyPath(m).toUpperCase(),
          "$CI_PROJECT_DIR/x.yml",
          "${FOO}.yml",
          "$[[ inputs.x ]].yml",
          "x.yml\u0000",
          "a".repeat(5000) + ".yml",
          "C:\\x.yml",
          "file:///etc/passwd",
          "~/.ssh/id_rsa.yml",
          "",
        ]),
      };
      break;
    case "with inputs":
      v = {
        local: R.chance(0.5) ? self : anyPath(m),
        inputs: {
          x: R.pick(["a", 1, true, ["a", "b"], { k: "v" }, "$[[ inputs.x ]]", "x".repeat(R.between(1, 100000))]),
          [R.pick(["y", "stage", "job-prefix", "nope"])]: R.pick(["b", 2, null]),
        },
      };
      break;
    case "with rules":
      v = doc.createNode({ local: anyPath(m) });
      v.set("rules", someRules(m, doc));
      break;
    case "other kinds":
      v = R.pick([
        { remote: R.pick(["https://example.invalid/x.yml", "http://127.0.0.1:1/x.yml", "ftp://x/y.yml", "nope"]) },
        { template: R.pick(["Auto-DevOps.gitlab-ci.yml", "Jobs/SAST.gitlab-ci.yml", "../../etc/passwd", ""]) },
        { project: R.pick(["group/project", "", "/x/", "a/b/c/d"]), file: [anyPath(m), "/x.yml"], ref: "main" },
        { component: R.pick(["$CI_SERVER_FQDN/a/b/c@1.0", "gitlab.com/x@~latest", "x", "a/b@"]), inputs: { a: 1 } },
        { artifact: "x.yml", job: anyJob(m) },
        { local: anyPath(m), remote: "https://example.invalid/x.yml" },
      ]);
      break;
    case "odd type":
      inc.items.push(nodeFromText(R.pick(["1", "~", "[[x]]", "{}", "{nope: x}", "true", "!reference [a, b]"])));
      return `include: odd type`;
    case "many": {
      const n = R.between(100, 400);
      for (let k = 0; k < n; k++) inc.items.push(doc.createNode(R.chance(0.5) ? anyPath(m) : { local: anyPath(m) }));
      return `include: ${n} more entries`;
    }
    case "new file": {
      // a new file that includes this one back (a cycle through a file nobody else knows)
      const p = `fuzz/new-${R.int(10)}.yml`;
      const back = R.chance(0.7) ? `include:\n  - local: '${self}'\n` : "";
      m.added[p] = `${back}fuzz_new_job_${R.int(10)}:\n  script: echo new\n  extends: ${anyTemplate(m)}\n`;
      v = { local: p };
      detail = `new file ${p}${back ? " that includes it back" : ""}`;
      break;
    }
    default: {
      const paths = entries(inc).filter((e) => YAML.isScalar(e.node) && typeof e.node.value === "string");
      if (!paths.length) return undefined;
      const e = R.pick(paths);
      const to = R.pick([anyPath(m), self, R.pick(GLOBS), "missing.yml"]);
      replace(e, doc.createNode(to));
      return `include entry ${where(e)} → ${to}`;
    }
  }
  inc.items.splice(R.int(inc.items.length + 1), 0, doc.createNode(v));
  return `include: ${detail}`;
}

function editRules(m, doc) {
  const R = m.R;
  const kind = R.pick(["job", "job", "workflow", "include"]);
  const rules = someRules(m, doc);
  if (kind === "workflow" && YAML.isMap(doc.contents)) {
    doc.setIn(["workflow", "rules"], rules);
    if (R.chance(0.2))
      doc.setIn(["workflow", "name"], R.pick(["$[[ inputs.x ]]", "$CI_COMMIT_REF_NAME", "x".repeat(300)]));
    return `workflow:rules (${rules.items.length})`;
  }
  if (kind === "include") {
    const inc = YAML.isMap(doc.contents) ? doc.get("include", true) : undefined;
    const maps = inc ? entries(inc).filter((e) => YAML.isMap(e.node) && e.depth === 0) : [];
    if (maps.length) {
      const e = R.pick(maps);
      e.node.set("rules", rules);
      return `include ${where(e)}: rules (${rules.items.length})`;
    }
  }
  const job = someJob(m, doc);
  if (!job) return undefined;
  job.value.set("rules", rules);
  if (R.chance(0.2))
    job.value.set(R.pick(["only", "except"]), doc.createNode({ refs: ["main"], variables: [ifExpression(R)] }));
  return `${keyName(job.key)}: rules (${rules.items.length})`;
}

function editNeeds(m, doc) {
  const R = m.R;
  const job = someJob(m, doc, { hidden: R.chance(0.1) });
  if (!job) return undefined;
  const name = keyName(job.key);
  const kind = R.pick(["jobs", "self", "cycle", "matrix", "odd", "many", "empty", "dependencies", "chain"]);
  let v;
  switch (kind) {
    case "jobs":
      v = Array.from({ length: R.between(1, 5) }, () =>
        R.chance(0.5) ? anyJob(m) : { job: anyJob(m), artifacts: R.chance(0.5), optional: R.chance(0.5) },
      );
      break;
    case "self":
      v = [name];
      break;
    case "cycle": {
      const others = jobPairs(doc).filter((p) => p !== job && !keyName(p.key).startsWith("."));
      if (!others.length) return undefined;
      const other = R.pick(others);
      other.value.set("needs", doc.createNode([name]));
      v = [keyName(other.key)];
      break;
    }
    case "matrix":
      v = [
        {
          job: anyJob(m),
          parallel: {
            matrix: [{ A: R.pick(["a", ["a", "b"], ["$[[ matrix.A ]]"]]), [R.pick(["B", "PROVIDER"])]: "x" }],
          },
        },
      ];
      break;
    case "odd":
      job.value.set(
        "needs",
        nodeFromText(
          R.pick([
            "~",
            "x",
            "1",
            "[[x]]",
            "[{job: }]",
            "[{pipeline: $PARENT_PIPELINE_ID, job: x}]",
            "[{project: a/b, job: x, ref: main, artifacts: true}]",
            "{job: x}",
          ]),
        ),
      );
      return `${name}: needs odd`;
    case "many":
      v = Array.from({ length: R.between(50, 600) }, () => anyJob(m));
      break;
    case "empty":
      v = [];
      break;
    case "dependencies":
      job.value.set("dependencies", doc.createNode(Array.from({ length: R.between(0, 30) }, () => anyJob(m))));
      return `${name}: dependencies`;
    default: {
      // a long chain of new jobs, each needing the previous one
      const n = R.between(10, 400);
      for (let k = 0; k < n; k++)
        doc.set(`fz_need_${k}`, doc.createNode({ script: ["x"], needs: k ? [`fz_need_${k - 1}`] : [], stage: "test" }));
      v = [`fz_need_${n - 1}`];
      break;
    }
  }
  job.value.set("needs", doc.createNode(v));
  return `${name}: needs (${kind})`;
}

function editParallel(m, doc) {
  const R = m.R;
  const job = someJob(m, doc);
  if (!job) return undefined;
  const name = keyName(job.key);
  if (R.chance(0.3)) {
    const n = R.pick(HUGE_NUMBERS);
    job.value.set("parallel", nodeFromText(n));
    return `${name}: parallel ${n.slice(0, 30)}`;
  }
  const dims = R.between(1, 8);
  const size = R.between(1, R.chance(0.2) ? 100 : 6);
  const row = {};
  for (let d = 0; d < dims; d++)
    row[R.chance(0.1) ? R.pick(["CI_JOB_NAME", "", "a b", "$X"]) : `M${d}`] = R.chance(0.2)
      ? `v${d}`
      : Array.from({ length: size }, (_, i) => (R.chance(0.05) ? R.pick([null, 1, ["x"], { a: 1 }]) : `v${i}`));
  const matrix = Array.from({ length: R.between(1, 3) }, () => row);
  job.value.set("parallel", doc.createNode({ matrix }));
  if (R.chance(0.4)) {
    const needer = someJob(m, doc, { hidden: false });
    needer?.value.set("needs", doc.createNode([{ job: name, parallel: { matrix: [row] } }]));
  }
  if (R.chance(0.3)) job.value.set("tags", doc.createNode(["$M0", "$[[ matrix.M0 ]]"]));
  return `${name}: parallel:matrix ${matrix.length}×${dims} dims×${size}`;
}

function editVariables(m, doc) {
  const R = m.R;
  const top = YAML.isMap(doc.contents) && R.chance(0.4);
  const job = top ? undefined : someJob(m, doc);
  const target = top ? doc.contents : job?.value;
  if (!target) return undefined;
  const kind = R.pick(["doubling", "cycle", "odd", "object", "many"]);
  const vars = {};
  switch (kind) {
    case "doubling": {
      const n = R.between(5, 40);
      vars.FZ0 = "x".repeat(R.between(1, 50));
      for (let k = 1; k <= n; k++)
        vars[`FZ${k}`] = `$FZ${k - 1}${R.chance(0.5) ? "${FZ" + (k - 1) + "}" : "$FZ" + (k - 1)}`;
      const last = `$FZ${n}`;
      // use it where variables are expanded
      const user = someJob(m, doc, { hidden: false });
      if (user) {
        const where2 = R.pick(["image", "rules", "tags", "environment", "include", "cache"]);
        if (where2 === "rules") user.value.set("rules", doc.createNode([{ if: `${last} == "x"` }]));
        else if (where2 === "environment") user.value.set("environment", doc.createNode({ name: last, url: last }));
        else if (where2 === "cache") user.value.set("cache", doc.createNode({ key: last, paths: [last] }));
        else if (where2 === "include" && YAML.isMap(doc.contents))
          doc.set("include", doc.createNode([{ local: `${last}.yml` }]));
        else user.value.set(where2 === "tags" ? "tags" : "image", doc.createNode(where2 === "tags" ? [last] : last));
      }
      break;
    }
    case "cycle":
      vars.FZA = "$FZB";
      vars.FZB = "${FZA}$FZA";
      vars.FZC = "$FZC";
      break;
    case "odd":
      vars[R.pick(["", " ", "1", "A-B", "a.b", "ÄÖ", "__proto__", "CI_JOB_NAME", "GLCI_X", "$X", "x".repeat(5000)])] =
        R.pick(["", null, 1, true, Infinity, ["a"], "$", "$$", "${", "$[[ inputs.x ]]", "\u0000", "x".repeat(100000)]);
      break;
    case "object":
      vars[R.pick(VARIABLES)] = {
        value: R.pick(["a", "$FOO", 1]),
        description: "d".repeat(R.between(1, 2000)),
        expand: R.pick([true, false, "no"]),
        options: R.chance(0.5) ? ["a", "b"] : [],
      };
      break;
    default:
      for (let k = 0; k < R.between(100, 3000); k++) vars[`FZV_${k}`] = `$FZV_${R.int(k + 1)}-${k}`;
  }
  const existing = target.get("variables", true);
  if (YAML.isMap(existing) && R.chance(0.7))
    for (const [k, v] of Object.entries(vars)) existing.set(k, doc.createNode(v));
  else target.set("variables", doc.createNode(vars));
  return `${top ? "top" : keyName(job.key)}: variables (${kind})`;
}

function editSpecInputs(m, doc, docs) {
  const R = m.R;
  const inputs = {};
  const names = [];
  for (let k = 0; k < R.between(1, 5); k++) {
    const name = R.chance(0.9) ? `in${k}` : R.pick(["x", "a-b", "a.b", "", "1", "__proto__"]);
    names.push(name);
    const type = R.pick(["string", "number", "boolean", "array", undefined, "bogus"]);
    const spec = {};
    if (type) spec.type = type;
    if (R.chance(0.7))
      spec.default = R.pick(["a", "", 1, Infinity, true, ["a", 1], { a: 1 }, "$[[ inputs.in0 ]]", "x".repeat(100000)]);
    if (R.chance(0.2)) spec.options = R.pick([["a", "b"], [], [1, "a"], "a"]);
    if (R.chance(0.2)) spec.regex = R.pick(REGEXES).slice(1, -1);
    if (R.chance(0.1)) spec.description = "d".repeat(R.between(1, 2000));
    if (R.chance(0.1)) spec.rules = [{ if: `$[[ inputs.${names[0]} ]] == "a"`, options: ["a"], default: "a" }];
    inputs[name] = spec;
  }
  const header = new YAML.Document({ spec: { inputs } }, { version: "1.1" });
  // the header replaces one the file already has, or comes first
  const hasHeader = docs.length > 1 && YAML.isMap(docs[0].contents) && docs[0].has("spec");
  if (hasHeader) docs[0] = header;
  else if (R.chance(0.9)) docs.unshift(header);
  docs[docs.length - 1].directives.docStart = true;
  // interpolations in values of the config
  const es = entries(docs[docs.length - 1].contents).filter((e) => YAML.isScalar(e.node));
  const n = R.chance(0.1) ? R.between(100, 3000) : R.between(1, 4);
  for (let k = 0; k < n && es.length; k++) {
    const e = R.pick(es);
    const name = R.chance(0.85) ? R.pick(names) : R.pick(["nope", "", "in0.x", "in0 | bogus"]);
    const fn = R.pick([
      "",
      "",
      " | expand_vars",
      " | truncate(0, 3)",
      " | truncate(99999999999, 1)",
      " | posix_escape",
      " | nope(1)",
    ]);
    const interp = `$[[ inputs.${name}${fn} ]]`;
    const text = R.chance(0.5) ? interp : `pre-${interp}-${interp}-post`;
    replace(e, doc.createNode(text));
    if (R.chance(0.1) && e.pair) e.pair.key = doc.createNode(`key-${interp}`);
  }
  return `spec:inputs ${names.join(",")} (${hasHeader ? "replaced" : "new"}), ${n} interpolations`;
}

function hugeNumber(m, doc) {
  const R = m.R;
  const job = someJob(m, doc);
  if (!job) return undefined;
  const key = R.pick([
    "parallel",
    "retry",
    "retry.max",
    "timeout",
    "coverage",
    "start_in",
    "artifacts.expire_in",
    "interruptible",
    "allow_failure.exit_codes",
    "environment.auto_stop_in",
    "cache.key.files",
  ]);
  const n = R.pick(HUGE_NUMBERS);
  const node = nodeFromText(n);
  if (node === undefined) return undefined;
  const path = key.split(".");
  if (path.length > 1 && !YAML.isMap(job.value.get(path[0], true))) job.value.set(path[0], doc.createNode({}));
  job.value.setIn(path, node);
  return `${keyName(job.key)}: ${key} = ${n.slice(0, 40)}`;
}

function deepStructure(m, doc) {
  const es = entries(doc.contents);
  if (!es.length) return undefined;
  const R = m.R;
  const e = R.pick(es);
  const kind = R.pick(["deep map", "deep list", "wide map", "wide list", "long string"]);
  let v;
  if (kind === "deep map" || kind === "deep list") {
    const depth = R.pick([R.between(5, 99), R.between(99, 102), R.between(100, 400)]);
    v = "leaf";
    for (let k = 0; k < depth; k++) v = kind === "deep map" ? { [R.pick(KEYWORDS)]: v } : [v];
    replace(e, doc.createNode(v));
    return `${where(e)}: ${kind} ${depth}`;
  }
  if (kind === "wide map") {
    v = {};
    for (let k = 0, n = R.between(500, 10000); k < n; k++) v[`k${k}`] = R.chance(0.5) ? k : `v${k}`;
  } else if (kind === "wide list") v = Array.from({ length: R.between(500, 50000) }, (_, i) => `echo ${i}`);
  else v = R.pick(["x", "$A", "é", "\n", "${"]).repeat(R.between(10000, 2000000));
  replace(e, doc.createNode(v));
  return `${where(e)}: ${kind}`;
}

function editTrigger(m, doc) {
  const R = m.R;
  const job = someJob(m, doc, { hidden: false });
  if (!job) return undefined;
  const self = m.file;
  const v = R.pick([
    () => ({ include: R.pick([self, m.ctx.root, anyPath(m)]) }),
    () => ({ include: [{ local: R.pick([self, m.ctx.root, anyPath(m)]) }], strategy: "depend" }),
    () => ({ include: [{ local: anyPath(m), inputs: { x: 1 } }], forward: { yaml_variables: false } }),
    () => ({ include: [{ local: R.pick(GLOBS) }] }),
    () => ({ include: [{ artifact: "child.yml", job: anyJob(m) }] }),
    () => ({ include: Array.from({ length: R.between(4, 30) }, () => ({ local: anyPath(m) })) }),
    () => ({ project: R.pick(["a/b", "", "$X"]), branch: "main" }),
    () => R.pick(["a/b", "", 1, null]),
  ])();
  job.value.set("trigger", doc.createNode(v));
  if (R.chance(0.5)) job.value.delete("script");
  return `${keyName(job.key)}: trigger ${JSON.stringify(v).slice(0, 80)}`;
}

function editStages(m, doc) {
  if (!YAML.isMap(doc.contents)) return undefined;
  const R = m.R;
  const kind = R.pick(["delete", "empty", "duplicates", "many", "odd", "job stage"]);
  switch (kind) {
    case "delete":
      doc.delete("stages");
      break;
    case "empty":
      doc.set("stages", doc.createNode([]));
      break;
    case "duplicates":
      doc.set("stages", doc.createNode(["build", "test", "build", ".pre", ".post", ".pre", "test"]));
      break;
    case "many":
      doc.set("stages", doc.createNode(Array.from({ length: R.between(100, 5000) }, (_, i) => `s${i}`)));
      break;
    case "odd":
      doc.set("stages", nodeFromText(R.pick(["~", "build", "[[a]]", "[1, true, ~]", "{a: b}", "['', ' ']"])));
      break;
    default: {
      const job = someJob(m, doc);
      if (!job) return undefined;
      job.value.set("stage", doc.createNode(R.pick(["nope", ".pre", ".post", "", "$STAGE", "$[[ inputs.stage ]]", 1])));
    }
  }
  return `stages: ${kind}`;
}

const KEYWORD_VALUES = {
  artifacts: () => ({
    paths: [GLOBS[0]],
    reports: { junit: ["x.xml"], dotenv: "a.env", coverage_report: { coverage_format: "cobertura", path: "x" } },
    expire_in: "never",
    when: "always",
  }),
  cache: () => [{ key: { files: ["a", "b", "c"], prefix: "$CI_JOB_NAME" }, paths: ["x"], policy: "pull" }, { key: "" }],
  environment: () => ({ name: "review/$CI_COMMIT_REF_SLUG", on_stop: "nope", action: "stop", auto_stop_in: "1 day" }),
  release: () => ({ tag_name: "$CI_COMMIT_TAG", description: "x", assets: { links: [{ name: "a", url: "x" }] } }),
  secrets: () => ({ S: { vault: "a/b@c", file: false, token: "$T" } }),
  id_tokens: () => ({ T: { aud: ["a", "b"] } }),
  hooks: () => ({ pre_get_sources_script: ["x"] }),
  inherit: () => ({ default: ["image", "nope"], variables: false }),
  services: () => ["docker:dind", { name: "postgres", alias: "db,db2", command: ["a"], variables: { A: "$A" } }],
  image: () => ({ name: "$IMAGE", entrypoint: [""], docker: { platform: "arm64", user: "root" }, pull_policy: ["x"] }),
  script: () => [["nested", ["list"]], "echo ok", 1, null],
  tags: () => ["$RUNNER", ["x"], ""],
  when: () => "delayed",
  retry: () => ({ max: 2, when: ["script_failure", "bogus"], exit_codes: [137] }),
  resource_group: () => "$CI_ENVIRONMENT_NAME",
  coverage: () => "/(\\d+)%/",
  run: () => [{ name: "s", step: "a/b@v1", inputs: { a: 1 } }],
  pages: () => ({ path_prefix: "$[[ inputs.x ]]", expire_in: "1 week" }),
  only: () => ({ refs: ["main", "/^release/"], changes: ["**/*"], kubernetes: "active" }),
  default: () => ({ image: "ruby", before_script: ["x"], retry: 2, interruptible: true, nope: 1 }),
  workflow: () => ({ name: "$X", auto_cancel: { on_new_commit: "interruptible" }, rules: [{ when: "always" }] }),
};

function keywordSoup(m, doc) {
  const R = m.R;
  const key = R.pick(Object.keys(KEYWORD_VALUES));
  if ((key === "default" || key === "workflow") && YAML.isMap(doc.contents)) {
    doc.set(key, doc.createNode(KEYWORD_VALUES[key]()));
    return `top ${key}`;
  }
  const job = someJob(m, doc);
  if (!job) return undefined;
  job.value.set(key, doc.createNode(KEYWORD_VALUES[key]()));
  return `${keyName(job.key)}: ${key}`;
}

function settingsFile(m) {
  const R = m.R;
  const pick = () =>
    R.pick([
      () =>
        `severity:\n  ${R.pick(["include-no-match", "nope", "schema", "*"])}: ` +
        `${R.pick(["error", "off", "bogus", "1"])}\n`,
      () =>
        `rules:\n  glci-variable-prefix:\n    mode: ${R.pick(["all", "new", "off", "x"])}\n` +
        `    allow: [${R.pick(["QA_*", "*", "", "[x]"])}]\n`,
      () => `rules:\n  anchor-instead-of-extends: ${R.pick(["information", "error", "{severity: hint}", "[]"])}\n`,
      () => `roots: [${R.pick([anyPath(m), m.file, "missing.yml", "../x.yml", "**/*.yml", ".pipewright.yml"])}]\n`,
      () => `ciConfigPath: ${R.pick([m.file, "missing.yml", "", "/etc/passwd", ".pipewright.yml"])}\n`,
      () => R.pick(["~\n", "[]\n", "x\n", "roots: x\n", "{{{\n", "severity: [a]\n", "rules: 1\n"]),
    ])();
  m.added[".pipewright.yml"] = Array.from({ length: R.between(1, 3) }, pick).join("");
  return `.pipewright.yml: ${JSON.stringify(m.added[".pipewright.yml"].slice(0, 100))}`;
}

// ───────────────────────────── textual operators ─────────────────────────────
// Each takes (m, text) and returns { text, detail }.

const lineOps = (text) => text.split("\n");

const TEXT_OPS = {
  truncate: (m, t) => {
    const at = m.R.int(t.length + 1);
    return { text: t.slice(0, at), detail: `cut at ${at} of ${t.length}` };
  },
  "delete-lines": (m, t) => {
    const l = lineOps(t);
    const i = m.R.int(l.length);
    const n = m.R.between(1, 6);
    l.splice(i, n);
    return { text: l.join("\n"), detail: `lines ${i + 1}+${n}` };
  },
  "duplicate-lines": (m, t) => {
    const l = lineOps(t);
    const i = m.R.int(l.length);
    const block = l.slice(i, i + m.R.between(1, 8));
    const to = m.R.chance(0.5) ? i : m.R.int(l.length + 1);
    l.splice(to, 0, ...block);
    return { text: l.join("\n"), detail: `lines ${i + 1}+${block.length} at ${to + 1}` };
  },
  "swap-lines": (m, t) => {
    const l = lineOps(t);
    const a = m.R.int(l.length);
    const b = m.R.int(l.length);
    [l[a], l[b]] = [l[b], l[a]];
    return { text: l.join("\n"), detail: `lines ${a + 1} and ${b + 1}` };
  },
  reindent: (m, t) => {
    const l = lineOps(t);
    const i = m.R.int(l.length);
    const n = m.R.between(1, 6);
    const d = m.R.pick([-4, -2, -1, 1, 2, 4, "tab"]);
    for (let k = i; k < Math.min(l.length, i + n); k++) {
      const ind = /^ */.exec(l[k])[0].length;
      l[k] = d === "tab" ? l[k].replace(/^ {1,2}/, "\t") : d > 0 ? " ".repeat(d) + l[k] : l[k].slice(Math.min(-d, ind));
    }
    return { text: l.join("\n"), detail: `lines ${i + 1}+${n} by ${d}` };
  },
  "insert-chars": (m, t) => {
    let s = t;
    const at = [];
    for (let k = m.R.between(1, 4); k > 0; k--) {
      const i = m.R.int(s.length + 1);
      s = s.slice(0, i) + m.R.pick(WEIRD_CHARS) + s.slice(i);
      at.push(i);
    }
    return { text: s, detail: `at ${at.join(",")}` };
  },
  unicode: (m, t) => {
    let s = t;
    const at = [];
    for (let k = m.R.between(1, 3); k > 0; k--) {
      const i = m.R.chance(0.2) ? 0 : m.R.int(s.length + 1);
      s = s.slice(0, i) + m.R.pick(UNICODE) + s.slice(i);
      at.push(i);
    }
    return { text: s, detail: `at ${at.join(",")}` };
  },
  "line-endings": (m, t) => {
    const kind = m.R.pick(["crlf", "cr", "mixed", "nel", "ls"]);
    const l = lineOps(t);
    const sep = {
      crlf: () => "\r\n",
      cr: () => "\r",
      mixed: () => m.R.pick(["\n", "\r\n", "\r"]),
      nel: () => "\u0085",
      ls: () => "\u2028",
    }[kind];
    return { text: l.map((x, i) => (i ? sep() : "") + x).join(""), detail: kind };
  },
  "long-line": (m, t) => {
    const l = lineOps(t);
    const i = m.R.int(l.length + 1);
    const n = m.R.between(1000, 500000);
    const ind = " ".repeat(/^ */.exec(l[Math.max(0, i - 1)] ?? "")[0].length);
    const s = m.R.pick([
      () => `${ind}long_${m.R.int(9)}: ${"x".repeat(n)}`,
      () => `${ind}${"k".repeat(n)}: v`,
      () => `${ind}- ${"$A".repeat(n / 2)}`,
      () => `${ind}# ${"c".repeat(n)}`,
      () => `${ind}s: "${"\\u00e9".repeat(n / 6)}"`,
    ])();
    l.splice(i, 0, s);
    return { text: l.join("\n"), detail: `${n} chars at line ${i + 1}` };
  },
  "deep-flow": (m, t) => {
    const n = m.R.pick([m.R.between(50, 200), m.R.between(200, 2000), m.R.between(2000, 100000)]);
    const kind = m.R.pick(["[", "{a: ", "[{a: "]);
    const close = { "[": "]", "{a: ": "}", "[{a: ": "}]" }[kind];
    const balanced = m.R.chance(0.8);
    const s = `fz_deep_${m.R.int(9)}: ${kind.repeat(n)}x${balanced ? close.repeat(n) : ""}`;
    return {
      text: m.R.chance(0.5) ? `${t}\n${s}\n` : `${s}\n${t}`,
      detail: `${kind}×${n}${balanced ? "" : " unclosed"}`,
    };
  },
  "deep-block": (m, t) => {
    const n = m.R.pick([m.R.between(50, 120), m.R.between(120, 1000)]);
    const lines = [];
    for (let k = 0; k < n; k++) lines.push(`${" ".repeat(k)}${m.R.chance(0.5) ? "- " : ""}k${k}:`);
    return { text: `${t}\nfz_block:\n${lines.map((x) => " " + x).join("\n")} leaf\n`, detail: `${n} levels` };
  },
  "doc-markers": (m, t) => {
    const l = lineOps(t);
    const i = m.R.int(l.length + 1);
    const s = m.R.pick([
      "---",
      "...",
      "--- !reference [a, b]",
      "%YAML 1.1\n---",
      "%YAML 1.2\n---",
      "%TAG ! tag:x,2000:\n---",
      "--- |",
      "--- >",
      "---\n---\n---",
      "--- # c",
    ]);
    l.splice(i, 0, s);
    return { text: l.join("\n"), detail: `${JSON.stringify(s)} at line ${i + 1}` };
  },
  "splice-lines": (m, t) => {
    const c = m.R.chance(0.5) ? m.ctx : m.R.pick(m.corpora);
    const file = m.R.pick(c.paths);
    const ol = lineOps(c.files[file]);
    const s = m.R.int(ol.length);
    const n = m.R.between(1, 30);
    const l = lineOps(t);
    const at = m.R.int(l.length + 1);
    l.splice(at, 0, ...ol.slice(s, s + n));
    return { text: l.join("\n"), detail: `${c.name}:${file} lines ${s + 1}+${n} at ${at + 1}` };
  },
  "dangling-alias": (m, t) => {
    const l = lineOps(t);
    const cands = l.map((x, i) => (/^\s*[\w.-]+:\s*\S/.test(x) ? i : -1)).filter((i) => i >= 0);
    if (!cands.length) return { text: t + "\nfz: *nope\n", detail: "appended" };
    const i = m.R.pick(cands);
    const v = m.R.pick([
      "*nope",
      "*" + (m.ctx.anchors.length ? m.R.pick(m.ctx.anchors) : "x"),
      "&a &b x",
      "&a *a",
      "!reference *a",
      "<<",
    ]);
    l[i] = l[i].replace(/:\s*\S.*$/, `: ${v}`);
    return { text: l.join("\n"), detail: `line ${i + 1}: ${v}` };
  },
};

// ───────────────────────────── choosing and applying ─────────────────────────────

const AST_OPS = {
  "delete-entry": [deleteEntry, 6],
  "duplicate-entry": [duplicateEntry, 5],
  "swap-entries": [swapEntries, 4],
  "move-entry": [moveEntry, 2],
  "edge-scalar": [edgeScalar, 8],
  "change-type": [changeType, 4],
  "splice-key": [spliceKey, 6],
  "rename-key": [renameKey, 4],
  extends: [editExtends, 6],
  reference: [editReference, 6],
  "alias-bomb": [aliasBomb, 2],
  "anchor-alias": [anchorAlias, 4],
  include: [editInclude, 7],
  rules: [editRules, 5],
  needs: [editNeeds, 4],
  parallel: [editParallel, 3],
  variables: [editVariables, 4],
  "spec-inputs": [editSpecInputs, 4],
  "huge-number": [hugeNumber, 3],
  "deep-structure": [deepStructure, 2],
  trigger: [editTrigger, 3],
  stages: [editStages, 2],
  "keyword-soup": [keywordSoup, 4],
};
const TEXT_WEIGHTS = {
  truncate: 3,
  "delete-lines": 3,
  "duplicate-lines": 3,
  "swap-lines": 2,
  reindent: 3,
  "insert-chars": 4,
  unicode: 2,
  "line-endings": 1,
  "long-line": 1,
  "deep-flow": 1,
  "deep-block": 1,
  "doc-markers": 1,
  "splice-lines": 3,
  "dangling-alias": 2,
};
const OPS = [
  ...Object.entries(AST_OPS).map(([name, [fn, w]]) => ({ name, kind: "tree", fn, w })),
  ...Object.entries(TEXT_WEIGHTS).map(([name, w]) => ({ name, kind: "text", fn: TEXT_OPS[name], w })),
  { name: "settings-file", kind: "extra", fn: settingsFile, w: 1 },
];
const OP_WEIGHTS = OPS.map((o) => o.w);

/**
 * A fresh copy of the tree of `m.text` to change: cloned from the tree the last structural mutation left (or
 * from the corpus file's, parsed once), parsed only after a textual one; undefined when the text does not parse.
 */
function tree(m) {
  if (m.docs) return m.docs.map((d) => d.clone());
  const fresh = () => {
    const docs = YAML.parseAllDocuments(m.text, PARSE);
    return Array.isArray(docs) && docs.length && !docs.some((d) => d.errors.length) ? docs : null;
  };
  if (m.text !== m.ctx.files[m.file]) return fresh() ?? undefined;
  m.ctx.trees ??= new Map();
  if (!m.ctx.trees.has(m.file)) m.ctx.trees.set(m.file, fresh());
  return m.ctx.trees.get(m.file)?.map((d) => d.clone());
}

// text past which the fuzzer no longer parses the file to change its tree (the parse alone would take seconds)
const TREE_LIMIT = 1 << 20;

/** One mutation of `m.text`; m.text, m.added and m.log change. */
function mutateOnce(m) {
  for (let attempt = 0; attempt < 8; attempt++) {
    const op = OPS[m.R.weighted(OP_WEIGHTS)];
    if (op.kind === "text") {
      const r = op.fn(m, m.text);
      m.text = r.text;
      m.docs = undefined;
      m.log.push({ op: op.name, file: m.file, detail: r.detail });
      // after these the tree is huge or deep: later mutations of this input stay textual
      if (["deep-flow", "deep-block", "long-line"].includes(op.name)) m.textOnly = true;
      return;
    }
    if (op.kind === "extra") {
      m.log.push({ op: op.name, file: ".pipewright.yml", detail: op.fn(m) });
      return;
    }
    if (m.textOnly || m.text.length > TREE_LIMIT || m.unparsable === m.text) continue;
    const docs = tree(m);
    if (!docs) {
      m.unparsable = m.text;
      continue;
    }
    // the config is the last document; a spec header comes before it
    const doc = docs[docs.length - 1];
    let detail;
    try {
      detail = op.name === "spec-inputs" ? op.fn(m, doc, docs) : op.fn(m, doc);
      if (detail === undefined) continue;
      m.text = docs.map((d) => d.toString(PRINT)).join("");
    } catch {
      // the yaml package could not print the change (an alias before its anchor, …): try another one
      continue;
    }
    m.log.push({ op: op.name, file: m.file, detail });
    m.docs = docs;
    return;
  }
  // nothing structural applied (the file does not parse any more): a textual one always does
  const name = m.R.pick(Object.keys(TEXT_OPS));
  const r = TEXT_OPS[name](m, m.text);
  m.text = r.text;
  m.docs = undefined;
  m.log.push({ op: name, file: m.file, detail: r.detail });
}

const SETTINGS = [
  { severity: { "include-no-match": "error" } },
  { rules: { "glci-variable-prefix": { mode: "all", allow: ["QA_*"] }, "anchor-instead-of-extends": "information" } },
  { rules: { "glci-variable-prefix": { mode: "bogus" } } },
  { severity: 5 },
  { roots: "x" },
  { roots: [".gitlab-ci.yml", ".gitlab-ci.yml"] },
  null,
  "settings",
  [],
];

/**
 * Input `index` of a run with `seed`: a corpus (by weight), one of its files (the root and much-included files
 * more often), 1–4 mutations of it, sometimes another root or settings, and the API calls to make.
 */
export function makeInput(seed, index, corpora) {
  const R = rng(inputSeed(seed, index));
  const ctx = corpora[R.weighted(corpora.map((c) => c.weight))];
  const file = ctx.paths[R.weighted(ctx.weights)];
  const m = { R, ctx, corpora, file, text: ctx.files[file], added: {}, log: [] };
  const n = R.between(1, 4);
  for (let k = 0; k < n; k++) mutateOnce(m);
  const files = { ...ctx.files, ...m.added, [file]: m.text };
  let root;
  if (R.chance(0.06)) root = file;
  else if (R.chance(0.01)) root = R.pick(["missing.yml", "", "../x.yml", "fuzz"]);
  const settings = R.chance(0.04) ? R.pick(SETTINGS) : undefined;
  const calls = [{ fn: "check" }, { fn: "merged" }];
  if (R.chance(0.25)) {
    const own = [...m.text.matchAll(/^([^\s#:'"-][^:\n]*):\s*$/gm)].map((x) => x[1]);
    calls.push({ fn: "merged", job: own.length && R.chance(0.7) ? R.pick(own) : anyJob(m) });
  }
  return { corpus: ctx.name, file, root, settings, calls, files, added: Object.keys(m.added), mutations: m.log };
}
