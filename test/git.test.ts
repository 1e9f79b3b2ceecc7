import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { baselineCommit, GitRepository, ownRepository } from "../server/src/node/git";

// Git is asked only about a repository wholly inside the project: nothing it would read may lie
// outside it, and nothing may make it block.

function repo(t: { after: (f: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-git-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
  run("init", "-q");
  fs.writeFileSync(path.join(dir, ".gitlab-ci.yml"), "j:\n  script: [x]\n");
  run("add", ".");
  run("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "first");
  return dir;
}

test("a repository of the project's own is asked; its baseline is its HEAD", (t) => {
  const dir = repo(t);
  assert.equal(ownRepository(dir), true);
  assert.match(baselineCommit(dir) ?? "", /^[0-9a-f]{40}$/);
});

test("a .git that points elsewhere, an included config, borrowed objects, a FIFO HEAD: git is not asked", (t) => {
  const elsewhere = repo(t);
  const cases: Array<[string, (dir: string) => void]> = [
    [
      "gitdir file",
      (dir) => {
        fs.rmSync(path.join(dir, ".git"), { recursive: true });
        fs.writeFileSync(path.join(dir, ".git"), `gitdir: ${path.join(elsewhere, ".git")}\n`);
      },
    ],
    [
      "link to another .git",
      (dir) => {
        fs.rmSync(path.join(dir, ".git"), { recursive: true });
        fs.symlinkSync(path.join(elsewhere, ".git"), path.join(dir, ".git"));
      },
    ],
    [
      "config include",
      (dir) => fs.appendFileSync(path.join(dir, ".git", "config"), `[include]\n\tpath = ${elsewhere}/x\n`),
    ],
    [
      "alternates",
      (dir) => fs.writeFileSync(path.join(dir, ".git", "objects", "info", "alternates"), `${elsewhere}/.git/objects\n`),
    ],
    [
      "FIFO HEAD",
      (dir) => {
        fs.rmSync(path.join(dir, ".git", "HEAD"));
        spawnSync("mkfifo", [path.join(dir, ".git", "HEAD")]);
      },
    ],
  ];
  for (const [what, spoil] of cases) {
    const dir = repo(t);
    spoil(dir);
    assert.equal(ownRepository(dir), false, what);
    const started = Date.now();
    assert.equal(baselineCommit(dir), undefined, what);
    assert.ok(Date.now() - started < 5000, `${what}: no wait`);
  }
});

test("a merge request's changes are read without running the filters the repository's config defines", (t) => {
  const dir = repo(t);
  const marks = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-git-marks-"));
  t.after(() => fs.rmSync(marks, { recursive: true, force: true }));
  const run = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
  run("branch", "-M", "main");
  run("checkout", "-qb", "feature");
  fs.writeFileSync(path.join(dir, ".gitattributes"), "* filter=x\n");
  fs.writeFileSync(path.join(dir, "a.txt"), "a\n");
  run("add", ".");
  run("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "second");
  const t2 = (name: string) => `touch '${marks}/${name}'`;
  fs.appendFileSync(
    path.join(dir, ".git", "config"),
    `[filter "x"]\n\tclean = ${t2("clean")}\n\tsmudge = ${t2("smudge")}\n\tprocess = ${t2("process")}\n`,
  );
  // edited in the working tree, so git must look at its content
  fs.writeFileSync(path.join(dir, ".gitlab-ci.yml"), "j:\n  script: [y]\n");
  assert.deepEqual(new GitRepository(dir).changedSince("main"), [".gitattributes", ".gitlab-ci.yml", "a.txt"]);
  assert.deepEqual(fs.readdirSync(marks), []);
});
