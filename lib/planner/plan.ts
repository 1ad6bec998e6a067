/**
 * The planner's view of one configuration (model × instance × TP × payload): memory, roofline,
 * fit, TGI settings and cost, as plain JSON for `llm-bench plan`. Pure: catalog data in, numbers out.
 * A configuration that does not fit is reported (`fits: false` with the reason), never thrown;
 * settings that cannot be deployed at all (TP beyond the instance, copies × TP > GPUs) are user errors.
 */
import { getInstanceType, getModel, jumpStartEngine, listInstanceTypes, type PriceQuote, type Pricing } from '../catalog';
import type { InstanceTypeSpec, LmiSettings, ModelSpec, ServingEngine, TgiSettings } from '../catalog/types';
import { UserInputError } from '../errors';
import { costPerMillionTokensUsd } from '../results/cost';
import { deploymentHourlyUsd, deploymentPrice } from './cost';
import {
  checkFit,
  chooseTp as chooseDeploymentTp,
  fewestAcceleratorsFor,
  flagLabel,
  kneeBound,
  lmiRequestLimits,
  resolveLmiSettings,
  resolveTgiSettings,
  TpChoiceError,
  validateTgiSettings,
  validTpDegrees,
  type KneeLimit,
  type TpSource,
} from './deployment-shape';
import { kvBudgetBytes, kvBytesPerToken, kvCapacityTokens, maxBatchByMemory, weightsBytes, weightsBytesPerShard } from './memory';
import { kvCacheBlocks } from './engine/kv-blocks';
import { vllmLimits, type VllmLimits } from './engine/vllm-replica';
import { allReduceMsPerStep, decodeStepMsRoofline, opsPerByte, prefillMs } from './roofline';

export interface PlanRequest {
  readonly model: string | ModelSpec;
  readonly instance: string | InstanceTypeSpec;
  /** TP degree; default: JumpStart's for the instance, else the smallest valid TP that fits. */
  readonly tp?: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Model copies per instance (inference components). @default 1 */
  readonly copies?: number;
  /** Instances behind the endpoint. @default 1 */
  readonly instances?: number;
  readonly tgi?: Partial<TgiSettings>;
  /** Serving container whose scheduler the curve models. @default the model's JumpStart engine (`jumpStartEngine`) */
  readonly engine?: ServingEngine;
  /** LMI overrides on top of the catalog's LMI defaults (engine 'lmi'). */
  readonly lmi?: Partial<LmiSettings>;
  /** Region, overrides and discount of prices. @default us-east-1, shipped table, no discount */
  readonly pricing?: Pricing;
}

export type { TpSource } from './deployment-shape';

export interface PlanView {
  readonly model: string;
  readonly instance: string;
  readonly accelerator: string;
  readonly acceleratorCount: number;
  readonly tp: number;
  readonly tpSource: TpSource;
  readonly validTpDegrees: readonly number[];
  readonly copies: number;
  readonly instances: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly weightsBytes: number;
  readonly weightsBytesPerShard: number;
  readonly kvBytesPerToken: number;
  /** KV cache room of one copy, bytes (across its shards). */
  readonly kvBudgetBytes: number;
  /** Tokens of KV cache one copy holds. */
  readonly kvCapacityTokens: number;
  /** Sequences of input + output tokens whose KV cache fits one copy at once. */
  readonly maxBatchByMemory: number;
  readonly opsPerByte: number;
  readonly criticalBatch: number;
  /** What bends the curve first for one copy: KV cache or MAX_BATCH_TOTAL_TOKENS ('memory'), B* ('compute') or MAX_CONCURRENT_REQUESTS. */
  readonly batchLimit: KneeLimit;
  /** Fewest accelerators of this type holding weights + KV cache of B* sequences of this payload. */
  readonly acceleratorsForCriticalBatch: number;
  /**
   * min(sequences the batch token budget holds, B*, MAX_CONCURRENT_REQUESTS) × copies × instances:
   * the spec-predicted knee concurrency (`kneeBound`), the same bound the predicted curve places.
   */
  readonly predictedKneeConcurrency: number;
  /** What the bound is made of, e.g. `KV cache holds 35 sequences per replica × 1 replica = 35`. */
  readonly predictedKneeDetail: string;
  /** Ideal (roofline, peak figures) decode step at batch 1 with the mean context of a request, ms. */
  readonly decodeStepMsBatch1: number;
  /** Part of decodeStepMsBatch1 spent in TP all-reduces, ms. */
  readonly allReduceMsPerStepBatch1: number;
  /** Ideal prefill of one request's input, ms. */
  readonly prefillMsInput: number;
  /** One request alone: output tokens / (prefill + output × step), tokens/s. */
  readonly throughputTokensPerSBatch1: number;
  readonly fits: boolean;
  readonly reason?: string;
  readonly shortfallGB?: number;
  /** When it does not fit: the cheapest instance types (with the smallest TP) that hold the model, cheapest first. */
  readonly fitsOn?: readonly { readonly instance: string; readonly tp: number; readonly hourlyUsd: number }[];
  /** Price of all instances per hour, USD (discounted when the pricing has a discount). */
  readonly hourlyUsd: number;
  /** Price of one instance: region, source, date, discount. */
  readonly price: PriceQuote;
  /** hourlyUsd × 10^6 / (throughputTokensPerSBatch1 × 3600). */
  readonly usdPerMillionTokensAtBatch1: number;
  /** TGI settings; for LMI the request limits of its settings in TGI's terms (`lmiRequestLimits`). */
  readonly tgi: TgiSettings;
  readonly engine: ServingEngine;
  /** LMI settings and the vLLM scheduler's limits with its KV-cache blocks per copy (engine 'lmi'). */
  readonly lmi?: LmiSettings;
  readonly vllm?: VllmLimits & { readonly kvCacheBlocks: number };
  /** Broken TGI rules and payloads the settings would refuse (empty when deployable). */
  readonly problems: readonly string[];
}

