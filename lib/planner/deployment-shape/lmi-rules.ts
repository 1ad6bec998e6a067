/**
 * The LMI container's start rules at synth time: what djl-serving's vLLM properties and vLLM's
 * configs reject before the model server starts, decided by the conditions of
 * lmi-start-conditions.ts (shared with the runtime container-start judge), plus two documented
 * job-queue constraints. Each rule reads the container's effective environment (typed settings with
 * the `extraEnv` escape hatch on top) and names the field through the caller's label.
 */
import type { LmiSettings, ModelSpec } from '../../catalog/types';
import type { Rule } from '../../results/rule';
import { LMI_ENV_NAMES, lmiEnv, VLLM_PASSTHROUGH_NAMES, type LmiField } from './lmi-env';
import {
  DJL_LMI27 as DJL,
  DJL_VLLM_RB_PROPERTIES as VLLM_RB_PROPERTIES,
  gpuMemoryUtilizationAllowed,
  LMI_ROLLING_BATCH_VALUES as ROLLING_BATCH,
  lmiVllmNameRefused,
  VLLM_CACHE,
  VLLM_MODEL,
  vllmModelLenAllowed,
  VLLM_SCHEDULER,
  vllmSchedulerViolation,
  vllmTpDividesAttentionHeads,
  vllmWorldSizeFits,
} from './lmi-start-conditions';

/** How a caller names an LMI field in messages. */
export type LmiFieldLabel = (field: LmiField) => string;

/** One LMI container about to start. */
export interface LmiContainerStart {
  readonly model: ModelSpec;
  readonly settings: LmiSettings;
  /** TENSOR_PARALLEL_DEGREE of one copy. */
  readonly tp: number;
  /** OPTION_DTYPE. */
  readonly dtype?: string;
  /** Escape hatch: variables applied over the typed ones. */
  readonly extraEnv?: Readonly<Record<string, string>>;
  /** GPUs the container sees (a variant: the instance's; an inference component: its accelerators). */
  readonly gpus?: number;
  readonly label: LmiFieldLabel;
}

export interface LmiProblem {
  readonly rule: string;
  readonly field: LmiField;
  readonly message: string;
}

export type LmiRule = Rule<string, [LmiContainerStart], readonly LmiProblem[]> & { readonly source: string };

const TYPED_KEYS = Object.keys(LMI_ENV_NAMES) as (keyof typeof LMI_ENV_NAMES)[];
const WHOLE: readonly (keyof typeof LMI_ENV_NAMES)[] = ['maxRollingBatchSize', 'maxModelLen', 'maxConcurrentRequests', 'maxNumBatchedTokens', 'jobQueueSize'];
const BOOLEAN: readonly (keyof typeof LMI_ENV_NAMES)[] = ['enableChunkedPrefill', 'enablePrefixCaching'];

/** The container's environment as LMI reads it, and which field set each value. */
export interface LmiEffectiveEnv {
  readonly env: Readonly<Record<string, string>>;
  fieldOf(name: string): LmiField;
  /** A whole number ≥ 1, undefined when unset, NaN otherwise. */
  whole(name: string): number | undefined;
}

export function lmiEffectiveEnv(start: Pick<LmiContainerStart, 'settings' | 'tp' | 'dtype' | 'extraEnv'>): LmiEffectiveEnv {
  const extra = start.extraEnv ?? {};
  const env = { ...lmiEnv({ ...start.settings, tp: start.tp, dtype: start.dtype }), ...extra };
  const fieldOf = (name: string): LmiField => {
    if (name in extra) return `env.${name}`;
    return TYPED_KEYS.find((key) => LMI_ENV_NAMES[key] === name) ?? `env.${name}`;
  };
  const whole = (name: string): number | undefined => {
    const text = env[name];
    if (text === undefined) return undefined;
    return /^\d+$/.test(text.trim()) && Number(text) >= 1 ? Number(text) : Number.NaN;
  };
  return { env, fieldOf, whole };
}

