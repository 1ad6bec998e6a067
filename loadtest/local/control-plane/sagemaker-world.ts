import { endpointStateChangeEvent, type EndpointStateChangeEvent } from './endpoint-events';
import type { LifecycleTimings } from './lifecycle-timings';
import { Timeline } from './timeline';
import { NO_CAPACITY_MESSAGE, type ComponentSpec, type ComponentStatus, type ComponentView, type EndpointSpec, type EndpointStatus, type EndpointView } from './resources';

/**
 * The lifecycle of one SageMaker endpoint and its inference components, as the SageMaker API
 * documents it:
 * - EndpointStatus Creating → InService; UpdateEndpoint / UpdateEndpointWeightsAndCapacities →
 *   Updating → InService; a failed capacity change → RollingBack → InService ("Once the rollback
 *   completes, endpoint returns to an InService status"); Failed is terminal.
 *   https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeEndpoint.html#sagemaker-DescribeEndpoint-response-EndpointStatus
 * - an inference component is created on an endpoint that is InService, has its own
 *   InferenceComponentStatus (Creating | InService | Updating | Failed | Deleting) and a RuntimeConfig
 *   with DesiredCopyCount and CurrentCopyCount:
 *   https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeInferenceComponent.html
 *   https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_InferenceComponentRuntimeConfigSummary.html
 * - with 0 copies (scale to zero) an invocation is refused (ValidationError, see NO_CAPACITY_MESSAGE)
 *   and counted in NoCapacityInvocationFailures:
 *   https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html
 * Every endpoint status change is published as a "SageMaker Endpoint State Change" event.
 */

/** An API error as SageMaker returns it (`__type` and message). */
export class ServiceError extends Error {
  constructor(public readonly type: string, message: string) {
    super(message);
    this.name = type;
  }
}

interface MutableComponent {
  spec: ComponentSpec;
  status: ComponentStatus;
  creationMs: number;
  lastModifiedMs: number;
  desiredCopies: number;
  currentCopies: number;
  /** A copy placement is scheduled. */
  ramping: boolean;
  /** Called once with the time CurrentCopyCount reaches DesiredCopyCount. */
  settled: ((atMs: number) => void)[];
}

export class SageMakerWorld {
  readonly timeline: Timeline;
  private readonly endpoint: { status: EndpointStatus; creationMs: number; lastModifiedMs: number; desiredInstances: number; currentInstances: number };
  private readonly components = new Map<string, MutableComponent>();
  private readonly events: EndpointStateChangeEvent[] = [];
  private readonly noCapacity = new Map<string, number>();
  private rollBackUpdates = 0;
  /** Called when an inference component or the endpoint first becomes InService (CloudFormation then registers scalable targets). */
  readonly onCreated: ((resourceId: string, atMs: number) => void)[] = [];
  /** Called at every change of a component's CurrentCopyCount (copies in service), with its time. */
  readonly onCopiesInService: ((component: string, copies: number, atMs: number) => void)[] = [];
  /** Called on every invocation refused for lack of capacity. */
  readonly onNoCapacity: ((component: string, atMs: number) => void)[] = [];

  constructor(readonly spec: EndpointSpec, readonly timings: LifecycleTimings, timeline: Timeline) {
    this.timeline = timeline;
    const t0 = timeline.now();
    this.endpoint = { status: 'Creating', creationMs: t0, lastModifiedMs: t0, desiredInstances: spec.instances, currentInstances: 0 };
    this.publish(t0);
    timeline.after(t0, timings.endpointCreateMs, (at) => this.finishCreate(at));
  }

  get endpointArn(): string {
    return `arn:aws:sagemaker:${this.spec.region}:${this.spec.account}:endpoint/${this.spec.endpointName.toLowerCase()}`;
  }

  componentArn(name: string): string {
    return `arn:aws:sagemaker:${this.spec.region}:${this.spec.account}:inference-component/${name.toLowerCase()}`;
  }

  describeEndpoint(): EndpointView {
    this.timeline.advance();
    return { ...this.endpoint, ...(this.endpoint.status === 'Failed' ? { failureReason: this.spec.failureReason } : {}) };
  }

  /** Undefined while the component does not exist (yet). */
  describeComponent(name: string): ComponentView | undefined {
    this.timeline.advance();
    const c = this.components.get(name);
    return c === undefined ? undefined : { spec: c.spec, status: c.status, creationMs: c.creationMs, lastModifiedMs: c.lastModifiedMs, desiredCopies: c.desiredCopies, currentCopies: c.currentCopies };
  }

  /** Every endpoint state change so far, oldest first. */
  stateChangeEvents(): readonly EndpointStateChangeEvent[] {
    this.timeline.advance();
    return [...this.events];
  }

  /** Invocations refused for lack of capacity, per component (the NoCapacityInvocationFailures metric). */
  noCapacityInvocationFailures(component: string): number {
    return this.noCapacity.get(component) ?? 0;
  }

  /** The next `count` endpoint capacity updates started from now on fail and roll back. */
  rollBackNextUpdates(count = 1): void {
    this.rollBackUpdates += count;
  }

  /** UpdateInferenceComponentRuntimeConfig: a new DesiredCopyCount; copies are placed or removed one at a time. */
  setCopyCount(name: string, copies: number, onSettled?: (atMs: number) => void): void {
    this.timeline.advance();
    const c = this.components.get(name);
    if (c === undefined) throw new ServiceError('ValidationException', `Could not find inference component "${name}".`);
    if (c.status !== 'InService') throw new ServiceError('ValidationException', `Inference component "${name}" is ${c.status}; its runtime config can be updated only when it is InService.`);
    if (!Number.isInteger(copies) || copies < 0) throw new ServiceError('ValidationException', `CopyCount must be a whole number ≥ 0, got ${copies}.`);
    const now = this.timeline.now();
    c.desiredCopies = copies;
    c.lastModifiedMs = now;
    if (onSettled) c.settled.push(onSettled);
    if (copies !== c.currentCopies) c.status = 'Updating';
    this.ramp(c, now);
  }

