import type * as lsp from "vscode-languageserver/node";
import * as convert from "./convert";
import { location } from "./folders";
import type { PipelineParams, PipelineResult, ScenariosParams, ScenariosResult } from "./pipeline-protocol";
import type { Requests } from "./requests";

// Pipewright's own requests (client/src asks them): the merged views, the used-by list, whether a file is part
// of a configuration, the job picker and the pipeline view. Like server.ts, only a translation: Workspace calls
// in, lsp/convert.ts out.

export function onPipewrightRequests(connection: lsp.Connection, { inFolder }: Requests): void {
  connection.onRequest("pipewright/merged", (p: { uri?: string; job?: string }) =>
    inFolder(
      "merged view",
      { error: "the merged view failed; see the server log" },
      p.uri,
      (ws, file, f) => convert.mergedView(f, ws.merged(file, p.job)),
      "editing",
    ),
  );
  connection.onRequest("pipewright/usedBy", (p: { uri?: string; name?: string }) =>
    inFolder("used by", [], p.uri, (ws, file, f) =>
      ws.usedByUsers(file ?? "", String(p.name)).map((l) => location(f, l)),
    ),
  );
  // a YAML file an include names, whatever its name: the client makes it a GitLab CI file
  connection.onRequest("pipewright/inConfig", (p: { uri?: string }) =>
    inFolder("in config", false, p.uri, (ws, file) => file !== undefined && ws.inConfig(file)),
  );
  connection.onRequest("pipewright/jobs", (p: { uri?: string; position?: lsp.Position }) =>
    inFolder("jobs", convert.jobList(undefined, { jobs: [] }), p.uri, (ws, file, f) =>
      convert.jobList(f, ws.jobList(file, p.position)),
    ),
  );
  connection.onRequest("pipewright/scenarios", (p: ScenariosParams): ScenariosResult =>
    inFolder("scenarios", { scenarios: [] }, p.uri, (ws) => ({ scenarios: convert.scenarios(ws.editorScenarios()) })),
  );
  connection.onRequest("pipewright/pipeline", (p: PipelineParams): PipelineResult =>
    inFolder(
      "pipeline",
      { error: "the pipeline could not be simulated; see the server log" },
      p.uri,
      (ws, file, folder): PipelineResult => {
        const view = ws.viewPipeline({ label: p.scenario, args: p.args }, file);
        return "error" in view ? view : convert.pipelineView(folder, view.title, view.pipeline);
      },
    ),
  );
}
