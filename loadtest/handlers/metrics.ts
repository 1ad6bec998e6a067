import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { costPerMillionTokensUsd } from '../../lib/results/cost';
import type { SweepResult } from '../../lib/results/records';
import type { RegressionCheck } from '../pipeline/regression';

/** CloudWatch namespace of the benchmark metrics (dashboard and alarms read it). */
export const METRICS_NAMESPACE = 'LlmBench';

/** Metric names published per level (dimensions Deployment, Concurrency) and per run (Deployment). */
export const LEVEL_METRICS = ['ThroughputTokensPerS', 'MsPerTokenP50', 'MsPerTokenP90', 'TtftMsP50', 'Errors', 'UsdPerMillionTokens'] as const;
export const RUN_METRICS = ['MaxThroughputTokensPerS', 'Regressed', 'RegressionPct'] as const;

/** Where an EMF document goes: stdout in Lambda (CloudWatch picks it up), a file offline. */
export type EmfSink = (emf: unknown) => void;

/** Publishes one Powertools metric set per level and one per run, each as one EMF document. */
export function publishSweepMetrics(sweep: SweepResult, regression: RegressionCheck, deploymentId: string, sink?: EmfSink): void {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'llm-bench' });
  const flush = (): void => {
    if (sink) {
      sink(metrics.serializeMetrics());
      metrics.clearMetrics();
      metrics.clearDimensions();
    } else {
      metrics.publishStoredMetrics();
    }
  };
  const hourlyUsd = sweep.deployment?.hourlyUsd;
  for (const level of sweep.levels) {
    metrics.addDimensions({ Deployment: deploymentId, Concurrency: String(level.concurrency) });
    metrics.addMetric('ThroughputTokensPerS', MetricUnit.CountPerSecond, level.throughputTokensPerS);
    metrics.addMetric('MsPerTokenP50', MetricUnit.Milliseconds, level.latencyMsPerToken.p50);
    metrics.addMetric('MsPerTokenP90', MetricUnit.Milliseconds, level.latencyMsPerToken.p90);
    if (level.ttftMs) metrics.addMetric('TtftMsP50', MetricUnit.Milliseconds, level.ttftMs.p50);
    metrics.addMetric('Errors', MetricUnit.Count, level.requests - level.ok);
    if (hourlyUsd !== undefined && level.throughputTokensPerS > 0) {
      metrics.addMetric('UsdPerMillionTokens', MetricUnit.NoUnit, costPerMillionTokensUsd(hourlyUsd, level.throughputTokensPerS));
    }
    flush();
  }
  metrics.addDimensions({ Deployment: deploymentId });
  // A failed run's partial maximum (or none) is no maximum: it would draw a false dip on the dashboard.
  if (sweep.maxThroughput && sweep.failure === undefined) {
    metrics.addMetric('MaxThroughputTokensPerS', MetricUnit.CountPerSecond, sweep.maxThroughput.tokensPerS);
  }
  metrics.addMetric('Regressed', MetricUnit.Count, regression.regressed ? 1 : 0);
  metrics.addMetric('RegressionPct', MetricUnit.Percent, regression.regressionPct);
  flush();
}
