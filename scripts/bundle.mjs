// Bundles the entry points into dist/ so the CLI (and later the server and extension)
// start without resolving hundreds of modules.
import { build } from "esbuild";

await build({
  entryPoints: { cli: "server/src/cli.ts" },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  outdir: "dist",
  sourcemap: true,
  logLevel: "warning",
});
