/**
 * Hugging Face LLM DLC (TGI) images on SageMaker, per region. Account ids from the SageMaker
 * Python SDK's image_uri_config/huggingface-llm.json; the tag is the DLC release for TGI 2.3.1.
 */
import type { Source } from './types';

const READ_ON = '2026-11-27';

export const TGI_REPOSITORY = 'huggingface-pytorch-tgi-inference';
/** PyTorch 2.4.0 + TGI 2.3.1, Python 3.11, CUDA 12.4, Ubuntu 22.04. */
export const TGI_TAG = '2.4.0-tgi2.3.1-gpu-py311-cu124-ubuntu22.04';

/**
 * The newest TGI DLC the SDK lists (huggingface-llm.json `version_aliases` 3.3 → 3.3.6: tag_prefix
 * `2.7.0-tgi3.3.6`, container_version `cu124-ubuntu22.04`, py311; same registries as 2.3.1), offered
 * beside the pinned study-era image. TGI is in maintenance mode; its last tag is v3.3.7.
 */
export const TGI_LATEST_TGI_VERSION = '3.3.6';
export const TGI_LATEST_TAG = '2.7.0-tgi3.3.6-gpu-py311-cu124-ubuntu22.04';
/** TGI version of the pinned study-era image (`TGI_TAG`). */
export const TGI_STUDY_TGI_VERSION = '2.3.1';

export const TGI_LATEST_TAG_SOURCE: Source = {
  url: 'https://github.com/aws/sagemaker-python-sdk/blob/a24812666d258d9d19c9a82d0c9385ca0bd3ba01/sagemaker-core/src/sagemaker/core/image_uri_config/huggingface-llm.json#L1259',
  asOf: '2026-11-30',
  verified: true,
  note: 'version 3.3.6: tag_prefix 2.7.0-tgi3.3.6, py311, gpu cu124-ubuntu22.04 (tag = {tag_prefix}-gpu-{py}-{container_version}).',
};

export const TGI_ACCOUNT_SOURCE: Source = {
  url: 'https://github.com/aws/sagemaker-python-sdk/blob/master/src/sagemaker/image_uri_config/huggingface-llm.json',
  asOf: READ_ON,
  verified: true,
  note: 'registries map (same for every TGI version listed there).',
};

export const TGI_TAG_SOURCE: Source = {
  url: 'https://github.com/aws/deep-learning-containers/blob/master/available_images.md#huggingface-text-generation-inference-tgi-containers',
  asOf: READ_ON,
  verified: true,
  note: 'tag seen in public SageMaker deployments (with and without the -v2.0 suffix); TGI 2.3.1 DLC.',
};

/** DLC account id per region (commercial partitions with the `amazonaws.com` domain). */
export const TGI_ACCOUNT_BY_REGION: Readonly<Record<string, string>> = {
  'us-east-1': '763104351884',
  'us-east-2': '763104351884',
  'us-west-1': '763104351884',
  'us-west-2': '763104351884',
  'ca-central-1': '763104351884',
  'eu-west-1': '763104351884',
  'eu-west-2': '763104351884',
  'eu-west-3': '763104351884',
  'eu-central-1': '763104351884',
  'eu-north-1': '763104351884',
  'ap-northeast-1': '763104351884',
  'ap-northeast-2': '763104351884',
  'ap-south-1': '763104351884',
  'ap-southeast-1': '763104351884',
  'ap-southeast-2': '763104351884',
  'sa-east-1': '763104351884',
  'af-south-1': '626614931356',
  'ap-east-1': '871362719292',
  'ap-northeast-3': '364406365360',
  'eu-south-1': '692866216735',
  'me-south-1': '217643126080',
};
