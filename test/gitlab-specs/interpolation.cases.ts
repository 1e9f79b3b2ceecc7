// spec/lib/gitlab/ci/config/interpolation/*_spec.rb: `spec:inputs` and `$[[ ]]` blocks of an included file
// `t.yml`. GitLab reports a file's interpolation errors as "`t.yml`: <error>".
import { y } from "../helpers";
import { ci, type SpecCase } from "./types";

const DIR = "spec/lib/gitlab/ci/config/interpolation";

/** `t.yml` with this `spec:inputs` (flow map) and job `j` whose variable FOO is `value`; included with `inputs`. */
function inputsCase(specInputs: string, inputs: string, value = "$[[ inputs.foo ]]"): Record<string, string> {
  return {
    ...ci("include:", "  - local: t.yml", ...(inputs ? [`    inputs: ${inputs}`] : [])),
    "t.yml": y("spec:", `  inputs: ${specInputs}`, "---", "j:", "  script: echo", "  variables:", `    FOO: ${value}`),
  };
}

const valid: Array<[string, string, unknown]> = [
  ["{foo: {default: bar}}", "", "bar"],
  ["{foo: {default: bar}}", "{foo: test}", "test"],
  ["{foo: null}", "{foo: bar}", "bar"],
  ["{foo: {type: string}}", "{foo: bar}", "bar"],
  ["{foo: {type: string, default: bar}}", "{foo: test}", "test"],
  ["{foo: {type: string, default: bar}}", "", "bar"],
  ["{foo: {type: number}}", "{foo: 8}", 8],
  ["{foo: {default: 9, type: number}}", "", 9],
  ["{foo: {type: boolean}}", "{foo: false}", false],
  ["{foo: {default: true, type: boolean}}", "", true],
];

const invalid: Array<[string, string, string]> = [
  ["{foo: null}", "{foo: bar, test: bar}", "unknown input arguments: test"],
  ["{foo: null}", "{test: bar, gitlab: '1'}", "unknown input arguments: test, gitlab"],
  ["{foo: null}", "{test: bar, gitlab: '1'}", "`foo` input: required value has not been provided"],
  ["{foo: null}", "", "`foo` input: required value has not been provided"],
  ["{foo: {default: 123}}", "{foo: test}", "`foo` input: default value is not a string"],
  ["{foo: {default: test}}", "{foo: 123}", "`foo` input: provided value is not a string"],
  ["{foo: null}", "{foo: 123}", "`foo` input: provided value is not a string"],
  ["{foo: {type: number}}", "{foo: NaN}", "`foo` input: provided value is not a number"],
  ["{foo: {default: NaN, type: number}}", "", "`foo` input: default value is not a number"],
  ["{foo: {type: boolean}}", "{foo: string}", "`foo` input: provided value is not a boolean"],
  ["{foo: {default: string, type: boolean}}", "", "`foo` input: default value is not a boolean"],
];

/** `t.yml` declaring input `data` (a string unless `data` says otherwise), FOO set to `value`. */
function block(value: string, data = "abcdef"): Record<string, string> {
  return inputsCase("{data: null}", `{data: ${data}}`, value);
}

