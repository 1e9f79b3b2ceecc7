import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { test, type TestContext } from "node:test";
import { pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";
import { createConnection } from "vscode-languageserver/node";
import { parseAllDocuments } from "yaml";
import { MemoryHost } from "../server/src/engine/memory-host";
import { DAGGER_NODE, setupJobText } from "../server/src/features/dagger/convert";
import {
  ENGINE_SOCKET,
  ENGINE_SOCKET_DIR,
  kubernetesRunner,
  projectFolder,
  RUNNER_FOLDER,
  runnerSettings,
  type RunnerManifests,
} from "../server/src/features/dagger/kubernetes-runner";
import { DEFAULT_ENGINE_VERSION } from "../server/src/features/dagger/module";
import { WRITE_RUNNER_COMMAND } from "../server/src/lsp/dagger-protocol";
import { startServer } from "../server/src/server";
import { Workspace } from "../server/src/workspace/workspace";
import { analyze, y } from "./helpers";

// "Write Dagger Kubernetes runner manifests": the documents (features/dagger/kubernetes-runner.ts) parsed back and
// checked against what the converted jobs' `.dagger` set-up expects, the Workspace's new/same/replaces, the
// language server's command and its workspace edit, and `pipewright dagger runner`.

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** TOML as config.toml uses it: tables, arrays of tables, `key = "string" | integer | boolean`, comments. */
function toml(text: string): Doc {
  const root: Doc = {};
  let table = root;
  const key = (k: string) => (k.startsWith('"') ? (JSON.parse(k) as string) : k);
  const walk = (names: string[], array: boolean) => {
    let t = root;
    names.forEach((n, i) => {
      const last = i === names.length - 1;
      if (last && array) {
        const list = (t[n] ??= []) as Doc[];
        list.push({});
        t = list[list.length - 1];
      } else {
        const v = (t[n] ??= {}) as Doc | Doc[];
        t = Array.isArray(v) ? v[v.length - 1] : v;
      }
    });
    return t;
  };
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    let m = /^\[\[([\w.]+)\]\]$/.exec(line);
    if (m) {
      table = walk(m[1].split("."), true);
      continue;
    }
    m = /^\[([\w.]+)\]$/.exec(line);
    if (m) {
      table = walk(m[1].split("."), false);
      continue;
    }
    m = /^("(?:[^"\\]|\\.)*"|[\w-]+) = ("(?:[^"\\]|\\.)*"|\d+|true|false)$/.exec(line);
    assert.ok(m, `not TOML this test reads: ${line}`);
    assert.ok(!(key(m[1]) in table), `key twice: ${line}`);
    table[key(m[1])] = JSON.parse(m[2]);
  }
  return root;
}

function manifests(options = {}): RunnerManifests {
  const m = kubernetesRunner(options);
  assert.ok(!("error" in m), JSON.stringify(m));
  return m;
}

/** A document's YAML documents, parsed (without errors), by kind. */
function docs(m: RunnerManifests, name: string): Doc[] {
  const file = m.files.find((f) => f.file.endsWith(`/${name}`));
  assert.ok(file, name);
  const all = parseAllDocuments(file.text);
  for (const d of all) assert.deepEqual(d.errors, [], name);
  return all.map((d) => d.toJS() as Doc);
}

const byKind = (all: Doc[], kind: string) => all.filter((d) => d.kind === kind);

test("the documents: their files, and kustomization.yaml listing the others in the order to apply them", () => {
  const m = manifests();
  assert.equal(m.tag, DAGGER_NODE);
  assert.deepEqual(
    m.files.map((f) => f.file),
    ["namespaces", "dagger-engine", "runner-config", "runner", "kustomization"].map(
      (f) => `${RUNNER_FOLDER}/${f}.yaml`,
    ),
  );
  assert.equal(
    m.files[4].text,
    y(
      "# Applies the runner side of the Dagger jobs: kubectl apply -k .gitlab/dagger/kubernetes",
      "apiVersion: kustomize.config.k8s.io/v1beta1",
      "kind: Kustomization",
      "resources:",
      "  - namespaces.yaml",
      "  - dagger-engine.yaml",
      "  - runner-config.yaml",
      "  - runner.yaml",
    ),
  );
  assert.deepEqual(
    docs(m, "namespaces.yaml").map((d) => [d.kind, d.metadata.name, d.metadata.labels]),
    [
      ["Namespace", "dagger", { "pod-security.kubernetes.io/enforce": "privileged" }],
      ["Namespace", "gitlab-runner", { "pod-security.kubernetes.io/enforce": "privileged" }],
    ],
  );
  // one namespace for both: one document
  assert.equal(docs(manifests({ namespace: "ci", engineNamespace: "ci" }), "namespaces.yaml").length, 1);
});

