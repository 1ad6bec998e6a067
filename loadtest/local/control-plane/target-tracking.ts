import type { ApplicationAutoScaling, ScalingActivity } from './application-auto-scaling';
import type { SageMakerWorld } from './sagemaker-world';
import type { TargetTrackingPolicy, TemplateScaling } from './scaling-policies';

/**
 * Application Auto Scaling target tracking, as the twin plays it on one scalable target. What AWS
 * documents, and what the model assumes where it does not:
 * - Application Auto Scaling creates CloudWatch alarms on the policy's metric; it "scales out
 *   proportionally to the metric as fast as it can, but scales in more gradually", and scales in only
 *   once the metric is below the target, "usually more than 10 % lower":
 *   https://docs.aws.amazon.com/autoscaling/application/userguide/target-tracking-scaling-policy-overview.html
 *   https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html
 * - ScaleOutCooldown: "after a scale out activity completes before another scale out activity can start.
 *   While the cooldown period is in effect, the capacity that has been added by the previous scale out
 *   event … is calculated as part of the desired capacity for the next scale out"; ScaleInCooldown blocks
 *   scale-in after a scale-in, but a scale-out alarm during it scales out at once:
 *   https://docs.aws.amazon.com/autoscaling/application/APIReference/API_TargetTrackingScalingPolicyConfiguration.html
 * - with no copy in service a per-copy metric has no data, so target tracking cannot scale from zero
 *   (that is the step policy's job: application-auto-scaling.ts).
 * Assumptions (settable, TargetTrackingModel): the *HighResolution SageMaker metrics have 10 s
 * datapoints, the others 60 s (https://aws.amazon.com/blogs/machine-learning/amazon-sagemaker-inference-launches-faster-auto-scaling-for-generative-ai-models/);
 * the managed scale-out alarm needs 3 consecutive datapoints above the target, the scale-in alarm 15
 * below 90 % of it (the AlarmHigh / AlarmLow pair target tracking creates; not in the API reference);
 * desired capacity = ceil(concurrent requests / target), the requests of the latest datapoint (capacity in
 * service × metric / target: copies still loading do not inflate it).
 */
export interface TargetTrackingModel {
  /** Datapoint period of the metric, s. @default 10 for *HighResolution metrics, else 60 */
  readonly periodS: number;
  /** Consecutive datapoints above the target before a scale-out. @default 3 */
  readonly scaleOutDatapoints: number;
  /** Consecutive datapoints below `scaleInRatio` × target before a scale-in. @default 15 */
  readonly scaleInDatapoints: number;
  /** @default 0.9 */
  readonly scaleInRatio: number;
}

export function defaultTrackingModel(policy: TargetTrackingPolicy): TargetTrackingModel {
  return { periodS: policy.metricType.endsWith('HighResolution') ? 10 : 60, scaleOutDatapoints: 3, scaleInDatapoints: 15, scaleInRatio: 0.9 };
}

/** What the tracked metric is made of: requests in flight on the resource now, and its capacity in service. */
export interface TrackedLoad {
  inFlight(): number;
}

/** One closed datapoint of the metric (virtual epoch ms at its end), kept for tests and reports. */
export interface Datapoint {
  readonly endMs: number;
  /** Undefined: no capacity in service, no data. */
  readonly value: number | undefined;
  /** Mean requests in flight on the resource over the period (the metric × copies in service). */
  readonly requests: number;
}

export class TargetTracker {
  private readonly policy: TargetTrackingPolicy;
  readonly model: TargetTrackingModel;
  private periodEndMs: number;
  private samples: { perCopy: number; requests: number }[] = [];
  readonly datapoints: Datapoint[] = [];
  private lastOut: ScalingActivity | undefined;
  private lastIn: ScalingActivity | undefined;

  constructor(
    private readonly autoScaling: ApplicationAutoScaling,
    private readonly world: SageMakerWorld,
    private readonly scaling: TemplateScaling,
    private readonly load: TrackedLoad,
    model: Partial<TargetTrackingModel> = {},
  ) {
    if (scaling.targetTracking === undefined) throw new Error(`${scaling.resourceId} has no target tracking policy`);
    this.policy = scaling.targetTracking;
    this.model = { ...defaultTrackingModel(this.policy), ...model };
    this.periodEndMs = world.timeline.now() + this.model.periodS * 1000;
  }

