import { tgiSettingsEnv } from '../../lib/endpoint/tgi-settings-env';

describe('tgiSettingsEnv', () => {
  const base = { tp: 4, maxInputTokens: 4095, maxTotalTokens: 4096, maxBatchPrefillTokens: 8192, maxConcurrentRequests: 128 };

  it('renders TP and limits, naming the input limit MAX_INPUT_TOKENS only (the launcher exits when MAX_INPUT_LENGTH is set beside it)', () => {
    const env = tgiSettingsEnv(base);
    expect(env).not.toHaveProperty('MAX_INPUT_LENGTH');
    expect(env).toEqual({
      SM_NUM_GPUS: '4',
      MAX_INPUT_TOKENS: '4095',
      MAX_TOTAL_TOKENS: '4096',
      MAX_BATCH_PREFILL_TOKENS: '8192',
      MAX_CONCURRENT_REQUESTS: '128',
    });
  });

  it('adds batch total, quantization and dtype only when set; the escape hatch wins', () => {
    const env = tgiSettingsEnv({ ...base, maxBatchTotalTokens: 16000, quantize: 'eetq', dtype: 'bfloat16', extraEnv: { SM_NUM_GPUS: '2', FOO: 'bar' } });
    expect(env.MAX_BATCH_TOTAL_TOKENS).toBe('16000');
    expect(env.HF_MODEL_QUANTIZE).toBe('eetq');
    expect(env.DTYPE).toBe('bfloat16');
    expect(env.SM_NUM_GPUS).toBe('2');
    expect(env.FOO).toBe('bar');
    expect(tgiSettingsEnv(base)).not.toHaveProperty('MAX_BATCH_TOTAL_TOKENS');
  });
});
