import { Names, type CfnResource } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import { Construct } from 'constructs';

/**
 * Application Auto Scaling for SageMaker, with L1 resources so the service-linked role is used
 * (no RoleARN: https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-service-linked-roles.html).
 * Dimensions and predefined metrics: https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-add-code-define.html
 */

export { VARIANT_INSTANCE_DIMENSION, COMPONENT_COPY_DIMENSION } from './scalable-dimensions';

/** Predefined metric types (aws-cdk-lib PredefinedMetric; Application Auto Scaling API). */
export const PREDEFINED_METRIC = {
  variantInvocationsPerInstance: 'SageMakerVariantInvocationsPerInstance',
  variantConcurrentRequestsPerModel: 'SageMakerVariantConcurrentRequestsPerModelHighResolution',
  componentInvocationsPerCopy: 'SageMakerInferenceComponentInvocationsPerCopy',
  componentConcurrentRequestsPerCopy: 'SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution',
} as const;

/** Cool-downs of a target-tracking policy. */
export interface CooldownProps {
  /** Time after a scale-in before the next, s. @default 300 */
  readonly scaleInCooldownS?: number;
  /** Time after a scale-out before the next, s. @default 60 */
  readonly scaleOutCooldownS?: number;
}

/** A scalable target of `resource` with one target-tracking policy on a predefined metric. */
export interface TargetTrackingScalingProps extends CooldownProps {
  /** The endpoint or inference component scaled; the target is created after it. */
  readonly resource: CfnResource;
  /** `endpoint/{name}/variant/{variant}` or `inference-component/{name}`. */
  readonly resourceId: string;
  /** VARIANT_INSTANCE_DIMENSION or COMPONENT_COPY_DIMENSION. */
  readonly dimension: string;
  /** Fewest instances or copies (`MinCapacity`). */
  readonly minCapacity: number;
  /** Most instances or copies (`MaxCapacity`). */
  readonly maxCapacity: number;
  /** One of PREDEFINED_METRIC. */
  readonly predefinedMetricType: string;
  /** Value of the predefined metric the policy keeps the resource at. */
  readonly targetValue: number;
}

/** Adds a scalable target (id `targetId`) and its target-tracking policy (id `policyId`) to `scope`. */
export function addTargetTrackingScaling(
  scope: Construct,
  ids: { targetId: string; policyId: string },
  props: TargetTrackingScalingProps,
): appscaling.CfnScalableTarget {
  const target = new appscaling.CfnScalableTarget(scope, ids.targetId, {
    serviceNamespace: 'sagemaker',
    resourceId: props.resourceId,
    scalableDimension: props.dimension,
    minCapacity: props.minCapacity,
    maxCapacity: props.maxCapacity,
  });
  target.addResourceDependency(props.resource);
  const policy = new appscaling.CfnScalingPolicy(scope, ids.policyId, {
    policyName: 'placeholder',
    policyType: 'TargetTrackingScaling',
    scalingTargetId: target.ref,
    targetTrackingScalingPolicyConfiguration: {
      predefinedMetricSpecification: { predefinedMetricType: props.predefinedMetricType },
      targetValue: props.targetValue,
      scaleInCooldown: props.scaleInCooldownS ?? 300,
      scaleOutCooldown: props.scaleOutCooldownS ?? 60,
    },
  });
  policy.policyName = policyName(policy);
  return target;
}

/** A step policy adding `adjustment` capacity whenever its alarm fires (scale out from zero). */
export function addStepScaleOut(
  scope: Construct,
  id: string,
  target: appscaling.CfnScalableTarget,
  props: { adjustment: number; cooldownS: number },
): appscaling.CfnScalingPolicy {
  const policy = new appscaling.CfnScalingPolicy(scope, id, {
    policyName: 'placeholder',
    policyType: 'StepScaling',
    scalingTargetId: target.ref,
    stepScalingPolicyConfiguration: {
      adjustmentType: 'ChangeInCapacity',
      metricAggregationType: 'Maximum',
      cooldown: props.cooldownS,
      stepAdjustments: [{ metricIntervalLowerBound: 0, scalingAdjustment: props.adjustment }],
    },
  });
  policy.policyName = policyName(policy);
  return policy;
}

/** Unique, deterministic and within the 256-character limit of PolicyName. */
function policyName(policy: Construct): string {
  return Names.uniqueId(policy).slice(-200);
}
