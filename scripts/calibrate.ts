/**
 * `npm run calibrate`: fits the step-time parameters on the published Llama 2 7B sweeps
 * (lib/planner/calibration/llama-2-7b-published.json) and writes lib/planner/calibration/params.json.
 * Prints the per-cell fit (published vs predicted throughput and ms/token), the in-sample median
 * errors, and the leave-one-sweep-out cross-validated ones (each sweep predicted by parameters fitted
 * without it), overall and per accelerator family.
 * `--check` only evaluates the shipped parameters (no fit, no write); `--no-cv` skips cross-validation.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  crossValidate,
  evaluateFit,
  FIT_START,
  fitParameters,
  freeParametersFor,
  PRIOR_WEIGHT,
  publishedCalibrationSweeps,
  ROBUST_SCALE,
  withBorrowedFamilies,
  type FitReport,
} from '../lib/planner/calibration/fit';
import { calibrationProvenance, defaultStepTimeParams } from '../lib/planner/calibration/params';
import { roundParameter, toCalibrationFile } from '../lib/planner/calibration/params-file';
import { formatFitReport, formatMedians } from '../loadtest/cli/calibrate-report';

const PARAMS_PATH = join(__dirname, '..', 'lib', 'planner', 'calibration', 'params.json');

function main(argv: readonly string[]): void {
  const sweeps = publishedCalibrationSweeps();
  if (argv.includes('--check')) {
    console.log(`parameters fitted ${calibrationProvenance().fittedAt}`);
    console.log(formatFitReport(evaluateFit(defaultStepTimeParams(), sweeps)));
    return;
  }
  const t0 = Date.now();
  const progress = (objective: number, n: number): boolean => process.stderr.write(`  objective ${objective.toFixed(4)} after ${n} evaluations\n`);
  const fitted = withBorrowedFamilies(fitParameters(FIT_START, sweeps, { onProgress: progress }));
  const report = evaluateFit(fitted, sweeps);
  console.log(formatFitReport(report));
  let cv: FitReport | undefined;
  if (!argv.includes('--no-cv')) {
    process.stderr.write('cross-validation: refitting once per left-out sweep\n');
    cv = crossValidate(FIT_START, sweeps);
    console.log(`\nleave-one-sweep-out cross-validated (each sweep predicted by a fit without it):\n${formatMedians(cv)}`);
  }
  const round2 = (m: { throughput: number; latency: number }): { throughput: number; latency: number } => ({
    throughput: roundParameter(m.throughput),
    latency: roundParameter(m.latency),
  });
  const file = toCalibrationFile(fitted, {
    fittedAt: new Date().toISOString().slice(0, 10),
    procedure:
      `npm run calibrate: Levenberg–Marquardt in log space (pseudo-Huber log errors, scale ${ROBUST_SCALE}; pull towards FIT_START, weight ${PRIOR_WEIGHT}) over ${freeParametersFor(sweeps).length} parameters ` +
      '(per accelerator family: weight and KV bandwidth, decode and prefill compute efficiencies, step overhead, interconnect efficiency and ring-step latency, host work per sequence), ' +
      'closed-loop simulation of each published level (staggered start, warm-up c, window max(3c, 40) completions, throughput by Little\'s law where every request succeeds); L4/L40S borrow A10G, H100 borrows A100',
    dataFile: 'lib/planner/calibration/llama-2-7b-published.json',
    objective: 'least squares of pseudo-Huber log errors over published figures (throughput and ms/token); medians below are of |predicted − published| / published',
    medianAbsErrorPct: round2(report.medianAbsErrorPct),
    ...(cv !== undefined ? { crossValidatedMedianAbsErrorPct: round2(cv.medianAbsErrorPct) } : {}),
  });
  writeFileSync(PARAMS_PATH, `${JSON.stringify(file, null, 2)}\n`);
  console.log(`wrote ${PARAMS_PATH} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

main(process.argv.slice(2));
