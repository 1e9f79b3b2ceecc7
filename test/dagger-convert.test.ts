import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import type { Model } from "../server/src/engine/engine";
import { conversions } from "../server/src/features/dagger/actions";
import { convertJob, effectiveTags, type Conversion, type Executor } from "../server/src/features/dagger/convert";
import { defaultAliases } from "../server/src/features/dagger/job-environment";
import { findModule } from "../server/src/features/dagger/module";
import { newModuleFiles } from "../server/src/features/dagger/new-module";
import { analyze, applyFix, y } from "./helpers";
import { typecheckModule } from "./typecheck";

// Golden tests of "Convert job to Dagger Function": the exact edited YAML, the exact TypeScript,
// a config that still passes `pipewright check` without tag findings, and a module that
// type-checks against the real SDK.

const TAG_RULES = new Set(["conflicting-runner-tags", "dind-without-docker-tag", "dagger-without-engine"]);

function convert(
  files: Record<string, string>,
  job: string,
  executor: Executor = "docker",
): { c: Conversion; after: Record<string, string> } {
  const model = analyze(files);
  const read = (p: string) => files[p];
  const module = findModule(read);
  const c = convertJob(model, job, { executor, module, moduleSource: module ? read(module.entryFile) : undefined });
  assert.ok(c, `job ${job} converts`);
  const after = applyFix(applyFix(files, { title: "", edits: c.configEdits }), { title: "", edits: c.moduleEdits });
  return { c, after: { ...after, ...c.createFiles } };
}

/** The edited config analyses without errors or tag findings, and the module type-checks. */
function checkResult(after: Record<string, string>): Model {
  const yaml = Object.fromEntries(Object.entries(after).filter(([k]) => k.endsWith(".yml")));
  const m = analyze(yaml);
  assert.deepEqual(
    m.diagnostics.filter((d) => d.severity === "error" || TAG_RULES.has(d.code)).map((d) => `${d.code} ${d.message}`),
    [],
  );
  const module = Object.fromEntries(Object.entries(after).filter(([k]) => !k.endsWith(".yml")));
  assert.deepEqual(typecheckModule(module), []);
  return m;
}

const SETUP_DOCKER = (tags: boolean) =>
  y(
    ".dagger:",
    "  # The Dagger CLI starts its engine in the Docker-in-Docker service; DAGGER_VERSION pins the CLI",
    "  # to the engine version of dagger.json.",
    "  image: docker:27-cli",
    "  services:",
    "    - docker:27-dind",
    "  variables:",
    '    DAGGER_VERSION: "0.21.9"',
    "    DOCKER_HOST: tcp://docker:2375",
    '    DOCKER_TLS_CERTDIR: ""',
    ...(tags ? ["  tags: [gitlab-org-docker]"] : []),
    "  before_script:",
    "    - apk add --no-cache curl",
    "    - curl -fsSL https://dl.dagger.io/dagger/install.sh | BIN_DIR=/usr/local/bin sh",
    "    - dagger version",
  );

test("a plain script job: a new module with the function, the job calls it through .dagger", () => {
  const files = {
    ".gitlab-ci.yml": y(
      "stages: [test]",
      "",
      "# Lints the sources",
      "lint:",
      "  stage: test",
      "  script:",
      "    - npm run lint",
    ),
  };
  const { c, after } = convert(files, "lint");
  assert.equal(c.title, 'Convert job "lint" to a Dagger Function (Docker executor)');
  assert.equal(
    after[".gitlab-ci.yml"],
    y(
      "stages: [test]",
      "",
      SETUP_DOCKER(false),
      "# Lints the sources",
      "lint:",
      "  extends: .dagger",
      "  stage: test",
      "  script:",
      "    - dagger call lint --source=. stdout",
    ),
  );
  assert.deepEqual(Object.keys(c.createFiles).sort(), [
    ".dagger/.gitattributes",
    ".dagger/.gitignore",
    ".dagger/package.json",
    ".dagger/src/index.ts",
    ".dagger/tsconfig.json",
    "dagger.json",
  ]);
  assert.deepEqual(JSON.parse(c.createFiles["dagger.json"]), {
    name: "ci",
    engineVersion: "v0.21.9",
    sdk: { source: "typescript" },
    source: ".dagger",
  });
  assert.equal(
    c.createFiles[".dagger/src/index.ts"],
    y(
      "/**",
      " * Dagger Functions of the ci module, converted from GitLab CI jobs.",
      " */",
      'import { dag, Container, Directory, object, func, argument } from "@dagger.io/dagger"',
      "",
      "@object()",
      "export class Ci {",
      "  /**",
      '   * Runs the work of GitLab job "lint": its image, variables, before_script and script.',
      "   */",
      "  @func()",
      '  lint(@argument({ defaultPath: "/" }) source: Directory): Container {',
      "    let ctr = dag",
      "      .container()",
      '      .from("alpine:3.20")',
      '      .withMountedDirectory("/src", source)',
      '      .withWorkdir("/src")',
      '      .withEnvVariable("CI_PROJECT_DIR", "/src")',
      '    ctr = ctr.withExec(["sh", "-ec", [',
      '      "npm run lint",',
      '    ].join("\\n")])',
      "    return ctr",
      "  }",
      "}",
    ),
  );
  checkResult(after);
});

