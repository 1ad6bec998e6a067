import { summarizeSweep } from '../../lib/results/summarize-sweep';
import { withLatencyBound } from '../../lib/results/with-latency-bound';
import { g5Levels } from './fixtures';

describe('withLatencyBound', () => {
  const sweep = summarizeSweep({
    label: 'g5',
    target: { kind: 'predicted', address: 'predict:llama-2-7b@ml.g5.2xlarge' },
    payload: { inputTokens: 256, outputTokens: 256 },
    startedAt: '2026-01-01T00:00:00.000Z',
    levels: g5Levels(),
  });

  it('recomputes the knees for the new bound and keeps the other figures', () => {
    const tight = withLatencyBound(sweep, 40);
    expect(tight.knee).toEqual({ concurrency: 8, rule: 'latency-bound', detail: 'p50 ms/token < 40' });
    expect(tight.maxThroughput).toEqual(sweep.maxThroughput);
    expect(tight.levels).toBe(sweep.levels);
  });

  it('keeps a predicted knee first', () => {
    const predicted = { ...sweep, knee: { concurrency: 24, rule: 'predicted' as const, detail: 'KV cache full' } };
    const rebound = withLatencyBound(predicted, 40);
    expect(rebound.knee).toEqual(predicted.knee);
    expect(rebound.knees?.map((k) => [k.rule, k.concurrency])).toEqual([
      ['predicted', 24],
      ['latency-bound', 8],
      ['marginal-gain', 16],
      ['half-latency', 16],
    ]);
  });

  it('drops knees when no rule places one', () => {
    const oneLevel = { ...sweep, levels: [{ ...g5Levels()[0], ok: 0 }] };
    const rebound = withLatencyBound(oneLevel, 40);
    expect(rebound.knee).toBeUndefined();
    expect(rebound.knees).toBeUndefined();
  });
});
