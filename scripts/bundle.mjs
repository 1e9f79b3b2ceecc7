// Bundles the entry points into dist/: the CLI, the language server, the API for Node programs
// and the package's entry (the VS Code extension, and the API), so each starts without resolving
// hundreds of modules.
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
await build({
  ...node,
  entryPoints: { cli: "server/src/cli.ts", server: "server/src/server.ts", api: "server/src/api.ts" },
});
if (fs.existsSync("client/src/main.ts")) {
  // minified: the pipeline view's layout library (elkjs) is most of it, and it is loaded with the extension
  await build({
    ...node,
    entryPoints: { extension: "client/src/main.ts" },
    external: ["vscode", "./api.js"],
    minify: true,
  });
}
