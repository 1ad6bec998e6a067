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

/** One benchmark series as CloudWatch sees it: the contract's namespace, Maximum, then the caller's period and options. */
function contractMetric(metricName: string, dimensionsMap: Record<string, string>, period: Duration, props: cloudwatch.MetricOptions): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: BENCHMARK_NAMESPACE, metricName, dimensionsMap, statistic: 'Maximum', period, ...props });
}

/** A metric of one deployment at one concurrency level (full emitted dimension set). */
export function levelMetric(metric: LevelMetric, deploymentId: string, concurrency: number, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
  return contractMetric(LEVEL_METRICS[metric].name, levelDimensions(deploymentId, concurrency), Duration.days(7), { label: `c=${concurrency}`, ...props });
}

/** A run-level metric of one deployment (full emitted dimension set): Maximum per day unless `props` say otherwise. */
export function runMetric(metric: RunMetric, deploymentId: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
  return contractMetric(RUN_METRICS[metric].name, runDimensions(deploymentId), Duration.days(1), props);
}

/** A scenario metric of one deployment (full emitted dimension set): Maximum per day unless `props` say otherwise. */
export function scenarioMetric(metric: ScenarioMetric, deploymentId: string, scenario: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
  return contractMetric(SCENARIO_METRICS[metric].name, scenarioDimensions(deploymentId, scenario), Duration.days(1), props);
}
