import type { RemoteConfig, RemoteIncludes } from "../workspace/io";
import { defaultCacheDir, remoteIncludes } from "./remote-includes";

// Which instance external includes come from, and whether the user's token goes with the requests.
// A repository's `.pipewright.yml` may name an instance (`gitlabUrl`), but a repository is not the
// user: the token is only sent to an instance the user named — on the command line, in the
// environment (`$CI_SERVER_URL` in GitLab CI, `$GITLAB_URL`), in the editor when the token was
// stored — or to gitlab.com. A config that names another instance still resolves public projects.

export const DEFAULT_GITLAB_URL = "https://gitlab.com";

export interface Credentials {
  /** An instance the user named themselves (the CLI's --gitlab-url, the editor's token's instance). */
  readonly gitlabUrl?: string;
  /** A token for the user-named instance; the CLI takes $GITLAB_TOKEN, else $CI_JOB_TOKEN. */
  readonly token?: { readonly kind: "private" | "job"; readonly value: string };
  /** The include cache's folder; the user's cache folder when not given. */
  readonly cacheDir?: string;
}

const origin = (url: string): string | undefined => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

/** The token the environment gives: a personal or project token first, then a CI job's. */
export function tokenFromEnv(env: NodeJS.ProcessEnv): Credentials["token"] {
  if (env.GITLAB_TOKEN) return { kind: "private", value: env.GITLAB_TOKEN };
  if (env.CI_JOB_TOKEN) return { kind: "job", value: env.CI_JOB_TOKEN };
  return undefined;
}

/** Opens the include cache for the settings' instance, with the token only where the user sent it. */
export function remoteIncludesFor(
  env: NodeJS.ProcessEnv,
  credentials: Credentials,
): (config: RemoteConfig) => RemoteIncludes {
  return (config) => {
    const instanceUrl = config.instanceUrl ?? credentials.gitlabUrl ?? env.CI_SERVER_URL ?? DEFAULT_GITLAB_URL;
    const trusted = [credentials.gitlabUrl, env.CI_SERVER_URL, env.GITLAB_URL, DEFAULT_GITLAB_URL]
      .filter((u): u is string => !!u)
      .map(origin);
    const token = trusted.includes(origin(instanceUrl)) ? (credentials.token ?? tokenFromEnv(env)) : undefined;
    return remoteIncludes({
      instanceUrl,
      token,
      cacheDir: credentials.cacheDir ?? env.PIPEWRIGHT_INCLUDE_CACHE ?? defaultCacheDir(),
      refreshMinutes: config.refreshMinutes,
    });
  };
}
