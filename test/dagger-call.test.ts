import * as assert from "node:assert/strict";
import { test } from "node:test";
import {
  conversionTarget,
  daggerCompletion,
  daggerHover,
  insertJobActions,
} from "../server/src/features/dagger/actions";
import { findModule } from "../server/src/features/dagger/module";
import { LineIndex } from "../server/src/engine/text";
import { analyze, applyFix, diags, y } from "./helpers";

const MODULE: Record<string, string> = {
  "dagger.json": JSON.stringify({
    name: "ci",
    engineVersion: "v0.21.9",
    sdk: { source: "typescript" },
    source: ".dagger",
  }),
  ".dagger/src/index.ts": y(
    'import { dag, Container, Directory, Secret, object, func, argument } from "@dagger.io/dagger"',
    "@object()",
    "export class Ci {",
    "  /** Builds the site */",
    "  @func()",
    '  buildSite(@argument({ defaultPath: "/" }) source: Directory, baseUrl: ' +
      'string = "/", token?: Secret): Directory {',
    "    return source",
    "  }",
    "  @func()",
    "  lint(source: Directory, strict: boolean): Container {",
    '    return dag.container().from("alpine")',
    "  }",
    "}",
  ),
};
const read = (p: string) => MODULE[p];

test("completion after dagger call: the module's functions, in kebab-case, replacing the word typed", () => {
  const text = y("j:", "  script:", "    - dagger call bu");
  const offset = text.length - 1;
  const items = daggerCompletion(new LineIndex(text), offset, findModule(read));
  assert.deepEqual(
    items.map((i) => [i.label, i.detail, i.insertText, text.slice(i.start, i.end)]),
    [["build-site", "buildSite(source?: Directory, baseUrl?: string, token?: Secret): Directory", "build-site", "bu"]],
  );
  const empty = y("j:", "  script:", "    - dagger call ");
  const all = daggerCompletion(new LineIndex(empty), empty.length - 1, findModule(read));
  assert.deepEqual(
    all.map((i) => i.label),
    ["build-site", "lint"],
  );
});

test("completion of flags: those of the called function not yet given", () => {
  const text = y("j:", "  script:", "    - dagger call build-site --source=. --");
  const items = daggerCompletion(new LineIndex(text), text.length - 1, findModule(read));
  assert.deepEqual(
    items.map((i) => [i.label, i.insertText]),
    [
      ["--base-url", "--base-url="],
      ["--token", "--token="],
    ],
  );
  assert.equal(items[1].detail, "--token Secret: a secret: env:NAME, file:PATH or cmd:COMMAND (optional)");
  const bool = y("j:", "  script:", "    - dagger call lint --st");
  assert.deepEqual(
    daggerCompletion(new LineIndex(bool), bool.length - 1, findModule(read)).map((i) => [i.label, i.insertText]),
    [["--strict", "--strict"]],
  );
  assert.deepEqual(
    daggerCompletion(new LineIndex(y("j:", "  script:", "    - echo call --")), 26, findModule(read)),
    [],
  );
});

test("hover on the function shows its signature, doc and CLI form; on a flag, its type and how to pass it", () => {
  const text = y("j:", "  script:", "    - dagger call build-site --source=. --token=env:TOKEN stdout");
  const at = (word: string) => text.indexOf(word) + 2;
  const h = daggerHover(new LineIndex(text), at("build-site"), findModule(read))!;
  assert.equal(
    h.markdown,
    [
      "```typescript",
      "buildSite(source?: Directory, baseUrl?: string, token?: Secret): Directory",
      "```",
      "Builds the site",
      "",
      "```sh",
      "dagger call build-site [--source=…] [--base-url=…] [--token=…]",
      "```",
    ].join("\n"),
  );
  assert.equal(text.slice(h.start, h.end), "build-site");
  const f = daggerHover(new LineIndex(text), at("--token"), findModule(read))!;
  assert.equal(f.markdown, "`build-site` --token Secret: a secret: env:NAME, file:PATH or cmd:COMMAND (optional)");
  assert.equal(text.slice(f.start, f.end), "--token");
  const s = daggerHover(new LineIndex(text), at("--source"), findModule(read))!;
  assert.equal(
    s.markdown,
    "`build-site` --source Directory: a path on the host or a Git URL (defaults to the context path /)",
  );
  assert.equal(daggerHover(new LineIndex(text), at("stdout"), findModule(read)), undefined);
  assert.equal(
    daggerHover(
      new LineIndex(text),
      at("build-site"),
      findModule(() => undefined),
    ),
    undefined,
    "no module, no hover",
  );
});