test("config.toml: the Kubernetes executor, privileged, on the Dagger nodes only, the engine's socket mounted", () => {
  const m = manifests();
  const [configMap] = docs(m, "runner-config.yaml");
  assert.deepEqual(
    [configMap.kind, configMap.metadata],
    ["ConfigMap", { name: "dagger-runner-config", namespace: "gitlab-runner" }],
  );
  assert.equal(configMap.data["config.toml"], y("concurrent = 10", "check_interval = 3", "shutdown_timeout = 0"));
  assert.equal(
    configMap.data["config.template.toml"],
    y(
      "[[runners]]",
      '  name = "dagger-node"',
      '  executor = "kubernetes"',
      "  [runners.kubernetes]",
      '    namespace = "gitlab-runner"',
      '    image = "alpine:3.20"',
      "    privileged = true",
      "    # job pods only on the Dagger nodes, where the engine runs",
      "    [runners.kubernetes.node_selector]",
      '      "dagger-node" = "true"',
      "    [runners.kubernetes.node_tolerations]",
      '      "dagger-node=true" = "NoSchedule"',
      "    # the node's engine socket, where the jobs' _EXPERIMENTAL_DAGGER_RUNNER_HOST looks for it",
      "    [[runners.kubernetes.volumes.host_path]]",
      '      name = "dagger-socket"',
      '      mount_path = "/var/run/dagger"',
      '      host_path = "/var/run/dagger"',
    ),
  );
  const config = toml(configMap.data["config.template.toml"]);
  // register --template-config takes exactly one [[runners]] and no global settings
  assert.deepEqual(Object.keys(config), ["runners"]);
  assert.equal(config.runners.length, 1);
  const k8s = config.runners[0].kubernetes;
  assert.equal(config.runners[0].executor, "kubernetes");
  assert.equal(k8s.privileged, true);
  assert.deepEqual(k8s.node_selector, { "dagger-node": "true" });
  assert.deepEqual(k8s.node_tolerations, { "dagger-node=true": "NoSchedule" });
  assert.deepEqual(k8s.volumes.host_path, [
    { name: "dagger-socket", mount_path: ENGINE_SOCKET_DIR, host_path: ENGINE_SOCKET_DIR },
  ]);
  // no token in any document: it comes from the Secret
  for (const f of m.files) assert.doesNotMatch(f.text, /token = |glrt-[A-Za-z0-9]/);
  assert.deepEqual(toml(configMap.data["config.toml"]), { concurrent: 10, check_interval: 3, shutdown_timeout: 0 });
});

