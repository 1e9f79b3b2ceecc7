import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { codeCacheFile, requireCached } from "../server/src/node/code-cache";

// The language server's bundle is loaded with V8's code cache (node/code-cache.ts): loaded as require
// would load it, the cache written once and used on the next start, and a bundle with another text
// (a new build) gets a cache of its own. Each case has a text of its own: V8 also keeps what it compiled
// in memory, and would not look at a cache for a text this process compiled before.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("a bundle loads as with require, writes its code cache once, and the next load uses it", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-code-cache-"));
  try {
    const bundle = path.join(dir, "bundle.js");
    const text =
      "#!/usr/bin/env node\nconst p = require('node:path');\n" +
      `module.exports = { twice: (n) => 2 * n, base: p.basename(__filename), dir: __dirname, at: ${Date.now()} };\n`;
    fs.writeFileSync(bundle, text);
    const cache = path.join(dir, "cache");
    const file = codeCacheFile(bundle, text, cache);
    assert.match(path.relative(dir, file), /^cache\/code-cache\/bundle-[0-9a-f]{20}\.bin$/);

    const first = requireCached(bundle, cache, 0);
    const exports = first.exports as { twice: (n: number) => number; base: string; dir: string };
    assert.deepEqual([exports.twice(21), exports.base, exports.dir], [42, "bundle.js", dir]);
    assert.equal(first.fromCache, false);
    await sleep(20);
    assert.ok(fs.statSync(file).size > 0, "the cache is written");

    // a new build of the same length: its own cache, and the old one goes when the new one is written
    const text2 = text.replace("2 * n", "3 * n");
    assert.equal(text2.length, text.length);
    fs.writeFileSync(bundle, text2);
    const file2 = codeCacheFile(bundle, text2, cache);
    assert.notEqual(file2, file);
    const second = requireCached(bundle, cache, 0);
    assert.equal((second.exports as { twice: (n: number) => number }).twice(2), 6, "the new text runs");
    assert.equal(second.fromCache, false);
    await sleep(20);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), [path.basename(file2)]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a code cache is used by a process that has not compiled the bundle, and a bad one is ignored", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-code-cache-"));
  try {
    const bundle = path.join(dir, "bundle.js");
    fs.writeFileSync(bundle, `module.exports = { value: ${Date.now()} % 7 };\n`);
    const cache = path.join(dir, "cache");
    const { execFileSync } = await import("node:child_process");
    const load = () =>
      JSON.parse(
        execFileSync(process.execPath, [
          "-e",
          `const r = require(${JSON.stringify(path.resolve(__dirname, "../server/src/node/code-cache.js"))})` +
            `.requireCached(${JSON.stringify(bundle)}, ${JSON.stringify(cache)}, 0);` +
            "setTimeout(() => console.log(JSON.stringify({ fromCache: r.fromCache, value: r.exports.value })), 20);",
        ]).toString(),
      ) as { fromCache: boolean; value: number };
    const first = load();
    assert.equal(first.fromCache, false);
    const second = load();
    assert.equal(second.fromCache, true);
    assert.equal(second.value, first.value);
    const [file] = fs.readdirSync(path.join(cache, "code-cache"));
    fs.writeFileSync(path.join(cache, "code-cache", file), "not a code cache");
    const third = load();
    assert.equal(third.fromCache, false);
    assert.equal(third.value, first.value);
    // a FIFO where the cache should be is not read (the read would wait for a writer forever)
    const fifo = path.join(cache, "code-cache", file);
    fs.rmSync(fifo);
    execFileSync("mkfifo", [fifo]);
    const fourth = load();
    assert.equal(fourth.fromCache, false);
    assert.equal(fourth.value, first.value);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
