// Writing to stdout and stderr when the reader may be gone: `pipewright check | head` closes the pipe
// early, and the write fails with EPIPE. That is the reader's choice, not a failure: the rest of the
// output is dropped, no stack trace is shown, and the exit status is the one the run decides.

let stdoutGone = false;
let stderrGone = false;

const gone = (e: NodeJS.ErrnoException) => e.code === "EPIPE" || e.code === "ERR_STREAM_DESTROYED";

/** Once, at start: a closed stdout or stderr ends its output quietly. */
export function guardOutput(): void {
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (!gone(e)) throw e;
    stdoutGone = true;
  });
  process.stderr.on("error", (e: NodeJS.ErrnoException) => {
    if (!gone(e)) throw e;
    stderrGone = true;
  });
}

export function out(text: string): void {
  if (!stdoutGone && text) process.stdout.write(text);
}

export function err(text: string): void {
  if (!stderrGone && text) process.stderr.write(text);
}
