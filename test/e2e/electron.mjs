#!/usr/bin/env node
// The same Mocha suite (test/e2e/suite) through @vscode/test-electron, in desktop VS Code,
// for machines that can download VS Code (this one cannot: there, run.mjs runs the suite in
// code-server). Build first: npm run build && node test/e2e/electron.mjs [VERSION]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runTests } from "@vscode/test-electron";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-e2e-ws-"));
fs.cpSync(path.join(HERE, "workspace"), workspace, { recursive: true });
try {
  await runTests({
    version: process.argv[2] || "1.100.3",
    extensionDevelopmentPath: path.resolve(HERE, "../.."),
    extensionTestsPath: path.join(HERE, "suite", "index.js"),
    launchArgs: [workspace, "--disable-extensions", "--disable-workspace-trust"],
  });
} catch (e) {
  console.error(`extension tests failed: ${e.message ?? e}`);
  process.exitCode = 1;
} finally {
  fs.rmSync(workspace, { recursive: true, force: true });
}
