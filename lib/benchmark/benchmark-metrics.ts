import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import {
  BENCHMARK_NAMESPACE,
  LEVEL_METRICS,
  levelDimensions,
  RUN_METRICS,
  runDimensions,
  SCENARIO_METRICS,
  scenarioDimensions,
  type LevelMetric,
  type RunMetric,
  type ScenarioMetric,
} from './metric-contract';

/**
 * CloudWatch metric objects of the benchmark series, built from the metric contract (kept apart from
 * it so the Lambda emitter that imports the contract does not bundle aws-cdk-lib).
 */

/** A metric of one deployment at one concurrency level (full emitted dimension set). */
export function levelMetric(metric: LevelMetric, deploymentId: string, concurrency: number, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: BENCHMARK_NAMESPACE,
    metricName: LEVEL_METRICS[metric].name,
    dimensionsMap: levelDimensions(deploymentId, concurrency),
    statistic: 'Maximum',
    period: Duration.days(7),
    label: `c=${concurrency}`,
    ...props,
  });
}

/** A run-level metric of one deployment (full emitted dimension set): Maximum per day unless `props` say otherwise. */
export function runMetric(metric: RunMetric, deploymentId: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: BENCHMARK_NAMESPACE,
    metricName: RUN_METRICS[metric].name,
    dimensionsMap: runDimensions(deploymentId),
    statistic: 'Maximum',
    period: Duration.days(1),
    ...props,
  });
}

/** A scenario metric of one deployment (full emitted dimension set): Maximum per day unless `props` say otherwise. */
export function scenarioMetric(metric: ScenarioMetric, deploymentId: string, scenario: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: BENCHMARK_NAMESPACE,
    metricName: SCENARIO_METRICS[metric].name,
    dimensionsMap: scenarioDimensions(deploymentId, scenario),
    statistic: 'Maximum',
    period: Duration.days(1),
    ...props,
  });
}
