import * as assert from "node:assert/strict";
import { test } from "node:test";
import type { Model } from "../server/src/engine/engine";
import type { Diagnostic } from "../server/src/engine/types";
import { analyze, applyFix, diags, y } from "./helpers";

const FNC_CODE = "fast-no-clone-before-script";
const RFA_CODE = "repo-from-artifacts-needs";
const lints = (m: Model, code: string) => diags(m).filter((d) => d.split(" ")[3] === code);
const only = (m: Model, code: string): Diagnostic[] => m.diagnostics.filter((d) => d.code === code);

const FNC_MESSAGE =
  `before_script replaces the one from .fast-no-clone-job, which downloads ` +
  `the job's files because the job does not clone the repository, so the ` +
  `script runs without them: add !reference [".fast-no-clone-job", before_script] to it`;
const RFA_MESSAGE =
  `needs: [] drops "clone-gitlab-repo" that .repo-from-artifacts needs: the ` +
  `job downloads no artifacts, so it starts without the repository that .repo-from-artifacts ` +
  `takes from them instead of cloning; put !reference [.repo-from-artifacts, ` +
  `needs] in its needs`;

// lines 0-6
const FNC = y(
  ".fast-no-clone-job:",
  "  variables:",
  "    GIT_STRATEGY: none",
  "  before_script:",
  "    - |",
  '      curl -f "${CI_API_V4_URL}/utils.sh" --create-dirs --output scripts/utils.sh',
  "    - download_files ${FILES_TO_DOWNLOAD}",
);

// lines 0-10
const RFA = y(
  ".repo-from-artifacts:",
  "  variables:",
  '    GIT_STRATEGY: "${CI_FETCH_REPO_GIT_STRATEGY}"',
  "  needs:",
  "    - clone-gitlab-repo",
  "clone-gitlab-repo:",
  "  stage: build",
  "  variables:",
  "    GIT_STRATEGY: clone",
  "  script: [echo OK]",
  "  artifacts: { paths: ['*'] }",
);

function fixOf(m: Model, code: string) {
  const d = only(m, code);
  assert.equal(d.length, 1);
  assert.ok(d[0].fixes?.length, "a fix is offered");
  return d[0].fixes![0];
}

// fast-no-clone-before-script

test(
  "fast-no-clone: an own block before_script without the download step is " +
    "reported at it, and the fix puts the reference first",
  () => {
    const files = {
      ".gitlab-ci.yml":
        FNC +
        y(
          "j:",
          "  extends: .fast-no-clone-job",
          "  before_script:",
          "    - echo ready",
          "    - make deps",
          "  script: [x]",
        ),
    };
    const m = analyze(files);
    assert.deepEqual(lints(m, FNC_CODE), [`.gitlab-ci.yml 10:4-11:15 warning ${FNC_CODE} ${FNC_MESSAGE}`]);
    const fix = fixOf(m, FNC_CODE);
    assert.equal(fix.title, 'Add !reference [".fast-no-clone-job", before_script] to before_script');
    const fixed = applyFix(files, fix);
    assert.equal(
      fixed[".gitlab-ci.yml"],
      FNC +
        y(
          "j:",
          "  extends: .fast-no-clone-job",
          "  before_script:",
          '    - !reference [".fast-no-clone-job", before_script]',
          "    - echo ready",
          "    - make deps",
          "  script: [x]",
        ),
    );
    assert.deepEqual(analyze(fixed).diagnostics, []);
  },
);

