import * as assert from "node:assert/strict";
import { spawn, spawnSync, type SpawnSyncOptions } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import * as ts from "typescript";

// The npm package as a user gets it: `npm pack`, the tarball installed into an empty folder with the network
// off (the package has no dependencies: everything is bundled), then from that folder `npx pipewright check`,
// the API by `require` and by `import`, its types, and `pipewright-language-server` answering `initialize`
// over stdio, its default. Needs a build (dist/); skipped where there is no npm.

const root = path.resolve(__dirname, "..", "..");
const windows = process.platform === "win32";
const npm = windows ? "npm.cmd" : "npm";
const npx = windows ? "npx.cmd" : "npx";
const hasNpm = spawnSync(npm, ["--version"], { shell: windows }).status === 0;

test(
  "npm pack → offline install → CLI, API (require, import, types) and language server",
  {
    skip: hasNpm ? false : "npm is not installed",
    timeout: 120_000,
  },
  async (t) => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-package-"));
    t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
    // npm's own variables from an enclosing `npm test` left out; a cache of our own, so nothing is fetched or kept
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    Object.assign(env, { npm_config_cache: path.join(tmp, "cache"), npm_config_update_notifier: "false" });
    const run = (command: string, args: string[], cwd: string, options: SpawnSyncOptions = {}) => {
      const r = spawnSync(command, args, { cwd, env, encoding: "utf8", shell: windows, timeout: 60_000, ...options });
      assert.ok(!r.error, `${command} ${args.join(" ")}: ${r.error}`);
      return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
    };

    // ---- the tarball: the bundles, the types, the rule pages; no source maps, no sources, no dependencies
    const packed = run(npm, ["pack", "--json", "--pack-destination", tmp], root);
    assert.equal(packed.status, 0, packed.stderr);
    const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const files = info.files.map((f) => f.path);
    for (const f of ["package.json", "README.md", "LICENSE", "CHANGELOG.md", "dist/cli.js", "dist/server.js"])
      assert.ok(files.includes(f), `${f} is packed`);
    for (const f of [
      "dist/server-thread.js",
      "dist/api.js",
      "dist/api.d.ts",
      "docs/diagnostics.md",
      "schemas/gitlab-ci.json",
    ])
      assert.ok(files.includes(f), `${f} is packed`);
    assert.deepEqual(
      files.filter((f) => /\.map$|^(out|server|client|test|scripts|node_modules|examples)\//.test(f)),
      [],
    );
    const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    assert.equal(manifest.private, undefined);
    assert.equal(manifest.dependencies, undefined, "every runtime dependency is bundled");

    // ---- installed into an empty folder, offline
    const app = path.join(tmp, "app");
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "app", private: true }));
    const tarball = path.join(tmp, info.filename);
    const installed = run(npm, ["install", "--offline", "--no-audit", "--no-fund", tarball], app);
    assert.equal(installed.status, 0, installed.stderr);
    assert.deepEqual(
      fs.readdirSync(path.join(app, "node_modules")).filter((n) => !n.startsWith(".")),
      ["pipewright"],
      "nothing but the package is installed",
    );

    // ---- npx pipewright check: the same report as the CLI of the repository
    const project = path.join(tmp, "broken");
    fs.cpSync(path.join(root, "test", "fixtures", "broken"), project, { recursive: true });
    const checked = run(npx, ["--no", "pipewright", "check", project], app);
    const expected = run(process.execPath, [path.join(root, "dist", "cli.js"), "check", project], app);
    assert.equal(checked.status, 1, checked.stderr);
    assert.match(checked.stdout, /^\.gitlab-ci\.yml:3:12: error: .*\[include-not-found\]$/m);
    assert.equal(checked.stdout, expected.stdout);

    // ---- the API, by require and by import
    const files1 = { ".gitlab-ci.yml": "build:\n  scripts: [make]\ndeploy:\n  script: ./deploy\n" };
    const use = (api: string) => `
    const files = ${JSON.stringify(files1)};
    const found = (await ${api}.check({ files })).map((d) => d.code);
    const job = await ${api}.merged({ files, job: "deploy" });
    const jobs = (await ${api}.pipeline({ files, scenario: { tag: "v1" } })).jobs.map((j) => j.name);
    console.log(JSON.stringify({ found, job, jobs }));`;
    const job = { script: "./deploy", stage: "test" };
    const answer = { found: ["schema-unknown-keyword"], job, jobs: ["deploy"] };
    fs.writeFileSync(
      path.join(app, "required.js"),
      'const api = require("pipewright");\nconsole.log(require.resolve("pipewright"));\n' +
        `(async () => {${use("api")}\n})();\n`,
    );
    const required = run(process.execPath, ["required.js"], app);
    assert.equal(required.status, 0, required.stderr);
    const [where, requiredAnswer] = required.stdout.trim().split("\n");
    assert.equal(where, path.join(app, "node_modules", "pipewright", "dist", "api.js"));
    assert.deepEqual(JSON.parse(requiredAnswer), answer);
    fs.writeFileSync(
      path.join(app, "imported.mjs"),
      'import { check, merged, pipeline } from "pipewright";\n' +
        `const api = { check, merged, pipeline };\n${use("api")}\n`,
    );
    const imported = run(process.execPath, ["imported.mjs"], app);
    assert.equal(imported.status, 0, imported.stderr);
    assert.deepEqual(JSON.parse(imported.stdout), answer);

    // ---- the types, for CommonJS and ES module programs: right calls compile, a wrong one does not
    const consumer = `import { check, pipeline, type Diagnostic, type Pipeline } from "pipewright";
export async function f(): Promise<[Diagnostic[], Pipeline]> {
  return [await check({ dir: "." }), await pipeline({ files: {}, scenario: { source: "merge_request_event" } })];
}
// @ts-expect-error: not a pipeline source
pipeline({ dir: ".", scenario: { source: "pull" } });
`;
    fs.writeFileSync(path.join(app, "consumer.ts"), consumer);
    fs.writeFileSync(path.join(app, "consumer.mts"), consumer);
    const program = ts.createProgram([path.join(app, "consumer.ts"), path.join(app, "consumer.mts")], {
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      noEmit: true,
      types: [],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    assert.deepEqual(problems, []);

    // ---- pipewright-language-server, no flags: stdio
    const bin = path.join(
      app,
      "node_modules",
      ".bin",
      windows ? "pipewright-language-server.cmd" : "pipewright-language-server",
    );
    const server = spawn(bin, [], { cwd: app, env, shell: windows, stdio: ["pipe", "pipe", "pipe"] });
    t.after(() => server.kill());
    const reply = await lspRequest(server, 1, "initialize", {
      processId: process.pid,
      rootUri: pathToFileURL(project).href,
      capabilities: {},
    });
    const result = reply.result as { serverInfo?: { name: string }; capabilities: Record<string, unknown> };
    assert.equal(result.serverInfo?.name, "pipewright");
    assert.equal(result.capabilities.hoverProvider, true);
    assert.equal(result.capabilities.definitionProvider, true);
    await lspRequest(server, 2, "shutdown", null);
    const exited = new Promise<number | null>((resolve) => server.on("exit", (code) => resolve(code)));
    send(server, { jsonrpc: "2.0", method: "exit" });
    assert.equal(await exited, 0);
  },
);

