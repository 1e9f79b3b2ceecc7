import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { discoverProjects } from "../server/src/node/discover-projects";

// Which directories of an editor's workspace folder are projects: each with a `.gitlab-ci.yml`, the folder
// itself also with a `.pipewright.yml`; found by a bounded walk that never leaves the folder.

function tree(files: readonly string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-discover-"));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), "j:\n  script: [x]\n");
  }
  return dir;
}

const relative = (dir: string, found: readonly string[]) => found.map((d) => path.relative(dir, d) || ".");

test("every directory with a .gitlab-ci.yml, the folder first; dependency and dot-directories are skipped", (t) => {
  const dir = tree([
    ".gitlab-ci.yml",
    "services/api/.gitlab-ci.yml",
    "services/web/.gitlab-ci.yml",
    "services/web/ci/jobs.yml",
    ".gitlab/ci/.gitlab-ci.yml",
    "node_modules/pkg/.gitlab-ci.yml",
    "vendor/lib/.gitlab-ci.yml",
    ".git/x/.gitlab-ci.yml",
    ".cache/.gitlab-ci.yml",
    "docs/.pipewright.yml",
  ]);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  assert.deepEqual(relative(dir, discoverProjects(dir)), [".", ".gitlab/ci", "services/api", "services/web"]);
});

test("the folder is a project with a .pipewright.yml alone; a folder with no config has no project", (t) => {
  const withSettings = tree([".pipewright.yml", "a/.gitlab-ci.yml"]);
  const none = tree(["a/b/jobs.yml"]);
  t.after(() => [withSettings, none].forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  assert.deepEqual(relative(withSettings, discoverProjects(withSettings)), [".", "a"]);
  assert.deepEqual(discoverProjects(none), []);
});

test("bounded: depth, directories read and projects found", (t) => {
  const deep = tree(["1/2/3/4/5/6/7/8/.gitlab-ci.yml", "1/2/3/4/5/6/7/8/9/.gitlab-ci.yml"]);
  const many = tree(Array.from({ length: 60 }, (_, i) => `p${String(i).padStart(2, "0")}/.gitlab-ci.yml`));
  t.after(() => [deep, many].forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  assert.deepEqual(relative(deep, discoverProjects(deep)), ["1/2/3/4/5/6/7/8"]);
  assert.deepEqual(relative(deep, discoverProjects(deep, { depth: 7, dirs: 2000, projects: 50 })), []);
  // the shallowest first: breadth first
  const found = discoverProjects(many);
  assert.equal(found.length, 50);
  assert.equal(relative(many, found)[49], "p49");
  // the folder and 10 directories read
  assert.equal(discoverProjects(many, { depth: 8, dirs: 11, projects: 50 }).length, 10);
  assert.equal(discoverProjects(many, { depth: 8, dirs: 2000, projects: 3 }).length, 3);
});

test("a symlinked directory is not followed, inside the folder or out of it", (t) => {
  const outside = tree([".gitlab-ci.yml", "deeper/.gitlab-ci.yml"]);
  const dir = tree(["real/.gitlab-ci.yml"]);
  t.after(() => [outside, dir].forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  fs.symlinkSync(outside, path.join(dir, "out"), "dir");
  fs.symlinkSync(path.join(dir, "real"), path.join(dir, "again"), "dir");
  assert.deepEqual(relative(dir, discoverProjects(dir)), ["real"]);
});
