/**
 * LMI settings of a deployment: the catalog's LMI defaults for the model on the instance (JumpStart's
 * where its spec sets them, else the container's or derived) with the user's overrides on top, and
 * the request limits they imply in TGI's terms (what the local twin's protocol front ends check;
 * the vLLM scheduler in lib/planner/engine serves with the LMI settings themselves).
 */
import { lmiContainerDefaults } from '../../catalog';
import type { InstanceTypeSpec, LmiSettings, ModelSpec, TgiSettings } from '../../catalog/types';
import type { LmiField } from './lmi-env';
import type { LmiFieldLabel } from './lmi-rules';

/** `lmiContainerDefaults(model, instance).lmi` with every defined override applied. */
export function resolveLmiSettings(model: ModelSpec, instance: InstanceTypeSpec, overrides: Partial<LmiSettings> = {}): LmiSettings {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)) as Partial<LmiSettings>;
  return { ...lmiContainerDefaults(model, instance).lmi, ...defined };
}

/**
 * The request limits of an LMI deployment in TGI's terms: a request of up to maxModelLen tokens
 * (prompt ≤ maxModelLen − 1), maxRollingBatchSize requests running (the admitted requests beyond
 * them queue, as TGI's do beyond its batch), prefill budget maxNumBatchedTokens (else one request).
 * What the protocol front ends and the TGI-shaped settings views check; the vLLM scheduler itself
 * (lib/planner/engine/vllm-replica.ts) serves with the LMI settings.
 */
export function lmiRequestLimits(lmi: LmiSettings): TgiSettings {
  return {
    maxInputTokens: lmi.maxModelLen - 1,
    maxTotalTokens: lmi.maxModelLen,
    maxBatchPrefillTokens: lmi.maxNumBatchedTokens ?? lmi.maxModelLen,
    maxConcurrentRequests: lmi.maxRollingBatchSize,
  };
}

/** Fleet files and construct props: the typed key (`maxRollingBatchSize`), a raw variable by its name. */
export const lmiPropLabel: LmiFieldLabel = (field) => (field.startsWith('env.') ? field.slice(4) : field);

/** Path of an LMI field inside a fleet deployment: `lmi.maxRollingBatchSize`, `lmi.env.OPTION_MAX_NUM_SEQS`, `tp`. */
export function lmiFleetPath(field: LmiField): string {
  return field === 'tp' ? 'tp' : `lmi.${field}`;
}
