/**
 * JumpStart's own container defaults per model and per instance type: the TGI environment the
 * JumpStart model spec sets (`inference_environment_variables`, with per-instance overrides in
 * `hosting_instance_type_variants`). Read from the specs as mirrored (deflated JSON, key
 * `{MODEL_ID}_{version}`) in awslabs/generative-ai-cdk-constructs
 * src/patterns/gen-ai/aws-model-deployment-sagemaker/jumpstart-models.json at commit
 * f162fdac571a964da2011aa5ff5dddb05ea15fe5 (2026-07-31), which its generator copies from the
 * JumpStart cache (`s3://jumpstart-cache-prod-{region}/`).
 *
 * The specs name the input limit `MAX_INPUT_LENGTH`, TGI's legacy name of `MAX_INPUT_TOKENS` (same
 * launcher argument); it is recorded here as MAX_INPUT_TOKENS. A value a spec does not set is
 * derived (what the launcher of the spec's image picks, or a stated study fact) and marked so.
 */
import type { Source } from './types';

const READ_ON = '2026-11-30';
const MIRROR =
  'https://github.com/awslabs/generative-ai-cdk-constructs/blob/f162fdac571a964da2011aa5ff5dddb05ea15fe5/src/patterns/gen-ai/aws-model-deployment-sagemaker/jumpstart-models.json';

/** The container variables this catalog carries. */
export type ContainerDefaultName =
  | 'MAX_INPUT_TOKENS'
  | 'MAX_TOTAL_TOKENS'
  | 'MAX_BATCH_PREFILL_TOKENS'
  | 'MAX_BATCH_TOTAL_TOKENS'
  | 'MAX_CONCURRENT_REQUESTS'
  | 'SM_NUM_GPUS';

export type ContainerEnvValues = Partial<Readonly<Record<ContainerDefaultName, number>>>;

/** One JumpStart model spec version, as far as the TGI container is concerned. */
export interface JumpStartContainerSpec {
  readonly jumpStartId: string;
  /** Spec version the figures were read from. */
  readonly version: string;
  /** TGI version of the image the spec pins (decides the launcher defaults of unset values). */
  readonly imageTgiVersion: string;
  /** `inference_environment_variables` (model-wide). */
  readonly env: ContainerEnvValues;
  /** `hosting_instance_type_variants` environment per instance type (wins over `env`). */
  readonly byInstance: Readonly<Record<string, ContainerEnvValues>>;
  /** `supported_inference_instance_types`. */
  readonly supportedInstances: readonly string[];
}

const LLAMA2_VARIANTS_7B = {
  'ml.g5.12xlarge': { SM_NUM_GPUS: 4, MAX_BATCH_PREFILL_TOKENS: 16384 },
  'ml.g5.24xlarge': { SM_NUM_GPUS: 4 },
  'ml.g5.48xlarge': { SM_NUM_GPUS: 8 },
  'ml.p4d.24xlarge': { SM_NUM_GPUS: 8, MAX_BATCH_PREFILL_TOKENS: 16384 },
} as const;
const LLAMA2_VARIANTS_13B = {
  'ml.g5.12xlarge': { SM_NUM_GPUS: 4 },
  'ml.g5.24xlarge': { SM_NUM_GPUS: 4 },
  'ml.g5.48xlarge': { SM_NUM_GPUS: 8 },
  'ml.p4d.24xlarge': { SM_NUM_GPUS: 8 },
} as const;
const LLAMA2_VARIANTS_70B = { ...LLAMA2_VARIANTS_13B, 'ml.p4d.24xlarge': { SM_NUM_GPUS: 8, MAX_BATCH_PREFILL_TOKENS: 32768 } } as const;
const HF_VARIANTS = {
  'ml.g5.12xlarge': { SM_NUM_GPUS: 4 },
  'ml.g5.24xlarge': { SM_NUM_GPUS: 4 },
  'ml.g5.48xlarge': { SM_NUM_GPUS: 8 },
  'ml.p4d.24xlarge': { SM_NUM_GPUS: 8 },
  'ml.p4de.24xlarge': { SM_NUM_GPUS: 8 },
} as const;
const FALCON40B_VARIANTS = {
  ...HF_VARIANTS,
  'ml.g5.12xlarge': { SM_NUM_GPUS: 4, MAX_BATCH_PREFILL_TOKENS: 2048, MAX_BATCH_TOTAL_TOKENS: 2048 },
  'ml.g5.24xlarge': { SM_NUM_GPUS: 4, MAX_BATCH_PREFILL_TOKENS: 2048, MAX_BATCH_TOTAL_TOKENS: 2048 },
} as const;
const MIXTRAL_VARIANTS = {
  ...HF_VARIANTS,
  'ml.g5.48xlarge': { SM_NUM_GPUS: 8, MAX_INPUT_TOKENS: 8191, MAX_TOTAL_TOKENS: 8192, MAX_BATCH_PREFILL_TOKENS: 8191 },
} as const;