test(
  "fast-no-clone: a job that installs curl first keeps the install in front " +
    "of the download step, which needs curl",
  () => {
    const files = {
      ".gitlab-ci.yml":
        FNC +
        y(
          "j:",
          "  extends: .fast-no-clone-job",
          "  before_script:",
          "    - apk add --no-cache curl",
          "    - echo ready",
          "  script: [x]",
        ),
    };
    const fixed = applyFix(files, fixOf(analyze(files), FNC_CODE));
    assert.equal(
      fixed[".gitlab-ci.yml"],
      FNC +
        y(
          "j:",
          "  extends: .fast-no-clone-job",
          "  before_script:",
          "    - apk add --no-cache curl",
          '    - !reference [".fast-no-clone-job", before_script]',
          "    - echo ready",
          "  script: [x]",
        ),
    );
    assert.deepEqual(analyze(fixed).diagnostics, []);
    const onlyInstall = {
      ".gitlab-ci.yml":
        FNC +
        y("j:", "  extends: .fast-no-clone-job", "  before_script:", "    - apt-get install -y curl", "  script: [x]"),
    };
    assert.equal(
      applyFix(onlyInstall, fixOf(analyze(onlyInstall), FNC_CODE))[".gitlab-ci.yml"],
      FNC +
        y(
          "j:",
          "  extends: .fast-no-clone-job",
          "  before_script:",
          "    - apt-get install -y curl",
          '    - !reference [".fast-no-clone-job", before_script]',
          "  script: [x]",
        ),
    );
  },
);

test("fast-no-clone: the fix keeps the indentation of a list written flush with its key", () => {
  const files = {
    ".gitlab-ci.yml":
      FNC + y("j:", "  extends: .fast-no-clone-job", "  before_script:", "  - make deps", "  script: [x]"),
  };
  const fixed = applyFix(files, fixOf(analyze(files), FNC_CODE));
  assert.equal(
    fixed[".gitlab-ci.yml"],
    FNC +
      y(
        "j:",
        "  extends: .fast-no-clone-job",
        "  before_script:",
        '  - !reference [".fast-no-clone-job", before_script]',
        "  - make deps",
        "  script: [x]",
      ),
  );
  assert.deepEqual(analyze(fixed).diagnostics, []);
});

test("fast-no-clone: in a flow list the reference goes right after the bracket", () => {
  const files = {
    ".gitlab-ci.yml":
      FNC + y("j:", "  extends: .fast-no-clone-job", "  before_script: [apk add curl, echo ready]", "  script: [x]"),
  };
  const m = analyze(files);
  assert.deepEqual(lints(m, FNC_CODE), [`.gitlab-ci.yml 9:17-9:43 warning ${FNC_CODE} ${FNC_MESSAGE}`]);
  const fixed = applyFix(files, fixOf(m, FNC_CODE));
  assert.equal(
    fixed[".gitlab-ci.yml"].split("\n")[9],
    '  before_script: [!reference [".fast-no-clone-job", before_script], apk add curl, echo ready]',
  );
  assert.deepEqual(analyze(fixed).diagnostics, []);
});

test("fast-no-clone: an empty flow list gets the reference alone", () => {
  const files = {
    ".gitlab-ci.yml": FNC + y("j:", "  extends: .fast-no-clone-job", "  before_script: []", "  script: [x]"),
  };
  const m = analyze(files);
  assert.deepEqual(lints(m, FNC_CODE), [`.gitlab-ci.yml 9:17-9:19 warning ${FNC_CODE} ${FNC_MESSAGE}`]);
  const fixed = applyFix(files, fixOf(m, FNC_CODE));
  assert.equal(
    fixed[".gitlab-ci.yml"].split("\n")[9],
    '  before_script: [!reference [".fast-no-clone-job", before_script]]',
  );
  assert.deepEqual(analyze(fixed).diagnostics, []);
});

test("fast-no-clone: a one-line string becomes a flow list with the reference first and the command quoted", () => {
  const files = {
    ".gitlab-ci.yml":
      FNC + y("j:", "  extends: .fast-no-clone-job", "  before_script: echo 'a, b' # note", "  script: [x]"),
  };
  const m = analyze(files);
  assert.deepEqual(lints(m, FNC_CODE), [`.gitlab-ci.yml 9:17-9:28 warning ${FNC_CODE} ${FNC_MESSAGE}`]);
  const fixed = applyFix(files, fixOf(m, FNC_CODE));
  assert.equal(
    fixed[".gitlab-ci.yml"].split("\n")[9],
    `  before_script: [!reference [".fast-no-clone-job", before_script], "echo 'a, b'"] # note`,
  );
  assert.deepEqual(analyze(fixed).diagnostics, []);
});

