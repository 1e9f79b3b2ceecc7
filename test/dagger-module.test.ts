import * as assert from "node:assert/strict";
import { test } from "node:test";
import { parseFunctions } from "../server/src/features/dagger/functions";
import { DEFAULT_ENGINE_VERSION, findModule } from "../server/src/features/dagger/module";
import { addFunctionEdits, type SourceEdit } from "../server/src/features/dagger/module-edits";
import { camelCase, kebabCase, pascalCase } from "../server/src/features/dagger/names";
import { newModuleFiles } from "../server/src/features/dagger/new-module";
import { scannerDifferences } from "./compiler-functions";
import { typecheckModule } from "./typecheck";

const lines = (...l: string[]): string => l.join("\n") + "\n";

function apply(source: string, edits: readonly SourceEdit[]): string {
  let out = source;
  for (const e of [...edits].sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** What the converter generates for a job (the lead's sample). */
const SAMPLE_METHOD = lines(
  '  /** Runs GitLab job "build" */',
  "  @func()",
  '  build(@argument({ defaultPath: "/" }) source: Directory, ciCommitSha: string = "", token?: Secret): Directory {',
  "    let ctr = dag",
  "      .container()",
  '      .from("ruby:3.2")',
  '      .withMountedDirectory("/builds/project", source)',
  '      .withWorkdir("/builds/project")',
  '      .withEnvVariable("CI_COMMIT_SHA", ciCommitSha)',
  '    if (token) ctr = ctr.withSecretVariable("TOKEN", token)',
  '    ctr = ctr.withExec(["sh", "-c", "make"])',
  '    return dag.directory().withDirectory(".", ctr.directory("/builds/project"), ' +
    '{ include: ["dist/", "coverage/**"] })',
  "  }",
);
const SAMPLE_IMPORTS = ["dag", "Directory", "Secret", "object", "func", "argument"];

/** Dagger's quick-start module, as `dagger init --sdk=typescript --name=ci` writes src/index.ts. */
const QUICKSTART = lines(
  "/**",
  " * A generated module for Ci functions",
  " */",
  'import { dag, Container, Directory, object, func } from "@dagger.io/dagger"',
  "",
  "@object()",
  "export class Ci {",
  "  /**",
  "   * Returns a container that echoes whatever string argument is provided",
  "   */",
  "  @func()",
  "  containerEcho(stringArg: string): Container {",
  '    return dag.container().from("alpine:latest").withExec(["echo", stringArg])',
  "  }",
  "",
  "  /**",
  "   * Returns lines that match a pattern in the files of the provided Directory",
  "   */",
  "  @func()",
  "  async grepDir(directoryArg: Directory, pattern: string): Promise<string> {",
  "    return dag",
  "      .container()",
  '      .from("alpine:latest")',
  '      .withMountedDirectory("/mnt", directoryArg)',
  '      .withWorkdir("/mnt")',
  '      .withExec(["grep", "-R", pattern, "."])',
  "      .stdout()",
  "  }",
  "}",
);

/**
 * A module with the shapes the scanner must get past: braces in strings, templates, regexes and comments, a field, a
 * constructor, a private helper, multi-line signatures, a second @object() class.
 */
const SHOP = lines(
  "/**",
  " * CI for the shop.",
  " */",
  'import { dag, Container, Directory, Secret, object, func, argument } from "@dagger.io/dagger"',
  "",
  'const BANNER = "} not a block {"',
  "const TEMPLATE = `}${'{'}${`{${BANNER}`}`",
  "",
  "@object()",
  "export class Shop {",
  "  /** The base image; a field is a function too. */",
  "  @func()",
  '  base: string = "ruby:3.2"',
  "",
  '  constructor(base = "ruby:3.2") {',
  "    this.base = base",
  "  }",
  "",
  "  /**",
  "   * Builds the app.",
  "   *",
  "   * Returns the dist directory.",
  "   */",
  "  @func()",
  "  build(",
  '    @argument({ defaultPath: "/", ignore: ["node_modules", ".git", "**/*.log"] }) source: Directory,',
  '    target = "production",',
  "    jobs: number = 4,",
  "  ): Directory {",
  "    const re = /[{}]+/g // } a brace in a comment",
  "    /* { another */",
  "    return dag",
  "      .container()",
  "      .from(this.base)",
  '      .withMountedDirectory("/src", source)',
  '      .withExec(["sh", "-c", `make ${target.replace(re, "")} -j${jobs} { }`])',
  '      .directory("/src/dist")',
  "  }",
  "",
  "  /** Runs the tests */",
  '  @func({ cache: "session" })',
  "  async test(source: Directory, token?: Secret, verbose: boolean = false): Promise<string> {",
  '    const ctr = dag.container().from(this.base).withMountedDirectory("/src", source)',
  '    const withToken = token ? ctr.withSecretVariable("TOKEN", token) : ctr',
  '    return withToken.withExec(verbose ? ["rake", "-v", TEMPLATE] : ["rake"]).stdout()',
  "  }",
  "",
  "  private helper(): Container {",
  "    return dag.container()",
  "  }",
  "",
  "  @func()",
  "  publish(",
  "    source: Directory,",
  "    registry: string | null = null,",
  '    tags: string[] = ["latest"],',
  "  ): Promise<Array<string>> {",
  "    return Promise.all(tags.map((t) => this.build(source).dockerBuild().publish(`${registry " +
    '?? "ttl.sh"}/shop:${t}`)))',
  "  }",
  "}",
  "",
  "@object()",
  "export class Other {",
  "  @func()",
  "  hello(): string {",
  '    return "{"',
  "  }",
  "}",
);

function offsetsOf(source: string, name: string, after = 0): { nameStart: number; nameEnd: number } {
  const at = source.indexOf(name, after);
  return { nameStart: at, nameEnd: at + name.length };
}

function moduleFiles(index: string): Record<string, string> {
  return { ...newModuleFiles("ci", DEFAULT_ENGINE_VERSION, "", []), ".dagger/src/index.ts": index };
}

// ---------------------------------------------------------------------------------------------

test("findModule reads a .dagger-source module: config fields, entry file, its @object() class", () => {
  const files: Record<string, string> = {
    "dagger.json":
      '{\n  "name": "shop",\n  "engineVersion": "v0.21.9",\n  "sdk": {\n    "source": ' +
      '"typescript"\n  },\n  "source": ".dagger"\n}\n',
    ".dagger/src/index.ts": SHOP,
  };
  const m = findModule((p) => files[p]);
  assert.ok(m);
  assert.deepEqual(
    { ...m, functions: m.functions.map((f) => f.name) },
    {
      configPath: "dagger.json",
      name: "shop",
      engineVersion: "v0.21.9",
      sdk: "typescript",
      sourceDir: ".dagger",
      entryFile: ".dagger/src/index.ts",
      className: "Shop",
      functions: ["base", "build", "test", "publish"],
    },
  );
});

test("findModule: the legacy dagger/ source, the sdk as a string, no engineVersion", () => {
  const files: Record<string, string> = {
    "dagger.json": '{"name": "ci", "sdk": "typescript", "source": "dagger"}',
    "dagger/src/index.ts": QUICKSTART,
  };
  const m = findModule((p) => files[p]);
  assert.ok(m);
  assert.equal(m.engineVersion, undefined);
  assert.equal(m.sdk, "typescript");
  assert.equal(m.sourceDir, "dagger");
  assert.equal(m.entryFile, "dagger/src/index.ts");
  assert.equal(m.className, "Ci");
  assert.deepEqual(
    m.functions.map((f) => [f.name, f.cliName]),
    [
      ["containerEcho", "container-echo"],
      ["grepDir", "grep-dir"],
    ],
  );
});

test('findModule: without "source" the sources sit next to dagger.json; ./ and trailing slashes are normalized', () => {
  const root = findModule(
    (p) =>
      ({
        "dagger.json": '{"name": "hello", "sdk": {"source": "typescript"}}',
        "src/index.ts": QUICKSTART.replace("class Ci", "class Hello"),
      })[p],
  );
  assert.equal(root?.sourceDir, "");
  assert.equal(root?.entryFile, "src/index.ts");
  assert.equal(root?.className, "Hello");
  const dotted = findModule((p) => ({ "dagger.json": '{"name": "ci", "sdk": "typescript", "source": "./ci/"}' })[p]);
  assert.equal(dotted?.entryFile, "ci/src/index.ts");
});

test("findModule: the SDK as a module reference, and a non-TypeScript SDK", () => {
  const ref = findModule(
    (p) =>
      ({
        "dagger.json":
          '{"name": "ci", "sdk": {"source": "github.com/dagger/dagger/sdk/typescript@v0.21.9"}, "source": ".dagger"}',
        ".dagger/src/index.ts": QUICKSTART,
      })[p],
  );
  assert.equal(ref?.functions.length, 2);
  const go = findModule((p) => ({ "dagger.json": '{"name": "ci", "sdk": {"source": "go"}, "source": ".dagger"}' })[p]);
  assert.deepEqual(go, {
    configPath: "dagger.json",
    name: "ci",
    engineVersion: undefined,
    sdk: "go",
    sourceDir: ".dagger",
    entryFile: ".dagger/main.go",
    functions: [],
  });
});

test(
  "findModule: no dagger.json, broken or non-object JSON → undefined; a missing " +
    "or unreadable entry file → no functions",
  () => {
    assert.equal(
      findModule(() => undefined),
      undefined,
    );
    assert.equal(
      findModule((p) => (p === "dagger.json" ? '{"name": "ci", "sdk": ' : undefined)),
      undefined,
    );
    assert.equal(
      findModule((p) => (p === "dagger.json" ? "[1, 2]" : undefined)),
      undefined,
    );
    const missing = findModule((p) =>
      p === "dagger.json" ? '\uFEFF{"name": "ci", "sdk": "typescript", "source": ".dagger"}' : undefined,
    );
    assert.equal(missing?.className, undefined);
    assert.deepEqual(missing?.functions, []);
    const throwing = findModule((p) => {
      if (p === "dagger.json") return '{"name": "ci", "sdk": "typescript", "source": ".dagger"}';
      throw new Error("ENOENT");
    });
    assert.deepEqual(throwing?.functions, []);
  },
);

test("findModule picks the class named after the module when there are several @object() classes", () => {
  const files: Record<string, string> = {
    "dagger.json": '{"name": "other", "sdk": "typescript"}',
    "src/index.ts": SHOP,
  };
  const m = findModule((p) => files[p]);
  assert.equal(m?.className, "Other");
  assert.deepEqual(
    m?.functions.map((f) => f.name),
    ["hello"],
  );
});

test("parseFunctions: exact functions of a realistic module", () => {
  const { className, functions } = parseFunctions(SHOP);
  assert.equal(className, "Shop");
  assert.deepEqual(functions, [
    {
      name: "base",
      cliName: "base",
      params: [],
      returns: "string",
      doc: "The base image; a field is a function too.",
      ...offsetsOf(SHOP, "base", SHOP.indexOf("base: string")),
    },
    {
      name: "build",
      cliName: "build",
      params: [
        {
          name: "source",
          flag: "--source",
          type: "Directory",
          optional: false,
          defaultPath: "/",
          ignore: ["node_modules", ".git", "**/*.log"],
        },
        { name: "target", flag: "--target", type: "string", optional: true, defaultValue: '"production"' },
        { name: "jobs", flag: "--jobs", type: "number", optional: true, defaultValue: "4" },
      ],
      returns: "Directory",
      doc: "Builds the app.\n\nReturns the dist directory.",
      ...offsetsOf(SHOP, "build", SHOP.indexOf("@func()\n  build")),
    },
    {
      name: "test",
      cliName: "test",
      params: [
        { name: "source", flag: "--source", type: "Directory", optional: false },
        { name: "token", flag: "--token", type: "Secret", optional: true },
        { name: "verbose", flag: "--verbose", type: "boolean", optional: true, defaultValue: "false" },
      ],
      returns: "Promise<string>",
      doc: "Runs the tests",
      ...offsetsOf(SHOP, "test", SHOP.indexOf("async test")),
    },
    {
      name: "publish",
      cliName: "publish",
      params: [
        { name: "source", flag: "--source", type: "Directory", optional: false },
        { name: "registry", flag: "--registry", type: "string | null", optional: true, defaultValue: "null" },
        { name: "tags", flag: "--tags", type: "string[]", optional: true, defaultValue: '["latest"]' },
      ],
      returns: "Promise<Array<string>>",
      ...offsetsOf(SHOP, "publish", SHOP.indexOf("@func()\n  publish")),
    },
  ]);
  assert.deepEqual(typecheckModule(moduleFiles(SHOP)), []);
});

test("parseFunctions: the other @object() class on request; decorators after export; no class → nothing", () => {
  const other = parseFunctions(SHOP, "Other");
  assert.equal(other.className, "Other");
  assert.deepEqual(
    other.functions.map((f) => [f.name, f.returns, f.doc]),
    [["hello", "string", undefined]],
  );
  const modern = parseFunctions(
    'import { object, func } from "@dagger.io/dagger"\nexport @object() class ' +
      "Ci {\n  @func() async hiThere(name: string): Promise<string> { return " +
      "`hi ${name}` }\n}\n",
  );
  assert.deepEqual(
    modern.functions.map((f) => [f.name, f.cliName, f.returns]),
    [["hiThere", "hi-there", "Promise<string>"]],
  );
  assert.deepEqual(parseFunctions("class Plain { @func() x(): string { return '' } }"), { functions: [] });
  assert.deepEqual(parseFunctions(""), { functions: [] });
});

test("parseFunctions: flags and CLI names are Dagger's kebab-case of the engine's name", () => {
  const src = lines(
    "@object()",
    "class Ci {",
    "  @func()",
    "  rspecUnitPg14(ciCommitSha: string, buildV2?: boolean, myAPIKey = ''): Container {",
    "    return dag.container()",
    "  }",
    "}",
  );
  const [fn] = parseFunctions(src).functions;
  assert.equal(fn.cliName, "rspec-unit-pg-14");
  assert.deepEqual(
    fn.params.map((p) => [p.flag, p.type, p.optional, p.defaultValue]),
    [
      ["--ci-commit-sha", "string", false, undefined],
      ["--build-v-2", "boolean", true, undefined],
      ["--my-apikey", "string", true, "''"],
    ],
  );
});

test("parseFunctions finds what the TypeScript compiler's parser finds in the sample modules", () => {
  const generated = newModuleFiles("ci", DEFAULT_ENGINE_VERSION, SAMPLE_METHOD, SAMPLE_IMPORTS)[".dagger/src/index.ts"];
  for (const [source, preferred] of [
    [SHOP, undefined],
    [SHOP, "Other"],
    [QUICKSTART, undefined],
    [generated, "Ci"],
  ] as const)
    assert.deepEqual(scannerDifferences(source, preferred), [], `${preferred ?? ""} ${source.slice(0, 60)}`);
});

test("kebabCase and camelCase follow Dagger's name conversions", () => {
  const cases: Array<[string, string, string]> = [
    // input, camelCase, kebabCase of that camelCase (what `dagger call` shows for it)
    ["containerEcho", "containerEcho", "container-echo"],
    ["rspec unit:pg14", "rspecUnitPg14", "rspec-unit-pg-14"],
    ["CI_COMMIT_SHA", "ciCommitSha", "ci-commit-sha"],
    ["build-image", "buildImage", "build-image"],
    ["deploy review/app", "deployReviewApp", "deploy-review-app"],
    ["test 1/3", "test13", "test-13"],
    [".pre", "pre", "pre"],
    ["2fast", "job2Fast", "job-2-fast"],
    ["default", "jobDefault", "job-default"],
    ["", "job", "job"],
    ["Ünïcode job", "nCodeJob", "n-code-job"], // letters outside ASCII separate words, as in strcase
  ];
  assert.deepEqual(
    cases.map(([input]) => [input, camelCase(input), kebabCase(camelCase(input))]),
    cases,
  );
  assert.equal(kebabCase("rspec unit:pg14"), kebabCase(camelCase("rspec unit:pg14")));
  assert.equal(kebabCase("CI_COMMIT_SHA"), "ci-commit-sha");
  for (const [, camel] of cases) assert.match(camel, /^[A-Za-z_$][A-Za-z0-9_$]*$/);
  assert.deepEqual(["ci", "my-module", "my_mod2go", "CI"].map(pascalCase), ["Ci", "MyModule", "MyMod2Go", "Ci"]);
});

test("addFunctionEdits appends the method to the class and merges the import; the result type-checks", () => {
  const edits = addFunctionEdits(QUICKSTART, SAMPLE_METHOD, SAMPLE_IMPORTS);
  const out = apply(QUICKSTART, edits);
  assert.equal(
    out,
    QUICKSTART.replace(
      'import { dag, Container, Directory, object, func } from "@dagger.io/dagger"',
      'import { dag, Container, Directory, object, func, Secret, argument } from "@dagger.io/dagger"',
    ).replace(/  }\n}\n$/, "  }\n\n" + SAMPLE_METHOD + "}\n"),
  );
  assert.deepEqual(
    edits.map((e) => e.start === e.end),
    [true, true],
  ); // inserts only: nothing else touched
  assert.deepEqual(typecheckModule(moduleFiles(out)), []);
  const fns = parseFunctions(out).functions;
  assert.deepEqual(
    fns.map((f) => f.name),
    ["containerEcho", "grepDir", "build"],
  );
  assert.equal(out.slice(fns[2].nameStart, fns[2].nameEnd), "build");
});

test("addFunctionEdits: one-name-per-line imports with semicolons, a trailing comma and an alias", () => {
  const src = lines(
    "import {",
    "  dag,",
    "  Directory as Dir,",
    "  object,",
    "  func,",
    '} from "@dagger.io/dagger";',
    'import { readFileSync } from "node:fs";',
    "",
    "@object()",
    "export class Ci {",
    "  @func()",
    "  hello(): string {",
    '    return "}";',
    "  }",
    "}",
  );
  const out = apply(
    src,
    addFunctionEdits(src, "  @func()\n  bye(d: Directory): Directory {\n    return d;\n  }\n", [
      "dag",
      "Directory",
      "func",
    ]),
  );
  assert.equal(
    out,
    lines(
      "import {",
      "  dag,",
      "  Directory as Dir,",
      "  object,",
      "  func,",
      "  Directory,",
      '} from "@dagger.io/dagger";',
      'import { readFileSync } from "node:fs";',
      "",
      "@object()",
      "export class Ci {",
      "  @func()",
      "  hello(): string {",
      '    return "}";',
      "  }",
      "",
      "  @func()",
      "  bye(d: Directory): Directory {",
      "    return d;",
      "  }",
      "}",
    ),
  );
});

test("addFunctionEdits: no SDK import yet → one after the module's description; an empty class; CRLF kept", () => {
  const src = "/** The module. */\r\n@object()\r\nexport class Ci {}\r\n";
  const out = apply(src, addFunctionEdits(src, '  @func()\n  a(): string {\n    return ""\n  }\n', ["object", "func"]));
  assert.equal(
    out,
    '/** The module. */\r\nimport { object, func } from "@dagger.io/dagger"\r\n\r\n@object()\r\nexport ' +
      'class Ci {\r\n  @func()\r\n  a(): string {\r\n    return ""\r\n  }\r\n}\r\n',
  );
  const empty = 'import { object, func } from "@dagger.io/dagger"\n\n@object()\nexport class Ci {\n}\n';
  assert.equal(
    apply(empty, addFunctionEdits(empty, '  @func()\n  a(): string {\n    return ""\n  }\n', ["func"])),
    'import { object, func } from "@dagger.io/dagger"\n\n@object()\nexport ' +
      'class Ci {\n  @func()\n  a(): string {\n    return ""\n  }\n}\n',
  );
});

test("addFunctionEdits: only a type-only SDK import → a new import after it; no @object() class → no edits", () => {
  const src = 'import type { Directory } from "@dagger.io/dagger"\n\n@object()\nclass Ci {\n  x = 1\n}\n';
  assert.equal(
    apply(
      src,
      addFunctionEdits(src, "  @func()\n  y(): number {\n    return this.x\n  }\n", ["Directory", "object", "func"]),
    ),
    'import type { Directory } from "@dagger.io/dagger"\nimport { object, func ' +
      '} from "@dagger.io/dagger"\n\n@object()\nclass Ci {\n  x = 1\n\n  @func()\n ' +
      " y(): number {\n    return this.x\n  }\n}\n",
  );
  assert.deepEqual(addFunctionEdits("export class Ci {}\n", SAMPLE_METHOD, SAMPLE_IMPORTS), []);
});

test("newModuleFiles lays out a module as dagger init does, and the sample method type-checks in it", () => {
  const files = newModuleFiles("ci", "0.21.9", SAMPLE_METHOD, ["dag", "Directory", "Secret", "func", "argument"]);
  assert.deepEqual(Object.keys(files).sort(), [
    ".dagger/.gitattributes",
    ".dagger/.gitignore",
    ".dagger/package.json",
    ".dagger/src/index.ts",
    ".dagger/tsconfig.json",
    "dagger.json",
  ]);
  assert.equal(
    files["dagger.json"],
    '{\n  "name": "ci",\n  "engineVersion": "v0.21.9",\n  "sdk": {\n    "source": ' +
      '"typescript"\n  },\n  "source": ".dagger"\n}\n',
  );
  assert.deepEqual(JSON.parse(files[".dagger/package.json"]), {
    type: "module",
    dependencies: { typescript: "5.9.3" },
  });
  assert.deepEqual(JSON.parse(files[".dagger/tsconfig.json"]), {
    compilerOptions: {
      target: "ES2022",
      moduleResolution: "Node",
      experimentalDecorators: true,
      strict: true,
      skipLibCheck: true,
      paths: { "@dagger.io/dagger": ["./sdk/index.ts"], "@dagger.io/dagger/telemetry": ["./sdk/telemetry.ts"] },
    },
  });
  assert.equal(files[".dagger/.gitignore"], "/sdk\n/**/node_modules/**\n/**/.pnpm-store/**\n/.env\n");
  assert.equal(
    files[".dagger/src/index.ts"],
    lines(
      "/**",
      " * Dagger Functions of the ci module, converted from GitLab CI jobs.",
      " */",
      'import { dag, Directory, Secret, func, argument, object } from "@dagger.io/dagger"',
      "",
      "@object()",
      "export class Ci {",
    ) +
      SAMPLE_METHOD +
      "}\n",
  );
  assert.deepEqual(typecheckModule(files), []);
  const m = findModule((p) => files[p]);
  assert.equal(m?.className, "Ci");
  assert.deepEqual(
    m?.functions.map((f) => [f.cliName, f.params.map((p) => p.flag)]),
    [["build", ["--source", "--ci-commit-sha", "--token"]]],
  );
  assert.match(
    newModuleFiles("my-module", DEFAULT_ENGINE_VERSION, SAMPLE_METHOD, SAMPLE_IMPORTS)[".dagger/src/index.ts"],
    /^export class MyModule \{$/m,
  );
});

test("typecheckModule fails on a type error, and on Node globals a fresh module has no types for", () => {
  const files = newModuleFiles("ci", DEFAULT_ENGINE_VERSION, SAMPLE_METHOD, SAMPLE_IMPORTS);
  const index = files[".dagger/src/index.ts"];
  const wrong = typecheckModule({
    ...files,
    ".dagger/src/index.ts": index.replace('.withWorkdir("/builds/project")', ".withWorkdir(42)"),
  });
  assert.equal(wrong.length, 1);
  assert.match(
    wrong[0],
    /^\.dagger\/src\/index\.ts\(\d+,\d+\): error TS2345: Argument of type 'number' is not assignable to parameter of type 'string'/,
  );
  const node = typecheckModule({
    ...files,
    ".dagger/src/index.ts": index.replace('"ruby:3.2"', 'process.env.IMAGE ?? "ruby:3.2"'),
  });
  assert.match(node.join("\n"), /Cannot find name 'process'/);
});
