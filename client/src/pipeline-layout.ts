// Positions a simulated pipeline for the pipeline view (pipeline-view.ts) the way GitLab draws it: one
// column per stage, left to right in the order of `stages:`, each job a box in its stage's column, and
// `needs:` as edges. Runs in the extension host with elkjs, so the webview only draws what it is given.
// No `vscode` import: the tests run it in plain Node.
import type { ELK as ElkApi, ElkExtendedEdge, ElkNode, ElkPoint, LayoutOptions } from "elkjs/lib/elk-api";
import type { PipelineViewData, PipelineViewJob } from "../../server/src/lsp/pipeline-protocol";

export interface PipelineLayoutColumn {
  readonly stage: string;
  readonly x: number;
  readonly width: number;
}

export interface PipelineLayoutJob {
  readonly name: string;
  readonly stage: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly when: string;
  readonly allowFailure: boolean;
  readonly startIn: string | null;
  /** The job's index in `PipelineViewData.jobs`: the view finds its location with it. */
  readonly index: number;
}

export interface PipelineLayoutEdge {
  /** The needed job. */
  readonly from: string;
  /** The job that needs it. */
  readonly to: string;
  /** ELK's route: start point, bend points, end point. */
  readonly points: ReadonlyArray<{ readonly x: number; readonly y: number }>;
}

export interface PipelineLayout {
  readonly width: number;
  readonly height: number;
  readonly columns: readonly PipelineLayoutColumn[];
  readonly jobs: readonly PipelineLayoutJob[];
  readonly edges: readonly PipelineLayoutEdge[];
}

/** Sizes shared with pipeline-html.ts, which fits the text to the boxes sized here. */
export const JOB_METRICS = {
  height: 44,
  minWidth: 180,
  maxWidth: 260,
  /** Where the name starts in a box: after the status glyph. */
  textLeft: 32,
  paddingRight: 12,
  /** Estimates for the name's 13 px and the caption's 11 px proportional font: the host cannot measure text. */
  charWidth: 7,
  captionCharWidth: 6,
} as const;

/** The band above the jobs where the stage headers go. */
export const HEADER_HEIGHT = 40;
const PADDING = 12;

/**
 * One elkjs instance for the process: without a worker URL it lays out in this thread, so it can be shared.
 * Loaded on first use: 1.6 MB of script the extension need not evaluate until a pipeline is shown.
 */
let elk: Promise<ElkApi> | undefined;

function elkInstance(): Promise<ElkApi> {
  elk ??= import("elkjs/lib/elk.bundled.js").then((m) => new m.default());
  return elk;
}

export async function layoutPipeline(data: PipelineViewData): Promise<PipelineLayout> {
  const columns = stageColumns(data);
  // a config with errors makes no pipeline but still has jobs its rules select: they are drawn
  if (columns.length === 0) return emptyLayout();
  const graph = elkGraph(data, columns);
  const laid = await (await elkInstance()).layout(graph);
  return toLayout(data, columns, laid);
}

function emptyLayout(): PipelineLayout {
  return { width: 2 * PADDING, height: 2 * PADDING, columns: [], jobs: [], edges: [] };
}

interface StageColumn {
  readonly stage: string;
  /** Indexes in `data.jobs`, top to bottom. */
  readonly jobs: readonly number[];
}

/**
 * The non-empty stages in the order of `data.stages`, each with its jobs in the order listed there.
 * A job missing from its stage's list, or in a stage not listed, still gets drawn: after the others,
 * rather than silently dropped.
 */
function stageColumns(data: PipelineViewData): StageColumn[] {
  const byName = new Map<string, number>();
  data.jobs.forEach((job, i) => {
    if (!byName.has(job.name)) byName.set(job.name, i);
  });
  const placed = new Set<number>();
  const columns = new Map<string, number[]>();
  const column = (stage: string): number[] => {
    let jobs = columns.get(stage);
    if (!jobs) columns.set(stage, (jobs = []));
    return jobs;
  };
  for (const stage of data.stages) {
    const jobs = column(stage.name);
    for (const name of stage.jobs) {
      const i = byName.get(name);
      if (i === undefined || placed.has(i) || data.jobs[i].stage !== stage.name) continue;
      placed.add(i);
      jobs.push(i);
    }
  }
  data.jobs.forEach((job, i) => {
    if (!placed.has(i) && byName.get(job.name) === i) column(job.stage).push(i);
  });
  return [...columns].filter(([, jobs]) => jobs.length > 0).map(([stage, jobs]) => ({ stage, jobs }));
}

const GRAPH_OPTIONS: LayoutOptions = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  // a partition per stage: ELK puts lower partitions in layers to the left of higher ones, so each stage
  // is a column (several layers wide when jobs need jobs of their own stage)
  "elk.partitioning.activate": "true",
  // otherwise jobs without needs form components of their own, packed side by side ignoring partitions
  "elk.separateConnectedComponents": "false",
  // jobs keep the order GitLab lists them in, top to bottom, even at the cost of crossings
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
  "elk.layered.crossingMinimization.forceNodeModelOrder": "true",
  "elk.edgeRouting": "ORTHOGONAL",
  "elk.layered.spacing.nodeNodeBetweenLayers": "60",
  "elk.spacing.nodeNode": "16",
  "elk.spacing.edgeNode": "12",
  "elk.padding": `[top=${PADDING + HEADER_HEIGHT},left=${PADDING},bottom=${PADDING},right=${PADDING}]`,
};