  /** The scale-out activities this policy started, oldest first. */
  get lastScaleOut(): ScalingActivity | undefined {
    return this.lastOut;
  }

  /** Samples the load now and closes every datapoint period that ended; evaluates the alarms on each. */
  poll(): void {
    this.world.timeline.advance();
    const now = this.world.timeline.now();
    const inService = this.inService();
    const inFlight = this.load.inFlight();
    this.samples.push({ perCopy: inService > 0 ? inFlight / inService : Number.NaN, requests: inFlight });
    while (now >= this.periodEndMs) {
      const defined = this.samples.filter((v) => !Number.isNaN(v.perCopy));
      const mean = (f: (v: { perCopy: number; requests: number }) => number): number => defined.reduce((a, b) => a + f(b), 0) / defined.length;
      const value = defined.length === 0 ? undefined : mean((v) => v.perCopy);
      this.datapoints.push({ endMs: this.periodEndMs, value, requests: defined.length === 0 ? 0 : mean((v) => v.requests) });
      this.samples = [];
      this.evaluate(this.periodEndMs);
      this.periodEndMs += this.model.periodS * 1000;
    }
  }

  private evaluate(atMs: number): void {
    const target = this.policy.targetValue;
    const recent = (n: number): number[] | undefined => {
      const last = this.datapoints.slice(-n).map((d) => d.value);
      return last.length === n && last.every((v) => v !== undefined) ? (last as number[]) : undefined;
    };
    // Capacity that brings the metric to the target: the latest datapoint's requests over the target.
    const needed = (): number => Math.ceil((this.datapoints[this.datapoints.length - 1]?.requests ?? 0) / target - 1e-9);
    const high = recent(this.model.scaleOutDatapoints);
    const current = this.desired();
    // A resource being updated takes no new capacity change (UpdateInferenceComponentRuntimeConfig needs InService).
    if (current === undefined || this.updating()) return;
    if (high !== undefined && high.every((v) => v > target)) {
      const wanted = needed();
      // In the scale-out cooldown the capacity the last scale-out added counts as part of the desired
      // capacity (it is in `current`), so only a larger desired capacity scales out, in or out of the cooldown.
      if (wanted > current) {
        this.lastOut = this.autoScaling.scale(this.scaling.resourceId, this.scaling.scalableDimension, wanted, this.cause('AlarmHigh', high, '>')) ?? this.lastOut;
      }
      return;
    }
    const low = recent(this.model.scaleInDatapoints);
    if (this.policy.disableScaleIn || low === undefined || !low.every((v) => v < target * this.model.scaleInRatio)) return;
    if (this.lastIn !== undefined && (this.lastIn.EndTime === undefined || atMs < this.lastIn.EndTime + this.policy.scaleInCooldownS * 1000)) return;
    const wanted = Math.max(this.scaling.minCapacity, needed());
    if (wanted < current) {
      this.lastIn = this.autoScaling.scale(this.scaling.resourceId, this.scaling.scalableDimension, wanted, this.cause('AlarmLow', low, '<')) ?? this.lastIn;
    }
  }

  private cause(alarm: string, values: readonly number[], op: string): string {
    const shown = values.map((v) => v.toFixed(2)).join(', ');
    return `monitor alarm TargetTracking-${this.scaling.resourceId}-${alarm} in state ALARM triggered policy ${this.policy.policyName} (${this.policy.metricType} [${shown}] ${op} ${this.policy.targetValue})`;
  }

  private componentName(): string {
    return this.scaling.resourceId.startsWith('inference-component/') ? this.scaling.resourceId.slice('inference-component/'.length) : '';
  }

  private inService(): number {
    const name = this.componentName();
    if (name !== '') return this.world.describeComponent(name)?.currentCopies ?? 0;
    return this.world.describeEndpoint().currentInstances;
  }

  private updating(): boolean {
    const name = this.componentName();
    if (name !== '') return this.world.describeComponent(name)?.status !== 'InService';
    return this.world.describeEndpoint().status !== 'InService';
  }

  private desired(): number | undefined {
    const name = this.componentName();
    if (name !== '') return this.world.describeComponent(name)?.desiredCopies;
    return this.world.describeEndpoint().desiredInstances;
  }
}
