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
  collectiveLatencyMs: 0.015,
  perSequenceStepMs: 0.25,
};

/**
 * The fixed starting point of the fit, physical guesses: weight and KV streaming near 75–80 % of
 * peak bandwidth, large matmuls near 60 % of peak FLOPS (decode GEMMs 50 %), a few ms of Python
 * dispatch and kernel launches per pass (TGI runs eagerly: ~10 kernels per layer), 15 µs per
 * ring step of an all-reduce (NCCL small-message latency is tens of µs per all-reduce), and a quarter of a millisecond of host work per running sequence per step (TGI's
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

/**
 * Weight of the pull towards the start, per squared log deviation of a parameter (a factor 2 away
 * costs about as much as a 7 % miss on one figure). The published sweeps hold one model and, on A100,
 * one TP degree, so several directions (weight bandwidth vs per-pass launch cost, prefill vs per-sequence
 * host work) are barely constrained: this pull keeps them at physical values.
 */
export const PRIOR_WEIGHT = 1e-2;

/**
 * Default pull for `llm-bench calibrate --from`: ten times weaker, for sweeps that cover several TP
 * degrees, payloads and models (the twin's known parameters are then recovered within a few %).
 */
export const USER_PRIOR_WEIGHT = 1e-3;

/**
 * Scale of the robust loss on log errors: figures off by less than this count quadratically, larger
 * misses (a measured outlier) only about linearly, so one inconsistent figure cannot drag the fit.
 */
export const ROBUST_SCALE = 0.05;

export interface FitOptions {
  /** @default 40 */
  readonly maxIterations?: number;
  /** Point the prior pulls towards. @default the start */
  readonly prior?: StepTimeParams;
  /** @default PRIOR_WEIGHT */
  readonly priorWeight?: number;
  readonly onProgress?: (cost: number, evaluations: number) => void;
}

/** Pseudo-Huber residual: ψ(r)² = 2δ²(√(1 + (r/δ)²) − 1), sign kept; ≈ r for small r. */
function robust(r: number): number {
  const d = ROBUST_SCALE;
  return Math.sign(r) * Math.sqrt(2 * d * d * (Math.sqrt(1 + (r / d) ** 2) - 1));
}

/** The fit's residuals at `params`: one per measured figure, then one per free parameter (the prior). */
function residuals(params: StepTimeParams, sweeps: readonly CalibrationSweep[], free: readonly FreeParameter[], prior: StepTimeParams, priorWeight: number): number[] {
  const out: number[] = [];
  for (const cell of predictCells(params, sweeps)) {
    if (cell.publishedThroughput !== null) out.push(robust(Math.log(Math.max(cell.predictedThroughput, 1e-3) / cell.publishedThroughput)));
    if (cell.publishedLatency !== null) out.push(robust(Math.log(Math.max(cell.predictedLatency, 1e-3) / cell.publishedLatency)));
  }
  const weight = Math.sqrt(priorWeight);
  for (const p of free) out.push(weight * Math.log(read(params, p) / read(prior, p)));
  return out;
}

const sumOfSquares = (r: readonly number[]): number => r.reduce((sum, v) => sum + v * v, 0);

/** Solves A x = b for a small dense system (Gaussian elimination with partial pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col += 1) {
    let pivot = col;
    for (let row = col + 1; row < n; row += 1) if (Math.abs(m[row][col]) > Math.abs(m[pivot][col])) pivot = row;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    const diag = m[col][col] === 0 ? 1e-12 : m[col][col];
    for (let row = col + 1; row < n; row += 1) {
      const f = m[row][col] / diag;
      for (let k = col; k <= n; k += 1) m[row][k] -= f * m[col][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row -= 1) {
    let sum = m[row][n];
    for (let k = row + 1; k < n; k += 1) sum -= m[row][k] * x[k];
    x[row] = sum / (m[row][row] === 0 ? 1e-12 : m[row][row]);
  }
  return x;
}

/**
 * Levenberg–Marquardt in log space over the free parameters (each kept within its physical
 * bounds): residuals are the robust log errors of every measured figure plus the prior's pull;
 * the Jacobian comes from forward differences of 1 % in each parameter. Deterministic for a given
 * start and data.
 */
export function fitParameters(start: StepTimeParams, sweeps: readonly CalibrationSweep[] = publishedCalibrationSweeps(), opts: FitOptions = {}): StepTimeParams {
  const free = freeParametersFor(sweeps);
  const prior = opts.prior ?? start;
  const priorWeight = opts.priorWeight ?? PRIOR_WEIGHT;
  const lo = free.map((p) => Math.log(p.min));
  const hi = free.map((p) => Math.log(p.max));
  const clamp = (x: readonly number[]): number[] => x.map((v, j) => Math.min(hi[j], Math.max(lo[j], v)));
  const toParams = (x: readonly number[]): StepTimeParams => free.reduce((params, p, j) => write(params, p, Math.exp(x[j])), start);
  let x = clamp(free.map((p) => Math.log(read(start, p))));
  let r = residuals(toParams(x), sweeps, free, prior, priorWeight);
  let cost = sumOfSquares(r);
  let evaluations = 1;
  let lambda = 1e-2;
  const h = 0.01;
  for (let iteration = 0; iteration < (opts.maxIterations ?? 40); iteration += 1) {
    const columns = x.map((_, j) => {
      const xj = [...x];
      xj[j] += h;
      const rj = residuals(toParams(xj), sweeps, free, prior, priorWeight);
      evaluations += 1;
      return rj.map((v, i) => (v - r[i]) / h);
    });
    const n = x.length;
    const jtj = Array.from({ length: n }, (_, a) => Array.from({ length: n }, (_, b) => columns[a].reduce((sum, v, i) => sum + v * columns[b][i], 0)));
    const jtr = columns.map((col) => col.reduce((sum, v, i) => sum + v * r[i], 0));
    let improved = false;
    for (let attempt = 0; attempt < 8 && !improved; attempt += 1) {
      const damped = jtj.map((row, a) => row.map((v, b) => (a === b ? v + lambda * Math.max(v, 1e-9) : v)));
      const step = solve(damped, jtr.map((v) => -v));
      const candidate = clamp(x.map((v, j) => v + step[j]));
      const rc = residuals(toParams(candidate), sweeps, free, prior, priorWeight);
      evaluations += 1;
      const cc = sumOfSquares(rc);
      if (cc < cost) {
        const gain = cost - cc;
        x = candidate;
        r = rc;
        cost = cc;
        lambda = Math.max(lambda / 3, 1e-7);
        improved = true;
        opts.onProgress?.(cost, evaluations);
        if (gain < 1e-7 * Math.max(cost, 1e-12)) return toParams(x);
      } else {
        lambda *= 4;
      }
    }
    if (!improved) break;
  }
  return toParams(x);
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
