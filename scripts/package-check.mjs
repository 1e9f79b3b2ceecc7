// What would be published, checked without publishing (`npm run package:check`, after a build):
//
//   1. the VSIX: `vsce ls`, then `vsce package` into a temporary folder (vsce checks the manifest, the icon and
//      the README's and CHANGELOG's links there), read back: the files, the manifest VS Code will read;
//   2. Open VSX: `ovsx publish` of that VSIX, the real client, to a stand-in registry on 127.0.0.1 that keeps
//      the upload; plus what Open VSX asks of a package that the client does not check (a license);
//   3. the npm tarball: `npm pack --dry-run`.
//
// Only the npm registry is used (npx fetches vsce and ovsx); nothing is published. Prints the sizes and the
// file lists, and exits 1 when something is wrong.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";

const VSCE = "@vscode/vsce@3.9.2";
const OVSX = "ovsx@1.1.1"; // the last release that runs on Node 20
// the flags of `npm run package`: the marketplace README, no repository URL yet (vsce would ask for one)
const VSCE_FLAGS = ["--no-dependencies", "--readme-path", "docs/marketplace.md"];
const VSIX_FILES = [
  "package.json",
  "readme.md",
  "changelog.md",
  "LICENSE.txt",
  "dist/extension.js",
  "dist/server.js",
  "dist/server-thread.js",
  "syntaxes/gitlab-ci.tmLanguage.json",
  "language-configuration.json",
  "images/icon.png",
  "docs/diagnostics.md",
];
const FORBIDDEN = /\.map$|(^|\/)(cli|api)\.js$|^(node_modules|out|server|client|test|scripts|examples)\//;

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const windows = process.platform === "win32";
const npx = windows ? "npx.cmd" : "npx";
const npm = windows ? "npm.cmd" : "npm";
const problems = [];
const problem = (message) => problems.push(message);
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));

function run(command, args) {
  const r = spawnSync(command, args, { cwd: root, encoding: "utf8", shell: windows, maxBuffer: 64 * 1024 * 1024 });
  if (r.error || r.status !== 0)
    throw new Error(`${command} ${args.join(" ")} failed (${r.error ?? r.status}):\n${r.stdout}${r.stderr}`);
  return r;
}

const kb = (n) => `${(n / 1024).toFixed(0)} KB`;

const BUILT = [
  "dist/extension.js",
  "dist/server.js",
  "dist/server-thread.js",
  "dist/cli.js",
  "dist/api.js",
  "dist/api.d.ts",
];
for (const f of BUILT)
  if (!fs.existsSync(path.join(root, f))) throw new Error(`${f} is missing: run npm run build first`);

// ---- 1. the VSIX
const listed = run(npx, ["-y", VSCE, "ls", ...VSCE_FLAGS])
  .stdout.split("\n")
  .map((l) => l.trim())
  .filter(Boolean);
for (const f of listed.filter((f) => FORBIDDEN.test(f))) problem(`vsce ls: ${f} would be in the VSIX`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-package-check-"));
process.on("exit", () => fs.rmSync(tmp, { recursive: true, force: true }));
const vsixPath = path.join(tmp, `${manifest.name}-${manifest.version}.vsix`);
const packaged = run(npx, ["-y", VSCE, "package", ...VSCE_FLAGS, "--allow-missing-repository", "--out", vsixPath]);
for (const line of `${packaged.stdout}\n${packaged.stderr}`.split("\n"))
  if (/WARNING|ERROR/i.test(line) && !/repository/i.test(line)) problem(`vsce package: ${line.trim()}`);
const vsix = readZip(fs.readFileSync(vsixPath));
const inExtension = [...vsix.keys()].filter((n) => n.startsWith("extension/")).map((n) => n.slice(10));
for (const f of VSIX_FILES) if (!inExtension.includes(f)) problem(`the VSIX has no ${f}`);
for (const f of inExtension.filter((f) => FORBIDDEN.test(f))) problem(`the VSIX has ${f}`);
if (!inExtension.some((f) => f.startsWith("docs/rules/"))) problem("the VSIX has no rule pages (docs/rules/)");

const packed = JSON.parse(vsix.read("extension/package.json").toString("utf8"));
if (packed.main !== "./dist/extension.js") problem(`the VSIX's main is ${packed.main}`);
if (packed.icon !== "images/icon.png") problem(`the VSIX's icon is ${packed.icon}`);
if (packed.files !== undefined) problem("package.json has files: vsce would not read .vscodeignore");
const activation = packed.activationEvents ?? [];
for (const e of activation.filter((e) => e === "*" || e === "onLanguage:yaml" || e === "onStartupFinished"))
  problem(`activation on ${e}: the extension would start without GitLab CI`);
if (packed.capabilities?.untrustedWorkspaces?.supported !== "limited")
  problem("capabilities.untrustedWorkspaces is not declared limited");
const defaults = packed.contributes?.configurationDefaults?.["[gitlab-ci]"] ?? {};
if (defaults["editor.tabSize"] !== 2 || defaults["editor.insertSpaces"] !== true)
  problem("configurationDefaults for [gitlab-ci] are not VS Code's YAML ones (2 spaces)");
const readme = vsix.read("extension/readme.md").toString("utf8");
for (const [, link] of readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g))
  if (!link.startsWith("https://")) problem(`the marketplace README's image ${link} is not an absolute https link`);
