import { getInstanceType, getModel } from '../../lib/catalog';
import type { InstanceTypeSpec, LmiSettings, ModelSpec, ServingEngine, TgiSettings } from '../../lib/catalog/types';
import { UserInputError } from '../../lib/errors';
import { SAGEMAKER_INVOCATION_TIMEOUT_MS } from '../../lib/results/defaults';
import type { EndpointEngineConfig } from '../../lib/planner/engine/types';
import {
  checkFit,
  chooseTp,
  effectiveBatchTotalTokens,
  flagLabel,
  lmiRequestLimits,
  resolveLmiSettings,
  resolveTgiSettings,
  TpChoiceError,
  validateTgiSettings,
  validTpDegrees,
} from '../../lib/planner/deployment-shape';
import { NO_FAULTS, parseFaultSpec, type FaultSpec } from './faults';

/**
 * What the local endpoint serves, resolved from names and defaults. The replica fields are the
 * serving engine's; with inference components, each component gets an engine of its own with them.
 */
export interface LocalDeployment extends Pick<EndpointEngineConfig, 'model' | 'instance' | 'tp' | 'copies' | 'instances' | 'tgi' | 'lmi'> {
  /** Whose scheduler serves the requests: TGI's, or vLLM's (LMI). */
  readonly engine: ServingEngine;
  /** Token budget of one replica's running batch (MAX_BATCH_TOTAL_TOKENS or what memory allows). */
  readonly batchTotalTokens: number;
  readonly speedup: number;
  readonly faults: FaultSpec;
  readonly endpointName: string;
  /** Names of the inference components; empty for a model-per-variant endpoint. */
  readonly inferenceComponents: readonly string[];
  readonly seed: number;
  /** SageMaker's real-time invocation deadline, virtual ms. */
  readonly invocationTimeoutMs: number;
  /** Control plane answers `Creating` to the first N describe calls of each resource. */
  readonly creatingDescribeCalls: number;
  /** Control plane status after that. */
  readonly settledStatus: 'InService' | 'Failed';
}

export interface LocalDeploymentOptions {
  readonly model: string | ModelSpec;
  readonly instance: string | InstanceTypeSpec;
  /** @default JumpStart's TP for the model on the instance (the GPUs per copy when `copies` > 1) */
  readonly tp?: number;
  /** @default 1 */
  readonly copies?: number;
  /** @default 1 */
  readonly instances?: number;
  /** TGI settings over the model's JumpStart defaults (engine 'tgi'). */
  readonly tgi?: Partial<TgiSettings>;
  /** The container whose scheduler serves the requests. @default 'tgi' */
  readonly engine?: ServingEngine;
  /** LMI settings over the catalog's LMI defaults (engine 'lmi'); its request limits replace the TGI settings. */
  readonly lmi?: Partial<LmiSettings>;
  /** Virtual ms per wall ms: 20 serves a 20 s generation in 1 s and advertises it in /info. @default 1 */
  readonly speedup?: number;
  /** Faults to inject, a FaultSpec or its text (`overload=0.1,hang=0.02,seed=7`). @default none */
  readonly faults?: FaultSpec | string;
  /** @default 'local-endpoint' */
  readonly endpointName?: string;
  /** Inference component names; requests then must name one. @default none (variant endpoint) */
  readonly inferenceComponents?: readonly string[];
  /** @default 1 */
  readonly seed?: number;
  /** @default 60000 (SageMaker real-time endpoints; not adjustable per endpoint) */
  readonly invocationTimeoutMs?: number;
  /** DescribeEndpoint / DescribeInferenceComponent answer `Creating` to the first N calls of each resource. @default 0 */
  readonly creatingDescribeCalls?: number;
  /** What they answer after that; `Failed` exercises a pipeline's failure path. @default 'InService' */
  readonly settledStatus?: 'InService' | 'Failed';
}

const DEFAULT_ENDPOINT_NAME = 'local-endpoint';
/** SageMaker endpoint names: up to 63 alphanumerics and hyphens. */
const ENDPOINT_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

function wholeNumber(field: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new UserInputError(field, `must be a whole number ≥ ${min}, got ${value}`);
  return value;
}

