#!/usr/bin/env node
// End-to-end tests of the extension in a real VS Code (see vscode.mjs; install it first
// with `bash test/e2e/install.sh`, build with `npm run build`).
//
//   node test/e2e/run.mjs [--only ui|suite] [--vsix FILE] [--keep] [--verbose]
//
// 1. UI tests on a copy of test/e2e/workspace/ (a config in three files, with one error in
//    an included file): the Problems panel, hover, go to definition, a quick fix, and last
//    the Dagger conversion refactoring (it rewrites the copy); and a second project in images/: its
//    finding and rule page, completion, the Dagger preview; the merged job and the CodeLens. Saves
//    docs/screenshot.png and the other docs/*.png screenshots (see test/e2e/README.md).
// 2. The Mocha suite test/e2e/suite/ inside the extension host (commands, merged views,
//    vscode.languages.getDiagnostics), on a fresh copy of the workspace.
// With --vsix FILE the UI tests run on that packaged extension, installed, instead of the
// development folder (the suite needs the development folder, so it is skipped).
// Prints `N passed, N failed`; exits 1 on any failure.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { launch, sleep } from "./vscode.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const { values: opt } = parseArgs({
  options: {
    only: { type: "string" },
    vsix: { type: "string" },
    keep: { type: "boolean" },
    verbose: { type: "boolean" },
  },
});
const vscodeDir = process.env.VSCODE_E2E_DIR || path.join(ROOT, ".vscode-e2e");
const JOBS = ".gitlab/ci/jobs.gitlab-ci.yml";

for (const f of ["dist/extension.js", "dist/server.js", "dist/server-thread.js"]) {
  if (!fs.existsSync(path.join(ROOT, f))) {
    console.error(`${f} is missing: run npm run build first`);
    process.exit(2);
  }
}

let passed = 0;
let failed = 0;
async function check(name, fn) {
  const t = Date.now();
  try {
    const detail = await fn();
    passed++;
    console.log(
      `  ok   ${name} (${Date.now() - t} ms)${detail ? `\n         ${String(detail).replace(/\n/g, "\n         ")}` : ""}`,
    );
    return true;
  } catch (e) {
    failed++;
    console.log(`  FAIL ${name} (${Date.now() - t} ms)\n         ${e.message.replace(/\n/g, "\n         ")}`);
    return false;
  }
}
function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

/** A fresh copy of the fixture workspace (the tests edit it). */
function workspaceCopy() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-e2e-ws-"));
  fs.cpSync(path.join(HERE, "workspace"), dir, { recursive: true });
  return dir;
}
/** 1-based line and column of `needle` (its `n`th occurrence) in a fixture file. */
function position(rel, needle) {
  const lines = fs.readFileSync(path.join(HERE, "workspace", rel), "utf8").split("\n");
  const line = lines.findIndex((l) => l.includes(needle));
  if (line < 0) throw new Error(`${needle} not in ${rel}`);
  return { line: line + 1, col: lines[line].indexOf(needle) + 1 };
}
const show = (ps) =>
  ps.map((p) => `${p.file}: ${p.severity} ${p.message} [Ln ${p.line}, Col ${p.column}]`).join("\n") || "(none)";

