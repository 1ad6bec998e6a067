import { COMPONENT_COPY_DIMENSION, VARIANT_INSTANCE_DIMENSION } from '../../../lib/endpoint/scalable-dimensions';

/**
 * The autoscaling a deployment stack declares, read from its synthesized CloudFormation template:
 * AWS::ApplicationAutoScaling::ScalableTarget (MinCapacity, MaxCapacity, ResourceId, ScalableDimension),
 * AWS::ApplicationAutoScaling::ScalingPolicy (TargetTrackingScaling: metric, TargetValue, ScaleInCooldown,
 * ScaleOutCooldown; StepScaling: adjustment, Cooldown) and the AWS::CloudWatch::Alarm whose action is a
 * step policy (metric, Period, DatapointsToAlarm, Threshold). Property names:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-applicationautoscaling-scalabletarget.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-applicationautoscaling-scalingpolicy.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudwatch-alarm.html
 */

export interface TargetTrackingPolicy {
  readonly policyName: string;
  /** PredefinedMetricType, e.g. SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution. */
  readonly metricType: string;
  readonly targetValue: number;
  readonly scaleInCooldownS: number;
  readonly scaleOutCooldownS: number;
  readonly disableScaleIn: boolean;
}

export interface StepScaleOutPolicy {
  readonly policyName: string;
  /** ChangeInCapacity of the step whose lower bound is 0. */
  readonly adjustment: number;
  readonly cooldownS: number;
  /** The alarm that invokes it. */
  readonly alarm: { readonly metricName: string; readonly periodS: number; readonly datapointsToAlarm: number; readonly threshold: number };
}

export interface TemplateScaling {
  readonly resourceId: string;
  readonly scalableDimension: string;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly targetTracking?: TargetTrackingPolicy;
  readonly stepScaleOut?: StepScaleOutPolicy;
}

interface CfnResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
}

/** AWS CloudFormation defaults when the template leaves a cooldown out (SageMaker variants: 300 s in, 300 s out per the API doc; this project always sets both). */
const DEFAULT_COOLDOWN_S = 300;

