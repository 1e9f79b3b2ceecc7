#!/usr/bin/env node
import * as path from "node:path";
import { isMainThread } from "node:worker_threads";
import { IPCMessageReader, IPCMessageWriter, StreamMessageWriter } from "vscode-jsonrpc/node";
import { ResyncingReader } from "./lsp/stdio-reader";
import { carry } from "./lsp/threads";
import { isOtherTransport, isStdio } from "./lsp/transport-args";
import { requireCached } from "./node/code-cache";
import { cacheDir } from "./node/parse-store";

// `pipewright-language-server` (dist/server.js). Over stdio and node IPC the main thread only carries
// messages (lsp/threads.ts) and the server runs in a worker — this script again, which loads the server's
// own bundle (dist/server-thread.js, built from server.ts) with V8's code cache (node/code-cache.ts). The
// main thread loads only the transport, so the server is compiled once, not once per thread.

/** The server's bundle, beside this one in dist/. */
const SERVER_THREAD = path.join(__dirname, "server-thread.js");

type ServerBundle = { serveHere: (args: readonly string[]) => void };

const args = process.argv.slice(2);
/** The editor's cache folder: PIPEWRIGHT_CACHE_DIR, else `--cache-dir DIR` (the VS Code client's storage). */
const cacheArg = args.indexOf("--cache-dir");
const cache = cacheDir(cacheArg >= 0 ? args[cacheArg + 1] : undefined);
const serveHere = () => (requireCached(SERVER_THREAD, cache).exports as ServerBundle).serveHere(args);

if (!isMainThread || process.env.PIPEWRIGHT_ONE_THREAD === "1" || isOtherTransport(args)) serveHere();
else if (isStdio(args))
  carry(new ResyncingReader(process.stdin), new StreamMessageWriter(process.stdout), __filename, args);
else carry(new IPCMessageReader(process), new IPCMessageWriter(process), __filename, args);
