import { LMI_CONTAINER_DEFAULTS } from '../../../lib/catalog/lmi-defaults';
import type { LmiRollingBatch, LmiSettings, ModelSpec } from '../../../lib/catalog/types';
import {
  gpuMemoryUtilizationAllowed,
  LMI_DTYPE_VALUES,
  LMI_ROLLING_BATCH_VALUES,
  lmiVllmNameRefused,
  vllmModelLenAllowed,
  vllmSchedulerViolation,
  vllmTpDividesAttentionHeads,
  vllmWorldSizeFits,
} from '../../../lib/planner/deployment-shape/lmi-start-conditions';
import { pingFailureReason } from './ping-failure';

/**
 * Container-start judge for the LMI image (djl-inference, vLLM async engine): what the container
 * does with its environment when SageMaker starts it, in the container's order, with the messages
 * its log ends with. The conditions are shared with the synth-time rules
 * (lib/planner/deployment-shape/lmi-start-conditions.ts, sources there); the reading of the
 * environment and the messages are the container's:
 *
 *   LmiConfigRecommender.java@0.36.0-lmi27-dlc      TENSOR_PARALLEL_DEGREE (default `max` = the GPUs the container sees,
 *                                                   ÷ PIPELINE_PARALLEL_DEGREE), option.rolling_batch `auto` → `disable` with the
 *                                                   vLLM async service, `lmi-dist` → `vllm`; max_rolling_batch_size default 32 (256 for `vllm`)
 *   ModelInfo.java@0.36.0-lmi27-dlc (lines 900-912) OPTION_X → option.x
 *   vllm_async_service.py@0.36.0-lmi27-dlc (88-134) HuggingFaceProperties, then VllmRbProperties (pydantic), then get_engine_args
 *   properties.py / hf_properties.py / vllm_rb_properties.py@0.36.0-lmi27-dlc   int and enum fields, dtype, pipeline
 *                                                   parallelism, vLLM names next to DJL names (handle_lmi_vllm_config_conflicts)
 *   vLLM create_engine_config                       ModelConfig (max_model_len), CacheConfig (gpu_memory_utilization),
 *                                                   ParallelConfig (world size vs GPUs), SchedulerConfig (max_num_batched_tokens),
 *                                                   ModelConfig.verify_with_parallel_config (attention heads)
 *
 * Pydantic's messages follow pydantic v2's ValidationError format; where several fields are wrong
 * the first is reported. Not judged: unknown OPTION_ names (LMI passes only names vLLM's EngineArgs
 * declares and drops the rest silently: get_additional_vllm_engine_args), vLLM's default
 * max_num_batched_tokens when unset, KV-head divisibility and memory at weight load.
 */

/** LMI versions whose rules this module holds (the image the catalog pins: 0.36.0-lmi27.0.0). */
export const LMI_RULE_VERSIONS = ['27.0.0'] as const;
export type LmiRuleVersion = (typeof LMI_RULE_VERSIONS)[number];

export interface LmiHost {
  readonly model: ModelSpec;
  /** GPUs visible to the container: the instance's for a variant, NumberOfAcceleratorDevicesRequired for a component. */
  readonly visibleGpus: number;
}

export type LmiStage = 'front-end' | 'properties' | 'engine-args' | 'engine-config';

export type LmiContainerStart =
  | {
      readonly started: true;
      readonly version: LmiRuleVersion;
      /** tensor_parallel_degree the engine runs with. */
      readonly tp: number;
      /** The settings the running server uses. */
      readonly settings: LmiSettings;
      readonly warnings: readonly string[];
    }
  | {
      readonly started: false;
      readonly version: LmiRuleVersion;
      /** The container's last log line. */
      readonly message: string;
      readonly stage: LmiStage;
    };

/** LMI version of a djl-inference image URI (`…:0.36.0-lmi27.0.0-cu130`), or undefined. */
export function lmiVersionOfImage(image: string): string | undefined {
  return /[:-]lmi(\d+\.\d+\.\d+)(?:-|$)/.exec(image)?.[1];
}

