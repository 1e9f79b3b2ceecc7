import * as assert from "node:assert/strict";
import { test } from "node:test";
import type { Model } from "../server/src/engine/engine";
import { analyze, applyFix, diags, y } from "./helpers";

const CODE = "dagger-without-engine";
const findings = (m: Model) => diags(m).filter((d) => d.split(" ")[3] === CODE);
const message = (job: string) =>
  `job "${job}" runs \`dagger\` but has no engine to reach: add a Docker-in-Docker service ` +
  "(extend `.dagger`) or run it on `dagger-node` runners";
const at = (range: string, job = "build") => `.gitlab-ci.yml ${range} warning ${CODE} ${message(job)}`;

const DAGGER_SETUP = y(
  ".dagger:",
  "  image: docker:27-cli",
  "  services:",
  "    - docker:27-dind",
  "  variables:",
  '    DAGGER_VERSION: "0.19.2"',
  "    DOCKER_HOST: tcp://docker:2375",
  '    DOCKER_TLS_CERTDIR: ""',
  "  before_script:",
  "    - apk add --no-cache curl",
  "    - curl -fsSL https://dl.dagger.io/dagger/install.sh | BIN_DIR=/usr/local/bin sh",
  "    - dagger version",
);

test("dagger call in script: one warning at the line, with the job's name", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "build:",
      "  image: alpine",
      "  script:",
      "    - echo start",
      "    - dagger call build --source=.",
    ),
  });
  assert.deepEqual(findings(m), [at("4:6-4:34")]);
  assert.equal(m.diagnostics.find((d) => d.code === CODE)!.fixes, undefined, "no .dagger: no fix");
});

test("in before_script, and only the first line that runs dagger", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "build:",
      "  before_script:",
      "    - dagger functions",
      "  script:",
      "    - dagger call build",
      "    - dagger call test",
    ),
  });
  assert.deepEqual(findings(m), [at("2:6-2:22")]);
});

test("after &&, after sudo, with a path, in a single-string script and a block", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "a:",
      "  script: cd ci && dagger run ./build.sh",
      "b:",
      "  script: [sudo -E dagger call lint]",
      "c:",
      "  script:",
      "    - ./bin/dagger call test",
      "d:",
      "  script:",
      "    - |",
      "      echo one",
      "      /usr/local/bin/dagger call deploy | tee out.txt",
      "e:",
      "  script: [make deps; exec dagger call x]",
    ),
  });
  assert.deepEqual(findings(m), [
    at("1:10-1:40", "a"),
    at("3:11-3:35", "b"),
    at("6:6-6:28", "c"),
    at("11:6-11:53", "d"),
    at("13:11-13:40", "e"),
  ]);
});

test("a line from !reference is reported where it is written, the job related", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      ".calls:",
      "  script: [dagger call build]",
      "build:",
      "  script:",
      "    - !reference [.calls, script]",
    ),
  });
  assert.deepEqual(findings(m), [at("1:11-1:28")]);
  const d = m.diagnostics.find((x) => x.code === CODE)!;
  assert.deepEqual(
    d.related!.map((r) => r.message),
    ['run by job "build"'],
  );
});

test("no finding with an engine: dind service or template, dagger-node tag, runner-host variable, DOCKER_HOST", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "variables:",
      "  X: y",
      ".use-docker-in-docker:",
      "  services: [docker:24-dind]",
      "a:",
      "  services: [docker:27-dind]",
      "  script: [dagger call a]",
      "b:",
      "  services:",
      "    - name: registry.example.com/docker:27-dind",
      "  script: [dagger call b]",
      "c:",
      "  tags: [dagger-node]",
      "  script: [dagger call c]",
      "d:",
      "  variables:",
      "    _EXPERIMENTAL_DAGGER_RUNNER_HOST: unix:///var/run/dagger/engine.sock",
      "  script: [dagger call d]",
      "e:",
      "  extends: .use-docker-in-docker",
      "  script: [dagger call e]",
      "f:",
      "  variables:",
      "    DOCKER_HOST: tcp://docker:2375",
      "  services:",
      "    - name: ${DOCKER_DIND_IMAGE}",
      "      alias: docker",
      "  script: [dagger call f]",
    ),
  });
  assert.deepEqual(findings(m), []);
});

test("tags and the runner host from default: or global variables count", () => {
  const m = analyze({
    ".gitlab-ci.yml": y("default:", "  tags: [dagger-node]", "a:", "  script: [dagger call a]"),
  });
  assert.deepEqual(findings(m), []);
  const g = analyze({
    ".gitlab-ci.yml": y(
      "variables:",
      "  _EXPERIMENTAL_DAGGER_RUNNER_HOST: tcp://dagger:8080",
      "a:",
      "  script: [dagger call a]",
    ),
  });
  assert.deepEqual(findings(g), []);
});

