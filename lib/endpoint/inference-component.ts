import { createHash } from 'node:crypto';
import { Duration, Resource } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import type { Construct } from 'constructs';
import type { InstanceTypeSpec } from '../catalog/types';
import { CopyCountReader } from './copy-count-reader';
import type { InstanceType } from './instance-type';
import { namedSageMakerMetric, sageMakerMetric } from './metrics';
import { addStepScaleOut, addTargetTrackingScaling, COMPONENT_COPY_DIMENSION, PREDEFINED_METRIC, type CooldownProps } from './scaling';
import type { ServingModel } from './serving-model';

/** Copy-count autoscaling of one inference component. */
export interface CopyAutoscalingProps extends CooldownProps {
  /**
   * Fewest copies the autoscaler keeps (`MinCapacity`).
   * @default 1 (0 with scaleToZero)
   */
  readonly minCopies?: number;
  /** Most copies the autoscaler adds (`MaxCapacity`). */
  readonly maxCopies: number;
  /**
   * `concurrent-requests-per-copy` (high resolution) or `invocations-per-copy` (per minute).
   * @default 'concurrent-requests-per-copy'
   */
  readonly metric?: 'concurrent-requests-per-copy' | 'invocations-per-copy';
  /** Target value of the metric: requests in flight per copy, or requests per minute per copy. */
  readonly targetValue: number;
  /**
   * Allow 0 copies when idle; a NoCapacityInvocationFailures alarm adds one copy on the next request.
   * @default false
   */
  readonly scaleToZero?: boolean;
}

export interface LlmInferenceComponentProps {
  /** Explicit name: the autoscaling resource id (`inference-component/{name}`) needs it. */
  readonly inferenceComponentName: string;
  /** Endpoint hosting the component. */
  readonly endpointName: string;
  /** Variant of the endpoint hosting the component. */
  readonly variantName: string;
  /** The model each copy runs; its `settings.tp` is the accelerators per copy. */
  readonly model: ServingModel;
  /** Instance type of the endpoint (sizes the CPU and memory reserved per copy). */
  readonly instanceType: InstanceType;
  /** Copies across the endpoint (`RuntimeConfig.CopyCount`). */
  readonly copies: number;
  /** @default - vCPU cores of the instance / 2 shared by the copies that fit it */
  readonly cpuCoresPerCopy?: number;
  /** @default - half the host memory shared by the copies that fit it */
  readonly minMemoryMbPerCopy?: number;
  /**
   * Startup health-check and artifact download timeouts, s.
   * @default - the model's startup timeout
   */
  readonly startupTimeoutS?: number;
  /** @default - fixed copy count */
  readonly autoscaling?: CopyAutoscalingProps;
}

/** The scalable target's bounds of a component's copies. */
function autoscalingBounds(a: CopyAutoscalingProps): { minCopies: number; maxCopies: number } {
  return { minCopies: a.scaleToZero ? 0 : (a.minCopies ?? 1), maxCopies: a.maxCopies };
}

/**
 * What identifies a component's properties other than its copies: its endpoint, variant and model,
 * and a digest of the rest of its specification (numbers known at synth), so that any change of
 * them changes the reader's properties.
 */
function componentFingerprint(endpointName: string, variantName: string, spec: sagemaker.CfnInferenceComponent.InferenceComponentSpecificationProperty): Record<string, unknown> {
  const { modelName, ...rest } = spec;
  return { EndpointName: endpointName, VariantName: variantName, ModelName: modelName, SpecificationSha256: createHash('sha256').update(JSON.stringify(rest)).digest('hex') };
}

/** Fraction of host memory promised to copies; the rest stays with the host and SageMaker's agent (our allowance). */
const HOST_MEMORY_SHARE = 0.5;

/** CPU and memory of one copy when `copiesPerInstance` copies share an instance. */
export function copyResourceRequirements(instance: InstanceTypeSpec, tp: number): { cpuCores: number; minMemoryMb: number } {
  const copiesPerInstance = Math.max(1, Math.floor(instance.acceleratorCount / tp));
  // vCPUs are hyperthreads: two per physical core.
  const cpuCores = Math.max(1, Math.floor(instance.vCpus / 2 / copiesPerInstance));
  const minMemoryMb = Math.floor((instance.hostMemoryGiB * 1024 * HOST_MEMORY_SHARE) / copiesPerInstance);
  return { cpuCores, minMemoryMb };
}

/**
 * One inference component: `copies` copies of a model, each on `tp` accelerators.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sagemaker-inferencecomponent.html
 */
