import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { DiskHost } from "../server/src/node/disk-host";

// The disk side of a project: texts kept and looked at again (size and mtime) before each use, except
// those of files the editor watches, which hold until a watch event invalidates them; never a read
// outside the project.

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-disk-"));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** Writes a new text with a new size, so that a look at the disk sees the change whatever the mtime's grain. */
const rewrite = (dir: string, rel: string, text: string) => fs.writeFileSync(path.join(dir, rel), text);

test("without watchers every read looks at the disk: a changed or created file is read again", () => {
  const dir = project({ "a.yml": "a: 1\n" });
  try {
    const host = new DiskHost(dir);
    assert.equal(host.readFile("a.yml"), "a: 1\n");
    assert.equal(host.readFile("b.yml"), undefined);
    rewrite(dir, "a.yml", "a: 22\n");
    rewrite(dir, "b.yml", "b: 1\n");
    assert.equal(host.readFile("a.yml"), "a: 22\n");
    assert.equal(host.readFile("b.yml"), "b: 1\n");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a watched file's text holds until its watch event; an unwatched one is still looked at", () => {
  const dir = project({ "a.yml": "a: 1\n", "dagger.json": "{}" });
  try {
    let watching = false;
    const host = new DiskHost(dir, (rel) => watching && rel.endsWith(".yml"));
    assert.equal(host.readFile("a.yml"), "a: 1\n", "read before the watchers were taken");
    watching = true;
    assert.equal(host.readFile("missing.yml"), undefined);
    assert.equal(host.readFile("dagger.json"), "{}");
    rewrite(dir, "a.yml", "a: 22\n");
    assert.equal(host.readFile("a.yml"), "a: 22\n", "kept from before the watchers: looked at");
    rewrite(dir, "a.yml", "a: 333\n");
    rewrite(dir, "missing.yml", "m: 1\n");
    rewrite(dir, "dagger.json", '{"x": 1}');
    assert.equal(host.readFile("a.yml"), "a: 22\n", "watched: no look until the event");
    assert.equal(host.readFile("missing.yml"), undefined);
    assert.equal(host.readFile("dagger.json"), '{"x": 1}', "not watched: looked at");
    host.invalidate(["a.yml", "missing.yml"]);
    assert.equal(host.readFile("a.yml"), "a: 333\n");
    assert.equal(host.readFile("missing.yml"), "m: 1\n");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("nothing outside the project reads, watched or not", () => {
  const outside = project({ "secret.yml": "s: 1\n" });
  const dir = project({ "a.yml": "a: 1\n" });
  try {
    fs.symlinkSync(path.join(outside, "secret.yml"), path.join(dir, "link.yml"));
    const host = new DiskHost(dir, () => true);
    assert.equal(host.readFile(`../${path.basename(outside)}/secret.yml`), undefined);
    assert.equal(host.readFile("link.yml"), undefined);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  }
});
