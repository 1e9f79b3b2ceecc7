import * as assert from "node:assert/strict";
import { test } from "node:test";
import type { Model } from "../server/src/engine/engine";
import type { Fix } from "../server/src/engine/types";
import { dockerHubImage } from "../server/src/model/images";
import { analyze, applyFix, diags, y } from "./helpers";

const lints = (m: Model) => diags(m).filter((d) => d.split(" ")[3] === "dependency-proxy");
const hint = (
  at: string,
  image: string,
  written: string,
  variable = "GITLAB_DEPENDENCY_PROXY_ADDRESS",
  file = ".gitlab-ci.yml",
) =>
  `${file} ${at} hint dependency-proxy Docker Hub image "${image}" is pulled ` +
  `directly, not through the dependency proxy, and counts against Docker ` +
  `Hub's rate limits: write it \${${variable}}${written}`;
/** Every fix of the rule at once, as a user fixing them all would. */
const fixAll = (m: Model, files: Record<string, string>) =>
  applyFix(files, {
    title: "all",
    edits: m.diagnostics.filter((d) => d.code === "dependency-proxy").flatMap((d) => d.fixes![0].edits),
  } as Fix);

const PROXY = y("variables:", '  GITLAB_DEPENDENCY_PROXY_ADDRESS: "${GITLAB_DEPENDENCY_PROXY}"');

test("which images come from Docker Hub", () => {
  assert.deepEqual(dockerHubImage("ruby:3.2"), { host: "" });
  assert.deepEqual(dockerHubImage("selenium/standalone-chrome:latest"), { host: "" });
  assert.deepEqual(dockerHubImage("docker:${DOCKER_VERSION}-dind"), { host: "" });
  assert.deepEqual(dockerHubImage("docker.io/library/ruby"), { host: "docker.io/" });
  assert.deepEqual(dockerHubImage("index.docker.io/node:20"), { host: "index.docker.io/" });
  assert.deepEqual(dockerHubImage("registry-1.docker.io/alpine"), { host: "registry-1.docker.io/" });
  for (const other of [
    "registry.gitlab.com/x/y",
    "localhost/x",
    "localhost:5000/x",
    "my-registry:5000/x",
    "quay.io/x",
    "$CI_REGISTRY_IMAGE",
    "${REGISTRY_HOST}/x",
    "${GITLAB_DEPENDENCY_PROXY_ADDRESS}ruby:3.2",
    "a${HOST}/x",
    "${NAME}:1",
    "",
  ]) {
    assert.equal(dockerHubImage(other), undefined, other);
  }
});

test("a Docker Hub image and service: a hint where written, and the fix adds the proxy prefix", () => {
  const files = {
    ".gitlab-ci.yml": y(
      PROXY.trimEnd(),
      "build:",
      "  image: ruby:3.2",
      "  services:",
      "    - postgres:14",
      "    - name: 'docker.io/library/redis:7'",
      "      alias: redis",
      "  script: [make]",
    ),
  };
  const m = analyze(files);
  assert.deepEqual(lints(m), [
    hint("3:9-3:17", "ruby:3.2", "ruby:3.2"),
    hint("5:6-5:17", "postgres:14", "postgres:14"),
    hint("6:12-6:39", "docker.io/library/redis:7", "library/redis:7"),
  ]);
  const d = m.diagnostics.find((x) => x.code === "dependency-proxy")!;
  assert.equal(d.fixes![0].title, "Pull through the dependency proxy (${GITLAB_DEPENDENCY_PROXY_ADDRESS})");
  assert.equal(
    applyFix(files, d.fixes![0])[".gitlab-ci.yml"].split("\n")[3],
    "  image: ${GITLAB_DEPENDENCY_PROXY_ADDRESS}ruby:3.2",
  );
  const fixed = fixAll(m, files);
  assert.equal(
    fixed[".gitlab-ci.yml"],
    y(
      PROXY.trimEnd(),
      "build:",
      "  image: ${GITLAB_DEPENDENCY_PROXY_ADDRESS}ruby:3.2",
      "  services:",
      "    - ${GITLAB_DEPENDENCY_PROXY_ADDRESS}postgres:14",
      "    - name: '${GITLAB_DEPENDENCY_PROXY_ADDRESS}library/redis:7'",
      "      alias: redis",
      "  script: [make]",
    ),
  );
  assert.deepEqual(diags(analyze(fixed)), []);
});

