import {
  type ExternalAnswer,
  type ExternalIncludes,
  type ExternalRequest,
  isExternalPath,
  requestKey,
} from "../engine/external";
import type { SourceHost } from "../engine/types";
import type { RemoteIncludes } from "./io";

// The engine's view of external includes during one workspace: answers come from the include
// cache at once (an analysis never waits for the network), and what the cache could not answer,
// or answered with a copy due for a refresh, is noted for the workspace to fetch after the
// analysis — which then runs again with what arrived.

/**
 * `off`: not read at all (the default); `cache`: cached copies only; `fetch`: cached, and fetched when
 * missing or old.
 */
export type RemoteIncludesMode = "off" | "cache" | "fetch";

export class WorkspaceExternals implements ExternalIncludes {
  /** Requests a fetch would answer better, noted during analyses since the last take. */
  private readonly wanted = new Map<string, ExternalRequest>();
  /** Requests being fetched now, so an analysis meanwhile says so rather than asking again. */
  private readonly inFlight = new Set<string>();
  /**
   * When each request was last fetched: at most once a minute, whatever the cache says (with
   * includeRefreshMinutes 0 every copy is old at once, and each fetch's analysis would ask again).
   */
  private readonly lastFetched = new Map<string, number>();

  constructor(
    readonly remote: RemoteIncludes,
    private readonly mode: "cache" | "fetch",
  ) {}

  get instanceHost(): string {
    return this.remote.instanceHost;
  }

  resolve(request: ExternalRequest): ExternalAnswer {
    const { answer, refresh } = this.remote.lookup(request);
    const key = requestKey(request);
    if (refresh && this.mode === "fetch" && !this.inFlight.has(key) && !this.fetchedLately(key))
      this.wanted.set(key, request);
    if (answer.status !== "unknown") return answer;
    if (this.mode === "cache")
      return { status: "unknown", why: "is not in the include cache (run `pipewright fetch`, or turn fetching on)" };
    return { status: "unknown", why: this.inFlight.has(key) || refresh ? "is being fetched" : answer.why };
  }

  private fetchedLately(key: string): boolean {
    const at = this.lastFetched.get(key);
    return at !== undefined && Date.now() - at < REFETCH_AFTER_MS;
  }

  /**
   * Starts fetching what the last analyses wanted; undefined when there is nothing to fetch. The
   * promise resolves (never rejects) when every request is stored or has failed.
   */
  fetchWanted(): Promise<void> | undefined {
    if (this.wanted.size === 0) return undefined;
    const requests = [...this.wanted.values()];
    const keys = [...this.wanted.keys()];
    this.wanted.clear();
    const now = Date.now();
    for (const k of keys) {
      this.inFlight.add(k);
      this.lastFetched.set(k, now);
    }
    return this.remote.fetch(requests).finally(() => {
      for (const k of keys) this.inFlight.delete(k);
    });
  }
}

const REFETCH_AFTER_MS = 60_000;

/** A project's files with fetched files under their `//` virtual paths, for the engine. */
export class HostWithExternals implements SourceHost {
  constructor(
    private readonly base: SourceHost,
    readonly externalIncludes: WorkspaceExternals,
  ) {}

  readFile(path: string): string | undefined {
    return isExternalPath(path) ? this.externalIncludes.remote.read(path) : this.base.readFile(path);
  }

  listFiles(): readonly string[] {
    return this.base.listFiles();
  }

  unreadable(path: string): string | undefined {
    return isExternalPath(path) ? undefined : this.base.unreadable?.(path);
  }
}
