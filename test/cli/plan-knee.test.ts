import { getInstanceType, getModel } from '../../lib/catalog';
import { predictSweep } from '../../lib/planner/predict';
import { runCli } from '../support/cli';

/**
 * `plan` prints one knee, and it is the knee of its own predicted curve: the bound of
 * kneeBound (KV cache or MAX_BATCH_TOTAL_TOKENS, B*, MAX_CONCURRENT_REQUESTS) placed on the
 * predicted levels, exactly as the predicted sweep records it (rule 'predicted').
 */
const LEVELS = [1, 2, 4, 8, 16, 32, 64, 128];
const BASE = ['plan', '--model', 'llama-2-7b', '--instance', 'ml.g5.2xlarge', '--input-tokens', '256', '--output-tokens', '256'];

/** [case, extra flags, TGI overrides the flags mean, bound, knee on the curve, bound detail]. */
const CASES: [string, string[], Record<string, number>, number, number, RegExp][] = [
  // 18,202 tokens of KV cache on one A10G / 512 tokens per request = 35 sequences; highest level ≤ 35 is 32.
  ['JumpStart defaults', [], {}, 35, 32, /^KV cache holds 35 sequences per replica × 1 replica = 35$/],
  ['--max-concurrent-requests 16', ['--max-concurrent-requests', '16'], { maxConcurrentRequests: 16 }, 16, 16, /^MAX_CONCURRENT_REQUESTS = 16 per replica/],
  ['--max-concurrent-requests 12', ['--max-concurrent-requests', '12'], { maxConcurrentRequests: 12 }, 12, 8, /^MAX_CONCURRENT_REQUESTS = 12 per replica/],
  ['--max-batch-total-tokens 8192', ['--max-batch-total-tokens', '8192'], { maxBatchTotalTokens: 8192 }, 16, 16, /^MAX_BATCH_TOTAL_TOKENS = 8192 holds 16 sequences/],
  ['--max-batch-total-tokens 10240', ['--max-batch-total-tokens', '10240'], { maxBatchTotalTokens: 10240 }, 20, 16, /^MAX_BATCH_TOTAL_TOKENS = 10240 holds 20 sequences/],
  ['both: the tighter one binds', ['--max-concurrent-requests', '8', '--max-batch-total-tokens', '8192'], { maxConcurrentRequests: 8, maxBatchTotalTokens: 8192 }, 8, 8, /^MAX_CONCURRENT_REQUESTS = 8/],
];

describe('plan: one knee, equal to the knee of its predicted curve', () => {
  it.each(CASES)('%s', async (_name, flags, tgi, bound, knee, detail) => {
    const json = JSON.parse(await runCli([...BASE, ...flags, '--concurrency', LEVELS.join(','), '--json']));
    expect(json.predictedKneeConcurrency).toBe(bound);
    expect(json.predictedKneeDetail).toMatch(detail);
    expect(json.knee).toEqual({ concurrency: knee, rule: 'predicted', detail: json.predictedKneeDetail });

    // The predicted sweep of the same deployment records the same knee.
    const sweep = predictSweep({
      model: getModel('llama-2-7b'),
      instance: getInstanceType('ml.g5.2xlarge'),
      tp: 1,
      inputTokens: 256,
      outputTokens: 256,
      tgi,
      concurrency: LEVELS,
    });
    expect(sweep.knees?.find((k) => k.rule === 'predicted')).toEqual(json.knee);

    // The table prints exactly one knee line, with that knee.
    const table = await runCli([...BASE, ...flags, '--concurrency', LEVELS.join(',')]);
    const kneeLines = table.split('\n').filter((line) => /knee/i.test(line));
    expect(kneeLines).toHaveLength(1);
    expect(kneeLines[0]).toMatch(new RegExp(`^knee\\s+concurrency ${knee} \\(`));

    // Without a curve the table prints the bound, still once.
    const bare = (await runCli([...BASE, ...flags])).split('\n').filter((line) => /knee/i.test(line));
    expect(bare).toEqual([expect.stringMatching(new RegExp(`^knee\\s+≈ concurrency ${bound} \\(`))]);
  });
});
