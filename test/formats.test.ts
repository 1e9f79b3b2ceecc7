import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import AjvDraft04 from "ajv-draft-04";
import { createHash } from "node:crypto";
import { test } from "node:test";
import Ajv from "ajv";
import type { Range } from "../server/src/engine/text";
import { codeQualityIssues, codeQualityReport } from "../server/src/cli/formats/codequality";
import { docsUrl, fingerprints, reportPath, type ReportFinding } from "../server/src/cli/formats/finding";
import { escapeData, escapeProperty, githubAnnotation, githubAnnotations } from "../server/src/cli/formats/github";
import { SARIF_SCHEMA, sarifLog, sarifReport, type SarifLog } from "../server/src/cli/formats/sarif";

// The report formats of `pipewright check`: exact output on a fixed list of findings, fingerprints
// that survive unrelated edits, and the shapes GitLab, SARIF and GitHub require.

const r = (sl: number, sc: number, el: number, ec: number): Range => ({
  start: { line: sl, character: sc },
  end: { line: el, character: ec },
});

const FINDINGS: readonly ReportFinding[] = [
  {
    file: ".gitlab-ci.yml",
    range: r(2, 11, 2, 25),
    severity: "error",
    code: "include-not-found",
    message: "Local file `ci/missing.yml` does not exist!",
    // an engine code's docs: its anchored row of the list of codes
    docs: "docs/diagnostics.md#include-not-found",
  },
  {
    file: ".gitlab-ci.yml",
    range: r(9, 6, 9, 33),
    severity: "warning",
    code: "reference-not-found",
    message: '!reference [".setup", "script"] could not be found',
  },
  {
    // ends at the first character of line 6: it covers lines 4 and 5 (0-based)
    file: "ci/jobs.yml",
    range: r(4, 2, 6, 0),
    severity: "information",
    code: "include-external",
    message: "include:template `Jobs/SAST.gitlab-ci.yml` cannot be read offline",
  },
  {
    file: "ci/my jobs #1.yml",
    range: r(0, 3, 0, 9),
    severity: "hint",
    code: "custom-exit-code",
    message: "exit 100%\r\nmeans: retry, then fail",
    docs: "docs/rules/custom-exit-code.md",
    related: [{ file: ".gitlab-ci.yml", range: r(7, 0, 7, 5), message: "used by job `build`" }],
  },
];

const OPTIONS = { version: "0.1.0", pathPrefix: "deploy/", docsBaseUrl: "https://docs.example.test/pipewright/" };

// sha256 of [repository path, code, message] and the rank among identical ones: see fingerprints()
const FP = [
  "8c3e86c941f00dd6a4df07240bce0ae7b67ddea55866b69a23945b6b21741e5a",
  "004a19f01f8826ef2d976d3b4f5dfa9d3429914b0d7d46895ba8a14a9749882b",
  "aada9e6b4cb0e5ddf71441c53fe3224951b3b64a1ade51678e5fb4584b3f9bff",
  "d229092769b6991bc75127ec0f7198ff0f52042efd7b912c8ee469ba2a70b14d",
];

const json = (value: unknown) => JSON.stringify(value, null, 2) + "\n";

test("codequality: the exact GitLab Code Quality report of the fixed findings", () => {
  const location = (path: string, begin: number, end: number) => ({ path, lines: { begin, end } });
  const expected = [
    {
      description: "Local file `ci/missing.yml` does not exist!",
      check_name: "include-not-found",
      fingerprint: FP[0],
      severity: "critical",
      engine_name: "pipewright",
      location: location("deploy/.gitlab-ci.yml", 3, 3),
    },
    {
      description: '!reference [".setup", "script"] could not be found',
      check_name: "reference-not-found",
      fingerprint: FP[1],
      severity: "minor",
      engine_name: "pipewright",
      location: location("deploy/.gitlab-ci.yml", 10, 10),
    },
    {
      description: "include:template `Jobs/SAST.gitlab-ci.yml` cannot be read offline",
      check_name: "include-external",
      fingerprint: FP[2],
      severity: "info",
      engine_name: "pipewright",
      location: location("deploy/ci/jobs.yml", 5, 6),
    },
    {
      description: "exit 100%\r\nmeans: retry, then fail",
      check_name: "custom-exit-code",
      fingerprint: FP[3],
      severity: "info",
      engine_name: "pipewright",
      location: location("deploy/ci/my jobs #1.yml", 1, 1),
    },
  ];
  assert.equal(codeQualityReport(FINDINGS, OPTIONS), json(expected));
  assert.equal(codeQualityReport([], OPTIONS), "[]\n");
});

