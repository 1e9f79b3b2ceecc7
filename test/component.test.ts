import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { MemoryHost } from "../server/src/engine/memory-host";
import { Workspace } from "../server/src/workspace/workspace";

// The GitLab CI/CD component (templates/pipewright.yml) and this repository's pipeline that uses it:
// Pipewright finds nothing wrong in either, and the README documents every input the component has.

const root = path.resolve(__dirname, "..", "..");
const read = (f: string) => fs.readFileSync(path.join(root, f), "utf8");

test("the component and this repository's pipeline pass pipewright check", () => {
  const files = {
    ".gitlab-ci.yml": read(".gitlab-ci.yml"),
    "templates/pipewright.yml": read("templates/pipewright.yml"),
  };
  for (const r of [".gitlab-ci.yml", "templates/pipewright.yml"]) {
    const ws = new Workspace({ files: new MemoryHost(files) }, { roots: [r] });
    assert.deepEqual(
      ws.diagnostics().map((d) => `${d.file}:${d.range.start.line + 1} ${d.code} ${d.message}`),
      [],
      r,
    );
  }
  const ws = new Workspace({ files: new MemoryHost(files) });
  const job = ws.analyze().roots[0].main.effectiveJob("pipewright")!;
  // this repository runs its own build, through the variable the component provides for it
  const variables = job.entries.get("variables")!.value;
  assert.ok(variables.kind === "map");
  const value = (k: string) => {
    const v = variables.entries.get(k)?.value;
    return v?.kind === "scalar" ? v.value : undefined;
  };
  assert.equal(value("PIPEWRIGHT"), "node dist/cli.js");
  assert.equal(value("PIPEWRIGHT_FAIL_ON"), "warning");
});

test("the README's table lists every input of the component, with its default", () => {
  const spec = read("templates/pipewright.yml").split("\n---")[0];
  const inputs = [...spec.matchAll(/^ {4}([a-z_]+):\n {6}default: "?([^"\n]*)"?$/gm)].map((m) => [m[1], m[2]]);
  assert.ok(inputs.length >= 5);
  const readme = read("README.md");
  for (const [name, value] of inputs) {
    const row = new RegExp(`^\\| \`${name}\` \\| (.*?) \\|`, "m").exec(readme);
    assert.ok(row, `README documents input ${name}`);
    assert.equal(row[1], value === "" ? "(none)" : `\`${value}\``, name);
  }
});
