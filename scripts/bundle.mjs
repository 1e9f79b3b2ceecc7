// Bundles the entry points into dist/: the CLI, the language server and the VS Code
// extension, so each starts without resolving hundreds of modules.
import { build } from "esbuild";
import fs from "node:fs";

const node = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  outdir: "dist",
  sourcemap: true,
  logLevel: "warning",
};
await build({ ...node, entryPoints: { cli: "server/src/cli.ts", server: "server/src/server.ts" } });
if (fs.existsSync("client/src/extension.ts")) {
  await build({ ...node, entryPoints: { extension: "client/src/extension.ts" }, external: ["vscode"] });
}