test("fast-no-clone: a multi-line string is reported but not rewritten", () => {
  const files = {
    ".gitlab-ci.yml":
      FNC +
      y(
        "j:",
        "  extends: .fast-no-clone-job",
        "  before_script: |",
        "    apk add curl",
        "    echo ready",
        "  script: [x]",
      ),
  };
  const d = only(analyze(files), FNC_CODE);
  assert.equal(d.length, 1);
  assert.equal(d[0].fixes, undefined);
});

test("fast-no-clone: silent when the job keeps the step, anywhere in its list or through another template", () => {
  const m = analyze({
    ".gitlab-ci.yml":
      FNC +
      y(
        ".with-curl:",
        "  extends: .fast-no-clone-job",
        "  before_script:",
        "    - apk add curl",
        '    - !reference [".fast-no-clone-job", before_script]',
        ".plain:",
        "  extends: .fast-no-clone-job",
        "referenced-late:",
        "  extends: .fast-no-clone-job",
        "  before_script:",
        "    - apk add curl",
        '    - !reference [".fast-no-clone-job", before_script]',
        "  script: [x]",
        "inherits:",
        "  extends: .fast-no-clone-job",
        "  script: [x]",
        "through-template:",
        "  extends: .plain",
        "  script: [x]",
        "through-overriding-template:",
        "  extends: .with-curl",
        "  script: [x]",
        "through-other-reference:",
        "  extends: .plain",
        "  before_script:",
        "    - !reference [.with-curl, before_script]",
        "    - echo ready",
        "  script: [x]",
      ),
  });
  assert.deepEqual(m.diagnostics, []);
});

test("fast-no-clone: silent for a job that clones after all, and for jobs that do not extend the template", () => {
  const m = analyze({
    ".gitlab-ci.yml":
      FNC +
      y(
        "cloning:",
        "  extends: .fast-no-clone-job",
        "  variables:",
        "    GIT_STRATEGY: fetch",
        "  before_script: [bundle install]",
        "  script: [x]",
        "unrelated:",
        "  before_script: [bundle install]",
        "  script: [x]",
      ),
  });
  assert.deepEqual(lints(m, FNC_CODE), []);
});

test("fast-no-clone: reported through an intermediate template when the job overrides", () => {
  const m = analyze({
    ".gitlab-ci.yml":
      FNC +
      y(
        ".mid:",
        "  extends: .fast-no-clone-job",
        "j:",
        "  extends: [.mid]",
        "  before_script: [apk add curl]",
        "  script: [x]",
      ),
  });
  assert.deepEqual(lints(m, FNC_CODE), [`.gitlab-ci.yml 11:17-11:31 warning ${FNC_CODE} ${FNC_MESSAGE}`]);
});

test(
  "fast-no-clone: a template's override is reported once, at the template, " +
    "with every job as related; the fix is made there",
  () => {
    const files = {
      ".gitlab-ci.yml":
        FNC +
        y(
          ".ruby:",
          "  extends: .fast-no-clone-job",
          "  before_script:",
          "    - apk add ruby",
          "a:",
          "  extends: .ruby",
          "  script: [x]",
          "b:",
          "  extends: .ruby",
          "  script: [y]",
        ),
    };
    const m = analyze(files);
    assert.deepEqual(lints(m, FNC_CODE), [`.gitlab-ci.yml 10:4-10:18 warning ${FNC_CODE} ${FNC_MESSAGE}`]);
    const d = only(m, FNC_CODE)[0];
    assert.deepEqual(
      d.related!.map((r) => r.message),
      ['used by job "a"', 'used by job "b"'],
    );
    const fixed = applyFix(files, d.fixes![0]);
    assert.equal(
      fixed[".gitlab-ci.yml"].split("\n").slice(10, 13).join("\n"),
      '    - !reference [".fast-no-clone-job", before_script]\n    - apk add ruby\na:',
    );
    assert.deepEqual(analyze(fixed).diagnostics, []);
  },
);