function ruleVersion(image: string): LmiRuleVersion {
  const version = lmiVersionOfImage(image);
  const known = LMI_RULE_VERSIONS.find((v) => v === version);
  if (known === undefined) {
    throw new Error(`container-start judge: no LMI rules for image '${image}' (LMI ${version ?? 'version unknown'}); rules are held for LMI ${LMI_RULE_VERSIONS.join(', ')}`);
  }
  return known;
}

const INT = /^\s*[+-]?\d+\s*$/;

/** pydantic v2's ValidationError, one error. */
function pydanticError(model: string, loc: string | undefined, msg: string, type: string, input: string): string {
  return `pydantic_core._pydantic_core.ValidationError: 1 validation error for ${model}\n${loc !== undefined ? `${loc}\n` : ''}  ${msg} [type=${type}, input_value=${input}, input_type=${input.startsWith("'") ? 'str' : input.startsWith('ArgsKwargs') ? 'ArgsKwargs' : 'float'}]`;
}

const quoted = (text: string): string => `'${text}'`;

/** A vLLM config's ValueError raised in its __post_init__, as pydantic wraps it. */
function configValueError(config: string, message: string): string {
  return pydanticError(config, undefined, `Value error, ${message}`, 'value_error', 'ArgsKwargs((), {…})');
}

/**
 * Starts the container environment `env` of image `image` on `host` as LMI would. Throws only when
 * no rules are held for the image.
 */
