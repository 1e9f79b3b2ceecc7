import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { LspClient } from "./lsp-client";

// The pipeline simulation in the editor, over the protocol: a CodeLens above each job.

const fixture = path.resolve(__dirname, "..", "..", "test", "fixtures", "pipeline");

type Lens = {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  command: { title: string; command: string; arguments: Array<{ uri: string; job: string; decisions: unknown[] }> };
};

test("a CodeLens above each job says where it runs; its command carries each decision and its rule", async () => {
  const client = new LspClient(fixture);
  try {
    await client.start();
    const uri = client.uri(".gitlab-ci.yml");
    client.notify("textDocument/didOpen", {
      textDocument: {
        uri,
        languageId: "gitlab-ci",
        version: 1,
        text: fs.readFileSync(path.join(fixture, ".gitlab-ci.yml"), "utf8"),
      },
    });
    await client.waitFor("pipewright/analysisDone", () => true);
    // the lenses' pipelines are simulated after the diagnostics, in the background: until then, none
    let lenses: Lens[] = [];
    for (let i = 0; i < 100 && !lenses.length; i++) {
      lenses = await client.request<Lens[]>("textDocument/codeLens", { textDocument: { uri } });
      if (!lenses.length) await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(
      lenses.map((l) => `${l.range.start.line}:${l.range.start.character} ${l.command.title}`),
      [
        "24:0 MR ✓ · main ✓ · tag ✓ · schedule ✓ · docs merge request ✓ · default branch ✓ · " +
          "release tag ✓ · nightly ✓ · feature push –",
        "28:0 MR ✓ · main ✓ · tag ✗ · schedule ✓ · docs merge request ✗ · default branch ✓ · release tag ✗ · " +
          "nightly ✓ · feature push –",
        "35:0 MR ✓ · main ✓ · tag ✓ · schedule ✓ · docs merge request ✓ manual · default branch ✓ · " +
          "release tag ✓ · nightly ✓ · feature push –",
        "43:0 MR ✗ · main ✗ · tag ✗ · schedule ✓ · docs merge request ✗ · default branch ✗ · release tag ✗ · " +
          "nightly ✓ · feature push –",
        "54:0 MR ✗ · main ✓ · tag ✗ · schedule ✓ · docs merge request ✗ · default branch ✓ · release tag ✗ · " +
          "nightly ✓ · feature push –",
        "62:0 MR ✗ · main ✗ · tag ✓ · schedule ✓ · docs merge request ✗ · default branch ✗ · release tag ✓ · " +
          "nightly ✓ · feature push –",
      ],
    );
    const unit = lenses[1].command;
    assert.equal(unit.command, "pipewright.explainJob");
    assert.equal(unit.arguments[0].job, "unit");
    assert.deepEqual(unit.arguments[0].decisions[2], {
      label: "tag",
      outcome: "skipped",
      when: null,
      allowFailure: null,
      why: "a rule says never",
      location: {
        uri: client.uri("ci/rules.yml"),
        range: { start: { line: 5, character: 6 }, end: { line: 6, character: 17 } },
      },
    });
  } finally {
    await client.stop();
  }
});
