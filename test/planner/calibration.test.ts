import { evaluateFit } from '../../lib/planner/calibration/fit';
import { calibrationProvenance, defaultStepTimeParams } from '../../lib/planner/calibration/params';
import { publishedCells, PUBLISHED_STUDY } from '../../lib/planner/calibration/published';

describe('calibration', () => {
  const report = evaluateFit(defaultStepTimeParams());

  it('covers every published figure of the four Llama 2 7B sweeps', () => {
    expect(PUBLISHED_STUDY.sweeps).toHaveLength(4);
    expect(report.cells).toHaveLength(publishedCells().length);
    expect(report.cells.length).toBe(33);
  });

  it('keeps the median absolute error under 10 % for throughput and for ms/token (recomputed from params.json)', () => {
    expect(report.medianAbsErrorPct.throughput).toBeLessThan(10);
    expect(report.medianAbsErrorPct.latency).toBeLessThan(10);
  });

  it('matches what params.json claims about its own fit', () => {
    const claimed = calibrationProvenance().medianAbsErrorPct;
    expect(claimed).toBeDefined();
    expect(report.medianAbsErrorPct.throughput).toBeCloseTo(claimed?.throughput ?? NaN, 1);
    expect(report.medianAbsErrorPct.latency).toBeCloseTo(claimed?.latency ?? NaN, 1);
  });

  it('keeps the parameters physical and per hardware family', () => {
    const params = defaultStepTimeParams();
    for (const family of Object.values(params.families)) {
      for (const efficiency of [family.memoryEfficiency, family.computeEfficiency, family.prefillEfficiency]) {
        expect(efficiency).toBeGreaterThan(0.1);
        expect(efficiency).toBeLessThanOrEqual(1);
      }
    }
    expect(params.families.L4).toMatchObject({ borrowedFrom: 'A10G', memoryEfficiency: params.families.A10G.memoryEfficiency });
    expect(params.families.H100).toMatchObject({ borrowedFrom: 'A100', memoryEfficiency: params.families.A100.memoryEfficiency });
  });
});
