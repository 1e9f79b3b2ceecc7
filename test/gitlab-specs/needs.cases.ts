// spec/lib/gitlab/ci/config/entry/needs_spec.rb and need_spec.rb: the needs of job `rspec`, which GitLab names
// "jobs:rspec:needs ..." and each need "jobs:rspec:needs:need ...". `job_name` is a job of an earlier stage.
import { ci, type SpecCase } from "./types";

const NEEDS = "spec/lib/gitlab/ci/config/entry/needs_spec.rb";
const NEED = "spec/lib/gitlab/ci/config/entry/need_spec.rb";

function needs(value: string): Record<string, string> {
  return ci(
    "job_name: {stage: build, script: echo}",
    "job_name1: {stage: build, script: echo, parallel: {matrix: [{A: [a1, a2], B: [b1, b2, b3], C: [c1, c2]}]}}",
    "rspec:",
    "  script: echo",
    `  needs: ${value}`,
  );
}

export const needsCases: SpecCase[] = [
  {
    spec: NEEDS,
    example: "validations › when entry config value is correct",
    files: needs("[job_name]"),
    expect: { valid: true },
  },
  {
    spec: NEEDS,
    example: "validations › when config value has wrong type",
    files: needs("123"),
    expect: { error: "jobs:rspec:needs config can only be a hash or an array" },
  },
  {
    spec: NEEDS,
    example: "validations › when wrong needs type is used (an integer)",
    files: needs("[123]"),
    expect: { error: "jobs:rspec:needs:need has an unsupported type" },
  },
  {
    spec: NEEDS,
    example: "validations › when wrong needs type is used (an unknown key)",
    files: needs("[{job: job_name, artifacts: true, some: key}]"),
    expect: { error: "jobs:rspec:needs:need config contains unknown keys: some" },
  },
  {
    spec: NEEDS,
    example: "validations › when needs value is a hash › with a job value",
    files: needs("{job: job_name}"),
    expect: { valid: true },
  },
  {
    spec: NEEDS,
    example: "validations › when needs value is a hash › with a parallel value that is a numeric value",
    files: needs("{job: job_name, parallel: 2}"),
    expect: { error: 'jobs:rspec:needs config cannot use "parallel: <number>".' },
  },
  {
    spec: NEEDS,
    example: 'validations › when needs:parallel value is incorrect › with a keyword that is not "matrix"',
    files: needs("[{job: job_name, parallel: {not_matrix: [{one: aaa, two: bbb}]}}]"),
    expect: { error: "jobs:rspec:needs:need:parallel config contains unknown keys: not_matrix" },
  },
  {
    spec: NEEDS,
    example:
      'validations › when needs:parallel value is incorrect › with a keyword that is not "matrix" (missing matrix)',
    files: needs("[{job: job_name, parallel: {not_matrix: [{one: aaa, two: bbb}]}}]"),
    expect: { error: "jobs:rspec:needs:need:parallel config missing required keys: matrix" },
  },
  {
    spec: NEEDS,
    example: "validations › when needs:parallel value is incorrect › with a number value",
    files: needs("[{job: job_name, parallel: 2}]"),
    expect: { error: 'jobs:rspec:needs config cannot use "parallel: <number>".' },
  },
  {
    spec: NEEDS,
    example: "validations › when needs:parallel:matrix value is empty",
    files: needs("[{job: job_name, parallel: {matrix: {}}}]"),
    expect: { error: "jobs:rspec:needs:need:parallel:matrix config should be an array of hashes" },
  },
  {
    spec: NEEDS,
    example: "validations › when needs:parallel:matrix value is incorrect",
    files: needs("[{job: job_name, parallel: {matrix: aaa}}]"),
    expect: { error: "jobs:rspec:needs:need:parallel:matrix config should be an array of hashes" },
  },
  {
    spec: NEEDS,
    example: "validations › when needs:parallel:matrix value is correct › with a complex config",
    files: needs(
      "[{job: job_name1, artifacts: true, parallel: {matrix: [{A: [a1, a2], B: [b1, b2, b3], C: [c1, c2]}]}}]",
    ),
    expect: { valid: true },
  },
  {
    spec: NEEDS,
    example: "validations › with too many cross pipeline dependencies",
    files: needs(
      `[${Array.from({ length: 6 }, (_, i) => `{pipeline: $UPSTREAM_PIPELINE_${i}, job: job-1}`).join(", ")}]`,
    ),
    expect: { error: "jobs:rspec:needs config must be less than or equal to 5" },
  },
  { spec: NEEDS, example: ".compose! › with empty config", files: needs("[]"), expect: { valid: true } },
  {
    spec: NEED,
    example: "with simple config › when need is empty",
    files: needs("['']"),
    expect: { error: "jobs:rspec:needs:need config can't be blank" },
  },
  {
    spec: NEED,
    example: "with complex config › with job name and artifacts nil",
    files: needs("[{job: job_name, artifacts: null}]"),
    expect: { valid: true },
  },
  {
    spec: NEED,
    example: "with complex config › with job name and optional nil",
    files: needs("[{job: job_name, optional: null}]"),
    expect: { valid: true },
  },
  {
    spec: NEED,
    example: "with complex config › when job name is empty",
    files: needs("[{job: '', artifacts: true}]"),
    expect: { error: "jobs:rspec:needs:need job can't be blank" },
  },
  {
    spec: NEED,
    example: "with complex config › when job has unknown keys",
    files: needs("[{job: job_name, artifacts: false, some: key}]"),
    expect: { error: "jobs:rspec:needs:need config contains unknown keys: some" },
  },
  {
    spec: NEED,
    example: "with complex config › when parallel:matrix has a value › and it is a both an array and string value",
    files: ci(
      "job_name: {stage: build, script: echo, parallel: {matrix: [{platform: [p1, p2], stack: [s1]}]}}",
      "rspec: {script: echo, needs: [{job: job_name, parallel: {matrix: [{platform: [p1, p2], stack: s1}]}}]}",
    ),
    expect: { valid: true },
  },
  {
    spec: NEED,
    example: "with cross pipeline artifacts needs › when pipeline is provided › when artifacts is provided",
    files: needs("[{job: job_name, pipeline: $THE_PIPELINE_ID, artifacts: false}]"),
    expect: { valid: true },
  },
  {
    spec: NEED,
    example: "with cross pipeline artifacts needs › when config contains not allowed keys",
    files: needs("[{job: job_name, pipeline: $THE_PIPELINE_ID, something: else}]"),
    expect: { error: "jobs:rspec:needs:need config contains unknown keys: something" },
  },
];
