import type { ModelSpec } from '../catalog/types';

/** fp16/bf16 weights: 2 bytes per parameter (the catalog's dtypes are both 16-bit). */
const BYTES_PER_PARAMETER = 2;

/**
 * Documented range of ContainerStartupHealthCheckTimeoutInSeconds and
 * ModelDataDownloadTimeoutInSeconds: 60..3600 s.
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProductionVariant.html
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_InferenceComponentStartupParameters.html
 */
export const MIN_STARTUP_TIMEOUT_S = 60;
export const MAX_STARTUP_TIMEOUT_S = 3600;

/** Base time for the container to boot before weights matter, s (our allowance, not an AWS figure). */
const BASE_TIMEOUT_S = 600;
/** Allowance per GB of weights for download and load into GPU memory, s/GB (our allowance). */
const TIMEOUT_S_PER_GB = 20;

/** Checkpoint size in decimal GB. */
export function weightsGB(model: ModelSpec): number {
  return (model.parameters * BYTES_PER_PARAMETER) / 1e9;
}

/** Health-check and download timeouts sized from weights: 600 + 20 s/GB, clamped to 60..3600 s. */
export function startupTimeoutS(model: ModelSpec): number {
  const raw = BASE_TIMEOUT_S + Math.ceil(weightsGB(model) * TIMEOUT_S_PER_GB);
  return Math.min(MAX_STARTUP_TIMEOUT_S, Math.max(MIN_STARTUP_TIMEOUT_S, raw));
}
