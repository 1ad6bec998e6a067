import { lmiRequestLimits } from '../../lib/planner/deployment-shape';
import { judgeLmiContainerStart, lmiFailureReason, lmiVersionOfImage, type LmiContainerStart } from '../local/judges/lmi-launcher';
import { containerFailureReason, judgeContainerStart, tgiVersionOfImage, type ContainerStart } from '../local/judges/tgi-launcher';
import { startLocalEndpoint, type LocalEndpoint, type LocalEndpointOptions } from '../local/server';
import type { CfnTemplate } from './definition';
import { modelAccessFailure } from './execution-role';
import { routerOf, type TemplateDeployment } from './template-deployment';

/**
 * The local endpoint of a deployment as its template declares it. The container environment is
 * "started" by the judge of its image (TGI launcher, or LMI for a djl-inference image): the settings
 * it resolves are what the twin serves with (e.g. MAX_CONCURRENT_REQUESTS sets a TGI twin's limit,
 * SM_NUM_GPUS its TP; OPTION_MAX_ROLLING_BATCH_SIZE an LMI twin's batch); a container that would
 * exit leaves the endpoint `Failed` with the container's message as FailureReason.
 */

export interface TemplateEndpointOptions extends Pick<LocalEndpointOptions, 'speedup' | 'faults' | 'port' | 'creatingDescribeCalls' | 'authorize' | 'engineFactory' | 'seed' | 'controlPlane' | 'stepTimeParams'> {
  /**
   * The deployment's template, to judge the Model's execution role (image pull, model data) before
   * the container starts. @default not judged
   */
  readonly modelAccess?: { readonly template: CfnTemplate; readonly region: string; readonly account: string };
}

/** A container that never ran: SageMaker could not pull its image or download its model data. */
export interface NotPrepared {
  readonly started: false;
  readonly stage: 'model-access';
  readonly message: string;
}

export interface TemplateEndpoint {
  readonly endpoint: LocalEndpoint;
  readonly start: ContainerStart | LmiContainerStart | NotPrepared;
}

/** Whether the deployment's image is one a container-start judge holds rules for the engine of (TGI or LMI). */
export function judgedImage(image: string): boolean {
  return lmiVersionOfImage(image) !== undefined || tgiVersionOfImage(image) !== undefined;
}

/** GPUs the container of one model copy sees: the instance's (variant) or the component's accelerators. */
function visibleGpus(deployment: TemplateDeployment): number {
  const first = deployment.components[0];
  return first === undefined ? deployment.instance.acceleratorCount : first.acceleratorsPerCopy;
}

export async function startTemplateEndpoint(deployment: TemplateDeployment, options: TemplateEndpointOptions = {}): Promise<TemplateEndpoint> {
  const { modelAccess, ...endpointOptions } = options;
  const accessFailure =
    modelAccess === undefined
      ? undefined
      : await modelAccessFailure(modelAccess.template, { image: deployment.image, modelDataS3Uri: deployment.modelDataS3Uri }, modelAccess);
  const host = { model: deployment.model, instance: deployment.instance, visibleGpus: visibleGpus(deployment) };
  const lmi = lmiVersionOfImage(deployment.image) !== undefined;
  let start: ContainerStart | LmiContainerStart | NotPrepared;
  let failureReason: string | undefined;
  if (accessFailure !== undefined) {
    start = { started: false, stage: 'model-access', message: accessFailure };
    failureReason = accessFailure;
  } else if (lmi) {
    const judged = judgeLmiContainerStart(deployment.image, deployment.environment, host);
    start = judged;
    if (!judged.started) failureReason = lmiFailureReason(deployment.variantName, judged);
  } else {
    const judged = judgeContainerStart(deployment.image, deployment.environment, host);
    start = judged;
    if (!judged.started) failureReason = containerFailureReason(deployment.variantName, judged);
  }
  const components = deployment.components.map((c) => c.name);
  // SageMaker's CopyCount is endpoint-wide; the engine counts copies per instance.
  const endpointCopies = Math.max(0, ...deployment.components.map((c) => c.copies));
  const copiesPerInstance = components.length === 0 ? 1 : Math.max(1, Math.ceil(endpointCopies / Math.max(1, deployment.instances)));
  const describedAs = {
    image: deployment.image,
    model_data_source: deployment.modelDataS3Uri ?? null,
    routing_strategy: deployment.routingStrategy,
    managed_instance_scaling: deployment.managedInstanceScaling ?? null,
    container: start.started
      ? { started: true, ...('numShard' in start ? { num_shard: start.numShard } : { tensor_parallel_degree: start.tp }), warnings: start.warnings }
      : { started: false, stage: start.stage, message: start.message },
  };
  const common: LocalEndpointOptions = {
    ...endpointOptions,
    // The local Application Auto Scaling registers the targets the template declares.
    controlPlane: { ...endpointOptions.controlPlane, scalableTargets: deployment.scalableTargets },
    model: deployment.model,
    instance: deployment.instance,
    instances: Math.max(1, deployment.instances),
    endpointName: deployment.endpointName,
    router: routerOf(deployment.routingStrategy),
    describedAs,
    ...(components.length > 0 ? { inferenceComponents: components } : {}),
  };
  const endpoint = start.started
    ? 'numShard' in start
      ? await startLocalEndpoint({ ...common, tp: start.numShard, copies: copiesPerInstance, tgi: start.settings })
      : // LMI's protocol in front of the planner's vLLM scheduler, with the settings the container resolved.
        await startLocalEndpoint({ ...common, container: 'lmi', tp: start.tp, copies: copiesPerInstance, tgi: lmiRequestLimits(start.settings), lmi: start.settings })
    : // The container exits: nothing will serve; the twin answers the control plane with Failed.
      await startLocalEndpoint({ ...common, ...(lmi ? { container: 'lmi' as const } : {}), copies: 1, containerFailure: failureReason ?? start.message });
  return { endpoint, start };
}
