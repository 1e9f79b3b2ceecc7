import * as assert from "node:assert/strict";
import { test } from "node:test";
import type * as lsp from "vscode-languageserver/node";
import { MemoryHost } from "../server/src/engine/memory-host";
import { Analyses } from "../server/src/lsp/analysis";
import { Folders } from "../server/src/lsp/folders";
import { Workspace } from "../server/src/workspace/workspace";
import { y } from "./helpers";

// What the server announces after an edit: analysisStarted, the files whose diagnostics changed, then
// analysisDone, whoever ran the analysis. An editor (and the bench) waits for one or the other.

function server(giveWay?: () => boolean) {
  const sent: string[] = [];
  const connection = {
    sendNotification: (method: string) => void sent.push(method),
    sendDiagnostics: (p: { uri: string }) => void sent.push(`diagnostics ${p.uri.replace(/^.*\//, "")}`),
  } as unknown as lsp.Connection;
  const folders = new Folders(["/project"], () => new Workspace({ files: new MemoryHost({}) }, { giveWay }));
  const analyses = new Analyses(
    connection,
    () => folders,
    (_what, f) => f(),
  );
  return { sent, analyses, workspace: folders.list[0].workspace };
}

test("an edit analysed by someone else first (a request, the lenses) is announced all the same", () => {
  const { sent, analyses, workspace } = server();
  workspace.setDocument(".gitlab-ci.yml", y("j:", "  script: [x]"));
  analyses.run();
  assert.deepEqual(sent.splice(0), [
    "pipewright/analysisStarted",
    "diagnostics .gitlab-ci.yml",
    "pipewright/analysisDone",
  ]);
  // an edit that changes no diagnostic, analysed before the analysis timer runs
  workspace.setDocument(".gitlab-ci.yml", y("j:", "  script: [y]"));
  workspace.analyze();
  analyses.run();
  assert.deepEqual(sent.splice(0), ["pipewright/analysisStarted", "pipewright/analysisDone"]);
  // nothing new: nothing said
  analyses.run();
  assert.deepEqual(sent, []);
});

test("edits made while an analysis gave way are announced as started when it goes on", () => {
  let busy = false;
  const { sent, analyses, workspace } = server(() => busy);
  workspace.setDocument(".gitlab-ci.yml", y("j:", "  script: [x]"));
  analyses.run();
  sent.splice(0);
  workspace.setDocument(".gitlab-ci.yml", y("j:", "  script: [y]"));
  analyses.touched("file:///project/.gitlab-ci.yml");
  busy = true; // a message waits: the analysis gives way
  analyses.run();
  assert.deepEqual(sent.splice(0), ["pipewright/analysisStarted"]);
  // another keystroke meanwhile, then the analysis goes on with it
  workspace.setDocument(".gitlab-ci.yml", y("j:", "  script: [z]"));
  analyses.touched("file:///project/.gitlab-ci.yml");
  busy = false;
  analyses.run();
  assert.deepEqual(sent.splice(0), ["pipewright/analysisStarted", "pipewright/analysisDone"]);
});