  /**
   * UpdateInferenceComponent (what CloudFormation's update of the component calls): the component is
   * Updating while its copies are redeployed, then InService. `copies` is RuntimeConfig.CopyCount,
   * optional in the API: when absent the desired copies stay as they are.
   * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateInferenceComponent.html
   */
  updateComponent(name: string, copies: number | undefined): void {
    this.timeline.advance();
    const c = this.components.get(name);
    if (c === undefined) throw new ServiceError('ValidationException', `Could not find inference component "${name}".`);
    if (c.status !== 'InService') throw new ServiceError('ValidationException', `Inference component "${name}" is ${c.status}; it can be updated only when it is InService.`);
    if (copies !== undefined && (!Number.isInteger(copies) || copies < 0)) throw new ServiceError('ValidationException', `CopyCount must be a whole number ≥ 0, got ${copies}.`);
    const now = this.timeline.now();
    if (copies !== undefined) c.desiredCopies = copies;
    c.lastModifiedMs = now;
    c.status = 'Updating';
    this.timeline.after(now, this.timings.copyPlacementMs, (at) => this.ramp(c, at));
  }

  /** UpdateEndpointWeightsAndCapacities on the variant: Updating, then InService (or RollingBack, then InService). */
  setInstanceCount(variantName: string, instances: number, onSettled?: (atMs: number) => void): void {
    this.timeline.advance();
    if (variantName !== this.spec.variantName) throw new ServiceError('ValidationException', `The variant name "${variantName}" does not exist on endpoint "${this.spec.endpointName}".`);
    if (this.endpoint.status !== 'InService') {
      throw new ServiceError('ValidationException', `Cannot update in-progress endpoint "${this.endpointArn}".`);
    }
    const now = this.timeline.now();
    const before = this.endpoint.desiredInstances;
    const rollsBack = this.rollBackUpdates > 0;
    if (rollsBack) this.rollBackUpdates -= 1;
    this.endpoint.desiredInstances = instances;
    this.transition('Updating', now);
    this.timeline.after(now, this.timings.endpointUpdateMs, (at) => {
      if (rollsBack) {
        this.endpoint.desiredInstances = before;
        this.transition('RollingBack', at);
        this.timeline.after(at, this.timings.rollbackMs, (back) => this.transition('InService', back));
        return;
      }
      this.endpoint.currentInstances = instances;
      this.transition('InService', at);
      onSettled?.(at);
    });
  }

  /** An invocation of `component`: undefined when it has a copy to serve it, else SageMaker's refusal. */
  admitInvocation(component: string | undefined): string | undefined {
    if (component === undefined) return undefined;
    this.timeline.advance();
    const c = this.components.get(component);
    if (c === undefined || c.currentCopies > 0) return undefined;
    this.noCapacity.set(component, (this.noCapacity.get(component) ?? 0) + 1);
    const now = this.timeline.now();
    for (const listener of this.onNoCapacity) listener(component, now);
    return NO_CAPACITY_MESSAGE;
  }

  private finishCreate(at: number): void {
    if (this.spec.settledStatus === 'Failed') {
      this.transition('Failed', at);
      return;
    }
    this.endpoint.currentInstances = this.endpoint.desiredInstances;
    this.transition('InService', at);
    for (const listener of this.onCreated) listener(`endpoint/${this.spec.endpointName}/variant/${this.spec.variantName}`, at);
    for (const component of this.spec.components) {
      this.timeline.after(at, this.timings.componentCreateDelayMs, (created) => this.createComponent(component, created));
    }
  }

  private createComponent(spec: ComponentSpec, at: number): void {
    const c: MutableComponent = { spec, status: 'Creating', creationMs: at, lastModifiedMs: at, desiredCopies: spec.copies, currentCopies: 0, ramping: false, settled: [] };
    c.settled.push((done) => {
      for (const listener of this.onCreated) listener(`inference-component/${spec.name}`, done);
    });
    this.components.set(spec.name, c);
    this.ramp(c, at);
  }

  /** Moves CurrentCopyCount one copy per copyPlacementMs toward DesiredCopyCount; InService once equal. */
  private ramp(c: MutableComponent, fromMs: number): void {
    if (c.currentCopies === c.desiredCopies) {
      c.status = 'InService';
      const settled = c.settled.splice(0);
      for (const done of settled) done(fromMs);
      return;
    }
    if (c.ramping) return;
    c.ramping = true;
    this.timeline.after(fromMs, this.timings.copyPlacementMs, (at) => {
      c.ramping = false;
      if (c.currentCopies === c.desiredCopies) return this.ramp(c, at);
      c.currentCopies += c.desiredCopies > c.currentCopies ? 1 : -1;
      c.lastModifiedMs = at;
      for (const listener of this.onCopiesInService) listener(c.spec.name, c.currentCopies, at);
      this.ramp(c, at);
    });
  }

  private transition(status: EndpointStatus, at: number): void {
    this.endpoint.status = status;
    this.endpoint.lastModifiedMs = at;
    this.publish(at);
  }

  private publish(at: number): void {
    this.events.push(
      endpointStateChangeEvent({
        spec: this.spec,
        endpointArn: this.endpointArn,
        status: this.endpoint.status,
        creationMs: this.endpoint.creationMs,
        lastModifiedMs: at,
        desiredInstances: this.endpoint.desiredInstances,
        currentInstances: this.endpoint.currentInstances,
        sequence: this.events.length,
      }),
    );
  }
}
