import { getInstanceType, getModel } from '../../catalog';
import type { AcceleratorFamily, TgiSettings } from '../../catalog/types';
import { predictLevel } from '../predict';
import {
  FAMILY_PARAMETERS,
  GENERAL_PARAMETERS,
  type FamilyCalibration,
  type FamilyParameter,
  type GeneralParameter,
  type StepTimeParams,
} from './params';
import { PUBLISHED_STUDY, type PublishedStudy } from './published';

/**
 * Fit of the step-time parameters on measured sweeps (the published ones, or the user's own):
 * every measured level is predicted by the same closed-loop simulation `plan` uses, and a small
 * deterministic coordinate descent in log space minimizes the mean absolute log error over all
 * measured figures (throughput and ms/token). Parameters are per accelerator family (only families
 * with data are fitted) plus the general ones.
 */

/** One measured level: endpoint-wide output tokens/s and mean ms per output token (null where not measured). */
export interface CalibrationLevel {
  readonly concurrency: number;
  readonly throughput: number | null;
  readonly latency: number | null;
}

/** One measured sweep of a known deployment. */
export interface CalibrationSweep {
  readonly id: string;
  readonly model: string;
  readonly instance: string;
  readonly tp: number;
  /** Model copies per instance. @default 1 */
  readonly copies?: number;
  readonly instances: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** TGI settings of the measured deployment that differ from the catalog's JumpStart defaults. */
  readonly tgi?: Partial<TgiSettings>;
  readonly levels: readonly CalibrationLevel[];
}

export interface CellError {
  readonly sweepId: string;
  readonly family: AcceleratorFamily;
  readonly concurrency: number;
  readonly publishedThroughput: number | null;
  readonly predictedThroughput: number;
  readonly publishedLatency: number | null;
  readonly predictedLatency: number;
  /** (predicted − measured) / measured × 100, undefined where nothing was measured. */
  readonly throughputErrorPct?: number;
  readonly latencyErrorPct?: number;
}

export interface MedianErrors {
  readonly throughput: number;
  readonly latency: number;
  readonly cells: number;
}

export interface FitReport {
  readonly cells: readonly CellError[];
  readonly medianAbsErrorPct: { readonly throughput: number; readonly latency: number };
  /** Median |error| per accelerator family. */
  readonly byFamily: Partial<Record<AcceleratorFamily, MedianErrors>>;
  /** Mean |log(predicted / measured)| over every measured figure: the fit's data term. */
  readonly objective: number;
}

/** The published sweeps as calibration data (deployed with the catalog's JumpStart container defaults). */
export function publishedCalibrationSweeps(study: PublishedStudy = PUBLISHED_STUDY): CalibrationSweep[] {
  return study.sweeps.map((sweep) => ({
    id: sweep.id,
    model: sweep.model,
    instance: sweep.instance,
    tp: sweep.tp,
    instances: sweep.instances,
    inputTokens: sweep.totalTokens - sweep.outputTokens,
    outputTokens: sweep.outputTokens,
    levels: study.concurrency
      .map((concurrency, i) => ({ concurrency, throughput: sweep.throughput[i] ?? null, latency: sweep.latency[i] ?? null }))
      .filter((l) => l.throughput !== null || l.latency !== null),
  }));
}

