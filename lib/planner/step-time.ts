import type { InstanceTypeSpec, ModelSpec } from '../catalog/types';
import { defaultStepTimeParams, type StepTimeParams } from './calibration/params';
import { kvBytesPerTokenPerShard } from './memory';
import { allReduceLinkBytesPerToken, decodeStepMsComputeBound, memoryBandwidthBytesPerS, peakFlopsPerS, weightBytesRead } from './roofline';

/**
 * Time of one forward pass of a TGI shard group, from the roofline. Every term has a physical
 * meaning and a fitted efficiency (lib/planner/calibration/params.json), never a per-model factor:
 * - a decode step streams the weights it touches (a mixture-of-experts model only the experts its
 *   batch routes to) at `memoryEfficiency` × peak bandwidth, and reads the batch's KV cache (KV heads,
 *   not attention heads) at `kvEfficiency` × peak; or, when the batch is large, does 2 FLOPs per active
 *   parameter per sequence at `computeEfficiency` × peak FLOPS, whichever is slower;
 * - a prefill pass does the linear and causal-attention FLOPs of its prompts at `prefillEfficiency`;
 * - TP > 1 adds two all-reduces per layer of the pass's tokens × hidden size over the interconnect
 *   (`commEfficiency`; `collectiveLatencyMs` per ring step, 2 (TP − 1) steps per all-reduce);
 * - a fixed host/launch cost per pass (`stepOverheadMs`) and host work per running sequence
 *   (`perSequenceStepMs`) come on top.
 */

/** One model copy: a model sharded over `tp` accelerators of an instance type. */
export interface ShardLayout {
  readonly model: ModelSpec;
  readonly instance: InstanceTypeSpec;
  readonly tp: number;
}

const BYTES_PER_MS_PER_GBS = 1e6;
const MS_PER_S = 1000;

/** Two all-reduces per layer (after attention and after the MLP) of `tokens` × hidden values, ms. */
export function allReduceMs(layout: ShardLayout, tokens: number, params: StepTimeParams = defaultStepTimeParams()): number {
  return createStepTimer(layout, params).allReduceMs(tokens);
}

/**
 * The step-time model of one layout with its constants computed once: every term is linear in the
 * batch, the KV tokens read, the prompt tokens or their squares (plus the expected experts a batch
 * touches), so the engine pays a few operations per pass.
 */
export interface StepTimer {
  /** One decode step of `batch` sequences holding `kvTokensInBatch` tokens of KV cache, ms. */
  decodeStepMs(batch: number, kvTokensInBatch: number): number;
  /** One prefill pass over prompts of `tokens` tokens in total whose squared lengths sum to `sumOfSquaredPromptTokens`, ms. */
  prefillPassMs(tokens: number, sumOfSquaredPromptTokens: number): number;
  /**
   * One pass mixing `decodeBatch` decode tokens (their sequences holding `kvTokensRead` tokens of KV
   * cache, prefill chunks' earlier context included) with prefill chunks of `prefillTokens` tokens whose
   * causal-attention work is `prefillAttentionSquaredTokens` (Σ (end² − start²) per chunk), ms: one
   * forward pass, so the weights are read once for all its tokens and the fixed costs are paid once;
   * the compute of both parts adds up. Equals decodeStepMs without prefill tokens and prefillPassMs
   * without decode tokens (vLLM's chunked-prefill steps).
   */
  mixedStepMs(decodeBatch: number, kvTokensRead: number, prefillTokens: number, prefillAttentionSquaredTokens: number): number;
  allReduceMs(tokens: number): number;
}

export function createStepTimer(layout: ShardLayout, params: StepTimeParams = defaultStepTimeParams()): StepTimer {
  const { model, instance, tp } = layout;
  const { accelerator } = instance;
  const family = params.families[accelerator.family];
  const bandwidth = memoryBandwidthBytesPerS(accelerator);
  const msPerWeightByte = MS_PER_S / bandwidth / family.memoryEfficiency;
  const weightsReadMs = (tokens: number): number => (weightBytesRead(model, tokens) / tp) * msPerWeightByte;
  // Per shard (not KV / tp): a multi-query model replicates its KV head on every shard.
  const kvReadMsPerToken = (kvBytesPerTokenPerShard(model, tp) * MS_PER_S) / bandwidth / family.kvEfficiency;
  const decodeComputeMsPerSequence = decodeStepMsComputeBound(model, accelerator, tp, 1) / family.computeEfficiency;
  const prefillMsPerFlop = MS_PER_S / (tp * peakFlopsPerS(accelerator)) / family.prefillEfficiency;
  const linearFlopsPerToken = 2 * model.activeParameters;
  const attentionFlopsPerSquaredToken = 2 * model.layers * model.attentionHeads * model.headDim;
  const linkBytesPerMs = instance.interconnect.bandwidthGBs * BYTES_PER_MS_PER_GBS * family.commEfficiency;
  const sharded = tp > 1;
  const allReduceMsPerToken = sharded && linkBytesPerMs > 0 ? (2 * model.layers * allReduceLinkBytesPerToken(model, instance, tp)) / linkBytesPerMs : 0;
  // NCCL runs intra-node all-reduces as a ring: 2 (TP − 1) steps (reduce-scatter, then all-gather), each paying the step latency.
  const allReduceLatencyMs = sharded ? 2 * model.layers * family.collectiveLatencyMs * 2 * (tp - 1) : 0;
  const allReduce = (tokens: number): number => (sharded ? allReduceLatencyMs + tokens * allReduceMsPerToken : 0);
  const perSequenceMs = family.perSequenceStepMs;
  const prefillComputeMs = (tokens: number, squared: number): number => (tokens * linearFlopsPerToken + squared * attentionFlopsPerSquaredToken) * prefillMsPerFlop;
  const decodeStep = (batch: number, kvTokensInBatch: number): number => {
    const memoryMs = weightsReadMs(batch) + kvTokensInBatch * kvReadMsPerToken;
    const computeMs = batch * decodeComputeMsPerSequence;
    return Math.max(memoryMs, computeMs) + allReduce(batch) + family.stepOverheadMs + perSequenceMs * batch;
  };
  // Never faster than reading the weights the pass touches once.
  const prefillPass = (tokens: number, squared: number): number => Math.max(prefillComputeMs(tokens, squared), weightsReadMs(tokens)) + allReduce(tokens) + family.stepOverheadMs;
  return {
    allReduceMs: allReduce,
    decodeStepMs: decodeStep,
    prefillPassMs: prefillPass,
    mixedStepMs(decodeBatch, kvTokensRead, prefillTokens, prefillAttentionSquaredTokens) {
      if (prefillTokens === 0) return decodeStep(decodeBatch, kvTokensRead);
      if (decodeBatch === 0 && kvTokensRead === 0) return prefillPass(prefillTokens, prefillAttentionSquaredTokens);
      const tokens = decodeBatch + prefillTokens;
      const memoryMs = weightsReadMs(tokens) + kvTokensRead * kvReadMsPerToken;
      const computeMs = decodeBatch * decodeComputeMsPerSequence + prefillComputeMs(prefillTokens, prefillAttentionSquaredTokens);
      return Math.max(memoryMs, computeMs) + allReduce(tokens) + family.stepOverheadMs + perSequenceMs * decodeBatch;
    },
  };
}

/**
 * One decode step of `batch` sequences holding `kvTokensInBatch` tokens of KV cache in total, ms:
 * max(memory-bound read of the touched weights + KV, compute-bound 2 × active params × batch) +
 * all-reduces + fixed per-pass cost + host work per sequence. Each sequence gets one new token.
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
