import { GetMetricDataCommand, type CloudWatchClient, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { joinServerTelemetry, type MetricSeries, type ServerTelemetry } from '../../lib/results/server-telemetry';
import { planQueries, type QueryOptions, type QueryPlan, type TelemetryTarget } from './queries';

export interface ReadOptions extends QueryOptions {
  /** Datapoints per GetMetricData page. @default CloudWatch's 100,800 */
  readonly maxDatapoints?: number;
}

/** Rounds a window out to whole periods (CloudWatch rounds StartTime down to the minute anyway). */
export function queryBounds(window: { startMs: number; endMs: number }, periodS: number): { start: Date; end: Date } {
  const stepMs = Math.min(periodS, 60) * 1000;
  const periodMs = periodS * 1000;
  const startMs = Math.floor(window.startMs / stepMs) * stepMs;
  const endMs = startMs + Math.ceil((window.endMs - startMs) / periodMs) * periodMs;
  return { start: new Date(startMs), end: new Date(Math.max(endMs, startMs + periodMs)) };
}

/**
 * Reads the SageMaker metrics of one window (on the endpoint's clock, epoch ms) through GetMetricData,
 * following NextToken until every query is complete, and joins them into a LevelResult's `server` block.
 * Needs `cloudwatch:GetMetricData` (no resource-level permissions: Resource "*").
 */
export async function readServerTelemetry(
  client: CloudWatchClient,
  target: TelemetryTarget,
  window: { readonly startMs: number; readonly endMs: number },
  opts: ReadOptions = {},
): Promise<ServerTelemetry> {
  const { plan, series } = await readMetricSeries(client, target, window, opts);
  return joinSeries(series, plan, target, window);
}

/** The datapoints of one window's queries as series (one per metric and statistic), and the plan behind them. */
export interface ReadSeries {
  readonly plan: QueryPlan;
  readonly series: MetricSeries[];
  /** The GetMetricData StartTime sent (periods count from it). */
  readonly startMs: number;
}

/** The `server` block of a window from series already read. */
export function joinSeries(series: readonly MetricSeries[], plan: QueryPlan, target: TelemetryTarget, window: { readonly startMs: number; readonly endMs: number }): ServerTelemetry {
  return joinServerTelemetry(series, {
    window,
    periodS: plan.periodS,
    hasComponents: target.inferenceComponent !== undefined,
    ...(target.gpusPerInstance !== undefined ? { gpusPerInstance: target.gpusPerInstance } : {}),
  });
}

/** GetMetricData of one window (every page), as series. */
export async function readMetricSeries(
  client: CloudWatchClient,
  target: TelemetryTarget,
  window: { readonly startMs: number; readonly endMs: number },
  opts: ReadOptions = {},
): Promise<ReadSeries> {
  const plan = planQueries(target, opts);
  const { start, end } = queryBounds(window, plan.periodS);
  const points = new Map<string, { timestampMs: number; value: number }[]>();
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await client.send(
      new GetMetricDataCommand({
        MetricDataQueries: plan.queries,
        StartTime: start,
        EndTime: end,
        ScanBy: 'TimestampAscending',
        ...(opts.maxDatapoints !== undefined ? { MaxDatapoints: opts.maxDatapoints } : {}),
        ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
      }),
    );
    for (const result of page.MetricDataResults ?? []) collect(points, result);
    nextToken = page.NextToken;
    pages += 1;
    if (pages > 1000) throw new Error('GetMetricData: more than 1,000 pages; refusing to follow NextToken further');
  } while (nextToken !== undefined);
  const series: MetricSeries[] = [];
  for (const [id, read] of plan.byId) series.push({ ...read, points: points.get(id) ?? [] });
  return { plan, series, startMs: start.getTime() };
}

function collect(points: Map<string, { timestampMs: number; value: number }[]>, result: MetricDataResult): void {
  if (result.Id === undefined) return;
  const list = points.get(result.Id) ?? [];
  const timestamps = result.Timestamps ?? [];
  const values = result.Values ?? [];
  timestamps.forEach((t, i) => {
    const value = values[i];
    if (value !== undefined) list.push({ timestampMs: t.getTime(), value });
  });
  points.set(result.Id, list);
}
