import { DAGGER_NODE } from "./convert";
import { DEFAULT_ENGINE_VERSION } from "./module";

// The runner side of "Convert job to Dagger Function" on the Kubernetes executor: the Kubernetes documents
// that give converted jobs what their `.dagger` set-up (convert.ts setupJobText) expects. Jobs ask for the
// runner tag `dagger-node`, run `alpine` with the Dagger CLI pinned to the module's engine version, and
// reach an engine through `_EXPERIMENTAL_DAGGER_RUNNER_HOST=unix:///var/run/dagger/engine.sock`. So:
//
// - a Dagger Engine DaemonSet, of that version, on the nodes labelled and tainted for Dagger, serving its
//   socket in a directory of the node (hostPath);
// - GitLab Runner's configuration in a ConfigMap: the Kubernetes executor, privileged job pods scheduled
//   only on those nodes (node_selector, node_tolerations), the node's socket directory mounted where the
//   jobs look for it (a host_path volume);
// - the runner manager: a Deployment that registers with the runner authentication token from a Secret
//   (`gitlab-runner register --template-config`, GitLab's way to register with settings `register` has no
//   flag for) and then runs, with the ServiceAccount and Role the Kubernetes executor needs.
//
// A runner's tags are not in config.toml: with runner authentication tokens they are set where the runner is
// created in GitLab (UI or API), so the documents say to create it with the tag `dagger-node`. The manager
// does not mount the engine socket itself: it runs no job, each job pod gets the socket from config.toml.
// Pure: text in, text out; the caller writes the files.

/** Where the documents go in the project, by default. */
export const RUNNER_FOLDER = ".gitlab/dagger/kubernetes";
/** The node directory the engine serves its socket in; mounted at the same path in job pods. */
export const ENGINE_SOCKET_DIR = "/var/run/dagger";
/** The socket the jobs' `_EXPERIMENTAL_DAGGER_RUNNER_HOST` names (convert.ts setupJobText). */
export const ENGINE_SOCKET = `${ENGINE_SOCKET_DIR}/engine.sock`;
/** Where the engine container listens: its image's own default address, in the directory mounted from the node. */
const ENGINE_LISTEN_DIR = "/run/dagger";
/** The GitLab Runner image of the manager; `runnerImage` chooses another (GitLab advises the instance's version). */
export const DEFAULT_RUNNER_IMAGE = "gitlab/gitlab-runner:v18.11.0";
/** The image of job pods that name none; the `.dagger` set-up job names its own. */
const JOB_IMAGE = "alpine:3.20";

export interface RunnerOptions {
  /** Namespace of the runner manager and of the job pods (default gitlab-runner). */
  readonly namespace?: string;
  /** Namespace of the Dagger Engine DaemonSet (default dagger). */
  readonly engineNamespace?: string;
  /** Key of the node label and taint (`KEY=true`, `KEY=true:NoSchedule`) of the Dagger nodes (default dagger-node). */
  readonly nodeLabel?: string;
  /** The runner's name, also of its Deployment, ServiceAccount, Role and ConfigMap (default dagger-runner). */
  readonly name?: string;
  /** The GitLab instance the runner registers with (default https://gitlab.com). */
  readonly gitlabUrl?: string;
  /** The Secret holding the runner authentication token under `runner-token` (default gitlab-runner-token). */
  readonly tokenSecret?: string;
  /** The engine version, as dagger.json's engineVersion (default DEFAULT_ENGINE_VERSION). */
  readonly engineVersion?: string;
  /** The gitlab-runner image of the manager (default DEFAULT_RUNNER_IMAGE). */
  readonly runnerImage?: string;
  /** Jobs the runner runs at once (config.toml `concurrent`, default 10). */
  readonly concurrent?: number;
  /** Project-relative folder of the documents (default RUNNER_FOLDER). */
  readonly folder?: string;
}

/** The options with every default filled in. */
export type RunnerSettings = Required<RunnerOptions>;

