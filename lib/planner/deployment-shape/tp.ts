/**
 * Tensor parallelism: which TP degrees TGI can shard a model at, and the one function that picks
 * the TP of a deployment when none is given (plan, serve-local, the constructs, the fleet and its
 * matrix all call `chooseTp`).
 */
import { containerDefaults, listInstanceTypes } from '../../catalog';
import type { InstanceTypeSpec, ModelSpec } from '../../catalog/types';
import { checkFit } from './memory-fit';
import { tpProblem, validTpDegrees } from './tp-degrees';

/**
 * JumpStart's TP for the model on the instance (`SM_NUM_GPUS` of the catalog's container defaults)
 * when TGI can shard at it and one request of MAX_TOTAL_TOKENS fits; undefined otherwise. An
 * instance has a JumpStart default exactly when this is defined (the `instance-supported` rule).
 */
export function jumpStartTp(model: ModelSpec, instance: InstanceTypeSpec): number | undefined {
  const defaults = containerDefaults(model, instance);
  const tp = defaults.smNumGpus;
  if (tpProblem(model, instance, tp) !== undefined) return undefined;
  return checkFit(model, instance, tp, { tokensPerSequence: defaults.tgi.maxTotalTokens }).fits ? tp : undefined;
}

/** Catalog instance types with a JumpStart default TP for the model (see `jumpStartTp`), with that TP. */
export function supportedInstances(model: ModelSpec): { readonly instance: string; readonly tp: number }[] {
  return listInstanceTypes().flatMap((instance) => {
    const tp = jumpStartTp(model, instance);
    return tp === undefined ? [] : [{ instance: instance.name, tp }];
  });
}

/** How the TP degree was chosen. */
export type TpSource = 'requested' | 'jumpstart-default' | 'fits-copies' | 'smallest-fitting' | 'largest-valid';

export interface TpChoice {
  readonly tp: number;
  readonly tpSource: TpSource;
}

export interface ChooseTpRequest {
  readonly model: ModelSpec;
  readonly instance: InstanceTypeSpec;
  /** TP asked for; validated (shape) and returned as is. */
  readonly requested?: number;
  /**
   * Model copies across the endpoint (inference components). With more than one copy, the
   * largest valid TP such that the copies fit `instances` instances (a copy never spans instances).
   */
  readonly copies?: number;
  /** @default 1 */
  readonly instances?: number;
  /** KV cache one request needs (MAX_TOTAL_TOKENS) for the "smallest that fits" fallback. */
  readonly tokensPerSequence: number;
}

/** Thrown for a requested TP that cannot be; `field` is the domain field (`tp`, `copies`). */
export class TpChoiceError extends Error {
  constructor(
    public readonly field: 'tp' | 'copies',
    message: string,
  ) {
    super(message);
    this.name = 'TpChoiceError';
  }
}

/**
 * The TP of a deployment: the requested one (validated), else — with several copies — the largest
 * valid TP that lets them all fit, else JumpStart's default, else the smallest valid TP that fits,
 * else (nothing fits) the largest valid TP, which comes closest.
 */
export function chooseTp(request: ChooseTpRequest): TpChoice {
  const { model, instance } = request;
  const valid = validTpDegrees(model, instance);
  if (request.requested !== undefined) {
    const problem = tpProblem(model, instance, request.requested);
    if (problem !== undefined) throw new TpChoiceError('tp', `${problem}; valid TP for ${model.id} on ${instance.name}: ${valid.join(', ')}`);
    return { tp: request.requested, tpSource: 'requested' };
  }
  const copies = request.copies ?? 1;
  if (copies > 1) {
    const instances = request.instances ?? 1;
    const fitting = valid.filter((tp) => Math.floor(instance.acceleratorCount / tp) * instances >= copies);
    if (fitting.length === 0) {
      const smallest = valid[0] as number;
      const where = instances > 1 ? `${instances} × ${instance.name} have` : `${instance.name} has`;
      throw new TpChoiceError('copies', `${copies} copies × TP ${smallest} need ${copies * smallest} accelerators; ${where} ${instance.acceleratorCount * instances}`);
    }
    return { tp: fitting[fitting.length - 1] as number, tpSource: 'fits-copies' };
  }
  const jumpStart = jumpStartTp(model, instance);
  if (jumpStart !== undefined) return { tp: jumpStart, tpSource: 'jumpstart-default' };
  const smallest = valid.find((tp) => checkFit(model, instance, tp, { tokensPerSequence: request.tokensPerSequence }).fits);
  if (smallest !== undefined) return { tp: smallest, tpSource: 'smallest-fitting' };
  return { tp: valid[valid.length - 1] as number, tpSource: 'largest-valid' };
}
