import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** How the endpoint spreads requests over instances or copies. */
export type RoutingStrategy = 'LEAST_OUTSTANDING_REQUESTS' | 'RANDOM';

/**
 * Invocation metrics (namespace AWS/SageMaker) and instance metrics (/aws/sagemaker/Endpoints):
 * https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html
 */
export const INVOCATION_NAMESPACE = 'AWS/SageMaker';
export const INSTANCE_NAMESPACE = '/aws/sagemaker/Endpoints';

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

  /** Any metric of this endpoint's variant in AWS/SageMaker. */
  public metric(metricName: string, props?: cloudwatch.MetricOptions & { namespace?: string }): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: INVOCATION_NAMESPACE,
      metricName,
      dimensionsMap: { EndpointName: this.endpointName, VariantName: this.variantName },
      period: Duration.minutes(1),
      ...props,
    });
  }

  /** Requests sent to the endpoint, Sum per period. */
  public metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Invocations', { statistic: 'Sum', ...props });
  }

  /** Time the model took to respond, microseconds, Average. */
  public metricModelLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ModelLatency', { statistic: 'Average', ...props });
  }

  /** Time SageMaker added around the model, microseconds, Average. */
  public metricOverheadLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('OverheadLatency', { statistic: 'Average', ...props });
  }

  /** Client errors (4xx, including throttling and model overload), Sum. */
  public metricInvocation4XXErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Invocation4XXErrors', { statistic: 'Sum', ...props });
  }

  /** Server errors (5xx, including invocation timeouts), Sum. */
  public metricInvocation5XXErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Invocation5XXErrors', { statistic: 'Sum', ...props });
  }

  /** Time to launch new compute and load the model, microseconds (serverless and IC copies). */
  public metricModelSetupTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ModelSetupTime', { statistic: 'Average', ...props });
  }

  /** GPU utilization summed over the instance's GPUs, % (instance namespace). */
  public metricGpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('GPUUtilization', { namespace: INSTANCE_NAMESPACE, statistic: 'Average', ...props });
  }

  /** GPU memory utilization summed over the instance's GPUs, % (instance namespace). */
  public metricGpuMemoryUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('GPUMemoryUtilization', { namespace: INSTANCE_NAMESPACE, statistic: 'Average', ...props });
  }
}
