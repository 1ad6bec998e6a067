import { clientVerdict, worstClientVerdict } from '../../lib/results/client-verdict';
import { completionsPerSlot, MAX_WINDOW_EXTENSION, meetsMinCompletions, windowCapMs, windowOver } from '../../lib/results/level-window';
import { poolLevelRuns, pooledPeakInFlight } from '../../lib/results/pool-runs';
import type { RequestRecord } from '../../lib/results/records';
import { requestRecord } from '../pipeline/records-fixture';

const OK = clientVerdict({ sendLagMsP99: 2, eventLoopDelayMsP99: 3, cpuPct: 40 });
const BUSY = clientVerdict({ sendLagMsP99: 1, eventLoopDelayMsP99: 40, cpuPct: 95 });

describe('worstClientVerdict', () => {
  it('takes each measure from the worst client and judges it by the same thresholds', () => {
    const worst = worstClientVerdict([OK, clientVerdict({ sendLagMsP99: 30, eventLoopDelayMsP99: 1, cpuPct: 10 }), undefined]);
    expect(worst).toMatchObject({ verdict: 'client-bound', sendLagMsP99: 30, eventLoopDelayMsP99: 3, cpuPct: 40 });
    expect(worst?.reasons).toEqual(['send lag p99 30.0 ms > 25 ms']);
    expect(worstClientVerdict([OK, OK])).toEqual(OK);
    expect(worstClientVerdict([undefined])).toBeUndefined();
  });
});

describe('pooledPeakInFlight', () => {
  it('adds the peaks of runs side by side (workers of one repeat) and takes the highest repeat', () => {
    expect(pooledPeakInFlight([{ repeat: 0, peakInFlight: 3 }, { repeat: 0, peakInFlight: 2 }, { repeat: 1, peakInFlight: 4 }, { repeat: 1, peakInFlight: 4 }])).toBe(8);
    expect(pooledPeakInFlight([{ repeat: 0 }])).toBeUndefined();
  });
});

describe('poolLevelRuns (CLI repeats and pipeline workers × repeats)', () => {
  // Two repeats of c=2 over two workers each: repeat 1 is twice as slow.
  const records: RequestRecord[] = [];
  for (const repeat of [0, 1]) {
    for (const worker of [0, 1]) {
      for (let seq = 0; seq < 4; seq++) {
        const r = requestRecord({ concurrency: 2, worker, seq, sentMs: 10_000 * repeat + seq * 1000 * (repeat + 1), e2eMs: 1000 * (repeat + 1), tokens: 100 });
        records.push({ ...r, ...(repeat > 0 ? { repeat } : {}) });
      }
    }
  }
  const runs = [
    { repeat: 0, client: OK, peakInFlight: 1 },
    { repeat: 0, client: OK, peakInFlight: 1 },
    { repeat: 1, client: BUSY, peakInFlight: 1 },
    { repeat: 1, client: OK, peakInFlight: 1 },
  ];

  it('pools every record, gives the repeats their interval, the worst client and the load with its peak', () => {
    const level = poolLevelRuns(records, runs, { concurrency: 2, offeredRatePerS: 2, openLoop: { arrival: 'constant', maxConcurrency: 2 } });
    expect(level.requests).toBe(16);
    expect(level.repeats?.n).toBe(2);
    // Each repeat: 8 requests × 100 tokens; repeat 0 over 4 s, repeat 1 over 8 s.
    expect(level.repeats?.throughputTokensPerS.values).toEqual([200, 100]);
    expect(level.repeats?.throughputTokensPerS.mean).toBe(150);
    // t(0.975, 1) × s / √2 with s = 70.71: 12.706 × 50 = 635.3.
    expect(level.repeats?.throughputTokensPerS.halfWidth95).toBeCloseTo(635.3, 1);
    expect(level.repeats?.msPerTokenP50.values).toEqual([10, 20]);
    expect(level.client).toEqual(worstClientVerdict([OK, BUSY]));
    expect(level.client?.verdict).toBe('client-bound');
    expect(level.offeredRatePerS).toBe(2);
    expect(level.openLoop).toEqual({ arrival: 'constant', maxConcurrency: 2, peakInFlight: 2, waitedForCap: 0 });
  });

  it('a closed-loop level measured once keeps no repeats and no load', () => {
    const once = records.filter((r) => r.repeat === undefined);
    const level = poolLevelRuns(once, runs.slice(0, 2), { concurrency: 2 });
    expect(level.repeats).toBeUndefined();
    expect(level.openLoop).toBeUndefined();
    expect(level.client).toEqual(OK);
  });
});

describe('the window rule (lib/results/level-window.ts)', () => {
  const rule = { durationMs: 1000, slots: 4, minCompletionsPerSlot: 3 };
  it('is never over before the window, then over at 3 completions per slot or at 4× the window', () => {
    expect(MAX_WINDOW_EXTENSION).toBe(4);
    expect(windowOver(rule, 999, 100)).toBe(false);
    expect(windowOver(rule, 1000, 11)).toBe(false);
    expect(windowOver(rule, 1000, 12)).toBe(true);
    expect(windowOver(rule, 3999, 11)).toBe(false);
    expect(windowOver(rule, 4000, 0)).toBe(true);
    expect(windowOver({ durationMs: 1000, slots: 4 }, 1000, 0)).toBe(true);
  });
  it('a hard end (a Lambda worker’s remaining time) shortens the extension, never the window itself', () => {
    expect(windowCapMs({ ...rule, maxWindowMs: 2500 })).toBe(2500);
    expect(windowCapMs({ ...rule, maxWindowMs: 500 })).toBe(1000);
    expect(windowCapMs({ ...rule, maxWindowMs: 9000 })).toBe(4000);
    expect(windowOver({ ...rule, maxWindowMs: 2500 }, 2500, 0)).toBe(true);
  });
  it('judges a measured level by completions per slot', () => {
    expect(completionsPerSlot(10, 4)).toBe(2.5);
    expect(meetsMinCompletions(12, rule)).toBe(true);
    expect(meetsMinCompletions(11, rule)).toBe(false);
  });
});
