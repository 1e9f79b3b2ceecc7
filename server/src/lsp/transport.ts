import { isMainThread, parentPort, workerData } from "node:worker_threads";
import * as lsp from "vscode-languageserver/node";
import { isStdio } from "./transport-args";
import { ResyncingReader } from "./stdio-reader";
import { pending, PortReader, PortWriter, waiting } from "./threads";

// The connection of the thread the server runs on. Usually that is the worker that `launch.ts` (the
// `pipewright-language-server` command) starts, which talks to the client through the main thread
// (lsp/threads.ts); with PIPEWRIGHT_ONE_THREAD=1, or a transport other than stdio and node IPC, the
// server runs on the main thread and reads the transport itself.

export interface Connected {
  readonly connection: lsp.Connection;
  /** The worker's views of the shared counters (lsp/threads.ts); none on one thread. */
  readonly options: { waiting?: () => boolean; pending?: () => boolean };
}

export function connectHere(args: readonly string[]): Connected {
  if (!isMainThread) {
    const { counters } = workerData as { counters: Int32Array };
    const connection = lsp.createConnection(
      lsp.ProposedFeatures.all,
      new PortReader(parentPort!, counters),
      new PortWriter(parentPort!),
    );
    return { connection, options: { waiting: waiting(counters), pending: pending(counters) } };
  }
  if (!isStdio(args)) return { connection: lsp.createConnection(lsp.ProposedFeatures.all), options: {} };
  // over stdio, messages are read by a reader that survives a garbled frame
  const connection = lsp.createConnection(
    lsp.ProposedFeatures.all,
    new ResyncingReader(process.stdin),
    new lsp.StreamMessageWriter(process.stdout),
  );
  return { connection, options: {} };
}
