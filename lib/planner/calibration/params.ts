import type { AcceleratorFamily } from '../../catalog/types';
import calibrationData from './params.json';

/**
 * The step-time model's free parameters, fitted by `npm run calibrate` on the published Llama 2 7B
 * sweeps only (see `provenance` in params.json). Parameters are per accelerator family or general,
 * never per model or per table, so the same figures predict other models, TP degrees and layouts.
 */

/** Efficiencies of one accelerator family (fractions of the data-sheet peaks) and its fixed step cost. */
export interface FamilyCalibration {
  /** Achieved / peak memory bandwidth while decoding (weights and KV reads). */
  readonly memoryEfficiency: number;
  /** Achieved / peak dense fp16 FLOPS in compute-bound decode steps. */
  readonly computeEfficiency: number;
  /** Achieved / peak dense fp16 FLOPS in prefill passes (large matmuls). */
  readonly prefillEfficiency: number;
  /** Fixed cost of one forward pass on this hardware (kernel launches, host work), ms. */
  readonly stepOverheadMs: number;
  /** Family whose fitted figures were borrowed when this family has no calibration data. */
  readonly borrowedFrom?: AcceleratorFamily;
}

/** Effects that do not depend on the accelerator family. */
export interface GeneralCalibration {
  /** Achieved / peak interconnect bandwidth in all-reduces. */
  readonly commEfficiency: number;
  /** Latency of one all-reduce per log2(TP) hop, ms (NCCL small-message latency). */
  readonly collectiveLatencyMs: number;
  /** Host work per running sequence per decode step (sampling, stop checks, detokenization), ms. */
  readonly perSequenceStepMs: number;
}

export interface StepTimeParams {
  readonly families: Readonly<Record<AcceleratorFamily, FamilyCalibration>>;
  readonly general: GeneralCalibration;
}

export interface CalibrationProvenance {
  readonly fittedAt: string;
  readonly procedure: string;
  readonly dataFile: string;
  readonly objective: string;
  readonly medianAbsErrorPct?: { readonly throughput: number; readonly latency: number };
}

export interface CalibrationFile extends StepTimeParams {
  readonly provenance: CalibrationProvenance;
}

const CALIBRATION = calibrationData as CalibrationFile;

/** The fitted parameters shipped with the repository. */
export function defaultStepTimeParams(): StepTimeParams {
  return { families: CALIBRATION.families, general: CALIBRATION.general };
}

/** Where the shipped parameters came from (fit date, procedure, data file). */
export function calibrationProvenance(): CalibrationProvenance {
  return CALIBRATION.provenance;
}
