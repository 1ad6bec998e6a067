/**
 * Typed shapes of the catalog: accelerators, instance types, models and TGI images.
 * Every figure carries the source it was taken from (`Sourced<T>`), so reviews can
 * check it and unverified figures are visible as such.
 */

/** Where a figure comes from. `verified: false` marks a figure we could not confirm. */
export interface Source {
  /** URL or document name. */
  readonly url: string;
  /** Date the figure was read, ISO `YYYY-MM-DD`. */
  readonly asOf?: string;
  /** False when the figure could not be confirmed against the source. */
  readonly verified: boolean;
  readonly note?: string;
}

export type AcceleratorFamily = 'A10G' | 'L4' | 'L40S' | 'A100' | 'H100';

/** One accelerator model (a GPU), its peak figures from the vendor's data sheet. */
export interface AcceleratorSpec {
  readonly family: AcceleratorFamily;
  /** Distinguishes variants of one family, e.g. `A100-40GB` vs `A100-80GB`. */
  readonly name?: string;
  readonly vendor: 'NVIDIA';
  /** Device memory, decimal gigabytes (10^9 bytes) as vendors quote them. */
  readonly memoryGB: number;
  /** Peak memory bandwidth, GB/s (10^9 bytes/s). */
  readonly memoryBandwidthGBs: number;
  /** Dense (no sparsity) fp16/bf16 tensor-core peak, TFLOPS. */
  readonly denseFp16Tflops: number;
  readonly source: Source;
}

export type InterconnectKind = 'none' | 'PCIe' | 'NVLink';

export interface InterconnectSpec {
  readonly kind: InterconnectKind;
  /** Per-GPU bandwidth in one direction, GB/s, used for all-reduce cost. 0 when one GPU. */
  readonly bandwidthGBs: number;
  readonly source: Source;
}

export interface HourlyPrice {
  /** On-demand price of one instance per hour, USD. */
  readonly usd: number;
  readonly region: string;
  readonly source: Source;
}

/** A SageMaker hosting instance type (`ml.*`). */
export interface InstanceTypeSpec {
  /** SageMaker name, e.g. `ml.g5.2xlarge`. */
  readonly name: string;
  /** Family prefix, e.g. `g5`, `p4d`. */
  readonly family: string;
  readonly accelerator: AcceleratorSpec;
  readonly acceleratorCount: number;
  readonly interconnect: InterconnectSpec;
  readonly vCpus: number;
  /** Host memory, GiB. */
  readonly hostMemoryGiB: number;
  /** On-demand price per hour in us-east-1, for reference; cost figures use quotePrice (a region). */
  readonly price: HourlyPrice;
  readonly source: Source;
}

export type ModelDtype = 'float16' | 'bfloat16';

/** TGI settings a JumpStart deployment sets by default (environment of the container). */
export interface TgiDefaults {
  readonly maxInputTokens: number;
  readonly maxTotalTokens: number;
  readonly maxBatchPrefillTokens: number;
  readonly maxConcurrentRequests: number;
}

/**
 * TGI settings of one deployment. `maxBatchTotalTokens` unset means TGI sizes the batch
 * token budget from free GPU memory at warm-up.
 */
export interface TgiSettings extends TgiDefaults {
  readonly maxBatchTotalTokens?: number;
}

