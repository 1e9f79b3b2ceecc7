#!/usr/bin/env node
import * as path from "node:path";
import { IPCMessageReader, IPCMessageWriter, StreamMessageWriter } from "vscode-jsonrpc/node";
import { ResyncingReader } from "./lsp/stdio-reader";
import { carry } from "./lsp/threads";
import { isOtherTransport, isStdio } from "./lsp/transport-args";

// `pipewright-language-server` (dist/server.js). Over stdio and node IPC this thread only carries
// messages (lsp/threads.ts) and the server runs in a worker, from its own bundle (dist/server-thread.js,
// built from server.ts). This file loads only the transport, so the process answers `initialize` without
// compiling the server twice, once per thread.

/** The server's bundle, beside this one in dist/. */
const SERVER_THREAD = path.join(__dirname, "server-thread.js");

const args = process.argv.slice(2);
if (process.env.PIPEWRIGHT_ONE_THREAD === "1" || isOtherTransport(args)) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the server's bundle, chosen at run time
  (require(SERVER_THREAD) as { serveHere: (args: readonly string[]) => void }).serveHere(args);
} else if (isStdio(args)) {
  carry(new ResyncingReader(process.stdin), new StreamMessageWriter(process.stdout), SERVER_THREAD, args);
} else {
  carry(new IPCMessageReader(process), new IPCMessageWriter(process), SERVER_THREAD, args);
}
