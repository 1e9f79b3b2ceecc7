import * as assert from "node:assert/strict";
import { test } from "node:test";
import type { Model } from "../server/src/engine/engine";
import { analyze, applyFix, diags, y } from "./helpers";

const LINT = /^(conflicting-runner-tags|dind-without-docker-tag)$/;
const lints = (m: Model) => diags(m).filter((d) => LINT.test(d.split(" ")[3]));

const DIND = y(".use-docker-in-docker:", "  services: [docker:24-dind]", "  tags: [gitlab-org-docker]");

test(
  "a job extending the dind template under default gitlab-org tags is fine: " + "its own tags replace the default",
  () => {
    const m = analyze({
      ".gitlab-ci.yml": y(
        "default:",
        "  tags: [gitlab-org]",
        DIND.trimEnd(),
        "build:",
        "  extends: .use-docker-in-docker",
        "  script: [docker build .]",
        "lint:",
        "  script: [x]",
      ),
    });
    assert.deepEqual(lints(m), []);
  },
);

test("both tags: an error at the tags, and the fix keeps the one the job needs", () => {
  const files = {
    ".gitlab-ci.yml": y(
      "build:",
      "  services: [docker:24-dind]",
      "  tags:",
      "    - gitlab-org",
      "    - gitlab-org-docker",
      "  script: [docker build .]",
    ),
  };
  const m = analyze(files);
  assert.deepEqual(lints(m), [
    '.gitlab-ci.yml 3:4-4:23 error conflicting-runner-tags runner tags "gitlab-org" ' +
      'and "gitlab-org-docker" together match no runner, so the job never starts: ' +
      'keep "gitlab-org-docker" for Docker-in-Docker jobs, "gitlab-org" otherwise',
  ]);
  const d = m.diagnostics.find((x) => x.code === "conflicting-runner-tags")!;
  assert.equal(d.fixes![0].title, 'Keep only "gitlab-org-docker"');
  const fixed = applyFix(files, d.fixes![0]);
  assert.equal(
    fixed[".gitlab-ci.yml"],
    y("build:", "  services: [docker:24-dind]", "  tags:", "    - gitlab-org-docker", "  script: [docker build .]"),
  );
  assert.deepEqual(analyze(fixed).diagnostics, []);
});

test(
  "both tags in a flow list of a template: one error at the template, the " + "fix keeps gitlab-org for plain jobs",
  () => {
    const files = {
      ".gitlab-ci.yml": y(
        ".base:",
        "  tags: [gitlab-org-docker, gitlab-org]",
        "a:",
        "  extends: .base",
        "  script: [x]",
        "b:",
        "  extends: .base",
        "  script: [y]",
      ),
    };
    const m = analyze(files);
    const d = m.diagnostics.filter((x) => x.code === "conflicting-runner-tags");
    assert.equal(d.length, 1);
    assert.deepEqual(
      d[0].related!.map((r) => r.message),
      ['used by job "a"', 'used by job "b"'],
    );
    const fixed = applyFix(files, d[0].fixes![0]);
    assert.equal(fixed[".gitlab-ci.yml"].split("\n")[1], "  tags: [gitlab-org]");
    assert.deepEqual(analyze(fixed).diagnostics, []);
  },
);

test("dind on gitlab-org: a warning, fixed in the job's own tags", () => {
  const files = {
    ".gitlab-ci.yml": y("build:", "  services: [docker:24-dind]", "  tags: [gitlab-org]", "  script: [docker build .]"),
  };
  const m = analyze(files);
  assert.deepEqual(lints(m), [
    ".gitlab-ci.yml 2:9-2:19 warning dind-without-docker-tag Docker-in-Docker " +
      'needs a privileged runner, but "gitlab-org" runners are not: use "gitlab-org-docker"',
  ]);
  const fixed = applyFix(files, m.diagnostics[0].fixes![0]);
  assert.equal(
    fixed[".gitlab-ci.yml"],
    y("build:", "  services: [docker:24-dind]", "  tags: [gitlab-org-docker]", "  script: [docker build .]"),
  );
  assert.deepEqual(analyze(fixed).diagnostics, []);
});

test("dind with gitlab-org from default: the fix gives the job its own tags, not every job", () => {
  const files = {
    ".gitlab-ci.yml": y(
      "default:",
      "  tags: [gitlab-org]",
      "build:",
      "  services: [docker:24-dind]",
      "  script: [docker build .]",
    ),
  };
  const m = analyze(files);
  assert.deepEqual(lints(m), [
    '.gitlab-ci.yml 2:0-2:5 warning dind-without-docker-tag job "build" uses ' +
      'Docker-in-Docker and takes "gitlab-org" from default: use "gitlab-org-docker"',
  ]);
  const fixed = applyFix(files, m.diagnostics[0].fixes![0]);
  assert.equal(
    fixed[".gitlab-ci.yml"],
    y(
      "default:",
      "  tags: [gitlab-org]",
      "build:",
      "  tags: [gitlab-org-docker]",
      "  services: [docker:24-dind]",
      "  script: [docker build .]",
    ),
  );
  assert.deepEqual(analyze(fixed).diagnostics, []);
});

test("force-gitlab-ci: every place it is used or set, once, where it is written", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      ".if-forced: &if-forced",
      "  if: '$FORCE_GITLAB_CI'",
      "workflow:",
      "  rules:",
      "    - *if-forced",
      "j:",
      "  variables:",
      "    FORCE_GITLAB_CI: 'true'",
      "  script:",
      "    - echo ${FORCE_GITLAB_CI}",
      "    - echo $FORCE_GITLAB_CI_X",
    ),
  });
  assert.deepEqual(
    diags(m)
      .filter((d) => d.includes("force-gitlab-ci"))
      .map((d) => d.split(" ").slice(0, 4).join(" ")),
    [
      ".gitlab-ci.yml 1:6-1:24 warning force-gitlab-ci",
      ".gitlab-ci.yml 7:4-7:19 warning force-gitlab-ci",
      ".gitlab-ci.yml 9:6-9:29 warning force-gitlab-ci",
    ],
  );
});
