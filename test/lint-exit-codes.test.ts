import * as assert from "node:assert/strict";
import { test } from "node:test";
import type { Model } from "../server/src/engine/engine";
import { hover } from "../server/src/features/hover";
import { CUSTOM_EXIT_CODES, nextFreeExitCode } from "../server/src/gitlab/exit-codes";
import { analyze, diags, y } from "./helpers";

const lints = (m: Model) => diags(m).filter((d) => d.split(" ")[3] === "custom-exit-code");
const hint = (at: string, code: number) =>
  `.gitlab-ci.yml ${at} hint custom-exit-code exit code ${code} is not one ` +
  `of gitlab-org's custom exit codes, and codes below 160 clash with those ` +
  `of shells and common tools: number a new custom code from 160 up; the ` +
  `next free one is 171`;

test("the table holds gitlab-org's documented codes, and the next free one is 171", () => {
  assert.deepEqual(
    [...CUSTOM_EXIT_CODES.keys()],
    [110, 111, 112, 160, 161, 162, 163, 164, 165, 166, 167, 168, 169, 170],
  );
  assert.equal(nextFreeExitCode(), 171);
});

test(
  "an undocumented custom code below 160, in retry or allow_failure, alone " + "or in a list: a hint where written",
  () => {
    const m = analyze({
      ".gitlab-ci.yml": y(
        "build:",
        "  script: [make]",
        "  retry:",
        "    max: 2",
        "    exit_codes:",
        "      - 110",
        "      - 113",
        "  allow_failure:",
        "    exit_codes: 120",
        ".tmpl:",
        "  allow_failure: {exit_codes: [100, 112]}",
      ),
    });
    assert.deepEqual(lints(m), [hint("6:8-6:11", 113), hint("8:16-8:19", 120), hint("10:31-10:34", 100)]);
  },
);

test(
  "a code reached through an alias, a merge key, extends or default is reported " + "once, at the anchor or template",
  () => {
    const m = analyze({
      ".gitlab-ci.yml": y(
        "default:",
        "  retry:",
        "    max: 1",
        "    exit_codes: [114]",
        ".retry: &retry",
        "  max: 2",
        "  exit_codes: 115",
        ".tmpl:",
        "  allow_failure:",
        "    exit_codes: [116]",
        "a:",
        "  extends: .tmpl",
        "  retry: *retry",
        "  script: [x]",
        "b:",
        "  extends: .tmpl",
        "  retry:",
        "    <<: *retry",
        "  script: [x]",
        "c:",
        "  script: [x]",
      ),
    });
    assert.deepEqual(lints(m), [hint("3:17-3:20", 114), hint("6:14-6:17", 115), hint("9:17-9:20", 116)]);
  },
);

test(
  "silent: documented codes, codes from 160 up, tool codes below 100, the " +
    "shell's own 126-159, exit codes elsewhere",
  () => {
    const m = analyze({
      ".gitlab-ci.yml": y(
        "variables:",
        "  exit_codes: '113'",
        "a:",
        "  script: [x]",
        "  retry:",
        "    max: 2",
        "    exit_codes: [110, 111, 112, 160, 170, 171, 201, 255]",
        "  allow_failure:",
        "    exit_codes: [1, 3, 77, 99, 126, 127, 137, 143, 159]",
        "b:",
        "  script: [x]",
        "  allow_failure: true",
        "  retry: 2",
      ),
    });
    assert.deepEqual(lints(m), []);
  },
);

test("hover on a documented code inside exit_codes explains it; other numbers get no such hover", () => {
  const text = y(
    "a:",
    "  script: [x]",
    "  retry:",
    "    max: 2",
    "    exit_codes: [112, 137]",
    "  allow_failure:",
    "    exit_codes: 160",
    "  parallel: 112",
  );
  const m = analyze({ ".gitlab-ci.yml": text });
  const at = (needle: string, from = 0) => text.indexOf(needle, from) + 1;
  const h = hover(m, ".gitlab-ci.yml", at("112"))!;
  assert.equal(
    h.markdown,
    "**exit code 112**: a test already known to be flaky failed\n\nOne of gitlab-org's " +
      "[custom exit codes](https://docs.gitlab.com/development/pipelines/internals/#custom-exit-codes).",
  );
  assert.equal(text.slice(h.src.start, h.src.end), "112");
  assert.equal(
    hover(m, ".gitlab-ci.yml", at("160"))!.markdown.split("\n")[0],
    "**exit code 160**: a job artifact could not be uploaded or downloaded",
  );
  assert.equal(hover(m, ".gitlab-ci.yml", at("137")), undefined);
  assert.doesNotMatch(hover(m, ".gitlab-ci.yml", at("112", text.indexOf("parallel")))?.markdown ?? "", /exit code/);
});
