import type { Model } from "../engine/engine";
import type { CMap, CValue } from "../engine/types";
import { get, str } from "../engine/values";
import { extendsTemplate } from "./jobs";
import { definedVariables } from "./variables";

// Container images in a config: where they come from (Docker Hub or not), whether a job runs
// Docker-in-Docker, and which variable holds the dependency proxy's prefix. gitlab-org pulls
// Docker Hub images through the group's Dependency Proxy: `${GITLAB_DEPENDENCY_PROXY_ADDRESS}ruby:3.2`.

export const PROXY_ADDRESS = "GITLAB_DEPENDENCY_PROXY_ADDRESS";
export const PROXY_GROUP = "GITLAB_DEPENDENCY_PROXY";

/** Hosts that are Docker Hub under another name; the proxy is given the path without them. */
const HUB_HOSTS = ["docker.io/", "index.docker.io/", "registry-1.docker.io/"];

/**
 * Whether an image comes from Docker Hub, and the host written before its path (to drop in the
 * fix); undefined when it does not, or when a variable leaves the registry unknown.
 */
export function dockerHubImage(image: string): { host: string } | undefined {
  if (image === "" || image.startsWith("$")) return undefined;
  const slash = image.indexOf("/");
  if (slash < 0) return /\$/.test(image.split(/[:@]/)[0]) ? undefined : { host: "" };
  const hub = HUB_HOSTS.find((h) => image.startsWith(h));
  if (hub) return { host: hub };
  const first = image.slice(0, slash);
  // as Docker reads a reference: a first segment with "." or ":" (or localhost) is a registry
  if (first.includes("$") || /[.:]/.test(first) || first === "localhost") return undefined;
  return { host: "" };
}

/** The variable that holds the dependency proxy's prefix in this config, if it defines one. */
export function proxyVariable(model: Model): string | undefined {
  const names = new Set(definedVariables(model).map((d) => d.name));
  return names.has(PROXY_ADDRESS) ? PROXY_ADDRESS : names.has(PROXY_GROUP) ? PROXY_GROUP : undefined;
}

const DIND_TEMPLATE = ".use-docker-in-docker";

/** A job needs Docker-in-Docker when it runs a docker:*dind service or extends the dind template. */
export function usesDind(model: Model, name: string, job: CMap): boolean {
  const services = get(job, "services");
  const image = (s: CValue) => str(s) ?? str(get(s, "name")) ?? "";
  // through a registry mirror or the dependency proxy the image is still docker:*dind
  const dind = (name: string) => /^docker:.*dind/.test(name.replace(/^.*[/}]/, "").replace(/^\$\w+/, ""));
  if (services?.kind === "seq" && services.items.some((s) => dind(image(s)))) return true;
  return extendsTemplate(model, name, DIND_TEMPLATE);
}