test("the socket the runner mounts is the one the converted jobs' .dagger set-up names, and their tag", () => {
  const model = analyze({ ".gitlab-ci.yml": y("build:", "  script: [make]") });
  const setup = parseAllDocuments(setupJobText(model, "kubernetes", "0.21.9"))[0].toJS() as Doc;
  const job = setup[".dagger"];
  assert.equal(job.variables._EXPERIMENTAL_DAGGER_RUNNER_HOST, `unix://${ENGINE_SOCKET}`);
  assert.deepEqual(job.tags, [DAGGER_NODE]);
  assert.equal(path.posix.dirname(ENGINE_SOCKET), ENGINE_SOCKET_DIR);
  const m = manifests({ engineVersion: "v0.21.9" });
  const k8s = toml(docs(m, "runner-config.yaml")[0].data["config.template.toml"]).runners[0].kubernetes;
  const mount = k8s.volumes.host_path[0];
  assert.ok(ENGINE_SOCKET.startsWith(`${mount.mount_path}/`));
  // the engine serves the socket in the node folder the job pods mount
  const [engine] = byKind(docs(m, "dagger-engine.yaml"), "DaemonSet");
  const spec = engine.spec.template.spec;
  const socketVolume = spec.volumes.find((v: Doc) => v.name === "dagger-socket");
  assert.deepEqual(socketVolume.hostPath, { path: mount.host_path, type: "DirectoryOrCreate" });
  const container = spec.containers[0];
  const inEngine = container.volumeMounts.find((v: Doc) => v.name === "dagger-socket").mountPath;
  assert.deepEqual(container.args, ["--addr", `unix://${inEngine}/engine.sock`]);
  // the CLI the jobs install is the engine's version
  assert.equal(job.variables.DAGGER_VERSION, "0.21.9");
  assert.equal(container.image, "registry.dagger.io/engine:v0.21.9");
  // the runner manifests tell to create the runner with the tag the jobs ask for
  const runner = m.files.find((f) => f.file.endsWith("/runner.yaml"))!.text;
  assert.match(runner, /# 1\. Create the runner in GitLab with the tag dagger-node and "Run untagged jobs" off/);
});

test("the engine DaemonSet and the job pods go to the same nodes: label selected, taint tolerated", () => {
  for (const nodeLabel of [undefined, "example.com/dagger"]) {
    const m = manifests({ nodeLabel, engineVersion: "0.19.2" });
    const key = nodeLabel ?? "dagger-node";
    const [engine] = byKind(docs(m, "dagger-engine.yaml"), "DaemonSet");
    const spec = engine.spec.template.spec;
    assert.equal(engine.metadata.namespace, "dagger");
    assert.deepEqual(spec.nodeSelector, { [key]: "true" });
    assert.deepEqual(spec.tolerations, [{ key, operator: "Equal", value: "true", effect: "NoSchedule" }]);
    assert.equal(spec.containers[0].securityContext.privileged, true);
    assert.equal(spec.containers[0].image, "registry.dagger.io/engine:v0.19.2");
    assert.deepEqual(engine.spec.selector.matchLabels, { "app.kubernetes.io/name": "dagger-engine" });
    for (const [k, v] of Object.entries(engine.spec.selector.matchLabels))
      assert.equal(engine.spec.template.metadata.labels[k], v);
    const k8s = toml(docs(m, "runner-config.yaml")[0].data["config.template.toml"]).runners[0].kubernetes;
    // GitLab Runner's "key=value" = "effect" is the DaemonSet's toleration, the node selector the same label
    const [[toleration, effect]] = Object.entries(k8s.node_tolerations) as Array<[string, string]>;
    const [tKey, tValue] = toleration.split("=");
    assert.deepEqual({ key: tKey, operator: "Equal", value: tValue, effect }, spec.tolerations[0]);
    assert.deepEqual(k8s.node_selector, spec.nodeSelector);
    const comments = m.files.find((f) => f.file.endsWith("/dagger-engine.yaml"))!.text;
    assert.ok(comments.includes(`kubectl taint node NODE ${key}=true:NoSchedule`));
    assert.ok(comments.includes(`kubectl label node NODE ${key}=true`));
  }
});

test("the runner manager: the token from a Secret, registered with the template, the executor's RBAC", () => {
  const m = manifests({ gitlabUrl: "https://gitlab.example.com/", tokenSecret: "dagger-token", name: "ci-runner" });
  const all = docs(m, "runner.yaml");
  assert.deepEqual(
    all.map((d) => `${d.kind}/${d.metadata.namespace}/${d.metadata.name}`),
    ["ServiceAccount", "Role", "RoleBinding", "Deployment"].map((k) => `${k}/gitlab-runner/ci-runner`),
  );
  const [role] = byKind(all, "Role");
  assert.deepEqual(Object.fromEntries(role.rules.map((r: Doc) => [r.resources[0], r.verbs])), {
    events: ["list", "watch"],
    pods: ["create", "delete", "get", "list", "watch"],
    "pods/attach": ["create", "delete", "get", "patch"],
    "pods/exec": ["create", "delete", "get", "patch"],
    "pods/log": ["get", "list"],
    secrets: ["create", "delete", "get", "update"],
    serviceaccounts: ["get"],
    services: ["create", "get"],
  });
  const [binding] = byKind(all, "RoleBinding");
  assert.deepEqual(binding.subjects, [{ kind: "ServiceAccount", name: "ci-runner", namespace: "gitlab-runner" }]);
  assert.deepEqual(binding.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "ci-runner" });
  const [deployment] = byKind(all, "Deployment");
  const pod = deployment.spec.template.spec;
  assert.equal(pod.serviceAccountName, "ci-runner");
  const [register] = pod.initContainers;
  assert.equal(register.image, "gitlab/gitlab-runner:v18.11.0");
  assert.deepEqual(register.command, ["sh", "-c"]);
  assert.equal(
    register.args[0],
    "cp /config-source/config.toml /etc/gitlab-runner/config.toml && gitlab-runner register --non-interactive " +
      "--config /etc/gitlab-runner/config.toml --template-config /config-source/config.template.toml " +
      "--executor kubernetes",
  );
  assert.deepEqual(register.env, [
    { name: "CI_SERVER_URL", value: "https://gitlab.example.com" },
    { name: "CI_SERVER_TOKEN", valueFrom: { secretKeyRef: { name: "dagger-token", key: "runner-token" } } },
  ]);
  const [run] = pod.containers;
  assert.deepEqual(run.args, ["run", "--config", "/etc/gitlab-runner/config.toml"]);
  assert.deepEqual(pod.volumes, [
    { name: "config-source", configMap: { name: "ci-runner-config" } },
    { name: "config", emptyDir: { medium: "Memory" } },
  ]);
  // the manager runs no job: no engine socket in its pod
  assert.ok(!JSON.stringify(pod).includes(ENGINE_SOCKET_DIR));
  assert.equal(docs(m, "runner-config.yaml")[0].metadata.name, "ci-runner-config");
  assert.match(
    m.files.find((f) => f.file.endsWith("/runner.yaml"))!.text,
    /kubectl create secret generic dagger-token -n gitlab-runner --from-literal=runner-token=glrt-\.\.\./,
  );
});