test("codequality: every issue passes GitLab's degradation schema, as its parser stops at the first that fails", () => {
  // the requirements of GitLab's app/validators/json_schemas/codeclimate.json, and the documented severities
  const validate = new Ajv({ strict: true }).compile({
    type: "object",
    required: ["description", "check_name", "fingerprint", "severity", "location"],
    properties: {
      description: { type: "string" },
      check_name: { type: "string" },
      fingerprint: { type: "string", minLength: 1 },
      severity: { enum: ["info", "minor", "major", "critical", "blocker"] },
      location: {
        type: "object",
        required: ["path", "lines"],
        properties: {
          path: { type: "string", pattern: "^(?!\\./|/)[^\\\\]+$" },
          lines: {
            type: "object",
            required: ["begin"],
            properties: { begin: { type: "integer", minimum: 1 }, end: { type: "integer", minimum: 1 } },
          },
        },
      },
    },
  });
  const issues = codeQualityIssues(FINDINGS, OPTIONS);
  for (const issue of issues) assert.ok(validate(issue), JSON.stringify(validate.errors));
  // GitLab keeps one degradation per fingerprint: none may be lost
  assert.equal(new Set(issues.map((i) => i.fingerprint)).size, issues.length);
});

test("fingerprints: sha256 of the repository path, code, message and rank", () => {
  const key = JSON.stringify([
    "deploy/.gitlab-ci.yml",
    "include-not-found",
    "Local file `ci/missing.yml` does not exist!",
  ]);
  assert.equal(createHash("sha256").update(`${key}\n0`).digest("hex"), FP[0]);
  assert.deepEqual(fingerprints(FINDINGS, OPTIONS), FP);
});

test("fingerprints: the same findings twice give the same fingerprints and the same reports", () => {
  const copy: ReportFinding[] = JSON.parse(JSON.stringify(FINDINGS));
  assert.deepEqual(fingerprints(copy, OPTIONS), fingerprints(FINDINGS, OPTIONS));
  assert.equal(codeQualityReport(copy, OPTIONS), codeQualityReport(FINDINGS, OPTIONS));
  assert.equal(sarifReport(copy, OPTIONS), sarifReport(FINDINGS, OPTIONS));
});

test("fingerprints: a finding added above another, which moves it down, leaves its fingerprint alone", () => {
  const moved = (f: ReportFinding, by: number): ReportFinding => ({
    ...f,
    range: r(f.range.start.line + by, f.range.start.character, f.range.end.line + by, f.range.end.character),
  });
  const added: ReportFinding = {
    file: ".gitlab-ci.yml",
    range: r(0, 0, 0, 4),
    severity: "warning",
    code: "yaml-duplicate-key",
    message: "Map keys must be unique",
  };
  const after = [added, moved(FINDINGS[0], 3), moved(FINDINGS[1], 3), ...FINDINGS.slice(2)];
  assert.deepEqual(fingerprints(after, OPTIONS).slice(1), FP);
});

test("fingerprints: identical findings differ by their rank in file order, whatever order they come in", () => {
  const first = FINDINGS[1];
  const second: ReportFinding = { ...first, range: r(20, 6, 20, 33) };
  const [a, b] = fingerprints([first, second], OPTIONS);
  assert.notEqual(a, b);
  assert.equal(a, FP[1], "the first in the file keeps the fingerprint it had alone");
  assert.deepEqual(fingerprints([second, first], OPTIONS), [b, a]);
  // GitLab would otherwise keep only one of them
  assert.equal(new Set(codeQualityIssues([first, second], OPTIONS).map((i) => i.fingerprint)).size, 2);
});