const problem = (rule: string, field: LmiField, message: string): LmiProblem => ({ rule, field, message });

/** The vLLM values the scheduler sees, once every number is well formed (else undefined: `lmi-well-formed` reports it). */
function vllmValues(start: LmiContainerStart): { e: LmiEffectiveEnv; seqs: number; modelLen: number; batched?: number; batchedName: string; chunked: boolean } | undefined {
  const e = lmiEffectiveEnv(start);
  if (wellFormedProblems(start, e).length > 0) return undefined;
  // `option.max_rolling_batch_prefill_tokens` is the DJL name of vLLM's max_num_batched_tokens (vllm_rb_properties.py lines 64-66).
  const batchedName = e.env[LMI_ENV_NAMES.maxNumBatchedTokens] !== undefined ? LMI_ENV_NAMES.maxNumBatchedTokens : 'OPTION_MAX_ROLLING_BATCH_PREFILL_TOKENS';
  return {
    e,
    seqs: e.whole(LMI_ENV_NAMES.maxRollingBatchSize) as number,
    modelLen: e.whole(LMI_ENV_NAMES.maxModelLen) as number,
    batched: e.whole(batchedName),
    batchedName,
    // vLLM V1 chunks prefills unless told not to (SchedulerConfig.enable_chunked_prefill = True).
    chunked: (e.env[LMI_ENV_NAMES.enableChunkedPrefill] ?? 'true').trim().toLowerCase() === 'true',
  };
}

function wellFormedProblems(start: LmiContainerStart, e: LmiEffectiveEnv): LmiProblem[] {
  const problems: LmiProblem[] = [];
  const report = (name: string, allowed: string): void => {
    const field = e.fieldOf(name);
    problems.push(problem('lmi-well-formed', field, `${start.label(field)} must be ${allowed}, got '${e.env[name]}'`));
  };
  for (const key of WHOLE) if (Number.isNaN(e.whole(LMI_ENV_NAMES[key]))) report(LMI_ENV_NAMES[key], 'a whole number ≥ 1');
  for (const name of [VLLM_PASSTHROUGH_NAMES.maxNumSeqs, VLLM_PASSTHROUGH_NAMES.tensorParallelSize, 'OPTION_MAX_ROLLING_BATCH_PREFILL_TOKENS']) {
    if (Number.isNaN(e.whole(name))) report(name, 'a whole number ≥ 1');
  }
  const tp = e.env[LMI_ENV_NAMES.tp];
  if (tp !== undefined && tp.trim() !== 'max' && Number.isNaN(e.whole(LMI_ENV_NAMES.tp))) report(LMI_ENV_NAMES.tp, "a whole number ≥ 1 or 'max'");
  for (const key of BOOLEAN) {
    const value = e.env[LMI_ENV_NAMES[key]];
    if (value !== undefined && !['true', 'false'].includes(value.trim().toLowerCase())) report(LMI_ENV_NAMES[key], 'true or false');
  }
  const utilization = e.env[LMI_ENV_NAMES.gpuMemoryUtilization];
  if (utilization !== undefined && !gpuMemoryUtilizationAllowed(Number(utilization))) report(LMI_ENV_NAMES.gpuMemoryUtilization, 'a fraction in (0, 1]');
  const rolling = e.env[LMI_ENV_NAMES.rollingBatch];
  if (rolling !== undefined && !(ROLLING_BATCH as readonly string[]).includes(rolling.trim())) report(LMI_ENV_NAMES.rollingBatch, `one of ${ROLLING_BATCH.join(', ')}`);
  return problems;
}

export const lmiWellFormed: LmiRule = {
  id: 'lmi-well-formed',
  description: 'every LMI limit is a whole number ≥ 1, flags are true/false, GPU memory utilization is in (0, 1]',
  source: `${DJL}/engines/python/setup/djl_python/properties_manager/properties.py (pydantic int and enum fields); ${VLLM_CACHE} (gpu_memory_utilization gt=0, le=1)`,
  check: (start) => wellFormedProblems(start, lmiEffectiveEnv(start)),
};