test("the settings: defaults, versions without v, and each wrong one said", () => {
  const s = runnerSettings({
    engineVersion: "0.21.9",
    gitlabUrl: "https://gitlab.example.com//",
    folder: "./k8s//dagger/",
  });
  assert.ok(!("error" in s));
  assert.deepEqual([s.engineVersion, s.gitlabUrl, s.folder], ["v0.21.9", "https://gitlab.example.com", "k8s/dagger"]);
  const d = runnerSettings();
  assert.ok(!("error" in d));
  assert.deepEqual(
    [d.engineVersion, d.namespace, d.engineNamespace, d.nodeLabel, d.folder],
    [DEFAULT_ENGINE_VERSION, "gitlab-runner", "dagger", "dagger-node", RUNNER_FOLDER],
  );
  const error = (o: object) => (runnerSettings(o) as { error?: string }).error;
  assert.equal(error({ namespace: "CI" }), 'the namespace "CI" is not a Kubernetes name (a DNS label)');
  assert.equal(error({ nodeLabel: "a b" }), 'the node label "a b" is not a Kubernetes label key');
  assert.equal(
    error({ gitlabUrl: "gitlab.com" }),
    'the GitLab URL "gitlab.com" is not an address like https://gitlab.example.com',
  );
  assert.equal(error({ engineVersion: "latest" }), 'the engine version "vlatest" is not a Dagger release like v0.21.9');
  assert.equal(error({ concurrent: 0 }), "concurrent must be a whole number of jobs, at least 1, not 0");
  assert.equal(error({ runnerImage: "a b" }), 'the runner image "a b" is not an image reference');
  for (const folder of ["../out", "/etc", "a/../../b", "", ".", "C:\\x"])
    assert.equal(error({ folder }), `the folder "${folder}" is not a folder inside the project`, folder);
  assert.equal(projectFolder("a\\b/./c"), "a/b/c");
});

const FILES = {
  ".gitlab-ci.yml": y("build:", "  script: [make]"),
  "dagger.json": JSON.stringify({ name: "ci", engineVersion: "v0.19.2", sdk: "typescript" }),
};

