import { getInstanceType, getModel } from '../../lib/catalog';
import type { TgiSettings } from '../../lib/catalog/types';
import { kvCapacityTokens } from '../../lib/planner/memory';
import { effectiveBatchTotalTokens, resolveTgiSettings, validateTgiSettings } from '../../lib/planner/tgi-settings';

const llama7b = getModel('llama-2-7b');
const g5x2 = getInstanceType('ml.g5.2xlarge');

describe('resolveTgiSettings', () => {
  it('starts from the JumpStart defaults of the model', () => {
    expect(resolveTgiSettings(llama7b, g5x2, 1)).toEqual({
      maxInputTokens: 4095,
      maxTotalTokens: 4096,
      maxBatchPrefillTokens: 4096,
      maxConcurrentRequests: 128,
    });
  });

  it('applies defined overrides and ignores undefined ones', () => {
    const settings = resolveTgiSettings(llama7b, g5x2, 1, { maxConcurrentRequests: 64, maxBatchTotalTokens: 8192, maxInputTokens: undefined });
    expect(settings).toEqual({ maxInputTokens: 4095, maxTotalTokens: 4096, maxBatchPrefillTokens: 4096, maxConcurrentRequests: 64, maxBatchTotalTokens: 8192 });
  });

  it('uses the KV capacity as batch budget when MAX_BATCH_TOTAL_TOKENS is unset', () => {
    const settings = resolveTgiSettings(llama7b, g5x2, 1);
    expect(effectiveBatchTotalTokens(llama7b, g5x2, 1, settings)).toBe(kvCapacityTokens(llama7b, g5x2, 1));
    expect(effectiveBatchTotalTokens(llama7b, g5x2, 1, { ...settings, maxBatchTotalTokens: 5000 })).toBe(5000);
  });
});

describe('validateTgiSettings', () => {
  const defaults = resolveTgiSettings(llama7b, g5x2, 1);

  it('accepts the defaults', () => {
    expect(validateTgiSettings(llama7b, defaults, 'tgi', { instance: g5x2, tp: 1 })).toEqual([]);
  });

  it.each<[string, Partial<TgiSettings>, RegExp]>([
    ['input ≥ total', { maxInputTokens: 4096 }, /tgi\.maxInputTokens \(MAX_INPUT_TOKENS\) must be < .*4096, got 4096/],
    ['total > context', { maxTotalTokens: 8192, maxInputTokens: 1000 }, /tgi\.maxTotalTokens .* ≤ the 4096-token context of llama-2-7b, got 8192/],
    ['prefill < input', { maxBatchPrefillTokens: 1024 }, /tgi\.maxBatchPrefillTokens .* must be ≥ .*4095, got 1024/],
    ['batch total < total', { maxBatchTotalTokens: 2048 }, /tgi\.maxBatchTotalTokens .* must be ≥ .*4096, got 2048/],
    ['not a whole number', { maxConcurrentRequests: 1.5 }, /tgi\.maxConcurrentRequests \(MAX_CONCURRENT_REQUESTS\) must be a whole number ≥ 1, got 1\.5/],
    ['zero', { maxConcurrentRequests: 0 }, /must be a whole number ≥ 1, got 0/],
  ])('reports %s', (_name, override, expected) => {
    const problems = validateTgiSettings(llama7b, { ...defaults, ...override }, 'tgi');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  it('names fields without a prefix, or as flags with the prefix --', () => {
    expect(validateTgiSettings(llama7b, { ...defaults, maxInputTokens: 5000 }, '')[0]).toMatch(/^maxInputTokens/);
    expect(validateTgiSettings(llama7b, { ...defaults, maxBatchPrefillTokens: 10 }, '--')[0]).toBe(
      '--max-batch-prefill-tokens (MAX_BATCH_PREFILL_TOKENS) must be ≥ --max-input-tokens (MAX_INPUT_TOKENS) = 4095, got 10',
    );
  });

  it('reports a batch budget beyond the KV cache of the layout', () => {
    const problems = validateTgiSettings(llama7b, { ...defaults, maxBatchTotalTokens: 100_000 }, 'tgi', { instance: g5x2, tp: 1 });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/100000 exceeds the \d+ tokens of KV cache llama-2-7b has on ml\.g5\.2xlarge at TP 1/);
  });

  it('reports a request budget beyond the KV cache when TGI sizes the batch itself', () => {
    const mistral = getModel('mistral-7b');
    const settings = { ...resolveTgiSettings(mistral, g5x2, 1), maxInputTokens: 32000, maxTotalTokens: 32768, maxBatchPrefillTokens: 32768 };
    const problems = validateTgiSettings(mistral, settings, 'tgi', { instance: g5x2, tp: 1 });
    expect(kvCapacityTokens(mistral, g5x2, 1)).toBeGreaterThan(32768); // GQA: 128 KiB per token
    expect(problems).toEqual([]);
    const llamaLong = validateTgiSettings(llama7b, { ...defaults, maxBatchTotalTokens: undefined }, 'tgi', { instance: g5x2, tp: 1 });
    expect(llamaLong).toEqual([]);
  });
});