/** A passthrough vLLM name next to the DJL name LMI always sets is refused (lmiVllmNameRefused: even an equal value). */
function conflictRule(id: string, vllmName: string, djlKey: 'tp' | 'maxRollingBatchSize', djlOption: string, vllmOption: string, line: number): LmiRule {
  return {
    id,
    description: `${vllmName} (vLLM's ${vllmOption}) is not set next to ${LMI_ENV_NAMES[djlKey]} (DJL's ${djlOption})`,
    source: `${VLLM_RB_PROPERTIES}#L${line} (handle_lmi_vllm_config_conflicts: "Both the DJL … and vLLM … configs have been set with conflicting values")`,
    check: (start) => {
      const e = lmiEffectiveEnv(start);
      const text = e.env[vllmName];
      if (!lmiVllmNameRefused(text)) return [];
      const vllm = e.whole(vllmName);
      const djlText = e.env[LMI_ENV_NAMES[djlKey]];
      const djl = djlKey === 'tp' && djlText?.trim() === 'max' ? start.gpus : e.whole(LMI_ENV_NAMES[djlKey]);
      const field = e.fieldOf(vllmName);
      const djlLabel = start.label(e.fieldOf(LMI_ENV_NAMES[djlKey]));
      const allowed = `allowed: remove ${vllmName} (LMI accepts only ${LMI_ENV_NAMES[djlKey]})`;
      const differs = vllm === undefined || Number.isNaN(vllm) || djl === undefined || Number.isNaN(djl) || vllm !== djl;
      return [
        problem(
          id,
          field,
          differs
            ? `${start.label(field)} ${text} disagrees with ${djlLabel} ${djl ?? djlText ?? 'unset'}: LMI refuses to start ("conflicting values"); ${allowed}`
            : `${start.label(field)} ${text} equals ${djlLabel} ${djl} but LMI still refuses to start ("conflicting values": it compares the string '${text}' with the integer ${djl}); ${allowed}`,
        ),
      ];
    },
  };
}

export const lmiTpSizeMatchesDegree = conflictRule('lmi-tp-size-matches-degree', VLLM_PASSTHROUGH_NAMES.tensorParallelSize, 'tp', 'tensor_parallel_degree', 'tensor_parallel_size', 206);
export const lmiMaxNumSeqsMatchesBatchSize = conflictRule('lmi-max-num-seqs-matches-batch-size', VLLM_PASSTHROUGH_NAMES.maxNumSeqs, 'maxRollingBatchSize', 'max_rolling_batch_size', 'max_num_seqs', 210);

export const vllmBatchedTokensCoverSeqs: LmiRule = {
  id: 'vllm-batched-tokens-cover-seqs',
  description: 'max_num_batched_tokens ≥ max_num_seqs (OPTION_MAX_ROLLING_BATCH_SIZE)',
  source: `${VLLM_SCHEDULER} (verify_max_model_len: "max_num_batched_tokens (…) must be greater than or equal to max_num_seqs (…)")`,
  check: (start) => {
    const v = vllmValues(start);
    if (v === undefined || v.batched === undefined) return [];
    // vLLM checks the model length first; this rule reports the other failure whatever the first says.
    if (vllmSchedulerViolation({ maxNumBatchedTokens: v.batched, maxNumSeqs: v.seqs, maxModelLen: v.modelLen, chunkedPrefill: true }) !== 'batched-below-seqs') return [];
    const field = v.e.fieldOf(v.batchedName);
    return [
      problem(
        'vllm-batched-tokens-cover-seqs',
        field,
        `${start.label(field)} ${v.batched} is below ${start.label(v.e.fieldOf(LMI_ENV_NAMES.maxRollingBatchSize))} ${v.seqs}: vLLM refuses to start; allowed ≥ ${v.seqs}`,
      ),
    ];
  },
};

