import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import ts from "typescript";
import { findModule, SDK_MODULE } from "../server/src/features/dagger/module";

// Type-checks a Dagger module's TypeScript the way `tsc --noEmit` does inside the module, with the
// module's own tsconfig. One thing differs: the module's tsconfig maps @dagger.io/dagger to ./sdk,
// which only `dagger develop` generates; here the mapping points at the published SDK of the same
// version installed as this repository's devDependency, and @types the tsconfig names come from here.

/** The directory whose node_modules holds the SDK: the repository, from out/test or test/. */
function repoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "node_modules", "@dagger.io", "dagger", "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`${SDK_MODULE} is not installed: run npm install`);
  }
}

const REPO = repoRoot();
const SDK_DIR = path.join(REPO, "node_modules", "@dagger.io", "dagger");

function sdkPaths(): Record<string, string[]> {
  const pkg = JSON.parse(fs.readFileSync(path.join(SDK_DIR, "package.json"), "utf8")) as { types: string };
  return {
    [SDK_MODULE]: [path.join(SDK_DIR, pkg.types)],
    [`${SDK_MODULE}/telemetry`]: [path.join(SDK_DIR, "dist", "src", "telemetry", "index.d.ts")],
  };
}

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

function formatHost(dir: string): ts.FormatDiagnosticsHost {
  return { getCanonicalFileName: (f) => f, getCurrentDirectory: () => dir, getNewLine: () => "\n" };
}

/** The module's tsconfig, as tsc reads it, with the SDK mapping and type roots redirected here. */
function compilerSetup(moduleDir: string): {
  options: ts.CompilerOptions;
  fileNames: string[];
  errors: readonly ts.Diagnostic[];
} {
  const configFile = path.join(moduleDir, "tsconfig.json");
  const raw = fs.existsSync(configFile) ? ts.readConfigFile(configFile, ts.sys.readFile) : { config: {} };
  const parsed = ts.parseJsonConfigFileContent(raw.config ?? {}, ts.sys, moduleDir, undefined, configFile);
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: true,
    paths: { ...(parsed.options.paths ?? {}), ...sdkPaths() },
    // a fresh module's node_modules has no @types, so none are global unless its tsconfig names them
    types: parsed.options.types ?? [],
    typeRoots: [path.join(REPO, "node_modules", "@types")],
  };
  return { options, fileNames: parsed.fileNames, errors: [...(raw.error ? [raw.error] : []), ...parsed.errors] };
}

/**
 * Writes `files` (project-relative path → text) to a temporary directory and type-checks the module found there;
 * returns tsc's messages, empty when it type-checks.
 */
export function typecheckModule(files: Record<string, string>): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipewright-dagger-"));
  try {
    writeFiles(dir, files);
    const module = findModule((p) => files[p]);
    if (!module || !module.entryFile) return ["no TypeScript Dagger module in the files"];
    const moduleDir = path.join(dir, module.sourceDir);
    const entry = path.join(dir, module.entryFile);
    const setup = compilerSetup(moduleDir);
    const roots = setup.fileNames.includes(entry) ? setup.fileNames : [...setup.fileNames, entry];
    const program = ts.createProgram(roots, setup.options);
    const diagnostics = [...setup.errors, ...ts.getPreEmitDiagnostics(program)];
    const host = formatHost(dir);
    return diagnostics.map((d) => ts.formatDiagnostic(d, host).trim());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
