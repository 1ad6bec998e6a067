import type { InstanceTypeSpec, ModelSpec, TgiSettings } from '../../../lib/catalog/types';
import { kvCapacityTokens } from '../../../lib/planner/memory';
import { pingFailureReason } from './ping-failure';

/**
 * Container-start judge: what the Hugging Face LLM DLC (TGI) does with a container environment
 * when SageMaker starts it. An independent emulation of the launcher's argument rules, read from
 * the TGI source at the tag of the image (not from this project's own validation):
 *
 *   sagemaker-entrypoint.sh@v2.3.1                         SM_NUM_GPUS → NUM_SHARD, HF_MODEL_QUANTIZE → QUANTIZE, HF_MODEL_ID required
 *   launcher/src/main.rs@v2.3.1 (Args, lines 370–505)     clap `#[clap(long, env)]`: each argument read from its UPPER_SNAKE env var
 *   launcher/src/main.rs@v2.3.1 (main, lines 1620–1770)   defaults and ArgumentValidation checks, in this order
 *   launcher/src/main.rs@v2.3.1 (find_num_shards, 1072)   shard count
 *   server/text_generation_server/utils/dist.py@v2.3.1:52  `assert WORLD_SIZE <= torch.cuda.device_count(), "Each process is one gpu"`
 *   backends/v3/src/lib.rs@v2.3.1 (connect_backend)       warm-up: flash-attention models size the batch from free memory,
 *                                                          ignore MAX_BATCH_TOTAL_TOKENS, and fail with NotEnoughMemory when
 *                                                          max_total_tokens exceeds it
 * (huggingface/text-generation-inference; the same input-name check is in v2.0.0 and v3.3.7).
 *
 * The free memory at warm-up comes from the planner's memory model (kvCapacityTokens).
 */

/** TGI versions whose launcher rules this module holds (the tag the catalog's image pins). */
export const LAUNCHER_RULE_VERSIONS = ['2.3.1'] as const;
export type LauncherRuleVersion = (typeof LAUNCHER_RULE_VERSIONS)[number];

/** What the container sees besides its environment. */
export interface ContainerHost {
  readonly model: ModelSpec;
  readonly instance: InstanceTypeSpec;
  /** GPUs visible to the container: the instance's for a variant, NumberOfAcceleratorDevicesRequired for a component. */
  readonly visibleGpus: number;
}

export type ContainerStart =
  | {
      readonly started: true;
      readonly version: LauncherRuleVersion;
      /** Settings the running server uses (what /info reports). */
      readonly settings: TgiSettings;
      readonly numShard: number;
      /** Launcher warnings (e.g. MAX_BATCH_TOTAL_TOKENS ignored by flash attention). */
      readonly warnings: readonly string[];
    }
  | {
      readonly started: false;
      readonly version: LauncherRuleVersion;
      /** The line the container's log ends with, as TGI prints it. */
      readonly message: string;
      /** Which stage stopped it. */
      readonly stage: 'entrypoint' | 'arguments' | 'shard-start' | 'warm-up';
    };

/** TGI version of a Hugging Face LLM DLC image URI (`…:2.4.0-tgi2.3.1-gpu-…`), or undefined. */
export function tgiVersionOfImage(image: string): string | undefined {
  return /[:-]tgi(\d+\.\d+\.\d+)/.exec(image)?.[1];
}

function ruleVersion(image: string): LauncherRuleVersion {
  const version = tgiVersionOfImage(image);
  const known = LAUNCHER_RULE_VERSIONS.find((v) => v === version);
  if (known === undefined) {
    throw new Error(
      `container-start judge: no TGI launcher rules for image '${image}' (TGI ${version ?? 'version unknown'}); rules are held for TGI ${LAUNCHER_RULE_VERSIONS.join(', ')}`,
    );
  }
  return known;
}

/** Rust's `Error: ArgumentValidation("…")`: main returns Err, printed with Debug formatting. */
function argumentError(text: string): string {
  return `Error: ArgumentValidation(${JSON.stringify(text)})`;
}

/**
 * clap's parse of an unsigned integer argument from its env var; a bad value exits with clap's
 * message (`error: invalid value 'x' for '--max-input-tokens <MAX_INPUT_TOKENS>': invalid digit found in string`).
 */