export const vllmBatchedTokensCoverModelLen: LmiRule = {
  id: 'vllm-batched-tokens-cover-model-len',
  description: 'without chunked prefill, max_num_batched_tokens ≥ max_model_len',
  source: `${VLLM_SCHEDULER} (verify_max_model_len: "max_num_batched_tokens (…) is smaller than max_model_len (…)" when enable_chunked_prefill is off)`,
  check: (start) => {
    const v = vllmValues(start);
    if (v === undefined || v.batched === undefined) return [];
    if (vllmSchedulerViolation({ maxNumBatchedTokens: v.batched, maxNumSeqs: 1, maxModelLen: v.modelLen, chunkedPrefill: v.chunked }) !== 'batched-below-model-len') return [];
    const field = v.e.fieldOf(v.batchedName);
    return [
      problem(
        'vllm-batched-tokens-cover-model-len',
        field,
        `${start.label(field)} ${v.batched} is below ${start.label(v.e.fieldOf(LMI_ENV_NAMES.maxModelLen))} ${v.modelLen} with chunked prefill off: vLLM refuses to start; allowed ≥ ${v.modelLen}, or enable chunked prefill`,
      ),
    ];
  },
};

export const vllmModelLenWithinContext: LmiRule = {
  id: 'vllm-model-len-within-context',
  description: "max_model_len ≤ the model's context (max_position_embeddings)",
  source: `${VLLM_MODEL} (_get_and_verify_max_len: "User-specified max_model_len … is greater than the derived max_model_len")`,
  check: (start) => {
    const v = vllmValues(start);
    if (v === undefined || vllmModelLenAllowed(v.modelLen, start.model.contextTokens)) return [];
    const field = v.e.fieldOf(LMI_ENV_NAMES.maxModelLen);
    return [problem('vllm-model-len-within-context', field, `${start.label(field)} ${v.modelLen} exceeds ${start.model.id}'s context of ${start.model.contextTokens} tokens; allowed ≤ ${start.model.contextTokens}`)];
  },
};

/**
 * TENSOR_PARALLEL_DEGREE set through the environment (the typed TP is judged by the deployment's TP
 * rules): at most the GPUs the container sees, dividing the attention heads (vllm/config/model.py
 * verify_with_parallel_config: "Total number of attention heads (…) must be divisible by tensor
 * parallel size (…)"), and KV heads split or replicated evenly (vllm/model_executor/layers/linear.py
 * QKVParallelLinear: `divide(total_num_kv_heads, tp_size)` or `divide(tp_size, total_num_kv_heads)`).
 */
export const lmiTpDividesHeads: LmiRule = {
  id: 'lmi-tp-divides-heads',
  description: 'TENSOR_PARALLEL_DEGREE set through the environment fits the GPUs and divides the heads',
  source: `${VLLM_MODEL} (verify_with_parallel_config); https://github.com/vllm-project/vllm/blob/main/vllm/model_executor/layers/linear.py (QKVParallelLinear)`,
  check: (start) => {
    const e = lmiEffectiveEnv(start);
    const field = e.fieldOf(LMI_ENV_NAMES.tp);
    if (!field.startsWith('env.')) return [];
    const text = e.env[LMI_ENV_NAMES.tp] as string;
    const tp = text.trim() === 'max' ? start.gpus : e.whole(LMI_ENV_NAMES.tp);
    if (tp === undefined || Number.isNaN(tp)) return [];
    if (start.gpus !== undefined && !vllmWorldSizeFits(tp, start.gpus)) {
      return [problem('lmi-tp-divides-heads', field, `${start.label(field)} ${tp} exceeds the ${start.gpus} GPUs the container sees; allowed 1..${start.gpus}`)];
    }
    const { attentionHeads, kvHeads, id } = start.model;
    if (!vllmTpDividesAttentionHeads(tp, attentionHeads)) return [problem('lmi-tp-divides-heads', field, `${start.label(field)} ${tp} must divide ${id}'s ${attentionHeads} attention heads`)];
    const even = kvHeads >= tp ? kvHeads % tp === 0 : tp % kvHeads === 0;
    return even ? [] : [problem('lmi-tp-divides-heads', field, `${start.label(field)} ${tp} must divide ${id}'s ${kvHeads} KV heads (or be a multiple of them)`)];
  },
};