const LLAMA2_7B_ENV = { SM_NUM_GPUS: 1, MAX_INPUT_TOKENS: 4095, MAX_TOTAL_TOKENS: 4096, MAX_BATCH_PREFILL_TOKENS: 8192, MAX_CONCURRENT_REQUESTS: 512 } as const;
const LLAMA2_13B_ENV = { SM_NUM_GPUS: 4, MAX_INPUT_TOKENS: 4095, MAX_TOTAL_TOKENS: 4096, MAX_BATCH_PREFILL_TOKENS: 16384, MAX_CONCURRENT_REQUESTS: 512 } as const;
const LLAMA2_70B_ENV = { SM_NUM_GPUS: 8, MAX_INPUT_TOKENS: 4095, MAX_TOTAL_TOKENS: 4096, MAX_CONCURRENT_REQUESTS: 512 } as const;
const MISTRAL_ENV = { SM_NUM_GPUS: 1, MAX_INPUT_TOKENS: 8191, MAX_TOTAL_TOKENS: 8192, MAX_BATCH_PREFILL_TOKENS: 8191 } as const;
const MIXTRAL_ENV = { SM_NUM_GPUS: 8, MAX_INPUT_TOKENS: 32785, MAX_TOTAL_TOKENS: 32786, MAX_BATCH_PREFILL_TOKENS: 32785 } as const;
const FALCON_ENV = (gpus: number) => ({ SM_NUM_GPUS: gpus, MAX_INPUT_TOKENS: 1024, MAX_TOTAL_TOKENS: 2048 }) as const;

const G5_SMALL = ['ml.g5.2xlarge', 'ml.g5.4xlarge', 'ml.g5.8xlarge'] as const;
const LLAMA2_7B_SUPPORTED = [...G5_SMALL, 'ml.g5.12xlarge', 'ml.g5.24xlarge', 'ml.g5.48xlarge', 'ml.p4d.24xlarge'];
const LLAMA2_13B_SUPPORTED = ['ml.g5.12xlarge', 'ml.g5.24xlarge', 'ml.g5.48xlarge', 'ml.p4d.24xlarge'];

/** Llama 2 spec 4.2.0 is the first with MAX_CONCURRENT_REQUESTS 512 and the last whose mirror keeps the per-instance variants. */
const llama2 = (jumpStartId: string, env: ContainerEnvValues, byInstance: JumpStartContainerSpec['byInstance'], supportedInstances: readonly string[]): JumpStartContainerSpec => ({
  jumpStartId,
  version: '4.2.0',
  imageTgiVersion: '2.0.0',
  env,
  byInstance,
  supportedInstances,
});

