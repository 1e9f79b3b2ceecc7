import * as assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";
import { y } from "./helpers";

// require("pipewright"): the package's entry gives Node programs check() and merged() without
// loading the VS Code extension.

const pkg = path.resolve(__dirname, "..", "..");

test("the package's entry checks files in memory and a folder, and gives merged values", async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const api = require(pkg) as typeof import("../server/src/api");
  const files = {
    ".gitlab-ci.yml": y("include: ci/t.yml", "build:", "  extends: .t", "  scripts: [make]"),
    "ci/t.yml": y(".t:", "  image: alpine"),
  };
  assert.deepEqual(
    (await api.check({ files })).map((d) => `${d.file}:${d.range.start.line}:${d.range.start.character} ${d.code}`),
    [".gitlab-ci.yml:0:0 config-no-visible-job", ".gitlab-ci.yml:3:2 schema-unknown-keyword"],
  );
  assert.deepEqual(
    await api.merged({
      files: { ...files, ".gitlab-ci.yml": files[".gitlab-ci.yml"].replace("scripts", "script") },
      job: "build",
    }),
    {
      extends: ".t",
      script: ["make"],
      image: "alpine",
      stage: "test",
    },
  );
  const example = await api.check({ dir: path.join(pkg, "examples", "monorepo") });
  assert.ok(Array.isArray(example));
  await assert.rejects(api.check({}), /give either files or dir/);
});
