import { COMPONENT_COPY_DIMENSION, VARIANT_INSTANCE_DIMENSION } from '../../../lib/endpoint/scalable-dimensions';
import { ServiceError, type SageMakerWorld } from './sagemaker-world';

/**
 * Application Auto Scaling for the local endpoint's SageMaker resources: scalable targets with
 * SuspendedState, and scaling activities. API shapes:
 * https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html
 * https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DescribeScalableTargets.html
 * https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DescribeScalingActivities.html
 * SuspendedState: DynamicScalingInSuspended / DynamicScalingOutSuspended stop target tracking and
 * step scaling policies from removing / adding capacity without deleting them; ScheduledScalingSuspended
 * stops scheduled actions. https://docs.aws.amazon.com/autoscaling/application/APIReference/API_SuspendedState.html
 * https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-suspend-resume-scaling.html
 */

export interface SuspendedState {
  readonly DynamicScalingInSuspended: boolean;
  readonly DynamicScalingOutSuspended: boolean;
  readonly ScheduledScalingSuspended: boolean;
}

const NOT_SUSPENDED: SuspendedState = { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false };

export interface ScalableTarget {
  readonly ServiceNamespace: 'sagemaker';
  readonly ResourceId: string;
  readonly ScalableDimension: string;
  readonly MinCapacity: number;
  readonly MaxCapacity: number;
  readonly SuspendedState: SuspendedState;
  readonly CreationTime: number;
  readonly ScalableTargetARN: string;
}

export interface ScalingActivity {
  readonly ActivityId: string;
  readonly ServiceNamespace: 'sagemaker';
  readonly ResourceId: string;
  readonly ScalableDimension: string;
  readonly Description: string;
  readonly Cause: string;
  readonly StartTime: number;
  EndTime?: number;
  StatusCode: 'InProgress' | 'Successful' | 'Failed';
  StatusMessage?: string;
}

/** A scalable target as CloudFormation registers it (the template's AWS::ApplicationAutoScaling::ScalableTarget). */
export interface LocalScalableTarget {
  readonly resourceId: string;
  readonly scalableDimension: string;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** A step policy on NoCapacityInvocationFailures adds a copy when an invocation finds none. */
  readonly scaleOutFromZero?: boolean;
}

const DIMENSIONS = [VARIANT_INSTANCE_DIMENSION, COMPONENT_COPY_DIMENSION];

export class ApplicationAutoScaling {
  private readonly targets = new Map<string, ScalableTarget & { scaleOutFromZero: boolean }>();
  private readonly activities: ScalingActivity[] = [];

  constructor(private readonly world: SageMakerWorld) {
    world.onNoCapacity.push((component, at) => this.scaleOutFromZero(component, at));
  }

  /** RegisterScalableTarget: creates a target or updates the fields given (SuspendedState merged field by field). */
  register(input: Readonly<Record<string, unknown>>): { ScalableTargetARN: string } {
    this.world.timeline.advance();
    const namespace = input.ServiceNamespace;
    if (namespace !== 'sagemaker') throw new ServiceError('ValidationException', `the local Application Auto Scaling serves ServiceNamespace sagemaker only, got ${String(namespace)}`);
    const resourceId = requiredString(input, 'ResourceId');
    const dimension = requiredString(input, 'ScalableDimension');
    if (!DIMENSIONS.includes(dimension)) throw new ServiceError('ValidationException', `Unsupported scalable dimension: ${dimension}; allowed: ${DIMENSIONS.join(', ')}`);
    if (this.current(resourceId) === undefined) throw new ServiceError('ValidationException', `Resource ${resourceId} does not exist.`);
    const existing = this.targets.get(key(resourceId, dimension));
    const min = optionalCount(input, 'MinCapacity') ?? existing?.MinCapacity;
    const max = optionalCount(input, 'MaxCapacity') ?? existing?.MaxCapacity;
    if (min === undefined || max === undefined) throw new ServiceError('ValidationException', 'MinCapacity and MaxCapacity are required to register a new scalable target.');
    if (min > max) throw new ServiceError('ValidationException', `MinCapacity ${min} is greater than MaxCapacity ${max}.`);
    const suspendedInput = (input.SuspendedState ?? {}) as Partial<SuspendedState>;
    const suspended = { ...(existing?.SuspendedState ?? NOT_SUSPENDED), ...pickBooleans(suspendedInput) };
    const arn = existing?.ScalableTargetARN ?? `arn:aws:application-autoscaling:${this.world.spec.region}:${this.world.spec.account}:scalable-target/local${String(this.targets.size).padStart(4, '0')}`;
    this.targets.set(key(resourceId, dimension), {
      ServiceNamespace: 'sagemaker',
      ResourceId: resourceId,
      ScalableDimension: dimension,
      MinCapacity: min,
      MaxCapacity: max,
      SuspendedState: suspended,
      CreationTime: existing?.CreationTime ?? this.world.timeline.now(),
      ScalableTargetARN: arn,
      scaleOutFromZero: existing?.scaleOutFromZero ?? false,
    });
    return { ScalableTargetARN: arn };
  }

