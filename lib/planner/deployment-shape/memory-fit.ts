/**
 * The one memory-fit rule: does one copy of a model fit an instance at a TP degree (weights per
 * shard + runtime allowance + KV cache for one request of MAX_TOTAL_TOKENS ≤ device memory), and
 * how many accelerators a model needs to run at its critical batch. Never throws for "does not
 * fit": the answer carries the reason and the shortfall.
 */
import type { AcceleratorSpec, InstanceTypeSpec, ModelSpec } from '../../catalog/types';
import {
  BYTES_PER_GB,
  kvBudgetBytesPerShard,
  kvBytesPerToken,
  kvBytesPerTokenPerShard,
  kvCapacityTokens,
  runtimeAllowanceBytes,
  weightsBytes,
  weightsBytesPerShard,
} from '../memory';
import { criticalBatch } from '../roofline';
import { tpProblem } from './tp-degrees';

export interface FitResult {
  readonly fits: boolean;
  /** Why it does not fit (absent when it fits). */
  readonly reason?: string;
  /** Device memory missing per model copy, GB (absent when it fits or when the TP itself is invalid). */
  readonly shortfallGB?: number;
  readonly weightsBytesPerShard: number;
  readonly kvCapacityTokens: number;
}

export interface FitOptions {
  /**
   * Tokens of KV cache one request may need (TGI MAX_TOTAL_TOKENS): TGI refuses to start when its
   * batch token budget cannot hold one request of that length.
   * @default model.tgiDefaults.maxTotalTokens
   */
  readonly tokensPerSequence?: number;
}

const gb = (bytes: number): number => Math.round((bytes / BYTES_PER_GB) * 100) / 100;

/**
 * Whether one copy of the model at TP `tp` fits the instance: valid TP, weights per shard below the
 * device memory minus the runtime allowance, and KV room for one request of `tokensPerSequence`.
 */
export function checkFit(model: ModelSpec, instance: InstanceTypeSpec, tp: number, options: FitOptions = {}): FitResult {
  const tokensPerSequence = options.tokensPerSequence ?? model.tgiDefaults.maxTotalTokens;
  const problem = tpProblem(model, instance, tp);
  if (problem !== undefined) {
    return { fits: false, reason: problem, weightsBytesPerShard: weightsBytesPerShard(model, Math.max(1, tp)), kvCapacityTokens: 0 };
  }
  const perShard = weightsBytesPerShard(model, tp);
  const capacity = kvCapacityTokens(model, instance, tp);
  const budgetPerShard = kvBudgetBytesPerShard(model, instance.accelerator, tp);
  const neededKvPerShard = kvBytesPerTokenPerShard(model, tp) * tokensPerSequence;
  if (budgetPerShard >= neededKvPerShard) return { fits: true, weightsBytesPerShard: perShard, kvCapacityTokens: capacity };

  const shortfallGB = gb((neededKvPerShard - budgetPerShard) * tp);
  const memory = `${instance.accelerator.memoryGB} GB ${instance.accelerator.family}`;
  const reason =
    budgetPerShard <= 0
      ? `weights of ${model.id} need ${gb(perShard)} GB per shard at TP ${tp} (+${gb(runtimeAllowanceBytes(instance.accelerator))} GB runtime); ` +
        `${instance.name} has ${memory} per accelerator`
      : `KV cache for one request of ${tokensPerSequence} tokens needs ${gb(neededKvPerShard)} GB per shard; ` +
        `only ${gb(budgetPerShard)} GB is left beside the weights on ${memory} at TP ${tp} (${capacity} tokens)`;
  return { fits: false, reason, shortfallGB, weightsBytesPerShard: perShard, kvCapacityTokens: capacity };
}

export interface AcceleratorsNeeded {
  /** Fewest accelerators whose usable memory holds weights + KV cache for B* sequences. */
  readonly accelerators: number;
  /** B* of the accelerator (sequences). */
  readonly criticalBatch: number;
  readonly weightsBytes: number;
  /** KV cache of B* sequences of `tokensPerSequence`, bytes. */
  readonly kvBytesForCriticalBatch: number;
  /** Device memory each accelerator offers after the runtime allowance, bytes. */
  readonly usableBytesPerAccelerator: number;
}

/**
 * docs/theory.md's recipe for comparing accelerators: B* sequences at `tokensPerSequence`, their KV
 * cache plus the weights, divided by what one accelerator holds beside its runtime allowance.
 * (A count, not a TP degree: round up to a valid TP before deploying.)
 */
export function fewestAcceleratorsFor(model: ModelSpec, accelerator: AcceleratorSpec, tokensPerSequence: number): AcceleratorsNeeded {
  const batch = criticalBatch(accelerator);
  const kvBytes = batch * tokensPerSequence * kvBytesPerToken(model);
  const usable = accelerator.memoryGB * BYTES_PER_GB - runtimeAllowanceBytes(accelerator);
  const accelerators = Math.max(1, Math.ceil((weightsBytes(model) + kvBytes) / usable));
  return { accelerators, criticalBatch: batch, weightsBytes: weightsBytes(model), kvBytesForCriticalBatch: kvBytes, usableBytesPerAccelerator: usable };
}
