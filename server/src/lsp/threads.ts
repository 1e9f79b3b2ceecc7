import { Worker, type MessagePort } from "node:worker_threads";
import {
  AbstractMessageReader,
  AbstractMessageWriter,
  type DataCallback,
  type Disposable,
  type Message,
  type MessageReader,
  type MessageWriter,
} from "vscode-jsonrpc/node";

// The language server runs on two threads. The main thread only carries messages: it reads the
// client's transport and writes the answers, so it is never busy. The analysis thread (a worker)
// runs the server itself. Both share two counters: messages the main thread handed over that should
// make an analysis give way (requests and edits), and how many of those the worker has taken in.
// While an analysis runs, the worker cannot take in anything, so `waiting()` sees a request as soon
// as it arrives; the analysis stops at its next checkpoint, the request is answered from the last
// finished analysis, and the analysis starts again after it.

/** Indexes in the shared counters. */
const HANDED = 0;
const TAKEN = 1;

/**
 * How long a waiting message may wait for an analysis to finish before the analysis gives way. Short,
 * because giving way costs little: the files parsed so far stay parsed.
 */
export const GRACE_MS = 10;

interface Envelope {
  readonly message?: Message;
  /** Whether the message counts as one that makes an analysis give way. */
  readonly counts?: boolean;
  /** The client's transport closed. */
  readonly closed?: boolean;
}

/** Requests (anything the client waits on) and edits (which make a running analysis stale). */
export function makesAnalysisGiveWay(message: Message): boolean {
  const m = message as { id?: unknown; method?: unknown };
  if (typeof m.method !== "string") return false;
  return m.id !== undefined || m.method === "textDocument/didChange";
}

/**
 * Main thread: starts the server's script as a worker and carries messages both ways. When the
 * worker ends, so does the process, with its exit code; when the transport closes, the worker is told.
 */
export function carry(reader: MessageReader, writer: MessageWriter, script: string, argv: string[]): Worker {
  const counters = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(script, { argv, workerData: { counters }, stdout: false, stderr: false });
  worker.on("message", (message: Message) => void writer.write(message));
  worker.on("error", (e) => {
    process.stderr.write(`pipewright: the analysis thread failed: ${e.stack ?? e.message}\n`);
    process.exit(1);
  });
  worker.on("exit", (code) => process.exit(code));
  reader.listen((message) => {
    const counts = makesAnalysisGiveWay(message);
    if (counts) Atomics.add(counters, HANDED, 1);
    worker.postMessage({ message, counts } satisfies Envelope);
  });
  reader.onClose(() => worker.postMessage({ closed: true } satisfies Envelope));
  return worker;
}

/** Worker: the messages the main thread hands over. */
export class PortReader extends AbstractMessageReader {
  private callback: DataCallback | undefined;

  constructor(
    private readonly port: MessagePort,
    private readonly counters: Int32Array,
  ) {
    super();
    port.on("message", (e: Envelope) => {
      if (e.closed) return this.fireClose();
      if (e.counts) Atomics.add(this.counters, TAKEN, 1);
      if (e.message) this.callback?.(e.message);
    });
  }

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    return { dispose: () => (this.callback = undefined) };
  }
}

/** Worker: answers and notifications, handed to the main thread to write. */
export class PortWriter extends AbstractMessageWriter implements MessageWriter {
  constructor(private readonly port: MessagePort) {
    super();
  }

  async write(message: Message): Promise<void> {
    this.port.postMessage(message);
  }

  end(): void {}
}

/** Worker: whether a message is waiting, at once (idle work, which costs nothing to stop, stops for it). */
export function pending(counters: Int32Array): () => boolean {
  return () => Atomics.load(counters, HANDED) !== Atomics.load(counters, TAKEN);
}

/**
 * Worker: whether an analysis should give way now, i.e. a request or an edit has been waiting for
 * longer than the grace period. The wait is timed from when this first saw it, so an analysis that
 * starts again before the request is answered gives way at its first checkpoint.
 */
export function waiting(counters: Int32Array, now: () => number = () => performance.now()): () => boolean {
  let since: number | undefined;
  return () => {
    if (Atomics.load(counters, HANDED) === Atomics.load(counters, TAKEN)) {
      since = undefined;
      return false;
    }
    const t = now();
    since ??= t;
    return t - since >= GRACE_MS;
  };
}
