import { isTwinLagging, twinVerdict, TWIN_LAG_THRESHOLDS, worstTwinVerdict } from '../../lib/results/twin-verdict';
import { poolLevelRuns } from '../../lib/results/pool-runs';
import type { RequestRecord } from '../../lib/results/records';
import { requestRecord } from '../pipeline/records-fixture';

describe('twinVerdict (docs/run-integrity.md, "The twin\'s own lag")', () => {
  it('pins the thresholds: 25 endpoint ms, and half the median ITL when that is larger', () => {
    expect(TWIN_LAG_THRESHOLDS).toEqual({ lagMsP99: 25, itlFraction: 0.5 });
  });

  it('is lagging past 25 ms when the level has no ITL or a short one', () => {
    expect(twinVerdict({ lagMsP99: 25, lagMsMax: 40, samples: 100 })).toEqual({ schemaVersion: 1, verdict: 'ok', lagMsP99: 25, lagMsMax: 40, samples: 100 });
    expect(twinVerdict({ lagMsP99: 25.5, lagMsMax: 40, samples: 100 })).toEqual({
      schemaVersion: 1,
      verdict: 'lagging',
      lagMsP99: 25.5,
      lagMsMax: 40,
      samples: 100,
      reason: 'twin lag p99 25.5 ms > 25 ms (endpoint ms)',
    });
    // A 34 ms ITL (7B on a g5): half of it is below 25 ms, so 25 ms decides.
    expect(twinVerdict({ lagMsP99: 30, lagMsMax: 60, samples: 10 }, 34).verdict).toBe('lagging');
  });

  it("a slow model's long token gaps tolerate more: half the median ITL", () => {
    expect(twinVerdict({ lagMsP99: 45, lagMsMax: 60, samples: 10 }, 100).verdict).toBe('ok');
    const v = twinVerdict({ lagMsP99: 55, lagMsMax: 60, samples: 10 }, 100);
    expect(v.verdict).toBe('lagging');
    expect(v.reason).toBe('twin lag p99 55.0 ms > 0.5 × ITL p50 (50.0 ms) (endpoint ms)');
    expect(isTwinLagging({ twin: v })).toBe(true);
    expect(isTwinLagging({})).toBe(false);
  });

  it('several runs: the worst p99 and max, judged once against the level ITL', () => {
    const worst = worstTwinVerdict([{ lagMsP99: 10, lagMsMax: 90, samples: 50 }, undefined, { lagMsP99: 30, lagMsMax: 35, samples: 60 }], 40);
    expect(worst).toMatchObject({ verdict: 'lagging', lagMsP99: 30, lagMsMax: 90, samples: 60 });
    expect(worstTwinVerdict([undefined])).toBeUndefined();
  });
});

describe('poolLevelRuns carries the twin verdict of its runs (pipeline workers, CLI repeats)', () => {
  const records: RequestRecord[] = [0, 1, 2, 3].map((seq) => requestRecord({ concurrency: 2, worker: seq % 2, seq, sentMs: seq * 1000, e2eMs: 1000, tokens: 100 }));

  it('the worst worker reading decides; no reading, no field', () => {
    const level = poolLevelRuns(records, [{ repeat: 0, twin: { lagMsP99: 3, lagMsMax: 5, samples: 40 } }, { repeat: 0, twin: { lagMsP99: 80, lagMsMax: 120, samples: 41 } }], { concurrency: 2 });
    expect(level.twin).toEqual({ schemaVersion: 1, verdict: 'lagging', lagMsP99: 80, lagMsMax: 120, samples: 41, reason: 'twin lag p99 80.0 ms > 25 ms (endpoint ms)' });
    expect(poolLevelRuns(records, [{ repeat: 0 }], { concurrency: 2 }).twin).toBeUndefined();
  });
});
