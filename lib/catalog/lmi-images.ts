/**
 * LMI (Large Model Inference, `djl-inference`) images on SageMaker, per region: the container
 * JumpStart serves newer models with (vLLM backend). Tags and accounts from the SageMaker Python
 * SDK's image_uri_config/djl-lmi.json (every version listed there maps the same accounts).
 */
import type { Source } from './types';

const READ_ON = '2026-11-30';
const SDK_COMMIT = 'a24812666d258d9d19c9a82d0c9385ca0bd3ba01';
const DJL_LMI_JSON = `https://github.com/aws/sagemaker-python-sdk/blob/${SDK_COMMIT}/sagemaker-core/src/sagemaker/core/image_uri_config/djl-lmi.json`;

export const LMI_REPOSITORY = 'djl-inference';

/** djl-serving's source tree of the LMI 27 image (branch 0.36.0-lmi27-dlc): the container's defaults and start conditions are read there. */
export const DJL_LMI27 = 'https://github.com/deepjavalibrary/djl-serving/blob/0.36.0-lmi27-dlc';

/** One LMI release as djl-lmi.json lists it (`tag_prefix`), with the vLLM it bundles where known. */
export interface LmiRelease {
  /** DJL Serving version (the key in djl-lmi.json). */
  readonly djlVersion: string;
  /** LMI version, e.g. `27.0.0`. */
  readonly lmiVersion: string;
  readonly tag: string;
  /** vLLM the image bundles, when read from its requirements. */
  readonly vllmVersion?: string;
  readonly source: Source;
}

const release = (djlVersion: string, lmiVersion: string, cuda: string, line: number, vllmVersion?: string, vllmSource?: string): LmiRelease => ({
  djlVersion,
  lmiVersion,
  tag: `${djlVersion}-lmi${lmiVersion}-${cuda}`,
  ...(vllmVersion !== undefined ? { vllmVersion } : {}),
  source: {
    url: `${DJL_LMI_JSON}#L${line}`,
    asOf: READ_ON,
    verified: true,
    note: `tag_prefix of version ${djlVersion}${vllmSource !== undefined ? `; vLLM ${vllmVersion}: ${vllmSource}` : ''}`,
  },
});

/**
 * The LMI releases this catalog relies on, newest first (djl-lmi.json: `latest` = 0.36.0). LMI v17
 * (0.35.0) is the first whose `OPTION_ROLLING_BATCH=auto` runs the vLLM async engine
 * (djl-serving commit fc651296, "set vllm_async_service.py as the default handler").
 */
export const LMI_RELEASES: readonly LmiRelease[] = [
  release(
    '0.36.0',
    '27.0.0',
    'cu130',
    57,
    '0.23.1.dev4',
    `${DJL_LMI27}/serving/docker/lmi-container-requirements.txt (branch head 7e13b081383bd46293d4b49ab214d4757b1effd5)`,
  ),
  release('0.35.0', '17.0.0', 'cu128', 107),
  release('0.34.0', '16.0.0', 'cu128', 157),
  release('0.33.0', '15.0.0', 'cu128', 207),
];

/** The release a deployment gets unless it names another (djl-lmi.json `version_aliases.latest`). */
export const LMI_DEFAULT_RELEASE: LmiRelease = LMI_RELEASES[0] as LmiRelease;

export const LMI_ACCOUNT_SOURCE: Source = {
  url: DJL_LMI_JSON,
  asOf: READ_ON,
  verified: true,
  note: 'registries map (identical for 0.33.0–0.36.0); only regions whose ECR domain is amazonaws.com in the commercial partition are listed here.',
};

/** DJL inference account id per region (commercial partition, `amazonaws.com` domain). */
export const LMI_ACCOUNT_BY_REGION: Readonly<Record<string, string>> = {
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
  'ap-east-2': '975050140332',
  'ap-northeast-3': '364406365360',
  'ap-south-2': '772153158452',
  'ap-southeast-3': '907027046896',
  'ap-southeast-4': '457447274322',
  'ap-southeast-5': '550225433462',
  'ap-southeast-6': '633930458069',
  'ap-southeast-7': '590183813437',
  'ca-west-1': '204538143572',
  'eu-central-2': '380420809688',
  'eu-south-1': '692866216735',
  'eu-south-2': '503227376785',
  'il-central-1': '780543022126',
  'me-central-1': '914824155844',
  'me-south-1': '217643126080',
  'mx-central-1': '637423239942',
};