  /** What CloudFormation does for the template's scalable target (and its scale-out-from-zero policy). */
  registerFromTemplate(target: LocalScalableTarget): void {
    this.register({ ServiceNamespace: 'sagemaker', ResourceId: target.resourceId, ScalableDimension: target.scalableDimension, MinCapacity: target.minCapacity, MaxCapacity: target.maxCapacity });
    const registered = this.targets.get(key(target.resourceId, target.scalableDimension));
    if (registered && target.scaleOutFromZero) this.targets.set(key(target.resourceId, target.scalableDimension), { ...registered, scaleOutFromZero: true });
  }

  describeTargets(input: Readonly<Record<string, unknown>>): { ScalableTargets: ScalableTarget[] } {
    this.world.timeline.advance();
    const ids = Array.isArray(input.ResourceIds) ? (input.ResourceIds as unknown[]).map(String) : undefined;
    const dimension = typeof input.ScalableDimension === 'string' ? input.ScalableDimension : undefined;
    const found = [...this.targets.values()]
      .filter((t) => input.ServiceNamespace === t.ServiceNamespace && (ids === undefined || ids.includes(t.ResourceId)) && (dimension === undefined || dimension === t.ScalableDimension))
      .map(({ scaleOutFromZero: _internal, ...t }) => t);
    return { ScalableTargets: found };
  }

  describeActivities(input: Readonly<Record<string, unknown>>): { ScalingActivities: ScalingActivity[] } {
    this.world.timeline.advance();
    const found = this.activities
      .filter((a) => input.ServiceNamespace === a.ServiceNamespace && (input.ResourceId === undefined || input.ResourceId === a.ResourceId))
      .filter((a) => input.ScalableDimension === undefined || input.ScalableDimension === a.ScalableDimension)
      .map((a) => ({ ...a }))
      .reverse(); // newest first, as the API lists them
    return { ScalingActivities: found };
  }

  /**
   * A scaling policy asks for `capacity`: refused (no activity) while that direction is suspended,
   * else clamped to [min, max] and applied to the resource. Returns the activity, if any.
   */
  scale(resourceId: string, dimension: string, capacity: number, cause: string): ScalingActivity | undefined {
    this.world.timeline.advance();
    const target = this.targets.get(key(resourceId, dimension));
    const current = this.current(resourceId);
    if (target === undefined || current === undefined) return undefined;
    const desired = Math.min(target.MaxCapacity, Math.max(target.MinCapacity, capacity));
    if (desired === current) return undefined;
    const out = desired > current;
    if (out ? target.SuspendedState.DynamicScalingOutSuspended : target.SuspendedState.DynamicScalingInSuspended) return undefined;
    const activity: ScalingActivity = {
      ActivityId: `local-activity-${this.activities.length + 1}`,
      ServiceNamespace: 'sagemaker',
      ResourceId: resourceId,
      ScalableDimension: dimension,
      Description: `Setting desired ${dimension === COMPONENT_COPY_DIMENSION ? 'copy count' : 'instance count'} to ${desired}.`,
      Cause: cause,
      StartTime: this.world.timeline.now(),
      StatusCode: 'InProgress',
    };
    this.activities.push(activity);
    const done = (at: number): void => {
      activity.StatusCode = 'Successful';
      activity.EndTime = at;
    };
    if (resourceId.startsWith('inference-component/')) this.world.setCopyCount(resourceId.slice('inference-component/'.length), desired, done);
    else this.world.setInstanceCount(resourceId.split('/')[3] ?? '', desired, done);
    return activity;
  }

  /** Desired capacity of a resource id, or undefined when no such resource exists (yet). */
  private current(resourceId: string): number | undefined {
    if (resourceId.startsWith('inference-component/')) return this.world.describeComponent(resourceId.slice('inference-component/'.length))?.desiredCopies;
    const [, endpoint, , variant] = resourceId.split('/');
    if (endpoint !== this.world.spec.endpointName || variant !== this.world.spec.variantName) return undefined;
    return this.world.describeEndpoint().desiredInstances;
  }

  private scaleOutFromZero(component: string, at: number): void {
    const resourceId = `inference-component/${component}`;
    const target = this.targets.get(key(resourceId, COMPONENT_COPY_DIMENSION));
    if (!target?.scaleOutFromZero) return;
    this.world.timeline.after(at, this.world.timings.scaleOutFromZeroMs, () => {
      if (this.world.describeComponent(component)?.desiredCopies === 0) {
        this.scale(resourceId, COMPONENT_COPY_DIMENSION, 1, 'monitor alarm NoCapacityInvocationFailures in state ALARM triggered policy ScaleOutFromZero');
      }
    });
  }
}

function key(resourceId: string, dimension: string): string {
  return `${resourceId}|${dimension}`;
}

function requiredString(input: Readonly<Record<string, unknown>>, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '') throw new ServiceError('ValidationException', `${field} is required.`);
  return value;
}

function optionalCount(input: Readonly<Record<string, unknown>>, field: string): number | undefined {
  const value = input[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new ServiceError('ValidationException', `${field} must be a whole number ≥ 0.`);
  return value;
}

function pickBooleans(state: Partial<SuspendedState>): Partial<SuspendedState> {
  const out: { -readonly [K in keyof SuspendedState]?: boolean } = {};
  for (const field of ['DynamicScalingInSuspended', 'DynamicScalingOutSuspended', 'ScheduledScalingSuspended'] as const) {
    if (typeof state[field] === 'boolean') out[field] = state[field];
  }
  return out;
}