/** MAX_CONCURRENT_REQUESTS is copied to SERVING_JOB_QUEUE_SIZE only when that is unset: a differing value is silently ignored. */
export const lmiQueueSizeAgrees: LmiRule = {
  id: 'lmi-queue-size-agrees',
  description: 'MAX_CONCURRENT_REQUESTS and SERVING_JOB_QUEUE_SIZE agree when both are set',
  source: `${DJL}/serving/docker/dockerd-entrypoint-with-cuda-compat.sh#L49 (translateTGIToLMI keeps SERVING_JOB_QUEUE_SIZE when set)`,
  check: (start) => {
    const e = lmiEffectiveEnv(start);
    const mcr = e.whole(LMI_ENV_NAMES.maxConcurrentRequests);
    const queue = e.whole(LMI_ENV_NAMES.jobQueueSize);
    if (mcr === undefined || queue === undefined || Number.isNaN(mcr) || Number.isNaN(queue) || mcr === queue) return [];
    const field = e.fieldOf(LMI_ENV_NAMES.maxConcurrentRequests);
    return [
      problem(
        'lmi-queue-size-agrees',
        field,
        `${start.label(field)} ${mcr} would be ignored: the entrypoint keeps ${start.label(e.fieldOf(LMI_ENV_NAMES.jobQueueSize))} ${queue}; allowed: the same value, or leave ${LMI_ENV_NAMES.jobQueueSize} unset`,
      ),
    ];
  },
};

/** The documented constraint: the job queue holds at least a full batch, else the batch never fills. */
export const lmiQueueCoversBatch: LmiRule = {
  id: 'lmi-queue-covers-batch',
  description: 'the job queue (SERVING_JOB_QUEUE_SIZE, else MAX_CONCURRENT_REQUESTS) ≥ OPTION_MAX_ROLLING_BATCH_SIZE',
  source: `${DJL}/serving/docs/lmi/deployment_guide/configurations.md#L91 ("job_queue_size should be set to a value equal or higher to this value"); starting-guide.md line 100`,
  check: (start) => {
    const v = vllmValues(start);
    if (v === undefined) return [];
    const name = v.e.env[LMI_ENV_NAMES.jobQueueSize] !== undefined ? LMI_ENV_NAMES.jobQueueSize : LMI_ENV_NAMES.maxConcurrentRequests;
    const queue = v.e.whole(name);
    if (queue === undefined || queue >= v.seqs) return [];
    const field = v.e.fieldOf(name);
    return [
      problem(
        'lmi-queue-covers-batch',
        field,
        `${start.label(field)} ${queue} is below ${start.label(v.e.fieldOf(LMI_ENV_NAMES.maxRollingBatchSize))} ${v.seqs}: the running batch could never fill; allowed ≥ ${v.seqs}`,
      ),
    ];
  },
};

/** The LMI start rules, in reporting order. */
export const LMI_START_RULES: readonly LmiRule[] = [
  lmiWellFormed,
  lmiTpSizeMatchesDegree,
  lmiMaxNumSeqsMatchesBatchSize,
  vllmBatchedTokensCoverSeqs,
  vllmBatchedTokensCoverModelLen,
  vllmModelLenWithinContext,
  lmiTpDividesHeads,
  lmiQueueSizeAgrees,
  lmiQueueCoversBatch,
];

/** Every problem of an LMI container start, in rule order. */
export function checkLmiContainerStart(start: LmiContainerStart, rules: readonly LmiRule[] = LMI_START_RULES): LmiProblem[] {
  return rules.flatMap((rule) => [...(rule.check(start) ?? [])]);
}