test("fingerprints: the path prefix is part of the repository path, so of the fingerprint", () => {
  assert.notDeepEqual(fingerprints(FINDINGS, { version: "0.1.0" }), FP);
  assert.deepEqual(fingerprints(FINDINGS, { ...OPTIONS, pathPrefix: "./deploy" }), FP);
});

test("reportPath: the prefix and the file joined with one slash, forward slashes, no ./", () => {
  const at = (file: string, pathPrefix?: string) => reportPath(file, { version: "0", pathPrefix });
  assert.equal(at("ci/a.yml"), "ci/a.yml");
  assert.equal(at("./ci/a.yml"), "ci/a.yml");
  assert.equal(at("ci/a.yml", "sub"), "sub/ci/a.yml");
  assert.equal(at("ci/a.yml", "sub/"), "sub/ci/a.yml");
  assert.equal(at("ci/a.yml", "./sub/dir//"), "sub/dir/ci/a.yml");
  assert.equal(at("ci/a.yml", "sub\\dir"), "sub/dir/ci/a.yml");
  assert.equal(at("ci/a.yml", "."), "ci/a.yml");
  assert.equal(at("ci/a.yml", ""), "ci/a.yml");
});

test("docsUrl: the page under the base, only when both are known", () => {
  const o = (docsBaseUrl?: string) => ({ version: "0", docsBaseUrl });
  assert.equal(docsUrl("docs/rules/x.md", o("https://h.test/p")), "https://h.test/p/docs/rules/x.md");
  assert.equal(docsUrl("docs/rules/x.md", o("https://h.test/p/")), "https://h.test/p/docs/rules/x.md");
  assert.equal(docsUrl("docs/rules/x.md", o()), undefined);
  assert.equal(docsUrl(undefined, o("https://h.test/p/")), undefined);
});

test("sarif: the exact SARIF 2.1.0 log of the fixed findings", () => {
  const srcroot = (uri: string) => ({ uri, uriBaseId: "%SRCROOT%" });
  const region = (startLine: number, startColumn: number, endLine: number, endColumn: number) => ({
    startLine,
    startColumn,
    endLine,
    endColumn,
  });
  const result = (i: number, level: string, uri: string, where: ReturnType<typeof region>) => ({
    ruleId: FINDINGS[i].code,
    ruleIndex: i,
    level,
    message: { text: FINDINGS[i].message },
    locations: [{ physicalLocation: { artifactLocation: srcroot(uri), region: where } }],
  });
  const expected = {
    $schema: "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "Pipewright",
            version: "0.1.0",
            informationUri: "https://docs.example.test/pipewright/",
            rules: [
              {
                id: "include-not-found",
                shortDescription: { text: "include-not-found" },
                helpUri: "https://docs.example.test/pipewright/docs/diagnostics.md#include-not-found",
              },
              { id: "reference-not-found", shortDescription: { text: "reference-not-found" } },
              { id: "include-external", shortDescription: { text: "include-external" } },
              {
                id: "custom-exit-code",
                shortDescription: { text: "custom-exit-code" },
                helpUri: "https://docs.example.test/pipewright/docs/rules/custom-exit-code.md",
              },
            ],
          },
        },
        columnKind: "utf16CodeUnits",
        results: [
          {
            ...result(0, "error", "deploy/.gitlab-ci.yml", region(3, 12, 3, 26)),
            partialFingerprints: { "pipewright/v1": FP[0] },
          },
          {
            ...result(1, "warning", "deploy/.gitlab-ci.yml", region(10, 7, 10, 34)),
            partialFingerprints: { "pipewright/v1": FP[1] },
          },
          {
            ...result(2, "note", "deploy/ci/jobs.yml", region(5, 3, 7, 1)),
            partialFingerprints: { "pipewright/v1": FP[2] },
          },
          {
            ...result(3, "note", "deploy/ci/my%20jobs%20%231.yml", region(1, 4, 1, 10)),
            relatedLocations: [
              {
                id: 0,
                physicalLocation: { artifactLocation: srcroot("deploy/.gitlab-ci.yml"), region: region(8, 1, 8, 6) },
                message: { text: "used by job `build`" },
              },
            ],
            partialFingerprints: { "pipewright/v1": FP[3] },
          },
        ],
      },
    ],
  };
  assert.equal(sarifReport(FINDINGS, OPTIONS), json(expected));
});