export function familyOf(sweep: CalibrationSweep): AcceleratorFamily {
  return getInstanceType(sweep.instance).accelerator.family;
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function predictSweepLevel(sweep: CalibrationSweep, concurrency: number, params: StepTimeParams): { throughput: number; latency: number } {
  const level = predictLevel(
    {
      model: getModel(sweep.model),
      instance: getInstanceType(sweep.instance),
      tp: sweep.tp,
      copies: sweep.copies ?? 1,
      instances: sweep.instances,
      inputTokens: sweep.inputTokens,
      outputTokens: sweep.outputTokens,
      tgi: sweep.tgi,
      concurrency: [concurrency],
      stepTimeParams: params,
    },
    concurrency,
  );
  return { throughput: level.throughputTokensPerS, latency: level.latencyMsPerToken.mean };
}

const errorPct = (predicted: number, measured: number | null): number | undefined =>
  measured === null ? undefined : ((predicted - measured) / measured) * 100;

const absLogError = (predicted: number, measured: number | null): number =>
  measured === null ? 0 : Math.abs(Math.log(Math.max(predicted, 1e-3) / measured));

/** Predicts every level of the sweeps with `params`. */
export function predictCells(params: StepTimeParams, sweeps: readonly CalibrationSweep[]): CellError[] {
  return sweeps.flatMap((sweep) =>
    sweep.levels.map((cell): CellError => {
      const predicted = predictSweepLevel(sweep, cell.concurrency, params);
      return {
        sweepId: sweep.id,
        family: familyOf(sweep),
        concurrency: cell.concurrency,
        publishedThroughput: cell.throughput,
        predictedThroughput: predicted.throughput,
        publishedLatency: cell.latency,
        predictedLatency: predicted.latency,
        throughputErrorPct: errorPct(predicted.throughput, cell.throughput),
        latencyErrorPct: errorPct(predicted.latency, cell.latency),
      };
    }),
  );
}

const absValues = (values: readonly (number | undefined)[]): number[] => values.filter((v): v is number => v !== undefined).map(Math.abs);

/** Median errors, objective and per-family breakdown of predicted cells. */
export function summarizeCells(cells: readonly CellError[]): FitReport {
  let logErrorSum = 0;
  let figures = 0;
  for (const c of cells) {
    logErrorSum += absLogError(c.predictedThroughput, c.publishedThroughput) + absLogError(c.predictedLatency, c.publishedLatency);
    figures += (c.publishedThroughput === null ? 0 : 1) + (c.publishedLatency === null ? 0 : 1);
  }
  const medians = (of: readonly CellError[]): MedianErrors => ({
    throughput: median(absValues(of.map((r) => r.throughputErrorPct))),
    latency: median(absValues(of.map((r) => r.latencyErrorPct))),
    cells: of.length,
  });
  const byFamily: Partial<Record<AcceleratorFamily, MedianErrors>> = {};
  for (const family of [...new Set(cells.map((c) => c.family))]) byFamily[family] = medians(cells.filter((c) => c.family === family));
  const all = medians(cells);
  return {
    cells,
    medianAbsErrorPct: { throughput: all.throughput, latency: all.latency },
    byFamily,
    objective: figures > 0 ? logErrorSum / figures : 0,
  };
}

/** Predicts every measured level with `params` and measures the errors. */
export function evaluateFit(params: StepTimeParams, sweeps: readonly CalibrationSweep[] = publishedCalibrationSweeps()): FitReport {
  return summarizeCells(predictCells(params, sweeps));
}

/** One free parameter: where it lives and its physical bounds. */
export interface FreeParameter {
  readonly family?: AcceleratorFamily;
  readonly key: FamilyParameter | GeneralParameter;
  readonly min: number;
  readonly max: number;
}

/**
 * Physical bounds of each parameter: kernels reach at most 95 % of a data-sheet peak; below the
 * lower bounds the fit would be hiding another effect.
 */
const BOUNDS: Readonly<Record<FamilyParameter | GeneralParameter, { min: number; max: number }>> = {
  memoryEfficiency: { min: 0.4, max: 0.95 },
  kvEfficiency: { min: 0.1, max: 0.95 },
  computeEfficiency: { min: 0.1, max: 0.95 },
  prefillEfficiency: { min: 0.15, max: 0.95 },
  stepOverheadMs: { min: 0.05, max: 30 },
  commEfficiency: { min: 0.05, max: 1 },
  collectiveLatencyMs: { min: 0.001, max: 1 },
  perSequenceStepMs: { min: 0.001, max: 5 },
};

const COMM_PARAMETERS: ReadonlySet<FamilyParameter> = new Set(['commEfficiency', 'collectiveLatencyMs']);

/**
 * The parameters the sweeps can inform: every family parameter of each family measured (the
 * interconnect ones only where a sweep shards, TP > 1), and the general ones.
 */
export function freeParametersFor(sweeps: readonly CalibrationSweep[]): FreeParameter[] {
  const families = [...new Set(sweeps.map(familyOf))].sort();
  return [
    ...families.flatMap((family): FreeParameter[] => {
      const sharded = sweeps.some((s) => familyOf(s) === family && s.tp > 1);
      return FAMILY_PARAMETERS.filter((key) => sharded || !COMM_PARAMETERS.has(key)).map((key) => ({ family, key, ...BOUNDS[key] }));
    }),
    ...GENERAL_PARAMETERS.map((key): FreeParameter => ({ key, ...BOUNDS[key] })),
  ];
}

function read(params: StepTimeParams, p: FreeParameter): number {
  if (p.family !== undefined) return params.families[p.family][p.key as FamilyParameter];
  return params.general[p.key as GeneralParameter];
}

function write(params: StepTimeParams, p: FreeParameter, value: number): StepTimeParams {
  if (p.family !== undefined) {
    const family: FamilyCalibration = { ...params.families[p.family], [p.key]: value };
    return { ...params, families: { ...params.families, [p.family]: family } };
  }
  return { ...params, general: { ...params.general, [p.key]: value } as StepTimeParams['general'] };
}

const START_FAMILY: FamilyCalibration = {
  memoryEfficiency: 0.8,
  kvEfficiency: 0.75,
  computeEfficiency: 0.5,
  prefillEfficiency: 0.6,
  stepOverheadMs: 4,
  commEfficiency: 0.6,
  collectiveLatencyMs: 0.05,
  perSequenceStepMs: 0.25,
};

/**
 * The fixed starting point of the fit, physical guesses: weight and KV streaming near 75–80 % of
 * peak bandwidth, large matmuls near 60 % of peak FLOPS (decode GEMMs 50 %), a few ms of Python
 * dispatch and kernel launches per pass (TGI runs eagerly: ~10 kernels per layer), 50 µs per
 * all-reduce hop, and a quarter of a millisecond of host work per running sequence per step (TGI's
 * per-request Python loop: sampling, stop criteria, detokenization; it is the marginal cost per
 * sequence the published sweeps show at TP 8, where a sequence's share of GPU work is small).
 * The fit also pulls weakly towards it (PRIOR_WEIGHT), which only decides directions the data leave open.
 */
export const FIT_START: StepTimeParams = {
  families: {
    A10G: START_FAMILY,
    L4: { ...START_FAMILY, borrowedFrom: 'A10G' },
    L40S: { ...START_FAMILY, borrowedFrom: 'A10G' },
    A100: START_FAMILY,
    H100: { ...START_FAMILY, borrowedFrom: 'A100' },
  },
  general: {},
};

/** Weight of the pull towards the start per squared log deviation (a factor 2 costs 0.002 × 0.48). */
export const PRIOR_WEIGHT = 1e-2;

export interface FitOptions {
  /** Initial multiplicative step (0.4 = try ×1.4 and ÷1.4). @default 0.4 */
  readonly initialStep?: number;
  /** Stop when the step falls below this. @default 0.02 */
  readonly minStep?: number;
  /** @default 600 */
  readonly maxEvaluations?: number;
  /** Point the prior pulls towards. @default the start */
  readonly prior?: StepTimeParams;
  readonly onProgress?: (objective: number, evaluations: number) => void;
}

function penalized(params: StepTimeParams, sweeps: readonly CalibrationSweep[], free: readonly FreeParameter[], prior: StepTimeParams): number {
  let penalty = 0;
  for (const p of free) penalty += Math.log(read(params, p) / read(prior, p)) ** 2;
  return evaluateFit(params, sweeps).objective + PRIOR_WEIGHT * penalty;
}

/**
 * Coordinate descent in log space: for each free parameter try ×(1+step) and ÷(1+step), keep any
 * improvement; halve the step after a pass without one. Deterministic for a given start and data.
 */
export function fitParameters(start: StepTimeParams, sweeps: readonly CalibrationSweep[] = publishedCalibrationSweeps(), opts: FitOptions = {}): StepTimeParams {
  const free = freeParametersFor(sweeps);
  const prior = opts.prior ?? start;
  let best = start;
  let bestObjective = penalized(best, sweeps, free, prior);
  let step = opts.initialStep ?? 0.4;
  let evaluations = 1;
  const maxEvaluations = opts.maxEvaluations ?? 600;
  while (step >= (opts.minStep ?? 0.02) && evaluations < maxEvaluations) {
    let improved = false;
    for (const p of free) {
      for (const factor of [1 + step, 1 / (1 + step)]) {
        const value = Math.min(p.max, Math.max(p.min, read(best, p) * factor));
        if (value === read(best, p)) continue;
        const candidate = write(best, p, value);
        const objective = penalized(candidate, sweeps, free, prior);
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

/**
 * Leave-one-sweep-out cross-validation: each sweep is predicted by parameters fitted on all the
 * other sweeps (a family left without data keeps the start values), so the errors are those of
 * sweeps the fit never saw.
 */
export function crossValidate(start: StepTimeParams, sweeps: readonly CalibrationSweep[], opts: FitOptions = {}): FitReport {
  const cells = sweeps.flatMap((held, i) => {
    const rest = sweeps.filter((_, j) => j !== i);
    const fitted = withBorrowedFamilies(fitParameters(start, rest, opts));
    return predictCells(fitted, [held]);
  });
  return summarizeCells(cells);
}
