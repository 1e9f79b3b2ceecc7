// spec/lib/gitlab/ci/config/yaml/tags/reference_spec.rb: `!reference`, its errors and what it resolves to.
// The spec's keys are hidden here (`.a`), so that the config has no invalid jobs; `j` is its one job.
import { ci, type SpecCase } from "./types";

const SPEC = "spec/lib/gitlab/ci/config/yaml/tags/reference_spec.rb";

export const referenceCases: SpecCase[] = [
  {
    spec: SPEC,
    example: "#resolve › with circular references",
    files: ci(".a: !reference [.b]", ".b: !reference [.a]", "j: {script: x}"),
    expect: { error: '!reference [".b"] is part of a circular chain' },
  },
  {
    spec: SPEC,
    example: "#resolve › with nested circular references",
    files: ci(
      ".a: !reference [.b, c]",
      ".b: { c: !reference [.d, e, f] }",
      ".d: { e: { f: !reference [.a] } }",
      "j: {script: x}",
    ),
    expect: { error: '!reference [".b", "c"] is part of a circular chain' },
  },
  {
    spec: SPEC,
    example: "#resolve › with missing references",
    files: ci(".a: !reference [.b]", "j: {script: x}"),
    expect: { error: '!reference [".b"] could not be found' },
  },
  ...(
    [
      ["!reference", "!reference [] is not valid"],
      ["!reference str", '!reference "str" is not valid'],
      ["!reference 1", '!reference "1" is not valid'],
      ["!reference [1]", "!reference [1] is not valid"],
      ["!reference { b: c }", '!reference {"b"=>"c"} is not valid'],
    ] as const
  ).map(([tag, error]): SpecCase => ({
    spec: SPEC,
    example: `#resolve › with invalid references › ${tag}`,
    files: ci(`.a: ${tag}`, "j: {script: x}"),
    expect: { error },
  })),
  {
    spec: SPEC,
    example: "#resolve › when the references are valid but do not match the config",
    files: ci(".a: [1, 2]", ".b: [3, 4]", ".c: !reference [.a, b]", "j: {script: x}"),
    expect: { error: '!reference [".a", "b"] could not be found' },
  },
  {
    spec: SPEC,
    example: "#resolve › with arrays",
    files: ci(
      ".a: { b: [1, 2] }",
      ".c: { d: { e: [3, 4] } }",
      ".f: { g: [ !reference [.a, b], 5, !reference [.c, d, e]] }",
    ),
    expect: { merged: { ".f": { g: [[1, 2], 5, [3, 4]] } } },
  },
  {
    spec: SPEC,
    example: "#resolve › with hashes › when referencing an entire hash",
    files: ci(".a: { b: { c: 'c', d: 'd' } }", ".e: { f: !reference [.a, b] }"),
    expect: { merged: { ".e": { f: { c: "c", d: "d" } } } },
  },
  {
    spec: SPEC,
    example: "#resolve › with hashes › when referencing only a hash value",
    files: ci(
      ".a: { b: { c: 'c', d: 'd' } }",
      ".e: {  f: { g: !reference [.a, b, c], h: 'h' } }",
      ".i: !reference [.e, f]",
    ),
    expect: { merged: { ".i": { g: "c", h: "h" } } },
  },
  {
    spec: SPEC,
    example: "#resolve › with hashes › when referencing a value before its definition",
    files: ci(
      ".a: { b: !reference [.c, d] }",
      ".g: { h: { i: 'i', j: 1 } }",
      ".c: { d: { e: !reference [.g, h, j], f: 'f' } }",
    ),
    expect: { merged: { ".a": { b: { e: 1, f: "f" } } } },
  },
  {
    spec: SPEC,
    example: "#resolve › with hashes in arrays",
    files: ci(".a: 1", ".b: [{ c: !reference [.a] }]", ".d: !reference [.b]"),
    expect: { merged: { ".d": [{ c: 1 }] } },
  },
];