// The SARIF 2.1.0 schema itself (the RTM 5 file @microsoft/jest-sarif ships, draft-04): every log we
// write validates, on the fixed findings and on a real config's whole report. (unicodeRegExp off: one of
// the schema's patterns, for a language tag, is not a valid Unicode-mode regular expression.)
test("sarif: the log validates against the SARIF 2.1.0 JSON schema", () => {
  const schema = JSON.parse(
    fs.readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"),
  );
  const validate = new AjvDraft04({
    allErrors: true,
    strict: false,
    validateFormats: false,
    unicodeRegExp: false,
  }).compile(schema);
  const real = path.resolve(__dirname, "..", "..", "test", "fixtures", "broken");
  const cli = path.resolve(__dirname, "..", "..", "dist", "cli.js");
  const fromCli = JSON.parse(
    spawnSync(process.execPath, [cli, "check", real, "--format", "sarif"], { encoding: "utf8" }).stdout,
  );
  for (const log of [
    JSON.parse(sarifReport(FINDINGS, OPTIONS)),
    JSON.parse(sarifReport([], { version: "0.1.0" })),
    fromCli,
  ]) {
    const ok = validate(log);
    assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 3)));
  }
  // and it is not a schema that takes anything
  assert.equal(validate({ version: "2.1.0", runs: [{ tool: {} }] }), false);
});

// Beyond the schema: what it leaves open and we promise. No property it does not define, the required
// ones, the enumerations, and 1-based integers.
test("sarif: the log has the structure the SARIF 2.1.0 schema requires", () => {
  for (const [findings, options] of [
    [FINDINGS, OPTIONS],
    [FINDINGS, { version: "0.1.0" }],
    [[], { version: "0.1.0" }],
  ] as const)
    checkSarif(JSON.parse(sarifReport(findings, options)), findings);
});

