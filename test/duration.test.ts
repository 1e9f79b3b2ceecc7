import * as assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_JOB_TIMEOUT_SECONDS, parseDuration } from "../server/src/engine/duration";
import { analyze, diags, y } from "./helpers";

// Durations are read as GitLab reads them (ChronicDuration, engine/duration.ts). The expected values
// are the gem's own examples and GitLab's spec cases (spec/lib/gitlab/ci/config/entry/job_spec.rb,
// rules/rule_spec.rb, yaml_processor_spec.rb).

test("ChronicDuration's readings: units, clock times, bare numbers after a unit, join words", () => {
  const cases: Array<[string, number | undefined]> = [
    ["1m 1s", 61],
    ["1h 30m", 5400],
    ["1h30m", 5400],
    ["1h, 30m", 5400],
    ["90 minutes", 5400],
    ["1.5 hours", 5400],
    [".5h", 1800],
    ["1:30", 90],
    ["1:30:00", 5400],
    ["2 days and 3 hours", 183_600],
    ["2 hours and 10", 7800], // a bare number after a unit takes the next smaller unit
    ["hour", 3600], // a unit alone is one of it
    ["100", 100], // a bare number counts seconds
    ["1 week", 604_800],
    ["3 months", 7_776_000], // GitLab's patch: a month is 30 days
    ["1 mo 10 hrs 29 mins 6 secs", MAX_JOB_TIMEOUT_SECONDS], // ChronicDuration.output(1.month)
    ["1 Day", 86_400],
    // not durations: parse raises on an unknown word, and gives nil for zero
    ["0", undefined],
    ["0 seconds", undefined],
    ["", undefined],
    ["7 elephants", undefined],
    ["not-a-number", undefined],
    ["$TIMEOUT", undefined],
    ["1,5", undefined],
    ["never", undefined],
  ];
  assert.deepEqual(
    cases.map(([text]) => [text, parseDuration(text)]),
    cases,
  );
});

test("a hostile duration is read in linear time", { timeout: 10_000 }, () => {
  const long = [
    "1".repeat(200_000) + "!",
    "1 h ".repeat(50_000) + "x",
    ",".repeat(200_000),
    "1:".repeat(100_000) + "1",
    "\0".repeat(100_000) + "x",
  ];
  assert.deepEqual(
    long.map((t) => parseDuration(t)),
    [undefined, undefined, undefined, undefined, undefined],
  );
});

test("timeout, start_in and expire_in with GitLab's messages, at the value", () => {
  const model = analyze({
    ".gitlab-ci.yml": y(
      "default:",
      "  timeout: soon",
      "a:",
      "  script: [x]",
      "  timeout: 3 months",
      "  artifacts: {paths: [x], expire_in: 7 elephants}",
      "b:",
      "  script: [x]",
      "  when: delayed",
      "  start_in: 8 days",
      "c:",
      "  script: [x]",
      "  rules:",
      "    - {if: $A, when: delayed, start_in: 2 weeks}",
      "    - {if: $B, when: delayed, start_in: 1 week}",
      "  pages: {expire_in: tomorrow}",
      "ok:",
      "  script: [x]",
      "  timeout: 1h 30m",
      "  when: delayed",
      "  start_in: 1 week",
      "  artifacts: {paths: [x], expire_in: never}",
    ),
  });
  assert.deepEqual(
    diags(model).filter((d) => d.includes(" duration-")),
    [
      ".gitlab-ci.yml 1:11-1:15 error duration-invalid default:timeout config should be a duration",
      ".gitlab-ci.yml 4:11-4:19 error duration-over-limit jobs:a:timeout config should not exceed the limit",
      ".gitlab-ci.yml 5:37-5:48 error duration-invalid jobs:a:artifacts expire in should be a duration",
      ".gitlab-ci.yml 9:12-9:18 error duration-over-limit jobs:b start in should not exceed the limit",
      ".gitlab-ci.yml 15:21-15:29 error duration-invalid jobs:c:pages expire in should be a duration",
      ".gitlab-ci.yml 13:40-13:47 error duration-over-limit jobs:c:rules:rule start in should not exceed the limit",
    ],
  );
});

test("a duration from an input not filled in, or not a string, is not read as a duration", () => {
  const model = analyze({
    ".gitlab-ci.yml": y("a:", "  script: [x]", "  timeout: $[[ inputs.t ]]", "b:", "  script: [x]", "  timeout: 100"),
  });
  assert.deepEqual(
    diags(model).filter((d) => d.includes(" duration-")),
    [],
  );
});