export interface RunnerManifests {
  readonly settings: RunnerSettings;
  /** The runner tag the converted jobs ask for, to create the runner with in GitLab. */
  readonly tag: string;
  /** Project-relative path → text, in the order `kubectl apply -k` wants them listed. */
  readonly files: ReadonlyArray<{ readonly file: string; readonly text: string }>;
}

/** The key of the runner token in its Secret. */
export const TOKEN_KEY = "runner-token";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A Kubernetes label key: `name` or `prefix/name`, the prefix a DNS subdomain. */
function isLabelKey(key: string): boolean {
  const slash = key.indexOf("/");
  if (slash < 0) return LABEL_NAME.test(key);
  const prefix = key.slice(0, slash);
  return prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix) && LABEL_NAME.test(key.slice(slash + 1));
}

/** A project-relative folder, `/`-separated and normalised; undefined when empty, absolute or leaving the project. */
export function projectFolder(folder: string): string | undefined {
  const parts: string[] = [];
  if (/^([A-Za-z]:)?[\\/]/.test(folder)) return undefined;
  for (const part of folder.split(/[\\/]+/)) {
    if (part === "" || part === ".") continue;
    if (part === "..") return undefined;
    parts.push(part);
  }
  return parts.length ? parts.join("/") : undefined;
}

