import { twinVerdict } from '../../lib/results/twin-verdict';
import type { LevelResult, SweepResult } from '../../lib/results/records';
import { twinLagWarning } from '../../loadtest/offline/twin-lag-warning';

const level = (concurrency: number, lagMsP99?: number): LevelResult =>
  ({ concurrency, ...(lagMsP99 !== undefined ? { twin: twinVerdict({ lagMsP99, lagMsMax: lagMsP99 + 10, samples: 100 }) } : {}) }) as LevelResult;
const sweep = (label: string, levels: LevelResult[]): SweepResult => ({ label, levels }) as unknown as SweepResult;

describe('twinLagWarning (npm start)', () => {
  it('says how many levels lagged and names the worst, with its reason', () => {
    expect(twinLagWarning([sweep('a', [level(1, 5), level(2, 40), level(4, 90)])])).toBe(
      'warning: 2 of 3 levels were measured against a lagging local twin (worst: c=4, twin lag p99 90.0 ms > 25 ms (endpoint ms)); ' +
        "their token gaps, TTFT and SLO attainment carry the twin's own lag: lower --speedup or run on a less loaded machine",
    );
    // A fleet names the deployment's sweep too.
    expect(twinLagWarning([sweep('a', [level(1, 5)]), sweep('b', [level(8, 30)]), undefined])).toMatch(/^warning: 1 of 2 levels .*\(worst: b c=8, /);
  });

  it('says nothing when no level lagged or none was measured against a twin', () => {
    expect(twinLagWarning([sweep('a', [level(1, 5), level(2)])])).toBeUndefined();
    expect(twinLagWarning([undefined])).toBeUndefined();
  });
});