test("the Workspace: pinned to dagger.json, each file new, the same, or replacing another text", () => {
  const host = new MemoryHost({ ...FILES });
  const ws = new Workspace({ files: host });
  const first = ws.daggerKubernetesRunner();
  assert.ok(!("error" in first));
  assert.equal(first.settings.engineVersion, "v0.19.2");
  assert.deepEqual(
    first.files.map((f) => f.status),
    ["new", "new", "new", "new", "new"],
  );
  assert.equal(first.title, "Write the Dagger Kubernetes runner manifests in .gitlab/dagger/kubernetes");
  const [namespaces, engine] = first.files;
  ws.setDocument(namespaces.file, namespaces.text);
  ws.setDocument(engine.file, "old\ntext");
  const again = ws.daggerKubernetesRunner();
  assert.ok(!("error" in again));
  assert.deepEqual(
    again.files.map((f) => [f.status, f.range ?? null]),
    [
      ["same", null],
      ["replaces", { start: { line: 0, character: 0 }, end: { line: 1, character: 4 } }],
      ["new", null],
      ["new", null],
      ["new", null],
    ],
  );
  assert.match(
    again.description,
    /Replaces \.gitlab\/dagger\/kubernetes\/dagger-engine\.yaml, which says something else\.$/,
  );
  // the project's GitLab instance is the runner's
  const configured = new Workspace({
    files: new MemoryHost({ ...FILES, ".pipewright.yml": "gitlabUrl: https://gl.example.org\n" }),
  });
  const withUrl = configured.daggerKubernetesRunner();
  assert.ok(!("error" in withUrl));
  assert.equal(withUrl.settings.gitlabUrl, "https://gl.example.org");
  assert.deepEqual(ws.daggerKubernetesRunner({ folder: "../up" }), {
    error: 'the folder "../up" is not a folder inside the project',
  });
});

// ---- the language server's command, in process

process.env.PIPEWRIGHT_CACHE_DIR = "off";

interface ApplyEdit {
  label?: string;
  edit: {
    documentChanges: Array<{
      kind?: string;
      uri?: string;
      annotationId?: string;
      textDocument?: { uri: string };
      edits?: Array<{ range: unknown; newText: string; annotationId?: string }>;
    }>;
    changeAnnotations?: Record<string, { label: string; needsConfirmation: boolean; description?: string }>;
  };
}

async function runCommand(dir: string, workspaceEdit: object, applied = true) {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  startServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)));
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const edits: ApplyEdit[] = [];
  client.onRequest("workspace/applyEdit", (p: ApplyEdit) => {
    edits.push(p);
    return { applied };
  });
  client.listen();
  try {
    const init = await client.sendRequest<{ capabilities: { executeCommandProvider?: { commands: string[] } } }>(
      "initialize",
      { processId: null, rootUri: pathToFileURL(dir).href, capabilities: { workspace: { workspaceEdit } } },
    );
    client.sendNotification("initialized", {});
    const result = await client.sendRequest<Doc>("workspace/executeCommand", {
      command: WRITE_RUNNER_COMMAND,
      arguments: [{ uri: pathToFileURL(path.join(dir, ".gitlab-ci.yml")).href, namespace: "ci", concurrent: "x" }],
    });
    return { result, edits, commands: init.capabilities.executeCommandProvider?.commands };
  } finally {
    await client.sendRequest("shutdown").catch(() => undefined);
    client.dispose();
  }
}

