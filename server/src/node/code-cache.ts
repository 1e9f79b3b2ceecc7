import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { createRequire, Module } from "node:module";
import * as path from "node:path";
import * as vm from "node:vm";

// The language server's bundle (3 MB) is loaded with V8's code cache, kept in the editor's cache folder
// (node/parse-store.ts's), as v8-compile-cache and Node 22's module.enableCompileCache do: without it every
// start compiles the bundle, and the first analysis compiles each function it calls, ~150 ms before the
// first diagnostics on GitLab's own config. The cache is written once the server has run for a while, so it
// holds the functions an analysis compiled too. V8 checks the cache against the source and its own version
// and flags, and refuses a cache that does not match (the bundle is then compiled as usual); the file name
// also carries the bundle's size and time, so a new build starts a new cache.

/** How long after loading the cache is written: the first analysis of a large config is done by then. */
const SAVE_AFTER_MS = 20_000;

/** The file a bundle's code cache is kept in, or undefined without a cache folder. */
export function codeCacheFile(bundle: string, dir: string | undefined): string | undefined {
  if (!dir) return undefined;
  try {
    const stat = fs.statSync(bundle);
    const id = createHash("sha1")
      .update(`${bundle}\0${stat.size}\0${stat.mtimeMs}\0${process.version}\0${process.arch}`)
      .digest("hex")
      .slice(0, 20);
    return path.join(dir, "code-cache", `${path.basename(bundle, ".js")}-${id}.bin`);
  } catch {
    return undefined;
  }
}

/**
 * Loads a CommonJS bundle as `require` would, but compiled with the code cache in `cacheFile` when there is
 * a usable one; when there is none, writes one SAVE_AFTER_MS later, or at exit if that is sooner (whole or
 * not at all).
 */
export function requireCached(bundle: string, cacheFile: string | undefined): unknown {
  if (!cacheFile) return createRequire(__filename)(bundle);
  const cachedData = readCache(cacheFile);
  const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, "utf8").replace(/^#!.*/, "")), {
    filename: bundle,
    cachedData,
  });
  const mod = new Module(bundle);
  mod.filename = bundle;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(bundle));
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(mod.exports, mod.exports, createRequire(bundle), mod, bundle, path.dirname(bundle));
  mod.loaded = true;
  if (!cachedData || script.cachedDataRejected) {
    const save = () => {
      clearTimeout(timer);
      process.off("exit", save);
      writeCache(cacheFile, script);
    };
    const timer = setTimeout(save, SAVE_AFTER_MS).unref();
    process.on("exit", save); // a session shorter than that
  }
  return mod.exports;
}

function readCache(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

function writeCache(file: string, script: vm.Script): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // caches of earlier builds are of no more use
    const prefix = path.basename(file).replace(/-[0-9a-f]+\.bin$/, "-");
    for (const old of fs.readdirSync(path.dirname(file)))
      if (old.startsWith(prefix) && old !== path.basename(file))
        fs.rmSync(path.join(path.dirname(file), old), { force: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, script.createCachedData());
    fs.renameSync(tmp, file);
  } catch {
    // a cache that cannot be written only costs time
  }
}