function wholeNumberAtLeast1(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new UserInputError(field, `must be a whole number ≥ 1, got ${value}`);
  return value;
}

/** TP to plan with: the requested one (validated), JumpStart's default, or the smallest that fits (`chooseTp`). */
export function chooseTp(model: ModelSpec, instance: InstanceTypeSpec, tokensPerSequence: number, requested?: number, copies?: number): { tp: number; tpSource: TpSource } {
  try {
    return chooseDeploymentTp({ model, instance, requested, tokensPerSequence, copies });
  } catch (error) {
    if (error instanceof TpChoiceError) throw new UserInputError(error.field, error.message);
    throw error;
  }
}

function payloadProblems(request: { inputTokens: number; outputTokens: number }, tgi: TgiSettings): string[] {
  const problems: string[] = [];
  if (request.inputTokens > tgi.maxInputTokens) {
    problems.push(`\`inputTokens\` ${request.inputTokens} exceeds MAX_INPUT_TOKENS ${tgi.maxInputTokens}: TGI would refuse every request (422)`);
  }
  if (request.inputTokens + request.outputTokens > tgi.maxTotalTokens) {
    problems.push(
      `\`inputTokens\` + \`outputTokens\` = ${request.inputTokens + request.outputTokens} exceeds MAX_TOTAL_TOKENS ${tgi.maxTotalTokens}: TGI would refuse every request (422)`,
    );
  }
  return problems;
}

function lmiPayloadProblems(request: { inputTokens: number; outputTokens: number }, lmi: LmiSettings): string[] {
  const total = request.inputTokens + request.outputTokens;
  return total > lmi.maxModelLen
    ? [`\`inputTokens\` + \`outputTokens\` = ${total} exceeds OPTION_MAX_MODEL_LEN ${lmi.maxModelLen}: vLLM would refuse every request (400)`]
    : [];
}

const MAX_ALTERNATIVES = 3;

/** Cheapest instance types of the catalog holding the model (smallest fitting TP on each). */
export function cheapestFittingInstances(model: ModelSpec, tokensPerSequence: number, pricing?: Pricing): NonNullable<PlanView['fitsOn']> {
  return listInstanceTypes()
    .flatMap((instance) => {
      const tp = validTpDegrees(model, instance).find((t) => checkFit(model, instance, t, { tokensPerSequence }).fits);
      return tp === undefined ? [] : [{ instance: instance.name, tp, hourlyUsd: deploymentHourlyUsd(instance, 1, pricing) }];
    })
    .sort((a, b) => a.hourlyUsd - b.hourlyUsd)
    .slice(0, MAX_ALTERNATIVES);
}