/** The study's models (and their chat/instruct twins); each the newest spec version that still sets the TGI environment. */
export const JUMPSTART_CONTAINER_SPECS: readonly JumpStartContainerSpec[] = [
  llama2('meta-textgeneration-llama-2-7b', LLAMA2_7B_ENV, LLAMA2_VARIANTS_7B, LLAMA2_7B_SUPPORTED),
  llama2('meta-textgeneration-llama-2-7b-f', LLAMA2_7B_ENV, LLAMA2_VARIANTS_7B, LLAMA2_7B_SUPPORTED),
  llama2('meta-textgeneration-llama-2-13b', LLAMA2_13B_ENV, LLAMA2_VARIANTS_13B, LLAMA2_13B_SUPPORTED),
  llama2('meta-textgeneration-llama-2-13b-f', LLAMA2_13B_ENV, LLAMA2_VARIANTS_13B, LLAMA2_13B_SUPPORTED),
  llama2('meta-textgeneration-llama-2-70b', LLAMA2_70B_ENV, LLAMA2_VARIANTS_70B, ['ml.g5.48xlarge', 'ml.p4d.24xlarge']),
  llama2('meta-textgeneration-llama-2-70b-f', LLAMA2_70B_ENV, LLAMA2_VARIANTS_70B, ['ml.g5.48xlarge', 'ml.p4d.24xlarge']),
  { jumpStartId: 'huggingface-llm-mistral-7b', version: '2.5.0', imageTgiVersion: '2.0.0', env: MISTRAL_ENV, byInstance: HF_VARIANTS, supportedInstances: [...G5_SMALL, 'ml.g5.16xlarge'] },
  {
    jumpStartId: 'huggingface-llm-mistral-7b-instruct',
    version: '3.1.0',
    imageTgiVersion: '2.0.0',
    env: MISTRAL_ENV,
    byInstance: HF_VARIANTS,
    supportedInstances: [...G5_SMALL, 'ml.g5.12xlarge', 'ml.g5.16xlarge', 'ml.g5.24xlarge', 'ml.g5.48xlarge', 'ml.p4d.24xlarge'],
  },
  { jumpStartId: 'huggingface-llm-mixtral-8x7b', version: '1.5.0', imageTgiVersion: '2.0.0', env: MIXTRAL_ENV, byInstance: MIXTRAL_VARIANTS, supportedInstances: ['ml.g5.48xlarge', 'ml.p4d.24xlarge'] },
  { jumpStartId: 'huggingface-llm-mixtral-8x7b-instruct', version: '1.5.0', imageTgiVersion: '2.0.0', env: MIXTRAL_ENV, byInstance: MIXTRAL_VARIANTS, supportedInstances: ['ml.g5.48xlarge', 'ml.p4d.24xlarge'] },
  { jumpStartId: 'huggingface-llm-falcon-7b-bf16', version: '4.1.23', imageTgiVersion: '1.4.0', env: FALCON_ENV(1), byInstance: HF_VARIANTS, supportedInstances: [...G5_SMALL, 'ml.g5.16xlarge'] },
  { jumpStartId: 'huggingface-llm-falcon-7b-instruct-bf16', version: '4.1.23', imageTgiVersion: '1.4.0', env: FALCON_ENV(1), byInstance: HF_VARIANTS, supportedInstances: [...G5_SMALL, 'ml.g5.16xlarge'] },
  {
    jumpStartId: 'huggingface-llm-falcon-40b-bf16',
    version: '2.4.21',
    imageTgiVersion: '1.4.0',
    env: FALCON_ENV(4),
    byInstance: FALCON40B_VARIANTS,
    supportedInstances: ['ml.g5.12xlarge', 'ml.g5.24xlarge', 'ml.g5.48xlarge', 'ml.p4d.24xlarge'],
  },
  {
    jumpStartId: 'huggingface-llm-falcon-40b-instruct-bf16',
    version: '2.3.22',
    imageTgiVersion: '1.4.0',
    env: FALCON_ENV(4),
    byInstance: FALCON40B_VARIANTS,
    supportedInstances: ['ml.g5.12xlarge', 'ml.g5.24xlarge', 'ml.g5.48xlarge', 'ml.p4d.24xlarge'],
  },
  { jumpStartId: 'huggingface-llm-falcon-180b-bf16', version: '1.5.1', imageTgiVersion: '1.4.0', env: FALCON_ENV(8), byInstance: HF_VARIANTS, supportedInstances: ['ml.p4de.24xlarge', 'ml.p5.48xlarge'] },
  { jumpStartId: 'huggingface-llm-falcon-180b-chat-bf16', version: '1.5.1', imageTgiVersion: '1.4.0', env: FALCON_ENV(8), byInstance: HF_VARIANTS, supportedInstances: ['ml.p4de.24xlarge', 'ml.p5.48xlarge'] },
];

export function jumpStartContainerSpec(jumpStartId: string): JumpStartContainerSpec | undefined {
  return JUMPSTART_CONTAINER_SPECS.find((s) => s.jumpStartId === jumpStartId);
}

export function jumpStartSpecSource(spec: JumpStartContainerSpec): Source {
  return {
    url: MIRROR,
    asOf: READ_ON,
    verified: true,
    note: `JumpStart spec ${spec.jumpStartId} v${spec.version} (image TGI ${spec.imageTgiVersion}): inference_environment_variables + hosting_instance_type_variants.`,
  };
}

/**
 * Launcher defaults of values a spec leaves unset (TGI `launcher/src/main.rs`):
 * MAX_CONCURRENT_REQUESTS `default_value = "128"` (v1.4.0 line 180, v2.0.0 line 195, v2.3.1 line 414);
 * MAX_BATCH_PREFILL_TOKENS `default_value = "4096"` up to 1.x (v1.4.0 line 239), `max_input_tokens + 50`
 * from 2.0 (v2.0.0 line 1353, v2.3.1 line 1686).
 */
export const TGI_LAUNCHER_DEFAULTS = {
  maxConcurrentRequests: 128,
  maxBatchPrefillTokensBefore2: 4096,
  prefillMarginFrom2: 50,
  source: 'https://github.com/huggingface/text-generation-inference/blob/v2.3.1/launcher/src/main.rs#L414 (and #L1686; v1.4.0 #L180, #L239)',
} as const;

/**
 * A study fact, not a JumpStart value: the published ml.p4d.24xlarge sweeps kept scaling to
 * c = 512 with every request in flight (Little's law: 512 × 1000 / 165 ms ≈ 3,100 tokens/s against
 * 2,944 published), so the study's p4d endpoints admitted ≥ 512 requests. Applied where the spec
 * sets no MAX_CONCURRENT_REQUESTS on p4d / p4de (the p4de share is assumed, not observed).
 */
export const P4_ADMITTED_CONCURRENCY = {
  instances: ['ml.p4d.24xlarge', 'ml.p4de.24xlarge'] as readonly string[],
  maxConcurrentRequests: 512,
  note: 'published p4d sweeps kept scaling to c = 512 (Little\'s law on the published ms/token); p4de assumed alike',
} as const;
