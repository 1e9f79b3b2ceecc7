// The package's entry: the VS Code extension when VS Code loads it (client/src/extension.ts, loaded
// only then, since it needs VS Code), and Pipewright's API for Node programs (dist/api.js).
import type * as vscode from "vscode";

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const extension = await import("./extension");
  return extension.activate(context);
}

export async function deactivate(): Promise<void> {
  const extension = await import("./extension");
  await extension.deactivate();
}

type Api = typeof import("../../server/src/api");
// dist/api.js is a bundle of its own, loaded when first called: the extension does not carry the engine
/* eslint-disable @typescript-eslint/no-require-imports */

/** Finds every problem of a config: see server/src/api.ts. */
export const check: Api["check"] = (o) => require("./api.js").check(o);

/** The merged configuration, or one job's effective definition: see server/src/api.ts. */
export const merged: Api["merged"] = (o) => require("./api.js").merged(o);

/** The pipeline GitLab would create for a situation: see server/src/api.ts. */
export const pipeline: Api["pipeline"] = (o) => require("./api.js").pipeline(o);
