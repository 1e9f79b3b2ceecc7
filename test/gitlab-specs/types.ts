// GitLab's own spec examples, ported as data: each case names the spec file and the example it comes
// from, the project it analyses, and GitLab's result. test/gitlab-specs.test.ts runs them all.
import { y } from "../helpers";

/** What GitLab gives for the case. */
export type Expect =
  /** A diagnostic of severity error whose message starts with GitLab's full text. */
  | { readonly error: string }
  /** A diagnostic of severity warning whose message starts with GitLab's full text. */
  | { readonly warning: string }
  /** No diagnostic (of any severity) whose message starts with this text. */
  | { readonly absent: string }
  /** No diagnostic of severity error. */
  | { readonly valid: true }
  /** These top-level keys of the merged configuration have these values (`undefined`: absent). */
  | { readonly merged: Readonly<Record<string, unknown>> }
  /**
   * These keys of the job's effective definition (after includes, extends, !reference, default: and
   * inherit:) have these values (`undefined`: absent). Values are as the merged YAML writes them:
   * GitLab's build attributes also wrap a string `script` in a list and a string `image` in `{name:}`,
   * a normalisation these cases do not compare.
   */
  | { readonly job: string; readonly effective: Readonly<Record<string, unknown>> };

export interface SpecCase {
  /** GitLab's spec file, e.g. `spec/lib/gitlab/ci/config/entry/job_spec.rb`. */
  readonly spec: string;
  /** The example: its describe/context/it texts, outermost first. */
  readonly example: string;
  /** The project: path → text; `.gitlab-ci.yml` is the root. */
  readonly files: Readonly<Record<string, string>>;
  readonly expect: Expect;
  /** We deliberately differ from GitLab here, and why; the runner checks that we still do. */
  readonly difference?: string;
  /** We fail this case: what is wrong. The runner reports it without failing. */
  readonly pending?: string;
}

/** A project of one `.gitlab-ci.yml` made of these lines. */
export function ci(...lines: string[]): Record<string, string> {
  return { ".gitlab-ci.yml": y(...lines) };
}

/** The case, marked as one we fail today, for this reason (what GitLab does, and where ours is made). */
export function pend(pending: string, c: SpecCase): SpecCase {
  return { ...c, pending };
}
