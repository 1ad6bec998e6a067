import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { getInstanceType, getModel } from '../../lib/catalog';
import { UserInputError } from '../../lib/errors';
import { crossValidate, evaluateFit, fitParameters, freeParametersFor, type CalibrationSweep, type FitOptions, type FitReport, USER_PRIOR_WEIGHT } from '../../lib/planner/calibration/fit';
import { defaultStepTimeParams, type CalibrationFile, type StepTimeParams } from '../../lib/planner/calibration/params';
import { roundParameter, toCalibrationFile } from '../../lib/planner/calibration/params-file';
import { isFeasible } from '../../lib/results/summarize-sweep';
import type { SweepResult } from '../../lib/results/records';
import { loadSweeps } from '../report/load-sweeps';
import { formatFitReport, formatMedians } from './calibrate-report';
import { readParamsFlag } from './params-flag';

/**
 * `llm-bench calibrate --from DIR…`: fits the step-time parameters per accelerator family to measured
 * sweeps (sweep.json folders whose deployment is known) and writes a params file that `plan`,
 * `serve-local` and `reproduce` read with `--params FILE`. Families without data keep the starting
 * parameters (the shipped ones, or `--start FILE`).
 */

export interface CalibrateFlags {
  readonly from: readonly string[];
  readonly out: string;
  readonly start?: string;
  readonly cv?: boolean;
  readonly priorWeight?: string;
}

/** The calibration data of one measured sweep: its feasible levels, with the deployment it names. */
export function calibrationSweepOf(sweep: SweepResult, source: string): CalibrationSweep {
  const d = sweep.deployment;
  if (d?.model === undefined || d.instanceType === undefined || d.tp === undefined) {
    throw new UserInputError(source, 'names no deployment (deployment.model, instanceType and tp): measure with `sweep --model --instance --tp`, or against serve-local');
  }
  getModel(d.model);
  getInstanceType(d.instanceType);
  const levels = sweep.levels
    .filter((level) => isFeasible(level) && level.outputTokens > 0)
    .map((level) => ({ concurrency: level.concurrency, throughput: level.throughputTokensPerS, latency: level.latencyMsPerToken.mean }));
  return {
    id: `${sweep.label} (${source})`,
    model: d.model,
    instance: d.instanceType,
    tp: d.tp,
    copies: d.copies ?? 1,
    instances: d.instances ?? 1,
    inputTokens: sweep.payload.inputTokens,
    outputTokens: sweep.payload.outputTokens,
    levels,
  };
}

export interface CalibrationRun {
  readonly file: CalibrationFile;
  readonly report: FitReport;
  readonly crossValidated?: FitReport;
}

/** Fits the parameters to the sweeps at `from` starting from `start`; pure apart from reading the sweeps. */
export function calibrateFrom(
  from: readonly string[],
  start: StepTimeParams = defaultStepTimeParams(),
  opts: { crossValidate?: boolean; now?: Date; fit?: FitOptions } = {},
): CalibrationRun {
  if (from.length === 0) throw new UserInputError('--from', 'give at least one sweep folder (or sweep.json) measured against a known deployment');
  const sweeps = from.flatMap((path) => loadSweeps([path]).map((sweep) => calibrationSweepOf(sweep, path)));
  const measured = sweeps.filter((s) => s.levels.length > 0);
  if (measured.length === 0) throw new UserInputError('--from', 'the sweeps have no feasible level to fit to');
  const fit: FitOptions = { priorWeight: USER_PRIOR_WEIGHT, ...opts.fit };
  const fitted = fitParameters(start, measured, fit);
  const report = evaluateFit(fitted, measured);
  const crossValidated = opts.crossValidate === true && measured.length > 1 ? crossValidate(start, measured, fit) : undefined;
  const pct = (m: { throughput: number; latency: number }): { throughput: number; latency: number } => ({
    throughput: roundParameter(m.throughput),
    latency: roundParameter(m.latency),
  });
  const families = [...new Set(freeParametersFor(measured).map((p) => p.family).filter((f) => f !== undefined))];
  const file = toCalibrationFile(fitted, {
    fittedAt: (opts.now ?? new Date()).toISOString().slice(0, 10),
    procedure: `llm-bench calibrate: Levenberg–Marquardt in log space (robust log errors, prior weight ${fit.priorWeight ?? USER_PRIOR_WEIGHT}) over ${freeParametersFor(measured).length} parameters of ${families.join(', ')}; other families keep the starting parameters`,
    dataFile: from.join(', '),
    objective: 'mean over measured feasible levels of |log(predicted / measured)|, throughput and ms/token',
    medianAbsErrorPct: pct(report.medianAbsErrorPct),
    ...(crossValidated !== undefined ? { crossValidatedMedianAbsErrorPct: pct(crossValidated.medianAbsErrorPct) } : {}),
  });
  return { file, report, ...(crossValidated !== undefined ? { crossValidated } : {}) };
}

function runCalibrate(flags: CalibrateFlags): void {
  const start = flags.start !== undefined ? readParamsFlag(flags.start, '--start') : defaultStepTimeParams();
  const priorWeight = flags.priorWeight === undefined ? USER_PRIOR_WEIGHT : Number(flags.priorWeight);
  if (!(priorWeight >= 0) || !Number.isFinite(priorWeight)) throw new UserInputError('--prior-weight', `'${flags.priorWeight}' is not a number ≥ 0`);
  const run = calibrateFrom(flags.from, start, { crossValidate: flags.cv === true, fit: { priorWeight } });
  process.stdout.write(`${formatFitReport(run.report)}\n`);
  if (run.crossValidated !== undefined) process.stdout.write(`\nleave-one-sweep-out cross-validated:\n${formatMedians(run.crossValidated)}\n`);
  writeFileSync(flags.out, `${JSON.stringify(run.file, null, 2)}\n`);
  process.stdout.write(`wrote ${flags.out} (use it with plan/serve-local/reproduce --params ${flags.out})\n`);
}

export function register(program: Command): void {
  program
    .command('calibrate')
    .description('fit the step-time parameters per accelerator family to measured sweeps and write a params file')
    .requiredOption('--from <dirs...>', 'sweep folders (or sweep.json files) measured against known deployments')
    .option('--out <file>', 'params file to write', 'params.json')
    .option('--start <file>', 'params file to start from (default: the shipped parameters)')
    .option('--prior-weight <w>', `pull towards the starting parameters per squared log deviation (default ${USER_PRIOR_WEIGHT}; raise it when the sweeps cover one TP degree or payload)`)
    .option('--cv', 'also print leave-one-sweep-out cross-validated errors (one refit per sweep)')
    .action((flags: CalibrateFlags) => runCalibrate(flags));
}
