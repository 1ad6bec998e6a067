import { getInstanceType, getModel } from '../../lib/catalog';
import { TGI_TAG } from '../../lib/catalog/tgi-images';
import { kvCapacityTokens } from '../../lib/planner/memory';
import { judgeContainerStart, tgiVersionOfImage } from '../../loadtest/local/judges/tgi-launcher';

/** Rules from launcher/src/main.rs@v2.3.1 (huggingface/text-generation-inference); messages verbatim. */
const IMAGE = `763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:${TGI_TAG}`;
const host = { model: getModel('llama-2-7b'), instance: getInstanceType('ml.g5.2xlarge'), visibleGpus: 1 };
const BASE = { HF_MODEL_ID: '/opt/ml/model', SM_NUM_GPUS: '1', MAX_INPUT_TOKENS: '4095', MAX_TOTAL_TOKENS: '4096', MAX_BATCH_PREFILL_TOKENS: '4096', MAX_CONCURRENT_REQUESTS: '64' };

function failure(env: Record<string, string>, h = host): string {
  const start = judgeContainerStart(IMAGE, env, h);
  if (start.started) throw new Error('expected the container to exit');
  return start.message;
}

describe('TGI launcher judge (v2.3.1 rules)', () => {
  it('reads the TGI version of the catalog-pinned image and refuses images it has no rules for', () => {
    expect(tgiVersionOfImage(IMAGE)).toBe('2.3.1');
    expect(() => judgeContainerStart('x/huggingface-pytorch-tgi-inference:2.1.1-tgi1.4.5-gpu', BASE, host)).toThrow('no TGI launcher rules');
  });

  it('starts a valid environment with its settings: MAX_CONCURRENT_REQUESTS and SM_NUM_GPUS drive the server', () => {
    const start = judgeContainerStart(IMAGE, BASE, host);
    expect(start).toMatchObject({ started: true, numShard: 1, settings: { maxInputTokens: 4095, maxTotalTokens: 4096, maxBatchPrefillTokens: 4096, maxConcurrentRequests: 64 } });
  });

  it('exits when both MAX_INPUT_TOKENS and MAX_INPUT_LENGTH are set (the launcher message)', () => {
    expect(failure({ ...BASE, MAX_INPUT_LENGTH: '4095' })).toBe(
      'Error: ArgumentValidation("Both `max_input_tokens` (4095) and `max_input_length` (4095) are set. Please define only `max_input_tokens` as `max_input_length is deprecated for naming consistency.")',
    );
    // The legacy name alone is accepted.
    const { MAX_INPUT_TOKENS: _unused, ...legacy } = BASE;
    expect(judgeContainerStart(IMAGE, { ...legacy, MAX_INPUT_LENGTH: '2048' }, host)).toMatchObject({ started: true, settings: { maxInputTokens: 2048 } });
  });

  it('input < total, prefill ≥ input, batch total ≥ prefill and total when set', () => {
    expect(failure({ ...BASE, MAX_INPUT_TOKENS: '4096' })).toBe('Error: ArgumentValidation("`max_input_tokens must be < `max_total_tokens`")');
    expect(failure({ ...BASE, MAX_BATCH_PREFILL_TOKENS: '2048' })).toBe('Error: ArgumentValidation("`max_batch_prefill_tokens` must be >= `max_input_tokens`. Given: 2048 and 4095")');
    expect(failure({ ...BASE, MAX_BATCH_TOTAL_TOKENS: '4000' })).toBe('Error: ArgumentValidation("`max_batch_prefill_tokens` must be <= `max_batch_total_tokens`. Given: 4096 and 4000")');
    expect(failure({ ...BASE, MAX_BATCH_PREFILL_TOKENS: '4095', MAX_BATCH_TOTAL_TOKENS: '4095' })).toBe(
      'Error: ArgumentValidation("`max_total_tokens` must be <= `max_batch_total_tokens`. Given: 4096 and 4095")',
    );
  });

  it('defaults like the launcher: input = min(context, 4096) − 1, total = min(context, 4096), prefill = input + 50', () => {
    const start = judgeContainerStart(IMAGE, { HF_MODEL_ID: '/opt/ml/model', SM_NUM_GPUS: '1' }, host);
    expect(start).toMatchObject({ started: true, settings: { maxInputTokens: 4095, maxTotalTokens: 4096, maxBatchPrefillTokens: 4145, maxConcurrentRequests: 128 } });
  });

  it("refuses what clap cannot parse, and a missing HF_MODEL_ID (the DLC's entrypoint)", () => {
    expect(failure({ ...BASE, MAX_TOTAL_TOKENS: '4k' })).toBe("error: invalid value '4k' for '--max-total-tokens <MAX_TOTAL_TOKENS>': invalid digit found in string");
    const { HF_MODEL_ID: _id, ...noModel } = BASE;
    expect(failure(noModel)).toBe('HF_MODEL_ID must be set');
  });

  it('more shards than visible GPUs: the shard asserts one GPU per process and the launcher stops', () => {
    expect(failure({ ...BASE, SM_NUM_GPUS: '4' })).toContain('AssertionError: Each process is one gpu');
    const g512 = { ...host, instance: getInstanceType('ml.g5.12xlarge'), visibleGpus: 4 };
    expect(judgeContainerStart(IMAGE, { ...BASE, SM_NUM_GPUS: '4' }, g512)).toMatchObject({ started: true, numShard: 4 });
  });

  it("warm-up fails when MAX_TOTAL_TOKENS exceeds the KV cache the planner's memory model leaves", () => {
    const mistral = { model: getModel('mistral-7b'), instance: getInstanceType('ml.g5.2xlarge'), visibleGpus: 1 };
    const capacity = kvCapacityTokens(mistral.model, mistral.instance, 1);
    // mistral's 32k context is capped at 4096 by default; ask for more than fits.
    const total = capacity + 1;
    expect(failure({ ...BASE, MAX_INPUT_TOKENS: '1024', MAX_BATCH_PREFILL_TOKENS: '1024', MAX_TOTAL_TOKENS: String(total) }, mistral)).toBe(
      `Error: Backend(NotEnoughMemory(${total})): Not enough memory to handle \`max_total_tokens=${total}\``,
    );
    // Flash attention ignores MAX_BATCH_TOTAL_TOKENS (warns) and serves with the inferred budget.
    const start = judgeContainerStart(IMAGE, { ...BASE, MAX_BATCH_TOTAL_TOKENS: String(capacity * 4) }, mistral);
    expect(start).toMatchObject({ started: true, warnings: ['`--max-batch-total-tokens` is deprecated for Flash Attention models.', `Inferred max batch total tokens: ${capacity}`] });
    expect(start.started && start.settings.maxBatchTotalTokens).toBeUndefined();
  });
});
