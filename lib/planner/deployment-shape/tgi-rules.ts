/**
 * The TGI container's start rules, written once: what the launcher of the pinned image checks
 * before it starts (text-generation-inference `launcher/src/main.rs` at v2.3.1, the TGI of the
 * catalog's image; the same checks sit at v2.0.0 and, except prefill ≥ input, at v3.3.7), plus
 * the shard and memory checks of the model server at warm-up. Each rule reads the container's
 * effective environment (typed settings with the `extraEnv` escape hatch on top) and names the
 * field through the caller's label (flag, fleet path, construct prop).
 *
 * An independent runtime emulation of the launcher lives elsewhere (the offline judges) and shares
 * no code with these synth-time rules on purpose.
 */
import type { InstanceTypeSpec, ModelSpec, TgiSettings } from '../../catalog/types';
import type { Rule } from '../../results/rule';
import { kvCapacityTokens } from '../memory';
import { LEGACY_INPUT_NAME, tgiEnv } from './container-env';
import { TGI_ENV_NAMES, type FieldLabel, type TgiField } from './field-names';
import { headsProblem } from './tp-degrees';

const LAUNCHER = 'https://github.com/huggingface/text-generation-inference/blob/v2.3.1/launcher/src/main.rs';

/** One container about to start. */
export interface ContainerStart {
  readonly model: ModelSpec;
  /** Typed settings (rendered with `tgiEnv`). */
  readonly settings: TgiSettings;
  /** Shards of one copy (`SM_NUM_GPUS`). */
  readonly tp: number;
  /** Escape hatch: variables applied over the typed ones. */
  readonly extraEnv?: Readonly<Record<string, string>>;
  /** GPUs the container sees (a variant: the instance's; an inference component: its accelerators). */
  readonly gpus?: number;
  /** With it, the batch token budget is checked against the KV cache of the layout (warm-up). */
  readonly memory?: { readonly instance: InstanceTypeSpec; readonly tp: number };
  /** How messages name a field. */
  readonly label: FieldLabel;
}

export interface TgiProblem {
  readonly rule: string;
  readonly field: TgiField;
  readonly message: string;
}

export type TgiRule = Rule<string, [ContainerStart], readonly TgiProblem[]> & { readonly source: string };

const TYPED: readonly (keyof TgiSettings | 'tp')[] = ['maxInputTokens', 'maxTotalTokens', 'maxBatchPrefillTokens', 'maxBatchTotalTokens', 'maxConcurrentRequests', 'tp'];

/** The container's environment as the launcher reads it, and which field set each value. */
export interface EffectiveEnv {
  readonly env: Readonly<Record<string, string>>;
  /** The field that set a variable: the typed key, or `env.NAME` when the escape hatch did. */
  fieldOf(name: string): TgiField;
  /** A numeric variable, or undefined when unset (NaN when not a whole number ≥ 1). */
  number(field: keyof TgiSettings | 'tp'): number | undefined;
}

export function effectiveEnv(start: Pick<ContainerStart, 'settings' | 'tp' | 'extraEnv'>): EffectiveEnv {
  const extra = start.extraEnv ?? {};
  const env = { ...tgiEnv({ ...start.settings, tp: start.tp }), ...extra };
  const fieldOf = (name: string): TgiField => {
    if (name in extra) return `env.${name}`;
    const typed = TYPED.find((key) => TGI_ENV_NAMES[key] === name);
    return typed ?? `env.${name}`;
  };
  const number = (field: keyof TgiSettings | 'tp'): number | undefined => {
    const text = env[TGI_ENV_NAMES[field]];
    if (text === undefined) return undefined;
    return /^\d+$/.test(text.trim()) && Number(text) >= 1 ? Number(text) : Number.NaN;
  };
  return { env, fieldOf, number };
}

const problem = (rule: string, field: TgiField, message: string): TgiProblem => ({ rule, field, message });

/** A rule over the numeric settings; runs only when every value is a whole number ≥ 1. */
function numericRule(
  id: string,
  description: string,
  source: string,
  check: (values: (field: keyof TgiSettings | 'tp') => number | undefined, e: EffectiveEnv, start: ContainerStart) => TgiProblem[],
): TgiRule {
  return {
    id,
    description,
    source,
    check: (start) => {
      const e = effectiveEnv(start);
      if (TYPED.some((key) => Number.isNaN(e.number(key)))) return [];
      return check(e.number, e, start);
    },
  };
}

export const tgiWholeNumbers: TgiRule = {
  id: 'tgi-whole-numbers',
  description: 'every TGI limit is a whole number ≥ 1',
  source: `${LAUNCHER} (clap parses each limit as an unsigned integer)`,
  check: (start) => {
    const e = effectiveEnv(start);
    return TYPED.filter((key) => Number.isNaN(e.number(key))).map((key) => {
      const name = TGI_ENV_NAMES[key];
      const field = e.fieldOf(name);
      return problem('tgi-whole-numbers', field, `${start.label(field)} must be a whole number ≥ 1, got ${e.env[name]}`);
    });
  },
};

