import { getInstanceType, getModel } from '../../lib/catalog';
import { planWithCurve } from '../../lib/planner/plan-curve';
import { startLocalEndpoint } from '../../loadtest/local';
import { createPayloadSource } from '../../loadtest/payload';
import { runLevel } from '../../loadtest/runner/run-level';
import { createTarget } from '../../loadtest/targets';

/**
 * `plan --json` predicts TTFT and ITL per level (`ttftMsP50`, `itlMsP50`); the load generator,
 * streaming from the local endpoint (same engine, real time × SPEEDUP), measures the same ITL. TTFT
 * is checked with an allowance for wall-clock HTTP overhead, which counts × SPEEDUP in virtual time.
 */
const SPEEDUP = 10;

describe('predicted TTFT and ITL vs measured against serve-local', () => {
  test('Mistral 7B on ml.g5.2xlarge, c = 1 and 4, streaming', async () => {
    const levels = [1, 4];
    const plan = planWithCurve({ model: 'mistral-7b', instance: 'ml.g5.2xlarge', inputTokens: 256, outputTokens: 128, concurrency: levels });
    expect(getModel('mistral-7b').kvHeads).toBe(8);
    expect(getInstanceType('ml.g5.2xlarge').acceleratorCount).toBe(1);
    for (const [i, concurrency] of levels.entries()) {
      const endpoint = await startLocalEndpoint({ model: 'mistral-7b', instance: 'ml.g5.2xlarge', speedup: SPEEDUP });
      const target = createTarget({ kind: 'tgi', url: endpoint.url }, { stream: true, maxSockets: concurrency });
      try {
        const { level } = await runLevel({
          target,
          payload: createPayloadSource({ inputTokens: 256, outputTokens: 128 }),
          concurrency,
          warmupRequests: concurrency,
          requests: Math.max(2 * concurrency, 2),
          speedup: SPEEDUP,
        });
        const predicted = plan.curve?.[i];
        expect(predicted).toBeDefined();
        const itl = level.tpotMs?.p50 ?? NaN; // the per-request figure, as plan predicts it
        const ttft = level.ttftMs?.p50 ?? NaN;
        expect({ concurrency, itlWithin10Pct: Math.abs(itl / (predicted?.itlMsP50 ?? NaN) - 1) < 0.1 }).toEqual({ concurrency, itlWithin10Pct: true });
        // TTFT: at least the predicted prefill, at most that plus 60 ms of wall-clock overhead × speedup.
        expect(ttft).toBeGreaterThan(0.9 * (predicted?.ttftMsP50 ?? NaN));
        expect(ttft).toBeLessThan((predicted?.ttftMsP50 ?? NaN) + 60 * SPEEDUP);
      } finally {
        await target.close();
        await endpoint.close();
      }
    }
  });
});