test("in flow collections the fixed value is quoted, since a plain scalar cannot hold braces there", () => {
  const files = {
    ".gitlab-ci.yml": y(
      PROXY.trimEnd(),
      "test:",
      "  image: {name: node:20, entrypoint: ['']}",
      '  services: [docker:24-dind, {name: "index.docker.io/selenium/standalone-chrome"}]',
      "  script: [x]",
    ),
  };
  const m = analyze(files);
  assert.deepEqual(lints(m), [
    hint("3:16-3:23", "node:20", "node:20"),
    hint("4:13-4:27", "docker:24-dind", "docker:24-dind"),
    hint("4:36-4:80", "index.docker.io/selenium/standalone-chrome", "selenium/standalone-chrome"),
  ]);
  const fixed = fixAll(m, files);
  assert.equal(
    fixed[".gitlab-ci.yml"],
    y(
      PROXY.trimEnd(),
      "test:",
      "  image: {name: \"${GITLAB_DEPENDENCY_PROXY_ADDRESS}node:20\", entrypoint: ['']}",
      '  services: ["${GITLAB_DEPENDENCY_PROXY_ADDRESS}docker:24-dind", {name: ' +
        '"${GITLAB_DEPENDENCY_PROXY_ADDRESS}selenium/standalone-chrome"}]',
      "  script: [x]",
    ),
  );
  assert.deepEqual(diags(analyze(fixed)), []);
});

test("values reached through an alias, extends or default are reported once, where written, in their own file", () => {
  const files = {
    ".gitlab-ci.yml": y(
      "include: ci/images.yml",
      "workflow:",
      "  rules:",
      "    - if: $CI_MERGE_REQUEST_IID",
      "      variables:",
      "        GITLAB_DEPENDENCY_PROXY: registry.example.com/group/dependency_proxy/containers/",
      "    - when: always",
      "default:",
      "  image: alpine:3.19",
      ".svc: &svc",
      "  - redis:7",
      "a:",
      "  extends: .ruby",
      "  services: *svc",
      "  script: [x]",
      "b:",
      "  extends: .ruby",
      "  services: *svc",
      "  script: [y]",
    ),
    "ci/images.yml": y(".ruby:", "  image: ruby:3.3"),
  };
  const m = analyze(files);
  assert.deepEqual(lints(m), [
    hint("8:9-8:20", "alpine:3.19", "alpine:3.19", "GITLAB_DEPENDENCY_PROXY"),
    hint("10:4-10:11", "redis:7", "redis:7", "GITLAB_DEPENDENCY_PROXY"),
    hint("1:9-1:17", "ruby:3.3", "ruby:3.3", "GITLAB_DEPENDENCY_PROXY", "ci/images.yml"),
  ]);
  const fixed = fixAll(m, files);
  assert.equal(fixed["ci/images.yml"], y(".ruby:", "  image: ${GITLAB_DEPENDENCY_PROXY}ruby:3.3"));
  assert.equal(fixed[".gitlab-ci.yml"].split("\n")[10], "  - ${GITLAB_DEPENDENCY_PROXY}redis:7");
  assert.deepEqual(diags(analyze(fixed)), []);
});

test("a job's own variables define the proxy too, and the address is preferred when both are defined", () => {
  const m = analyze({
    ".gitlab-ci.yml": y(
      "a:",
      "  variables:",
      "    GITLAB_DEPENDENCY_PROXY: proxy/",
      "    GITLAB_DEPENDENCY_PROXY_ADDRESS: $GITLAB_DEPENDENCY_PROXY",
      "  image: golang:1.22",
      "  script: [x]",
    ),
  });
  assert.deepEqual(lints(m), [hint("4:9-4:20", "golang:1.22", "golang:1.22")]);
});

test("silent: no proxy variable defined, images already prefixed, other registries, images from a variable", () => {
  assert.deepEqual(
    lints(analyze({ ".gitlab-ci.yml": y("a:", "  image: ruby:3.2", "  services: [postgres:14]", "  script: [x]") })),
    [],
  );
  const m = analyze({
    ".gitlab-ci.yml": y(
      PROXY.trimEnd(),
      "  MY_IMAGE: ruby:3.2",
      "a:",
      "  image: ${GITLAB_DEPENDENCY_PROXY_ADDRESS}ruby:3.2",
      "  services:",
      "    - $GITLAB_DEPENDENCY_PROXY_ADDRESS/postgres:14",
      "    - registry.gitlab.com/gitlab-org/gitlab-build-images:redis",
      "    - name: localhost:5000/x",
      "  script: [x]",
      "b:",
      "  image:",
      "    name: $MY_IMAGE",
      "  services: ['${REGISTRY_HOST}/x/y']",
      "  script: [x]",
    ),
  });
  assert.deepEqual(lints(m), []);
});