function elkGraph(data: PipelineViewData, columns: readonly StageColumn[]): ElkNode {
  const children: ElkNode[] = [];
  columns.forEach((column, partition) => {
    // one width for a stage's jobs, as GitLab draws them: boxes of a column line up on both sides
    const width = Math.max(...column.jobs.map((i) => jobWidth(data.jobs[i])));
    for (const i of column.jobs) {
      children.push({
        id: nodeId(i),
        width,
        height: JOB_METRICS.height,
        layoutOptions: { "elk.partitioning.partition": String(partition) },
      });
    }
  });
  return { id: "pipeline", layoutOptions: GRAPH_OPTIONS, children, edges: needEdges(data, columns) };
}

/** Node ids are indexes, not names: a job name may hold any character. */
function nodeId(index: number): string {
  return `j${index}`;
}

/** Wide enough for the name and the caption, within bounds: a longer name is cut with an ellipsis. */
export function jobWidth(job: Pick<PipelineViewJob, "name" | "when" | "allowFailure" | "startIn">): number {
  const text = Math.max(job.name.length * JOB_METRICS.charWidth, jobCaption(job).length * JOB_METRICS.captionCharWidth);
  const width = JOB_METRICS.textLeft + text + JOB_METRICS.paddingRight;
  return Math.min(JOB_METRICS.maxWidth, Math.max(JOB_METRICS.minWidth, Math.ceil(width)));
}

const WHEN_LABELS: Readonly<Record<string, string>> = {
  on_success: "on success",
  manual: "manual",
  delayed: "delayed",
  always: "always",
  on_failure: "on failure",
};

/** A box's second line, when the job runs in words: "delayed, in 5 min · allowed to fail". */
export function jobCaption(job: Pick<PipelineViewJob, "when" | "allowFailure" | "startIn">): string {
  let when = WHEN_LABELS[job.when] ?? job.when;
  if (job.when === "delayed" && job.startIn !== null) when = `delayed, in ${job.startIn}`;
  return job.allowFailure ? `${when} \u00B7 allowed to fail` : when;
}

/** An edge from each needed job to the job needing it, when both are drawn; none for a job needing itself. */
function needEdges(data: PipelineViewData, columns: readonly StageColumn[]): ElkExtendedEdge[] {
  const drawn = new Map<string, number>();
  for (const column of columns) for (const i of column.jobs) drawn.set(data.jobs[i].name, i);
  const edges: ElkExtendedEdge[] = [];
  for (const column of columns) {
    for (const to of column.jobs) {
      for (const from of new Set(neededIndexes(data.jobs[to], drawn))) {
        if (from !== to) edges.push({ id: `e${edges.length}`, sources: [nodeId(from)], targets: [nodeId(to)] });
      }
    }
  }
  return edges;
}

function neededIndexes(job: PipelineViewJob, drawn: ReadonlyMap<string, number>): number[] {
  const out: number[] = [];
  for (const name of job.needs ?? []) {
    const i = drawn.get(name);
    if (i !== undefined) out.push(i);
  }
  return out;
}

function toLayout(data: PipelineViewData, columns: readonly StageColumn[], laid: ElkNode): PipelineLayout {
  const nodes = new Map<string, ElkNode>();
  for (const child of laid.children ?? []) nodes.set(child.id, child);
  const jobs: PipelineLayoutJob[] = [];
  const placedColumns: PipelineLayoutColumn[] = [];
  for (const column of columns) {
    const boxes = column.jobs.map((i) => placeJob(data.jobs[i], i, nodes.get(nodeId(i))));
    jobs.push(...boxes);
    const left = Math.min(...boxes.map((b) => b.x));
    const right = Math.max(...boxes.map((b) => b.x + b.width));
    placedColumns.push({ stage: column.stage, x: left, width: right - left });
  }
  const names = new Map<string, string>(jobs.map((j) => [nodeId(j.index), j.name]));
  const edges = (laid.edges ?? []).map((e) => placeEdge(e, names));
  const right = Math.max(...jobs.map((j) => j.x + j.width)) + PADDING;
  const bottom = Math.max(...jobs.map((j) => j.y + j.height)) + PADDING;
  return {
    width: Math.max(laid.width ?? 0, right),
    height: Math.max(laid.height ?? 0, bottom),
    columns: placedColumns,
    jobs,
    edges,
  };
}

function placeJob(job: PipelineViewJob, index: number, node: ElkNode | undefined): PipelineLayoutJob {
  return {
    name: job.name,
    stage: job.stage,
    x: node?.x ?? 0,
    y: node?.y ?? 0,
    width: node?.width ?? jobWidth(job),
    height: node?.height ?? JOB_METRICS.height,
    when: job.when,
    allowFailure: job.allowFailure,
    startIn: job.startIn,
    index,
  };
}

function placeEdge(edge: ElkExtendedEdge, names: ReadonlyMap<string, string>): PipelineLayoutEdge {
  const points: ElkPoint[] = [];
  for (const section of edge.sections ?? []) {
    points.push(section.startPoint, ...(section.bendPoints ?? []), section.endPoint);
  }
  return {
    from: names.get(edge.sources[0]) ?? "",
    to: names.get(edge.targets[0]) ?? "",
    points: points.map((p) => ({ x: p.x, y: p.y })),
  };
}
