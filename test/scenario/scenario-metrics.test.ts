import { SCENARIO_METRICS, scenarioDimensions } from '../../lib/benchmark/metric-contract';
import { scenarioMetric } from '../../lib/benchmark/benchmark-metrics';
import type { ScenarioResult } from '../../lib/results/scenario';
import { publishScenarioMetrics } from '../../loadtest/handlers/metrics';

interface Emf {
  readonly _aws: { readonly CloudWatchMetrics: readonly { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  readonly [key: string]: unknown;
}

describe('scenario EMF metrics', () => {
  it('emits the derived figures with the dimension set the dashboard queries', () => {
    const result = {
      spec: { kind: 'scale-from-zero' },
      figures: { timeToFirstAddedCapacityS: 90, timeToFullCapacityS: 90, coldStartS: 98.5, failedDuringScaling: 12 },
    } as unknown as ScenarioResult;
    const docs: Emf[] = [];
    publishScenarioMetrics(result, 'qwen-ic4', (emf) => docs.push(emf as Emf));
    expect(docs).toHaveLength(1);
    const doc = docs[0] as Emf;
    const directive = doc._aws.CloudWatchMetrics[0];
    expect(directive?.Namespace).toBe('LlmBench');
    expect(directive?.Dimensions).toEqual([Object.keys(scenarioDimensions('qwen-ic4', 'scale-from-zero'))]);
    expect(directive?.Metrics).toEqual(
      expect.arrayContaining([
        { Name: SCENARIO_METRICS.coldStart.name, Unit: 'Seconds' },
        { Name: SCENARIO_METRICS.timeToFirstAddedCapacity.name, Unit: 'Seconds' },
      ]),
    );
    expect(doc).toMatchObject({ ColdStartS: 98.5, TimeToFirstAddedCapacityS: 90, FailedDuringScaling: 12, Scenario: 'scale-from-zero', Deployment: 'qwen-ic4', service: 'llm-bench' });
    // The dashboard's metric names the same series.
    const metric = scenarioMetric('coldStart', 'qwen-ic4', 'scale-from-zero');
    expect(metric.metricName).toBe('ColdStartS');
    expect(metric.dimensions).toEqual(scenarioDimensions('qwen-ic4', 'scale-from-zero'));
  });
});

describe('the fleet dashboard', () => {
  it('draws time to added capacity for autoscaled deployments and cold start for those that scale to zero', () => {
    // Imported here: synthesis loads aws-cdk-lib.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { synthesizeFleet } = require('../../loadtest/offline/synth') as typeof import('../../loadtest/offline/synth');
    const body = (fleetPath: string): string => {
      const { template } = synthesizeFleet({ fleetPath });
      const dashboard = Object.values(template.Resources ?? {}).find((r) => (r as { Type: string }).Type === 'AWS::CloudWatch::Dashboard');
      return JSON.stringify(dashboard);
    };
    const study = body('fleets/published-study.yaml');
    expect(study).toContain('Ramp: time to first added capacity (s)');
    expect(study).toMatch(/TimeToFirstAddedCapacityS\W+Deployment\W+llama-2-7b-p4d-ic-8x-tp1\W+Scenario\W+ramp/);
    expect(study).not.toContain('ColdStartS');
    expect(body('fleets/examples/scale-to-zero-ic.yaml')).toMatch(/ColdStartS\W+Deployment\W+qwen2-5-7b-g5-12xlarge-ic4\W+Scenario\W+scale-from-zero/);
  });
});
