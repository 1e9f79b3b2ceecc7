// Drives a real VS Code for the end-to-end tests: code-server (VS Code server + web
// workbench, Node extension host) installed by install.sh, shown in headless Debian
// chromium through playwright-core. Our extension is loaded as an Extension Development
// Host, as F5 loads it. Adapted from shared/tools/vscode-e2e/smoke.mjs.
//
//   const vsc = await launch({ extension: ROOT, workspace: DIR, file: 'a.yml' });
//   await vsc.problems(); await vsc.hover(3, 5); await vsc.quickFix(/title/); await vsc.close();
//
// With `vsix: FILE` instead of `extension`, the packaged extension is installed first.
// With `tests: MODULE` the extension host require()s MODULE and awaits its run() (what
// @vscode/test-electron calls extensionTestsPath); vsc.testsExit() gives its exit code.
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import util from "node:util";

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const SETTINGS = {
  "workbench.startupEditor": "none",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "update.mode": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "chat.commandCenter.enabled": false,
  "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "files.autoSave": "off", // the web workbench's default (afterDelay) would save quick fixes
  "git.enabled": false,
  "editor.hover.delay": 200,
  "editor.minimap.enabled": false,
  // documentText() reads the rendered lines: a CodeLens arriving mid-read (they come after each analysis)
  // shifts them, and a line was once read with its neighbour's text
  "editor.codeLens": false,
};

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-breakpad",
  "--disable-dev-shm-usage",
];