export function resolveLocalDeployment(options: LocalDeploymentOptions): LocalDeployment {
  const model = typeof options.model === 'string' ? getModel(options.model, '--model') : options.model;
  const instance = typeof options.instance === 'string' ? getInstanceType(options.instance, '--instance') : options.instance;
  const copies = wholeNumber('--copies', options.copies ?? 1, 1);
  const instances = wholeNumber('--instances', options.instances ?? 1, 1);
  const engine = options.engine ?? 'tgi';
  const lmi = engine === 'lmi' ? resolveLmiSettings(model, instance, options.lmi ?? {}) : undefined;
  const requestBudget = lmi !== undefined ? lmi.maxModelLen : resolveTgiSettings(model, instance, 1, options.tgi ?? {}).maxTotalTokens;
  const tp = resolveTp(model, instance, copies, options.tp, requestBudget);
  if (copies * tp > instance.acceleratorCount) {
    throw new UserInputError('--copies', `copies × tp = ${copies} × ${tp} exceeds the ${instance.acceleratorCount} GPUs of ${instance.name}`);
  }
  const tgi = lmi !== undefined ? lmiRequestLimits(lmi) : resolveTgiSettings(model, instance, tp, options.tgi ?? {});
  const fit = checkFit(model, instance, tp, { tokensPerSequence: tgi.maxTotalTokens });
  if (!fit.fits) {
    throw new UserInputError('--instance', `${model.id} does not fit ${instance.name} at TP ${tp}: ${fit.reason ?? 'not enough memory'}; valid TP: ${validTpDegrees(model, instance).join(', ')} (\`llm-bench plan\` shows the instances that fit)`);
  }
  const problems = lmi !== undefined ? [] : validateTgiSettings(model, tgi, flagLabel);
  if (problems.length > 0) throw new UserInputError('TGI settings', problems.join('; '));
  const speedup = options.speedup ?? 1;
  if (!Number.isFinite(speedup) || speedup <= 0) throw new UserInputError('--speedup', `must be a positive number, got ${speedup}`);
  const endpointName = options.endpointName ?? DEFAULT_ENDPOINT_NAME;
  if (!ENDPOINT_NAME_PATTERN.test(endpointName)) {
    throw new UserInputError('--endpoint-name', `'${endpointName}' is not a SageMaker endpoint name (1-63 letters, digits and hyphens)`);
  }
  const inferenceComponents = [...(options.inferenceComponents ?? [])];
  const duplicate = inferenceComponents.find((name, i) => inferenceComponents.indexOf(name) !== i);
  if (duplicate !== undefined) throw new UserInputError('--component', `'${duplicate}' is given twice`);
  const empty = inferenceComponents.find((name) => name.trim() === '');
  if (empty !== undefined) throw new UserInputError('--component', 'names must not be empty');
  const faults = typeof options.faults === 'string' ? parseFaultSpec(options.faults, '--faults') : (options.faults ?? NO_FAULTS);
  return {
    model,
    instance,
    tp,
    copies,
    instances,
    tgi,
    engine,
    ...(lmi !== undefined ? { lmi } : {}),
    batchTotalTokens: effectiveBatchTotalTokens(model, instance, tp, tgi),
    speedup,
    faults,
    endpointName,
    inferenceComponents,
    seed: options.seed ?? 1,
    invocationTimeoutMs: wholeNumber('invocationTimeoutMs', options.invocationTimeoutMs ?? SAGEMAKER_INVOCATION_TIMEOUT_MS, 1),
    creatingDescribeCalls: wholeNumber('creatingDescribeCalls', options.creatingDescribeCalls ?? 0, 0),
    settledStatus: options.settledStatus ?? 'InService',
  };
}

/** Requested TP, else JumpStart's; with several copies, the largest valid TP that lets them all fit (`chooseTp`). */
function resolveTp(model: ModelSpec, instance: InstanceTypeSpec, copies: number, requested: number | undefined, tokensPerSequence: number): number {
  try {
    return chooseTp({ model, instance, requested, copies, instances: 1, tokensPerSequence }).tp;
  } catch (error) {
    if (error instanceof TpChoiceError) throw new UserInputError(`--${error.field}`, error.message);
    throw error;
  }
}
