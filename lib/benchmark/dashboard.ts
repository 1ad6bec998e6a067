import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { levelMetric, runMetric, scenarioMetric } from './benchmark-metrics';
import { dashboardLevels } from './deployment-input';
import type { LevelMetric } from './metric-contract';
import type { PipelineDeployment } from './types';

export interface BenchmarkDashboardProps {
  /** Fleet name: the dashboard is `llm-bench-{fleetName}`. */
  readonly fleetName: string;
  /** Deployments drawn, one row of bar charts each. */
  readonly deployments: readonly PipelineDeployment[];
  /** Results bucket: the dashboard links the fleet report in `latest/{fleetName}/`. */
  readonly resultsBucketName: string;
  /**
   * Window each bar aggregates: the newest run's figures.
   * @default Duration.days(7)
   */
  readonly period?: Duration;
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
      new cloudwatch.TextWidget({
        markdown: [
          `# Benchmarks of fleet ${props.fleetName}`,
          'Bars: newest figures per concurrency level (c). Lines: max throughput per run.',
          `Fleet report (every deployment side by side, rebuilt after each run): [latest/${props.fleetName}/fleet-report.html](https://console.aws.amazon.com/s3/object/${props.resultsBucketName}?prefix=latest/${props.fleetName}/fleet-report.html)`,
        ].join('\n\n'),
        width: 24,
        height: 3,
      }),
      new cloudwatch.GraphWidget({
        title: 'Max throughput per run (tokens/s)',
        left: props.deployments.map((d) => runMetric('maxThroughput', d.id, { period: Duration.hours(1), label: d.id })),
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Regression vs previous run (%)',
        left: props.deployments.map((d) => runMetric('regressionPct', d.id, { period: Duration.hours(1), label: d.id })),
        width: 12,
      }),
    );
    const scaled = props.deployments.filter((d) => d.autoscaling !== undefined);
    if (scaled.length > 0) {
      // Autoscaling scenarios (docs/scenarios.md): how long capacity took under a ramp, and the cold start from zero.
      const fromZero = scaled.filter((d) => d.autoscaling?.scaleToZero === true);
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: 'Ramp: time to first added capacity (s)',
          left: scaled.map((d) => scenarioMetric('timeToFirstAddedCapacity', d.id, 'ramp', { label: d.id })),
          width: 12,
        }),
        ...(fromZero.length > 0
          ? [
              new cloudwatch.GraphWidget({
                title: 'Scale from zero: cold start (s)',
                left: fromZero.map((d) => scenarioMetric('coldStart', d.id, 'scale-from-zero', { label: d.id })),
                width: 12,
              }),
            ]
          : []),
      );
    }
    for (const d of props.deployments) {
      const levels = dashboardLevels(d);
      const bars = (title: string, metric: LevelMetric): cloudwatch.GraphWidget =>
        new cloudwatch.GraphWidget({
          title: `${d.id}: ${title} vs concurrency`,
          view: cloudwatch.GraphWidgetView.BAR,
          left: levels.map((c) => levelMetric(metric, d.id, c, { period })),
          width: 6,
          height: 6,
        });
      this.dashboard.addWidgets(
        bars('throughput (tokens/s)', 'throughput'),
        bars('ms/token p50', 'msPerTokenP50'),
        bars('errors', 'errors'),
        bars('USD per 1M tokens', 'usdPerMillionTokens'),
      );
    }
  }
}
