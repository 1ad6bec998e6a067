/**
 * Models of the published study plus newer ones. Architecture figures are read from each
 * model's Hugging Face `config.json`; JumpStart ids from the JumpStart model catalog.
 */
import { specTgiDefaults } from './container-defaults';
import { jumpStartContainerSpec, jumpStartSpecSource } from './jumpstart-specs';
import type { JumpStartArtifact, ModelSpec, Source, TgiDefaults } from './types';

const READ_ON = '2026-11-27';
const hf = (repo: string): Source => ({
  url: `https://huggingface.co/${repo}/blob/main/config.json`,
  asOf: READ_ON,
  verified: true,
  note:
    'layers, hidden, heads, KV heads, context, dtype from config.json (confirmed against public copies of the config / module printouts in the code corpus); ' +
    'parameter count computed from config.json (embeddings, attention, MLP, norms), matching the model cards.',
});

/** Long-context models: JumpStart caps the request budget below the model context. */
const LONG_TGI: TgiDefaults = { maxInputTokens: 8191, maxTotalTokens: 8192, maxBatchPrefillTokens: 8192, maxConcurrentRequests: 128 };
const RULE_TGI_SOURCE: Source = {
  url: 'https://github.com/huggingface/text-generation-inference/blob/v2.3.1/launcher/src/main.rs',
  asOf: READ_ON,
  verified: false,
  note: 'derived (no JumpStart TGI spec for this model in the catalog): input = total − 1, total capped at 8,192, MAX_CONCURRENT_REQUESTS 128 (the launcher default).',
};

/** Keys seen in public deployments: Llama 2 7B and 13B-chat (s3://jumpstart-private-cache-prod-{region}/meta-textgeneration/...). */
const SEEN_ARTIFACT_KEYS: ReadonlySet<string> = new Set([
  'meta-textgeneration/meta-textgeneration-llama-2-7b/artifacts/inference-prepack/v1.0.0/',
  'meta-textgeneration/meta-textgeneration-llama-2-13b-f/artifacts/inference-prepack/v1.0.0/',
  'meta-textgeneration/meta-textgeneration-llama-3-1-8b-instruct/artifacts/inference-prepack/v2.0.0/',
]);

/** Llama 3.1 prepacks moved to v2.0.0 (JumpStart serves them with the LMI container; TGI reads the same weights). */
const artifactVersionOf = (jumpStartId: string): string => (jumpStartId.startsWith('meta-textgeneration-llama-3-1-') ? 'v2.0.0' : 'v1.0.0');

function artifact(prefix: JumpStartArtifact['bucketPrefix'], framework: string, jumpStartId: string): JumpStartArtifact {
  const key = `${framework}/${jumpStartId}/artifacts/inference-prepack/${artifactVersionOf(jumpStartId)}/`;
  const seen = SEEN_ARTIFACT_KEYS.has(key);
  return {
    bucketPrefix: prefix,
    key,
    source: {
      url: 'https://github.com/aws/sagemaker-python-sdk (JumpStart hosting_prepacked_artifact_key)',
      asOf: READ_ON,
      verified: seen,
      note: seen
        ? 'this exact key (v1.0.0, private cache bucket) appears in the SageMaker SDK unit-test data and the Terraform AWS provider tests.'
        : 'key pattern {framework}/{model id}/artifacts/inference-prepack/{version}/ seen for other models; version not confirmed for this one.',
    },
  };
}

/** A row of the table below: the architecture fields of ModelSpec as written, plus how to package it. */
type ModelRow = Pick<
  ModelSpec,
  'id' | 'jumpStartId' | 'huggingFaceId' | 'family' | 'parameters' | 'experts' | 'layers' | 'hiddenSize' | 'attentionHeads' | 'kvHeads' | 'headDim' | 'contextTokens' | 'dtype' | 'gated'
> & {
  /** Defaults to `parameters` (dense models). */
  readonly activeParameters?: number;
  /** TGI defaults of a model without a JumpStart TGI spec in jumpstart-specs.ts (derived). */
  readonly tgi?: TgiDefaults;
  readonly tgiSource?: Source;
  readonly framework: 'meta-textgeneration' | 'huggingface-llm';
};

