import type { AcceleratorFamily } from '../../catalog/types';
import calibrationData from './params.json';

/**
 * The step-time model's free parameters, fitted by `npm run calibrate` on the published Llama 2 7B
 * sweeps only (see `provenance` in params.json), or by `llm-bench calibrate --from DIR…` on the
 * user's own sweeps. Parameters are per accelerator family (with the interconnect its instances use)
 * or general, never per model or per table, so the same figures predict other models, TP degrees
 * and layouts.
 */

/** Efficiencies of one accelerator family (fractions of the data-sheet peaks), its fixed step cost and its interconnect. */
export interface FamilyCalibration {
  /** Achieved / peak memory bandwidth while streaming the weights in a decode step (large GEMVs). */
  readonly memoryEfficiency: number;
  /** Achieved / peak memory bandwidth of the decode attention kernel reading the KV cache (paged attention). */
  readonly kvEfficiency: number;
  /** Achieved / peak dense fp16 FLOPS in compute-bound decode steps. */
  readonly computeEfficiency: number;
  /** Achieved / peak dense fp16 FLOPS in prefill passes (large matmuls). */
  readonly prefillEfficiency: number;
  /** Fixed cost of one forward pass on this hardware (kernel launches, host dispatch), ms. */
  readonly stepOverheadMs: number;
  /** Achieved / peak interconnect bandwidth in all-reduces between this family's GPUs (PCIe on A10G/L4/L40S instances, NVLink on A100/H100). */
  readonly commEfficiency: number;
  /**
   * Latency of one step of a ring all-reduce on this family's interconnect, ms (NCCL's small-message
   * latency and the shards' synchronisation); an all-reduce over TP GPUs takes 2 (TP − 1) steps.
   */
  readonly collectiveLatencyMs: number;
  /**
   * Host work per running sequence per decode step on this family's instances (TGI's per-request
   * Python loop: sampling, stop criteria, detokenization; runs on the instance's host CPU), ms.
   */
  readonly perSequenceStepMs: number;
  /** Family whose fitted figures were borrowed when this family has no calibration data. */
  readonly borrowedFrom?: AcceleratorFamily;
}

/** Effects that do not depend on the accelerator family (none today: every fitted effect depends on the hardware). */
export type GeneralCalibration = Readonly<Record<string, never>>;

export interface StepTimeParams {
  readonly families: Readonly<Record<AcceleratorFamily, FamilyCalibration>>;
  readonly general: GeneralCalibration;
}

/** The keys of FamilyCalibration that are numbers (the fitted ones). */
export type FamilyParameter = Exclude<keyof FamilyCalibration, 'borrowedFrom'>;
export type GeneralParameter = keyof GeneralCalibration;

export const FAMILY_PARAMETERS: readonly FamilyParameter[] = [
  'memoryEfficiency',
  'kvEfficiency',
  'computeEfficiency',
  'prefillEfficiency',
  'stepOverheadMs',
  'commEfficiency',
  'collectiveLatencyMs',
  'perSequenceStepMs',
];
export const GENERAL_PARAMETERS: readonly GeneralParameter[] = [];

export interface CalibrationProvenance {
  readonly fittedAt: string;
  readonly procedure: string;
  readonly dataFile: string;
  readonly objective: string;
  readonly medianAbsErrorPct?: { readonly throughput: number; readonly latency: number };
  /** Leave-one-sweep-out cross-validated median |error| (each sweep predicted by parameters fitted without it). */
  readonly crossValidatedMedianAbsErrorPct?: { readonly throughput: number; readonly latency: number };
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
