/**
 * TGI settings of a deployment: JumpStart's defaults for the model with the user's overrides on
 * top, and the rules TGI itself enforces at start-up (CONTEXT.md "TGI settings").
 */
import type { InstanceTypeSpec, ModelSpec, TgiSettings } from '../catalog/types';
import { kvCapacityTokens } from './memory';

/** TGI environment variable of each setting (for messages users can map to their container). */
export const TGI_ENV_NAMES: Readonly<Record<keyof TgiSettings, string>> = {
  maxInputTokens: 'MAX_INPUT_TOKENS',
  maxTotalTokens: 'MAX_TOTAL_TOKENS',
  maxBatchPrefillTokens: 'MAX_BATCH_PREFILL_TOKENS',
  maxBatchTotalTokens: 'MAX_BATCH_TOTAL_TOKENS',
  maxConcurrentRequests: 'MAX_CONCURRENT_REQUESTS',
};

/**
 * Settings of one deployment: the model's JumpStart defaults (`model.tgiDefaults`) with every
 * defined override applied. `maxBatchTotalTokens` stays unset unless overridden: TGI then sizes the
 * batch token budget from free memory at warm-up (see `effectiveBatchTotalTokens`).
 * The instance and TP are part of the signature because JumpStart may vary defaults per instance;
 * the catalog records one set per model today.
 */
export function resolveTgiSettings(
  model: ModelSpec,
  _instance: InstanceTypeSpec,
  _tp: number,
  overrides: Partial<TgiSettings> = {},
): TgiSettings {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)) as Partial<TgiSettings>;
  return { ...model.tgiDefaults, ...defined };
}

/**
 * Tokens of KV cache the running batch may hold: MAX_BATCH_TOTAL_TOKENS when set, otherwise what
 * TGI finds free at warm-up (the planner's KV capacity).
 */
export function effectiveBatchTotalTokens(model: ModelSpec, instance: InstanceTypeSpec, tp: number, settings: TgiSettings): number {
  return settings.maxBatchTotalTokens ?? kvCapacityTokens(model, instance, tp);
}

/** Optional memory context for `validateTgiSettings`: checks the batch budget against KV capacity. */
export interface TgiMemoryContext {
  readonly instance: InstanceTypeSpec;
  readonly tp: number;
}

/** `prefix.key`; the prefix `--` names the command-line flag instead (`--max-batch-total-tokens`). */
function fieldName(prefix: string, key: keyof TgiSettings): string {
  if (prefix === '--') return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  return prefix === '' ? key : `${prefix}.${key}`;
}

/**
 * Problems of a TGI configuration, each naming the field, its value and the rule; empty when valid.
 * Rules: every value a whole number ≥ 1; input < total ≤ model context; prefill ≥ input;
 * total ≤ batch total (when set); with `memory`, batch total ≤ the KV capacity of the layout.
 * `fieldPrefix` '--' names the flags of `plan` and `serve-local`, any other the path of a config field.
 */
export function validateTgiSettings(model: ModelSpec, settings: TgiSettings, fieldPrefix: string, memory?: TgiMemoryContext): string[] {
  const problems: string[] = [];
  const name = (key: keyof TgiSettings): string => `${fieldName(fieldPrefix, key)} (${TGI_ENV_NAMES[key]})`;
  for (const key of Object.keys(TGI_ENV_NAMES) as (keyof TgiSettings)[]) {
    const value = settings[key];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 1) problems.push(`${name(key)} must be a whole number ≥ 1, got ${value}`);
  }
  if (problems.length > 0) return problems;

  const { maxInputTokens, maxTotalTokens, maxBatchPrefillTokens, maxBatchTotalTokens } = settings;
  if (maxInputTokens >= maxTotalTokens) {
    problems.push(`${name('maxInputTokens')} must be < ${name('maxTotalTokens')} = ${maxTotalTokens}, got ${maxInputTokens}`);
  }
  if (maxTotalTokens > model.contextTokens) {
    problems.push(`${name('maxTotalTokens')} must be ≤ the ${model.contextTokens}-token context of ${model.id}, got ${maxTotalTokens}`);
  }
  if (maxBatchPrefillTokens < maxInputTokens) {
    problems.push(`${name('maxBatchPrefillTokens')} must be ≥ ${name('maxInputTokens')} = ${maxInputTokens}, got ${maxBatchPrefillTokens}`);
  }
  if (maxBatchTotalTokens !== undefined && maxBatchTotalTokens < maxTotalTokens) {
    problems.push(`${name('maxBatchTotalTokens')} must be ≥ ${name('maxTotalTokens')} = ${maxTotalTokens}, got ${maxBatchTotalTokens}`);
  }
  if (memory !== undefined) {
    const capacity = kvCapacityTokens(model, memory.instance, memory.tp);
    const batchTotal = effectiveBatchTotalTokens(model, memory.instance, memory.tp, settings);
    if (maxBatchTotalTokens !== undefined && maxBatchTotalTokens > capacity) {
      problems.push(
        `${name('maxBatchTotalTokens')} = ${maxBatchTotalTokens} exceeds the ${capacity} tokens of KV cache ${model.id} has on ${memory.instance.name} at TP ${memory.tp}`,
      );
    } else if (maxBatchTotalTokens === undefined && batchTotal < maxTotalTokens) {
      problems.push(
        `${name('maxTotalTokens')} = ${maxTotalTokens} exceeds the ${capacity} tokens of KV cache ${model.id} has on ${memory.instance.name} at TP ${memory.tp}`,
      );
    }
  }
  return problems;
}
