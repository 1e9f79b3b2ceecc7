import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { createRequire, Module } from "node:module";
import * as path from "node:path";
import * as vm from "node:vm";

// The language server's bundle (3 MB) is loaded with V8's code cache, kept in the editor's cache folder
// (node/parse-store.ts's), as v8-compile-cache and Node 22's module.enableCompileCache do: without it every
// start compiles the bundle, and the first analysis compiles each function it calls, ~150 ms before the
// first diagnostics on GitLab's own config. The cache is written once the server has run for a while, so it
// holds the functions an analysis compiled too. V8 refuses a cache made by another V8 or with other flags,
// but of the source it checks only the length: the file is named by a hash of the bundle's text, Node's
// version and the architecture, so a cache is only ever given the very text it was made from.

/** How long after loading the cache is written: the first analysis of a large config is done by then. */
const SAVE_AFTER_MS = 20_000;

/** The file the code cache of a bundle with this text is kept in. */
export function codeCacheFile(bundle: string, source: string, dir: string): string {
  const id = createHash("sha1").update(`${process.version}\0${process.arch}\0`).update(source).digest("hex");
  return path.join(dir, "code-cache", `${path.basename(bundle, ".js")}-${id.slice(0, 20)}.bin`);
}

/**
 * Loads a CommonJS bundle as `require` would, compiled with its code cache in `dir` when there is a usable one;
 * when there is none, writes one `saveAfterMs` later, or at exit if that is sooner (whole or not at all).
 * Without a folder it is simply required.
 */
export function requireCached(
  bundle: string,
  dir: string | undefined,
  saveAfterMs = SAVE_AFTER_MS,
): { readonly exports: unknown; readonly fromCache: boolean } {
  if (!dir) return { exports: createRequire(__filename)(bundle), fromCache: false };
  const source = fs.readFileSync(bundle, "utf8");
  const cacheFile = codeCacheFile(bundle, source, dir);
  const cachedData = readCache(cacheFile);
  const script = new vm.Script(Module.wrap(source.replace(/^#!.*/, "")), { filename: bundle, cachedData });
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
    const timer = setTimeout(save, saveAfterMs).unref();
    process.on("exit", save); // a session shorter than that
  }
  return { exports: mod.exports, fromCache: !!cachedData && !script.cachedDataRejected };
}

/** A code cache is some MB; anything else in its place (a FIFO would block the read) is no cache. */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;

function readCache(file: string): Buffer | undefined {
  try {
    const stat = fs.statSync(file);
    return stat.isFile() && stat.size <= MAX_CACHE_BYTES ? fs.readFileSync(file) : undefined;
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