function send(server: ReturnType<typeof spawn>, message: object): void {
  const body = JSON.stringify(message);
  server.stdin!.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/** Sends a request and waits for its answer (notifications and the server's own requests are passed over). */
function lspRequest(
  server: ReturnType<typeof spawn>,
  id: number,
  method: string,
  params: unknown,
): Promise<{ result?: unknown; error?: unknown }> {
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    let stderr = "";
    const timer = setTimeout(() => done(new Error(`no answer to ${method} in 20 s; stderr: ${stderr}`)), 20_000);
    const onErr = (chunk: Buffer) => (stderr += chunk.toString());
    const onExit = (code: number | null) => done(new Error(`the server exited (${code}) before answering ${method}`));
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf("\r\n\r\n");
        if (end < 0) return;
        const length = Number(/Content-Length: *(\d+)/i.exec(buffer.subarray(0, end).toString())?.[1]);
        if (buffer.length < end + 4 + length) return;
        const message = JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString());
        buffer = buffer.subarray(end + 4 + length);
        if (message.id === id && message.method === undefined) return done(undefined, message);
      }
    };
    function done(error?: Error, message?: { result?: unknown; error?: unknown }) {
      clearTimeout(timer);
      server.stdout!.off("data", onData);
      server.stderr!.off("data", onErr);
      server.off("exit", onExit);
      if (error) reject(error);
      else resolve(message!);
    }
    server.stdout!.on("data", onData);
    server.stderr!.on("data", onErr);
    server.on("exit", onExit);
    send(server, { jsonrpc: "2.0", id, method, params });
  });
}
