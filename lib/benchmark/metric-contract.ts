/**
 * The benchmark metrics as CloudWatch stores them: namespace, metric names and units, and the full
 * dimension set of each series. The EMF emitter (loadtest/handlers/metrics.ts), the dashboard and
 * the alarms all build their metrics from here, so what is queried is what is emitted.
 *
 * CloudWatch treats every distinct dimension set as a separate metric: a query must name all the
 * dimensions a datapoint was published with, or it finds nothing.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Dimension
 */

/** CloudWatch namespace of the benchmark metrics. */
export const BENCHMARK_NAMESPACE = 'LlmBench';

/**
 * Powertools Metrics adds a `service` dimension to every EMF document it writes: its `setOptions`
 * sets the default dimensions to `{ service: <serviceName>, ... }`, and `serializeMetrics` puts the
 * default dimension keys first in every dimension set
 * (@aws-lambda-powertools/metrics 2.36.0, lib/cjs/Metrics.js, `setOptions` and `serializeMetrics`).
 * The emitted sets are therefore `[service, Deployment, Concurrency]` and `[service, Deployment]`.
 */
export const SERVICE_DIMENSION = 'service';

/**
 * The service name the emitter gives Powertools Metrics. An explicit `serviceName` wins over
 * POWERTOOLS_SERVICE_NAME (Metrics.js `#resolveServiceName`: option, custom config, environment, default),
 * so every step's metrics carry this value whatever the function's environment says.
 */
export const BENCHMARK_SERVICE = 'llm-bench';

/** Units as Powertools' `MetricUnit` spells them (the EMF `Unit` field). */
export type BenchmarkMetricUnit = 'Count' | 'Count/Second' | 'Milliseconds' | 'Seconds' | 'Percent' | 'None';

export interface BenchmarkMetricSpec {
  readonly name: string;
  readonly unit: BenchmarkMetricUnit;
  /** What the value is. */
  readonly description: string;
}

/** Published once per measured concurrency level, dimensions `service`, `Deployment`, `Concurrency`. */
export const LEVEL_METRICS = {
  throughput: { name: 'ThroughputTokensPerS', unit: 'Count/Second', description: 'output tokens per second of the whole endpoint' },
  msPerTokenP50: { name: 'MsPerTokenP50', unit: 'Milliseconds', description: 'median end-to-end time per generated token' },
  msPerTokenP90: { name: 'MsPerTokenP90', unit: 'Milliseconds', description: 'p90 end-to-end time per generated token' },
  ttftP50: { name: 'TtftMsP50', unit: 'Milliseconds', description: 'median time to first token (streamed runs)' },
  errors: { name: 'Errors', unit: 'Count', description: 'measured requests that did not succeed' },
  usdPerMillionTokens: { name: 'UsdPerMillionTokens', unit: 'None', description: 'hourly price / output tokens per hour × 1e6' },
} as const satisfies Record<string, BenchmarkMetricSpec>;

/** Published once per run, dimensions `service`, `Deployment`. */
export const RUN_METRICS = {
  maxThroughput: { name: 'MaxThroughputTokensPerS', unit: 'Count/Second', description: 'highest feasible level throughput of the run' },
  regressed: { name: 'Regressed', unit: 'Count', description: '1 when the run regressed against the previous one, else 0' },
  regressionPct: { name: 'RegressionPct', unit: 'Percent', description: 'the worse of the throughput drop and the ms/token rise, %' },
} as const satisfies Record<string, BenchmarkMetricSpec>;

/** Published once per autoscaling scenario run, dimensions `service`, `Deployment`, `Scenario` (docs/scenarios.md). */
export const SCENARIO_METRICS = {
  timeToFirstAddedCapacity: { name: 'TimeToFirstAddedCapacityS', unit: 'Seconds', description: 'first SLO breach or policy trigger → first new copy or instance in service' },
  timeToFullCapacity: { name: 'TimeToFullCapacityS', unit: 'Seconds', description: 'same origin → the most capacity the scenario reached in service' },
  coldStart: { name: 'ColdStartS', unit: 'Seconds', description: 'first request after scale to zero → first success' },
  failedDuringScaling: { name: 'FailedDuringScaling', unit: 'Count', description: 'requests that failed while capacity was being added' },
} as const satisfies Record<string, BenchmarkMetricSpec>;

export type LevelMetric = keyof typeof LEVEL_METRICS;
export type ScenarioMetric = keyof typeof SCENARIO_METRICS;
export type RunMetric = keyof typeof RUN_METRICS;

/** Dimension names the emitter adds itself (Powertools adds `service`). */
export const DEPLOYMENT_DIMENSION = 'Deployment';
export const CONCURRENCY_DIMENSION = 'Concurrency';
export const SCENARIO_DIMENSION = 'Scenario';

/** Dimensions the emitter adds to a level's metrics. */
export function levelEmitDimensions(deploymentId: string, concurrency: number): Record<string, string> {
  return { [DEPLOYMENT_DIMENSION]: deploymentId, [CONCURRENCY_DIMENSION]: String(concurrency) };
}

/** Dimensions the emitter adds to a run's metrics. */
export function runEmitDimensions(deploymentId: string): Record<string, string> {
  return { [DEPLOYMENT_DIMENSION]: deploymentId };
}

/** The full dimension set of a level series, as stored and as every query must name it. */
export function levelDimensions(deploymentId: string, concurrency: number): Record<string, string> {
  return { [SERVICE_DIMENSION]: BENCHMARK_SERVICE, ...levelEmitDimensions(deploymentId, concurrency) };
}

/** The full dimension set of a run series. */
export function runDimensions(deploymentId: string): Record<string, string> {
  return { [SERVICE_DIMENSION]: BENCHMARK_SERVICE, ...runEmitDimensions(deploymentId) };
}

/** Dimensions the emitter adds to a scenario's metrics. */
export function scenarioEmitDimensions(deploymentId: string, scenario: string): Record<string, string> {
  return { [DEPLOYMENT_DIMENSION]: deploymentId, [SCENARIO_DIMENSION]: scenario };
}

/** The full dimension set of a scenario series. */
export function scenarioDimensions(deploymentId: string, scenario: string): Record<string, string> {
  return { [SERVICE_DIMENSION]: BENCHMARK_SERVICE, ...scenarioEmitDimensions(deploymentId, scenario) };
}
