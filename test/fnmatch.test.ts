import * as assert from "node:assert/strict";
import { test } from "node:test";
import { fnmatch } from "../server/src/engine/fnmatch";

test("fnmatch as GitLab uses it for rules:exists and rules:changes", () => {
  const cases: Array<[string, string, boolean]> = [
    ["*.md", "README.md", true],
    ["*.md", "docs/a.md", false],
    ["docs/**/*.md", "docs/a.md", true],
    ["docs/**/*.md", "docs/x/y/a.md", true],
    ["**/*.rb", "a.rb", true],
    ["**/*.rb", "app/models/a.rb", true],
    ["{Gemfile,package.json}", "package.json", true],
    ["file?.txt", "file1.txt", true],
    ["file?.txt", "file12.txt", false],
    ["[ab].txt", "b.txt", true],
    [".gitlab/ci/*.yml", ".gitlab/ci/a.yml", true],
  ];
  for (const [p, path, expected] of cases) assert.equal(fnmatch(p, path), expected, `${p} ~ ${path}`);
});