test(
  "image, variables and before_script move into the function; CI variables " +
    "become flags, tokens secrets; gitlab-org becomes gitlab-org-docker",
  () => {
    const files = {
      ".gitlab-ci.yml": y(
        "test:",
        "  image: node:22",
        "  tags: [gitlab-org]",
        "  variables:",
        "    NODE_ENV: test",
        '    REPORT_DIR: "$CI_PROJECT_DIR/reports"',
        "    GIT_DEPTH: 5",
        "  before_script:",
        "    - npm ci",
        "  script:",
        '    - npm test -- --reporter-dir "$REPORT_DIR" --sha "$CI_COMMIT_SHA"',
        '    - \'curl -H "PRIVATE-TOKEN: $DEPLOY_TOKEN" "$CI_API_V4_URL/projects"\'',
        "    - for f in dist/*; do echo $f; done",
      ),
    };
    const { c, after } = convert(files, "test");
    assert.equal(c.title, 'Convert job "test" to a Dagger Function (Docker executor, runs on gitlab-org-docker)');
    assert.equal(
      c.call,
      'dagger call test --source=. --ci-commit-sha="$CI_COMMIT_SHA" --ci-api-v-4-url="$CI_API_V4_URL" ' +
        "--deploy-token=env:DEPLOY_TOKEN stdout",
    );
    assert.equal(
      after[".gitlab-ci.yml"],
      y(
        SETUP_DOCKER(true),
        "test:",
        "  extends: .dagger",
        "  tags: [gitlab-org-docker]",
        "  variables:",
        "    NODE_ENV: test",
        '    REPORT_DIR: "$CI_PROJECT_DIR/reports"',
        "    GIT_DEPTH: 5",
        "  script:",
        `    - ${c.call}`,
      ),
    );
    assert.equal(
      c.method,
      y(
        "  /**",
        '   * Runs the work of GitLab job "test": its image, variables, before_script and script.',
        "   */",
        "  @func()",
        '  test(@argument({ defaultPath: "/" }) source: Directory, ciCommitSha: ' +
          'string = "", ciApiV4Url: string = "", deployToken?: Secret): Container {',
        "    let ctr = dag",
        "      .container()",
        '      .from("node:22")',
        '      .withMountedDirectory("/src", source)',
        '      .withWorkdir("/src")',
        '      .withEnvVariable("CI_PROJECT_DIR", "/src")',
        '      .withEnvVariable("NODE_ENV", "test")',
        '      .withEnvVariable("REPORT_DIR", "/src/reports")',
        '      .withEnvVariable("CI_COMMIT_SHA", ciCommitSha)',
        '      .withEnvVariable("CI_API_V4_URL", ciApiV4Url)',
        '    if (deployToken) ctr = ctr.withSecretVariable("DEPLOY_TOKEN", deployToken)',
        '    ctr = ctr.withExec(["sh", "-ec", [',
        '      "npm ci",',
        '      "npm test -- --reporter-dir \\"$REPORT_DIR\\" --sha \\"$CI_COMMIT_SHA\\"",',
        '      "curl -H \\"PRIVATE-TOKEN: $DEPLOY_TOKEN\\" \\"$CI_API_V4_URL/projects\\"",',
        '      "for f in dist/*; do echo $f; done",',
        '    ].join("\\n")])',
        "    return ctr",
        "  }",
      ),
    );
    assert.match(
      c.createFiles[".dagger/src/index.ts"],
      /^import \{ dag, Container, Directory, Secret, object, func, argument \} from "@dagger.io\/dagger"$/m,
    );
    const m = checkResult(after);
    assert.deepEqual(
      m.diagnostics.map((d) => d.code),
      [],
    );
    // and the CLI a pipeline would run says the same of the files on disk
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-dagger-"));
    try {
      for (const [p, text] of Object.entries(after)) {
        fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
        fs.writeFileSync(path.join(dir, p), text);
      }
      const r = spawnSync(
        process.execPath,
        [path.resolve(__dirname, "..", "..", "dist", "cli.js"), "check", dir, "--format", "json"],
        { encoding: "utf8" },
      );
      assert.equal(r.status, 0);
      assert.deepEqual(JSON.parse(r.stdout), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);

test("artifacts: the function returns them as a directory and the call exports it where GitLab collects them", () => {
  const files = {
    ".gitlab-ci.yml": y(
      "build:",
      "  image: node:22",
      "  script:",
      "    - npm run build",
      "  artifacts:",
      "    paths:",
      "      - dist/",
      "      - coverage/*.xml",
    ),
  };
  const { c, after } = convert(files, "build");
  assert.equal(
    after[".gitlab-ci.yml"],
    y(
      SETUP_DOCKER(false),
      "build:",
      "  extends: .dagger",
      "  script:",
      "    - dagger call build --source=. export --path=.",
      "  artifacts:",
      "    paths:",
      "      - dist/",
      "      - coverage/*.xml",
    ),
  );
  assert.equal(
    c.method,
    y(
      "  /**",
      '   * Runs the work of GitLab job "build": its image, variables, before_script and script.',
      "   * Returns the job's artifacts:paths as a directory.",
      "   */",
      "  @func()",
      '  build(@argument({ defaultPath: "/" }) source: Directory): Directory {',
      "    let ctr = dag",
      "      .container()",
      '      .from("node:22")',
      '      .withMountedDirectory("/src", source)',
      '      .withWorkdir("/src")',
      '      .withEnvVariable("CI_PROJECT_DIR", "/src")',
      '    ctr = ctr.withExec(["sh", "-ec", [',
      '      "npm run build",',
      '    ].join("\\n")])',
      '    return dag.directory().withDirectory(".", ctr.directory("/src"), { ' +
        'include: ["dist", "dist/**", "coverage/*.xml"] })',
      "  }",
    ),
  );
  checkResult(after);
});

// what `dagger init` wrote for an existing module besides its source
const LAYOUT = newModuleFiles("my-ci", "v0.20.3", "", []);
const MODULE = {
  ".dagger/tsconfig.json": LAYOUT[".dagger/tsconfig.json"],
  ".dagger/package.json": LAYOUT[".dagger/package.json"],
  "dagger.json": JSON.stringify(
    { name: "my-ci", engineVersion: "v0.20.3", sdk: { source: "typescript" }, source: ".dagger" },
    null,
    2,
  ),
  ".dagger/src/index.ts": y(
    'import { dag, Container, object, func } from "@dagger.io/dagger"',
    "",
    "@object()",
    "export class MyCi {",
    "  /** Says hello */",
    "  @func()",
    "  hello(name: string): Container {",
    '    return dag.container().from("alpine:3.20").withExec(["echo", name])',
    "  }",
    "}",
  ),
};

test(
  "a job extending a template, into an existing module, on the Kubernetes " +
    "executor: the template's image and before_script come along",
  () => {
    const files = {
      ...MODULE,
      ".gitlab-ci.yml": y(
        "default:",
        "  tags: [gitlab-org]",
        ".node:",
        "  image: node:22",
        "  before_script: [npm ci]",
        "unit:",
        "  extends: .node",
        "  tags: [gitlab-org]",
        "  script: [npm run unit]",
      ),
    };
    const { c, after } = convert(files, "unit", "kubernetes");
    assert.equal(c.title, 'Convert job "unit" to a Dagger Function (Kubernetes executor, runs on dagger-node)');
    assert.deepEqual(c.createFiles, {});
    assert.equal(
      after[".gitlab-ci.yml"],
      y(
        "default:",
        "  tags: [gitlab-org]",
        ".node:",
        "  image: node:22",
        "  before_script: [npm ci]",
        "",
        ".dagger:",
        "  # Kubernetes runners on dagger-node hosts reach the node's Dagger engine through its socket;",
        "  # DAGGER_VERSION pins the CLI to the engine version of dagger.json.",
        "  image: alpine:3.20",
        "  tags: [dagger-node]",
        "  variables:",
        '    DAGGER_VERSION: "0.20.3"',
        "    _EXPERIMENTAL_DAGGER_RUNNER_HOST: unix:///var/run/dagger/engine.sock",
        "  before_script:",
        "    - apk add --no-cache curl",
        "    - curl -fsSL https://dl.dagger.io/dagger/install.sh | BIN_DIR=/usr/local/bin sh",
        "    - dagger version",
        "",
        "unit:",
        "  extends: [.node, .dagger]",
        "  script:",
        "    - dagger call unit --source=. stdout",
      ),
    );
    assert.equal(
      after[".dagger/src/index.ts"],
      y(
        'import { dag, Container, object, func, Directory, argument } from "@dagger.io/dagger"',
        "",
        "@object()",
        "export class MyCi {",
        "  /** Says hello */",
        "  @func()",
        "  hello(name: string): Container {",
        '    return dag.container().from("alpine:3.20").withExec(["echo", name])',
        "  }",
        "",
        "  /**",
        '   * Runs the work of GitLab job "unit": its image, variables, before_script and script.',
        "   */",
        "  @func()",
        '  unit(@argument({ defaultPath: "/" }) source: Directory): Container {',
        "    let ctr = dag",
        "      .container()",
        '      .from("node:22")',
        '      .withMountedDirectory("/src", source)',
        '      .withWorkdir("/src")',
        '      .withEnvVariable("CI_PROJECT_DIR", "/src")',
        '    ctr = ctr.withExec(["sh", "-ec", [',
        '      "npm ci",',
        '      "npm run unit",',
        '    ].join("\\n")])',
        "    return ctr",
        "  }",
        "}",
      ),
    );
    const m = checkResult(after);
    assert.deepEqual(
      m.effectiveJob("unit") &&
        [...m.effectiveJob("unit")!.entries.keys()].includes("tags") &&
        m.effectiveJob("unit")!.entries.get("tags")!.value.kind,
      "seq",
    );
  },
);

test(
  "a second conversion reuses .dagger and picks a free function name; a name " + "clash in the module gets a suffix",
  () => {
    const files = {
      ...MODULE,
      ".gitlab-ci.yml": y(
        SETUP_DOCKER(false).trimEnd(),
        "hello:",
        "  extends: [.dagger]",
        "  script:",
        "    - echo hi",
      ),
    };
    const { c, after } = convert(files, "hello");
    assert.equal(c.call, "dagger call hello-2 --source=. stdout");
    assert.equal(
      after[".gitlab-ci.yml"],
      y(
        SETUP_DOCKER(false).trimEnd(),
        "hello:",
        "  extends: [.dagger]",
        "  script:",
        "    - dagger call hello-2 --source=. stdout",
      ),
    );
    assert.match(after[".dagger/src/index.ts"], /^ {2}hello2\(@argument/m);
    checkResult(after);
  },
);

test("not offered on hidden jobs, trigger jobs and flow-mapping jobs", () => {
  const model = analyze({
    ".gitlab-ci.yml": y(
      ".t:",
      "  script: [x]",
      "flow: { script: [x] }",
      "child:",
      "  trigger: { include: c.yml }",
      "ok:",
      "  script: [x]",
    ),
  });
  for (const name of [".t", "flow", "child"])
    assert.equal(convertJob(model, name, { executor: "docker" }), undefined, name);
  assert.ok(convertJob(model, "ok", { executor: "docker" }));
});

test(
  "argument names stay distinct: an IMAGE variable next to the image argument, " +
    "ENV next to env; the image's own variables come from GitLab",
  () => {
    const files = {
      ".gitlab-ci.yml": y(
        "scan:",
        '  image: "${REGISTRY}/scanner:1"',
        "  script:",
        '    - scan "$IMAGE" --env "$ENV" --mode "$env"',
      ),
    };
    const { c, after } = convert(files, "scan");
    assert.equal(
      c.call,
      'dagger call scan --source=. --image="${REGISTRY}/scanner:1" --image-2="$IMAGE" ' +
        '--env="$ENV" --env-2="$env" stdout',
    );
    assert.match(
      c.method,
      /^ {2}scan\(@argument\(\{ defaultPath: "\/" \}\) source: Directory, image: string, image2: string = "", env: string = "", env2: string = ""\): Container \{$/m,
    );
    assert.match(c.method, /^ {6}\.from\(image\)$/m);
    checkResult(after);
  },
);

// The job keeps its runners: `.dagger` comes last in `extends`, so its tags would beat those the job
// inherits; the title names the tags whenever they change.

const SETUP_DOCKER_ORG = SETUP_DOCKER(true);

test("tags a job takes from a template stay: the job gets them as its own, over .dagger's", () => {
  const files = {
    ".gitlab-ci.yml": y(
      "default:",
      "  tags: [gitlab-org]",
      ".arm:",
      "  tags: [saas-linux-medium-arm64]",
      "build:",
      "  extends: .arm",
      "  script: [make]",
    ),
  };
  const { c, after } = convert(files, "build");
  assert.equal(c.title, 'Convert job "build" to a Dagger Function (Docker executor)');
  assert.equal(
    after[".gitlab-ci.yml"],
    y(
      "default:",
      "  tags: [gitlab-org]",
      ".arm:",
      "  tags: [saas-linux-medium-arm64]",
      "",
      SETUP_DOCKER_ORG,
      "build:",
      "  tags: [saas-linux-medium-arm64]",
      "  extends: [.arm, .dagger]",
      "  script:",
      "    - dagger call build --source=. stdout",
    ),
  );
  const m = checkResult(after);
  assert.deepEqual(effectiveTags(m, "build"), ["saas-linux-medium-arm64"]);
});

test("a gitlab-org job from default: the Docker executor moves it to gitlab-org-docker, and the title says so", () => {
  const files = {
    ".gitlab-ci.yml": y("default:", "  tags: [gitlab-org]", "lint:", "  script: [make lint]"),
  };
  const { c, after } = convert(files, "lint");
  assert.equal(c.title, 'Convert job "lint" to a Dagger Function (Docker executor, runs on gitlab-org-docker)');
  assert.deepEqual(c.tags, ["gitlab-org-docker"]);
  assert.deepEqual(c.notes, [
    "The job's runner tags change from [gitlab-org] to [gitlab-org-docker]: Docker-in-Docker needs privileged runners.",
  ]);
  assert.equal(
    after[".gitlab-ci.yml"],
    y(
      "default:",
      "  tags: [gitlab-org]",
      "",
      SETUP_DOCKER_ORG,
      "lint:",
      "  extends: .dagger",
      "  script:",
      "    - dagger call lint --source=. stdout",
    ),
  );
  assert.deepEqual(effectiveTags(checkResult(after), "lint"), ["gitlab-org-docker"]);
});

test(
  "a job on $KUBERNETES_RUNNER_TAG: Kubernetes is offered first (dagger-node, named); " +
    "with Docker it keeps its runner",
  () => {
    const text = y(
      "default:",
      "  tags: [gitlab-org]",
      ".k8s:",
      "  tags:",
      "    - $KUBERNETES_RUNNER_TAG",
      "unit:",
      "  extends: [.k8s]",
      "  script: [go test ./...]",
    );
    const files = { ".gitlab-ci.yml": text };
    const model = analyze(files);
    const offered = conversions(model, ".gitlab-ci.yml", text.indexOf("unit:"), undefined, () => undefined);
    assert.deepEqual(
      offered.map((c) => [c.title, c.preferred]),
      [
        ['Convert job "unit" to a Dagger Function (Kubernetes executor, runs on dagger-node)', true],
        ['Convert job "unit" to a Dagger Function (Docker executor)', false],
      ],
    );
    const { after } = convert(files, "unit", "docker");
    assert.equal(
      after[".gitlab-ci.yml"],
      y(
        "default:",
        "  tags: [gitlab-org]",
        ".k8s:",
        "  tags:",
        "    - $KUBERNETES_RUNNER_TAG",
        "",
        SETUP_DOCKER_ORG,
        "unit:",
        "  tags: [$KUBERNETES_RUNNER_TAG]",
        "  extends: [.k8s, .dagger]",
        "  script:",
        "    - dagger call unit --source=. stdout",
      ),
    );
    assert.deepEqual(effectiveTags(checkResult(after), "unit"), ["$KUBERNETES_RUNNER_TAG"]);
    const k8s = convert(files, "unit", "kubernetes");
    assert.deepEqual(effectiveTags(checkResult(k8s.after), "unit"), ["dagger-node"]);
    // a job without a Kubernetes hint gets Docker first
    const plain = analyze({ ".gitlab-ci.yml": y("lint:", "  script: [x]") });
    assert.deepEqual(
      conversions(plain, ".gitlab-ci.yml", 0, undefined, () => undefined).map((c) => [c.title, c.preferred]),
      [
        ['Convert job "lint" to a Dagger Function (Docker executor)', true],
        ['Convert job "lint" to a Dagger Function (Kubernetes executor, runs on dagger-node)', false],
      ],
    );
  },
);

test("the job's own cache is removed, an inherited one turned off with cache: []; both become cache volumes", () => {
  const files = {
    ".gitlab-ci.yml": y(
      ".gems:",
      "  cache:",
      "    key: gems",
      "    paths: [vendor/ruby]",
      "rspec:",
      "  image: ruby:3.3",
      "  cache:",
      "    key: rspec",
      "    paths: [tmp/cache]",
      "  script: [bundle exec rspec]",
      "rubocop:",
      "  extends: .gems",
      "  script: [bundle exec rubocop]",
    ),
  };
  const own = convert(files, "rspec");
  assert.equal(own.c.title, 'Convert job "rspec" to a Dagger Function (Docker executor)');
  assert.deepEqual(own.c.notes, [
    "The job's cache is removed in the YAML: the function's commands run inside Dagger, where GitLab's cache " +
      "folders are not seen.",
    'The cache moves into the function as Dagger cache volumes: tmp/cache in "rspec-tmp-cache". A volume lives ' +
      "in the Dagger engine: it keeps what the commands write, whether they pass or fail, for every branch and " +
      "pipeline the engine serves, and hides what the checkout has at its path. On the Docker executor the engine " +
      "runs in the job's Docker-in-Docker service: the volumes last as long as the job.",
  ]);
  assert.match(own.c.method, /^ {6}\.withMountedCache\("\/src\/tmp\/cache", dag\.cacheVolume\("rspec-tmp-cache"\)\)$/m);
  assert.equal(
    own.after[".gitlab-ci.yml"],
    y(
      ".gems:",
      "  cache:",
      "    key: gems",
      "    paths: [vendor/ruby]",
      "",
      SETUP_DOCKER(false),
      "rspec:",
      "  extends: .dagger",
      "  script:",
      "    - dagger call rspec --source=. stdout",
      "rubocop:",
      "  extends: .gems",
      "  script: [bundle exec rubocop]",
    ),
  );
  checkResult(own.after);
  const inherited = convert(files, "rubocop");
  assert.equal(inherited.c.title, 'Convert job "rubocop" to a Dagger Function (Docker executor)');
  assert.match(
    inherited.c.method,
    /\.withMountedCache\("\/src\/vendor\/ruby", dag\.cacheVolume\("gems-vendor-ruby"\)\)/,
  );
  assert.match(inherited.c.notes[0], /^The job's cache is turned off \(cache: \[\]\)/);
  assert.match(inherited.after[".gitlab-ci.yml"], /^rubocop:\n {2}cache: \[\]\n {2}extends: \[\.gems, \.dagger\]\n/m);
  const m = checkResult(inherited.after);
  const cache = m.effectiveJob("rubocop")?.entries.get("cache")?.value;
  assert.ok(cache?.kind === "seq" && cache.items.length === 0);
});

test("a .dagger set up for Docker is not reused for the Kubernetes executor: .dagger:kubernetes is added", () => {
  const files = {
    ".gitlab-ci.yml": y(
      SETUP_DOCKER(false).trimEnd(),
      "",
      "lint:",
      "  extends: .dagger",
      "  script: [dagger call lint]",
    ),
    "ci.yml": "",
  };
  files[".gitlab-ci.yml"] += y("", "unit:", "  tags: [k8s]", "  script: [make test]");
  const k8s = convert(files, "unit", "kubernetes");
  assert.equal(k8s.c.title, 'Convert job "unit" to a Dagger Function (Kubernetes executor, runs on dagger-node)');
  const text = k8s.after[".gitlab-ci.yml"];
  assert.ok(text.startsWith(SETUP_DOCKER(false)), "the Docker set-up stays as it was");
  assert.match(text, /\n\.dagger:kubernetes:\n {2}# Kubernetes runners on dagger-node hosts/);
  assert.match(text, /\nunit:\n {2}extends: \.dagger:kubernetes\n/);
  const m = checkResult(k8s.after);
  assert.deepEqual(effectiveTags(m, "unit"), ["dagger-node"]);
  assert.deepEqual(effectiveTags(m, "lint"), []);
  // the Docker executor reuses it
  const docker = convert(files, "unit", "docker");
  assert.doesNotMatch(docker.after[".gitlab-ci.yml"], /\.dagger:(kubernetes|docker)/);
  assert.match(docker.after[".gitlab-ci.yml"], /\nunit:\n {2}extends: \.dagger\n/);
});

test(
  "a job's own services move into the function; in the YAML they go: on Docker they would replace " +
    ".dagger's engine, on Kubernetes the function could not reach them",
  () => {
    const files = {
      ".gitlab-ci.yml": y("fixtures:", "  services:", "    - postgres:16", "  script: [rake db:fixtures]"),
    };
    const { c, after } = convert(files, "fixtures");
    assert.equal(c.title, 'Convert job "fixtures" to a Dagger Function (Docker executor)');
    assert.ok(after[".gitlab-ci.yml"].startsWith(SETUP_DOCKER(false)));
    assert.match(
      after[".gitlab-ci.yml"],
      /\nfixtures:\n {2}extends: \.dagger\n {2}script:\n {4}- dagger call fixtures --source=\. stdout\n$/,
    );
    assert.deepEqual(c.notes, [
      'The job\'s services move into the function as Dagger services: postgres:16 as "postgres". In the YAML ' +
        "they would replace the Docker-in-Docker service the Dagger CLI needs. Dagger starts a service once the " +
        "ports its image EXPOSEs answer (GitLab's services have no ports: to say which, add .withExposedPort to " +
        "the service).",
    ]);
    assert.match(c.method, /^ {6}\.withServiceBinding\("postgres", postgresService\)$/m);
    checkResult(after);
    const k8s = convert(files, "fixtures", "kubernetes");
    assert.equal(k8s.c.title, 'Convert job "fixtures" to a Dagger Function (Kubernetes executor, runs on dagger-node)');
    assert.match(k8s.after[".gitlab-ci.yml"], /\nfixtures:\n {2}extends: \.dagger\n {2}script:\n/);
    assert.match(k8s.c.notes[0], / In the YAML they are removed: the function's containers could not reach them\. /);
    assert.match(k8s.c.notes[0], / On the Kubernetes executor a job reaches its services at localhost; /);
    checkResult(k8s.after);
  },
);

test(
  "services in map form: alias, entrypoint, command and variables; the job's YAML variables go to every " +
    "service; tutum/wordpress gets GitLab's derived names, the __ one because the script uses it",
  () => {
    const files = {
      ".gitlab-ci.yml": y(
        "variables:",
        "  POSTGRES_PASSWORD: ci",
        '  DATABASE_URL: "postgres://postgres:ci@db:5432/app"',
        "integration:",
        "  image: ruby:3.3",
        "  services:",
        "    - name: postgres:16",
        "      alias: db",
        '      entrypoint: ["docker-entrypoint.sh"]',
        '      command: ["postgres", "-c", "fsync=off"]',
        "      variables:",
        "        POSTGRES_DB: app",
        "    - tutum/wordpress:latest",
        "  script:",
        "    - bundle exec rake spec",
        "    - curl -fsS http://tutum__wordpress/",
      ),
    };
    const { c, after } = convert(files, "integration");
    assert.equal(c.title, 'Convert job "integration" to a Dagger Function (Docker executor)');
    assert.match(
      c.notes[0],
      /^The job's services move into the function as Dagger services: postgres:16 as "db"; tutum\/wordpress:latest as "tutum__wordpress", "tutum-wordpress"\. /,
    );
    assert.equal(
      c.method,
      y(
        "  /**",
        '   * Runs the work of GitLab job "integration": its image, variables, services, before_script and script.',
        "   */",
        "  @func()",
        '  integration(@argument({ defaultPath: "/" }) source: Directory): Container {',
        "    // GitLab gives every service the job's YAML variables, then the service's own",
        "    const jobVariables = (c: Container) =>",
        "      c",
        '        .withEnvVariable("POSTGRES_PASSWORD", "ci")',
        '        .withEnvVariable("DATABASE_URL", "postgres://postgres:ci@db:5432/app")',
        "    const dbService = dag",
        "      .container()",
        '      .from("postgres:16")',
        "      .with(jobVariables)",
        '      .withEnvVariable("POSTGRES_DB", "app")',
        '      .withEntrypoint(["docker-entrypoint.sh"])',
        '      .asService({ args: ["postgres", "-c", "fsync=off"], useEntrypoint: true })',
        "    const tutumWordpressService = dag",
        "      .container()",
        '      .from("tutum/wordpress:latest")',
        "      .with(jobVariables)",
        "      .asService({ useEntrypoint: true })",
        "    let ctr = dag",
        "      .container()",
        '      .from("ruby:3.3")',
        '      .withMountedDirectory("/src", source)',
        '      .withWorkdir("/src")',
        '      .withEnvVariable("CI_PROJECT_DIR", "/src")',
        '      .withServiceBinding("db", dbService)',
        '      .withServiceBinding("tutum__wordpress", tutumWordpressService)',
        '      .withServiceBinding("tutum-wordpress", tutumWordpressService)',
        '    ctr = ctr.withExec(["sh", "-ec", [',
        '      "bundle exec rake spec",',
        '      "curl -fsS http://tutum__wordpress/",',
        '    ].join("\\n")])',
        "    return ctr",
        "  }",
      ),
    );
    assert.equal(
      after[".gitlab-ci.yml"],
      y(
        "variables:",
        "  POSTGRES_PASSWORD: ci",
        '  DATABASE_URL: "postgres://postgres:ci@db:5432/app"',
        "",
        SETUP_DOCKER(false),
        "integration:",
        "  extends: .dagger",
        "  script:",
        "    - dagger call integration --source=. stdout",
      ),
    );
    checkResult(after);
  },
);

test("GitLab's derived service names: tag, digest and registry port dropped, / made __ and -", () => {
  assert.deepEqual(defaultAliases("tutum/wordpress"), ["tutum__wordpress", "tutum-wordpress"]);
  assert.deepEqual(defaultAliases("postgres:16"), ["postgres"]);
  assert.deepEqual(defaultAliases("registry.example.com:5000/group/redis:7@sha256:abc"), [
    "registry.example.com__group__redis",
    "registry.example.com-group-redis",
  ]);
  assert.deepEqual(defaultAliases("Not/A Reference"), []);
});

test(
  "several caches: each path a cache volume named from its key (variables the YAML sets expanded, others " +
    "named), a glob and an artifact path not mounted; the title says part of the cache is dropped",
  () => {
    const files = {
      ".gitlab-ci.yml": y(
        "variables:",
        "  GEMS_KEY: gems-v2",
        "build:",
        "  image: node:22",
        "  cache:",
        "    - key: $GEMS_KEY",
        "      paths: [vendor/ruby]",
        "    - key: $CI_COMMIT_REF_SLUG",
        "      paths:",
        "        - node_modules/",
        '        - "**/*.o"',
        "      policy: pull",
        "    - key:",
        "        files: [package-lock.json]",
        "      paths: [.npm/]",
        "    - key: out",
        "      paths: [dist/]",
        "  script:",
        "    - npm ci --cache .npm",
        "    - npm run build",
        "  artifacts:",
        "    paths: [dist/]",
      ),
    };
    const { c, after } = convert(files, "build");
    assert.equal(c.title, 'Convert job "build" to a Dagger Function (Docker executor, drops part of its cache)');
    assert.deepEqual(c.notes, [
      "The job's cache is removed in the YAML: the function's commands run inside Dagger, where GitLab's cache " +
        "folders are not seen.",
      'The cache moves into the function as Dagger cache volumes: vendor/ruby in "gems-v2-vendor-ruby", ' +
        'node_modules in "ci-commit-ref-slug-node-modules", .npm in "build-2-npm". A volume lives in the Dagger ' +
        "engine: it keeps what the commands write, whether they pass or fail, for every branch and pipeline the " +
        "engine serves, and hides what the checkout has at its path. On the Docker executor the engine runs in " +
        "the job's Docker-in-Docker service: the volumes last as long as the job. The cache key's " +
        "$CI_COMMIT_REF_SLUG is not expanded: GitLab keeps a cache per value, the engine one volume for all. A " +
        "key:files cache gets one volume, not a new one when those files change. policy: pull is not kept: what " +
        "the commands write stays in the volume.",
      "Not mounted, so no longer cached: **/*.o (a glob); dist/ (also collected as an artifact, and a volume's " +
        "files are not in what the function returns).",
    ]);
    assert.equal(
      c.method,
      y(
        "  /**",
        '   * Runs the work of GitLab job "build": its image, variables, cache, before_script and script.',
        "   * Returns the job's artifacts:paths as a directory.",
        "   */",
        "  @func()",
        '  build(@argument({ defaultPath: "/" }) source: Directory): Directory {',
        "    let ctr = dag",
        "      .container()",
        '      .from("node:22")',
        '      .withMountedDirectory("/src", source)',
        '      .withWorkdir("/src")',
        '      .withEnvVariable("CI_PROJECT_DIR", "/src")',
        '      .withMountedCache("/src/vendor/ruby", dag.cacheVolume("gems-v2-vendor-ruby"))',
        '      .withMountedCache("/src/node_modules", dag.cacheVolume("ci-commit-ref-slug-node-modules"))',
        '      .withMountedCache("/src/.npm", dag.cacheVolume("build-2-npm"))',
        '    ctr = ctr.withExec(["sh", "-ec", [',
        '      "npm ci --cache .npm",',
        '      "npm run build",',
        '    ].join("\\n")])',
        '    return dag.directory().withDirectory(".", ctr.directory("/src"), { include: ["dist", "dist/**"] })',
        "  }",
      ),
    );
    assert.match(after[".gitlab-ci.yml"], /\nbuild:\n {2}extends: \.dagger\n {2}script:\n {4}- dagger call build /);
    checkResult(after);
    // nothing mountable: the title says the cache is dropped
    const globs = convert(
      { ".gitlab-ci.yml": y("build:", "  cache:", '    paths: ["*.o", ../shared]', "  script: [make]") },
      "build",
    );
    assert.equal(globs.c.title, 'Convert job "build" to a Dagger Function (Docker executor, drops its cache)');
    assert.deepEqual(globs.c.notes.slice(1), [
      "Not mounted, so no longer cached: *.o (a glob); ../shared (outside the project directory).",
    ]);
    assert.doesNotMatch(globs.c.method, /withMountedCache/);
  },
);

test(
  "after_script runs in the function in a shell of its own after the script, passed or failed, and ends " +
    "with the script's status; in the YAML it is removed, or turned off where default: gives one",
  () => {
    const files = {
      ".gitlab-ci.yml": y(
        "default:",
        "  after_script:",
        "    - ./upload-logs.sh",
        "e2e:",
        "  image: node:22",
        "  script:",
        "    - export BASE_URL=http://localhost:3000",
        "    - npm run e2e",
        "  after_script:",
        `    - 'echo "e2e ended: $CI_JOB_STATUS"'`,
        "    - rm -rf tmp/screenshots",
        "lint:",
        "  image: node:22",
        "  script: [npm run lint]",
        "  after_script: [rm -rf tmp]",
      ),
    };
    const { c, after } = convert(files, "e2e");
    assert.equal(c.title, 'Convert job "e2e" to a Dagger Function (Docker executor)');
    assert.equal(c.call, "dagger call e-2-e --source=. stdout");
    assert.deepEqual(c.notes, [
      "The job's after_script runs in the function, after the script whether it passed or failed, in a shell " +
        "of its own with CI_JOB_STATUS set; it is turned off (after_script: []) in the YAML. It has no time limit " +
        "of its own (GitLab's is 5 minutes), and it does not run when the job is cancelled, where GitLab runs it.",
    ]);
    assert.equal(
      c.method,
      y(
        "  /**",
        '   * Runs the work of GitLab job "e2e": its image, variables, before_script, script and after_script.',
        "   */",
        "  @func()",
        '  e2E(@argument({ defaultPath: "/" }) source: Directory): Container {',
        "    let ctr = dag",
        "      .container()",
        '      .from("node:22")',
        '      .withMountedDirectory("/src", source)',
        '      .withWorkdir("/src")',
        '      .withEnvVariable("CI_PROJECT_DIR", "/src")',
        "    // after_script runs in a shell of its own whether the script passed or failed, and cannot fail the job",
        "    ctr = ctr.withExec([",
        '      "sh",',
        '      "-c",',
        "      [",
        `        'sh -ec "$1"',`,
        '        "status=$?",',
        `        'if [ "$status" -eq 0 ]; then export CI_JOB_STATUS=success; else export CI_JOB_STATUS=failed; fi',`,
        `        'sh -ec "$2" || echo "after_script failed; the job keeps the status of its script" >&2',`,
        `        'exit "$status"',`,
        '      ].join("\\n"),',
        '      "sh",',
        "      [",
        '        "export BASE_URL=http://localhost:3000",',
        '        "npm run e2e",',
        '      ].join("\\n"),',
        "      [",
        '        "echo \\"e2e ended: $CI_JOB_STATUS\\"",',
        '        "rm -rf tmp/screenshots",',
        '      ].join("\\n"),',
        "    ])",
        "    return ctr",
        "  }",
      ),
    );
    assert.match(
      after[".gitlab-ci.yml"],
      /\ne2e:\n {2}extends: \.dagger\n {2}script:\n {4}- dagger call e-2-e --source=\. stdout\n {2}after_script: \[\]\nlint:\n/,
    );
    checkResult(after);
    // without a default: the job's own after_script is removed
    const own = convert(
      { ".gitlab-ci.yml": y("lint:", "  script: [npm run lint]", "  after_script: [rm -rf tmp]") },
      "lint",
    );
    assert.match(own.c.notes[0], /; it is removed in the YAML\./);
    assert.match(
      own.after[".gitlab-ci.yml"],
      /\nlint:\n {2}extends: \.dagger\n {2}script:\n {4}- dagger call lint --source=\. stdout\n$/,
    );
    assert.match(own.c.method, /^ {6}\[\n {8}"rm -rf tmp",\n {6}\]\.join\("\\n"\),\n {4}\]\)$/m);
  },
);

test("a job in an included file: .dagger goes at the end of the root file, the job's file keeps only the job", () => {
  const files = {
    ".gitlab-ci.yml": y("include:", "  - local: ci/test.yml", "", "stages: [test]"),
    "ci/test.yml": y("unit:", "  stage: test", "  script: [make test]"),
  };
  const { c, after } = convert(files, "unit");
  assert.equal(c.title, 'Convert job "unit" to a Dagger Function (Docker executor)');
  assert.equal(
    after[".gitlab-ci.yml"],
    y("include:", "  - local: ci/test.yml", "", "stages: [test]", "", SETUP_DOCKER(false).trimEnd()),
  );
  assert.equal(
    after["ci/test.yml"],
    y("unit:", "  extends: .dagger", "  stage: test", "  script:", "    - dagger call unit --source=. stdout"),
  );
  checkResult(after);
});