/** A model architecture and its JumpStart packaging. */
export interface ModelSpec {
  /** Short id used in fleet files and the CLI, e.g. `llama-2-7b`. */
  readonly id: string;
  /** JumpStart model id, e.g. `meta-textgeneration-llama-2-7b`. */
  readonly jumpStartId: string;
  /** Hugging Face repository, e.g. `meta-llama/Llama-2-7b-hf` (for `HF_MODEL_ID`). */
  readonly huggingFaceId: string;
  readonly family: string;
  /** Total parameters. */
  readonly parameters: number;
  /** Parameters active per token (differs from `parameters` for mixture-of-experts). */
  readonly activeParameters: number;
  /**
   * Mixture-of-experts routing (config.json `num_local_experts`, `num_experts_per_tok`): each token's
   * MLP runs `perToken` of `count` experts per layer. Absent for dense models.
   */
  readonly experts?: { readonly count: number; readonly perToken: number };
  readonly layers: number;
  readonly hiddenSize: number;
  readonly attentionHeads: number;
  /** Key/value heads: equal to attentionHeads (MHA), fewer (GQA) or 1 (MQA). */
  readonly kvHeads: number;
  readonly headDim: number;
  readonly contextTokens: number;
  readonly dtype: ModelDtype;
  /** Gated models (Llama) need an explicit EULA acceptance to deploy. */
  readonly gated: boolean;
  /**
   * JumpStart's model-wide TGI defaults (its spec's `inference_environment_variables`, unset values
   * derived). Per-instance values differ: read `containerDefaults(model, instance)`.
   */
  readonly tgiDefaults: TgiDefaults;
  /** Source of the architecture figures (the model's Hugging Face `config.json`). */
  readonly source: Source;
  /** Source of `tgiDefaults` (JumpStart model spec), when it differs from `source`. */
  readonly tgiDefaultsSource?: Source;
  /** JumpStart prepacked inference artifacts (S3), when known. */
  readonly jumpStartArtifact?: JumpStartArtifact;
}

/** Location of JumpStart's prepacked model artifacts: `s3://{bucketPrefix}-{region}/{key}`. */
export interface JumpStartArtifact {
  /** `jumpstart-cache-prod` (public models) or `jumpstart-private-cache-prod` (gated models). */
  readonly bucketPrefix: 'jumpstart-cache-prod' | 'jumpstart-private-cache-prod';
  /** Key prefix inside the bucket, ending in `/`. */
  readonly key: string;
  readonly source: Source;
}

/** A serving container image (TGI DLC or LMI `djl-inference`) in one region. */
export interface ContainerImage {
  readonly region: string;
  readonly accountId: string;
  readonly repository: string;
  readonly tag: string;
  /** Full URI: `{accountId}.dkr.ecr.{region}.{domain}/{repository}:{tag}`. */
  readonly uri: string;
  readonly source: Source;
}

/** A TGI (Hugging Face LLM DLC) image in one region. */
export type TgiImage = ContainerImage;

/** The serving container of a deployment: Hugging Face TGI or LMI (`djl-inference`, vLLM backend). */
export type ServingEngine = 'tgi' | 'lmi';

/** `OPTION_ROLLING_BATCH`: `auto` runs the vLLM async engine in the LMI image since LMI v17. */
export type LmiRollingBatch = 'auto' | 'vllm' | 'disable';

/**
 * LMI settings of one deployment (container environment: `option.x` is `OPTION_X`). Unset optional
 * values are left to the container (vLLM's defaults of the bundled release).
 */
export interface LmiSettings {
  /** `OPTION_ROLLING_BATCH`. */
  readonly rollingBatch: LmiRollingBatch;
  /** `OPTION_MAX_ROLLING_BATCH_SIZE`: vLLM `max_num_seqs`, the running requests of one copy. Always set explicitly. */
  readonly maxRollingBatchSize: number;
  /** `OPTION_MAX_MODEL_LEN`: prompt + output tokens of one request. */
  readonly maxModelLen: number;
  /** `MAX_CONCURRENT_REQUESTS`: requests the model server admits (its job queue), LMI default 1000. */
  readonly maxConcurrentRequests: number;
  /** `OPTION_MAX_NUM_BATCHED_TOKENS`: tokens of one scheduler step (decode tokens + prefill chunks). */
  readonly maxNumBatchedTokens?: number;
  /** `OPTION_GPU_MEMORY_UTILIZATION`: fraction of GPU memory vLLM plans weights and KV cache in. */
  readonly gpuMemoryUtilization?: number;
  /** `OPTION_ENABLE_CHUNKED_PREFILL`. */
  readonly enableChunkedPrefill?: boolean;
  /** `OPTION_ENABLE_PREFIX_CACHING`. */
  readonly enablePrefixCaching?: boolean;
  /** `SERVING_JOB_QUEUE_SIZE`: wins over MAX_CONCURRENT_REQUESTS when both are set. */
  readonly jobQueueSize?: number;
}
