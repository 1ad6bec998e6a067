import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  BENCHMARK_NAMESPACE,
  BENCHMARK_SERVICE,
  LEVEL_METRICS,
  levelEmitDimensions,
  RUN_METRICS,
  runEmitDimensions,
  SCENARIO_METRICS,
  scenarioEmitDimensions,
  type BenchmarkMetricSpec,
} from '../../lib/benchmark/metric-contract';
import type { ScenarioResult } from '../../lib/results/scenario';
import { costPerMillionTokensUsd } from '../../lib/results/cost';
import type { SweepResult } from '../../lib/results/records';
import type { RegressionCheck } from '../pipeline/regression';

/** Where an EMF document goes: stdout in Lambda (CloudWatch picks it up), a file offline. */
export type EmfSink = (emf: unknown) => void;

/**
 * Publishes one Powertools metric set per level and one per run, each as one EMF document. Names,
 * units and dimensions come from the metric contract; Powertools adds the `service` dimension.
 */
export function publishSweepMetrics(sweep: SweepResult, regression: RegressionCheck, deploymentId: string, sink?: EmfSink): void {
  const metrics = new Metrics({ namespace: BENCHMARK_NAMESPACE, serviceName: BENCHMARK_SERVICE });
  const add = (metric: BenchmarkMetricSpec, value: number): void => {
    metrics.addMetric(metric.name, metric.unit, value);
  };
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
    metrics.addDimensions(levelEmitDimensions(deploymentId, level.concurrency));
    add(LEVEL_METRICS.throughput, level.throughputTokensPerS);
    add(LEVEL_METRICS.msPerTokenP50, level.latencyMsPerToken.p50);
    add(LEVEL_METRICS.msPerTokenP90, level.latencyMsPerToken.p90);
    if (level.ttftMs) add(LEVEL_METRICS.ttftP50, level.ttftMs.p50);
    add(LEVEL_METRICS.errors, level.requests - level.ok);
    if (hourlyUsd !== undefined && level.throughputTokensPerS > 0) {
      add(LEVEL_METRICS.usdPerMillionTokens, costPerMillionTokensUsd(hourlyUsd, level.throughputTokensPerS));
    }
    flush();
  }
  metrics.addDimensions(runEmitDimensions(deploymentId));
  // A failed run's partial maximum (or none) is no maximum: it would draw a false dip on the dashboard.
  if (sweep.maxThroughput && sweep.failure === undefined) {
    add(RUN_METRICS.maxThroughput, sweep.maxThroughput.tokensPerS);
  }
  add(RUN_METRICS.regressed, regression.regressed ? 1 : 0);
  add(RUN_METRICS.regressionPct, regression.regressionPct);
  flush();
}

/** Publishes a scenario's derived figures as one EMF document (dimensions Deployment, Scenario; Powertools adds `service`). */
export function publishScenarioMetrics(result: ScenarioResult, deploymentId: string, sink?: EmfSink): void {
  const metrics = new Metrics({ namespace: BENCHMARK_NAMESPACE, serviceName: BENCHMARK_SERVICE });
  const f = result.figures;
  metrics.addDimensions(scenarioEmitDimensions(deploymentId, result.spec.kind));
  const add = (metric: BenchmarkMetricSpec, value: number | undefined): void => {
    if (value !== undefined) metrics.addMetric(metric.name, metric.unit, value);
  };
  add(SCENARIO_METRICS.timeToFirstAddedCapacity, f.timeToFirstAddedCapacityS);
  add(SCENARIO_METRICS.timeToFullCapacity, f.timeToFullCapacityS);
  add(SCENARIO_METRICS.coldStart, f.coldStartS);
  add(SCENARIO_METRICS.failedDuringScaling, f.failedDuringScaling);
  if (sink) sink(metrics.serializeMetrics());
  else metrics.publishStoredMetrics();
}
