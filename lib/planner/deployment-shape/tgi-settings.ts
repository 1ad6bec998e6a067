/**
 * TGI settings of a deployment: the catalog's container defaults for the model on the instance
 * (JumpStart's, cited; or derived) with the user's overrides on top, and their check against the
 * container start rules (`tgi-rules.ts`).
 */
import { containerDefaults } from '../../catalog';
import type { InstanceTypeSpec, ModelSpec, TgiSettings } from '../../catalog/types';
import { kvCapacityTokens } from '../memory';
import type { FieldLabel } from './field-names';
import { checkContainerStart } from './tgi-rules';

/**
 * Settings of one deployment: `containerDefaults(model, instance).tgi` with every defined override
 * applied. `maxBatchTotalTokens` stays unset unless JumpStart or the user sets it: TGI then sizes
 * the batch token budget from free memory at warm-up (see `effectiveBatchTotalTokens`).
 */
export function resolveTgiSettings(model: ModelSpec, instance: InstanceTypeSpec, _tp: number, overrides: Partial<TgiSettings> = {}): TgiSettings {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)) as Partial<TgiSettings>;
  return { ...containerDefaults(model, instance).tgi, ...defined };
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

/**
 * Problems of a TGI configuration by the container start rules, each naming the field (through
 * `label`, e.g. `flagLabel` for the CLI), its value and what is allowed; empty when it would start.
 */
export function validateTgiSettings(model: ModelSpec, settings: TgiSettings, label: FieldLabel, memory?: TgiMemoryContext): string[] {
  return checkContainerStart({ model, settings, tp: memory?.tp ?? 1, memory, label }).map((p) => p.message);
}
