import { componentRequest, type ExternalRequest, type ProjectContext } from "./external";
import type { IncludeKind } from "./includes";
import { normaliseLocalPath } from "./paths";
import type { CValue, Severity, Src } from "./types";
import { str } from "./values";

// Turns one include entry that names a file outside the project — or a `local:` include inside a
// fetched file, which is local to *that* file's project — into the requests the host answers.
// GitLab's rules for where such a file is read (GL:lib/gitlab/ci/config/external/file/*.rb,
// `expand_context_attrs`): a project or component file's includes run in that project at that SHA;
// a remote or template file's run with no project at all.

/**
 * Where the file that holds an include entry was read: undefined for this project, a project and
 * commit for a project or component file, null for a remote or template file (no project).
 */
export type FileContext = ProjectContext | null | undefined;

/** One file an entry asks for, or why it cannot be asked for. */
export type WantedFile =
  | { readonly request: ExternalRequest; readonly at: Src; readonly label: string }
  | { readonly problem: string; readonly severity: Severity; readonly at: Src };

export interface ExternalEntry {
  readonly kind: IncludeKind;
  readonly location: string;
  readonly locationAt: Src;
  /** `include:project`'s `file` items. */
  readonly files: readonly CValue[];
  readonly ref?: string;
}

/** The files an external entry names, in order; `instanceHost` is what `$CI_SERVER_FQDN` stands for. */
export function wantedFiles(entry: ExternalEntry, context: FileContext, instanceHost: string): WantedFile[] {
  const at = entry.locationAt;
  // a project file's nested project/template includes go to the instance that file came from
  const host = context ? context.host : instanceHost;
  switch (entry.kind) {
    case "project":
      return entry.files.map((f): WantedFile => {
        const name = str(f) ?? "";
        const file = name.replace(/^\/+/, "");
        const ref = entry.ref;
        return {
          request: { kind: "project", host, project: entry.location, ref, file },
          at: f.src,
          label: `project \`${entry.location}\` file \`${file}\`${ref === undefined ? "" : ` at \`${ref}\``}`,
        };
      });
    case "component": {
      const request = componentRequest(entry.location, instanceHost);
      if (!request)
        return [
          {
            problem:
              `Component \`${entry.location}\` is not a valid address: ` +
              "it must be <fqdn>/<project path>/<name>@<version>",
            severity: "error",
            at,
          },
        ];
      return [{ request, at, label: `component \`${entry.location}\`` }];
    }
    case "template":
      return [
        { request: { kind: "template", host, name: entry.location }, at, label: `template \`${entry.location}\`` },
      ];
    case "remote":
      return [{ request: { kind: "remote", url: entry.location }, at, label: `remote \`${entry.location}\`` }];
    case "local": {
      // only reached inside a fetched file
      if (context === null)
        return [{ problem: `Local file \`${entry.location}\` does not have project!`, severity: "error", at }];
      const file = normaliseLocalPath(entry.location);
      if (file === undefined || context === undefined)
        return [
          {
            problem:
              `Local file \`${entry.location}\` is outside the project: ` +
              "include:local paths are read from the repository root",
            severity: "error",
            at,
          },
        ];
      return [
        {
          request: { kind: "project", host: context.host, project: context.project, ref: context.sha, file },
          at,
          label: `local \`${file}\` of project \`${context.project}\``,
        },
      ];
    }
    default:
      return [];
  }
}
