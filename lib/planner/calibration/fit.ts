import { getInstanceType, getModel } from '../../catalog';
import type { AcceleratorFamily } from '../../catalog/types';
import { predictLevel } from '../predict';
import type { FamilyCalibration, GeneralCalibration, StepTimeParams } from './params';
import { publishedCells, type PublishedCell } from './published';

/**
 * Fit of the step-time parameters on the published cells: predicted vs published throughput and
 * ms/token per cell, and a small deterministic coordinate descent in log space that minimizes the
 * mean absolute log error over all published figures.
 */

export interface CellError {
  readonly sweepId: string;
  readonly concurrency: number;
  readonly publishedThroughput: number | null;
  readonly predictedThroughput: number;
  readonly publishedLatency: number | null;
  readonly predictedLatency: number;
  /** (predicted − published) / published × 100, undefined where nothing was published. */
  readonly throughputErrorPct?: number;
  readonly latencyErrorPct?: number;
}

export interface FitReport {
  readonly cells: readonly CellError[];
  readonly medianAbsErrorPct: { readonly throughput: number; readonly latency: number };
  /** Mean |log(predicted / published)| over every published figure: the fit's objective. */
  readonly objective: number;
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function predictCell(cell: PublishedCell, params: StepTimeParams): { throughput: number; latency: number } {
  const { sweep } = cell;
  const level = predictLevel(
    {
      model: getModel(sweep.model),
      instance: getInstanceType(sweep.instance),
      tp: sweep.tp,
      instances: sweep.instances,
      inputTokens: sweep.totalTokens - sweep.outputTokens,
      outputTokens: sweep.outputTokens,
      concurrency: [cell.concurrency],
      stepTimeParams: params,
    },
    cell.concurrency,
  );
  return { throughput: level.throughputTokensPerS, latency: level.latencyMsPerToken.mean };
}

const errorPct = (predicted: number, published: number | null): number | undefined =>
  published === null ? undefined : ((predicted - published) / published) * 100;

const absLogError = (predicted: number, published: number | null): number =>
  published === null ? 0 : Math.abs(Math.log(Math.max(predicted, 1e-3) / published));

/** Predicts every published cell with `params` and measures the errors. */
export function evaluateFit(params: StepTimeParams, cells: readonly PublishedCell[] = publishedCells()): FitReport {
  let logErrorSum = 0;
  let figures = 0;
  const rows = cells.map((cell): CellError => {
    const predicted = predictCell(cell, params);
    logErrorSum += absLogError(predicted.throughput, cell.throughput) + absLogError(predicted.latency, cell.latency);
    figures += (cell.throughput === null ? 0 : 1) + (cell.latency === null ? 0 : 1);
    return {
      sweepId: cell.sweep.id,
      concurrency: cell.concurrency,
      publishedThroughput: cell.throughput,
      predictedThroughput: predicted.throughput,
      publishedLatency: cell.latency,
      predictedLatency: predicted.latency,
      throughputErrorPct: errorPct(predicted.throughput, cell.throughput),
      latencyErrorPct: errorPct(predicted.latency, cell.latency),
    };
  });
  const abs = (values: (number | undefined)[]): number[] => values.filter((v): v is number => v !== undefined).map(Math.abs);
  return {
    cells: rows,
    medianAbsErrorPct: {
      throughput: median(abs(rows.map((r) => r.throughputErrorPct))),
      latency: median(abs(rows.map((r) => r.latencyErrorPct))),
    },
    objective: figures > 0 ? logErrorSum / figures : 0,
  };
}

/** One free parameter: where it lives and its physical bounds. */
interface FreeParameter {
  readonly family?: AcceleratorFamily;
  readonly key: keyof FamilyCalibration | keyof GeneralCalibration;
  readonly min: number;
  readonly max: number;
}

/** The families the published sweeps cover, and the general effects. Other families borrow (see params.json). */
export const FREE_PARAMETERS: readonly FreeParameter[] = [
  ...(['A10G', 'A100'] as const).flatMap((family): FreeParameter[] => [
    // Decode kernels reach 50–90 % of peak bandwidth; below that the fit would be hiding another effect.
    { family, key: 'memoryEfficiency', min: 0.5, max: 0.95 },
    { family, key: 'computeEfficiency', min: 0.2, max: 0.9 },
    { family, key: 'prefillEfficiency', min: 0.2, max: 0.9 },
    { family, key: 'stepOverheadMs', min: 0.05, max: 30 },
  ]),
  { key: 'commEfficiency', min: 0.01, max: 1 },
  { key: 'collectiveLatencyMs', min: 0.001, max: 1 },
  { key: 'perSequenceStepMs', min: 0.001, max: 5 },
];

function read(params: StepTimeParams, p: FreeParameter): number {
  if (p.family !== undefined) return params.families[p.family][p.key as keyof FamilyCalibration] as number;
  return params.general[p.key as keyof GeneralCalibration];
}

function write(params: StepTimeParams, p: FreeParameter, value: number): StepTimeParams {
  if (p.family !== undefined) {
    const family = { ...params.families[p.family], [p.key]: value };
    return { ...params, families: { ...params.families, [p.family]: family } };
  }
  return { ...params, general: { ...params.general, [p.key]: value } };
}

const START_FAMILY: FamilyCalibration = { memoryEfficiency: 0.75, computeEfficiency: 0.5, prefillEfficiency: 0.5, stepOverheadMs: 2 };

/** The fixed starting point of the fit (physical guesses), so `npm run calibrate` is reproducible. */
export const FIT_START: StepTimeParams = {
  families: {
    A10G: START_FAMILY,
    L4: { ...START_FAMILY, borrowedFrom: 'A10G' },
    L40S: { ...START_FAMILY, borrowedFrom: 'A10G' },
    A100: START_FAMILY,
    H100: { ...START_FAMILY, borrowedFrom: 'A100' },
  },
  general: { commEfficiency: 0.7, collectiveLatencyMs: 0.06, perSequenceStepMs: 0.2 },
};

export interface FitOptions {
  /** Initial multiplicative step (0.4 = try ×1.4 and ÷1.4). @default 0.4 */
  readonly initialStep?: number;
  /** Stop when the step falls below this. @default 0.02 */
  readonly minStep?: number;
  readonly maxEvaluations?: number;
  readonly onProgress?: (objective: number, evaluations: number) => void;
}

/**
 * Coordinate descent in log space: for each free parameter try ×(1+step) and ÷(1+step), keep any
 * improvement; halve the step after a pass without one. Deterministic for a given start.
 */
export function fitParameters(start: StepTimeParams, opts: FitOptions = {}, cells: readonly PublishedCell[] = publishedCells()): StepTimeParams {
  let best = start;
  let bestObjective = evaluateFit(best, cells).objective;
  let step = opts.initialStep ?? 0.4;
  let evaluations = 1;
  const maxEvaluations = opts.maxEvaluations ?? 400;
  while (step >= (opts.minStep ?? 0.02) && evaluations < maxEvaluations) {
    let improved = false;
    for (const p of FREE_PARAMETERS) {
      for (const factor of [1 + step, 1 / (1 + step)]) {
        const value = Math.min(p.max, Math.max(p.min, read(best, p) * factor));
        if (value === read(best, p)) continue;
        const candidate = write(best, p, value);
        const objective = evaluateFit(candidate, cells).objective;
        evaluations += 1;
        if (objective < bestObjective - 1e-9) {
          best = candidate;
          bestObjective = objective;
          improved = true;
          break;
        }
      }
    }
    opts.onProgress?.(bestObjective, evaluations);
    if (!improved) step /= 2;
  }
  return best;
}

/** Copies the fitted figures of a calibrated family to the families without data. */
export function withBorrowedFamilies(params: StepTimeParams): StepTimeParams {
  const families = { ...params.families };
  for (const family of Object.keys(families) as AcceleratorFamily[]) {
    const borrowedFrom = families[family].borrowedFrom;
    if (borrowedFrom !== undefined) families[family] = { ...families[borrowedFrom], borrowedFrom };
  }
  return { ...params, families };
}