function readUnsigned(env: Readonly<Record<string, string>>, name: string): number | undefined | { error: string } {
  const raw = env[name];
  if (raw === undefined) return undefined;
  if (!/^\+?\d+$/.test(raw)) {
    const flag = `--${name.toLowerCase().replace(/_/g, '-')}`;
    const why = raw === '' ? 'cannot parse integer from empty string' : 'invalid digit found in string';
    return { error: `error: invalid value '${raw}' for '${flag} <${name}>': ${why}` };
  }
  return Number(raw);
}

/** The entrypoint's renames (sagemaker-entrypoint.sh@v2.3.1). */
function launcherEnv(env: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = { ...env };
  if (env.HF_MODEL_ID !== undefined) out.MODEL_ID = env.HF_MODEL_ID;
  if (env.SM_NUM_GPUS !== undefined && env.SM_NUM_GPUS !== '') out.NUM_SHARD = env.SM_NUM_GPUS;
  if (env.HF_MODEL_QUANTIZE !== undefined && env.HF_MODEL_QUANTIZE !== '') out.QUANTIZE = env.HF_MODEL_QUANTIZE;
  return out;
}

/**
 * Starts the container environment `env` of image `image` on `host` as TGI would: the launcher's
 * argument checks, the shards and the warm-up. Throws only when no rules are held for the image.
 */
