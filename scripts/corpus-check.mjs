// Corpus checks from ../shared (present in CI and on developer machines, not in a user's
// clone): the shared real-config contract. Skips cleanly without it.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const shared = path.resolve("..", "shared");
const tool = path.join(shared, "tools", "real-corpora.mjs");
if (!fs.existsSync(tool) || !fs.existsSync(path.join(shared, "corpus", "real"))) {
  console.log("corpus checks skipped: ../shared/corpus is not here");
  process.exit(0);
}
if (!fs.existsSync("dist/cli.js")) {
  console.error("run `npm run build` first");
  process.exit(2);
}
const r = spawnSync(process.execPath, [tool], { stdio: "inherit" });
process.exit(r.status ?? 1);