async function uiTests() {
  console.log("UI tests (Problems panel, hover, definition, quick fix, Dagger conversion):");
  const ws = workspaceCopy();
  const t0 = Date.now();
  let vsc;
  try {
    const ext = opt.vsix ? { vsix: path.resolve(opt.vsix) } : { extension: ROOT };
    vsc = await launch({ vscodeDir, ...ext, workspace: ws, file: ".gitlab-ci.yml" });
    console.log(`  VS Code ${vsc.version} (code-server), workbench up in ${Date.now() - t0} ms`);
  } catch (e) {
    await check("VS Code starts with the extension", () => {
      throw e;
    });
    return;
  }
  try {
    const unknownKeyword = /unknown keyword "scripts" in job "rspec"/;
    // (a) the error is in a file that is not open: the server analyses the whole include graph
    const ok = await check("(a) Problems panel lists the error of the included, unopened job file", async () => {
      const { ok: found, problems } = await vsc.waitForProblems(
        (ps) => ps.some((p) => unknownKeyword.test(p.message)),
        { ms: 60000 },
      );
      assert(found, `no problem matching ${unknownKeyword} within 60 s; panel shows:\n${show(problems)}`);
      const p = problems.find((x) => unknownKeyword.test(x.message));
      assert(p.file === "jobs.gitlab-ci.yml", `listed under ${p.file}, not jobs.gitlab-ci.yml`);
      const want = position(JOBS, "scripts:");
      assert(
        p.line === want.line && p.column === want.col,
        `at ${p.line}:${p.column}, expected ${want.line}:${want.col}`,
      );
      assert(p.severity === "error", `severity ${p.severity}`);
      return `first diagnostics after ${Date.now() - t0} ms from start:\n${show(problems)}`;
    });
    await check("status bar shows the analysis result", async () => {
      await vsc.waitForStatus("Pipewright: ", 20000).catch(() => {});
      const item = (await vsc.statusItems()).find((s) => /Pipewright/.test(s));
      assert(item && /Pipewright: \d+ jobs?, \d+ errors?/.test(item), `status bar item: ${item}`);
      return item;
    });

    await vsc.openFile(JOBS);
    await sleep(1000); // let the squiggles render for the screenshot
    const screenshot = path.join(ROOT, "docs/screenshot.png");
    if (ok) await vsc.screenshot(screenshot);

    await check("(b) hover on a rule set used through !reference shows its rules", async () => {
      const at = position(JOBS, ".rules:default-branch");
      const text = await vsc.hover(at.line, at.col + 3);
      if (ok) await vsc.screenshot(screenshot); // the Problems panel and a hover
      await vsc.page.keyboard.press("Escape");
      assert(/CI_MERGE_REQUEST_IID/.test(text) && /rules\.gitlab-ci\.yml/.test(text), `hover text:\n${text}`);
      return text.split("\n").slice(0, 6).join("\n");
    });

    await check("(c) go to definition (F12) on an extends parent opens the other file", async () => {
      const at = position(JOBS, ".ruby");
      await vsc.gotoLine(at.line, at.col + 2);
      await vsc.page.keyboard.press("F12");
      await vsc.waitForEditor(".gitlab-ci.yml", 15000);
      const def = position(".gitlab-ci.yml", ".ruby:");
      await vsc.waitForStatus(`Ln ${def.line}, Col `);
      return `.gitlab-ci.yml opened at line ${def.line}`;
    });

    await check('(d) quick fix (Ctrl+.) changes "scripts" to "script" and the problem goes away', async () => {
      await vsc.openFile(JOBS);
      const at = position(JOBS, "scripts:");
      const fix = await vsc.quickFix(/Change to "script"/, at.line, at.col);
      assert(fix.applied, `quick fix not offered; offered: ${JSON.stringify(fix.titles)}`);
      const { ok: gone, problems } = await vsc.waitForProblems((ps) => !ps.some((p) => /scripts/.test(p.message)), {
        ms: 20000,
      });
      assert(gone, `problem still listed:\n${show(problems)}`);
      const text = await vsc.editorText();
      assert(/^ {2}script:$/m.test(text) && !/scripts:/.test(text), `editor text:\n${text}`);
      return `problems left: ${problems.length ? show(problems) : "none"}`;
    });

    await check("(e) the status bar item opens the merged configuration", async () => {
      await vsc.page.click('.statusbar-item:has-text("Pipewright:")');
      await vsc.waitForEditor(/Merged configuration\.yml$/, 15000);
      const text = await vsc.editorText();
      assert(/^rspec:( +# .*)?$/m.test(text) && /^ {2}script:( +# .*)?$/m.test(text), `merged configuration:\n${text}`);
      return "Merged configuration.yml shows rspec with script (the fixed buffer)";
    });

    await check('(f) "Pipewright: Show merged job" asks for the job in a QuickPick', async () => {
      await vsc.runCommand("Pipewright: Show merged job");
      await vsc.page.waitForSelector('.quick-input-title:has-text("Show merged job")', { timeout: 15000 });
      await vsc.page.waitForSelector(".quick-input-list .monaco-list-row .label-name", { timeout: 15000 });
      await sleep(500);
      const jobs = await vsc.page.$$eval(".quick-input-list .monaco-list-row .label-name", (es) =>
        // an item's detail is a label-name too (a previous pick's may linger, hidden): labels only
        es.filter((e) => !e.closest(".quick-input-list-label-meta")).map((e) => e.textContent.trim()),
      );
      assert(jobs.includes("compile") && jobs.includes("rspec"), `jobs offered: ${jobs.join(", ")}`);
      await vsc.page.keyboard.type("compile");
      await sleep(300);
      await vsc.page.keyboard.press("Enter");
      await vsc.waitForEditor(/Merged job compile\.yml$/, 15000);
      const text = await vsc.editorText();
      assert(/image: ruby:/.test(text) && /bundle exec rake compile/.test(text), `merged job:\n${text}`);
      return `jobs offered: ${jobs.join(", ")}`;
    });

    await check(
      "(f1) the merged job says where values come from; F12 on a value opens where it is written",
      async () => {
        await vsc.waitForEditor(/Merged job compile\.yml$/, 15000);
        const lines = (await vsc.editorText()).split("\n");
        const at = lines.findIndex((l) => l.includes("- bundle install"));
        assert(at >= 0, `no "- bundle install" in the merged job:\n${lines.join("\n")}`);
        // provenance: each value's file and line, and the hop that brought it (the .ruby template)
        const from = lines.find((l) => /^before_script:/.test(l));
        assert(/# \.gitlab-ci\.yml:\d+, via extends \.ruby$/.test(from ?? ""), `merged job:\n${lines.join("\n")}`);
        // the view wide, for the screenshot (closing editors would ask to save the job file, edited by (d))
        await vsc.runCommand("View: Join All Editor Groups");
        await vsc.waitForEditor(/Merged job compile\.yml$/, 15000);
        await sleep(500);
        await vsc.screenshot(path.join(ROOT, "docs/merged-job.png"), { x: 0, y: 0, width: 1400, height: 500 });
        await vsc.gotoLine(at + 1, lines[at].indexOf("bundle") + 1);
        await vsc.page.keyboard.press("F12");
        await vsc.waitForEditor(".gitlab-ci.yml", 15000);
        const def = position(".gitlab-ci.yml", "- bundle install");
        await vsc.waitForStatus(`Ln ${def.line}, Col `);
        return `${lines.length} lines; F12 on "${lines[at].trim()}" opened .gitlab-ci.yml at line ${def.line}`;
      },
    );

    await check(
      '(f2) "Pipewright: Show pipeline…" draws the pipeline of a push to main; a click opens the job',
      async () => {
        // room for the screenshot: the job file alone, no panel, no side bar
        await vsc.openFile(JOBS);
        await vsc.runCommand("View: Close Editors in Other Groups");
        await vsc.runCommand("View: Close Other Editors in Group");
        await vsc.runCommand("View: Close Panel");
        await vsc.runCommand("View: Close Primary Side Bar");
        await vsc.waitForEditor(JOBS, 15000);
        await vsc.runCommand("Pipewright: Show pipeline…");
        await vsc.page.waitForSelector('.quick-input-title:has-text("Show pipeline")', { timeout: 15000 });
        await vsc.page.waitForSelector(".quick-input-list .monaco-list-row .label-name", { timeout: 15000 });
        await sleep(300);
        const offered = await vsc.page.$$eval(".quick-input-list .monaco-list-row .label-name", (es) =>
          // an item's detail is a label-name too (a previous pick's may linger, hidden): labels only
          es.filter((e) => !e.closest(".quick-input-list-label-meta")).map((e) => e.textContent.trim()),
        );
        assert(offered.join("|") === "MR|main|tag|schedule|Other…", `scenarios offered: ${offered.join(", ")}`);
        await vsc.page.keyboard.type("main");
        await sleep(300);
        await vsc.page.keyboard.press("Enter");
        // the page is in the webview's inner frame
        let frame;
        for (const end = Date.now() + 20000; !frame && Date.now() < end; await sleep(250)) {
          for (const f of vsc.page.frames()) {
            if (await f.$('[data-testid="job"]').catch(() => null)) frame = f;
          }
        }
        assert(frame, "no pipeline page with jobs within 20 s");
        const title = await frame.$eval('[data-testid="pipeline-title"]', (e) => e.textContent.trim());
        const jobs = await frame.$$eval('[data-testid="job"]', (es) =>
          es.map((e) => `${e.getAttribute("data-job")}:${e.getAttribute("data-when")}`),
        );
        const stages = await frame.$$eval('[data-testid="stage"]', (es) => es.map((e) => e.getAttribute("data-stage")));
        const edges = await frame.$$eval("path.edge, .edge path", (es) => es.length);
        assert(/push to branch main/.test(title), `title: ${title}`);
        assert(stages.join("|") === "build|test", `stages: ${stages.join(", ")}`);
        assert(
          jobs.join("|") === "compile:on_success|rspec:on_success|lint:on_success",
          `jobs drawn: ${jobs.join(", ")}`,
        );
        assert(edges === 1, `${edges} needs edges drawn, expected 1 (rspec needs compile)`);
        await sleep(500);
        await vsc.screenshot(path.join(ROOT, "docs/pipeline.png"));
        await frame.click('[data-testid="job"][data-job="rspec"]');
        await vsc.waitForEditor(/jobs\.gitlab-ci\.yml$/, 15000);
        return `${title}: stages ${stages.join(", ")}; jobs ${jobs.join(", ")}; ${edges} edge; a click opened the job`;
      },
    );

    // A second project in a subfolder (images/.gitlab-ci.yml): its own findings, jobs named with spaces, a
    // Kubernetes job
    const NESTED = "images/.gitlab-ci.yml";
    await check(
      "(h) a nested project's finding is listed; its rule link opens the rule page rendered (Markdown preview)",
      async () => {
        await vsc.runCommand("View: Close Editors in Other Groups"); // the pipeline view
        await vsc.page.keyboard.press("Control+Shift+E"); // the Explorer, to show where the file is
        await vsc.openFile(NESTED);
        const forced = /\$FORCE_GITLAB_CI forces a pipeline/;
        const { ok: found, problems } = await vsc.waitForProblems((ps) => ps.some((p) => forced.test(p.message)), {
          ms: 30000,
        });
        assert(found, `no force-gitlab-ci finding listed:\n${show(problems)}`);
        const p = problems.find((x) => forced.test(x.message));
        const want = position(NESTED, "if: $FORCE_GITLAB_CI");
        want.col += "if: ".length;
        assert(
          p.file === ".gitlab-ci.yml" && p.severity === "warning" && p.code === "force-gitlab-ci",
          `listed as ${JSON.stringify(p)}`,
        );
        assert(
          p.line === want.line && p.column === want.col,
          `at ${p.line}:${p.column}, expected ${want.line}:${want.col}`,
        );
        await sleep(500);
        await vsc.screenshot(path.join(ROOT, "docs/nested-project.png"));
        // the code after the message is the link: clicking it shows the page, rendered
        await vsc.page
          .locator(".markers-panel .monaco-list-row", { hasText: "$FORCE_GITLAB_CI forces" })
          .locator(".marker-code")
          .click();
        await vsc.page.waitForSelector('.tabs-container .tab.active:has-text("Preview force-gitlab-ci.md")', {
          timeout: 20000,
        });
        let heading;
        for (const end = Date.now() + 20000; !heading && Date.now() < end; await sleep(250))
          for (const f of vsc.page.frames())
            heading ??= await f.$eval("h1#force-gitlab-ci", (e) => e.textContent.trim()).catch(() => undefined);
        assert(heading === "force-gitlab-ci", "no rendered rule page (h1 force-gitlab-ci) in a webview within 20 s");
        const raw = await vsc.page.$$eval(".monaco-editor[data-uri]", (es) =>
          es.filter((e) => /\.md$/.test(e.getAttribute("data-uri"))).map((e) => e.getAttribute("data-uri")),
        );
        assert(!raw.length, `the page was opened as text: ${raw.join(", ")}`);
        // closed with the mouse: keys would go to the preview's frame, which has the focus
        await vsc.page.click(".tabs-container .tab.active .tab-actions .codicon-close");
        await vsc.page.waitForSelector('.tabs-container .tab:has-text("Preview force-gitlab-ci.md")', {
          state: "detached",
          timeout: 10000,
        });
        return `${show([p])}\nits link opened "Preview force-gitlab-ci.md"`;
      },
    );

    await check('(i) completion of a need named with spaces: "- clone te" becomes "- clone test images"', async () => {
      await vsc.runCommand("View: Close Panel");
      await vsc.openFile(NESTED);
      const at = position(NESTED, "    - build images");
      await vsc.gotoLine(at.line, 1);
      await vsc.page.keyboard.press("End");
      await vsc.page.keyboard.press("Enter");
      await vsc.page.keyboard.type("- clone te");
      await vsc.page.keyboard.press("Control+Space");
      const row = ".suggest-widget.visible .monaco-list-row";
      await vsc.page.waitForSelector(row, { timeout: 15000 });
      await sleep(500);
      const offered = await vsc.page.$$eval(row, (rs) => rs.map((r) => r.getAttribute("aria-label")));
      assert(/^clone test images\b/.test(offered[0] ?? ""), `offered: ${offered.join(" | ")}`);
      const box = await vsc.page.$eval(".suggest-widget.visible", (e) => e.getBoundingClientRect().toJSON());
      const y = Math.max(0, Math.round(box.y) - 240);
      await vsc.screenshot(path.join(ROOT, "docs/completion.png"), { x: 340, y, width: 840, height: 320 });
      await vsc.page.keyboard.press("Enter");
      let lines = [];
      for (const end = Date.now() + 5000; Date.now() < end; await sleep(200)) {
        lines = (await vsc.editorText()).split("\n");
        if (lines[lines.indexOf("    - build images") + 1] === "    - clone test images") break;
      }
      const after = lines[lines.indexOf("    - build images") + 1];
      assert(after === "    - clone test images", `the line reads "${after}"`);
      await vsc.runCommand("File: Revert File");
      return `offered: ${offered.join(" | ")}; accepted: "${after.trim()}"`;
    });

    await check(
      "(j) Ctrl+Enter previews the Dagger conversion of a Kubernetes job: same runner tags, nothing applied",
      async () => {
        await vsc.runCommand("View: Close Primary Side Bar");
        await vsc.openFile(NESTED);
        const at = position(NESTED, "build images:");
        await vsc.gotoLine(at.line, at.col + 1);
        await vsc.page.keyboard.press("Escape");
        await vsc.page.keyboard.press("Control+.");
        const rows = ".action-widget .monaco-list-row.action";
        await vsc.page.waitForSelector(rows, { state: "visible", timeout: 15000 });
        const titles = await vsc.page.$$eval(rows, (rs) => rs.map((r) => r.getAttribute("aria-label")));
        // Kubernetes first (the job's tags and variables say so), and no "runs on ...": the tags stay
        const title = 'Convert job "build images" to a Dagger Function (Kubernetes executor)';
        assert(titles[0] === title, `offered: ${titles.join(" | ")}`);
        for (let i = 0; i < 10; i++) {
          const focused = await vsc.page
            .$eval(`${rows}.focused`, (r) => r.getAttribute("aria-label"))
            .catch(() => null);
          if (focused === title) break;
          await vsc.page.keyboard.press("ArrowDown");
        }
        await vsc.page.keyboard.press("Control+Enter");
        const tree = "#refactorPreview .monaco-list-row";
        await vsc.page.waitForSelector(tree, { state: "visible", timeout: 15000 });
        await sleep(1000);
        // the changed files, then the edits of .gitlab-ci.yml last: open its diff (the list shows only some rows)
        await vsc.page.click(tree);
        await sleep(500);
        await vsc.page.click(tree);
        await vsc.page.keyboard.press("End");
        const row = vsc.page.locator(tree, { hasText: ".gitlab-ci.yml" }).first();
        await row.waitFor({ timeout: 10000 }).catch(async () => {
          const shown = await vsc.page.$$eval(tree, (rs) => rs.map((r) => r.textContent));
          throw new Error(`no .gitlab-ci.yml in the Refactor Preview:\n${shown.join("\n")}`);
        });
        await row.click();
        await vsc.page.waitForSelector('.tabs-container .tab.active:has-text("Refactor Preview")', { timeout: 15000 });
        // the new text's own lines (in an inline diff, removed lines are in view zones)
        const editor = '.monaco-editor.modified-in-monaco-diff-editor[data-uri*="images/.gitlab-ci.yml"]';
        const modified = `${editor} .lines-content > .view-lines`;
        let text = "";
        for (
          const end = Date.now() + 15000;
          !/dagger call build-images/.test(text) && Date.now() < end;
          await sleep(250)
        )
          text = await vsc.page
            .$eval(modified, (e) =>
              [...e.querySelectorAll(".view-line")]
                .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
                .map((l) => l.textContent.replace(/\u00a0/g, " "))
                .join("\n"),
            )
            .catch(() => "");
        assert(
          /^build images:\n {2}extends: \.dagger\n {2}stage: build\n {2}tags: \[dagger-node\]$/m.test(text) &&
            /^ {4}- dagger call build-images --source=\. stdout$/m.test(text),
          `the preview of images/.gitlab-ci.yml:\n${text}`,
        );
        assert(
          /^ {2}tags: \[dagger-node\]\n {2}variables:\n {4}DAGGER_VERSION:/m.test(text),
          `no .dagger on dagger-node:\n${text}`,
        );
        const tab = await vsc.page.$eval(".tabs-container .tab.active", (e) => e.textContent.trim());
        await sleep(500);
        await vsc.screenshot(path.join(ROOT, "docs/dagger-preview.png"));
        await vsc.page.click('#refactorPreview .monaco-button:has-text("Discard")');
        await vsc.page.waitForSelector(tree, { state: "hidden", timeout: 10000 }).catch(() => {});
        assert(!fs.existsSync(path.join(ws, "images/dagger.json")), "discarded, yet images/dagger.json was created");
        return `offered: ${titles.join(" | ")}; "${tab}" shows the job on dagger-node still; discarded`;
      },
    );

    await check('(k) the "used by 2 jobs" CodeLens on template .ruby opens the jobs that extend it', async () => {
      // this run turns CodeLens off (vscode.mjs): on for this test only, in the workspace's settings
      const settings = path.join(ws, ".vscode/settings.json");
      const before = fs.readFileSync(settings, "utf8");
      fs.writeFileSync(settings, JSON.stringify({ ...JSON.parse(before), "editor.codeLens": true }, null, 2));
      try {
        await vsc.openFile(".gitlab-ci.yml");
        const lens = '.monaco-editor .codelens-decoration a:has-text("used by 2 jobs")';
        await vsc.page.waitForSelector(lens, { timeout: 30000 });
        const lenses = await vsc.page.$$eval(".monaco-editor .codelens-decoration", (es) =>
          es.map((e) => e.textContent.trim()),
        );
        await vsc.page.click(lens);
        const ref = ".peekview-widget .ref-tree .monaco-list-row";
        await vsc.page.waitForSelector(ref, { timeout: 15000 });
        await sleep(800);
        const refs = await vsc.page.$$eval(ref, (rs) => rs.map((r) => r.textContent.trim()));
        // a row per file, with its count (the first one open, on job compile)
        const files = refs.flatMap((r) => /^(\S+\.yml)\D*(\d+)$/.exec(r)?.slice(1) ?? []);
        assert(
          files.join("|") === ".gitlab-ci.yml|1|jobs.gitlab-ci.yml|1" && refs.includes("compile:"),
          `references peek:\n${refs.join("\n")}`,
        );
        await vsc.screenshot(path.join(ROOT, "docs/codelens.png"), { x: 0, y: 0, width: 1400, height: 620 });
        await vsc.page.keyboard.press("Escape");
        return `lenses: ${lenses.join(" | ")}\npeek: ${refs.join(" | ")}`;
      } finally {
        fs.writeFileSync(settings, before);
        await vsc.page
          .waitForSelector(".monaco-editor .codelens-decoration", { state: "detached", timeout: 10000 })
          .catch(() => {});
      }
    });

    // Last: it rewrites .gitlab-ci.yml and creates the Dagger module (in this run's copy).
    await check(
      "(g) Ctrl+. on a job name converts it to a Dagger Function: job rewritten, module created, no error",
      async () => {
        const CI = ".gitlab-ci.yml";
        await vsc.openFile(CI);
        const at = position(CI, "lint:");
        const title = /Convert job "lint" to a Dagger Function \(Docker executor\)/;
        const action = await vsc.quickFix(title, at.line, at.col + 1);
        assert(action.applied, `conversion not offered; offered: ${JSON.stringify(action.titles)}`);
        await vsc.openFile(CI);
        let text = "";
        for (const end = Date.now() + 10000; Date.now() < end && !/dagger call/.test(text); await sleep(250))
          text = await vsc.documentText();
        assert(/^lint:\n {2}extends: \.dagger$/m.test(text), `no "extends: .dagger" in lint:\n${text}`);
        assert(
          /^ {2}script:\n {4}- dagger call lint --source=\. stdout$/m.test(text) && !/rubocop/.test(text),
          `script not replaced:\n${text}`,
        );
        assert(/^\.dagger:$/m.test(text) && /^ {4}- docker:27-dind$/m.test(text), `no .dagger job:\n${text}`);
        assert(/^compile:\n {2}stage: build\n {2}extends: \.ruby$/m.test(text), `compile changed:\n${text}`);

        // the server has analysed the edited buffer: it knows the new .dagger job
        const ext = text.split("\n").findIndex((l) => l === "  extends: .dagger") + 1;
        const hover = await vsc.hover(ext, 13);
        await vsc.page.keyboard.press("Escape");
        const setup = text.split("\n").indexOf(".dagger:") + 1;
        assert(
          hover.includes(`template .dagger — defined in ${CI}:${setup}`),
          `hover on .dagger (defined at line ${setup}):\n${hover}`,
        );
        await vsc.waitForStatus(", 0 errors", 20000).catch(() => {});
        const status = (await vsc.statusItems()).find((s) => /Pipewright/.test(s));
        const { ok: clean, problems } = await vsc.waitForProblems(
          (ps) => !ps.some((p) => p.file === CI && p.severity === "error"),
          { ms: 20000, settleMs: 3000 },
        );
        assert(clean, `errors listed for ${CI}:\n${show(problems)}`);

        const created = [
          "dagger.json",
          ".dagger/package.json",
          ".dagger/tsconfig.json",
          ".dagger/.gitignore",
          ".dagger/.gitattributes",
          ".dagger/src/index.ts",
        ];
        const missing = created.filter((f) => !fs.existsSync(path.join(ws, f)));
        assert(!missing.length, `not created on disk: ${missing.join(", ")}`);
        await vsc.openFile(".dagger/src/index.ts");
        const source = await vsc.documentText();
        assert(
          /^ {2}@func\(\)\n {2}lint\(@argument\(\{ defaultPath: "\/" \}\) source: Directory\): Container \{$/m.test(
            source,
          ) && /"bundle exec rubocop",/.test(source),
          `.dagger/src/index.ts:\n${source}`,
        );
        return (
          `${status}; ${CI} (${text.split("\n").length} lines) ` +
          `problems: ${show(problems.filter((p) => p.file === CI))}\n` +
          `hover on .dagger: ${hover.split("\n")[0]}\n` +
          `offered: ${action.titles.join(" | ")}\ncreated: ${created.join(", ")}`
        );
      },
    );
  } finally {
    if (failed || opt.verbose) console.log(vsc.logs());
    await vsc.close({ keep: opt.keep });
    if (!opt.keep) fs.rmSync(ws, { recursive: true, force: true });
  }
  console.log(`  screenshot: docs/screenshot.png${opt.vsix ? " (from the .vsix)" : ""}`);
}

async function suiteTests() {
  console.log("Mocha suite inside the extension host (test/e2e/suite):");
  const ws = workspaceCopy();
  let vsc;
  const lines = [];
  try {
    vsc = await launch({
      vscodeDir,
      extension: ROOT,
      workspace: ws,
      tests: path.join(HERE, "suite", "index.js"),
      log: (l) => {
        lines.push(l);
        if (opt.verbose) console.log(`    | ${l}`);
      },
    });
    const code = await Promise.race([vsc.testsExit(), sleep(180000).then(() => "timeout")]);
    // the suite's reporter prints one line per test: count them as ours
    const results = lines.filter((l) => /^\s*(ok|not ok) \d+ /.test(l));
    for (const r of results) {
      const m = /^\s*(ok|not ok) \d+ (.*)$/.exec(r);
      if (m[1] === "ok") {
        passed++;
        console.log(`  ok   ${m[2]}`);
      } else {
        failed++;
        console.log(`  FAIL ${m[2]}`);
      }
    }
    if (!opt.verbose)
      for (const l of lines)
        if (/^\s+(Error|AssertionError|at |[-+] |expected|actual)/.test(l)) console.log(`         ${l.trim()}`);
    if (code !== 0 && !results.some((r) => r.startsWith("not ok"))) {
      failed++;
      console.log(`  FAIL extension tests exited with ${code}\n${lines.join("\n")}`);
    }
    if (!results.length) {
      failed++;
      console.log(`  FAIL the suite ran no test\n${lines.join("\n")}`);
    }
  } catch (e) {
    await check("VS Code starts with the extension tests", () => {
      throw e;
    });
  } finally {
    if (vsc && (failed || opt.verbose)) console.log(vsc.logs());
    await vsc?.close({ keep: opt.keep });
    if (!opt.keep) fs.rmSync(ws, { recursive: true, force: true });
  }
}

const t = Date.now();
if (opt.only !== "suite") await uiTests();
if (opt.only !== "ui" && !opt.vsix) await suiteTests();
console.log(`e2e: ${((Date.now() - t) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
