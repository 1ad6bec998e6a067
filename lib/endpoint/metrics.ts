import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * Invocation metrics (namespace AWS/SageMaker) and instance metrics (/aws/sagemaker/Endpoints):
 * https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html
 */
export const INVOCATION_NAMESPACE = 'AWS/SageMaker';
export const INSTANCE_NAMESPACE = '/aws/sagemaker/Endpoints';

/** Metric options, plus the namespace for metrics outside AWS/SageMaker. */
export type SageMakerMetricOptions = cloudwatch.MetricOptions & { namespace?: string };

/** The statistic (and namespace, outside AWS/SageMaker) each metric behind a `metric*()` method is read with. */
const NAMED_METRICS = {
  Invocations: { statistic: 'Sum' },
  ModelLatency: { statistic: 'Average' },
  OverheadLatency: { statistic: 'Average' },
  Invocation4XXErrors: { statistic: 'Sum' },
  Invocation5XXErrors: { statistic: 'Sum' },
  ModelSetupTime: { statistic: 'Average' },
  InvocationsPerInstance: { statistic: 'Sum' },
  ConcurrentRequestsPerModel: { statistic: 'Maximum' },
  ConcurrentRequestsPerCopy: { statistic: 'Maximum' },
  NoCapacityInvocationFailures: { statistic: 'Maximum' },
  GPUUtilization: { namespace: INSTANCE_NAMESPACE, statistic: 'Average' },
  GPUMemoryUtilization: { namespace: INSTANCE_NAMESPACE, statistic: 'Average' },
} as const satisfies Record<string, SageMakerMetricOptions>;

export type NamedSageMakerMetric = keyof typeof NAMED_METRICS;

/** A SageMaker metric of one endpoint variant or inference component: AWS/SageMaker unless `props.namespace`, 1-minute period. */
export function sageMakerMetric(metricName: string, dimensionsMap: cloudwatch.DimensionsMap, props?: SageMakerMetricOptions): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: INVOCATION_NAMESPACE,
    metricName,
    dimensionsMap,
    period: Duration.minutes(1),
    ...props,
  });
}

/** `sageMakerMetric` with the metric's own statistic and namespace (see NAMED_METRICS); `props` override them. */
export function namedSageMakerMetric(
  metricName: NamedSageMakerMetric,
  dimensionsMap: cloudwatch.DimensionsMap,
  props?: cloudwatch.MetricOptions,
): cloudwatch.Metric {
  return sageMakerMetric(metricName, dimensionsMap, { ...NAMED_METRICS[metricName], ...props });
}
