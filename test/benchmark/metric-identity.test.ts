import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { BenchmarkPipeline } from '../../lib/benchmark';
import { dashboardLevels } from '../../lib/benchmark/deployment-input';
import { LEVEL_RESULT_VERSION, SWEEP_RESULT_VERSION, type Distribution, type LevelResult, type SweepResult } from '../../lib/results/records';
import { publishSweepMetrics } from '../../loadtest/handlers/metrics';
import { OFFLINE_APP_PROPS } from '../../loadtest/offline/synth';
import { FLEET } from './fixture-fleet';

/**
 * Metric identity, unit level: every alarm and dashboard metric of the synthesized pipeline must be a
 * series the real EMF emitter writes, namespace, metric name and the FULL dimension set alike.
 * CloudWatch stores each dimension set as its own metric, so a query that leaves out a dimension
 * the emitter wrote (Powertools' `service`) finds no data: the alarm never fires and the widget is empty.
 */

type EmfDocument = {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
} & Record<string, unknown>;

const dist = (p50: number): Distribution => ({ mean: p50, p50, p90: p50 * 1.2, p99: p50 * 1.5, min: p50 / 2, max: p50 * 2 });

function level(concurrency: number): LevelResult {
  return {
    schemaVersion: LEVEL_RESULT_VERSION,
    concurrency,
    requests: 20,
    ok: 19,
    errors: { overloaded: 1 },
    retries: 0,
    durationS: 60,
    requestsPerS: 0.3,
    outputTokens: 4864,
    throughputTokensPerS: 40 * concurrency,
    latencyMsPerToken: dist(20 + concurrency),
    e2eMs: dist(5000),
    ttftMs: dist(80),
    timeouts: 0,
  };
}

/** Runs the emitter the report step runs (stdout mode, as in Lambda) and returns the EMF lines it printed. */
function emittedLines(): string[] {
  const printed: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed.push(String(chunk));
    return true;
  });
  try {
    for (const d of FLEET.deployments) {
      const levels = dashboardLevels(d).map(level);
      const sweep: SweepResult = {
        schemaVersion: SWEEP_RESULT_VERSION,
        label: d.id,
        startedAt: '2026-11-30T00:00:00.000Z',
        target: { kind: 'sagemaker', address: d.endpointName },
        payload: { inputTokens: 256, outputTokens: 256 },
        deployment: { id: d.id, hourlyUsd: d.hourlyUsd },
        levels,
        maxThroughput: { concurrency: levels[levels.length - 1].concurrency, tokensPerS: levels[levels.length - 1].throughputTokensPerS },
      };
      publishSweepMetrics(sweep, { regressed: true, regressionPct: 12, detail: 'test' }, d.id);
    }
  } finally {
    write.mockRestore();
  }
  return printed.join('').split('\n').filter((line) => line.trim() !== '');
}

const seriesKey = (namespace: string, name: string, dimensions: Record<string, string>): string =>
  `${namespace} ${name} {${Object.keys(dimensions)
    .sort()
    .map((k) => `${k}=${dimensions[k]}`)
    .join(', ')}}`;

/** Every (namespace, metric, dimension set with values) an EMF document defines. */
function emfSeries(doc: EmfDocument): string[] {
  return doc._aws.CloudWatchMetrics.flatMap((directive) =>
    directive.Dimensions.flatMap((set) =>
      directive.Metrics.map((m) => seriesKey(directive.Namespace, m.Name, Object.fromEntries(set.map((k) => [k, String(doc[k])])))),
    ),
  );
}

