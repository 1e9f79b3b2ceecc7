// Which transport the command line names. Apart from transport.ts, because launch.ts needs it and must not
// load vscode-languageserver (see launch.ts).

/** Stdio unless told otherwise: `pipewright-language-server` is started bare by most editors. */
export function isStdio(args: readonly string[]): boolean {
  return !args.includes("--node-ipc") && !isOtherTransport(args);
}

/** A socket or a pipe, which vscode-languageserver opens itself (on the main thread). */
export function isOtherTransport(args: readonly string[]): boolean {
  return args.some((a) => /^--(socket|pipe)(=|$)/.test(a));
}
