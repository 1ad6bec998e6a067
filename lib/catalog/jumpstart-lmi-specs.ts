/**
 * JumpStart model specs that ship for the LMI container (`djl-inference`), read from the same
 * mirror as jumpstart-specs.ts (awslabs/generative-ai-cdk-constructs jumpstart-models.json at
 * commit f162fdac571a964da2011aa5ff5dddb05ea15fe5, deflated JSON, key `{MODEL_ID}_{version}`).
 *
 * Llama 3.1 specs 1.0.0 … 2.6.0 pin `djl-inference` images (1.0.0: 0.28.0-lmi10.0.0-cu124;
 * 2.0.0–2.2.4: 0.29.0-lmi11.0.0-cu124 with OPTION_ENABLE_CHUNKED_PREFILL=true); from 2.3.0 the
 * mirror keeps only the environment. The newest version (2.6.0) sets no LMI tuning variable for
 * the 8B models (HF_MODEL_ID=/opt/ml/model only) and OPTION_ENFORCE_EAGER=true for 70B, so every
 * LMI default of these models is the container's (lmi-defaults.ts marks each as derived).
 */
import type { ServingEngine, Source } from './types';

const READ_ON = '2026-11-30';
const MIRROR =
  'https://github.com/awslabs/generative-ai-cdk-constructs/blob/f162fdac571a964da2011aa5ff5dddb05ea15fe5/src/patterns/gen-ai/aws-model-deployment-sagemaker/jumpstart-models.json';

export interface JumpStartLmiSpec {
  readonly jumpStartId: string;
  /** Spec version the figures were read from. */
  readonly version: string;
  /** LMI variables the spec sets (beyond HF_MODEL_ID=/opt/ml/model). */
  readonly env: Readonly<Record<string, string>>;
  /** `instanceTypes` of the spec. */
  readonly supportedInstances: readonly string[];
}

const LLAMA31_8B_INSTANCES = [
  'ml.g5.2xlarge',
  'ml.g5.4xlarge',
  'ml.g5.8xlarge',
  'ml.g5.12xlarge',
  'ml.g5.24xlarge',
  'ml.g5.48xlarge',
  'ml.g6.2xlarge',
  'ml.g6.4xlarge',
  'ml.g6.8xlarge',
  'ml.g6.12xlarge',
  'ml.g6.24xlarge',
  'ml.g6.48xlarge',
  'ml.p4d.24xlarge',
  'ml.p5.48xlarge',
] as const;

export const JUMPSTART_LMI_SPECS: readonly JumpStartLmiSpec[] = [
  { jumpStartId: 'meta-textgeneration-llama-3-1-8b', version: '2.6.0', env: {}, supportedInstances: LLAMA31_8B_INSTANCES },
  { jumpStartId: 'meta-textgeneration-llama-3-1-8b-instruct', version: '2.6.0', env: {}, supportedInstances: LLAMA31_8B_INSTANCES },
  {
    jumpStartId: 'meta-textgeneration-llama-3-1-70b',
    version: '2.6.0',
    env: { OPTION_ENFORCE_EAGER: 'true' },
    supportedInstances: ['ml.g5.48xlarge', 'ml.g6.48xlarge', 'ml.p4d.24xlarge', 'ml.p5.48xlarge'],
  },
];

export function jumpStartLmiSpec(jumpStartId: string): JumpStartLmiSpec | undefined {
  return JUMPSTART_LMI_SPECS.find((s) => s.jumpStartId === jumpStartId);
}

export function jumpStartLmiSpecSource(spec: JumpStartLmiSpec): Source {
  return {
    url: MIRROR,
    asOf: READ_ON,
    verified: true,
    note: `JumpStart spec ${spec.jumpStartId} v${spec.version} (djl-inference): environment ${JSON.stringify({ HF_MODEL_ID: '/opt/ml/model', ...spec.env })}, instanceTypes.`,
  };
}

/** The engine JumpStart serves a model with: LMI where the catalog has its LMI spec, else TGI (the study's models). */
export function jumpStartEngine(jumpStartId: string): ServingEngine {
  return jumpStartLmiSpec(jumpStartId) !== undefined ? 'lmi' : 'tgi';
}
