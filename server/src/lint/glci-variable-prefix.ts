import type { Model } from "../engine/engine";
import type { Diagnostic, Fix, Src, TextEdit } from "../engine/types";
import { PREDEFINED_VARIABLES } from "../gitlab/predefined-variables";
import { definedVariables, variableUses, type VariableSite } from "../model/variables";
import type { LintRule } from "./rule";

// Since March 2025 variables that only the monolith's CI reads take the GLCI_ prefix, so one can
// tell them from product variables (GITLAB_) and predefined ones (CI_). Old names stay: the rule
// judges names that are new since the git baseline, unless a project asks for "all".

const ID = "glci-variable-prefix";
const PREFIX = "GLCI_";

export type GlciMode = "off" | "new" | "all";

/**
 * Names other programs read, so renaming them would break the job: runner settings, container
 * images' environment, language tool chains, security templates. `*` ends a prefix.
 */
export const WELL_KNOWN_VARIABLES: readonly string[] = [
  "CI_*",
  "GITLAB_*",
  "GLCI_*",
  "FF_*",
  // runner: how it fetches, caches and runs the job
  "GIT_*",
  "GET_SOURCES_ATTEMPTS",
  "ARTIFACT_DOWNLOAD_ATTEMPTS",
  "RESTORE_CACHE_ATTEMPTS",
  "EXECUTOR_JOB_SECTION_ATTEMPTS",
  "TRANSFER_METER_FREQUENCY",
  "CACHE_*",
  "ARTIFACT_*",
  "KUBERNETES_*",
  "RUNNER_*",
  "SCRIPT_SECTION_*",
  // Docker, Kubernetes and clouds
  "DOCKER_*",
  "BUILDKIT_*",
  "BUILDX_*",
  "COMPOSE_*",
  "KUBECONFIG",
  "HELM_*",
  "AWS_*",
  "GOOGLE_*",
  "GCLOUD_*",
  "GCP_*",
  "AZURE_*",
  "CLOUDSDK_*",
  "VAULT_*",
  "DAGGER_*",
  "_EXPERIMENTAL_DAGGER_*",
  // languages and package managers
  "BUNDLE_*",
  "BUNDLER_*",
  "GEM_*",
  "RUBY*",
  "RUBYOPT",
  "RAILS_*",
  "RACK_*",
  "NODE_*",
  "NPM_*",
  "YARN_*",
  "PNPM_*",
  "COREPACK_*",
  "GO*",
  "CGO_*",
  "PYTHON*",
  "PIP_*",
  "POETRY_*",
  "UV_*",
  "VIRTUAL_ENV",
  "JAVA_*",
  "MAVEN_*",
  "GRADLE_*",
  "CARGO_*",
  "RUST*",
  "CC",
  "CXX",
  "CFLAGS",
  "CXXFLAGS",
  "LDFLAGS",
  "PKG_CONFIG_PATH",
  "MAKEFLAGS",
  "MESON_*",
  "CCACHE_*",
  // services' images read these
  "POSTGRES_*",
  "PG*",
  "MYSQL_*",
  "REDIS_*",
  "ELASTIC_*",
  "ES_JAVA_OPTS",
  "MINIO_*",
  "CHROME_*",
  "SELENIUM_*",
  // security and quality templates
  "SAST_*",
  "DS_*",
  "SECURE_*",
  "SECRET_DETECTION_*",
  "CS_*",
  "DAST_*",
  "CODE_QUALITY_*",
  "LICENSE_*",
  // the shell and the system
  "HOME",
  "PATH",
  "LANG",
  "LANGUAGE",
  "LC_*",
  "TZ",
  "TERM",
  "USER",
  "SHELL",
  "DEBIAN_FRONTEND",
  "TMPDIR",
  "FORCE_COLOR",
  "NO_COLOR",
  "CLICOLOR*",
  "MSYSTEM",
  "CHERE_INVOKING",
  "FDO_*",
  "G_DEBUG",
  "G_MESSAGES_DEBUG",
  "G_SLICE",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "SSL_CERT_*",
  "SSH_*",
  "GPG_*",
];

