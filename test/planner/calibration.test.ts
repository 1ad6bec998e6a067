import { evaluateFit, FIT_START, fitParameters, publishedCalibrationSweeps, withBorrowedFamilies } from '../../lib/planner/calibration/fit';
import { toCalibrationFile } from '../../lib/planner/calibration/params-file';
import { calibrationProvenance, defaultStepTimeParams } from '../../lib/planner/calibration/params';
import { publishedCells, PUBLISHED_STUDY } from '../../lib/planner/calibration/published';

describe('calibration', () => {
  const sweeps = publishedCalibrationSweeps();
  const report = evaluateFit(defaultStepTimeParams(), sweeps);

  it('covers every published figure of the four Llama 2 7B sweeps', () => {
    expect(PUBLISHED_STUDY.sweeps).toHaveLength(4);
    expect(report.cells).toHaveLength(publishedCells().length);
    expect(report.cells.length).toBe(33);
    expect(Object.keys(report.byFamily).sort()).toEqual(['A100', 'A10G']);
  });

  it('keeps the median absolute error under 10 % for throughput and for ms/token (recomputed from params.json)', () => {
    expect(report.medianAbsErrorPct.throughput).toBeLessThan(10);
    expect(report.medianAbsErrorPct.latency).toBeLessThan(10);
  });

  it('matches what params.json claims about its own fit, in sample and cross-validated', () => {
    const claimed = calibrationProvenance().medianAbsErrorPct;
    expect(claimed).toBeDefined();
    expect(report.medianAbsErrorPct.throughput).toBeCloseTo(claimed?.throughput ?? NaN, 1);
    expect(report.medianAbsErrorPct.latency).toBeCloseTo(claimed?.latency ?? NaN, 1);
    const cv = calibrationProvenance().crossValidatedMedianAbsErrorPct;
    expect(cv).toBeDefined();
    // Sweeps the fit never saw are predicted worse than the ones it saw.
    expect(cv?.throughput ?? 0).toBeGreaterThanOrEqual(report.medianAbsErrorPct.throughput);
  });

  it('keeps the parameters physical and per hardware family', () => {
    const params = defaultStepTimeParams();
    for (const family of Object.values(params.families)) {
      for (const efficiency of [family.memoryEfficiency, family.kvEfficiency, family.computeEfficiency, family.prefillEfficiency, family.commEfficiency]) {
        expect(efficiency).toBeGreaterThan(0.1);
        expect(efficiency).toBeLessThanOrEqual(1);
      }
    }
    expect(params.families.L4).toMatchObject({ borrowedFrom: 'A10G', memoryEfficiency: params.families.A10G.memoryEfficiency });
    expect(params.families.H100).toMatchObject({ borrowedFrom: 'A100', memoryEfficiency: params.families.A100.memoryEfficiency });
  });

  it('refitting on the published sweeps reproduces the shipped parameters (the fit is deterministic; params.json keeps 4 significant digits)', () => {
    const refit = toCalibrationFile(withBorrowedFamilies(fitParameters(FIT_START, sweeps)), calibrationProvenance());
    const shipped = defaultStepTimeParams();
    expect(refit.families).toEqual(shipped.families);
    expect(refit.general).toEqual(shipped.general);
  });

});
