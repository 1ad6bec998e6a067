import { clientVerdict, CLIENT_BOUND_THRESHOLDS } from '../../lib/results/client-verdict';
import { LEVEL_RESULT_VERSION, SWEEP_RESULT_VERSION } from '../../lib/results/records';
import { upgradeSweepResult, type StoredSweepResult } from '../../lib/results/stop-reason';
import { upgradeLevelResult, type LevelResultV1 } from '../../lib/results/upgrade-level';
import { level } from './fixtures';

const dist = { mean: 30, p50: 30, p90: 31, p99: 32, min: 29, max: 33 };
const v1 = (): LevelResultV1 => ({ ...level(4, 100, 30), schemaVersion: 1, itlMs: dist });

describe('record versions', () => {
  it('a LevelResult v1 reads as v2: its per-request itlMs becomes tpotMs (v1 kept no per-gap ITL)', () => {
    const up = upgradeLevelResult(v1());
    expect(up.schemaVersion).toBe(LEVEL_RESULT_VERSION);
    expect(up.tpotMs).toEqual(dist);
    expect(up.itlMs).toBeUndefined();
    const current = level(4, 100, 30);
    expect(upgradeLevelResult(current)).toBe(current);
  });

  it('sweeps of versions 1 and 2 read as the current version with upgraded levels', () => {
    const base = { label: 'x', startedAt: '2026-01-01T00:00:00Z', target: { kind: 'tgi' as const, address: 'u' }, payload: { inputTokens: 1, outputTokens: 1 } };
    const s2: StoredSweepResult = { ...base, schemaVersion: 2, levels: [v1()], stopReason: { rule: 'plateau', detail: 'd' } };
    const s1: StoredSweepResult = { ...base, schemaVersion: 1, levels: [v1()], stopReason: 'plateau: d' };
    for (const stored of [s1, s2]) {
      const up = upgradeSweepResult(stored);
      expect(up.schemaVersion).toBe(SWEEP_RESULT_VERSION);
      expect(up.levels[0].tpotMs).toEqual(dist);
      expect(up.stopReason).toEqual({ rule: 'plateau', detail: 'd' });
    }
  });
});

describe('client verdict', () => {
  it('is ok within every threshold and client-bound past any one, naming it', () => {
    expect(clientVerdict({ sendLagMsP99: 1, eventLoopDelayMsP99: 5, cpuPct: 40 })).toEqual({ verdict: 'ok', sendLagMsP99: 1, eventLoopDelayMsP99: 5, cpuPct: 40 });
    const lag = clientVerdict({ sendLagMsP99: CLIENT_BOUND_THRESHOLDS.sendLagMsP99 + 1, eventLoopDelayMsP99: 5, cpuPct: 40 });
    expect(lag.verdict).toBe('client-bound');
    expect(lag.reasons).toEqual([expect.stringMatching(/^send lag p99 26.0 ms > 25 ms$/)]);
    expect(clientVerdict({ sendLagMsP99: 1, eventLoopDelayMsP99: 40, cpuPct: 40 }).reasons).toEqual([expect.stringMatching(/event-loop delay p99 40.0 ms > 25 ms/)]);
    expect(clientVerdict({ sendLagMsP99: 1, eventLoopDelayMsP99: 1, cpuPct: 95 }).reasons).toEqual([expect.stringMatching(/client CPU 95 % ≥ 90 %/)]);
  });
});
