import { getInstanceType, getModel } from '../../lib/catalog';
import { predictCurve } from '../../lib/planner/predict';
import { startLocalEndpoint } from '../../loadtest/local';
import { createPayloadSource } from '../../loadtest/payload';
import type { LevelResult } from '../../lib/results/records';
import { runLevel } from '../../loadtest/runner/run-level';
import { createTarget } from '../../loadtest/targets';

/**
 * The load generator, over HTTP, against the local endpoint (time-compressed) measures the curve the
 * engine predicts in virtual time for the same configuration: within 10 % per level. This checks the
 * generator, the server's real-time driver and the analysis' speedup scaling together.
 */

/**
 * Two real-world effects the virtual-time prediction does not have, both diluted by long generations:
 * wall-clock overhead per request (HTTP, event-loop wake-ups: measured 3-40 ms on a shared 2-core
 * machine at load average 15), which counts × speedup in virtual time; and jitter in the arrivals of
 * a round, which splits the one prefill pass the prediction's synchronized workers share into several
 * that pause decoding. With 512 output tokens a request decodes for 16-29 s of virtual time, so both
 * stay at a few percent. The three levels run at once, each against its own endpoint.
 */
const SPEEDUP = 10;
const INPUT_TOKENS = 256;
const OUTPUT_TOKENS = 512;
const LEVELS = [1, 4, 16] as const;

function relativeError(measured: number, predicted: number): number {
  return Math.abs(measured / predicted - 1);
}

/** One level against a fresh endpoint of its own. */
async function measureLevel(concurrency: number): Promise<LevelResult> {
  const endpoint = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', speedup: SPEEDUP });
  const target = createTarget({ kind: 'tgi', url: endpoint.url }, { maxSockets: concurrency });
  try {
    // Warm-up of c completions as in the prediction, then a shorter window (one round of c requests,
    // at least 2) than its max(3c, 16): here every round is identical (16 × 768 tokens fit the KV
    // budget, no queueing), so the steady state is the same.
    const { level } = await runLevel({
      target,
      payload: createPayloadSource({ inputTokens: INPUT_TOKENS, outputTokens: OUTPUT_TOKENS }),
      concurrency,
      warmupRequests: concurrency,
      requests: Math.max(concurrency, 2),
      speedup: SPEEDUP,
    });
    return level;
  } finally {
    await target.close();
    await endpoint.close();
  }
}

describe('self-consistency: measured over loopback vs predicted in virtual time', () => {
  test('Llama 2 7B on ml.g5.2xlarge at c = 1, 4, 16: throughput and ms/token within 10 %', async () => {
    const model = getModel('llama-2-7b');
    const instance = getInstanceType('ml.g5.2xlarge');
    const predicted = predictCurve({ model, instance, tp: 1, inputTokens: INPUT_TOKENS, outputTokens: OUTPUT_TOKENS, concurrency: LEVELS });
    const measured = await Promise.all(LEVELS.map((c) => measureLevel(c)));
    const rows = LEVELS.map((concurrency, i) => {
      const level = measured[i] as LevelResult;
      const expected = predicted.curve[i];
      if (expected === undefined) throw new Error(`no prediction for c=${concurrency}`);
      expect(level.ok).toBe(level.requests);
      return {
        concurrency,
        measured: [level.throughputTokensPerS, level.latencyMsPerToken.mean] as const,
        predicted: [expected.throughputTokensPerS, expected.latencyMsPerToken] as const,
      };
    });
    const table = rows.map(
      (r) =>
        `c=${r.concurrency}: ${r.measured[0].toFixed(1)} vs ${r.predicted[0].toFixed(1)} tokens/s, ` +
        `${r.measured[1].toFixed(2)} vs ${r.predicted[1].toFixed(2)} ms/token`,
    );
    console.log(`measured vs predicted (speedup ${SPEEDUP}):\n${table.join('\n')}`);
    for (const row of rows) {
      const c = row.concurrency;
      expect({ c, throughputWithin10Pct: relativeError(row.measured[0], row.predicted[0]) < 0.1 }).toEqual({ c, throughputWithin10Pct: true });
      expect({ c, latencyWithin10Pct: relativeError(row.measured[1], row.predicted[1]) < 0.1 }).toEqual({ c, latencyWithin10Pct: true });
    }
  });
});
