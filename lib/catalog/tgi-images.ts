/**
 * Hugging Face LLM DLC (TGI) images on SageMaker, per region. Account ids from the SageMaker
 * Python SDK's image_uri_config/huggingface-llm.json; the tag is the DLC release for TGI 2.3.1.
 */
import type { Source } from './types';

const READ_ON = '2026-11-27';

export const TGI_REPOSITORY = 'huggingface-pytorch-tgi-inference';
/** PyTorch 2.4.0 + TGI 2.3.1, Python 3.11, CUDA 12.4, Ubuntu 22.04. */
export const TGI_TAG = '2.4.0-tgi2.3.1-gpu-py311-cu124-ubuntu22.04';

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
