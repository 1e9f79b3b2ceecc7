import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

// The layers of ARCHITECTURE.md, checked on the import statements of every source file: each
// layer imports only from layers below it (or from itself), lints and features never import each
// other, and only the hosts and node/ may do IO or know LSP.

const src = path.resolve(__dirname, "..", "..", "server", "src");

/** Layer of a file, by its folder; a higher rank may import a lower one. */
const LAYERS: ReadonlyArray<{ name: string; rank: number; match: (rel: string) => boolean }> = [
  { name: "generated", rank: 0, match: (f) => f.startsWith("generated/") },
  { name: "gitlab", rank: 0, match: (f) => f.startsWith("gitlab/") },
  { name: "engine", rank: 1, match: (f) => f.startsWith("engine/") },
  { name: "model", rank: 2, match: (f) => f.startsWith("model/") },
  { name: "lint", rank: 3, match: (f) => f.startsWith("lint/") },
  { name: "features", rank: 3, match: (f) => f.startsWith("features/") },
  { name: "workspace", rank: 4, match: (f) => f.startsWith("workspace/") },
  { name: "node", rank: 5, match: (f) => f.startsWith("node/") },
  { name: "hosts", rank: 6, match: (f) => !f.includes("/") || f.startsWith("lsp/") || f.startsWith("cli/") },
];

/** Modules that do IO or speak LSP: only node/ and the hosts may import them. */
const IO_MODULES =
  /^(node:)?(fs|child_process|net|http|https|worker_threads|os)(\/|$)|^vscode-(languageserver|jsonrpc)/;

function layerOf(rel: string) {
  const layer = LAYERS.find((l) => l.match(rel));
  assert.ok(layer, `${rel} belongs to no layer of ARCHITECTURE.md`);
  return layer;
}

function sources(dir: string, prefix = ""): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = prefix + e.name;
    if (e.isDirectory()) return sources(path.join(dir, e.name), rel + "/");
    return /\.(ts|js)$/.test(e.name) && !e.name.endsWith(".d.ts") ? [rel] : [];
  });
}

function importsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"/gm)) out.push(m[1]);
  for (const m of text.matchAll(/\b(?:require|import)\(\s*"([^"]+)"\s*\)/g)) out.push(m[1]);
  return out;
}

test("layers only point down: every import of server/src goes to the same or a lower layer", () => {
  const wrong: string[] = [];
  for (const file of sources(src)) {
    const from = layerOf(file);
    for (const spec of importsOf(fs.readFileSync(path.join(src, file), "utf8"))) {
      if (!spec.startsWith(".")) {
        if (IO_MODULES.test(spec) && from.name !== "node" && from.name !== "hosts")
          wrong.push(`${file} imports ${spec}: only node/ and the hosts do IO or speak LSP`);
        continue;
      }
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
      if (target.startsWith("..")) continue; // data outside server/src: the schema JSON
      const to = layerOf(target.endsWith(".json") ? target : `${target}.ts`);
      if (to.rank > from.rank) wrong.push(`${file} (${from.name}) imports ${target} (${to.name}), a higher layer`);
      else if (to.rank === from.rank && to.name !== from.name)
        wrong.push(
          `${file} (${from.name}) imports ${target} (${to.name}): ${from.name} and ${to.name} never import each other`,
        );
    }
  }
  assert.deepEqual(wrong, []);
});

test("the layer check sees a wrong import", () => {
  assert.deepEqual(
    importsOf('import { a } from "../lint/registry";\nexport type { B } from "./b";\nconst c = require("node:fs");'),
    ["../lint/registry", "./b", "node:fs"],
  );
  assert.equal(layerOf("lint/registry.ts").rank > layerOf("engine/engine.ts").rank, true);
});
