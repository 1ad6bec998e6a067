import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { namedSageMakerMetric, sageMakerMetric, type SageMakerMetricOptions } from './metrics';

/** How the endpoint spreads requests over instances or copies. */
export type RoutingStrategy = 'LEAST_OUTSTANDING_REQUESTS' | 'RANDOM';

export { INSTANCE_NAMESPACE, INVOCATION_NAMESPACE } from './metrics';

/** `grantInvoke` and `metric*()` shared by both endpoint kinds. */
export abstract class LlmEndpointBase extends Construct {
  /** Endpoint name (a token resolved at deploy time unless given explicitly). */
  public abstract readonly endpointName: string;
  /** Endpoint ARN. */
  public abstract readonly endpointArn: string;
  /** Production variant name. */
  public abstract readonly variantName: string;

  /** ARNs an invoke grant covers (the endpoint; inference components add theirs). */
  protected invokeResourceArns(): string[] {
    return [this.endpointArn];
  }

  /**
   * Allows `InvokeEndpoint` and `InvokeEndpointWithResponseStream` on this endpoint.
   * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
   */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['sagemaker:InvokeEndpoint', 'sagemaker:InvokeEndpointWithResponseStream'],
      resourceArns: this.invokeResourceArns(),
    });
  }

  /** Dimensions of this endpoint's variant, the same in both namespaces. */
  protected metricDimensions(): cloudwatch.DimensionsMap {
    return { EndpointName: this.endpointName, VariantName: this.variantName };
  }

  /** Any metric of this endpoint's variant in AWS/SageMaker. */
  public metric(metricName: string, props?: SageMakerMetricOptions): cloudwatch.Metric {
    return sageMakerMetric(metricName, this.metricDimensions(), props);
  }

  /** Requests sent to the endpoint, Sum per period. */
  public metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return namedSageMakerMetric('Invocations', this.metricDimensions(), props);
  }

  /** Time the model took to respond, microseconds, Average. */
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
