import type { EndpointSpec, EndpointStatus } from './resources';

/**
 * "SageMaker Endpoint State Change" events as EventBridge delivers them. Shape of AWS's documented
 * sample (source aws.sagemaker; detail EndpointName, EndpointArn, EndpointConfigName,
 * ProductionVariants, EndpointStatus "IN_SERVICE", CreationTime, LastModifiedTime, Tags):
 * https://docs.aws.amazon.com/sagemaker/latest/dg/automating-sagemaker-with-eventbridge.html#eventbridge-endpoint
 * "SageMaker AI may send multiple events to EventBridge for each state change" (same page).
 */
export interface EndpointStateChangeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'SageMaker Endpoint State Change';
  readonly source: 'aws.sagemaker';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: {
    readonly EndpointName: string;
    readonly EndpointArn: string;
    readonly EndpointConfigName: string;
    readonly ProductionVariants: readonly Readonly<Record<string, string | number>>[];
    readonly EndpointStatus: string;
    readonly CreationTime: number;
    readonly LastModifiedTime: number;
    readonly Tags: Readonly<Record<string, string>>;
  };
}

/**
 * The event's EndpointStatus: the API's status in upper snake case. Only IN_SERVICE appears in AWS's
 * sample; the other values follow the same convention (an assumption, marked as such).
 */
export function eventStatusOf(status: EndpointStatus): string {
  return status.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

export function endpointStateChangeEvent(input: {
  readonly spec: EndpointSpec;
  readonly endpointArn: string;
  readonly status: EndpointStatus;
  readonly creationMs: number;
  readonly lastModifiedMs: number;
  readonly desiredInstances: number;
  readonly currentInstances: number;
  readonly sequence: number;
}): EndpointStateChangeEvent {
  const { spec } = input;
  return {
    version: '0',
    id: `local-${spec.endpointName}-${input.sequence}`,
    'detail-type': 'SageMaker Endpoint State Change',
    source: 'aws.sagemaker',
    account: spec.account,
    time: new Date(input.lastModifiedMs).toISOString(),
    region: spec.region,
    resources: [input.endpointArn],
    detail: {
      EndpointName: spec.endpointName,
      EndpointArn: input.endpointArn,
      EndpointConfigName: spec.endpointConfigName,
      ProductionVariants: [
        { VariantName: spec.variantName, CurrentInstanceCount: input.currentInstances, DesiredInstanceCount: input.desiredInstances, CurrentWeight: 1, DesiredWeight: 1 },
      ],
      EndpointStatus: eventStatusOf(input.status),
      CreationTime: input.creationMs,
      LastModifiedTime: input.lastModifiedMs,
      Tags: {},
    },
  };
}
