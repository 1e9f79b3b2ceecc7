import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { LspClient } from "./lsp-client";

// The analysis runs off the thread that reads the client's messages, gives way to requests, and
// ends with one diagnostic past its budget: a config that takes long to analyse never holds the
// editor. Timings are the bench's to report; here the order of events says who waited for whom.

type Diagnostics = { uri: string; diagnostics: Array<{ code: string; message: string }> };
type Hover = { contents: { value: string } } | null;

const SMALL_ROOT = "include:\n  - local: ci/small.yml\nroot-job:\n  script: [x]\n";

/** 150 included files of 300 jobs each: about 12 s of analysis on the development machine. */
function writeSlowProject(dir: string): string {
  fs.mkdirSync(path.join(dir, "ci"), { recursive: true });
  fs.writeFileSync(path.join(dir, ".gitlab-ci.yml"), SMALL_ROOT);
  fs.writeFileSync(
    path.join(dir, "ci", "small.yml"),
    ".tpl:\n  image: alpine\nsmall:\n  extends: .tpl\n  script: [y]\n",
  );
  let slowRoot = "include:\n  - local: ci/small.yml\n";
  for (let i = 0; i < 150; i++) {
    slowRoot += `  - local: ci/f${i}.yml\n`;
    let text = `.t${i}:\n  image: alpine\n  variables: {A: "1"}\n`;
    for (let k = 0; k < 300; k++)
      text += `j${i}_${k}:\n  extends: .t${i}\n  script: [echo ${k}]\n  rules: [{if: "$CI == 'x'", when: manual}]\n`;
    fs.writeFileSync(path.join(dir, "ci", `f${i}.yml`), text);
  }
  return `${slowRoot}root-job:\n  script: [x]\n`;
}

test("past its analysis budget: hovers are answered meanwhile from the last analysis, then one warning", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-budget-"));
  const slowRoot = writeSlowProject(dir);
  const client = new LspClient(dir);
  try {
    await client.start({ analysisBudget: 2 });
    const open = (file: string, text: string) =>
      client.notify("textDocument/didOpen", {
        textDocument: { uri: client.uri(file), languageId: "gitlab-ci", version: 1, text },
      });
    open(".gitlab-ci.yml", SMALL_ROOT);
    open("ci/small.yml", fs.readFileSync(path.join(dir, "ci", "small.yml"), "utf8"));
    await client.waitFor("pipewright/analysisDone", () => true);
    const hoverTemplate = () =>
      client.request<Hover>("textDocument/hover", {
        textDocument: { uri: client.uri("ci/small.yml") },
        position: { line: 3, character: 12 },
      });
    const before = await hoverTemplate();
    assert.match(before!.contents.value, /\.tpl/, "the hover names the template");

    // the edit that makes the config slow
    client.notify("textDocument/didChange", {
      textDocument: { uri: client.uri(".gitlab-ci.yml"), version: 2 },
      contentChanges: [{ text: slowRoot }],
    });
    await client.waitFor("pipewright/analysisStarted", () => true);
    await new Promise((r) => setTimeout(r, 300));
    const events: string[] = [];
    const sent = performance.now();
    const during = hoverTemplate().then((h) => {
      events.push("hover");
      return { h, ms: performance.now() - sent };
    });
    const budget = client
      .waitFor<Diagnostics>(
        "textDocument/publishDiagnostics",
        (p) => p.uri === client.uri(".gitlab-ci.yml") && p.diagnostics.some((d) => d.code === "analysis-budget"),
        60000,
      )
      .then((p) => {
        events.push("budget");
        return p;
      });
    const [{ h, ms }, published] = await Promise.all([during, budget]);
    assert.deepEqual(events, ["hover", "budget"], "the hover did not wait for the analysis");
    assert.deepEqual(h, before, "answered from the last finished analysis");
    const warning = published.diagnostics.find((d) => d.code === "analysis-budget")!;
    assert.match(
      warning.message,
      /^Pipewright stopped analysing this version of the configuration after 2\.\d s, its analysis budget \(the analysisBudget setting, 2 s\); the findings shown are from the last analysis that finished$/,
    );
    console.log(`# hover answered in ${ms.toFixed(0)} ms while the slow config was being analysed`);

    // the next edit starts again with a whole budget, and a config that fits clears the warning
    client.notify("textDocument/didChange", {
      textDocument: { uri: client.uri(".gitlab-ci.yml"), version: 3 },
      contentChanges: [{ text: SMALL_ROOT }],
    });
    await client.waitFor<Diagnostics>(
      "textDocument/publishDiagnostics",
      (p) => p.uri === client.uri(".gitlab-ci.yml") && !p.diagnostics.some((d) => d.code === "analysis-budget"),
    );
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