export const tgiOneInputName: TgiRule = {
  id: 'tgi-one-input-name',
  description: 'MAX_INPUT_LENGTH (legacy) is never set beside MAX_INPUT_TOKENS',
  source: `${LAUNCHER}#L1656 ("Both \`max_input_tokens\` … and \`max_input_length\` … are set"; v2.0.0 line 1323, v3.3.7 line 2104)`,
  check: (start) => {
    const e = effectiveEnv(start);
    if (e.env[LEGACY_INPUT_NAME] === undefined || e.env[TGI_ENV_NAMES.maxInputTokens] === undefined) return [];
    const field = e.fieldOf(LEGACY_INPUT_NAME);
    return [
      problem(
        'tgi-one-input-name',
        field,
        `${start.label(field)} must not be set: the container already sets MAX_INPUT_TOKENS and TGI's launcher exits when both are set ` +
          `("Both \`max_input_tokens\` and \`max_input_length\` are set"); allowed: remove ${LEGACY_INPUT_NAME} and set maxInputTokens`,
      ),
    ];
  },
};

export const tgiInputBelowTotal = numericRule(
  'tgi-input-below-total',
  'MAX_INPUT_TOKENS < MAX_TOTAL_TOKENS',
  `${LAUNCHER}#L1697 ("\`max_input_tokens must be < \`max_total_tokens\`")`,
  (n, e, start) => {
    const input = n('maxInputTokens') as number;
    const total = n('maxTotalTokens') as number;
    if (input < total) return [];
    const field = e.fieldOf(TGI_ENV_NAMES.maxInputTokens);
    return [
      problem('tgi-input-below-total', field, `${start.label(field)} ${input} must be below ${start.label(e.fieldOf(TGI_ENV_NAMES.maxTotalTokens))} ${total}; allowed ≤ ${total - 1}`),
    ];
  },
);

export const tgiPrefillCoversInput = numericRule(
  'tgi-prefill-covers-input',
  'MAX_BATCH_PREFILL_TOKENS ≥ MAX_INPUT_TOKENS',
  `${LAUNCHER}#L1702 ("\`max_batch_prefill_tokens\` must be >= \`max_input_tokens\`")`,
  (n, e, start) => {
    const input = n('maxInputTokens') as number;
    const prefill = n('maxBatchPrefillTokens') as number;
    if (prefill >= input) return [];
    const field = e.fieldOf(TGI_ENV_NAMES.maxBatchPrefillTokens);
    return [problem('tgi-prefill-covers-input', field, `${start.label(field)} ${prefill} is below ${start.label(e.fieldOf(TGI_ENV_NAMES.maxInputTokens))} ${input}; allowed ≥ ${input}`)];
  },
);

export const tgiTotalWithinBatchTotal = numericRule(
  'tgi-total-within-batch-total',
  'MAX_TOTAL_TOKENS ≤ MAX_BATCH_TOTAL_TOKENS (when set)',
  `${LAUNCHER}#L1767 ("\`max_total_tokens\` must be <= \`max_batch_total_tokens\`")`,
  (n, e, start) => {
    const total = n('maxTotalTokens') as number;
    const batchTotal = n('maxBatchTotalTokens');
    if (batchTotal === undefined || total <= batchTotal) return [];
    const field = e.fieldOf(TGI_ENV_NAMES.maxBatchTotalTokens);
    return [
      problem('tgi-total-within-batch-total', field, `${start.label(field)} ${batchTotal} is below ${start.label(e.fieldOf(TGI_ENV_NAMES.maxTotalTokens))} ${total}; allowed ≥ ${total} or unset`),
    ];
  },
);

export const tgiPrefillWithinBatchTotal = numericRule(
  'tgi-prefill-within-batch-total',
  'MAX_BATCH_PREFILL_TOKENS ≤ MAX_BATCH_TOTAL_TOKENS (when set)',
  `${LAUNCHER}#L1761 ("\`max_batch_prefill_tokens\` must be <= \`max_batch_total_tokens\`")`,
  (n, e, start) => {
    const prefill = n('maxBatchPrefillTokens') as number;
    const batchTotal = n('maxBatchTotalTokens');
    if (batchTotal === undefined || prefill <= batchTotal) return [];
    const field = e.fieldOf(TGI_ENV_NAMES.maxBatchPrefillTokens);
    return [
      problem(
        'tgi-prefill-within-batch-total',
        field,
        `${start.label(field)} ${prefill} exceeds ${start.label(e.fieldOf(TGI_ENV_NAMES.maxBatchTotalTokens))} ${batchTotal}; allowed ≤ ${batchTotal}`,
      ),
    ];
  },
);

