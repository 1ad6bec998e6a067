import { getModel } from '../../lib/catalog';
import { LMI_DEFAULT_RELEASE, LMI_REPOSITORY } from '../../lib/catalog/lmi-images';
import { judgeLmiContainerStart, lmiFailureReason, lmiVersionOfImage, type LmiContainerStart } from '../../loadtest/local/judges/lmi-launcher';

/** Rules of djl-serving 0.36.0-lmi27-dlc and vLLM (sources in lib/planner/deployment-shape/lmi-start-conditions.ts); messages as the container logs them. */
const IMAGE = `763104351884.dkr.ecr.us-east-1.amazonaws.com/${LMI_REPOSITORY}:${LMI_DEFAULT_RELEASE.tag}`;
/** llama-3-1-8b: 32 attention heads, 131,072-token context; the container sees 4 GPUs. */
const host = { model: getModel('llama-3-1-8b'), visibleGpus: 4 };
const BASE: Record<string, string> = {
  HF_MODEL_ID: '/opt/ml/model',
  TENSOR_PARALLEL_DEGREE: '4',
  OPTION_ROLLING_BATCH: 'auto',
  OPTION_MAX_ROLLING_BATCH_SIZE: '128',
  OPTION_MAX_MODEL_LEN: '4096',
  MAX_CONCURRENT_REQUESTS: '1000',
};

function judge(change: Record<string, string | undefined>, h = host): LmiContainerStart {
  const env = Object.fromEntries(Object.entries({ ...BASE, ...change }).filter((e): e is [string, string] => e[1] !== undefined));
  return judgeLmiContainerStart(IMAGE, env, h);
}

function failure(change: Record<string, string | undefined>, h = host): string {
  const start = judge(change, h);
  if (start.started) throw new Error('expected the container to exit');
  return start.message;
}

function starts(change: Record<string, string | undefined>, h = host): Extract<LmiContainerStart, { started: true }> {
  const start = judge(change, h);
  if (!start.started) throw new Error(`expected the container to start, got: ${start.message}`);
  return start;
}

