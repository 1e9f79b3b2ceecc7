import { isMainThread, parentPort, workerData } from "node:worker_threads";
import * as lsp from "vscode-languageserver/node";
import { ResyncingReader } from "./stdio-reader";
import { carry, pending, PortReader, PortWriter, waiting } from "./threads";

// How the server is started from its command line: over stdio (the default) or node IPC on two threads
// (lsp/threads.ts) — the script runs again as a worker, which analyses and answers, while the main
// thread carries messages; with PIPEWRIGHT_ONE_THREAD=1, or another transport, on one thread.

type Start = (connection: lsp.Connection, options?: { waiting?: () => boolean; pending?: () => boolean }) => void;

export function startFromArgs(startServer: Start, script: string): void {
  if (!isMainThread) {
    const { counters } = workerData as { counters: Int32Array };
    const connection = lsp.createConnection(
      lsp.ProposedFeatures.all,
      new PortReader(parentPort!, counters),
      new PortWriter(parentPort!),
    );
    return startServer(connection, { waiting: waiting(counters), pending: pending(counters) });
  }
  const args = process.argv.slice(2);
  // stdio unless told otherwise: `pipewright-language-server` is started bare by most editors
  const ipc = args.includes("--node-ipc");
  const other = args.some((a) => /^--(socket|pipe)(=|$)/.test(a));
  const stdio = !ipc && !other;
  if (process.env.PIPEWRIGHT_ONE_THREAD === "1" || other) return startServer(oneThread(stdio));
  if (stdio) carry(new ResyncingReader(process.stdin), new lsp.StreamMessageWriter(process.stdout), script, args);
  else carry(new lsp.IPCMessageReader(process), new lsp.IPCMessageWriter(process), script, args);
}

/** Over stdio, messages are read by a reader that survives a garbled frame; other transports as given. */
function oneThread(stdio: boolean): lsp.Connection {
  if (!stdio) return lsp.createConnection(lsp.ProposedFeatures.all);
  return lsp.createConnection(
    lsp.ProposedFeatures.all,
    new ResyncingReader(process.stdin),
    new lsp.StreamMessageWriter(process.stdout),
  );
}