function checkSarif(log: SarifLog, findings: readonly ReportFinding[]): void {
  const keys = (o: object, allowed: string[], required: string[] = []) => {
    for (const k of Object.keys(o)) assert.ok(allowed.includes(k), `unexpected property ${k}`);
    for (const k of required) assert.ok(k in o, `missing ${k}`);
  };
  const positive = (n: unknown) => assert.ok(Number.isInteger(n) && (n as number) >= 1, `${n} is not 1-based`);
  const physical = (p: SarifLog["runs"][0]["results"][0]["locations"][0]["physicalLocation"]) => {
    keys(p, ["artifactLocation", "region"], ["artifactLocation"]);
    keys(p.artifactLocation, ["uri", "uriBaseId"], ["uri"]);
    assert.equal(p.artifactLocation.uriBaseId, "%SRCROOT%");
    // a relative reference: no scheme, no leading slash, nothing a URI must escape
    assert.match(p.artifactLocation.uri, /^(?![a-z][a-z0-9+.-]*:|\/)[A-Za-z0-9\-._~!$&'()*+,;=:@%/]+$/i);
    const { startLine, startColumn, endLine, endColumn } = p.region;
    keys(p.region, ["startLine", "startColumn", "endLine", "endColumn"], ["startLine"]);
    [startLine, startColumn, endLine, endColumn].forEach(positive);
    assert.ok(endLine > startLine || (endLine === startLine && endColumn >= startColumn));
  };
  keys(log, ["$schema", "version", "runs"], ["version", "runs"]);
  assert.equal(log.$schema, SARIF_SCHEMA);
  assert.equal(log.version, "2.1.0");
  assert.equal(log.runs.length, 1);
  const [run] = log.runs;
  keys(run, ["tool", "columnKind", "results"], ["tool"]);
  assert.equal(run.columnKind, "utf16CodeUnits");
  const { driver } = run.tool;
  keys(driver, ["name", "version", "informationUri", "rules"], ["name"]);
  if (driver.informationUri !== undefined) new URL(driver.informationUri);
  assert.equal(new Set(driver.rules.map((r) => r.id)).size, driver.rules.length, "rule ids are unique");
  for (const rule of driver.rules) {
    keys(rule, ["id", "shortDescription", "helpUri"], ["id"]);
    keys(rule.shortDescription, ["text"], ["text"]);
    if (rule.helpUri !== undefined) new URL(rule.helpUri); // format: uri, absolute
  }
  assert.deepEqual(new Set(driver.rules.map((r) => r.id)), new Set(findings.map((f) => f.code)));
  assert.equal(run.results.length, findings.length);
  run.results.forEach((res, i) => {
    keys(res, ["ruleId", "ruleIndex", "level", "message", "locations", "relatedLocations", "partialFingerprints"]);
    assert.equal(driver.rules[res.ruleIndex].id, res.ruleId);
    assert.ok(["none", "note", "warning", "error"].includes(res.level));
    keys(res.message, ["text"], ["text"]);
    assert.equal(res.locations.length, 1);
    keys(res.locations[0], ["physicalLocation"]);
    physical(res.locations[0].physicalLocation);
    const { start } = findings[i].range;
    assert.equal(res.locations[0].physicalLocation.region.startColumn, start.character + 1, "UTF-16 columns, 1-based");
    const ids = (res.relatedLocations ?? []).map((l) => l.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const l of res.relatedLocations ?? []) {
      keys(l, ["id", "physicalLocation", "message"]);
      assert.ok(Number.isInteger(l.id) && l.id >= 0);
      physical(l.physicalLocation);
      keys(l.message, ["text"], ["text"]);
    }
    for (const v of Object.values(res.partialFingerprints)) assert.equal(typeof v, "string");
  });
}

test("sarif: a rule page without a docs base has no helpUri, and the driver no informationUri", () => {
  const { driver } = sarifLog(FINDINGS, { version: "0.1.0" }).runs[0].tool;
  assert.equal(driver.informationUri, undefined);
  assert.deepEqual(
    driver.rules.map((rule) => rule.helpUri),
    FINDINGS.map(() => undefined),
  );
});

test("github: the exact workflow commands of the fixed findings", () => {
  assert.equal(
    githubAnnotations(FINDINGS, OPTIONS),
    [
      "::error file=deploy/.gitlab-ci.yml,line=3,col=12,endLine=3,endColumn=26,title=include-not-found::" +
        "Local file `ci/missing.yml` does not exist!",
      "::warning file=deploy/.gitlab-ci.yml,line=10,col=7,endLine=10,endColumn=34,title=reference-not-found::" +
        '!reference [".setup", "script"] could not be found',
      "::notice file=deploy/ci/jobs.yml,line=5,endLine=6,title=include-external::" +
        "include:template `Jobs/SAST.gitlab-ci.yml` cannot be read offline",
      "::notice file=deploy/ci/my jobs #1.yml,line=1,col=4,endLine=1,endColumn=10,title=custom-exit-code::" +
        "exit 100%25%0D%0Ameans: retry, then fail%0Adeploy/.gitlab-ci.yml:8: used by job `build`",
      "",
    ].join("\n"),
  );
  assert.equal(githubAnnotations([], OPTIONS), "");
});

test("github: %, CR and LF escaped in the message; also : and , in properties", () => {
  assert.equal(escapeData("100% done\r\nnext: a, b"), "100%25 done%0D%0Anext: a, b");
  assert.equal(escapeProperty("C:\\a,b%\n"), "C%3A\\a%2Cb%25%0A");
  const odd: ReportFinding = { ...FINDINGS[0], file: "a,b:c%.yml", code: "x:y,z" };
  assert.equal(
    githubAnnotation(odd, { version: "0" }),
    "::error file=a%2Cb%3Ac%25.yml,line=3,col=12,endLine=3,endColumn=26,title=x%3Ay%2Cz::" +
      "Local file `ci/missing.yml` does not exist!",
  );
});