const llama2 = (size: '7b' | '13b' | '70b', chat: boolean): Pick<ModelRow, 'id' | 'jumpStartId' | 'huggingFaceId' | 'family' | 'gated' | 'framework' | 'contextTokens' | 'dtype' | 'headDim'> => ({
  id: `llama-2-${size}${chat ? '-chat' : ''}`,
  jumpStartId: `meta-textgeneration-llama-2-${size}${chat ? '-f' : ''}`,
  huggingFaceId: `meta-llama/Llama-2-${size}${chat ? '-chat' : ''}-hf`,
  family: 'llama-2',
  gated: true,
  framework: 'meta-textgeneration',
  contextTokens: 4096,
  dtype: 'float16',
  headDim: 128,
});

const LLAMA2_7B = { parameters: 6_738_415_616, layers: 32, hiddenSize: 4096, attentionHeads: 32, kvHeads: 32 };
const LLAMA2_13B = { parameters: 13_015_864_320, layers: 40, hiddenSize: 5120, attentionHeads: 40, kvHeads: 40 };
const LLAMA2_70B = { parameters: 68_976_648_192, layers: 80, hiddenSize: 8192, attentionHeads: 64, kvHeads: 8 };

const hfLlm = { gated: false, framework: 'huggingface-llm' } as const;
const MISTRAL_7B = { parameters: 7_241_732_096, layers: 32, hiddenSize: 4096, attentionHeads: 32, kvHeads: 8, headDim: 128, contextTokens: 32768, dtype: 'bfloat16', family: 'mistral' } as const;
/** Mixtral config.json: num_local_experts 8, num_experts_per_tok 2. */
const MIXTRAL_EXPERTS = { count: 8, perToken: 2 } as const;
const falconBase = { ...hfLlm, dtype: 'bfloat16', contextTokens: 2048, headDim: 64, family: 'falcon' } as const;
const FALCON_7B = { ...falconBase, parameters: 6_921_720_704, layers: 32, hiddenSize: 4544, attentionHeads: 71, kvHeads: 1 } as const;
const FALCON_40B = { ...falconBase, parameters: 41_303_293_952, layers: 60, hiddenSize: 8192, attentionHeads: 128, kvHeads: 8 } as const;
const FALCON_180B = { ...falconBase, parameters: 178_557_088_768, layers: 80, hiddenSize: 14848, attentionHeads: 232, kvHeads: 8 } as const;
const llama31 = { gated: true, framework: 'meta-textgeneration', tgi: LONG_TGI, tgiSource: RULE_TGI_SOURCE, family: 'llama-3.1', contextTokens: 131072, dtype: 'bfloat16', headDim: 128 } as const;