/** Joins an Fn::Join dashboard body (tokens such as the region become a placeholder) and parses it. */
function dashboardBody(template: Template): { widgets: { properties: { metrics?: unknown[][] } }[] } {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as { Properties: { DashboardBody: unknown } }[];
  const body = dashboard.Properties.DashboardBody;
  const text =
    typeof body === 'string' ? body : (body as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
  return JSON.parse(text) as { widgets: { properties: { metrics?: unknown[][] } }[] };
}

/** Dashboard metric rows `[namespace, name, dim, value, …, {options}]` (with CloudWatch's "." repeat shorthand). */
function dashboardSeries(template: Template): string[] {
  const out: string[] = [];
  for (const widget of dashboardBody(template).widgets) {
    let previous: unknown[] = [];
    for (const row of widget.properties.metrics ?? []) {
      const fields = row.filter((f) => typeof f === 'string').map((f, i) => (f === '.' ? previous[i] : f)) as string[];
      previous = fields;
      const dimensions: Record<string, string> = {};
      for (let i = 2; i + 1 < fields.length; i += 2) dimensions[fields[i]] = fields[i + 1];
      out.push(seriesKey(fields[0], fields[1], dimensions));
    }
  }
  return out;
}

type AlarmMetric = { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: string }[] };

/** Alarm metrics, in the single-metric form or the `Metrics` (MetricStat) form CDK uses for labelled metrics. */
function alarmSeries(template: Template): string[] {
  return Object.values(template.findResources('AWS::CloudWatch::Alarm')).flatMap((a) => {
    const p = (a as { Properties: AlarmMetric & { Metrics?: { MetricStat?: { Metric: AlarmMetric } }[] } }).Properties;
    const metrics = p.Metrics ? p.Metrics.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : [])) : [p];
    return metrics.map((m) => seriesKey(m.Namespace, m.MetricName, Object.fromEntries((m.Dimensions ?? []).map((d) => [d.Name, d.Value]))));
  });
}

const metricSeries = (metric: cloudwatch.Metric): string => seriesKey(metric.namespace, metric.metricName, (metric.dimensions ?? {}) as Record<string, string>);

describe('metric identity: what the alarms and the dashboard query is what the emitter writes', () => {
  const lines = emittedLines();
  const emitted = new Set(lines.flatMap((line) => emfSeries(JSON.parse(line) as EmfDocument)));
  const app = new App(OFFLINE_APP_PROPS);
  const stack = new Stack(app, 'Shared', { env: { region: 'us-east-1', account: '123456789012' } });
  const pipeline = new BenchmarkPipeline(stack, 'Benchmark', { fleet: FLEET });
  const template = Template.fromStack(stack);

  it('the emitter prints one EMF line per level and per run, each with Powertools’ service dimension', () => {
    const docs = lines.map((line) => JSON.parse(line) as EmfDocument);
    const levels = FLEET.deployments.reduce((n, d) => n + dashboardLevels(d).length, 0);
    expect(docs).toHaveLength(levels + FLEET.deployments.length);
    const sets = new Set(docs.flatMap((d) => d._aws.CloudWatchMetrics.flatMap((m) => m.Dimensions.map((s) => s.join(',')))));
    expect([...sets].sort()).toEqual(['service,Deployment', 'service,Deployment,Concurrency']);
    expect(new Set(docs.map((d) => d.service))).toEqual(new Set(['llm-bench']));
  });

  it('every alarm metric is an emitted series (namespace, name, full dimension set)', () => {
    const alarms = alarmSeries(template);
    expect(alarms).toHaveLength(FLEET.deployments.length);
    for (const series of alarms) expect(emitted).toContain(series);
  });

  it('every dashboard metric is an emitted series', () => {
    const widgets = dashboardSeries(template);
    expect(widgets.length).toBeGreaterThan(4 * FLEET.deployments.length);
    const missing = widgets.filter((s) => !emitted.has(s));
    expect(missing).toEqual([]);
  });

  it('metricRegressed and metricMaxThroughput name emitted series; an unknown deployment is refused', () => {
    for (const d of FLEET.deployments) {
      expect(emitted).toContain(metricSeries(pipeline.metricRegressed(d.id)));
      expect(emitted).toContain(metricSeries(pipeline.metricMaxThroughput(d.id)));
    }
    expect(() => pipeline.metricRegressed('nope')).toThrow("deploymentId: 'nope' is not a deployment of this pipeline; allowed: llama-2-7b-g5-2xlarge, llama-2-7b-p4d-ic");
  });
});
