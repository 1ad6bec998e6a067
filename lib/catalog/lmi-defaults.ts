/**
 * The LMI settings a deployment of a model on an instance type starts from, each value marked as
 * JumpStart's (cited spec) or derived (and why). The container's own defaults are cited here once.
 */
import { containerDefaults, type DefaultOrigin } from './container-defaults';
import { jumpStartLmiSpec, jumpStartLmiSpecSource } from './jumpstart-lmi-specs';
import { DJL_LMI27 } from './lmi-images';
import type { InstanceTypeSpec, LmiSettings, ModelSpec, Source } from './types';


/**
 * Defaults of the LMI container (djl-serving branch 0.36.0-lmi27-dlc, the source of LMI v27):
 * - `maxRollingBatchSizeAsync` 32: with OPTION_ROLLING_BATCH=auto the vLLM image runs the async
 *   engine (rolling_batch becomes `disable`, async_mode `true`: LmiConfigRecommender.java lines
 *   69-71), and setRollingBatchSize then keeps 32 (lines 117-136; 256 only for rolling_batch=vllm or
 *   trtllm) — the documented default is 256 (serving/docs/lmi/deployment_guide/configurations.md
 *   line 91), hence: always set OPTION_MAX_ROLLING_BATCH_SIZE explicitly. The Python side agrees
 *   (properties.py line 54: `max_rolling_batch_size: Optional[int] = 32`).
 * - `jobQueueSize` 1000 (configurations.md line 86; MAX_CONCURRENT_REQUESTS maps to job_queue_size:
 *   starting-guide.md lines 97-103 and 120).
 * - `tensorParallelDegree` `max`: all GPUs the container sees (LmiConfigRecommender.java line 92).
 */
export const LMI_CONTAINER_DEFAULTS = {
  maxRollingBatchSizeAsync: 32,
  maxRollingBatchSizeDocumented: 256,
  jobQueueSize: 1000,
  tensorParallelDegree: 'max',
  source: `${DJL_LMI27}/wlm/src/main/java/ai/djl/serving/wlm/LmiConfigRecommender.java#L117-L136`,
  docsSource: `${DJL_LMI27}/serving/docs/lmi/deployment_guide/configurations.md#L86-L91`,
} as const;

/** The LMI setting names whose origin is recorded. */
export type LmiDefaultName = 'OPTION_MAX_ROLLING_BATCH_SIZE' | 'OPTION_MAX_MODEL_LEN' | 'MAX_CONCURRENT_REQUESTS' | 'OPTION_ROLLING_BATCH' | 'TENSOR_PARALLEL_DEGREE' | 'OPTION_ENFORCE_EAGER';

export interface LmiContainerDefaults {
  readonly lmi: LmiSettings;
  /** Variables JumpStart's spec sets beyond the typed settings (e.g. OPTION_ENFORCE_EAGER for 70B). */
  readonly specEnv: Readonly<Record<string, string>>;
  readonly origins: Readonly<Partial<Record<LmiDefaultName, DefaultOrigin>>>;
  readonly source: Source;
}

/** LMI defaults of `model` on `instance`: JumpStart's spec where it sets a value, else the container's or a derived one. */
export function lmiContainerDefaults(model: ModelSpec, instance: InstanceTypeSpec): LmiContainerDefaults {
  const spec = jumpStartLmiSpec(model.jumpStartId);
  const tgi = containerDefaults(model, instance).tgi;
  const where = spec !== undefined ? `JumpStart ${spec.jumpStartId} v${spec.version} sets none` : `no JumpStart LMI spec for ${model.jumpStartId} in the catalog`;
  const origins: Partial<Record<LmiDefaultName, DefaultOrigin>> = {
    OPTION_ROLLING_BATCH: { derived: true, why: `${where}: the container's default 'auto' (vLLM async engine since LMI v17)` },
    OPTION_MAX_ROLLING_BATCH_SIZE: {
      derived: true,
      why: `${where}: what the container runs with rolling_batch=auto (${LMI_CONTAINER_DEFAULTS.maxRollingBatchSizeAsync}, not the documented ${LMI_CONTAINER_DEFAULTS.maxRollingBatchSizeDocumented}; ${LMI_CONTAINER_DEFAULTS.source}), set explicitly`,
    },
    OPTION_MAX_MODEL_LEN: {
      derived: true,
      why: `${where}: the request budget of the catalog's TGI settings (MAX_TOTAL_TOKENS ${tgi.maxTotalTokens}), so both engines accept the same requests; vLLM's own default is the model's context (${model.contextTokens})`,
    },
    MAX_CONCURRENT_REQUESTS: { derived: true, why: `${where}: LMI's default job queue (${LMI_CONTAINER_DEFAULTS.docsSource})` },
    TENSOR_PARALLEL_DEGREE: { derived: true, why: `${where}: LMI's default 'max' (all GPUs the container sees)` },
  };
  const specEnv = spec?.env ?? {};
  if (specEnv.OPTION_ENFORCE_EAGER !== undefined) origins.OPTION_ENFORCE_EAGER = { derived: false, why: `JumpStart ${spec?.jumpStartId} v${spec?.version} environment` };
  return {
    lmi: {
      rollingBatch: 'auto',
      maxRollingBatchSize: LMI_CONTAINER_DEFAULTS.maxRollingBatchSizeAsync,
      maxModelLen: tgi.maxTotalTokens,
      maxConcurrentRequests: LMI_CONTAINER_DEFAULTS.jobQueueSize,
    },
    specEnv,
    origins,
    source: spec !== undefined ? jumpStartLmiSpecSource(spec) : { url: LMI_CONTAINER_DEFAULTS.source, verified: true, note: 'container defaults; no JumpStart LMI spec in the catalog' },
  };
}