test("fast-no-clone: no fix when the overriding template is also used by jobs without the template", () => {
  const files = {
    ".gitlab-ci.yml":
      FNC +
      y(
        ".ruby:",
        "  before_script: [apk add ruby]",
        "a:",
        "  extends: [.fast-no-clone-job, .ruby]",
        "  script: [x]",
        "plain:",
        "  extends: .ruby",
        "  script: [y]",
      ),
  };
  const d = only(analyze(files), FNC_CODE);
  assert.equal(d.length, 1);
  assert.equal(d[0].fixes, undefined);
});

test("fast-no-clone: a before_script from an anchor is reported at the alias and left alone", () => {
  const m = analyze({
    ".gitlab-ci.yml":
      FNC +
      y(
        ".ruby: &ruby [apk add ruby]",
        "j:",
        "  extends: .fast-no-clone-job",
        "  before_script: *ruby",
        "  script: [x]",
      ),
  });
  assert.deepEqual(lints(m, FNC_CODE), [`.gitlab-ci.yml 10:17-10:22 warning ${FNC_CODE} ${FNC_MESSAGE}`]);
  assert.equal(only(m, FNC_CODE)[0].fixes, undefined);
});

test("fast-no-clone: an emptied before_script is reported at its key", () => {
  const m = analyze({
    ".gitlab-ci.yml":
      FNC +
      y(
        "default:",
        "  before_script: [echo default]",
        "j:",
        "  extends: .fast-no-clone-job",
        "  before_script:",
        "  script: [x]",
      ),
  });
  assert.deepEqual(lints(m, FNC_CODE), [`.gitlab-ci.yml 11:2-11:15 warning ${FNC_CODE} ${FNC_MESSAGE}`]);
});

test("fast-no-clone: silent when the template is not defined here", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      ".fast-no-clone-job:",
      "  variables: { GIT_STRATEGY: none }",
      "j:",
      "  extends: .fast-no-clone-job",
      "  before_script: [x]",
      "  script: [x]",
    ),
  });
  assert.deepEqual(lints(m, FNC_CODE), []);
});

// repo-from-artifacts-needs

test("repo-from-artifacts: needs: [] is reported at the list, and the fix needs what the template needs", () => {
  const files = {
    ".gitlab-ci.yml": RFA + y("lint:", "  extends: .repo-from-artifacts", "  needs: []", "  script: [x]"),
  };
  const m = analyze(files);
  assert.deepEqual(lints(m, RFA_CODE), [`.gitlab-ci.yml 13:9-13:11 warning ${RFA_CODE} ${RFA_MESSAGE}`]);
  const fix = fixOf(m, RFA_CODE);
  assert.equal(fix.title, "Need what .repo-from-artifacts needs");
  const fixed = applyFix(files, fix);
  assert.equal(
    fixed[".gitlab-ci.yml"],
    RFA +
      y(
        "lint:",
        "  extends: .repo-from-artifacts",
        "  needs: [!reference [.repo-from-artifacts, needs]]",
        "  script: [x]",
      ),
  );
  assert.deepEqual(analyze(fixed).diagnostics, []);
});

test(
  "repo-from-artifacts: silent for needs that keep the template's, inherited " +
    "needs, templates in between and jobs that clone",
  () => {
    const m = analyze({
      ".gitlab-ci.yml":
        RFA +
        y(
          ".mid:",
          "  extends: .repo-from-artifacts",
          "setup:",
          "  stage: build",
          "  script: [x]",
          "with-needs:",
          "  extends: .repo-from-artifacts",
          "  needs: [setup, !reference [.repo-from-artifacts, needs]]",
          "  script: [x]",
          "inherits:",
          "  extends: .repo-from-artifacts",
          "  script: [x]",
          "through-template:",
          "  extends: .mid",
          "  script: [x]",
          "clones:",
          "  extends: .repo-from-artifacts",
          "  variables:",
          "    GIT_STRATEGY: clone",
          "  needs: []",
          "  script: [x]",
          "unrelated:",
          "  needs: []",
          "  script: [x]",
        ),
    });
    assert.deepEqual(m.diagnostics, []);
  },
);

