import type { InstanceTypeSpec, ModelSpec } from '../catalog/types';
import { defaultStepTimeParams, type StepTimeParams } from './calibration/params';
import { bytesPerParameter, kvBytesPerTokenPerShard, weightsBytes } from './memory';
import { decodeStepMsComputeBound, memoryBandwidthBytesPerS, peakFlopsPerS } from './roofline';

/**
 * Time of one forward pass of a TGI shard group, from the roofline: a decode step reads the weights
 * and the batch's KV cache once (memory-bound) or does 2 × active parameters FLOPs per sequence
 * (compute-bound), whichever is slower; TP > 1 adds two all-reduces per layer over the interconnect;
 * a fixed per-pass cost and host work per sequence come on top. Efficiencies are the fitted
 * calibration parameters (lib/planner/calibration/params.json).
 */

/** One model copy: a model sharded over `tp` accelerators of an instance type. */
export interface ShardLayout {
  readonly model: ModelSpec;
  readonly instance: InstanceTypeSpec;
  readonly tp: number;
}

const BYTES_PER_MS_PER_GBS = 1e6;
const MS_PER_S = 1000;

/**
 * Two all-reduces per layer (after attention and after the MLP) of `tokens` × hidden values. Each
 * shard exchanges its partial sums with its tp − 1 peers over its link at the calibrated efficiency
 * (the published g5 sweeps slow down with TP in proportion to peers, not as an ideal ring's
 * 2(tp−1)/tp would), plus a latency per log2(tp) hop.
 */
export function allReduceMs(layout: ShardLayout, tokens: number, params: StepTimeParams = defaultStepTimeParams()): number {
  return createStepTimer(layout, params).allReduceMs(tokens);
}

/**
 * The step-time model of one layout with its constants computed once: every term is linear in the
 * batch, the KV tokens read, the prompt tokens or their squares, so the engine pays a few
 * multiplications per pass.
 */
export interface StepTimer {
  /** One decode step of `batch` sequences holding `kvTokensInBatch` tokens of KV cache, ms. */
  decodeStepMs(batch: number, kvTokensInBatch: number): number;
  /** One prefill pass over prompts of `tokens` tokens in total whose squared lengths sum to `sumOfSquaredPromptTokens`, ms. */
  prefillPassMs(tokens: number, sumOfSquaredPromptTokens: number): number;
  allReduceMs(tokens: number): number;
}

export function createStepTimer(layout: ShardLayout, params: StepTimeParams = defaultStepTimeParams()): StepTimer {
  const { model, instance, tp } = layout;
  const { accelerator } = instance;
  const family = params.families[accelerator.family];
  const msPerByteRead = MS_PER_S / memoryBandwidthBytesPerS(accelerator) / family.memoryEfficiency;
  const weightsReadMs = (weightsBytes(model) / tp) * msPerByteRead;
  // Per shard (not KV / tp): a multi-query model replicates its KV head on every shard.
  const kvReadMsPerToken = kvBytesPerTokenPerShard(model, tp) * msPerByteRead;
  const decodeComputeMsPerSequence = decodeStepMsComputeBound(model, accelerator, tp, 1) / family.computeEfficiency;
  const prefillMsPerFlop = MS_PER_S / (tp * peakFlopsPerS(accelerator)) / family.prefillEfficiency;
  const linearFlopsPerToken = 2 * model.activeParameters;
  const attentionFlopsPerSquaredToken = 2 * model.layers * model.attentionHeads * model.headDim;
  const linkBytesPerMs = instance.interconnect.bandwidthGBs * BYTES_PER_MS_PER_GBS * params.general.commEfficiency;
  const messageBytesPerToken = model.hiddenSize * bytesPerParameter(model);
  const sharded = tp > 1;
  const allReduceMsPerToken = sharded && linkBytesPerMs > 0 ? (2 * model.layers * (tp - 1) * messageBytesPerToken) / linkBytesPerMs : 0;
  const allReduceLatencyMs = sharded ? 2 * model.layers * params.general.collectiveLatencyMs * Math.log2(tp) : 0;
  const allReduce = (tokens: number): number => (sharded ? allReduceLatencyMs + tokens * allReduceMsPerToken : 0);
  return {
    allReduceMs: allReduce,
    decodeStepMs(batch, kvTokensInBatch) {
      const memoryMs = weightsReadMs + kvTokensInBatch * kvReadMsPerToken;
      const computeMs = batch * decodeComputeMsPerSequence;
      return Math.max(memoryMs, computeMs) + allReduce(batch) + family.stepOverheadMs + params.general.perSequenceStepMs * batch;
    },
    prefillPassMs(tokens, sumOfSquaredPromptTokens) {
      const computeMs = (tokens * linearFlopsPerToken + sumOfSquaredPromptTokens * attentionFlopsPerSquaredToken) * prefillMsPerFlop;
      // Never faster than reading the weights once.
      return Math.max(computeMs, weightsReadMs) + allReduce(tokens) + family.stepOverheadMs;
    },
  };
}

/**
 * One decode step of `batch` sequences holding `kvTokensInBatch` tokens of KV cache in total, ms:
 * max(memory-bound read of weights + KV, compute-bound 2 × active params × batch) + all-reduces +
 * fixed per-pass cost + host work per sequence. Each sequence gets one new token.
 */
export function decodeStepMs(
  layout: ShardLayout,
  batch: number,
  kvTokensInBatch: number,
  params: StepTimeParams = defaultStepTimeParams(),
): number {
  return createStepTimer(layout, params).decodeStepMs(batch, kvTokensInBatch);
}

/**
 * One prefill pass over prompts totalling `tokens` tokens whose squared lengths sum to
 * `sumOfSquaredPromptTokens` (causal attention is quadratic per prompt), ms: compute-bound matmuls
 * at the family's prefill efficiency (never faster than reading the weights once), the all-reduces
 * of all prompt tokens, and the fixed per-pass cost.
 */
export function prefillPassMs(
  layout: ShardLayout,
  tokens: number,
  sumOfSquaredPromptTokens: number,
  params: StepTimeParams = defaultStepTimeParams(),
): number {
  return createStepTimer(layout, params).prefillPassMs(tokens, sumOfSquaredPromptTokens);
}

/** Prefill of one prompt of `tokens` tokens, ms (see prefillPassMs). */
export function prefillMs(layout: ShardLayout, tokens: number, params: StepTimeParams = defaultStepTimeParams()): number {
  return prefillPassMs(layout, tokens, tokens * tokens, params);
}
