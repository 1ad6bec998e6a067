/**
 * The SageMaker CloudWatch metrics joined to a level: namespace, name, dimensions, unit, the
 * statistics read and the finest resolution AWS publishes them at. One list: the query builder
 * (loadtest/telemetry), the join below and the local CloudWatch twin (loadtest/local/cloudwatch) use it.
 *
 * Sources:
 * - Namespaces, names, dimensions, units, valid statistics: "Amazon SageMaker AI metrics in Amazon
 *   CloudWatch", https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html
 *   ("Metrics are available at a 1-minute frequency"; GPUUtilization "can range between 0–100 and is
 *   multiplied by the number of GPUs"; ModelLatency / OverheadLatency "Units: Microseconds";
 *   InferenceComponentName dimension of the invocation metrics and of /aws/sagemaker/InferenceComponents).
 * - ConcurrentRequestsPerModel / PerCopy are high-resolution: "these high-resolution metrics emit data
 *   every 10 seconds", https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-add-code-define.html
 * - An endpoint configuration's `MetricsConfig.MetricPublishFrequencyInSeconds` (10, 30, 60, 120, 180,
 *   240, 300; default 60) sets the utilization metrics' interval, and with `EnableEnhancedMetrics` the
 *   invocation metrics' too, https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-sagemaker-endpointconfig-metricsconfig.html
 */

export const SAGEMAKER_METRICS_DOC = 'https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html';
export const HIGH_RESOLUTION_DOC = 'https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-add-code-define.html';

/** CloudWatch statistics this project reads. */
export type MetricStatistic = 'Average' | 'Sum' | 'SampleCount' | 'Maximum' | 'Minimum';

export type ServerMetricKey =
  | 'gpuUtilization'
  | 'gpuMemoryUtilization'
  | 'cpuUtilization'
  | 'gpuUtilizationNormalized'
  | 'gpuMemoryUtilizationNormalized'
  | 'modelLatency'
  | 'overheadLatency'
  | 'concurrentRequestsPerModel'
  | 'concurrentRequestsPerCopy'
  | 'invocations'
  | 'invocation4xxErrors'
  | 'invocation5xxErrors'
  | 'invocationModelErrors';

/** Which resource the metric's dimensions name: the variant (EndpointName, VariantName) or the inference component. */
export type MetricScope = 'variant' | 'component';

export interface ServerMetricDefinition {
  readonly key: ServerMetricKey;
  readonly namespace: '/aws/sagemaker/Endpoints' | '/aws/sagemaker/InferenceComponents' | 'AWS/SageMaker';
  readonly metricName: string;
  readonly scope: MetricScope;
  /** Only for endpoints with (or without) inference components. */
  readonly layout: 'any' | 'components' | 'variant';
  readonly unit: 'Percent' | 'Microseconds' | 'None';
  /** Statistics read for it (one query each). */
  readonly statistics: readonly MetricStatistic[];
  /** Finest period AWS publishes it at by default, s. */
  readonly resolutionS: number;
  /** Published at the endpoint configuration's MetricPublishFrequencyInSeconds (utilization metrics). */
  readonly followsPublishFrequency: 'utilization' | 'invocation' | 'never';
}

const STANDARD_S = 60;
const HIGH_RESOLUTION_S = 10;

function metric(
  key: ServerMetricKey,
  namespace: ServerMetricDefinition['namespace'],
  metricName: string,
  scope: MetricScope,
  layout: ServerMetricDefinition['layout'],
  unit: ServerMetricDefinition['unit'],
  statistics: readonly MetricStatistic[],
  followsPublishFrequency: ServerMetricDefinition['followsPublishFrequency'],
  resolutionS = STANDARD_S,
): ServerMetricDefinition {
  return { key, namespace, metricName, scope, layout, unit, statistics, resolutionS, followsPublishFrequency };
}