export class LlmInferenceComponent extends Resource {
  public readonly cfnInferenceComponent: sagemaker.CfnInferenceComponent;
  public readonly inferenceComponentName: string;
  /** Component ARN. @attribute */
  public readonly inferenceComponentArn: string;
  public readonly scalableTarget?: appscaling.CfnScalableTarget;
  public readonly noCapacityAlarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: LlmInferenceComponentProps) {
    super(scope, id, { physicalName: props.inferenceComponentName });
    this.inferenceComponentName = props.inferenceComponentName;
    const derived = copyResourceRequirements(props.instanceType.spec, props.model.settings.tp);
    const timeoutS = props.startupTimeoutS ?? props.model.startupTimeoutS;
    const specification: sagemaker.CfnInferenceComponent.InferenceComponentSpecificationProperty = {
      modelName: props.model.modelName,
      computeResourceRequirements: {
        numberOfAcceleratorDevicesRequired: props.model.settings.tp,
        numberOfCpuCoresRequired: props.cpuCoresPerCopy ?? derived.cpuCores,
        minMemoryRequiredInMb: props.minMemoryMbPerCopy ?? derived.minMemoryMb,
      },
      startupParameters: {
        containerStartupHealthCheckTimeoutInSeconds: timeoutS,
        modelDataDownloadTimeoutInSeconds: timeoutS,
      },
    };
    // A fixed component's copies are the template's. An autoscaled one's come from CopyCountReader:
    // the planned copies at creation, the component's current DesiredCopyCount at every later update,
    // so that an update does not set back what the autoscaler chose (sources in copy-count-reader.ts).
    const copyCount = props.autoscaling
      ? new CopyCountReader(this, 'CopyCountReader', {
          inferenceComponentName: props.inferenceComponentName,
          plannedCopies: props.copies,
          ...autoscalingBounds(props.autoscaling),
          componentProperties: componentFingerprint(props.endpointName, props.variantName, specification),
        }).copyCount
      : props.copies;
    this.cfnInferenceComponent = new sagemaker.CfnInferenceComponent(this, 'Resource', {
      inferenceComponentName: props.inferenceComponentName,
      endpointName: props.endpointName,
      variantName: props.variantName,
      specification,
      runtimeConfig: { copyCount },
    });
    this.inferenceComponentArn = this.cfnInferenceComponent.attrInferenceComponentArn;
    if (props.autoscaling) {
      this.scalableTarget = this.addAutoscaling(props.autoscaling);
      if (props.autoscaling.scaleToZero) this.noCapacityAlarm = this.addScaleOutFromZero(this.scalableTarget);
    }
  }

  /** Any metric of this component in AWS/SageMaker (dimension InferenceComponentName). */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return sageMakerMetric(metricName, this.metricDimensions(), props);
  }

  public metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return namedSageMakerMetric('Invocations', this.metricDimensions(), props);
  }

  public metricModelLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return namedSageMakerMetric('ModelLatency', this.metricDimensions(), props);
  }

  /** Requests in flight per copy, high resolution. */
  public metricConcurrentRequestsPerCopy(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return namedSageMakerMetric('ConcurrentRequestsPerCopy', this.metricDimensions(), props);
  }

  /** Requests refused because no copy was running (scale-to-zero's trigger). */
  public metricNoCapacityInvocationFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return namedSageMakerMetric('NoCapacityInvocationFailures', this.metricDimensions(), props);
  }

  private metricDimensions(): cloudwatch.DimensionsMap {
    return { InferenceComponentName: this.inferenceComponentName };
  }

  private addAutoscaling(a: CopyAutoscalingProps): appscaling.CfnScalableTarget {
    const metric = a.metric ?? 'concurrent-requests-per-copy';
    return addTargetTrackingScaling(this, { targetId: 'CopyCount', policyId: 'CopyScaling' }, {
      resource: this.cfnInferenceComponent,
      resourceId: `inference-component/${this.inferenceComponentName}`,
      dimension: COMPONENT_COPY_DIMENSION,
      minCapacity: autoscalingBounds(a).minCopies,
      maxCapacity: autoscalingBounds(a).maxCopies,
      predefinedMetricType:
        metric === 'invocations-per-copy' ? PREDEFINED_METRIC.componentInvocationsPerCopy : PREDEFINED_METRIC.componentConcurrentRequestsPerCopy,
      targetValue: a.targetValue,
      scaleInCooldownS: a.scaleInCooldownS,
      scaleOutCooldownS: a.scaleOutCooldownS,
    });
  }

  /**
   * Step policy + alarm adding one copy when a request finds none, as documented in
   * https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html
   * (Maximum over 30 s, 1 datapoint, threshold 1, missing data left missing).
   */
  private addScaleOutFromZero(target: appscaling.CfnScalableTarget): cloudwatch.Alarm {
    const policy = addStepScaleOut(this, 'ScaleOutFromZero', target, { adjustment: 1, cooldownS: 60 });
    const alarm = new cloudwatch.Alarm(this, 'NoCapacityAlarm', {
      alarmDescription: `Adds a copy of ${this.inferenceComponentName} when requests find no capacity (scale from zero)`,
      metric: this.metricNoCapacityInvocationFailures({ period: Duration.seconds(30) }),
      threshold: 1,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
    });
    alarm.addAlarmAction({ bind: () => ({ alarmActionArn: policy.attrArn }) });
    return alarm;
  }
}