const vsixManifest = vsix.read("extension.vsixmanifest").toString("utf8");
if (!/Microsoft\.VisualStudio\.Services\.Content\.License/.test(vsixManifest))
  problem("the VSIX declares no license (Open VSX refuses an unlicensed extension)");
if (!packed.license) problem("package.json has no license");
for (const field of ["repository", "bugs", "homepage"])
  if (!packed[field]) console.log(`note: no ${field} in package.json (no public address yet)`);

// ---- 2. Open VSX: the real client, a stand-in registry
const uploads = [];
const registry = http.createServer((req, res) => {
  const body = [];
  req.on("data", (c) => body.push(c));
  req.on("end", () => {
    const url = new URL(req.url, "http://registry");
    res.setHeader("content-type", "application/json");
    if (req.method === "POST" && url.pathname === "/api/-/publish") {
      uploads.push(Buffer.concat(body));
      res.writeHead(201);
      const { publisher: namespace, name, version } = packed;
      res.end(JSON.stringify({ namespace, name, version, targetPlatform: "universal" }));
    } else {
      res.writeHead(404);
      res.end(JSON.stringify({ error: `not here: ${req.method} ${url.pathname}` }));
    }
  });
});
await new Promise((resolve) => registry.listen(0, "127.0.0.1", resolve));
const registryUrl = `http://127.0.0.1:${registry.address().port}`;
const published = await new Promise((resolve) => {
  const env = { ...process.env, OVSX_REGISTRY_URL: registryUrl, OVSX_PAT: "dry-run" };
  const child = spawn(npx, ["-y", OVSX, "publish", vsixPath], { cwd: root, env, shell: windows });
  let out = "";
  child.stdout.on("data", (c) => (out += c));
  child.stderr.on("data", (c) => (out += c));
  child.on("exit", (code) => resolve({ code, out }));
});
registry.close();
if (published.code !== 0 || uploads.length !== 1) problem(`ovsx publish (dry run): ${published.out.trim()}`);
else if (!uploads[0].equals(fs.readFileSync(vsixPath))) problem("ovsx uploaded something else than the VSIX");

// ---- 3. the npm tarball
const [tarball] = JSON.parse(run(npm, ["pack", "--dry-run", "--json"]).stdout);
const npmFiles = tarball.files.map((f) => f.path).sort();
for (const f of [manifest.main, ...Object.values(manifest.bin), manifest.types, manifest.exports["."].default])
  if (!npmFiles.includes(f.replace(/^\.\//, ""))) problem(`the npm package has no ${f}`);
for (const f of npmFiles.filter((f) => /\.map$|^(out|server|client|test|scripts|node_modules|examples)\//.test(f)))
  problem(`the npm package has ${f}`);
if (manifest.dependencies) problem("the npm package has dependencies: everything it runs is bundled");
if (manifest.private) problem("package.json is private");

// ---- the report
const vsixSize = fs.statSync(vsixPath).size;
console.log(`VSIX ${path.basename(vsixPath)}: ${kb(vsixSize)} (${vsixSize} bytes), ${inExtension.length} files:`);
for (const f of inExtension.sort()) console.log(`  ${f}`);
console.log(
  `Open VSX: ovsx ${OVSX.split("@")[1]} published it to the stand-in registry (${kb(uploads[0]?.length ?? 0)})`,
);
console.log(
  `npm ${tarball.filename}: ${kb(tarball.size)} packed, ${kb(tarball.unpackedSize)} unpacked, ` +
    `${npmFiles.length} files:`,
);
for (const f of tarball.files) console.log(`  ${f.path}  ${kb(f.size)}`);
if (problems.length) {
  console.error(`\n${problems.length} problem${problems.length === 1 ? "" : "s"}:`);
  for (const p of problems) console.error(`  ${p}`);
  process.exitCode = 1;
} else console.log("\npackage check: ok");

/** The entries of a zip file (a VSIX), by name, and `read` to get one's bytes. */
function readZip(zip) {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error("not a zip file");
  const entries = new Map();
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0, n = zip.readUInt16LE(end + 10); i < n; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error("a broken zip directory");
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    entries.set(name, {
      method: zip.readUInt16LE(at + 10),
      size: zip.readUInt32LE(at + 20),
      offset: zip.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return Object.assign(entries, {
    read(name) {
      const e = entries.get(name);
      if (!e) throw new Error(`the VSIX has no ${name}`);
      const start = e.offset + 30 + zip.readUInt16LE(e.offset + 26) + zip.readUInt16LE(e.offset + 28);
      const data = zip.subarray(start, start + e.size);
      return e.method === 8 ? zlib.inflateRawSync(data) : data;
    },
  });
}