test("repo-from-artifacts: a template's needs: [] is reported once, with every job as related, and fixed there", () => {
  const files = {
    ".gitlab-ci.yml":
      RFA +
      y(
        ".early:",
        "  extends: .repo-from-artifacts",
        "  needs: [ ]",
        "a:",
        "  extends: .early",
        "  script: [x]",
        "b:",
        "  extends: .early",
        "  script: [y]",
      ),
  };
  const m = analyze(files);
  assert.deepEqual(lints(m, RFA_CODE), [`.gitlab-ci.yml 13:9-13:12 warning ${RFA_CODE} ${RFA_MESSAGE}`]);
  const d = only(m, RFA_CODE)[0];
  assert.deepEqual(
    d.related!.map((r) => r.message),
    ['used by job "a"', 'used by job "b"'],
  );
  const fixed = applyFix(files, d.fixes![0]);
  assert.equal(fixed[".gitlab-ci.yml"].split("\n")[13], "  needs: [!reference [.repo-from-artifacts, needs]]");
  assert.deepEqual(analyze(fixed).diagnostics, []);
});

test("repo-from-artifacts: empty needs from a !reference are reported at the reference, without a fix", () => {
  const m = analyze({
    ".gitlab-ci.yml":
      RFA +
      y(
        ".none:",
        "  needs: []",
        "lint:",
        "  extends: .repo-from-artifacts",
        "  needs: !reference [.none, needs]",
        "  script: [x]",
      ),
  });
  assert.deepEqual(lints(m, RFA_CODE), [`.gitlab-ci.yml 15:9-15:34 warning ${RFA_CODE} ${RFA_MESSAGE}`]);
  assert.equal(only(m, RFA_CODE)[0].fixes, undefined);
});

test(
  "repo-from-artifacts: needs that name other jobs but not the template's " +
    "are reported, and the fix appends the reference",
  () => {
    const files = {
      ".gitlab-ci.yml":
        RFA +
        y(
          "setup:",
          "  stage: build",
          "  script: [x]",
          "lint:",
          "  extends: .repo-from-artifacts",
          "  needs:",
          "    - setup",
          "  script: [x]",
          "flow:",
          "  extends: .repo-from-artifacts",
          "  needs: [setup]",
          "  script: [x]",
        ),
    };
    const m = analyze(files);
    const msg =
      `needs replaces the needs of .repo-from-artifacts without "clone-gitlab-repo": ` +
      `the job downloads no repository artifact, so it starts without the repository ` +
      `that .repo-from-artifacts takes from it instead of cloning; add !reference ` +
      `[.repo-from-artifacts, needs] to its needs`;
    assert.deepEqual(lints(m, RFA_CODE), [
      `.gitlab-ci.yml 17:4-17:11 warning ${RFA_CODE} ${msg}`,
      `.gitlab-ci.yml 21:9-21:16 warning ${RFA_CODE} ${msg}`,
    ]);
    let fixed: Record<string, string> = files;
    for (const d of only(m, RFA_CODE).reverse()) fixed = applyFix(fixed, d.fixes![0]);
    assert.equal(
      fixed[".gitlab-ci.yml"],
      RFA +
        y(
          "setup:",
          "  stage: build",
          "  script: [x]",
          "lint:",
          "  extends: .repo-from-artifacts",
          "  needs:",
          "    - setup",
          "    - !reference [.repo-from-artifacts, needs]",
          "  script: [x]",
          "flow:",
          "  extends: .repo-from-artifacts",
          "  needs: [setup, !reference [.repo-from-artifacts, needs]]",
          "  script: [x]",
        ),
    );
    assert.deepEqual(analyze(fixed).diagnostics, []);
  },
);
