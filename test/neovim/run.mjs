// The language server in a real Neovim, headless: opens a copy of test/fixtures/broken with the minimal
// config docs/editors.md gives (test/neovim/init.lua), lets check.lua collect the diagnostics and a hover,
// and checks them. Needs `npm run build` (dist/server.js) and nvim (bash test/neovim/install.sh).
//
//   node test/neovim/run.mjs            NVIM=/path/to/nvim to choose the binary
//
// Exits 0 when Neovim saw exactly the expected diagnostics and hover, 1 otherwise; bounded by a timeout.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const nvim = process.env.NVIM || "nvim";
const TIMEOUT_MS = 60_000;

// what Neovim must see: every file's diagnostics (the included one too, which is not open), 0-based positions
const EXPECTED = [
  [".gitlab-ci.yml", 2, 11, "ERROR", "include-not-found", "Local file `ci/missing.yml` does not exist!"],
  [
    ".gitlab-ci.yml",
    3,
    4,
    "INFO",
    "include-external",
    "include:project `group/shared-ci` file `/templates/base.yml` cannot be read offline: " +
      "jobs and templates it defines are unknown to this analysis",
  ],
  [
    ".gitlab-ci.yml",
    9,
    6,
    "WARN",
    "reference-not-found",
    '!reference [".setup", "script"] could not be found; `.setup` may be defined in an include ' +
      "that cannot be read offline",
  ],
  [
    "ci/templates.yml",
    2,
    11,
    "WARN",
    "extends-unknown-parent",
    ".compile: unknown keys in `extends` (.toolchain); it may be defined in an include that cannot be read offline",
  ],
];
// `.compile` in `  extends: .compile`, line 8 of .gitlab-ci.yml
const HOVER_AT = "7:12";

if (!fs.existsSync(path.join(root, "dist", "server.js"))) {
  console.error("neovim test: dist/server.js is missing: run `npm run build` first");
  process.exit(1);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-nvim-"));
function fail(message) {
  console.error(`neovim test: ${message}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(1);
}
const project = path.join(tmp, "project");
const home = path.join(tmp, "home"); // Neovim's config, data, state and cache: none of the user's
const out = path.join(tmp, "result.json");
fs.cpSync(path.join(root, "test", "fixtures", "broken"), project, { recursive: true });
// the place is a link to the file, at its line
const templates = pathToFileURL(path.join(project, "ci", "templates.yml")).href;
const HOVER = `**template** \`.compile\` — defined in [\`ci/templates.yml:1\`](${templates}#L1)`;
fs.mkdirSync(home);

const args = [
  "--headless",
  "-u",
  path.join(here, "init.lua"),
  "-i",
  "NONE",
  "-n",
  "-c",
  `luafile ${path.join(here, "check.lua")}`,
  ".gitlab-ci.yml",
];
const child = spawn(nvim, args, {
  cwd: project,
  stdio: ["ignore", "pipe", "pipe"],
  env: {
    ...process.env,
    XDG_CONFIG_HOME: home,
    XDG_DATA_HOME: home,
    XDG_STATE_HOME: home,
    XDG_CACHE_HOME: home,
    PIPEWRIGHT_CACHE_DIR: "off",
    PIPEWRIGHT_NVIM_OUT: out,
    PIPEWRIGHT_HOVER: HOVER_AT,
    PIPEWRIGHT_WAIT_MS: String(TIMEOUT_MS / 2),
  },
});
let output = "";
child.stdout.on("data", (d) => (output += d));
child.stderr.on("data", (d) => (output += d));
const timer = setTimeout(() => {
  child.kill("SIGKILL");
  fail(`nvim did not finish within ${TIMEOUT_MS / 1000} s\n${output}`);
}, TIMEOUT_MS);
const code = await new Promise((resolve) => {
  child.on("error", (e) => fail(`cannot run ${nvim}: ${e.message} (bash test/neovim/install.sh installs it)`));
  child.on("close", resolve);
});
clearTimeout(timer);

try {
  if (!fs.existsSync(out)) fail(`nvim exited with ${code} and wrote no result\n${output}`);
  const result = JSON.parse(fs.readFileSync(out, "utf8"));
  if (result.error) fail(`check.lua failed: ${result.error}\n${output}`);
  console.log(`neovim ${result.nvim}: ${result.file} has filetype ${result.filetype}, clients ${result.clients}`);
  for (const d of result.diagnostics ?? [])
    console.log(`  ${d.file}:${d.line + 1}:${d.character + 1} ${d.severity} [${d.code}] ${d.message}`);
  console.log(`  hover at ${HOVER_AT}: ${(result.hover ?? "(none)").split("\n")[0]}`);
  assert.equal(code, 0, `nvim exited with ${code}`);
  assert.equal(result.filetype, "yaml.gitlab", "the filetype of .gitlab-ci.yml");
  assert.deepEqual(result.clients, ["pipewright"], "the language server attached to the buffer");
  assert.deepEqual(
    (result.diagnostics ?? []).map((d) => [d.file, d.line, d.character, d.severity, d.code, d.message]),
    EXPECTED,
  );
  assert.ok(result.hover?.startsWith(HOVER), `hover starts with ${HOVER}`);
  assert.ok(result.hover.includes("extends: .toolchain"), "hover shows the job's YAML");
} catch (e) {
  fail(`${e.message}\n${output}`);
}
fs.rmSync(tmp, { recursive: true, force: true });
console.log("neovim test: ok");
