import * as assert from "node:assert/strict";
import { test } from "node:test";
import { fnmatch } from "../server/src/engine/fnmatch";
import { analyze, y } from "./helpers";

test("fnmatch as GitLab uses it for rules:exists and rules:changes", () => {
  const cases: Array<[string, string, boolean]> = [
    ["*.md", "README.md", true],
    ["*.md", "docs/a.md", false],
    ["docs/**/*.md", "docs/a.md", true],
    ["docs/**/*.md", "docs/x/y/a.md", true],
    ["**/*.rb", "a.rb", true],
    ["**/*.rb", "app/models/a.rb", true],
    // `**` is recursive only before a `/`; elsewhere it is a `*` (Ruby's File.fnmatch docs, dir.c)
    ["src/**", "src/a", true],
    ["src/**", "src/a/b", false],
    ["**", ".gitlab-ci.yml", true],
    ["**", "a/b", false],
    ["{Gemfile,package.json}", "package.json", true],
    ["file?.txt", "file1.txt", true],
    ["file?.txt", "file12.txt", false],
    ["[ab].txt", "b.txt", true],
    [".gitlab/ci/*.yml", ".gitlab/ci/a.yml", true],
  ];
  for (const [p, path, expected] of cases) assert.equal(fnmatch(p, path), expected, `${p} ~ ${path}`);
});

test("a pattern that is no valid glob matches nothing, and the analysis goes on", () => {
  assert.equal(fnmatch("[z-a].yml", "a.yml"), false);
  assert.equal(fnmatch("/[}z]{yml{{?", "/}yml"), false);
  const m = analyze({
    ".gitlab-ci.yml": y(
      "include:",
      "  - local: a.yml",
      "    rules:",
      "      - exists: ['[z-a].yml']",
      "j:",
      "  script: [x]",
    ),
    "a.yml": y("a:", "  script: [a]"),
  });
  assert.deepEqual([...m.jobs.keys()], ["j"], "the include's rule matched no file: a.yml is not included");
});
