import type { ServerResponse } from 'node:http';
import { isValidPeriodS, SERVER_METRICS, type MetricStatistic } from '../../../lib/results/server-metrics';
import { asRecord, parseJson } from '../http-io';
import { metricSamples, type EndpointIdentity } from './metric-samples';
import type { ServingRecord } from './serving-record';

/**
 * CloudWatch `GetMetricData` of the local endpoint, as @aws-sdk/client-cloudwatch (3.1164) sends it:
 * AWS JSON 1.0, `POST /` with `X-Amz-Target: GraniteServiceVersion20100801.GetMetricData`,
 * `Content-Type: application/x-amz-json-1.0` and `x-amzn-query-mode: true` (the client is
 * "awsQueryCompatible": errors carry `x-amzn-query-error: Code;Sender`); timestamps are epoch seconds.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
 * Answers MetricStat queries of the SageMaker metrics in lib/results/server-metrics.ts from the
 * twin's serving record; math expressions and Metrics Insights are refused with a clear error.
 */

export const CLOUDWATCH_TARGET_PREFIX = 'GraniteServiceVersion20100801.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
/** GetMetricData limits (API reference): 500 queries per call, 100,800 datapoints per call by default. */
export const MAX_QUERIES = 500;
export const DEFAULT_MAX_DATAPOINTS = 100_800;
const STATISTICS: readonly MetricStatistic[] = ['Average', 'Sum', 'SampleCount', 'Maximum', 'Minimum'];

class CloudWatchError extends Error {
  constructor(
    readonly type: string,
    readonly queryCode: string,
    message: string,
  ) {
    super(message);
  }
}

const invalid = (message: string): CloudWatchError => new CloudWatchError('InvalidParameterValueException', 'InvalidParameterValue', message);

export interface LocalCloudWatch {
  /** Answers the call when `target` is a CloudWatch operation; false otherwise. */
  handle(target: string, body: Buffer, response: ServerResponse): boolean;
}

export interface LocalCloudWatchOptions {
  /**
   * Publication delay of a period's datapoint, virtual ms. Absent: the twin publishes at once, the
   * period in progress covering the time up to the call (fast offline default). Set: as on AWS, a
   * period's datapoint appears only once the period has closed and `publishDelayMs` more has passed
   * (SageMaker publishes endpoint metrics per period, "at a 1-minute frequency",
   * https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html; how long after the
   * minute is not documented, hence a parameter).
   */
  readonly publishDelayMs?: number;
  /** Called before every GetMetricData is answered (the control plane applies its due transitions). */
  readonly beforeRead?: () => void;
}

interface Datapoints {
  readonly id: string;
  readonly label: string;
  readonly points: readonly { readonly timestampS: number; readonly value: number }[];
}

