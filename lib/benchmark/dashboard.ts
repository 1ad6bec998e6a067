import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { dashboardLevels } from './deployment-input';
import type { PipelineDeployment } from './types';

/** CloudWatch namespace the report step publishes to (loadtest/handlers/metrics.ts). */
export const BENCHMARK_NAMESPACE = 'LlmBench';

export interface BenchmarkDashboardProps {
  readonly fleetName: string;
  readonly deployments: readonly PipelineDeployment[];
  /** Window each bar aggregates: the newest run's figures. @default 7 days */
  readonly period?: Duration;
}

/** A metric of one deployment at one concurrency level. */
export function levelMetric(metricName: string, deploymentId: string, concurrency: number, period: Duration, statistic = 'Maximum'): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: BENCHMARK_NAMESPACE,
    metricName,
    dimensionsMap: { Deployment: deploymentId, Concurrency: String(concurrency) },
    statistic,
    period,
    label: `c=${concurrency}`,
  });
}

/** A run-level metric of one deployment (max throughput, regression). */
export function runMetric(metricName: string, deploymentId: string, period: Duration, statistic = 'Maximum'): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: BENCHMARK_NAMESPACE, metricName, dimensionsMap: { Deployment: deploymentId }, statistic, period, label: deploymentId });
}

/**
 * One dashboard per fleet: per deployment a row of bar charts over concurrency (throughput,
 * ms/token p50, errors, $/1M tokens), plus fleet-wide max throughput and regression over time.
 */
export class BenchmarkDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: BenchmarkDashboardProps) {
    super(scope, id);
    const period = props.period ?? Duration.days(7);
    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', {
      dashboardName: `llm-bench-${props.fleetName}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 255),
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({ markdown: `# Benchmarks of fleet ${props.fleetName}\nBars: newest figures per concurrency level (c). Lines: max throughput per run.`, width: 24, height: 2 }),
      new cloudwatch.GraphWidget({
        title: 'Max throughput per run (tokens/s)',
        left: props.deployments.map((d) => runMetric('MaxThroughputTokensPerS', d.id, Duration.hours(1))),
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Regression vs previous run (%)',
        left: props.deployments.map((d) => runMetric('RegressionPct', d.id, Duration.hours(1))),
        width: 12,
      }),
    );
    for (const d of props.deployments) {
      const levels = dashboardLevels(d);
      const bars = (title: string, metricName: string): cloudwatch.GraphWidget =>
        new cloudwatch.GraphWidget({
          title: `${d.id}: ${title} vs concurrency`,
          view: cloudwatch.GraphWidgetView.BAR,
          left: levels.map((c) => levelMetric(metricName, d.id, c, period)),
          width: 6,
          height: 6,
        });
      this.dashboard.addWidgets(
        bars('throughput (tokens/s)', 'ThroughputTokensPerS'),
        bars('ms/token p50', 'MsPerTokenP50'),
        bars('errors', 'Errors'),
        bars('USD per 1M tokens', 'UsdPerMillionTokens'),
      );
    }
  }
}
