// The pipeline view's page: draws a laid-out pipeline (pipeline-layout.ts) as an inline SVG, with the
// scenario in a header and the jobs not created, errors and warnings below. Self-contained: no external
// resource and no library; one small script sends clicks back to the extension (pipeline-view.ts).
// No `vscode` import: the tests run it in plain Node.
import type { PipelineViewData, PipelineViewJob } from "../../server/src/lsp/pipeline-protocol";
import { HEADER_HEIGHT, JOB_METRICS, jobCaption, type PipelineLayout, type PipelineLayoutJob } from "./pipeline-layout";

type Location = NonNullable<PipelineViewJob["location"]>;

export interface PipelineHtmlOptions {
  readonly nonce: string;
  readonly cspSource: string;
}

/** The messages the page posts; pipeline-view.ts handles them. */
export type PipelineViewMessage = { readonly pipeline: number } & (
  | { readonly type: "open"; readonly index: number }
  | { readonly type: "openNotCreated"; readonly index: number }
  | { readonly type: "openProblem"; readonly kind: "error" | "warning"; readonly index: number }
);

/** A child pipeline to draw below the main one: its trigger job and config file, its data and layout. */
export interface ChildDrawing {
  readonly job: string;
  readonly file: string;
  readonly data: PipelineViewData;
  readonly layout: PipelineLayout;
}

/**
 * The page: the pipeline, then each child pipeline (`children`, in the order the view flattened them: the
 * page's messages name a pipeline by its place, 0 for the main one, i + 1 for children[i]).
 */
export function pipelineHtml(
  data: PipelineViewData,
  layout: PipelineLayout,
  opts: PipelineHtmlOptions,
  children: readonly ChildDrawing[] = [],
): string {
  const main = `<div class="pipeline" data-pipeline="0">${header(data)}${drawing(data, layout, 0)}</div>`;
  const below = children.map((c, i) => {
    const title = `Child pipeline of ${c.job} (${c.file})`;
    const message = c.data.created
      ? ""
      : `<p class="message" role="alert">${escapeHtml(c.data.message ?? "No pipeline is created.")}</p>`;
    return (
      `<div class="pipeline child" data-pipeline="${i + 1}" data-testid="child-pipeline"` +
      ` data-job="${escapeHtml(c.job)}"><h2>${escapeHtml(title)}</h2>${message}` +
      `${drawing(c.data, c.layout, i + 1)}</div>`
    );
  });
  return page(data.title, [main, ...below].join("\n"), opts.cspSource, opts.nonce);
}

function drawing(data: PipelineViewData, layout: PipelineLayout, n: number): string {
  return [graph(data, layout, n), notCreated(data), problems(data)].join("\n");
}

/** The page shown when the server could not simulate the pipeline. */
export function pipelineErrorHtml(message: string, opts: { readonly cspSource: string }): string {
  const body = `<p class="message" data-testid="pipeline-error">${escapeHtml(message)}</p>`;
  return page("Pipeline", body, opts.cspSource, undefined);
}