/** Every scalable target of `template` with its policies; throws naming the resource when a field is not a literal. */
export function scalingOfTemplate(template: { readonly Resources?: Readonly<Record<string, CfnResource>> }): TemplateScaling[] {
  const resources = Object.entries(template.Resources ?? {});
  const out: TemplateScaling[] = [];
  for (const [id, resource] of resources) {
    if (resource.Type !== 'AWS::ApplicationAutoScaling::ScalableTarget') continue;
    const p = resource.Properties ?? {};
    const dimension = literal<string>(p.ScalableDimension, id, 'ScalableDimension');
    if (dimension !== COMPONENT_COPY_DIMENSION && dimension !== VARIANT_INSTANCE_DIMENSION) continue;
    const policies = resources.filter(([, r]) => r.Type === 'AWS::ApplicationAutoScaling::ScalingPolicy' && refOf(r.Properties?.ScalingTargetId) === id);
    let targetTracking: TargetTrackingPolicy | undefined;
    let stepScaleOut: StepScaleOutPolicy | undefined;
    for (const [policyId, policy] of policies) {
      const q = policy.Properties ?? {};
      const name = typeof q.PolicyName === 'string' ? q.PolicyName : policyId;
      if (q.PolicyType === 'TargetTrackingScaling') {
        const c = (q.TargetTrackingScalingPolicyConfiguration ?? {}) as Record<string, unknown>;
        const predefined = (c.PredefinedMetricSpecification ?? {}) as Record<string, unknown>;
        targetTracking = {
          policyName: name,
          metricType: literal<string>(predefined.PredefinedMetricType, policyId, 'PredefinedMetricType'),
          targetValue: literal<number>(c.TargetValue, policyId, 'TargetValue'),
          scaleInCooldownS: typeof c.ScaleInCooldown === 'number' ? c.ScaleInCooldown : DEFAULT_COOLDOWN_S,
          scaleOutCooldownS: typeof c.ScaleOutCooldown === 'number' ? c.ScaleOutCooldown : DEFAULT_COOLDOWN_S,
          disableScaleIn: c.DisableScaleIn === true,
        };
      } else if (q.PolicyType === 'StepScaling') {
        const c = (q.StepScalingPolicyConfiguration ?? {}) as Record<string, unknown>;
        const steps = Array.isArray(c.StepAdjustments) ? (c.StepAdjustments as Record<string, unknown>[]) : [];
        const step = steps.find((s) => s.MetricIntervalLowerBound === 0) ?? steps[0];
        const alarm = resources.find(([, r]) => r.Type === 'AWS::CloudWatch::Alarm' && (r.Properties?.AlarmActions as unknown[] | undefined)?.some((a) => getAttOf(a) === policyId));
        if (step === undefined || alarm === undefined) continue;
        const a = alarm[1].Properties ?? {};
        stepScaleOut = {
          policyName: name,
          adjustment: literal<number>(step.ScalingAdjustment, policyId, 'ScalingAdjustment'),
          cooldownS: typeof c.Cooldown === 'number' ? c.Cooldown : 0,
          alarm: {
            metricName: literal<string>(a.MetricName, alarm[0], 'MetricName'),
            periodS: literal<number>(a.Period, alarm[0], 'Period'),
            datapointsToAlarm: typeof a.DatapointsToAlarm === 'number' ? a.DatapointsToAlarm : literal<number>(a.EvaluationPeriods, alarm[0], 'EvaluationPeriods'),
            threshold: literal<number>(a.Threshold, alarm[0], 'Threshold'),
          },
        };
      }
    }
    out.push({
      resourceId: resolvedString(p.ResourceId, template.Resources ?? {}, id, 'ResourceId'),
      scalableDimension: dimension,
      minCapacity: literal<number>(p.MinCapacity, id, 'MinCapacity'),
      maxCapacity: literal<number>(p.MaxCapacity, id, 'MaxCapacity'),
      ...(targetTracking ? { targetTracking } : {}),
      ...(stepScaleOut ? { stepScaleOut } : {}),
    });
  }
  return out;
}

function literal<T extends string | number>(value: unknown, resource: string, field: string): T {
  if (typeof value === 'string' || typeof value === 'number') return value as T;
  throw new Error(`${resource}.${field} is not a literal in the synthesized template (got ${JSON.stringify(value)})`);
}

/**
 * A string of the template: a literal, or what CloudFormation makes of an Fn::Join of literals and
 * Fn::GetAtt [endpoint, EndpointName] (a variant's ResourceId, `endpoint/${EndpointName}/variant/…`, is
 * built that way: the endpoint's name is its literal EndpointName property).
 */
function resolvedString(value: unknown, resources: Readonly<Record<string, CfnResource>>, resource: string, field: string): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: unknown } | undefined)?.['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return (join[1] as unknown[]).map((part) => resolvedString(part, resources, resource, field)).join(join[0]);
  }
  const att = (value as { 'Fn::GetAtt'?: unknown } | undefined)?.['Fn::GetAtt'];
  if (Array.isArray(att) && att[1] === 'EndpointName' && typeof att[0] === 'string') {
    const name = resources[att[0]]?.Properties?.EndpointName;
    if (typeof name === 'string') return name;
  }
  return literal<string>(value, resource, field);
}

function refOf(value: unknown): string | undefined {
  const ref = (value as { Ref?: unknown } | undefined)?.Ref;
  return typeof ref === 'string' ? ref : undefined;
}

function getAttOf(value: unknown): string | undefined {
  const att = (value as { 'Fn::GetAtt'?: unknown } | undefined)?.['Fn::GetAtt'];
  return Array.isArray(att) && typeof att[0] === 'string' ? att[0] : undefined;
}
