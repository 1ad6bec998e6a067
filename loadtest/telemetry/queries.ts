import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { UserInputError } from '../../lib/errors';
import { isValidPeriodS, metricsFor, publishedResolutionS, queryId, type MetricStatistic, type PublishSettings, type ServerMetricDefinition, type ServerMetricKey } from '../../lib/results/server-metrics';

/** The SageMaker resource whose metrics are read. */
export interface TelemetryTarget {
  readonly endpointName: string;
  /** @default 'AllTraffic' */
  readonly variantName?: string;
  /** The inference component invoked; its metrics replace the variant's invocation metrics. */
  readonly inferenceComponent?: string;
  /** GPUs per instance, to express GPUUtilization (summed over GPUs) per GPU. */
  readonly gpusPerInstance?: number;
  /** The endpoint configuration's MetricsConfig, when known. @default AWS's: 60 s, enhanced off */
  readonly publish?: PublishSettings;
}

export interface QueryPlan {
  readonly queries: MetricDataQuery[];
  /** What each query id reads. */
  readonly byId: ReadonlyMap<string, { readonly key: ServerMetricKey; readonly statistic: MetricStatistic; readonly periodS: number }>;
  /** Period of the standard metrics, s. */
  readonly periodS: number;
}

export interface QueryOptions {
  /** Period of the standard metrics, s (≥ what the endpoint publishes). @default 60, or the endpoint's publish frequency */
  readonly periodS?: number;
}

function dimensionsOf(definition: ServerMetricDefinition, target: TelemetryTarget): { Name: string; Value: string }[] {
  if (definition.scope === 'component' && target.inferenceComponent !== undefined) return [{ Name: 'InferenceComponentName', Value: target.inferenceComponent }];
  return [
    { Name: 'EndpointName', Value: target.endpointName },
    { Name: 'VariantName', Value: target.variantName ?? 'AllTraffic' },
  ];
}

/**
 * One MetricStat query per metric and statistic. Each metric is read at its finest published period
 * (10 s for the concurrency metrics; the publish frequency for the others) unless `periodS` asks for
 * coarser; a period finer than what is published adds nothing.
 */
export function planQueries(target: TelemetryTarget, opts: QueryOptions = {}): QueryPlan {
  if (opts.periodS !== undefined && !isValidPeriodS(opts.periodS)) {
    throw new UserInputError('periodS', `must be 1, 5, 10, 20, 30 or a multiple of 60 (CloudWatch periods), got ${opts.periodS}`);
  }
  const queries: MetricDataQuery[] = [];
  const byId = new Map<string, { key: ServerMetricKey; statistic: MetricStatistic; periodS: number }>();
  let standard = 0;
  for (const definition of metricsFor(target.inferenceComponent !== undefined)) {
    const published = publishedResolutionS(definition, target.publish);
    const periodS = Math.max(published, opts.periodS ?? published);
    if (definition.resolutionS !== 10) standard = Math.max(standard, periodS);
    for (const statistic of definition.statistics) {
      const id = queryId(definition.key, statistic);
      byId.set(id, { key: definition.key, statistic, periodS });
      queries.push({
        Id: id,
        MetricStat: { Metric: { Namespace: definition.namespace, MetricName: definition.metricName, Dimensions: dimensionsOf(definition, target) }, Period: periodS, Stat: statistic },
        ReturnData: true,
      });
    }
  }
  return { queries, byId, periodS: standard };
}
