import type { ServerResponse } from 'node:http';
import { ApplicationAutoScaling, type LocalScalableTarget, type ScalableTarget, type ScalingActivity } from './control-plane/application-auto-scaling';
import { resolveTimings, type LifecyclePreset, type LifecycleTimings } from './control-plane/lifecycle-timings';
import type { ComponentView } from './control-plane/resources';
import { SageMakerWorld, ServiceError } from './control-plane/sagemaker-world';
import { Timeline, type VirtualClock } from './control-plane/timeline';
import { asRecord, parseJson } from './http-io';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './sagemaker-runtime-protocol';

/**
 * The control plane of the local endpoint, AWS JSON 1.1 (POST / with `X-Amz-Target`), as the real
 * SDK clients send it:
 * - SageMaker (`SageMaker.<Operation>`, @aws-sdk/client-sagemaker): DescribeEndpoint,
 *   DescribeInferenceComponent, UpdateInferenceComponent, UpdateInferenceComponentRuntimeConfig,
 *   UpdateEndpointWeightsAndCapacities.
 *   https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeEndpoint.html,
 *   .../API_DescribeInferenceComponent.html, .../API_UpdateInferenceComponent.html, .../API_UpdateInferenceComponentRuntimeConfig.html,
 *   .../API_UpdateEndpointWeightsAndCapacities.html
 * - Application Auto Scaling (`AnyScaleFrontendService.<Operation>`, @aws-sdk/client-application-auto-scaling):
 *   RegisterScalableTarget, DescribeScalableTargets, DescribeScalingActivities.
 * Resources follow the lifecycle of control-plane/sagemaker-world.ts in virtual time.
 */

export interface ControlPlaneFacts {
  readonly endpointName: string;
  readonly instanceType: string;
  readonly instances: number;
  /** Inference components and their copy counts; empty for a model-per-variant endpoint. */
  readonly components: readonly { readonly name: string; readonly copies: number; readonly gpus: number }[];
  /** Answer `Creating` to the first N describe calls of each resource (on top of the lifecycle). */
  readonly creatingDescribeCalls: number;
  /** Status once created: `Failed` lets a pipeline's failure path be tested. */
  readonly settledStatus: 'InService' | 'Failed';
  /** Transition durations (virtual ms), or a preset. @default 'instant' */
  readonly lifecycle?: Partial<LifecycleTimings> | LifecyclePreset;
  /** Scalable targets CloudFormation registers once their resource exists. @default none */
  readonly scalableTargets?: readonly LocalScalableTarget[];
  /** Virtual time. @default the wall clock */
  readonly clock?: VirtualClock;
  /** @default 'AllTraffic' */
  readonly variantName?: string;
  /** @default `{endpointName}-config` */
  readonly endpointConfigName?: string;
  /** FailureReason of a `Failed` status. @default an injected-failure note */
  readonly failureReason?: string;
}

const FAILURE_REASON = 'Injected failure of the local endpoint (settledStatus Failed).';

export interface ControlPlane {
  /** Handles the request if it is a control-plane call; false when it is not one. */
  handle(target: string, body: Buffer, response: ServerResponse): boolean;
  /** SageMaker's refusal of an invocation of `component` when it has no copy (scale to zero), else undefined. */
  admitInvocation(component: string | undefined): string | undefined;
  /** The endpoint's resources and their lifecycle (tests drive and inspect it). */
  readonly world: SageMakerWorld;
  readonly autoScaling: ApplicationAutoScaling;
  /** Every control-plane call answered so far, oldest first. */
  calls(): readonly ControlPlaneCall[];
}