describe('LMI container-start judge (LMI 27.0.0 rules)', () => {
  it('reads the LMI version of the catalog-pinned image and refuses images it has no rules for', () => {
    expect(lmiVersionOfImage(IMAGE)).toBe('27.0.0');
    expect(() => judgeLmiContainerStart('x/djl-inference:0.33.0-lmi15.0.0-cu128', BASE, host)).toThrow('no LMI rules');
  });

  it('starts a valid environment with the settings the template gives it', () => {
    expect(starts({})).toMatchObject({ tp: 4, settings: { rollingBatch: 'auto', maxRollingBatchSize: 128, maxModelLen: 4096, maxConcurrentRequests: 1000 }, warnings: [] });
    // TENSOR_PARALLEL_DEGREE defaults to `max`: the GPUs the container sees; the batch to 32; the length to the model's context.
    expect(starts({ TENSOR_PARALLEL_DEGREE: undefined, OPTION_MAX_ROLLING_BATCH_SIZE: undefined, OPTION_MAX_MODEL_LEN: undefined })).toMatchObject({
      tp: 4,
      settings: { maxRollingBatchSize: 32, maxModelLen: 131072 },
    });
    // setRollingBatchSize: 256 for rolling_batch vllm (LmiConfigRecommender.java lines 117-136); the job queue 1000 (configurations.md line 86).
    expect(starts({ OPTION_ROLLING_BATCH: 'vllm', OPTION_MAX_ROLLING_BATCH_SIZE: undefined }).settings.maxRollingBatchSize).toBe(256);
    expect(starts({ MAX_CONCURRENT_REQUESTS: undefined }).settings.maxConcurrentRequests).toBe(1000);
    expect(starts({ OPTION_ROLLING_BATCH: 'lmi-dist' }).warnings[0]).toMatch(/lmi-dist has been removed in DJL Serving 0\.33\.0/);
  });

  it('front end: PIPELINE_PARALLEL_DEGREE is parsed as an integer when TP is max', () => {
    expect(starts({ TENSOR_PARALLEL_DEGREE: 'max', PIPELINE_PARALLEL_DEGREE: '1' }).tp).toBe(4);
    expect(failure({ TENSOR_PARALLEL_DEGREE: 'max', PIPELINE_PARALLEL_DEGREE: 'one' })).toBe('java.lang.NumberFormatException: For input string: "one"');
  });

  it('properties: rolling_batch is one of RollingBatchEnum', () => {
    expect(starts({ OPTION_ROLLING_BATCH: 'vllm' }).settings.rollingBatch).toBe('vllm');
    expect(failure({ OPTION_ROLLING_BATCH: 'tgi' })).toBe(
      "pydantic_core._pydantic_core.ValidationError: 1 validation error for HuggingFaceProperties\nrolling_batch\n  Input should be 'vllm', 'auto', 'disable' or 'trtllm' [type=enum, input_value='tgi', input_type=str]",
    );
  });

  it('properties: integer fields parse as integers', () => {
    expect(failure({ TENSOR_PARALLEL_DEGREE: 'four' })).toMatch(/1 validation error for HuggingFaceProperties\ntensor_parallel_degree\n {2}Input should be a valid integer, unable to parse string as an integer \[type=int_parsing, input_value='four'/);
    expect(failure({ OPTION_MAX_ROLLING_BATCH_SIZE: '1e3' })).toMatch(/max_rolling_batch_size\n {2}Input should be a valid integer/);
    expect(starts({ OPTION_MAX_NUM_BATCHED_TOKENS: '8192' }).settings.maxNumBatchedTokens).toBe(8192);
    expect(failure({ OPTION_MAX_NUM_BATCHED_TOKENS: 'lots' })).toMatch(/1 validation error for VllmRbProperties\nmax_num_batched_tokens\n {2}Input should be a valid integer/);
  });

  it('properties: dtype is a DTYPE_MAPPER key', () => {
    expect(starts({ OPTION_DTYPE: 'bf16' }).started).toBe(true);
    expect(failure({ OPTION_DTYPE: 'fp8' })).toContain("Value error, Invalid dtype=fp8 provided. Must be one of dict_keys(['float32', 'fp32', 'float16', 'fp16', 'bfloat16', 'bf16', 'auto'])");
  });

  it('properties: no pipeline parallelism', () => {
    expect(starts({ PIPELINE_PARALLEL_DEGREE: '1' }).started).toBe(true);
    expect(failure({ TENSOR_PARALLEL_DEGREE: '2', PIPELINE_PARALLEL_DEGREE: '2' })).toContain("Value error, Pipeline parallelism is not supported in vLLM's LLMEngine used in rolling_batch implementation");
  });

  it('engine args: a vLLM name next to the DJL one is refused, even at the same value', () => {
    expect(failure({ OPTION_TENSOR_PARALLEL_SIZE: '2' })).toBe(
      'ValueError: Both the DJL 4=4 and vLLM tensor_parallel_size=2 configs have been set with conflicting values.We currently only accept the DJL config tensor_parallel_degree, please remove the vllm tensor_parallel_size configuration.',
    );
    expect(failure({ OPTION_MAX_NUM_SEQS: '128' })).toContain('Both the DJL 128=128 and vLLM max_num_seqs=128 configs have been set with conflicting values.');
  });

  it('engine config: max_model_len within the model context, unless VLLM_ALLOW_LONG_MAX_MODEL_LEN', () => {
    expect(starts({ OPTION_MAX_MODEL_LEN: '131072' }).settings.maxModelLen).toBe(131072);
    expect(failure({ OPTION_MAX_MODEL_LEN: '131073' })).toMatch(
      /^pydantic_core\._pydantic_core\.ValidationError: 1 validation error for ModelConfig\n {2}Value error, User-specified max_model_len \(131073\) is greater than the derived max_model_len \(max_position_embeddings=131072 or model_max_length=None in model's config\.json\)\. To allow overriding this maximum, set the env var VLLM_ALLOW_LONG_MAX_MODEL_LEN=1\./,
    );
    expect(starts({ OPTION_MAX_MODEL_LEN: '131073', VLLM_ALLOW_LONG_MAX_MODEL_LEN: '1' }).warnings).toHaveLength(1);
  });

  it('engine config: gpu_memory_utilization is a float in (0, 1]', () => {
    expect(starts({ OPTION_GPU_MEMORY_UTILIZATION: '0.9' }).settings.gpuMemoryUtilization).toBe(0.9);
    expect(failure({ OPTION_GPU_MEMORY_UTILIZATION: '1.2' })).toBe(
      'pydantic_core._pydantic_core.ValidationError: 1 validation error for CacheConfig\ngpu_memory_utilization\n  Input should be less than or equal to 1 [type=less_than_equal, input_value=1.2, input_type=float]',
    );
    expect(failure({ OPTION_GPU_MEMORY_UTILIZATION: '0' })).toMatch(/Input should be greater than 0 \[type=greater_than/);
    expect(failure({ OPTION_GPU_MEMORY_UTILIZATION: 'most' })).toBe("error: argument --gpu-memory-utilization: invalid float value: 'most'");
  });

  it('engine config: the world size fits the GPUs the container sees (a component sees its accelerators)', () => {
    expect(starts({ TENSOR_PARALLEL_DEGREE: '2' }, { ...host, visibleGpus: 2 }).tp).toBe(2);
    expect(failure({ TENSOR_PARALLEL_DEGREE: '8' })).toContain(
      "Value error, World size (8) is larger than the number of available GPUs (4) in this node. If this is intentional and you are using:\n- ray, set '--distributed-executor-backend ray'.\n- multiprocessing, set '--nnodes' appropriately.",
    );
  });

  it('engine config: max_num_batched_tokens holds a sequence without chunked prefill, and one token of every sequence', () => {
    expect(starts({ OPTION_MAX_NUM_BATCHED_TOKENS: '2048' }).started).toBe(true);
    expect(failure({ OPTION_MAX_NUM_BATCHED_TOKENS: '2048', OPTION_ENABLE_CHUNKED_PREFILL: 'false' })).toContain(
      'Value error, max_num_batched_tokens (2048) is smaller than max_model_len (4096). This effectively limits the maximum sequence length to max_num_batched_tokens and makes vLLM reject longer sequences. Please increase max_num_batched_tokens or decrease max_model_len.',
    );
    expect(starts({ OPTION_MAX_NUM_BATCHED_TOKENS: '128' }).started).toBe(true);
    expect(failure({ OPTION_MAX_NUM_BATCHED_TOKENS: '64' })).toContain('Value error, max_num_batched_tokens (64) must be greater than or equal to max_num_seqs (128).');
  });

  it('engine config: TP divides the attention heads', () => {
    expect(starts({ TENSOR_PARALLEL_DEGREE: '2' }).started).toBe(true);
    expect(failure({ TENSOR_PARALLEL_DEGREE: '3' })).toBe('ValueError: Total number of attention heads (32) must be divisible by tensor parallel size (3).');
  });

  it("FailureReason: SageMaker's ping-health-check wording with the container's line", () => {
    const start = judge({ OPTION_MAX_NUM_SEQS: '64' });
    if (start.started) throw new Error('expected a failure');
    expect(start.stage).toBe('engine-args');
    expect(lmiFailureReason('AllTraffic', start)).toMatch(/^The primary container for production variant AllTraffic did not pass the ping health check\. .*Container log \(LMI 27\.0\.0 engine-args\): ValueError: Both the DJL/);
  });
});