test("jobs our conversion writes, extending .dagger, .dagger:kubernetes or .dagger:docker: no finding", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      DAGGER_SETUP.trimEnd(),
      ".dagger:kubernetes:",
      "  image: alpine:3.20",
      "  tags: [dagger-node]",
      "  variables:",
      "    _EXPERIMENTAL_DAGGER_RUNNER_HOST: unix:///var/run/dagger/engine.sock",
      "  before_script: [dagger version]",
      ".dagger:docker:",
      "  services: [docker:27-dind]",
      "a:",
      "  extends: .dagger",
      "  script: [dagger call a --source=. stdout]",
      "b:",
      "  extends: .dagger:kubernetes",
      "  script: [dagger call b --source=. stdout]",
      "c:",
      "  extends: .dagger:docker",
      "  script: [dagger call c --source=. stdout]",
    ),
  });
  assert.deepEqual(findings(m), []);
});

test("a job named after .dagger that gives no engine is still reported: judged on what it has", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(".dagger:", "  image: alpine", "a:", "  extends: .dagger", "  script: [dagger call a]"),
  });
  assert.deepEqual(findings(m), [at("4:11-4:24", "a")]);
  assert.equal(m.diagnostics.find((d) => d.code === CODE)!.fixes, undefined);
});

test("not a dagger command: another word, an argument, quotes, comments, version", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "a:",
      "  script:",
      "    - dagger-node --help",
      "    - echo dagger",
      "    - 'echo \"then; dagger call x\"'",
      "    - ls # && dagger call x",
      "    - '# dagger call x'",
      "    - |",
      "      # dagger call x",
      "      mydagger call x",
      "    - dagger version",
      "    - curl -fsSL https://dl.dagger.io/dagger/install.sh | BIN_DIR=/usr/local/bin sh",
      "    - grep -r dagger .",
    ),
  });
  assert.deepEqual(findings(m), []);
});

test("the fix adds extends: .dagger as the job's first key, and the job then has an engine", () => {
  const files = {
    ".gitlab-ci.yml": y(DAGGER_SETUP.trimEnd(), "build:", "  stage: build", "  script:", "    - dagger call build"),
  };
  const m = analyze(files);
  assert.deepEqual(findings(m), [at("15:6-15:23")]);
  const fix = m.diagnostics.find((d) => d.code === CODE)!.fixes![0];
  assert.equal(fix.title, 'Extend .dagger in job "build"');
  const fixed = applyFix(files, fix);
  assert.equal(
    fixed[".gitlab-ci.yml"],
    y(DAGGER_SETUP.trimEnd(), "build:", "  extends: .dagger", "  stage: build", "  script:", "    - dagger call build"),
  );
  assert.deepEqual(analyze(fixed).diagnostics, []);
});

test("no fix when the job extends something, or its own services would replace .dagger's", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      DAGGER_SETUP.trimEnd(),
      ".base:",
      "  image: alpine",
      "a:",
      "  extends: .base",
      "  script: [dagger call a]",
      "b:",
      "  services: [postgres:16]",
      "  script: [dagger call b]",
    ),
  });
  const found = m.diagnostics.filter((d) => d.code === CODE);
  assert.deepEqual(
    found.map((d) => [d.message, d.fixes]),
    [
      [message("a"), undefined],
      [message("b"), undefined],
    ],
  );
});

test("the rule can be turned off", () => {
  const m = analyze({ ".gitlab-ci.yml": y("a:", "  script: [dagger call a]") }, undefined, {
    rules: { [CODE]: { severity: "off", options: {} } },
  });
  assert.deepEqual(findings(m), []);
});

test("DOCKER_HOST without a service that may be its daemon is no engine: the job's own services replaced it", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      ".dind:",
      "  variables: { DOCKER_HOST: tcp://docker:2375 }",
      "  services: [docker:27-dind]",
      "fixtures:",
      "  extends: .dind",
      "  services: [postgres:16]",
      "  script: [dagger call fixtures]",
      "db:",
      "  extends: .dind",
      "  services:",
      "    - name: ${PG_IMAGE}",
      "      alias: postgres",
      "  script: [dagger call db]",
    ),
  });
  assert.deepEqual(findings(m), [at("6:11-6:31", "fixtures"), at("12:11-12:25", "db")]);
});
