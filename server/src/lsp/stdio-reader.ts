import { AbstractMessageReader, type DataCallback, type Disposable, type Message } from "vscode-jsonrpc/node";

// Reads LSP messages from stdin, as vscode-jsonrpc's StreamMessageReader does, but a broken frame
// costs that frame only. The stock reader throws on a header without a valid Content-Length and
// then never reads again; a body that is not JSON leaves it out of step with every later frame.
// Here a bad header or body is dropped and reading starts again at the next `Content-Length:`,
// so a client that wrote one garbled message (or a stray line of output) is still understood. A
// message that throws while it is handed on costs itself only, never the messages queued after it.

const HEADER_END = Buffer.from("\r\n\r\n");
const MARK = Buffer.from("Content-Length:");
/** Larger bodies are refused: no client sends 64 MB in one message. */
const MAX_CONTENT = 64 * 1024 * 1024;
/** A header block longer than this is garbage, not a header still arriving. */
const MAX_HEADER = 8 * 1024;

/** The Content-Length of a header block; undefined unless every line is a well-formed header. */
export function contentLength(header: string): number | undefined {
  let length: number | undefined;
  for (const line of header.split("\r\n")) {
    const m = /^([A-Za-z][A-Za-z0-9-]*):[ \t]*([^\r\n]*)$/.exec(line);
    if (!m) return undefined;
    if (m[1].toLowerCase() !== "content-length") continue;
    if (!/^\d{1,9}$/.test(m[2].trim())) return undefined;
    length = Number(m[2].trim());
  }
  return length !== undefined && length <= MAX_CONTENT ? length : undefined;
}

function isBrokenCancel(message: unknown): boolean {
  if (typeof message !== "object" || message === null) return false;
  const m = message as { method?: unknown; params?: { id?: unknown } | null };
  if (m.method !== "$/cancelRequest") return false;
  const id = typeof m.params === "object" && m.params !== null ? m.params.id : undefined;
  return typeof id !== "number" && typeof id !== "string";
}

/** Splits a byte stream into messages, skipping what cannot be one. */
export class FrameSplitter {
  private buffer: Buffer = Buffer.alloc(0);
  private expected: number | undefined;
  /** Whether bytes are being skipped to find the next header. */
  private skipping = false;

  constructor(
    private readonly deliver: (message: unknown) => void,
    private readonly dropped: (why: string) => void,
  ) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      if (this.expected === undefined) {
        const end = this.buffer.indexOf(HEADER_END);
        if (end < 0) {
          if (this.buffer.length > MAX_HEADER) this.resync("a header that does not end");
          return;
        }
        const length = contentLength(this.buffer.subarray(0, end).toString("ascii"));
        if (length === undefined) {
          this.resync("a header without a valid Content-Length");
          continue;
        }
        this.buffer = this.buffer.subarray(end + HEADER_END.length);
        this.expected = length;
        this.skipping = false;
      }
      if (this.buffer.length < this.expected) return;
      const body = this.buffer.subarray(0, this.expected).toString("utf8");
      this.buffer = this.buffer.subarray(this.expected);
      this.expected = undefined;
      let message: unknown;
      try {
        message = JSON.parse(body);
      } catch {
        this.dropped("a message body that is not JSON");
        continue;
      }
      // vscode-jsonrpc throws on a $/cancelRequest whose id is null or missing; that message is
      // dropped here, and anything else that throws costs its own message, not the ones after it
      if (isBrokenCancel(message)) {
        this.dropped("a $/cancelRequest without a request id");
        continue;
      }
      try {
        this.deliver(message);
      } catch (e) {
        this.dropped(`a message that failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  /**
   * Drops bytes up to the next `Content-Length:` after the first byte, or all but a tail that may be
   * the start of one. Said once per run of garbage, however many chunks it spans.
   */
  private resync(why: string): void {
    if (!this.skipping) this.dropped(why);
    this.skipping = true;
    const next = this.buffer.indexOf(MARK, 1);
    if (next >= 0) {
      this.buffer = this.buffer.subarray(next);
      return;
    }
    let keep = Math.min(MARK.length - 1, this.buffer.length - 1);
    while (keep > 0 && !MARK.subarray(0, keep).equals(this.buffer.subarray(this.buffer.length - keep))) keep--;
    this.buffer = this.buffer.subarray(this.buffer.length - keep);
  }
}

export class ResyncingReader extends AbstractMessageReader {
  constructor(private readonly input: NodeJS.ReadableStream) {
    super();
    input.on("error", (e: Error) => this.fireError(e));
    input.on("close", () => this.fireClose());
  }

  listen(callback: DataCallback): Disposable {
    const splitter = new FrameSplitter(
      (m) => callback(m as Message),
      (why) => process.stderr.write(`pipewright: dropped ${why} from the client\n`),
    );
    const onData = (chunk: Buffer | string) => splitter.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    this.input.on("data", onData);
    return { dispose: () => this.input.off("data", onData) };
  }
}