/** The planner's view of one configuration. Throws UserInputError only for impossible settings. */
export function planConfiguration(request: PlanRequest): PlanView {
  const model = typeof request.model === 'string' ? getModel(request.model) : request.model;
  const instance = typeof request.instance === 'string' ? getInstanceType(request.instance) : request.instance;
  const inputTokens = wholeNumberAtLeast1('inputTokens', request.inputTokens);
  const outputTokens = wholeNumberAtLeast1('outputTokens', request.outputTokens);
  const copies = wholeNumberAtLeast1('copies', request.copies ?? 1);
  const instances = wholeNumberAtLeast1('instances', request.instances ?? 1);

  const firstTgi = resolveTgiSettings(model, instance, request.tp ?? 1, request.tgi);
  const { tp, tpSource } = chooseTp(model, instance, firstTgi.maxTotalTokens, request.tp, copies);
  if (copies * tp > instance.acceleratorCount) {
    throw new UserInputError('copies', `${copies} copies × TP ${tp} need ${copies * tp} accelerators; ${instance.name} has ${instance.acceleratorCount}`);
  }
  const engine = request.engine ?? jumpStartEngine(model.jumpStartId);
  const lmi = engine === 'lmi' ? resolveLmiSettings(model, instance, request.lmi) : undefined;
  const tgi = lmi !== undefined ? lmiRequestLimits(lmi) : resolveTgiSettings(model, instance, tp, request.tgi);
  const fit = checkFit(model, instance, tp, { tokensPerSequence: tgi.maxTotalTokens });

  const tokensPerSequence = inputTokens + outputTokens;
  const meanContextTokens = inputTokens + outputTokens / 2;
  const decodeStepMsBatch1 = decodeStepMsRoofline(model, instance, tp, 1, meanContextTokens);
  const prefillMsInput = prefillMs(model, instance.accelerator, tp, inputTokens) + allReduceMsPerStep(model, instance, tp, inputTokens);
  const throughputTokensPerSBatch1 = (outputTokens / (prefillMsInput + outputTokens * decodeStepMsBatch1)) * 1000;
  const { hourlyUsd, quote: price } = deploymentPrice(instance, instances, request.pricing);

  const memoryBatch = maxBatchByMemory(model, instance, tp, tokensPerSequence);
  const knee = kneeBound({ model, instance, tp, tgi, inputTokens, outputTokens, copies, instances });
  const problems =
    lmi !== undefined
      ? lmiPayloadProblems({ inputTokens, outputTokens }, lmi)
      : [...validateTgiSettings(model, tgi, flagLabel, fit.fits ? { instance, tp } : undefined), ...payloadProblems({ inputTokens, outputTokens }, tgi)];
  const limits = lmi !== undefined ? vllmLimits(lmi) : undefined;

  return {
    model: model.id,
    instance: instance.name,
    accelerator: instance.accelerator.family,
    acceleratorCount: instance.acceleratorCount,
    tp,
    tpSource,
    validTpDegrees: validTpDegrees(model, instance),
    copies,
    instances,
    inputTokens,
    outputTokens,
    weightsBytes: weightsBytes(model),
    weightsBytesPerShard: weightsBytesPerShard(model, tp),
    kvBytesPerToken: kvBytesPerToken(model),
    kvBudgetBytes: kvBudgetBytes(model, instance, tp),
    kvCapacityTokens: kvCapacityTokens(model, instance, tp),
    maxBatchByMemory: memoryBatch,
    opsPerByte: opsPerByte(instance.accelerator),
    criticalBatch: knee.criticalBatch,
    batchLimit: knee.limit,
    acceleratorsForCriticalBatch: fewestAcceleratorsFor(model, instance.accelerator, tokensPerSequence).accelerators,
    predictedKneeConcurrency: knee.concurrency,
    predictedKneeDetail: knee.detail,
    decodeStepMsBatch1,
    allReduceMsPerStepBatch1: allReduceMsPerStep(model, instance, tp, 1),
    prefillMsInput,
    throughputTokensPerSBatch1,
    fits: fit.fits,
    ...(fit.reason !== undefined ? { reason: fit.reason } : {}),
    ...(fit.shortfallGB !== undefined ? { shortfallGB: fit.shortfallGB } : {}),
    ...(fit.fits ? {} : { fitsOn: cheapestFittingInstances(model, tgi.maxTotalTokens, request.pricing) }),
    hourlyUsd,
    price,
    usdPerMillionTokensAtBatch1: costPerMillionTokensUsd(hourlyUsd, throughputTokensPerSBatch1),
    tgi,
    engine,
    ...(lmi !== undefined && limits !== undefined
      ? { lmi, vllm: { ...limits, kvCacheBlocks: kvCacheBlocks(model, instance, tp, limits.gpuMemoryUtilization, limits.blockSizeTokens) } }
      : {}),
    problems,
  };
}
