import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as path from "node:path";
import { pathToFileURL } from "node:url";

/** A small LSP client over stdio for protocol tests: requests, notifications, and waiting for messages. */
export class LspClient {
  private readonly proc: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (msg: { result?: unknown; error?: unknown }) => void>();
  private readonly notifications: Array<{ method: string; params: unknown }> = [];
  /** Every notification ever received, for tests that look at all of them. */
  private readonly history: Array<{ method: string; params: unknown }> = [];
  private readonly waiters: Array<() => void> = [];

  /** `cacheDir`: where the server keeps parsed files between sessions; none unless given. */
  constructor(
    readonly root: string,
    cacheDir = "off",
  ) {
    const server = path.resolve(__dirname, "..", "..", "dist", "server.js");
    this.proc = spawn(process.execPath, [server, "--stdio"], {
      stdio: "pipe",
      env: { ...process.env, PIPEWRIGHT_CACHE_DIR: cacheDir },
    });
    this.proc.stdout.on("data", (chunk: Buffer) => this.receive(chunk));
  }

  uri(rel: string): string {
    return pathToFileURL(path.join(this.root, rel)).href;
  }

  private receive(chunk: Buffer) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const header = this.buffer.indexOf("\r\n\r\n");
      if (header < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, header).toString())?.[1]);
      if (this.buffer.length < header + 4 + length) return;
      const msg = JSON.parse(this.buffer.subarray(header + 4, header + 4 + length).toString());
      this.buffer = this.buffer.subarray(header + 4 + length);
      if (msg.id !== undefined && msg.method === undefined) this.pending.get(msg.id)?.(msg);
      else if (msg.id !== undefined)
        this.send({ jsonrpc: "2.0", id: msg.id, result: msg.method === "workspace/configuration" ? [null] : null });
      else {
        this.notifications.push({ method: msg.method, params: msg.params });
        this.history.push({ method: msg.method, params: msg.params });
      }
      this.waiters.splice(0).forEach((w) => w());
    }
  }

  private send(msg: object) {
    const body = JSON.stringify(msg);
    this.proc.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  request<T>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (msg) =>
        msg.error ? reject(new Error(JSON.stringify(msg.error))) : resolve(msg.result as T),
      );
      this.send({ jsonrpc: "2.0", id, method, params });
    });
  }

  notify(method: string, params: unknown) {
    this.send({ jsonrpc: "2.0", method, params });
  }

  /** Waits until a notification satisfying `pred` has arrived (after `since`), or fails after `ms`. */
  async waitFor<T>(method: string, pred: (params: T) => boolean, ms = 10000): Promise<T> {
    const deadline = Date.now() + ms;
    let seen = 0;
    for (;;) {
      for (; seen < this.notifications.length; seen++) {
        const n = this.notifications[seen];
        if (n.method === method && pred(n.params as T)) {
          this.notifications.splice(0, seen + 1);
          return n.params as T;
        }
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${method}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  /** Every notification of a method received so far. */
  received<T>(method: string): T[] {
    return this.history.filter((n) => n.method === method).map((n) => n.params as T);
  }

  async start(initializationOptions?: object) {
    await this.request("initialize", {
      processId: process.pid,
      initializationOptions,
      rootUri: pathToFileURL(this.root).href,
      capabilities: {},
      workspaceFolders: [{ uri: pathToFileURL(this.root).href, name: "ws" }],
    });
    this.notify("initialized", {});
  }

  async stop() {
    await this.request("shutdown", null).catch(() => undefined);
    this.notify("exit", null);
    this.proc.kill();
  }
}