export function createLocalCloudWatch(record: ServingRecord, endpoint: EndpointIdentity, now: () => number, options: LocalCloudWatchOptions = {}): LocalCloudWatch {
  const delayMs = options.publishDelayMs;
  if (delayMs !== undefined && !(delayMs >= 0 && Number.isFinite(delayMs))) throw new RangeError(`publishDelayMs must be a number ≥ 0, got ${delayMs}`);
  function getMetricData(input: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const startS = timestamp(input.StartTime, 'StartTime');
    const endS = timestamp(input.EndTime, 'EndTime');
    if (!(endS > startS)) throw invalid('The parameter EndTime must be greater than StartTime.');
    const queries = Array.isArray(input.MetricDataQueries) ? (input.MetricDataQueries as unknown[]).map(asRecord) : [];
    if (queries.length === 0 || queries.length > MAX_QUERIES) throw invalid(`MetricDataQueries must hold 1 to ${MAX_QUERIES} queries, got ${queries.length}.`);
    const maxDatapoints = typeof input.MaxDatapoints === 'number' ? input.MaxDatapoints : DEFAULT_MAX_DATAPOINTS;
    if (!(maxDatapoints > 0)) throw invalid('MaxDatapoints must be positive.');
    const descending = (input.ScanBy ?? 'TimestampDescending') === 'TimestampDescending';
    const ids = new Set<string>();
    const all: Datapoints[] = [];
    for (const query of queries) {
      const id = String(query?.Id ?? '');
      if (!/^[a-z][a-zA-Z0-9_]*$/.test(id)) throw invalid(`The value ${id} for parameter MetricDataQueries.member.Id is invalid: it must start with a lower-case letter and hold letters, digits and underscores.`);
      if (ids.has(id)) throw invalid(`The value ${id} for parameter MetricDataQueries.member.Id is used twice.`);
      ids.add(id);
      const stat = asRecord(query?.MetricStat);
      if (stat === undefined) throw invalid(`Query ${id}: the local CloudWatch answers MetricStat queries only (no Expression or Metrics Insights).`);
      all.push(datapoints(id, stat, String(query?.Label ?? ''), startS, endS, descending));
    }
    // Pagination: the datapoints of every query in order; a page ends after MaxDatapoints of them.
    const offset = input.NextToken === undefined ? 0 : parseToken(input.NextToken);
    let skip = offset;
    let room = maxDatapoints;
    const results = [];
    let more = false;
    for (const series of all) {
      const start = Math.min(skip, series.points.length);
      skip -= start;
      const taken = series.points.slice(start, start + room);
      room -= taken.length;
      const complete = start + taken.length === series.points.length;
      if (!complete) more = true;
      results.push({ Id: series.id, Label: series.label, Timestamps: taken.map((p) => p.timestampS), Values: taken.map((p) => p.value), StatusCode: complete ? 'Complete' : 'PartialData' });
    }
    const used = maxDatapoints - room;
    return { MetricDataResults: results, Messages: [], ...(more ? { NextToken: `local-${offset + used}` } : {}) };
  }

  function datapoints(id: string, stat: Readonly<Record<string, unknown>>, label: string, startS: number, endS: number, descending: boolean): Datapoints {
    const metric = asRecord(stat.Metric) ?? {};
    const namespace = String(metric.Namespace ?? '');
    const metricName = String(metric.MetricName ?? '');
    const periodS = stat.Period;
    if (typeof periodS !== 'number' || !isValidPeriodS(periodS)) throw invalid(`Query ${id}: Period must be 1, 5, 10, 20, 30 or a multiple of 60, got ${String(periodS)}.`);
    const statistic = String(stat.Stat) as MetricStatistic;
    if (!STATISTICS.includes(statistic)) throw invalid(`Query ${id}: the local CloudWatch computes ${STATISTICS.join(', ')}; not ${String(stat.Stat)}.`);
    const dimensions: Record<string, string> = {};
    for (const d of Array.isArray(metric.Dimensions) ? (metric.Dimensions as unknown[]).map(asRecord) : []) dimensions[String(d?.Name)] = String(d?.Value);
    const definition = SERVER_METRICS.find((m) => m.namespace === namespace && m.metricName === metricName);
    const points: { timestampS: number; value: number }[] = [];
    if (definition !== undefined) {
      // A metric is stored at the resolution it is published at: a finer Period returns that resolution.
      const effectiveS = Math.max(periodS, definition.resolutionS);
      // CloudWatch rounds StartTime down to the minute (to the period's division for 1–30 s periods).
      const alignS = effectiveS < 60 ? effectiveS : 60;
      const nowS = now() / 1000;
      // With a publication delay only closed periods published by now exist; without, the one in progress too.
      const published = (t: number): boolean => (delayMs === undefined ? t < nowS : t + effectiveS + delayMs / 1000 <= nowS);
      for (let t = Math.floor(startS / alignS) * alignS; t < endS && published(t); t += effectiveS) {
        const samples = metricSamples(record, endpoint, { metricName, dimensions, fromMs: t * 1000, toMs: Math.min(t + effectiveS, nowS) * 1000 });
        if (samples === undefined || samples.length === 0) continue;
        points.push({ timestampS: t, value: statisticOf(statistic, samples) });
      }
    }
    if (descending) points.reverse();
    return { id, label: label || metricName, points };
  }

  return {
    handle(target: string, body: Buffer, response: ServerResponse): boolean {
      if (!target.startsWith(CLOUDWATCH_TARGET_PREFIX)) return false;
      const operation = target.slice(CLOUDWATCH_TARGET_PREFIX.length);
      let status = 200;
      let output: Record<string, unknown>;
      const headers: Record<string, string> = { 'Content-Type': CONTENT_TYPE, 'x-amzn-RequestId': 'local' };
      try {
        if (operation !== 'GetMetricData') throw new CloudWatchError('UnknownOperationException', 'InvalidAction', `the local CloudWatch implements ${CLOUDWATCH_TARGET_PREFIX}GetMetricData; not ${target}`);
        options.beforeRead?.();
        output = getMetricData(asRecord(parseJson(body)) ?? {});
      } catch (error) {
        if (!(error instanceof CloudWatchError)) throw error;
        status = 400;
        output = { __type: error.type, message: error.message };
        headers['x-amzn-query-error'] = `${error.queryCode};Sender`;
      }
      const text = JSON.stringify(output);
      response.writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(text)) });
      response.end(text);
      return true;
    },
  };
}

function timestamp(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && Number.isFinite(Date.parse(value))) return Date.parse(value) / 1000;
  throw invalid(`The parameter ${field} is required (epoch seconds).`);
}

function parseToken(token: unknown): number {
  const match = /^local-(\d+)$/.exec(String(token));
  if (match === null) throw new CloudWatchError('InvalidNextToken', 'InvalidNextToken', `The service cannot process this NextToken: ${String(token)}.`);
  return Number(match[1]);
}

function statisticOf(statistic: MetricStatistic, samples: readonly number[]): number {
  switch (statistic) {
    case 'Average':
      return samples.reduce((s, v) => s + v, 0) / samples.length;
    case 'Sum':
      return samples.reduce((s, v) => s + v, 0);
    case 'SampleCount':
      return samples.length;
    case 'Maximum':
      return Math.max(...samples);
    case 'Minimum':
      return Math.min(...samples);
  }
}