/** For text and attribute values alike: job names, stages and messages may hold any character. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

function page(title: string, body: string, cspSource: string, nonce: string | undefined): string {
  const scripts = nonce === undefined ? "" : `'nonce-${nonce}'`;
  const csp = `default-src 'none'; style-src ${cspSource} 'unsafe-inline'; script-src ${scripts || "'none'"};`;
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="UTF-8">',
    // quotes kept as they are: the policy's own single quotes are what a reader (and a test) looks for
    `<meta http-equiv="Content-Security-Policy" content="${csp.replace(/&/g, "&amp;").replace(/"/g, "&quot;")}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    body,
    nonce === undefined ? "" : `<script nonce="${escapeHtml(nonce)}">${SCRIPT}</script>`,
    "</body>",
    "</html>",
  ].join("\n");
}

// ---- header

function header(data: PipelineViewData): string {
  const parts = [`<h1 data-testid="pipeline-title">${escapeHtml(data.title)}</h1>`];
  if (data.name !== null) {
    parts.push(`<p class="name" data-testid="pipeline-name">Pipeline name: ${escapeHtml(data.name)}</p>`);
  }
  if (!data.created) {
    const message = data.message ?? "No pipeline is created.";
    parts.push(`<p class="message" role="alert" data-testid="pipeline-message">${escapeHtml(message)}</p>`);
    if (data.jobs.length)
      parts.push(`<p class="summary">The ${plural(data.jobs.length, "job")} its rules select, once that is fixed:</p>`);
  } else {
    const stages = new Set(data.jobs.map((j) => j.stage)).size;
    parts.push(`<p class="summary">${plural(data.jobs.length, "job")} in ${plural(stages, "stage")}</p>`);
  }
  return `<header>${parts.join("")}</header>`;
}

// ---- the graph

function graph(data: PipelineViewData, layout: PipelineLayout, n: number): string {
  if (layout.jobs.length === 0) return data.created ? '<p class="empty">No jobs.</p>' : "";
  const counts = new Map<string, number>();
  for (const job of layout.jobs) counts.set(job.stage, (counts.get(job.stage) ?? 0) + 1);
  const stages = layout.columns.map((c) => stageHeader(c.stage, c.x, c.width, counts.get(c.stage) ?? 0));
  const edges = layout.edges.map((e) => edgePath(e.from, e.to, e.points, n));
  const jobs = layout.jobs.map((j) => jobBox(j, data.jobs[j.index]));
  const label = `Pipeline graph: ${plural(layout.jobs.length, "job")} in ${plural(layout.columns.length, "stage")}`;
  return [
    '<div class="graph">',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}"` +
      ` viewBox="0 0 ${layout.width} ${layout.height}" role="group" aria-label="${escapeHtml(label)}">`,
    "<defs>",
    `<marker id="arrow-${n}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8"` +
      ' orient="auto-start-reverse"><path class="arrowhead" d="M 0 0 L 10 5 L 0 10 z"/></marker>',
    "</defs>",
    ...stages,
    ...edges,
    ...jobs,
    "</svg>",
    "</div>",
  ].join("\n");
}

function stageHeader(stage: string, x: number, width: number, count: number): string {
  const countText = String(count);
  // the count sits at the column's right end; the name gets what is left
  const nameWidth = width - 16 - countText.length * JOB_METRICS.charWidth;
  const name = fit(stage, nameWidth);
  return (
    `<g class="stage" data-testid="stage" data-stage="${escapeHtml(stage)}">` +
    `<title>${escapeHtml(`${stage}: ${plural(count, "job")}`)}</title>` +
    `<rect class="column" x="${x - 6}" y="${HEADER_HEIGHT - 4}" width="${width + 12}" height="4" rx="2"/>` +
    `<text class="stage-name" x="${x}" y="${HEADER_HEIGHT - 14}">${escapeHtml(name)}</text>` +
    `<text class="stage-count" x="${x + width}" y="${HEADER_HEIGHT - 14}" text-anchor="end">${countText}</text>` +
    "</g>"
  );
}

function edgePath(from: string, to: string, points: PipelineLayout["edges"][number]["points"], n: number): string {
  if (points.length < 2) return "";
  const d = points.map((p, i) => `${i === 0 ? "M" : "L"} ${round(p.x)} ${round(p.y)}`).join(" ");
  return (
    `<path class="edge" data-from="${escapeHtml(from)}" data-to="${escapeHtml(to)}" d="${d}"` +
    ` marker-end="url(#arrow-${n})"/>`
  );
}

// GitLab's status icons where common fonts have a near match (a gear for manual, a clock for delayed), and
// none that fonts only have as colour emoji; U+FE0E asks for the text form all the same
const WHEN_GLYPHS: Readonly<Record<string, string>> = {
  on_success: "\u25B6\uFE0E",
  manual: "\u2699\uFE0E",
  delayed: "\u25F7",
  always: "\u25CF",
  on_failure: "\u26A0\uFE0E",
};

function whenGlyph(when: string): string {
  return WHEN_GLYPHS[when] ?? "\u25CB";
}

function jobBox(job: PipelineLayoutJob, source: PipelineViewJob | undefined): string {
  const textWidth = job.width - JOB_METRICS.textLeft - JOB_METRICS.paddingRight;
  const sub = jobCaption(job);
  const caption = fit(sub, textWidth, JOB_METRICS.captionCharWidth);
  const classes = ["job", `when-${job.when.replace(/[^a-z_]/gi, "")}`];
  if (job.allowFailure) classes.push("allow-failure");
  const attributes = [
    `class="${classes.join(" ")}"`,
    'data-testid="job"',
    `data-job="${escapeHtml(job.name)}"`,
    `data-when="${escapeHtml(job.when)}"`,
    'data-message="open"',
    `data-index="${job.index}"`,
    'tabindex="0"',
    'role="button"',
    `aria-label="${escapeHtml(`Job ${job.name}, stage ${job.stage}, ${sub}. Open its definition.`)}"`,
    `transform="translate(${round(job.x)} ${round(job.y)})"`,
  ];
  return (
    `<g ${attributes.join(" ")}>` +
    `<title>${escapeHtml(jobTooltip(job, source))}</title>` +
    `<rect class="box" width="${job.width}" height="${job.height}" rx="8"/>` +
    `<text class="glyph" x="16" y="${job.height / 2 + 5}" text-anchor="middle">${whenGlyph(job.when)}</text>` +
    `<text class="job-name" x="${JOB_METRICS.textLeft}" y="19">${escapeHtml(fit(job.name, textWidth))}</text>` +
    `<text class="job-when" x="${JOB_METRICS.textLeft}" y="35">${escapeHtml(caption)}</text>` +
    "</g>"
  );
}

function jobTooltip(job: PipelineLayoutJob, source: PipelineViewJob | undefined): string {
  const lines = [job.name, `stage: ${job.stage}`, `when: ${job.when}`];
  if (job.startIn !== null) lines.push(`start in: ${job.startIn}`);
  if (job.allowFailure) lines.push("allowed to fail");
  if (source?.needs)
    lines.push(source.needs.length ? `needs: ${source.needs.join(", ")}` : "needs: [] (starts at once)");
  if (source?.rule) lines.push(`rule: ${locationLabel(source.rule)}`);
  if (source?.location) lines.push(`defined at ${locationLabel(source.location)}`);
  return lines.join("\n");
}

// ---- below the graph

function notCreated(data: PipelineViewData): string {
  if (data.notCreated.length === 0) return "";
  const items = data.notCreated.map((job, i) => {
    const where = job.rule ?? job.location;
    const at = where ? ` <span class="where">${escapeHtml(locationLabel(where))}</span>` : "";
    const action = where ? ` data-message="openNotCreated" data-index="${i}" tabindex="0" role="button"` : "";
    return (
      `<li class="not-created${where ? " clickable" : ""}" data-testid="not-created"` +
      ` data-job="${escapeHtml(job.name)}"${action}>` +
      `<span class="job-name">${escapeHtml(job.name)}</span>` +
      ` <span class="why">${escapeHtml(job.why)}</span>${at}</li>`
    );
  });
  return section(`Not created (${data.notCreated.length})`, "not-created-list", items);
}

function problems(data: PipelineViewData): string {
  const list = (kind: "error" | "warning", entries: PipelineViewData["errors"]): string[] =>
    entries.map((p, i) => {
      const at = p.location ? ` <span class="where">${escapeHtml(locationLabel(p.location))}</span>` : "";
      const action = p.location
        ? ` data-message="openProblem" data-kind="${kind}" data-index="${i}" tabindex="0" role="button"`
        : "";
      return (
        `<li class="problem ${kind}${p.location ? " clickable" : ""}" data-testid="${kind}"${action}>` +
        `<span class="severity">${kind}</span> ${escapeHtml(p.message)}${at}</li>`
      );
    });
  return [
    data.errors.length ? section(`Errors (${data.errors.length})`, "errors", list("error", data.errors)) : "",
    data.warnings.length
      ? section(`Warnings (${data.warnings.length})`, "warnings", list("warning", data.warnings))
      : "",
  ].join("\n");
}

function section(title: string, cls: string, items: readonly string[]): string {
  return `<section class="${cls}"><h2>${escapeHtml(title)}</h2><ul>${items.join("")}</ul></section>`;
}

// ---- helpers

/** "ci/build.yml:12": the file's last two path segments and the 1-based line. */
export function locationLabel(location: Location): string {
  const path = location.uri.replace(/^[a-z][a-z0-9+.-]*:/i, "").replace(/[?#].*$/, "");
  const segments = path.split("/").filter((s) => s !== "");
  const file = segments.slice(-2).map(decodeSegment).join("/");
  return `${file}:${location.range.start.line + 1}`;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Cuts text to what fits in `width` px at the estimated character width, ending with an ellipsis. */
function fit(text: string, width: number, charWidth: number = JOB_METRICS.charWidth): string {
  const max = Math.max(1, Math.floor(width / charWidth));
  return text.length <= max ? text : `${text.slice(0, max - 1)}\u2026`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

const STYLE = `
body {
  color: var(--vscode-editor-foreground);
  background: var(--vscode-editor-background);
  font-family: var(--vscode-font-family);
  font-size: var(--vscode-font-size, 13px);
  padding: 0 16px 16px;
}
header h1 { font-size: 1.3em; font-weight: 600; margin: 12px 0 4px; }
header p { margin: 4px 0; }
.name { font-weight: 600; }
.summary, .empty, .where, .why, .stage-count { color: var(--vscode-descriptionForeground); }
.message {
  font-size: 1.15em;
  padding: 8px 12px;
  border-left: 4px solid var(--vscode-charts-red);
  background: var(--vscode-inputValidation-errorBackground, transparent);
}
.graph { overflow: auto; margin: 8px 0 16px; }
.child { border-top: 1px solid var(--vscode-panel-border, var(--vscode-descriptionForeground)); margin-top: 16px; }
.child > h2 { font-size: 1.1em; font-weight: 600; margin: 12px 0 4px; }
svg text { fill: var(--vscode-editor-foreground); font-family: var(--vscode-font-family); font-size: 13px; }
.stage-name { font-weight: 600; }
.stage-count { fill: var(--vscode-descriptionForeground); }
.column { fill: var(--vscode-descriptionForeground); opacity: 0.35; }
.edge { fill: none; stroke: var(--vscode-descriptionForeground); stroke-width: 1.5; }
.arrowhead { fill: var(--vscode-descriptionForeground); }
.job { cursor: pointer; outline: none; }
.job .box {
  fill: var(--vscode-editorWidget-background, var(--vscode-editor-background));
  stroke: var(--vscode-descriptionForeground);
  stroke-width: 1;
}
.job:hover .box { stroke: var(--vscode-editor-foreground); }
.job:focus .box, .job:focus-visible .box { stroke: var(--vscode-focusBorder); stroke-width: 2; }
.job.allow-failure .box { stroke-dasharray: 5 3; }
.job .job-when { font-size: 11px; fill: var(--vscode-descriptionForeground); }
.job .glyph { font-size: 12px; }
.when-on_success .glyph { fill: var(--vscode-charts-green); }
.when-manual .glyph, .when-delayed .glyph { fill: var(--vscode-charts-yellow); }
.when-always .glyph { fill: var(--vscode-charts-blue, var(--vscode-charts-green)); }
.when-on_failure .glyph { fill: var(--vscode-charts-red); }
.job.allow-failure .job-when { fill: var(--vscode-charts-yellow); }
section h2 { font-size: 1.05em; font-weight: 600; margin: 12px 0 4px; }
section ul { list-style: none; padding: 0; margin: 0; }
section li { padding: 3px 6px; border-radius: 3px; }
section li .job-name { font-weight: 600; }
li.clickable { cursor: pointer; }
li.clickable:hover { background: var(--vscode-list-hoverBackground, transparent); }
li.clickable:focus { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
.problem .severity { font-weight: 600; text-transform: uppercase; font-size: 0.85em; }
.problem.error .severity { color: var(--vscode-charts-red); }
.problem.warning .severity { color: var(--vscode-charts-yellow); }
`;

// Plain ES2015 for the webview: a click, Enter or Space on anything with data-message posts it.
const SCRIPT = `
(function () {
  const vscode = acquireVsCodeApi();
  function post(el) {
    const message = { type: el.getAttribute("data-message"), index: Number(el.getAttribute("data-index")) };
    const pipeline = el.closest("[data-pipeline]");
    message.pipeline = pipeline ? Number(pipeline.getAttribute("data-pipeline")) : 0;
    const kind = el.getAttribute("data-kind");
    if (kind) message.kind = kind;
    vscode.postMessage(message);
  }
  function target(event) {
    return event.target instanceof Element ? event.target.closest("[data-message]") : null;
  }
  document.addEventListener("click", function (event) {
    const el = target(event);
    if (el) post(el);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" && event.key !== " ") return;
    const el = target(event);
    if (!el) return;
    event.preventDefault();
    post(el);
  });
})();
`;