/** Every metric joined to a level. For component endpoints the invocation metrics are read per component. */
export const SERVER_METRICS: readonly ServerMetricDefinition[] = [
  metric('gpuUtilization', '/aws/sagemaker/Endpoints', 'GPUUtilization', 'variant', 'any', 'Percent', ['Average'], 'utilization'),
  metric('gpuMemoryUtilization', '/aws/sagemaker/Endpoints', 'GPUMemoryUtilization', 'variant', 'any', 'Percent', ['Average'], 'utilization'),
  metric('cpuUtilization', '/aws/sagemaker/Endpoints', 'CPUUtilization', 'variant', 'any', 'Percent', ['Average'], 'utilization'),
  metric('gpuUtilizationNormalized', '/aws/sagemaker/InferenceComponents', 'GPUUtilizationNormalized', 'component', 'components', 'Percent', ['Average'], 'utilization'),
  metric('gpuMemoryUtilizationNormalized', '/aws/sagemaker/InferenceComponents', 'GPUMemoryUtilizationNormalized', 'component', 'components', 'Percent', ['Average'], 'utilization'),
  metric('modelLatency', 'AWS/SageMaker', 'ModelLatency', 'component', 'any', 'Microseconds', ['Sum', 'SampleCount', 'Maximum'], 'invocation'),
  metric('overheadLatency', 'AWS/SageMaker', 'OverheadLatency', 'component', 'any', 'Microseconds', ['Sum', 'SampleCount', 'Maximum'], 'invocation'),
  metric('concurrentRequestsPerModel', 'AWS/SageMaker', 'ConcurrentRequestsPerModel', 'variant', 'variant', 'None', ['Maximum'], 'never', HIGH_RESOLUTION_S),
  metric('concurrentRequestsPerCopy', 'AWS/SageMaker', 'ConcurrentRequestsPerCopy', 'component', 'components', 'None', ['Maximum'], 'never', HIGH_RESOLUTION_S),
  metric('invocations', 'AWS/SageMaker', 'Invocations', 'component', 'any', 'None', ['Sum'], 'invocation'),
  metric('invocation4xxErrors', 'AWS/SageMaker', 'Invocation4XXErrors', 'component', 'any', 'None', ['Sum'], 'invocation'),
  metric('invocation5xxErrors', 'AWS/SageMaker', 'Invocation5XXErrors', 'component', 'any', 'None', ['Sum'], 'invocation'),
  metric('invocationModelErrors', 'AWS/SageMaker', 'InvocationModelErrors', 'component', 'any', 'None', ['Sum'], 'invocation'),
];

/** Periods CloudWatch accepts: 1, 5, 10, 20, 30 (high resolution) or a multiple of 60 s (GetMetricData API reference). */
export function isValidPeriodS(periodS: number): boolean {
  return Number.isInteger(periodS) && periodS > 0 && ([1, 5, 10, 20, 30].includes(periodS) || periodS % 60 === 0);
}

/** Valid `MetricPublishFrequencyInSeconds` of an endpoint configuration. */
export const PUBLISH_FREQUENCIES_S = [10, 30, 60, 120, 180, 240, 300] as const;

/** How the endpoint publishes: its MetricsConfig (absent: AWS's defaults, 60 s, enhanced off). */
export interface PublishSettings {
  /** @default 60 */
  readonly publishFrequencyS?: number;
  /** @default false */
  readonly enhancedMetrics?: boolean;
}

/** The finest period at which `definition` is published for an endpoint with these settings, s. */
export function publishedResolutionS(definition: ServerMetricDefinition, settings: PublishSettings = {}): number {
  const frequency = settings.publishFrequencyS ?? STANDARD_S;
  if (definition.followsPublishFrequency === 'utilization') return frequency;
  if (definition.followsPublishFrequency === 'invocation' && settings.enhancedMetrics === true) return frequency;
  return definition.resolutionS;
}

/** The metrics an endpoint of this layout publishes. */
export function metricsFor(hasComponents: boolean): readonly ServerMetricDefinition[] {
  return SERVER_METRICS.filter((m) => m.layout === 'any' || (m.layout === 'components') === hasComponents);
}

/** Query id of a metric and statistic: CloudWatch ids start with a lower-case letter ([a-z][a-zA-Z0-9_]*). */
export function queryId(key: ServerMetricKey, statistic: MetricStatistic): string {
  return `${key}_${statistic}`;
}