test(
  "insert a Dagger job: one action per function, with the .dagger set-up " +
    "when the config has none; the result is a valid config",
  () => {
    const files = { ".gitlab-ci.yml": y("lint:", "  script: [make lint]") };
    const model = analyze(files);
    const actions = insertJobActions(model, ".gitlab-ci.yml", findModule(read));
    assert.deepEqual(
      actions.map((a) => a.title),
      ["Insert a Dagger job calling build-site", "Insert a Dagger job calling lint"],
    );
    const after = applyFix(files, { title: "", edits: actions[0].edits });
    assert.match(after[".gitlab-ci.yml"], /\n\n\.dagger:\n/);
    assert.ok(
      after[".gitlab-ci.yml"].endsWith(
        y("build-site:", "  extends: .dagger", "  script:", "    - dagger call build-site --source=. export --path=."),
      ),
    );
    const lint = applyFix(files, { title: "", edits: actions[1].edits })[".gitlab-ci.yml"];
    assert.ok(
      lint.endsWith(
        y("lint-dagger:", "  extends: .dagger", "  script:", "    - dagger call lint --source=. --strict stdout"),
      ),
      lint,
    );
    assert.deepEqual(
      analyze(after).diagnostics.filter((d) => d.severity === "error"),
      [],
    );
  },
);

test("the conversion is offered on a job's name and inside its script, not elsewhere", () => {
  const text = y(
    "stages: [test]",
    "lint:",
    "  stage: test",
    "  script:",
    "    - make lint",
    ".hidden:",
    "  script: [x]",
  );
  const model = analyze({ ".gitlab-ci.yml": text });
  const at = (s: string) => text.indexOf(s) + 1;
  assert.equal(conversionTarget(model, ".gitlab-ci.yml", at("lint:")), "lint");
  assert.equal(conversionTarget(model, ".gitlab-ci.yml", at("make lint")), "lint");
  assert.equal(conversionTarget(model, ".gitlab-ci.yml", at("script:")), "lint");
  assert.equal(conversionTarget(model, ".gitlab-ci.yml", at("stage: test")), undefined);
  assert.equal(conversionTarget(model, ".gitlab-ci.yml", at("stages")), undefined);
  assert.equal(conversionTarget(model, ".gitlab-ci.yml", at(".hidden")), undefined);
});

test(
  "dagger-version-drift: a DAGGER_VERSION other than the module's engineVersion " +
    "is a warning, fixed to the module's",
  () => {
    const files = {
      ".gitlab-ci.yml": y(
        ".dagger:",
        "  variables:",
        '    DAGGER_VERSION: "0.19.2"',
        "  before_script: [install]",
        "  tags: [dagger-node]",
        "job:",
        "  extends: .dagger",
        "  variables:",
        "    DAGGER_VERSION: v0.21.9",
        "  script: [dagger call x]",
      ),
    };
    const settings = { daggerEngineVersion: () => "v0.21.9" };
    const m = analyze(files, undefined, settings);
    const d = m.diagnostics.filter((x) => x.code === "dagger-version-drift");
    assert.deepEqual(diags(m), [
      ".gitlab-ci.yml 2:20-2:28 warning dagger-version-drift DAGGER_VERSION 0.19.2 " +
        "installs a CLI, and so an engine, other than the module's engineVersion " +
        "v0.21.9 in dagger.json: pin the same version",
    ]);
    const fixed = applyFix(files, d[0].fixes![0]);
    assert.equal(fixed[".gitlab-ci.yml"].split("\n")[2], '    DAGGER_VERSION: "0.21.9"');
    assert.deepEqual(analyze(fixed, undefined, settings).diagnostics, []);
    assert.deepEqual(analyze(files).diagnostics, [], "no module, nothing to compare with");
  },
);