function tempProject(t: TestContext, files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pw-dagger-runner-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

test("the server's command: one edit of the files, every change to be confirmed, replacements apart", async (t) => {
  const m = manifests({ engineVersion: "v0.19.2", namespace: "ci" });
  const engineFile = `${RUNNER_FOLDER}/dagger-engine.yaml`;
  const dir = tempProject(t, {
    ...FILES,
    [`${RUNNER_FOLDER}/namespaces.yaml`]: m.files[0].text,
    [engineFile]: "kind: DaemonSet\n",
  });
  const uri = (f: string) => pathToFileURL(path.join(dir, f)).href;
  const full = { documentChanges: true, resourceOperations: ["create"], changeAnnotationSupport: {} };
  const { result, edits, commands } = await runCommand(dir, full);
  assert.deepEqual(commands, [WRITE_RUNNER_COMMAND]);
  assert.deepEqual(result, {
    applied: true,
    folder: RUNNER_FOLDER,
    files: [
      { file: `${RUNNER_FOLDER}/namespaces.yaml`, status: "same" },
      { file: engineFile, status: "replaces" },
      { file: `${RUNNER_FOLDER}/runner-config.yaml`, status: "new" },
      { file: `${RUNNER_FOLDER}/runner.yaml`, status: "new" },
      { file: `${RUNNER_FOLDER}/kustomization.yaml`, status: "new" },
    ],
    kept: [],
  });
  assert.equal(edits.length, 1);
  const { label, edit } = edits[0];
  assert.equal(label, "Write the Dagger Kubernetes runner manifests in .gitlab/dagger/kubernetes");
  assert.deepEqual(Object.keys(edit.changeAnnotations!), ["pipewright.runner.new", "pipewright.runner.replace"]);
  assert.deepEqual(
    Object.values(edit.changeAnnotations!).map((a) => [a.label, a.needsConfirmation]),
    [
      ["Write the Dagger Kubernetes runner manifests in .gitlab/dagger/kubernetes", true],
      [`Replace ${engineFile}`, true],
    ],
  );
  assert.match(edit.changeAnnotations!["pipewright.runner.new"].description!, /^The Dagger Engine v0\.19\.2 on nodes/);
  const shown = edit.documentChanges.map((c) =>
    c.kind === "create"
      ? ["create", c.uri, c.annotationId]
      : ["edit", c.textDocument!.uri, c.edits!.map((e) => [e.range, e.annotationId])],
  );
  const start = { line: 0, character: 0 };
  assert.deepEqual(shown, [
    ["edit", uri(engineFile), [[{ start, end: { line: 1, character: 0 } }, "pipewright.runner.replace"]]],
    ["create", uri(`${RUNNER_FOLDER}/runner-config.yaml`), "pipewright.runner.new"],
    ["edit", uri(`${RUNNER_FOLDER}/runner-config.yaml`), [[{ start, end: start }, "pipewright.runner.new"]]],
    ["create", uri(`${RUNNER_FOLDER}/runner.yaml`), "pipewright.runner.new"],
    ["edit", uri(`${RUNNER_FOLDER}/runner.yaml`), [[{ start, end: start }, "pipewright.runner.new"]]],
    ["create", uri(`${RUNNER_FOLDER}/kustomization.yaml`), "pipewright.runner.new"],
    ["edit", uri(`${RUNNER_FOLDER}/kustomization.yaml`), [[{ start, end: start }, "pipewright.runner.new"]]],
  ]);
  // the texts are the documents', with the command's settings (a wrong-typed one ignored)
  const texts = edit.documentChanges.filter((c) => c.textDocument).map((c) => c.edits![0].newText);
  assert.deepEqual(texts, [m.files[1].text, m.files[2].text, m.files[3].text, m.files[4].text]);
  // the server wrote nothing itself
  assert.equal(fs.readFileSync(path.join(dir, engineFile), "utf8"), "kind: DaemonSet\n");
  assert.ok(!fs.existsSync(path.join(dir, RUNNER_FOLDER, "runner.yaml")));
});

test("the server's command without previews keeps the files that differ; says when it cannot create", async (t) => {
  const dir = tempProject(t, { ...FILES, [`${RUNNER_FOLDER}/runner.yaml`]: "# mine\n" });
  const plain = await runCommand(dir, { documentChanges: true, resourceOperations: ["create"] }, false);
  assert.deepEqual(plain.result.kept, [`${RUNNER_FOLDER}/runner.yaml`]);
  assert.equal(plain.result.applied, false);
  const { edit } = plain.edits[0];
  assert.equal(edit.changeAnnotations, undefined);
  assert.deepEqual(
    edit.documentChanges.filter((c) => c.kind === "create").map((c) => path.basename(c.uri!)),
    ["namespaces.yaml", "dagger-engine.yaml", "runner-config.yaml", "kustomization.yaml"],
  );
  assert.ok(edit.documentChanges.every((c) => !c.textDocument?.uri.endsWith("/runner.yaml")));
  const none = await runCommand(dir, {});
  assert.deepEqual(none.result, {
    error: "this editor cannot create files for a language server; pipewright dagger runner writes them",
  });
  assert.deepEqual(none.edits, []);
});

// ---- pipewright dagger runner

const cli = path.resolve(__dirname, "..", "..", "dist", "cli.js");
const run = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, [cli, "dagger", "runner", ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });

