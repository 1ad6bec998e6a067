import { getModel } from '../../lib/catalog';
import type { LmiSettings } from '../../lib/catalog/types';
import { checkLmiContainerStart, LMI_START_RULES, lmiPropLabel, type LmiContainerStart } from '../../lib/planner/deployment-shape';

const LLAMA31 = getModel('llama-3-1-8b');
/** A configuration every rule accepts: 128 sequences, 4,096-token requests and steps, queue 1,000. */
const OK: LmiSettings = { rollingBatch: 'auto', maxRollingBatchSize: 128, maxModelLen: 4096, maxConcurrentRequests: 1000, maxNumBatchedTokens: 4096 };

function start(settings: Partial<LmiSettings> = {}, extraEnv?: Record<string, string>, tp = 1, gpus = 4): LmiContainerStart {
  return { model: LLAMA31, settings: { ...OK, ...settings }, tp, gpus, extraEnv, label: lmiPropLabel };
}

type Row = [rule: string, passing: LmiContainerStart, failing: LmiContainerStart, field: string, wording: RegExp];

/** Each rule with a configuration it accepts and one it refuses (field named, value and allowed range stated). */
const TABLE: Row[] = [
  ['lmi-well-formed', start(), start({}, { OPTION_MAX_ROLLING_BATCH_SIZE: 'many' }), 'env.OPTION_MAX_ROLLING_BATCH_SIZE', /must be a whole number ≥ 1, got 'many'/],
  ['lmi-well-formed', start({ gpuMemoryUtilization: 0.9 }), start({ gpuMemoryUtilization: 1.2 }), 'gpuMemoryUtilization', /a fraction in \(0, 1\], got '1\.2'/],
  ['lmi-tp-size-matches-degree', start(), start({}, { OPTION_TENSOR_PARALLEL_SIZE: '2' }), 'env.OPTION_TENSOR_PARALLEL_SIZE', /2 disagrees with tp 1: LMI refuses to start/],
  ['lmi-max-num-seqs-matches-batch-size', start(), start({}, { OPTION_MAX_NUM_SEQS: '256' }), 'env.OPTION_MAX_NUM_SEQS', /256 disagrees with maxRollingBatchSize 128/],
  ['vllm-batched-tokens-cover-seqs', start({ maxNumBatchedTokens: 128 }), start({ maxNumBatchedTokens: 64 }), 'maxNumBatchedTokens', /maxNumBatchedTokens 64 is below maxRollingBatchSize 128: vLLM refuses to start; allowed ≥ 128/],
  ['vllm-batched-tokens-cover-seqs', start(), start({ maxNumBatchedTokens: undefined }, { OPTION_MAX_ROLLING_BATCH_PREFILL_TOKENS: '100' }), 'env.OPTION_MAX_ROLLING_BATCH_PREFILL_TOKENS', /100 is below maxRollingBatchSize 128/],
  [
    'vllm-batched-tokens-cover-model-len',
    start({ maxNumBatchedTokens: 2048 }),
    start({ maxNumBatchedTokens: 2048, enableChunkedPrefill: false }),
    'maxNumBatchedTokens',
    /maxNumBatchedTokens 2048 is below maxModelLen 4096 with chunked prefill off: vLLM refuses to start; allowed ≥ 4096/,
  ],
  ['vllm-model-len-within-context', start({ maxModelLen: 131072, maxNumBatchedTokens: 8192 }), start({ maxModelLen: 131073 }), 'maxModelLen', /131073 exceeds llama-3-1-8b's context of 131072 tokens/],
  ['lmi-tp-divides-heads', start({}, { TENSOR_PARALLEL_DEGREE: '4' }), start({}, { TENSOR_PARALLEL_DEGREE: '3' }), 'env.TENSOR_PARALLEL_DEGREE', /3 must divide llama-3-1-8b's 32 attention heads/],
  ['lmi-tp-divides-heads', start({}, { TENSOR_PARALLEL_DEGREE: 'max' }), start({}, { TENSOR_PARALLEL_DEGREE: '8' }), 'env.TENSOR_PARALLEL_DEGREE', /8 exceeds the 4 GPUs the container sees; allowed 1\.\.4/],
  ['lmi-queue-size-agrees', start({ jobQueueSize: 1000 }), start({ jobQueueSize: 500 }), 'maxConcurrentRequests', /maxConcurrentRequests 1000 would be ignored: the entrypoint keeps jobQueueSize 500/],
  ['lmi-queue-covers-batch', start({ maxConcurrentRequests: 128 }), start({ maxConcurrentRequests: 64 }), 'maxConcurrentRequests', /maxConcurrentRequests 64 is below maxRollingBatchSize 128: the running batch could never fill; allowed ≥ 128/],
];

describe('LMI start rules', () => {
  it.each(TABLE)('%s accepts the passing case and refuses the failing one', (id, passing, failing, field, wording) => {
    const rule = LMI_START_RULES.find((r) => r.id === id);
    expect(rule).toBeDefined();
    expect(rule?.check(passing)).toEqual([]);
    const problems = rule?.check(failing) ?? [];
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ rule: id, field });
    expect(problems[0].message).toMatch(wording);
  });

  it('refuses a vLLM name even at the DJL value: LMI compares its string with its integer', () => {
    const [problem] = checkLmiContainerStart(start({}, { OPTION_MAX_NUM_SEQS: '128' }));
    expect(problem).toMatchObject({ rule: 'lmi-max-num-seqs-matches-batch-size', field: 'env.OPTION_MAX_NUM_SEQS' });
    expect(problem?.message).toMatch(/OPTION_MAX_NUM_SEQS 128 equals maxRollingBatchSize 128 but LMI still refuses to start .*allowed: remove OPTION_MAX_NUM_SEQS/);
  });

  it('covers every rule of the pack and cites a source for each', () => {
    expect(new Set(TABLE.map(([id]) => id))).toEqual(new Set(LMI_START_RULES.map((r) => r.id)));
    for (const rule of LMI_START_RULES) expect(rule.source).toMatch(/^https:\/\/github\.com\/(deepjavalibrary\/djl-serving|vllm-project\/vllm)\//);
  });

  it('accepts the catalog default configuration and reports nothing else on a failing one', () => {
    expect(checkLmiContainerStart(start())).toEqual([]);
    // Only the broken rule speaks: a malformed number silences the arithmetic rules instead of cascading.
    expect(checkLmiContainerStart(start({}, { OPTION_MAX_NUM_BATCHED_TOKENS: 'x' })).map((p) => p.rule)).toEqual(['lmi-well-formed']);
  });

  it("judges chunked prefill as vLLM does: on unless the environment turns it off", () => {
    const off = checkLmiContainerStart(start({ maxNumBatchedTokens: 2048 }, { OPTION_ENABLE_CHUNKED_PREFILL: 'FALSE' }));
    expect(off.map((p) => [p.rule, p.field])).toEqual([['vllm-batched-tokens-cover-model-len', 'maxNumBatchedTokens']]);
  });
});
