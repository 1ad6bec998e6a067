import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { publishSweepMetrics } from '../../loadtest/handlers/metrics';
import { resolveTemplateValue } from '../../loadtest/local/judges/iam/template-roles';
import { dashboardQueries, emfSeries, emfSeriesOfLines, formatMismatches, seriesKey, templateMetricQueries, unansweredQueries } from '../../loadtest/local/judges/metric-identity';
import { runOffline } from '../../loadtest/offline/run-offline';
import { synthesizePipeline } from '../../loadtest/offline/synth';
import { studyFleet } from '../offline/fixture';
import { withStartableContainers } from '../offline/template-fixture';

describe('metric identity judge', () => {
  it('reads every dimension set of an EMF document (the series CloudWatch creates)', () => {
    const doc = {
      _aws: { Timestamp: 1, CloudWatchMetrics: [{ Namespace: 'NS', Dimensions: [['service', 'Deployment'], ['Deployment']], Metrics: [{ Name: 'A', Unit: 'Count' }] }] },
      service: 'svc',
      Deployment: 'd1',
      A: 1,
    };
    expect(emfSeries(doc).map(seriesKey)).toEqual(['NS/A{Deployment=d1,service=svc}', 'NS/A{Deployment=d1}']);
  });

  it('Powertools Metrics adds a service dimension to what the pipeline publishes', () => {
    const lines: string[] = [];
    const sweep = { levels: [], failure: undefined, maxThroughput: { tokensPerS: 10 } } as unknown as Parameters<typeof publishSweepMetrics>[0];
    publishSweepMetrics(sweep, { regressed: false, regressionPct: 0 } as Parameters<typeof publishSweepMetrics>[1], 'd1', (emf) => lines.push(JSON.stringify(emf)));
    const series = emfSeriesOfLines(lines.join('\n'));
    expect(series.map((s) => Object.keys(s.dimensions).sort())).toContainEqual(['Deployment', 'service']);
  });

  it("expands a dashboard's '...' and '.' shorthands", () => {
    const body = { widgets: [{ type: 'metric', properties: { title: 't', metrics: [['NS', 'A', 'D', 'x', { stat: 'Maximum' }], ['...', 'y'], ['.', 'B', '.', 'z']] } }] };
    expect(dashboardQueries('Dash', body).map(seriesKey)).toEqual(['NS/A{D=x}', 'NS/A{D=y}', 'NS/B{D=z}']);
  });

  it('a query for a subset of the emitted dimensions is unanswered', () => {
    const emitted = [{ namespace: 'NS', metricName: 'A', dimensions: { Deployment: 'd', service: 's' } }];
    const mismatches = unansweredQueries([{ source: 'alarm X', namespace: 'NS', metricName: 'A', dimensions: { Deployment: 'd' } }], emitted);
    expect(formatMismatches(mismatches)).toBe('alarm X queries NS/A{Deployment=d}; emitted: NS/A{Deployment=d,service=s}');
  });
});

/**
 * Over a real offline run: every alarm and dashboard metric of the template for the deployment and
 * levels the run measured must equal a series its EMF lines emitted (namespace, name, full dimensions).
 */
describe("the template's alarms and dashboard against an offline run's EMF", () => {
  it('every query for the measured deployment and levels is answered by an emitted series', async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    const synthesized = withStartableContainers(synthesizePipeline(studyFleet()));
    const deploymentId = synthesized.fleet.deployments[0].id;
    const levels = [1, 2];
    const result = await runOffline({
      synthesized,
      speedup: 60,
      outDir: mkdtempSync(path.join(tmpdir(), 'llm-bench-metrics-')),
      benchmark: { durationS: 30, warmupRequests: 1, concurrency: levels, plateauGain: 0 },
    });
    expect(result.succeeded).toBe(true);
    const emitted = emfSeriesOfLines(readFileSync(result.emfPath, 'utf8'));
    const ctx = { region: synthesized.region, account: synthesized.account };
    const queries = templateMetricQueries(synthesized.template, (v) => String(resolveTemplateValue(v, synthesized.template.Resources, ctx))).filter(
      (q) => q.dimensions.Deployment === deploymentId && (q.dimensions.Concurrency === undefined || levels.includes(Number(q.dimensions.Concurrency))),
    );
    // The alarm, the per-run widgets and the per-level widgets of the measured levels.
    expect(queries.filter((q) => q.source.startsWith('alarm')).length).toBeGreaterThanOrEqual(1);
    expect(queries.filter((q) => q.source.startsWith('dashboard')).length).toBeGreaterThanOrEqual(6);
    expect(formatMismatches(unansweredQueries(queries, emitted))).toBe('');
  });
});
