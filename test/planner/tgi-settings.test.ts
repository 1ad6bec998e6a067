import { getInstanceType, getModel } from '../../lib/catalog';
import type { TgiSettings } from '../../lib/catalog/types';
import { kvCapacityTokens } from '../../lib/planner/memory';
import { effectiveBatchTotalTokens, flagLabel, propLabel, resolveTgiSettings, validateTgiSettings } from '../../lib/planner/deployment-shape';

const llama7b = getModel('llama-2-7b');
const g5x2 = getInstanceType('ml.g5.2xlarge');

describe('resolveTgiSettings', () => {
  it("starts from JumpStart's container defaults for the model on the instance", () => {
    // meta-textgeneration-llama-2-7b v4.2.0: model-wide env, and ml.g5.12xlarge's own prefill budget.
    expect(resolveTgiSettings(llama7b, g5x2, 1)).toEqual({
      maxInputTokens: 4095,
      maxTotalTokens: 4096,
      maxBatchPrefillTokens: 8192,
      maxConcurrentRequests: 512,
    });
    expect(resolveTgiSettings(llama7b, getInstanceType('ml.g5.12xlarge'), 4).maxBatchPrefillTokens).toBe(16384);
  });

  it('applies defined overrides and ignores undefined ones', () => {
    const settings = resolveTgiSettings(llama7b, g5x2, 1, { maxConcurrentRequests: 64, maxBatchTotalTokens: 8192, maxInputTokens: undefined });
    expect(settings).toEqual({ maxInputTokens: 4095, maxTotalTokens: 4096, maxBatchPrefillTokens: 8192, maxConcurrentRequests: 64, maxBatchTotalTokens: 8192 });
  });

  it('uses the KV capacity as batch budget when MAX_BATCH_TOTAL_TOKENS is unset', () => {
    const settings = resolveTgiSettings(llama7b, g5x2, 1);
    expect(effectiveBatchTotalTokens(llama7b, g5x2, 1, settings)).toBe(kvCapacityTokens(llama7b, g5x2, 1));
    expect(effectiveBatchTotalTokens(llama7b, g5x2, 1, { ...settings, maxBatchTotalTokens: 5000 })).toBe(5000);
  });
});

describe('validateTgiSettings (the container start rules)', () => {
  const defaults = resolveTgiSettings(llama7b, g5x2, 1);

  it('accepts the defaults', () => {
    expect(validateTgiSettings(llama7b, defaults, propLabel, { instance: g5x2, tp: 1 })).toEqual([]);
  });

  it.each<[string, Partial<TgiSettings>, RegExp]>([
    ['input ≥ total', { maxInputTokens: 4096 }, /^maxInputTokens 4096 must be below maxTotalTokens 4096; allowed ≤ 4095$/],
    ['total > context', { maxTotalTokens: 8192, maxInputTokens: 1000 }, /^maxTotalTokens 8192 exceeds llama-2-7b's context of 4096 tokens; allowed ≤ 4096$/],
    ['prefill < input', { maxBatchPrefillTokens: 1024 }, /^maxBatchPrefillTokens 1024 is below maxInputTokens 4095; allowed ≥ 4095$/],
    ['batch total < total', { maxBatchTotalTokens: 2048, maxBatchPrefillTokens: 2048, maxInputTokens: 2000 }, /^maxBatchTotalTokens 2048 is below maxTotalTokens 4096; allowed ≥ 4096 or unset$/],
    ['prefill > batch total', { maxBatchTotalTokens: 4096 }, /^maxBatchPrefillTokens 8192 exceeds maxBatchTotalTokens 4096; allowed ≤ 4096$/],
    ['not a whole number', { maxConcurrentRequests: 1.5 }, /^maxConcurrentRequests must be a whole number ≥ 1, got 1\.5$/],
    ['zero', { maxConcurrentRequests: 0 }, /must be a whole number ≥ 1, got 0/],
  ])('reports %s', (_name, override, expected) => {
    const problems = validateTgiSettings(llama7b, { ...defaults, ...override }, propLabel);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  it('names fields as flags with flagLabel', () => {
    expect(validateTgiSettings(llama7b, { ...defaults, maxBatchPrefillTokens: 10 }, flagLabel)[0]).toBe(
      '--max-batch-prefill-tokens (MAX_BATCH_PREFILL_TOKENS) 10 is below --max-input-tokens (MAX_INPUT_TOKENS) 4095; allowed ≥ 4095',
    );
  });

  it('reports a batch budget beyond the KV cache of the layout', () => {
    const problems = validateTgiSettings(llama7b, { ...defaults, maxBatchTotalTokens: 100_000 }, propLabel, { instance: g5x2, tp: 1 });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/100000 exceeds the \d+ tokens of KV cache llama-2-7b has on ml\.g5\.2xlarge at TP 1/);
  });

  it('reports a request budget beyond the KV cache when TGI sizes the batch itself', () => {
    const mistral = getModel('mistral-7b');
    const settings = { ...resolveTgiSettings(mistral, g5x2, 1), maxInputTokens: 32000, maxTotalTokens: 32768, maxBatchPrefillTokens: 32768 };
    const problems = validateTgiSettings(mistral, settings, propLabel, { instance: g5x2, tp: 1 });
    expect(kvCapacityTokens(mistral, g5x2, 1)).toBeGreaterThan(32768); // GQA: 128 KiB per token
    expect(problems).toEqual([]);
    const llamaLong = validateTgiSettings(llama7b, { ...defaults, maxBatchTotalTokens: undefined }, propLabel, { instance: g5x2, tp: 1 });
    expect(llamaLong).toEqual([]);
  });
});