/** The options with their defaults, or what is wrong with them. */
export function runnerSettings(options: RunnerOptions = {}): RunnerSettings | { readonly error: string } {
  const version = options.engineVersion ?? DEFAULT_ENGINE_VERSION;
  const s: RunnerSettings = {
    namespace: options.namespace ?? "gitlab-runner",
    engineNamespace: options.engineNamespace ?? "dagger",
    nodeLabel: options.nodeLabel ?? DAGGER_NODE,
    name: options.name ?? "dagger-runner",
    gitlabUrl: (options.gitlabUrl ?? "https://gitlab.com").replace(/\/+$/, ""),
    tokenSecret: options.tokenSecret ?? "gitlab-runner-token",
    engineVersion: version.startsWith("v") ? version : `v${version}`,
    runnerImage: options.runnerImage ?? DEFAULT_RUNNER_IMAGE,
    concurrent: options.concurrent ?? 10,
    folder: options.folder ?? RUNNER_FOLDER,
  };
  for (const [what, value] of [
    ["namespace", s.namespace],
    ["engine namespace", s.engineNamespace],
    ["name", s.name],
  ] as const)
    if (!DNS_LABEL.test(value)) return { error: `the ${what} "${value}" is not a Kubernetes name (a DNS label)` };
  if (!DNS_SUBDOMAIN.test(s.tokenSecret) || s.tokenSecret.length > 253)
    return { error: `the Secret name "${s.tokenSecret}" is not a Kubernetes name` };
  if (!isLabelKey(s.nodeLabel)) return { error: `the node label "${s.nodeLabel}" is not a Kubernetes label key` };
  if (!/^https?:\/\/[^\s/"'\\]+(\/[^\s"'\\]*)?$/.test(s.gitlabUrl))
    return { error: `the GitLab URL "${s.gitlabUrl}" is not an address like https://gitlab.example.com` };
  if (!/^v\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(s.engineVersion))
    return { error: `the engine version "${s.engineVersion}" is not a Dagger release like ${DEFAULT_ENGINE_VERSION}` };
  if (!/^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/.test(s.runnerImage))
    return { error: `the runner image "${s.runnerImage}" is not an image reference` };
  if (!Number.isInteger(s.concurrent) || s.concurrent < 1)
    return { error: `concurrent must be a whole number of jobs, at least 1, not ${s.concurrent}` };
  const folder = projectFolder(s.folder);
  if (folder === undefined) return { error: `the folder "${s.folder}" is not a folder inside the project` };
  return { ...s, folder };
}

/** A string in YAML or TOML, double-quoted (JSON's escapes are both languages'). */
const q = (s: string) => JSON.stringify(s);

/** Lines indented by `n` spaces (empty lines stay empty). */
const indent = (n: number, text: string) =>
  text
    .split("\n")
    .map((l) => (l ? " ".repeat(n) + l : l))
    .join("\n");

/** The Kubernetes documents of the runner side, or what is wrong with the options. */
export function kubernetesRunner(options: RunnerOptions = {}): RunnerManifests | { readonly error: string } {
  const s = runnerSettings(options);
  if ("error" in s) return s;
  const files = [
    { file: "namespaces.yaml", text: namespacesText(s) },
    { file: "dagger-engine.yaml", text: engineText(s) },
    { file: "runner-config.yaml", text: runnerConfigText(s) },
    { file: "runner.yaml", text: runnerText(s) },
  ];
  const kustomization = [
    `# Applies the runner side of the Dagger jobs: kubectl apply -k ${s.folder}`,
    "apiVersion: kustomize.config.k8s.io/v1beta1",
    "kind: Kustomization",
    "resources:",
    ...files.map((f) => `  - ${f.file}`),
    "",
  ].join("\n");
  return {
    settings: s,
    tag: DAGGER_NODE,
    files: [...files, { file: "kustomization.yaml", text: kustomization }].map((f) => ({
      file: `${s.folder}/${f.file}`,
      text: f.text,
    })),
  };
}

function namespacesText(s: RunnerSettings): string {
  const names = [...new Set([s.engineNamespace, s.namespace])];
  const docs = names.map((name) =>
    [
      "apiVersion: v1",
      "kind: Namespace",
      "metadata:",
      `  name: ${name}`,
      "  labels:",
      "    pod-security.kubernetes.io/enforce: privileged",
    ].join("\n"),
  );
  return [
    "# The Dagger Engine runs privileged, and so do the jobs, which mount its socket from the node: both",
    "# namespaces allow privileged pods (Pod Security Admission).",
    docs.join("\n---\n"),
    "",
  ].join("\n");
}

/** The node selector and toleration of Dagger nodes, as pod spec YAML (at the pod spec's indentation). */
function placement(s: RunnerSettings): string {
  return [
    "nodeSelector:",
    `  ${s.nodeLabel}: "true"`,
    "tolerations:",
    `  - key: ${s.nodeLabel}`,
    "    operator: Equal",
    '    value: "true"',
    "    effect: NoSchedule",
  ].join("\n");
}

function engineText(s: RunnerSettings): string {
  const labels = ["app.kubernetes.io/name: dagger-engine", `app.kubernetes.io/version: ${q(s.engineVersion)}`];
  const listen = `unix://${ENGINE_LISTEN_DIR}/engine.sock`;
  return [
    `# One Dagger Engine ${s.engineVersion} on each Dagger node: the version of dagger.json's engineVersion, which the`,
    "# jobs' .dagger set-up pins the CLI to (DAGGER_VERSION), so CLI and engine match. Mark the nodes for it:",
    `#   kubectl label node NODE ${s.nodeLabel}=true`,
    `#   kubectl taint node NODE ${s.nodeLabel}=true:NoSchedule`,
    `# The engine serves its socket in the node's ${ENGINE_SOCKET_DIR}; job pods mount that folder`,
    `# (runner-config.yaml) and reach it as unix://${ENGINE_SOCKET}. Its cache stays in the node's /var/lib/dagger.`,
    "apiVersion: apps/v1",
    "kind: DaemonSet",
    "metadata:",
    "  name: dagger-engine",
    `  namespace: ${s.engineNamespace}`,
    "  labels:",
    indent(4, labels.join("\n")),
    "spec:",
    "  selector:",
    "    matchLabels:",
    "      app.kubernetes.io/name: dagger-engine",
    "  template:",
    "    metadata:",
    "      labels:",
    indent(8, labels.join("\n")),
    "    spec:",
    indent(6, placement(s)),
    "      # time to finish the operations in flight",
    "      terminationGracePeriodSeconds: 300",
    "      containers:",
    "        - name: dagger-engine",
    `          image: registry.dagger.io/engine:${s.engineVersion}`,
    `          args: ["--addr", ${q(listen)}]`,
    "          env:",
    "            # for the readiness probe's dagger CLI",
    "            - name: _EXPERIMENTAL_DAGGER_RUNNER_HOST",
    `              value: ${q(listen)}`,
    "          securityContext:",
    "            privileged: true",
    "          readinessProbe:",
    "            exec:",
    '              command: ["dagger", "core", "version"]',
    "            initialDelaySeconds: 5",
    "            periodSeconds: 15",
    "            timeoutSeconds: 14",
    "            failureThreshold: 10",
    "          volumeMounts:",
    "            - name: dagger-state",
    "              mountPath: /var/lib/dagger",
    "            - name: dagger-socket",
    `              mountPath: ${ENGINE_LISTEN_DIR}`,
    "      volumes:",
    "        - name: dagger-state",
    "          hostPath:",
    "            path: /var/lib/dagger",
    "            type: DirectoryOrCreate",
    "        - name: dagger-socket",
    "          hostPath:",
    `            path: ${ENGINE_SOCKET_DIR}`,
    "            type: DirectoryOrCreate",
    "",
  ].join("\n");
}

/** config.toml's global settings: the part `gitlab-runner register` keeps and adds the runner to. */
function globalToml(s: RunnerSettings): string {
  return [`concurrent = ${s.concurrent}`, "check_interval = 3", "shutdown_timeout = 0", ""].join("\n");
}

/** The runner's section, which `gitlab-runner register --template-config` completes with the URL and token. */
function runnerToml(s: RunnerSettings): string {
  return [
    "[[runners]]",
    `  name = ${q(DAGGER_NODE)}`,
    '  executor = "kubernetes"',
    "  [runners.kubernetes]",
    `    namespace = ${q(s.namespace)}`,
    `    image = ${q(JOB_IMAGE)}`,
    "    privileged = true",
    "    # job pods only on the Dagger nodes, where the engine runs",
    "    [runners.kubernetes.node_selector]",
    `      ${q(s.nodeLabel)} = "true"`,
    "    [runners.kubernetes.node_tolerations]",
    `      ${q(`${s.nodeLabel}=true`)} = "NoSchedule"`,
    "    # the node's engine socket, where the jobs' _EXPERIMENTAL_DAGGER_RUNNER_HOST looks for it",
    "    [[runners.kubernetes.volumes.host_path]]",
    '      name = "dagger-socket"',
    `      mount_path = ${q(ENGINE_SOCKET_DIR)}`,
    `      host_path = ${q(ENGINE_SOCKET_DIR)}`,
    "",
  ].join("\n");
}

function runnerConfigText(s: RunnerSettings): string {
  return [
    `# GitLab Runner's configuration of the ${DAGGER_NODE} runner. config.toml holds the global settings;`,
    "# config.template.toml the runner: the Kubernetes executor, privileged job pods on the Dagger nodes only,",
    `# with the node's engine socket folder mounted at ${ENGINE_SOCKET_DIR}. At start the manager (runner.yaml)`,
    "# registers with the template, which adds the GitLab URL and the token from the Secret. The runner's tag",
    `# (${DAGGER_NODE}) is not set here: it is the runner's in GitLab, given when the runner is created there.`,
    "# After changing this file: kubectl apply, then kubectl rollout restart deployment " +
      `${s.name} -n ${s.namespace}.`,
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata:",
    `  name: ${s.name}-config`,
    `  namespace: ${s.namespace}`,
    "data:",
    "  config.toml: |",
    indent(4, globalToml(s)).trimEnd(),
    "  config.template.toml: |",
    indent(4, runnerToml(s)).trimEnd(),
    "",
  ].join("\n");
}

/** What the Kubernetes executor does through the API, as GitLab Runner's documentation lists it. */
const RULES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ["events", ["list", "watch"]],
  ["pods", ["create", "delete", "get", "list", "watch"]],
  ["pods/attach", ["create", "delete", "get", "patch"]],
  ["pods/exec", ["create", "delete", "get", "patch"]],
  ["pods/log", ["get", "list"]],
  ["secrets", ["create", "delete", "get", "update"]],
  ["serviceaccounts", ["get"]],
  ["services", ["create", "get"]],
];

function runnerText(s: RunnerSettings): string {
  const meta = (kind: string, name = s.name) =>
    [`kind: ${kind}`, "metadata:", `  name: ${name}`, `  namespace: ${s.namespace}`].join("\n");
  const config = "/etc/gitlab-runner/config.toml";
  const register = [
    `cp /config-source/config.toml ${config}`,
    `&& gitlab-runner register --non-interactive --config ${config}`,
    "--template-config /config-source/config.template.toml --executor kubernetes",
  ];
  return [
    "# The runner manager: it registers at start (an init container runs gitlab-runner register with the token",
    "# from the Secret) and creates one pod per job through the Kubernetes API. Before applying:",
    `# 1. Create the runner in GitLab with the tag ${DAGGER_NODE} and "Run untagged jobs" off (Settings > CI/CD >`,
    "#    Runners > New project runner, or a group or instance runner): converted jobs ask for that tag, and a",
    "#    runner's tags are set where it is created, not in config.toml. GitLab shows its token (glrt-...).",
    `# 2. kubectl create secret generic ${s.tokenSecret} -n ${s.namespace} --from-literal=${TOKEN_KEY}=glrt-...`,
    "apiVersion: v1",
    meta("ServiceAccount"),
    "---",
    "apiVersion: rbac.authorization.k8s.io/v1",
    meta("Role"),
    "rules:",
    ...RULES.flatMap(([resource, verbs]) => [
      '  - apiGroups: [""]',
      `    resources: [${q(resource)}]`,
      `    verbs: [${verbs.map(q).join(", ")}]`,
    ]),
    "---",
    "apiVersion: rbac.authorization.k8s.io/v1",
    meta("RoleBinding"),
    "subjects:",
    "  - kind: ServiceAccount",
    `    name: ${s.name}`,
    `    namespace: ${s.namespace}`,
    "roleRef:",
    "  apiGroup: rbac.authorization.k8s.io",
    "  kind: Role",
    `  name: ${s.name}`,
    "---",
    "apiVersion: apps/v1",
    meta("Deployment"),
    "spec:",
    "  replicas: 1",
    "  selector:",
    "    matchLabels:",
    `      app.kubernetes.io/name: ${s.name}`,
    "  template:",
    "    metadata:",
    "      labels:",
    `        app.kubernetes.io/name: ${s.name}`,
    "    spec:",
    `      serviceAccountName: ${s.name}`,
    "      initContainers:",
    "        - name: register",
    `          image: ${s.runnerImage}`,
    '          command: ["sh", "-c"]',
    "          args:",
    "            - >-",
    indent(14, register.join("\n")),
    "          env:",
    "            - name: CI_SERVER_URL",
    `              value: ${q(s.gitlabUrl)}`,
    "            - name: CI_SERVER_TOKEN",
    "              valueFrom:",
    "                secretKeyRef:",
    `                  name: ${s.tokenSecret}`,
    `                  key: ${TOKEN_KEY}`,
    "          volumeMounts:",
    "            - name: config-source",
    "              mountPath: /config-source",
    "              readOnly: true",
    "            - name: config",
    "              mountPath: /etc/gitlab-runner",
    "      containers:",
    "        - name: gitlab-runner",
    `          image: ${s.runnerImage}`,
    `          args: ["run", "--config", ${q(config)}]`,
    "          volumeMounts:",
    "            - name: config",
    "              mountPath: /etc/gitlab-runner",
    "      volumes:",
    "        - name: config-source",
    "          configMap:",
    `            name: ${s.name}-config`,
    "        # the registered config.toml holds the token: in memory, not on the node's disk",
    "        - name: config",
    "          emptyDir:",
    "            medium: Memory",
    "",
  ].join("\n");
}