export function judgeContainerStart(image: string, env: Readonly<Record<string, string>>, host: ContainerHost): ContainerStart {
  const version = ruleVersion(image);
  const fail = (stage: Extract<ContainerStart, { started: false }>['stage'], message: string): ContainerStart => ({ started: false, version, message, stage });
  if (env.HF_MODEL_ID === undefined || env.HF_MODEL_ID === '') return fail('entrypoint', 'HF_MODEL_ID must be set');
  const e = launcherEnv(env);

  const names = ['MAX_INPUT_TOKENS', 'MAX_INPUT_LENGTH', 'MAX_TOTAL_TOKENS', 'MAX_BATCH_PREFILL_TOKENS', 'MAX_BATCH_TOTAL_TOKENS', 'MAX_BATCH_SIZE', 'MAX_CONCURRENT_REQUESTS', 'NUM_SHARD', 'VALIDATION_WORKERS'] as const;
  const read: Partial<Record<(typeof names)[number], number>> = {};
  for (const name of names) {
    const value = readUnsigned(e, name);
    if (typeof value === 'object') return fail('arguments', value.error);
    if (value !== undefined) read[name] = value;
  }

  // max_position_embeddings of the model config, capped at 4096 when larger (main.rs: `max_default`).
  const maxDefault = 4096;
  const maxPositionEmbeddings = host.model.contextTokens > maxDefault ? maxDefault : host.model.contextTokens;

  if (read.MAX_INPUT_TOKENS !== undefined && read.MAX_INPUT_LENGTH !== undefined) {
    return fail(
      'arguments',
      argumentError(
        `Both \`max_input_tokens\` (${read.MAX_INPUT_TOKENS}) and \`max_input_length\` (${read.MAX_INPUT_LENGTH}) are set. Please define only \`max_input_tokens\` as \`max_input_length is deprecated for naming consistency.`,
      ),
    );
  }
  const maxInputTokens = read.MAX_INPUT_TOKENS ?? read.MAX_INPUT_LENGTH ?? maxPositionEmbeddings - 1;
  const maxTotalTokens = read.MAX_TOTAL_TOKENS ?? maxPositionEmbeddings;
  const maxBatchPrefillTokens = read.MAX_BATCH_PREFILL_TOKENS ?? (read.MAX_BATCH_SIZE !== undefined ? read.MAX_BATCH_SIZE * maxInputTokens : maxInputTokens + 50);

  if (maxInputTokens >= maxTotalTokens) return fail('arguments', argumentError('`max_input_tokens must be < `max_total_tokens`'));
  if (maxInputTokens > maxBatchPrefillTokens) {
    return fail('arguments', argumentError(`\`max_batch_prefill_tokens\` must be >= \`max_input_tokens\`. Given: ${maxBatchPrefillTokens} and ${maxInputTokens}`));
  }
  if (read.VALIDATION_WORKERS === 0) return fail('arguments', argumentError('`validation_workers` must be > 0'));

  const sharded = e.SHARDED === undefined ? undefined : e.SHARDED === 'true';
  let numShard: number;
  if (sharded === true && read.NUM_SHARD === undefined) {
    if (host.visibleGpus <= 1) return fail('arguments', `Error: NotEnoughCUDADevices("\`sharded\` is true but only found ${host.visibleGpus} CUDA devices")`);
    numShard = host.visibleGpus;
  } else if (sharded === true && read.NUM_SHARD !== undefined && read.NUM_SHARD <= 1) {
    return fail('arguments', argumentError('`sharded` is true but `num_shard` <= 1'));
  } else if (sharded === false && read.NUM_SHARD === undefined) {
    numShard = 1;
  } else {
    // (None, None): num_cuda_devices() counts CUDA_VISIBLE_DEVICES / NVIDIA_VISIBLE_DEVICES, taken as
    // the GPUs the container sees (an assumption: SageMaker's runtime sets them; the DLC always sets SM_NUM_GPUS here).
    numShard = read.NUM_SHARD ?? host.visibleGpus;
  }
  if (numShard < 1) return fail('arguments', argumentError('`num_shard` cannot be < 1'));

  if (read.MAX_BATCH_TOTAL_TOKENS !== undefined) {
    if (maxBatchPrefillTokens > read.MAX_BATCH_TOTAL_TOKENS) {
      return fail('arguments', argumentError(`\`max_batch_prefill_tokens\` must be <= \`max_batch_total_tokens\`. Given: ${maxBatchPrefillTokens} and ${read.MAX_BATCH_TOTAL_TOKENS}`));
    }
    if (maxTotalTokens > read.MAX_BATCH_TOTAL_TOKENS) {
      return fail('arguments', argumentError(`\`max_total_tokens\` must be <= \`max_batch_total_tokens\`. Given: ${maxTotalTokens} and ${read.MAX_BATCH_TOTAL_TOKENS}`));
    }
  }

  // Shards: one process per GPU (dist.py asserts WORLD_SIZE <= device_count); the launcher reports the first that dies.
  if (numShard > host.visibleGpus) {
    return fail('shard-start', `AssertionError: Each process is one gpu (NUM_SHARD ${numShard} > ${host.visibleGpus} visible GPU${host.visibleGpus === 1 ? '' : 's'}); Shard 0 failed to start; Error: ShardCannotStart`);
  }
  const capacity = kvCapacityTokens(host.model, host.instance, numShard);
  if (capacity <= 0) {
    return fail('shard-start', `torch.OutOfMemoryError: CUDA out of memory (weights of ${host.model.id} over ${numShard} × ${host.instance.accelerator.memoryGB} GB); Shard 0 failed to start; Error: ShardCannotStart`);
  }
  // Warm-up: the supported batch total is what fits in free memory; max_total_tokens must fit in it.
  if (maxTotalTokens > capacity) {
    return fail('warm-up', `Error: Backend(NotEnoughMemory(${maxTotalTokens})): Not enough memory to handle \`max_total_tokens=${maxTotalTokens}\``);
  }
  const warnings: string[] = [];
  if (read.MAX_BATCH_TOTAL_TOKENS !== undefined) {
    warnings.push('`--max-batch-total-tokens` is deprecated for Flash Attention models.', `Inferred max batch total tokens: ${capacity}`);
  }
  const settings: TgiSettings = {
    maxInputTokens,
    maxTotalTokens,
    maxBatchPrefillTokens,
    // Flash attention: the batch budget is what warm-up found free, whatever MAX_BATCH_TOTAL_TOKENS says.
    maxConcurrentRequests: read.MAX_CONCURRENT_REQUESTS ?? 128,
  };
  return { started: true, version, settings, numShard, warnings };
}

/** DescribeEndpoint's FailureReason for a TGI container that exits before answering /ping. */
export function containerFailureReason(variantName: string, start: Extract<ContainerStart, { started: false }>): string {
  return pingFailureReason(variantName, `TGI ${start.version} ${start.stage}`, start.message);
}