function matches(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => (p.endsWith("*") ? name.startsWith(p.slice(0, -1)) : name === p));
}

function modeOf(model: Model, option: unknown): GlciMode {
  if (option === "off" || option === "new" || option === "all") return option;
  // Only projects that adopted the convention get it by default.
  for (const f of model.files.values()) if (namesGlciVariable(f.text)) return "new";
  return "off";
}

/**
 * Whether a text uses or defines a GLCI_ variable: `$GLCI_X`, `${GLCI_X}`, `%GLCI_X%`, or a key
 * `GLCI_X` at the start of a line. A scan from each `GLCI_`, in linear time: the regular expression
 * it replaces (`^\s*GLCI_` with /m) took minutes on a file with a long run of blank lines.
 */
export function namesGlciVariable(text: string): boolean {
  for (let at = text.indexOf("GLCI_"); at >= 0; at = text.indexOf("GLCI_", at + 1)) {
    if (!/[A-Za-z0-9_]/.test(text[at + 5] ?? "")) continue;
    const before = text[at - 1];
    if (before === "$" || before === "%" || (before === "{" && text[at - 2] === "$")) return true;
    let i = at - 1;
    while (i >= 0 && (text[i] === " " || text[i] === "\t")) i--;
    if (i < 0 || text[i] === "\n" || text[i] === "\r") return true;
  }
  return false;
}

/** One edit that renames the variable at every definition and use in every file of the config. */
export function renameFix(
  model: Model,
  sites: readonly VariableSite[],
  uses: ReadonlyMap<string, readonly Src[]>,
  name: string,
  to: string,
): Fix {
  const edits: TextEdit[] = [
    ...sites.filter((s) => s.name === name).map((s) => ({ src: s.nameSrc, newText: to })),
    ...(uses.get(name) ?? []).map((src) => ({ src, newText: to })),
  ];
  const files = new Set(edits.map((e) => e.src.file)).size;
  return {
    title:
      `Rename to ${to} everywhere (${edits.length} ${edits.length === 1 ? "place" : "places"} ` +
      `in ${files} ${files === 1 ? "file" : "files"})`,
    edits,
  };
}

export const glciVariablePrefix: LintRule = {
  id: ID,
  severity: "warning",
  summary: `a CI variable new since the git baseline lacks the ${PREFIX} prefix`,
  check(model, context) {
    const mode = modeOf(model, context.options.mode);
    if (mode === "off") return [];
    const allow = Array.isArray(context.options.allow)
      ? context.options.allow.filter((a): a is string => typeof a === "string")
      : [];
    const baseline = mode === "new" ? context.baselineVariables?.() : undefined;
    // "new" without a baseline (not a git repository, no commit yet) cannot tell old from new
    if (mode === "new" && !baseline) return [];
    const sites = definedVariables(model);
    const out: Diagnostic[] = [];
    const fixes = new Map<string, Fix>();
    let uses: Map<string, Src[]> | undefined;
    for (const site of sites) {
      const { name } = site;
      if (PREDEFINED_VARIABLES.has(name) || matches(name, WELL_KNOWN_VARIABLES) || matches(name, allow)) continue;
      if (baseline?.has(name)) continue;
      const to = PREFIX + name;
      if (!fixes.has(name)) fixes.set(name, renameFix(model, sites, (uses ??= variableUses(model)), name, to));
      const what = mode === "new" ? "new CI variable" : "CI variable";
      out.push({
        src: site.keySrc,
        severity: "warning",
        code: ID,
        message:
          `${what} "${name}" lacks the ${PREFIX} prefix: variables only this project's ` +
          `CI reads are named ${PREFIX}* (product variables GITLAB_*, predefined ` +
          `ones CI_*), e.g. ${to}`,
        fixes: [fixes.get(name)!],
      });
    }
    return out;
  },
};
