// A new module: the files `dagger init --sdk=typescript` writes, with the converted functions in its class.

import { SDK_MODULE } from "./module";
import { importStatement, uniqueNames } from "./module-edits";
import { pascalCase } from "./names";

/** What `dagger init --sdk=typescript` pins in the module's package.json (0.21.x). */
export const DEFAULT_TYPESCRIPT_VERSION = "5.9.3";

function engineTag(version: string): string {
  return version.startsWith("v") ? version : `v${version}`;
}

function jsonFile(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

/**
 * The files of a new TypeScript module as `dagger init --sdk=typescript --name=<name>` of that engine version lays them
 * out (dagger.json, .dagger/package.json, .dagger/tsconfig.json, .dagger/src/index.ts with the class holding
 * `methodText`, and the .gitignore/.gitattributes Dagger writes for the generated sdk/), keyed by project-relative
 * path.
 */
export function newModuleFiles(
  name: string,
  engineVersion: string,
  methodText: string,
  imports: readonly string[],
): Record<string, string> {
  const className = pascalCase(name);
  const names = uniqueNames([...imports, "object"]);
  const method = methodText.endsWith("\n") ? methodText : methodText + "\n";
  const index = [
    "/**",
    ` * Dagger Functions of the ${name} module, converted from GitLab CI jobs.`,
    " */",
    importStatement(names, false),
    "",
    "@object()",
    `export class ${className} {`,
    method + "}",
    "",
  ].join("\n");
  return {
    "dagger.json": jsonFile({
      name,
      engineVersion: engineTag(engineVersion),
      sdk: { source: "typescript" },
      source: ".dagger",
    }),
    ".dagger/package.json": jsonFile({ type: "module", dependencies: { typescript: DEFAULT_TYPESCRIPT_VERSION } }),
    ".dagger/tsconfig.json": jsonFile({
      compilerOptions: {
        target: "ES2022",
        moduleResolution: "Node",
        experimentalDecorators: true,
        strict: true,
        skipLibCheck: true,
        paths: { [SDK_MODULE]: ["./sdk/index.ts"], [`${SDK_MODULE}/telemetry`]: ["./sdk/telemetry.ts"] },
      },
    }),
    ".dagger/.gitignore": "/sdk\n/**/node_modules/**\n/**/.pnpm-store/**\n/.env\n",
    ".dagger/.gitattributes": "/sdk/** linguist-generated\n",
    ".dagger/src/index.ts": index,
  };
}