/**
 * Not a launcher rule (TGI v2.3.1 only uses max_position_embeddings to pick defaults, main.rs line
 * 1627): a model rule. Positions beyond the config's max_position_embeddings were never trained, so
 * a larger MAX_TOTAL_TOKENS is refused — except up to JumpStart's own model-wide default, which for
 * Mixtral (32,786) exceeds the 32,768 of its config by a few tokens.
 */
export const tgiTotalWithinContext = numericRule(
  'tgi-total-within-context',
  "MAX_TOTAL_TOKENS ≤ the model's context (or JumpStart's own default when larger)",
  "the model's config.json max_position_embeddings",
  (n, e, start) => {
    const total = n('maxTotalTokens') as number;
    const allowed = Math.max(start.model.contextTokens, start.model.tgiDefaults.maxTotalTokens);
    if (total <= allowed) return [];
    const field = e.fieldOf(TGI_ENV_NAMES.maxTotalTokens);
    return [problem('tgi-total-within-context', field, `${start.label(field)} ${total} exceeds ${start.model.id}'s context of ${allowed} tokens; allowed ≤ ${allowed}`)];
  },
);

/**
 * Shards set through the environment (SM_NUM_GPUS overriding the typed TP, which the TP rules
 * judge): at least 1 (launcher `find_num_shards`, main.rs v2.3.1 line 1106), at most the GPUs the
 * container sees ("Each process is one gpu", server/text_generation_server/utils/dist.py v2.3.1
 * line 52), and dividing the heads.
 */
export const tgiShardsFitGpus = numericRule(
  'tgi-shards-fit-gpus',
  'SM_NUM_GPUS set through the environment is between 1 and the GPUs the container sees and divides the heads',
  `${LAUNCHER}#L1106; https://github.com/huggingface/text-generation-inference/blob/v2.3.1/server/text_generation_server/utils/dist.py#L52`,
  (n, e, start) => {
    const shards = n('tp') as number;
    const field = e.fieldOf(TGI_ENV_NAMES.tp);
    if (!field.startsWith('env.')) return [];
    if (start.gpus !== undefined && shards > start.gpus) {
      return [problem('tgi-shards-fit-gpus', field, `${start.label(field)} ${shards} exceeds the ${start.gpus} GPUs the container sees; allowed 1..${start.gpus}`)];
    }
    const heads = headsProblem(start.model, shards);
    return heads === undefined ? [] : [problem('tgi-shards-fit-gpus', field, `${start.label(field)} ${shards}: ${heads}`)];
  },
);

/**
 * Warm-up: the batch token budget must be backed by KV cache. MAX_BATCH_TOTAL_TOKENS above the
 * KV capacity of the layout, or (unset) a capacity below one request of MAX_TOTAL_TOKENS, makes the
 * model server fail its warm-up allocation.
 */
export const tgiBatchFitsKvCache = numericRule(
  'tgi-batch-fits-kv-cache',
  'the batch token budget fits the KV cache of the layout',
  'https://github.com/huggingface/text-generation-inference/blob/v2.3.1/server/text_generation_server/models/flash_causal_lm.py (warmup)',
  (n, e, start) => {
    if (start.memory === undefined) return [];
    const { instance, tp } = start.memory;
    const capacity = kvCapacityTokens(start.model, instance, tp);
    const batchTotal = n('maxBatchTotalTokens');
    const total = n('maxTotalTokens') as number;
    if (batchTotal !== undefined && batchTotal > capacity) {
      const field = e.fieldOf(TGI_ENV_NAMES.maxBatchTotalTokens);
      return [
        problem('tgi-batch-fits-kv-cache', field, `${start.label(field)} ${batchTotal} exceeds the ${capacity} tokens of KV cache ${start.model.id} has on ${instance.name} at TP ${tp}; allowed ≤ ${capacity}`),
      ];
    }
    if (batchTotal === undefined && capacity < total) {
      const field = e.fieldOf(TGI_ENV_NAMES.maxTotalTokens);
      return [
        problem('tgi-batch-fits-kv-cache', field, `${start.label(field)} ${total} exceeds the ${capacity} tokens of KV cache ${start.model.id} has on ${instance.name} at TP ${tp}; allowed ≤ ${capacity}`),
      ];
    }
    return [];
  },
);

/** The container start rules, in reporting order. */
export const TGI_START_RULES: readonly TgiRule[] = [
  tgiWholeNumbers,
  tgiOneInputName,
  tgiInputBelowTotal,
  tgiTotalWithinContext,
  tgiTotalWithinBatchTotal,
  tgiPrefillCoversInput,
  tgiPrefillWithinBatchTotal,
  tgiShardsFitGpus,
  tgiBatchFitsKvCache,
];

/** Every problem of a container start, in rule order. */
export function checkContainerStart(start: ContainerStart, rules: readonly TgiRule[] = TGI_START_RULES): TgiProblem[] {
  return rules.flatMap((rule) => [...(rule.check(start) ?? [])]);
}