/** One answered control-plane call: `SageMaker.DescribeInferenceComponent` → 400 ValidationException. */
export interface ControlPlaneCall {
  readonly target: string;
  readonly httpStatus: number;
  readonly errorType?: string;
  /** Virtual time of the call, epoch ms. */
  readonly atMs: number;
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const SAGEMAKER_PREFIX = 'SageMaker.';
const AUTO_SCALING_PREFIX = 'AnyScaleFrontendService.';
type Answer = Readonly<Record<string, unknown>>;

export function createControlPlane(facts: ControlPlaneFacts): ControlPlane {
  const timeline = new Timeline(facts.clock ?? Date.now);
  const world = new SageMakerWorld(
    {
      endpointName: facts.endpointName,
      endpointConfigName: facts.endpointConfigName ?? `${facts.endpointName}-config`,
      variantName: facts.variantName ?? 'AllTraffic',
      instanceType: facts.instanceType,
      instances: facts.instances,
      components: facts.components,
      settledStatus: facts.settledStatus,
      failureReason: facts.failureReason ?? FAILURE_REASON,
      region: LOCAL_REGION,
      account: LOCAL_ACCOUNT_ID,
    },
    resolveTimings(facts.lifecycle),
    timeline,
  );
  const autoScaling = new ApplicationAutoScaling(world);
  const targets = facts.scalableTargets ?? [];
  world.onCreated.push((resourceId) => {
    for (const target of targets.filter((t) => t.resourceId === resourceId)) autoScaling.registerFromTemplate(target);
  });
  const describeCalls = new Map<string, number>();
  const answered: ControlPlaneCall[] = [];
  /** The first N describe calls of a resource answer Creating whatever the lifecycle says. */
  const forcedCreating = (resource: string): boolean => {
    const calls = (describeCalls.get(resource) ?? 0) + 1;
    describeCalls.set(resource, calls);
    return calls <= facts.creatingDescribeCalls;
  };

  const sagemaker: Record<string, (input: Answer) => Answer> = {
    DescribeEndpoint: (input) => {
      if (input.EndpointName !== facts.endpointName) throw new ServiceError('ValidationException', `Could not find endpoint "${String(input.EndpointName)}".`);
      const view = world.describeEndpoint();
      const status = forcedCreating(`endpoint/${facts.endpointName}`) ? 'Creating' : view.status;
      return {
        EndpointName: facts.endpointName,
        EndpointArn: world.endpointArn,
        EndpointConfigName: world.spec.endpointConfigName,
        EndpointStatus: status,
        ...(view.failureReason && status === 'Failed' ? { FailureReason: view.failureReason } : {}),
        CreationTime: seconds(view.creationMs),
        LastModifiedTime: seconds(view.lastModifiedMs),
        ProductionVariants: [
          {
            VariantName: world.spec.variantName,
            CurrentInstanceCount: status === 'Creating' ? 0 : view.currentInstances,
            DesiredInstanceCount: view.desiredInstances,
            CurrentWeight: 1,
            DesiredWeight: 1,
          },
        ],
      };
    },
    DescribeInferenceComponent: (input) => {
      const name = String(input.InferenceComponentName);
      const view = world.describeComponent(name);
      if (view === undefined) throw new ServiceError('ValidationException', `Could not find inference component "${name}".`);
      return componentAnswer(view, forcedCreating(`inference-component/${name}`));
    },
    UpdateInferenceComponentRuntimeConfig: (input) => {
      const name = String(input.InferenceComponentName);
      const copies = asRecord(input.DesiredRuntimeConfig)?.CopyCount;
      if (typeof copies !== 'number') throw new ServiceError('ValidationException', 'DesiredRuntimeConfig.CopyCount is required.');
      world.setCopyCount(name, copies);
      return { InferenceComponentArn: world.componentArn(name) };
    },
    UpdateInferenceComponent: (input) => {
      const name = String(input.InferenceComponentName);
      const copies = asRecord(input.RuntimeConfig)?.CopyCount;
      if (copies !== undefined && typeof copies !== 'number') throw new ServiceError('ValidationException', 'RuntimeConfig.CopyCount must be a number.');
      world.updateComponent(name, copies);
      return { InferenceComponentArn: world.componentArn(name) };
    },
    UpdateEndpointWeightsAndCapacities: (input) => {
      if (input.EndpointName !== facts.endpointName) throw new ServiceError('ValidationException', `Could not find endpoint "${String(input.EndpointName)}".`);
      const wanted = Array.isArray(input.DesiredWeightsAndCapacities) ? (input.DesiredWeightsAndCapacities as unknown[]).map(asRecord) : [];
      for (const variant of wanted) {
        if (typeof variant?.DesiredInstanceCount === 'number') world.setInstanceCount(String(variant.VariantName), variant.DesiredInstanceCount);
      }
      return { EndpointArn: world.endpointArn };
    },
  };
  const applicationAutoScaling: Record<string, (input: Answer) => Answer> = {
    RegisterScalableTarget: (input) => autoScaling.register(input),
    DescribeScalableTargets: (input) => ({ ScalableTargets: autoScaling.describeTargets(input).ScalableTargets.map(targetAnswer) }),
    DescribeScalingActivities: (input) => ({ ScalingActivities: autoScaling.describeActivities(input).ScalingActivities.map(activityAnswer) }),
  };

  function componentAnswer(view: ComponentView, creating: boolean): Answer {
    const status = creating ? 'Creating' : view.status;
    return {
      InferenceComponentName: view.spec.name,
      InferenceComponentArn: world.componentArn(view.spec.name),
      EndpointName: facts.endpointName,
      EndpointArn: world.endpointArn,
      VariantName: world.spec.variantName,
      InferenceComponentStatus: status,
      CreationTime: seconds(view.creationMs),
      LastModifiedTime: seconds(view.lastModifiedMs),
      Specification: { ComputeResourceRequirements: { NumberOfAcceleratorDevicesRequired: view.spec.gpus } },
      RuntimeConfig: { DesiredCopyCount: view.desiredCopies, CurrentCopyCount: creating ? 0 : view.currentCopies },
    };
  }

  return {
    world,
    autoScaling,
    admitInvocation: (component) => world.admitInvocation(component),
    calls: () => [...answered],
    handle(target: string, body: Buffer, response: ServerResponse): boolean {
      const [service, table] = target.startsWith(SAGEMAKER_PREFIX)
        ? [SAGEMAKER_PREFIX, sagemaker]
        : target.startsWith(AUTO_SCALING_PREFIX)
          ? [AUTO_SCALING_PREFIX, applicationAutoScaling]
          : [undefined, undefined];
      if (service === undefined || table === undefined) return false;
      const operation = target.slice(service.length);
      const input = asRecord(parseJson(body)) ?? {};
      let status = 200;
      let output: Answer;
      try {
        const run = table[operation];
        if (run === undefined) throw new ServiceError('UnknownOperationException', `the local control plane implements ${Object.keys(table).map((op) => service + op).join(', ')}; not ${target}`);
        output = run(input);
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        status = 400;
        output = { __type: error.type, message: error.message };
      }
      answered.push({ target, httpStatus: status, ...(status === 200 ? {} : { errorType: String(output.__type) }), atMs: timeline.now() });
      const text = JSON.stringify(output);
      response.writeHead(status, { 'Content-Type': CONTENT_TYPE, 'Content-Length': Buffer.byteLength(text), 'x-amzn-RequestId': 'local' });
      response.end(text);
      return true;
    },
  };
}

/** AWS JSON timestamps are epoch seconds. */
function seconds(ms: number): number {
  return ms / 1000;
}

function targetAnswer(t: ScalableTarget): Answer {
  return { ...t, CreationTime: seconds(t.CreationTime) };
}

function activityAnswer(a: ScalingActivity): Answer {
  return { ...a, StartTime: seconds(a.StartTime), ...(a.EndTime !== undefined ? { EndTime: seconds(a.EndTime) } : {}) };
}