export function judgeLmiContainerStart(image: string, env: Readonly<Record<string, string>>, host: LmiHost): LmiContainerStart {
  const version = ruleVersion(image);
  const fail = (stage: LmiStage, message: string): LmiContainerStart => ({ started: false, version, stage, message });
  const warnings: string[] = [];
  const option = (name: string): string | undefined => env[`OPTION_${name.toUpperCase()}`];

  // Front end (LmiConfigRecommender.configure).
  let rollingBatch = option('rolling_batch') ?? 'auto';
  if (rollingBatch === 'lmi-dist') {
    warnings.push('lmi-dist has been removed in DJL Serving 0.33.0. We recommend using vllm which serves as a drop-in replacement for most use-cases. Overriding specified rolling batch of lmi-dist to vllm');
    rollingBatch = 'vllm';
  }
  // `auto` on the vLLM image: the async service, rolling batch `disable` (setRollingBatch, SERVING_FEATURES contains vllm).
  const resolvedRollingBatch = rollingBatch === 'auto' ? 'disable' : rollingBatch;
  const ppText = option('pipeline_parallel_degree') ?? env.PIPELINE_PARALLEL_DEGREE ?? '1';
  let tpText = option('tensor_parallel_degree') ?? env.TENSOR_PARALLEL_DEGREE ?? LMI_CONTAINER_DEFAULTS.tensorParallelDegree;
  if (tpText === 'max') {
    if (!INT.test(ppText)) return fail('front-end', `java.lang.NumberFormatException: For input string: "${ppText}"`);
    tpText = String(Math.floor(host.visibleGpus / Number(ppText)));
  }
  // setRollingBatchSize: 256 for rolling_batch vllm or trtllm, else 32 (lib/catalog/lmi-defaults.ts, lines cited there).
  const seqsText =
    option('max_rolling_batch_size') ??
    String(resolvedRollingBatch === 'vllm' || resolvedRollingBatch === 'trtllm' ? LMI_CONTAINER_DEFAULTS.maxRollingBatchSizeDocumented : LMI_CONTAINER_DEFAULTS.maxRollingBatchSizeAsync);

  // Properties: HuggingFaceProperties(**properties), then VllmRbProperties(**properties).
  if (!(LMI_ROLLING_BATCH_VALUES as readonly string[]).includes(resolvedRollingBatch)) {
    const allowed = LMI_ROLLING_BATCH_VALUES.map(quoted);
    return fail('properties', pydanticError('HuggingFaceProperties', 'rolling_batch', `Input should be ${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1) ?? ''}`, 'enum', quoted(resolvedRollingBatch)));
  }
  for (const [field, text] of [
    ['tensor_parallel_degree', tpText],
    ['pipeline_parallel_degree', ppText],
    ['max_rolling_batch_size', seqsText],
  ] as const) {
    if (!INT.test(text)) return fail('properties', pydanticError('HuggingFaceProperties', field, 'Input should be a valid integer, unable to parse string as an integer', 'int_parsing', quoted(text)));
  }
  const batchedName = option('max_rolling_batch_prefill_tokens') !== undefined ? 'max_rolling_batch_prefill_tokens' : 'max_num_batched_tokens';
  const batchedText = option(batchedName);
  if (batchedText !== undefined && !INT.test(batchedText)) {
    return fail('properties', pydanticError('VllmRbProperties', batchedName, 'Input should be a valid integer, unable to parse string as an integer', 'int_parsing', quoted(batchedText)));
  }
  const dtype = option('dtype') ?? 'auto';
  if (!(LMI_DTYPE_VALUES as readonly string[]).includes(dtype)) {
    const keys = LMI_DTYPE_VALUES.map(quoted).join(', ');
    return fail('properties', pydanticError('VllmRbProperties', 'dtype', `Value error, Invalid dtype=${dtype} provided. Must be one of dict_keys([${keys}])`, 'value_error', quoted(dtype)));
  }
  const tp = Number(tpText);
  const pp = Number(ppText);
  const seqs = Number(seqsText);
  if (pp !== 1) {
    return fail('properties', pydanticError('VllmRbProperties', undefined, "Value error, Pipeline parallelism is not supported in vLLM's LLMEngine used in rolling_batch implementation", 'value_error', '{…}'));
  }

  // get_engine_args: vLLM names next to DJL names (handle_lmi_vllm_config_conflicts, in its order).
  for (const [djlName, djlValue, vllmName] of [
    ['tensor_parallel_degree', tp, 'tensor_parallel_size'],
    ['pipeline_parallel_degree', pp, 'pipeline_parallel_size'],
    ['max_rolling_batch_size', seqs, 'max_num_seqs'],
  ] as const) {
    const vllmValue = option(vllmName);
    if (lmiVllmNameRefused(vllmValue)) {
      return fail(
        'engine-args',
        `ValueError: Both the DJL ${djlValue}=${djlValue} and vLLM ${vllmName}=${vllmValue} configs have been set with conflicting values.We currently only accept the DJL config ${djlName}, please remove the vllm ${vllmName} configuration.`,
      );
    }
  }
  const utilizationText = option('gpu_memory_utilization');
  if (utilizationText !== undefined && Number.isNaN(Number(utilizationText))) {
    return fail('engine-args', `error: argument --gpu-memory-utilization: invalid float value: ${quoted(utilizationText)}`);
  }

  // vLLM's engine config: model, cache, parallel, scheduler, then the model against the parallel config.
  const modelLenText = option('max_model_len');
  const maxModelLen = modelLenText !== undefined && INT.test(modelLenText) ? Number(modelLenText) : host.model.contextTokens;
  const allowLong = ['1', 'true'].includes((env.VLLM_ALLOW_LONG_MAX_MODEL_LEN ?? '').trim().toLowerCase());
  if (!vllmModelLenAllowed(maxModelLen, host.model.contextTokens, allowLong)) {
    return fail(
      'engine-config',
      configValueError(
        'ModelConfig',
        `User-specified max_model_len (${maxModelLen}) is greater than the derived max_model_len (max_position_embeddings=${host.model.contextTokens} or model_max_length=None in model's config.json). To allow overriding this maximum, set the env var VLLM_ALLOW_LONG_MAX_MODEL_LEN=1. VLLM_ALLOW_LONG_MAX_MODEL_LEN must be used with extreme caution. If the model uses relative position encoding (RoPE), positions exceeding derived_max_model_len lead to nan. If the model uses absolute position encoding, positions exceeding derived_max_model_len will cause a CUDA array out-of-bounds error.`,
      ),
    );
  }
  if (maxModelLen > host.model.contextTokens) warnings.push(`User-specified max_model_len (${maxModelLen}) is greater than the derived max_model_len (VLLM_ALLOW_LONG_MAX_MODEL_LEN is set)`);
  const utilization = utilizationText === undefined ? undefined : Number(utilizationText);
  if (utilization !== undefined && !gpuMemoryUtilizationAllowed(utilization)) {
    const [msg, type] = utilization > 1 ? ['Input should be less than or equal to 1', 'less_than_equal'] : ['Input should be greater than 0', 'greater_than'];
    return fail('engine-config', pydanticError('CacheConfig', 'gpu_memory_utilization', msg, type, String(utilization)));
  }
  const worldSize = tp * pp;
  if (!vllmWorldSizeFits(worldSize, host.visibleGpus)) {
    return fail(
      'engine-config',
      configValueError(
        'ParallelConfig',
        `World size (${worldSize}) is larger than the number of available GPUs (${host.visibleGpus}) in this node. If this is intentional and you are using:\n- ray, set '--distributed-executor-backend ray'.\n- multiprocessing, set '--nnodes' appropriately.`,
      ),
    );
  }
  const chunkedPrefill = (option('enable_chunked_prefill') ?? 'true').trim().toLowerCase() === 'true';
  const maxNumBatchedTokens = batchedText === undefined ? undefined : Number(batchedText);
  if (maxNumBatchedTokens !== undefined) {
    const violation = vllmSchedulerViolation({ maxNumBatchedTokens, maxNumSeqs: seqs, maxModelLen, chunkedPrefill });
    if (violation === 'batched-below-model-len') {
      return fail(
        'engine-config',
        configValueError(
          'SchedulerConfig',
          `max_num_batched_tokens (${maxNumBatchedTokens}) is smaller than max_model_len (${maxModelLen}). This effectively limits the maximum sequence length to max_num_batched_tokens and makes vLLM reject longer sequences. Please increase max_num_batched_tokens or decrease max_model_len.`,
        ),
      );
    }
    if (violation === 'batched-below-seqs') {
      return fail('engine-config', configValueError('SchedulerConfig', `max_num_batched_tokens (${maxNumBatchedTokens}) must be greater than or equal to max_num_seqs (${seqs}).`));
    }
  }
  if (!vllmTpDividesAttentionHeads(tp, host.model.attentionHeads)) {
    return fail('engine-config', `ValueError: Total number of attention heads (${host.model.attentionHeads}) must be divisible by tensor parallel size (${tp}).`);
  }

  const queueText = env.SERVING_JOB_QUEUE_SIZE ?? env.MAX_CONCURRENT_REQUESTS;
  const jobQueue = queueText !== undefined && INT.test(queueText) ? Number(queueText) : LMI_CONTAINER_DEFAULTS.jobQueueSize;
  const servedRollingBatch: LmiRollingBatch = rollingBatch === 'vllm' || rollingBatch === 'disable' ? rollingBatch : 'auto';
  const optionalBoolean = (name: string): boolean | undefined => {
    const text = option(name)?.trim().toLowerCase();
    return text === undefined ? undefined : text === 'true';
  };
  const prefixCaching = optionalBoolean('enable_prefix_caching');
  const settings: LmiSettings = {
    rollingBatch: servedRollingBatch,
    maxRollingBatchSize: seqs,
    maxModelLen,
    maxConcurrentRequests: jobQueue,
    ...(maxNumBatchedTokens !== undefined ? { maxNumBatchedTokens } : {}),
    ...(utilization !== undefined ? { gpuMemoryUtilization: utilization } : {}),
    ...(option('enable_chunked_prefill') !== undefined ? { enableChunkedPrefill: chunkedPrefill } : {}),
    ...(prefixCaching !== undefined ? { enablePrefixCaching: prefixCaching } : {}),
  };
  return { started: true, version, tp, settings, warnings };
}

/** DescribeEndpoint's FailureReason for an LMI container that exits before answering /ping. */
export function lmiFailureReason(variantName: string, start: Extract<LmiContainerStart, { started: false }>): string {
  return pingFailureReason(variantName, `LMI ${start.version} ${start.stage}`, start.message);
}