export const interpolationCases: SpecCase[] = [
  ...valid.map(([specInputs, inputs, result], i): SpecCase => ({
    spec: `${DIR}/inputs_spec.rb`,
    example: `when inputs are valid › contains the merged inputs (row ${i + 1}: ${specInputs} ${inputs || "{}"})`,
    files: inputsCase(specInputs, inputs),
    expect: { job: "j", effective: { variables: { FOO: result } } },
  })),
  ...invalid.map(([specInputs, inputs, error], i): SpecCase => ({
    spec: `${DIR}/inputs_spec.rb`,
    example: `when inputs are invalid › (row ${i + 1}: ${specInputs} ${inputs || "{}"})`,
    files: inputsCase(specInputs, inputs),
    expect: { error: `\`t.yml\`: ${error}` },
  })),
  {
    spec: `${DIR}/interpolator_spec.rb`,
    example: "when input data is valid › correctly interpolates the config",
    files: inputsCase("{website: null}", "{website: gitlab.com}", "deploy $[[ inputs.website ]]"),
    expect: { job: "j", effective: { variables: { FOO: "deploy gitlab.com" } } },
  },
  {
    spec: `${DIR}/interpolator_spec.rb`,
    example: "when spec header is missing but inputs are specified",
    files: { ...ci("include:", "  - local: t.yml", "    inputs: {foo: bar}"), "t.yml": y("j: {script: echo}") },
    expect: { error: "`t.yml`: Given inputs not defined in the `spec` section of the included configuration file" },
  },
  {
    spec: `${DIR}/interpolator_spec.rb`,
    example: "when spec header is invalid",
    files: {
      ...ci("include:", "  - local: t.yml", "    inputs: {website: gitlab.com}"),
      "t.yml": y("spec:", "  arguments: {website: null}", "---", "j:", "  script: deploy $[[ inputs.website ]]"),
    },
    expect: { error: "`t.yml`: header:spec config contains unknown keys: arguments" },
  },
  {
    spec: `${DIR}/interpolator_spec.rb`,
    example: "when provided interpolation argument is invalid",
    files: inputsCase(
      "{number_of_deploy: {type: number}}",
      "{number_of_deploy: hello}",
      "$[[ inputs.number_of_deploy ]]",
    ),
    expect: { error: "`t.yml`: `number_of_deploy` input: provided value is not a number" },
  },
  {
    spec: `${DIR}/interpolator_spec.rb`,
    example: "when interpolation block is invalid",
    files: inputsCase("{website: null}", "{website: gitlab.com}", "deploy $[[ inputs.abc ]]"),
    expect: { error: "`t.yml`: unknown interpolation provided: `abc` in `inputs.abc`" },
  },
  {
    spec: `${DIR}/interpolator_spec.rb`,
    example: "when multiple interpolation blocks are invalid",
    files: inputsCase(
      "{website: null}",
      "{website: gitlab.com}",
      "deploy $[[ inputs.something.abc ]] $[[ inputs.cde ]] $[[ efg ]]",
    ),
    expect: { error: "`t.yml`: unknown interpolation provided: `something` in `inputs.something.abc`" },
  },
  {
    spec: `${DIR}/block_spec.rb`,
    example: "when functions are specified in the block › returns the modified value",
    files: block("$[[ inputs.data | truncate(1,5) ]]"),
    expect: { job: "j", effective: { variables: { FOO: "bcdef" } } },
  },
  {
    spec: `${DIR}/block_spec.rb`,
    example: "when functions are specified in the block › when there is an access error",
    files: block("$[[ inputs.undefined | truncate(1,5) ]]"),
    expect: { error: "`t.yml`: unknown interpolation provided: `undefined` in `inputs.undefined`" },
  },
  {
    spec: `${DIR}/block_spec.rb`,
    example: "when functions are specified in the block › when there is a function error",
    files: block("$[[ inputs.data | undefined ]]"),
    expect: { error: "`t.yml`: no function matching `undefined`" },
  },
  {
    spec: `${DIR}/block_spec.rb`,
    example: "when functions are specified in the block › when multiple functions are specified",
    files: block("$[[ inputs.data | truncate(1,5) | truncate(2,2) ]]"),
    expect: { job: "j", effective: { variables: { FOO: "de" } } },
  },
  {
    spec: `${DIR}/block_spec.rb`,
    example: "when multiple functions are specified › when the data has inconsistent spacing",
    files: block("$[[ inputs.data|truncate(1,5)  | truncate(2,2)  ]]"),
    expect: { job: "j", effective: { variables: { FOO: "de" } } },
  },
  {
    spec: `${DIR}/block_spec.rb`,
    example: "when multiple functions are specified › when a stack of functions errors in the middle",
    files: block("$[[ inputs.data | truncate(1,5) | truncate(2) ]]"),
    expect: { error: "`t.yml`: no function matching `truncate(2)`" },
  },
  {
    spec: `${DIR}/block_spec.rb`,
    example: "when block contains matrix expression › skips interpolation and returns the original block",
    files: block("$[[ matrix.PROVIDER ]]"),
    expect: { job: "j", effective: { variables: { FOO: "$[[ matrix.PROVIDER ]]" } } },
  },
  {
    spec: `${DIR}/functions_stack_spec.rb`,
    example: "when function expressions do not match any function",
    files: block("$[[ inputs.data | truncate(0) | unknown ]]"),
    expect: {
      error:
        "`t.yml`: no function matching `truncate(0)`: check that the function name, arguments, and types are correct",
    },
  },
  {
    spec: `${DIR}/functions/truncate_spec.rb`,
    example: "when given a non-string input › returns an error",
    files: inputsCase("{data: {type: number}}", "{data: 100}", "$[[ inputs.data | truncate(1,2) ]]"),
    expect: {
      error: "`t.yml`: error in `truncate` function: invalid input type: truncate can only be used with string inputs",
    },
  },
  {
    spec: `${DIR}/functions/posix_escape_spec.rb`,
    example: "when given a shell fragment with meta/control characters › prevents command chaining with semicolon",
    files: block("$[[ inputs.data | posix_escape ]]", "'file.txt; rm -rf /'"),
    expect: { job: "j", effective: { variables: { FOO: "file.txt\\;\\ rm\\ -rf\\ /" } } },
  },
  {
    spec: `${DIR}/functions/posix_escape_spec.rb`,
    example: "when given a shell fragment with meta/control characters › prevents command substitution with $(...)",
    files: block("$[[ inputs.data | posix_escape ]]", "'file_$(whoami).txt'"),
    expect: { job: "j", effective: { variables: { FOO: "file_\\$\\(whoami\\).txt" } } },
  },
  {
    spec: `${DIR}/functions/posix_escape_spec.rb`,
    example: "when given a non-string input › returns an error",
    files: inputsCase("{data: {type: number}}", "{data: 100}", "$[[ inputs.data | posix_escape ]]"),
    expect: {
      error:
        "`t.yml`: error in `posix_escape` function: invalid input " +
        "type: posix_escape can only be used with string inputs",
    },
  },
  {
    spec: `${DIR}/functions/split_spec.rb`,
    example: "#execute › with surrounding whitespace around elements › strips whitespace from each element",
    files: {
      ...ci("include:", "  - local: t.yml", "    inputs: {data: 'a, b, c'}"),
      "t.yml": y(
        "spec:",
        "  inputs: {data: null}",
        "---",
        "j:",
        "  script: echo",
        "  tags: $[[ inputs.data | split(',') ]]",
      ),
    },
    expect: { job: "j", effective: { tags: ["a", "b", "c"] } },
  },
  {
    spec: `${DIR}/template_spec.rb`,
    example: "interpolates the values properly (keys and whole values keep their type)",
    files: {
      ...ci("include:", "  - local: t.yml", "    inputs: {allow_failure: true, env: dev, key: abc, parallel: 6}"),
      "t.yml": y(
        "spec:",
        "  inputs: {allow_failure: {type: boolean}, env: null, key: null, parallel: {type: number}}",
        "---",
        "$[[ inputs.key ]]:",
        "  parallel: $[[ inputs.parallel ]]",
        "  allow_failure: $[[ inputs.allow_failure ]]",
        "  script: 'echo \"This job makes $[[ inputs.parallel ]] jobs for the $[[ inputs.env ]] env\"'",
      ),
    },
    expect: {
      merged: {
        abc: { parallel: 6, allow_failure: true, script: 'echo "This job makes 6 jobs for the dev env"' },
      },
    },
  },
];