test("pipewright dagger runner writes the documents, checks them, and replaces only with --force", (t) => {
  const dir = tempProject(t, FILES);
  const folder = path.join(dir, RUNNER_FOLDER);
  const check = run(dir, "--check");
  assert.equal(check.status, 1);
  assert.equal(
    check.stdout,
    m5((f) => `${RUNNER_FOLDER}/${f}: missing\n`),
  );
  const written = run(dir, "--gitlab-url", "https://gitlab.example.com");
  assert.equal(written.status, 0, written.stderr);
  assert.equal(
    written.stdout,
    m5((f) => `created ${RUNNER_FOLDER}/${f}\n`),
  );
  assert.equal(
    written.stderr,
    "Next: create the runner in GitLab with the tag dagger-node, store its token as the Secret gitlab-runner-token " +
      "(runner.yaml says how), then kubectl apply -k .gitlab/dagger/kubernetes\n",
  );
  const expected = manifests({ engineVersion: "v0.19.2", gitlabUrl: "https://gitlab.example.com" });
  for (const f of expected.files) assert.equal(fs.readFileSync(path.join(dir, f.file), "utf8"), f.text, f.file);
  assert.equal(run(dir, "--check", "--gitlab-url", "https://gitlab.example.com").status, 0);
  // dagger.json moves on: the engine is out of date, and a changed setting is not written over without --force
  fs.writeFileSync(path.join(dir, "dagger.json"), JSON.stringify({ name: "ci", engineVersion: "v0.21.9" }));
  const stale = run(dir, "--check", "--gitlab-url", "https://gitlab.example.com");
  assert.equal(stale.stdout, `${RUNNER_FOLDER}/dagger-engine.yaml: out of date\n`);
  const refused = run(dir);
  assert.equal(refused.status, 1);
  assert.equal(
    refused.stdout,
    `${RUNNER_FOLDER}/dagger-engine.yaml: says something else; not replaced\n` +
      `${RUNNER_FOLDER}/runner.yaml: says something else; not replaced\n`,
  );
  assert.equal(refused.stderr, "nothing written: 2 files would be replaced; --force replaces them\n");
  assert.match(fs.readFileSync(path.join(folder, "dagger-engine.yaml"), "utf8"), /engine:v0\.19\.2/);
  const forced = run(dir, "--force");
  assert.equal(forced.status, 0);
  assert.match(forced.stdout, /^unchanged .*namespaces\.yaml\nreplaced .*dagger-engine\.yaml\n/);
  assert.match(fs.readFileSync(path.join(folder, "dagger-engine.yaml"), "utf8"), /engine:v0\.21\.9/);
});

function m5(line: (file: string) => string): string {
  return ["namespaces", "dagger-engine", "runner-config", "runner", "kustomization"]
    .map((f) => line(`${f}.yaml`))
    .join("");
}

test("pipewright dagger runner never writes outside the project: not through .., nor through a link", (t) => {
  const dir = tempProject(t, FILES);
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), "pw-dagger-outside-"));
  t.after(() => fs.rmSync(outside, { recursive: true, force: true }));
  const up = run(dir, "--out", "../k8s");
  assert.equal(up.status, 2);
  assert.equal(up.stderr, 'pipewright: the folder "../k8s" is not a folder inside the project\n');
  fs.symlinkSync(outside, path.join(dir, "deploy"));
  const linked = run(dir, "--out", "deploy/k8s");
  assert.equal(linked.status, 2);
  assert.equal(linked.stderr, "pipewright: deploy/k8s leads out of the project through a link\n");
  fs.mkdirSync(path.join(dir, "k8s"));
  fs.symlinkSync(path.join(outside, "nowhere.yaml"), path.join(dir, "k8s", "runner.yaml"));
  const dangling = run(dir, "--out", "k8s");
  assert.equal(dangling.status, 2);
  assert.equal(dangling.stderr, "pipewright: k8s/runner.yaml is a link or not a file; nothing written\n");
  assert.deepEqual(fs.readdirSync(outside), []);
  assert.deepEqual(fs.readdirSync(path.join(dir, "k8s")), ["runner.yaml"]);
  // the command's usage errors
  const wrong = spawnSync(process.execPath, [cli, "dagger", "nope"], { cwd: dir, encoding: "utf8" });
  assert.equal(wrong.status, 2);
  assert.match(wrong.stderr, /^pipewright: unknown dagger command "nope"\n\nusage:\n {2}pipewright dagger runner /);
  const both = run(dir, "--force", "--check");
  assert.match(both.stderr, /^pipewright: --force and --check contradict each other\n/);
  const elsewhere = spawnSync(process.execPath, [cli, "check", "--namespace", "x"], { cwd: dir, encoding: "utf8" });
  assert.match(elsewhere.stderr, /^pipewright: --namespace is an option of pipewright dagger runner\n/);
});