const servers = new Set(); // process groups to kill if we exit early
process.on("exit", () => {
  for (const pid of servers)
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      /* gone */
    }
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(130));

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export async function launch({
  vscodeDir,
  extension,
  vsix,
  workspace,
  file,
  tests,
  settings,
  timeoutMs = 120000,
  log = () => {},
}) {
  const launcher = path.join(vscodeDir, "bin", "code-server");
  if (!fs.existsSync(launcher)) throw new Error(`no ${launcher}: run bash test/e2e/install.sh first`);
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-e2e-"));
  const ud = path.join(runDir, "user-data");
  fs.mkdirSync(path.join(ud, "User"), { recursive: true });
  fs.writeFileSync(path.join(ud, "User", "settings.json"), JSON.stringify({ ...SETTINGS, ...settings }, null, 2));
  fs.writeFileSync(path.join(runDir, "config.yaml"), "auth: none\ncert: false\n");
  // code-server and chromium write to the XDG homes: keep that inside runDir
  const xdg = path.join(runDir, "xdg");
  const env = { ...process.env, XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: xdg, XDG_CACHE_HOME: xdg };

  const csArgs = [
    "--config",
    path.join(runDir, "config.yaml"),
    "--user-data-dir",
    ud,
    "--extensions-dir",
    path.join(runDir, "extensions"),
  ];
  if (vsix) {
    const r = spawnSync(launcher, [...csArgs, "--install-extension", path.resolve(vsix), "--force"], {
      env,
      encoding: "utf8",
    });
    if (r.status !== 0 || !/successfully installed/i.test(r.stdout + r.stderr))
      throw new Error(`installing ${vsix} failed:\n${r.stdout}${r.stderr}`);
  }

  const port = await freePort();
  const authority = `127.0.0.1:${port}`;
  const out = fs.openSync(path.join(runDir, "code-server.log"), "a");
  // --enable-smoke-test-driver: without it VS Code >= 1.10x ignores extensionDevelopmentPath
  // in a built workbench (code-server passes it on with --vscode-option where it has that)
  const csCli = fs.readFileSync(path.join(vscodeDir, "node_modules/code-server/out/node/cli.js"), "utf8");
  const passThrough = csCli.includes('"vscode-option"') ? ["--vscode-option", "enable-smoke-test-driver"] : [];
  const server = spawn(
    launcher,
    [
      ...csArgs,
      "--auth",
      "none",
      "--bind-addr",
      authority,
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-workspace-trust",
      "--disable-getting-started-override",
      "--ignore-last-opened",
      ...passThrough,
    ],
    { env, detached: true, stdio: ["ignore", out, out] },
  );
  fs.closeSync(out);
  servers.add(server.pid);
  let serverExit = null;
  server.on("exit", (code, signal) => {
    serverExit = { code, signal };
  });

  let browser;
  const consoleLines = [];
  async function close({ keep = false } = {}) {
    try {
      await browser?.close();
    } catch {
      /* gone */
    }
    if (!serverExit) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        /* gone */
      }
      for (let i = 0; i < 30 && !serverExit; i++) await sleep(100);
      try {
        process.kill(-server.pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
    servers.delete(server.pid);
    if (!keep) fs.rmSync(runDir, { recursive: true, force: true });
  }
  /** The extension host's and remote agent's logs, to print when something failed. */
  function logs() {
    const found = [];
    const walk = (d) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/(exthost|remoteagent|Pipewright)\.log$/.test(e.name))
          found.push(`--- ${p}\n${fs.readFileSync(p, "utf8").slice(-4000)}`);
      }
    };
    try {
      walk(path.join(ud, "logs"));
    } catch {
      /* no logs yet */
    }
    return found.join("\n");
  }

  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (serverExit)
        throw new Error(`code-server exited: ${fs.readFileSync(path.join(runDir, "code-server.log"), "utf8")}`);
      try {
        if ((await fetch(`http://${authority}/healthz`)).ok) break;
      } catch {
        /* not yet */
      }
      if (Date.now() > deadline) throw new Error("code-server did not start");
      await sleep(100);
    }

    const { chromium } = createRequire(path.join(vscodeDir, "package.json"))("playwright-core");
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      headless: true,
      args: CHROMIUM_ARGS,
      env,
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(timeoutMs);
    page.on("console", (m) => {
      if (m.text().includes("[Extension Host]")) consoleLines.push(m.text().replace(/%c|color: \S+ ?/g, ""));
    });

    // The workbench's own way to open an Extension Development Host window: a URL payload.
    const remote = (p) => `vscode-remote://${authority}${encodeURI(p)}`;
    const payload = extension ? [["extensionDevelopmentPath", remote(extension)]] : [];
    let testsDone;
    const testsExit = new Promise((resolve) => {
      testsDone = resolve;
    });
    if (tests) {
      payload.push(["extensionTestsPath", remote(tests)]);
      // in this mode the workbench reports the exit code and forwards the host's console
      await page.exposeFunction("codeAutomationExit", (code) => testsDone(code));
      await page.exposeFunction("codeAutomationLog", (type, args) => {
        const line = util.format(...(Array.isArray(args) ? args : [args]));
        consoleLines.push(line);
        log(line);
      });
    }
    if (file) payload.push(["openFile", remote(path.join(workspace, file))]);
    await page.goto(
      `http://${authority}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`,
    );
    await page.waitForSelector(".monaco-workbench");

    const vsc = {
      page,
      runDir,
      consoleLines,
      logs,
      close,
      version: fs.readFileSync(path.join(vscodeDir, "VSCODE_VERSION"), "utf8").trim(),
      testsExit: () => testsExit,

      /** Path of the file shown by the focused editor (or the first one found), or null. */
      activeFile: () =>
        page.evaluate(() => {
          const eds = [...document.querySelectorAll(".editor-group-container.active .monaco-editor[data-uri]")];
          const ed = eds.find((e) => e.classList.contains("focused")) || eds[0];
          try {
            return ed ? decodeURIComponent(new URL(ed.getAttribute("data-uri")).pathname) : null;
          } catch {
            return null;
          }
        }),
      /** Wait until the active editor shows `rel` (a workspace path) or a path matching a RegExp. */
      async waitForEditor(rel, ms = 30000) {
        const ok = rel instanceof RegExp ? (f) => rel.test(f) : (f) => f === path.join(workspace, rel);
        const end = Date.now() + ms;
        while (Date.now() < end) {
          const f = await vsc.activeFile();
          if (f && ok(f) && (await page.isVisible(".editor-group-container.active .monaco-editor .view-lines")))
            return f;
          await sleep(100);
        }
        throw new Error(`editor of ${rel} did not open (active: ${await vsc.activeFile()})`);
      },
      async quickInput(text) {
        await page.keyboard.press("F1");
        await page.waitForSelector(".quick-input-widget input", { state: "visible" });
        await page.keyboard.press("Control+A");
        await page.keyboard.type(text);
      },
      /** Run a command by its title through the command palette. */
      async runCommand(title) {
        await vsc.quickInput(`>${title}`);
        await page.waitForSelector(".quick-input-list .monaco-list-row", { state: "visible" });
        await sleep(300);
        await page.keyboard.press("Enter");
      },
      /** Open a workspace file with Quick Open. */
      async openFile(rel) {
        await vsc.quickInput(rel);
        await page.waitForSelector(".quick-input-list .monaco-list-row", { state: "visible" });
        await sleep(500);
        await page.keyboard.press("Enter");
        await vsc.waitForEditor(rel);
      },
      /** Move the cursor of the active editor (1-based). */
      async gotoLine(line, col = 1) {
        await vsc.quickInput(`:${line}:${col}`);
        await sleep(300);
        await page.keyboard.press("Enter");
        await vsc.waitForStatus(`Ln ${line}, Col ${col}`);
      },
      async waitForStatus(text, ms = 10000) {
        await page.waitForFunction(
          (t) => [...document.querySelectorAll(".statusbar-item")].some((e) => e.textContent.includes(t)),
          text,
          { timeout: ms },
        );
      },
      statusItems: () => page.$$eval(".statusbar-item", (es) => es.map((e) => e.textContent.trim()).filter(Boolean)),
      async showProblems() {
        for (let i = 0; i < 8; i++) {
          // right after start-up the first Ctrl+Shift+M can be lost
          if (await page.isVisible(".markers-panel").catch(() => false)) return;
          await page.keyboard.press("Control+Shift+M");
          try {
            await page.waitForSelector(".markers-panel", { state: "visible", timeout: 1500 });
            return;
          } catch {
            /* again */
          }
        }
        await vsc.runCommand("View: Focus Problems");
        await page.waitForSelector(".markers-panel", { state: "visible" });
      },
      /** The rendered rows of the Problems panel, each with the file of the group it is in. */
      async problems() {
        await vsc.showProblems();
        return page.$$eval(".markers-panel .monaco-list-row", (rows) => {
          const out = [];
          let file = null;
          for (const r of rows) {
            const q = (s) => r.querySelector(s)?.textContent?.trim() ?? null;
            const icon = r.querySelector(".marker-icon");
            if (!icon) {
              file = q(".label-name");
              continue;
            }
            const pos = /\[Ln (\d+), Col (\d+)\]/.exec(q(".marker-line") || "") || [];
            out.push({
              file,
              message: q(".marker-message"),
              source: q(".marker-source"),
              code: q(".marker-code"),
              severity: ["error", "warning", "info"].find((s) => icon.classList.contains(s)) ?? "hint",
              line: Number(pos[1]) || null,
              column: Number(pos[2]) || null,
            });
          }
          return out;
        });
      },
      /** Poll the Problems panel until `done(problems)` holds and the list stayed the same for settleMs. */
      async waitForProblems(done, { ms = 60000, settleMs = 1500 } = {}) {
        const end = Date.now() + ms;
        let last = null;
        let since = Date.now();
        let ps = [];
        for (;;) {
          ps = await vsc.problems();
          const key = JSON.stringify(ps);
          if (key !== last) {
            last = key;
            since = Date.now();
          }
          if (done(ps) && Date.now() - since >= settleMs) return { ok: true, problems: ps };
          if (Date.now() > end) return { ok: false, problems: ps };
          await sleep(250);
        }
      },
      /** Hover at line:col of the active editor (Ctrl+K Ctrl+I); returns the hover's text. */
      async hover(line, col) {
        await vsc.gotoLine(line, col);
        await page.keyboard.press("Escape");
        await page.keyboard.press("Control+K");
        await page.keyboard.press("Control+I");
        const h = await page.waitForSelector(".monaco-editor .monaco-hover:not(.hidden)", {
          state: "visible",
          timeout: 15000,
        });
        await sleep(700); // let the language server's part arrive
        return (await h.innerText()).trim();
      },
      /** Ctrl+. at line:col, then the first action whose title matches (the menu takes keys only). */
      async quickFix(titleRe, line, col) {
        await vsc.gotoLine(line, col);
        await page.keyboard.press("Escape");
        await page.keyboard.press("Control+.");
        await page.waitForSelector(".action-widget .monaco-list-row.action", { state: "visible", timeout: 15000 });
        const label = (r) => r.getAttribute("aria-label") || r.textContent;
        const titles = await page.$$eval(".action-widget .monaco-list-row.action", (rs) =>
          rs.map((r) => r.getAttribute("aria-label") || r.textContent),
        );
        if (!titles.some((t) => titleRe.test(t))) {
          await page.keyboard.press("Escape");
          return { applied: false, titles };
        }
        for (let i = 0; i < 20; i++) {
          const focused = await page.$eval(".action-widget .monaco-list-row.action.focused", label).catch(() => null);
          if (focused && titleRe.test(focused)) break;
          await page.keyboard.press("ArrowDown");
        }
        await page.keyboard.press("Enter");
        await page.waitForSelector(".action-widget", { state: "hidden", timeout: 10000 }).catch(() => {});
        return { applied: true, titles };
      },
      /** The rendered lines of the active editor. */
      editorText: () =>
        page.$eval(".editor-group-container.active .monaco-editor .view-lines", (e) =>
          [...e.querySelectorAll(".view-line")]
            .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
            .map((l) => l.textContent.replace(/\u00a0/g, " "))
            .join("\n"),
        ),
      /**
       * The whole text of the active editor: editorText() gives only the rendered lines, so
       * this pages from the top to the end (moving the cursor) and keys lines by line number.
       */
      async documentText() {
        const read = () =>
          page.$eval(".editor-group-container.active .monaco-editor", (ed) => {
            const num = new Map();
            for (const d of ed.querySelectorAll(".margin-view-overlays > div")) {
              const n = d.querySelector(".line-numbers");
              if (n) num.set(d.style.top, Number(n.textContent));
            }
            return [...ed.querySelectorAll(".view-lines .view-line")].map((l) => [
              num.get(l.style.top),
              l.textContent.replace(/\u00a0/g, " "),
            ]);
          });
        const lines = new Map();
        await page.keyboard.press("Control+Home");
        for (let i = 0, last = -1; i < 100; i++) {
          await sleep(150);
          for (const [n, t] of await read()) if (n) lines.set(n, t);
          const max = Math.max(0, ...lines.keys());
          if (max === last) break;
          last = max;
          await page.keyboard.press("PageDown");
        }
        const n = Math.max(0, ...lines.keys());
        const missing = Array.from({ length: n }, (_, i) => i + 1).filter((k) => !lines.has(k));
        if (missing.length) throw new Error(`documentText: lines ${missing.join(", ")} were not rendered`);
        return Array.from({ length: n }, (_, i) => lines.get(i + 1)).join("\n");
      },
      /** A PNG of the window, or of a part of it (`clip`: x, y, width, height). */
      screenshot: (p, clip) => page.screenshot({ path: p, ...(clip ? { clip } : {}) }),
    };
    if (file) await vsc.waitForEditor(file, timeoutMs);
    return vsc;
  } catch (e) {
    e.message += `\n${logs()}`;
    await close();
    throw e;
  }
}