const ROWS: readonly ModelRow[] = [
  { ...llama2('7b', false), ...LLAMA2_7B },
  { ...llama2('7b', true), ...LLAMA2_7B },
  { ...llama2('13b', false), ...LLAMA2_13B },
  { ...llama2('13b', true), ...LLAMA2_13B },
  { ...llama2('70b', false), ...LLAMA2_70B },
  { ...llama2('70b', true), ...LLAMA2_70B },
  { ...hfLlm, ...MISTRAL_7B, id: 'mistral-7b', jumpStartId: 'huggingface-llm-mistral-7b', huggingFaceId: 'mistralai/Mistral-7B-v0.1' },
  { ...hfLlm, ...MISTRAL_7B, id: 'mistral-7b-instruct', jumpStartId: 'huggingface-llm-mistral-7b-instruct', huggingFaceId: 'mistralai/Mistral-7B-Instruct-v0.1' },
  {
    ...hfLlm, ...MISTRAL_7B, family: 'mixtral', id: 'mixtral-8x7b', jumpStartId: 'huggingface-llm-mixtral-8x7b', huggingFaceId: 'mistralai/Mixtral-8x7B-v0.1',
    parameters: 46_702_792_704, activeParameters: 12_879_925_248, experts: MIXTRAL_EXPERTS,
  },
  {
    ...hfLlm, ...MISTRAL_7B, family: 'mixtral', id: 'mixtral-8x7b-instruct', jumpStartId: 'huggingface-llm-mixtral-8x7b-instruct', huggingFaceId: 'mistralai/Mixtral-8x7B-Instruct-v0.1',
    parameters: 46_702_792_704, activeParameters: 12_879_925_248, experts: MIXTRAL_EXPERTS,
  },
  { ...FALCON_7B, id: 'falcon-7b', jumpStartId: 'huggingface-llm-falcon-7b-bf16', huggingFaceId: 'tiiuae/falcon-7b' },
  { ...FALCON_7B, id: 'falcon-7b-instruct', jumpStartId: 'huggingface-llm-falcon-7b-instruct-bf16', huggingFaceId: 'tiiuae/falcon-7b-instruct' },
  { ...FALCON_40B, id: 'falcon-40b', jumpStartId: 'huggingface-llm-falcon-40b-bf16', huggingFaceId: 'tiiuae/falcon-40b' },
  { ...FALCON_40B, id: 'falcon-40b-instruct', jumpStartId: 'huggingface-llm-falcon-40b-instruct-bf16', huggingFaceId: 'tiiuae/falcon-40b-instruct' },
  { ...FALCON_180B, id: 'falcon-180b', jumpStartId: 'huggingface-llm-falcon-180b-bf16', huggingFaceId: 'tiiuae/falcon-180B' },
  { ...FALCON_180B, id: 'falcon-180b-chat', jumpStartId: 'huggingface-llm-falcon-180b-chat-bf16', huggingFaceId: 'tiiuae/falcon-180B-chat' },
  { ...llama31, id: 'llama-3-1-8b', jumpStartId: 'meta-textgeneration-llama-3-1-8b', huggingFaceId: 'meta-llama/Llama-3.1-8B', parameters: 8_030_261_248, layers: 32, hiddenSize: 4096, attentionHeads: 32, kvHeads: 8 },
  { ...llama31, id: 'llama-3-1-8b-instruct', jumpStartId: 'meta-textgeneration-llama-3-1-8b-instruct', huggingFaceId: 'meta-llama/Llama-3.1-8B-Instruct', parameters: 8_030_261_248, layers: 32, hiddenSize: 4096, attentionHeads: 32, kvHeads: 8 },
  { ...llama31, id: 'llama-3-1-70b', jumpStartId: 'meta-textgeneration-llama-3-1-70b', huggingFaceId: 'meta-llama/Llama-3.1-70B', parameters: 70_553_706_496, layers: 80, hiddenSize: 8192, attentionHeads: 64, kvHeads: 8 },
  {
    ...hfLlm, tgi: LONG_TGI, tgiSource: RULE_TGI_SOURCE, id: 'qwen2-5-7b-instruct', jumpStartId: 'huggingface-llm-qwen2-5-7b-instruct', huggingFaceId: 'Qwen/Qwen2.5-7B-Instruct', family: 'qwen2.5',
    parameters: 7_615_616_512, layers: 28, hiddenSize: 3584, attentionHeads: 28, kvHeads: 4, headDim: 128, contextTokens: 32768, dtype: 'bfloat16',
  },
];

function toSpec(row: ModelRow): ModelSpec {
  const spec = jumpStartContainerSpec(row.jumpStartId);
  const tgiDefaults = spec !== undefined ? specTgiDefaults(spec) : row.tgi;
  if (tgiDefaults === undefined) throw new Error(`catalog: ${row.id} has neither a JumpStart TGI spec nor derived TGI defaults`);
  return {
    id: row.id,
    jumpStartId: row.jumpStartId,
    huggingFaceId: row.huggingFaceId,
    family: row.family,
    parameters: row.parameters,
    activeParameters: row.activeParameters ?? row.parameters,
    ...(row.experts !== undefined ? { experts: row.experts } : {}),
    layers: row.layers,
    hiddenSize: row.hiddenSize,
    attentionHeads: row.attentionHeads,
    kvHeads: row.kvHeads,
    headDim: row.headDim,
    contextTokens: row.contextTokens,
    dtype: row.dtype,
    gated: row.gated,
    tgiDefaults,
    source: hf(row.huggingFaceId),
    tgiDefaultsSource: spec !== undefined ? jumpStartSpecSource(spec) : row.tgiSource,
    jumpStartArtifact: artifact(row.gated ? 'jumpstart-private-cache-prod' : 'jumpstart-cache-prod', row.framework, row.jumpStartId),
  };
}

export const MODELS: readonly ModelSpec[] = ROWS.map(toSpec);
