/**
 * EC2 on-demand (Linux) price of each GPU family in a region relative to us-east-1, the factor the
 * shipped table uses to derive SageMaker prices outside us-east-1. Computed from instances.vantage.sh
 * data (EC2 Price List figures) as mirrored in a public repository; within a family the ratio is the
 * same for every size to 3 decimals (e.g. g5.2xlarge eu-west-1 1.35296 / us-east-1 1.212 = 1.116).
 * Regions the data does not list for a family have no derived row.
 */
export const EC2_RATIO_SOURCE = {
  url: 'https://github.com/tsaol/aws-gpu/blob/77fcd9fe1d0652fd07b830e5ed030d61da87923e/data/all_gpu_instances.js',
  /** "Last updated" of that data. */
  asOf: '2026-01-21',
} as const;

/**
 * EC2 on-demand Linux prices in us-east-1 of the same data, USD/h: the corroboration of the us-east-1
 * SageMaker rows (SageMaker = EC2 × 1.25 for g5/g6/g6e 2xlarge and up, × 1.4 for xlarge, × 1.15 for P).
 */
export const EC2_US_EAST_1_USD: Readonly<Record<string, number>> = {
  'g5.xlarge': 1.006,
  'g5.2xlarge': 1.212,
  'g5.4xlarge': 1.624,
  'g5.8xlarge': 2.448,
  'g5.12xlarge': 5.672,
  'g5.16xlarge': 4.096,
  'g5.24xlarge': 8.144,
  'g5.48xlarge': 16.288,
  'g6.xlarge': 0.8048,
  'g6.2xlarge': 0.9776,
  'g6.12xlarge': 4.6016,
  'g6.48xlarge': 13.3504,
  'g6e.xlarge': 1.861,
  'g6e.2xlarge': 2.24208,
  'g6e.12xlarge': 10.49264,
  'g6e.48xlarge': 30.13118,
  'p4d.24xlarge': 21.957642,
  'p4de.24xlarge': 27.44705,
  'p5.48xlarge': 55.04,
};

export const EC2_REGION_RATIO: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  g5: {
    'us-east-2': 1,
    'us-west-2': 1,
    'ca-central-1': 1.11,
    'eu-west-1': 1.116,
    'eu-west-2': 1.269,
    'eu-central-1': 1.25,
    'eu-north-1': 1.061,
    'ap-northeast-1': 1.45,
    'ap-northeast-2': 1.23,
    'ap-south-1': 1.201,
    'ap-southeast-2': 1.3,
    'sa-east-1': 1.7,
    'ap-east-1': 1.54,
  },
  g6: {
    'us-east-2': 1,
    'us-west-2': 1,
    'ca-central-1': 1.11,
    'eu-west-2': 1.269,
    'eu-west-3': 1.269,
    'eu-central-1': 1.25,
    'eu-north-1': 1.061,
    'ap-northeast-1': 1.45,
    'ap-northeast-2': 1.23,
    'ap-south-1': 1.201,
    'ap-southeast-2': 1.3,
    'sa-east-1': 1.7,
  },
  g6e: {
    'us-east-2': 1,
    'us-west-2': 1,
    'eu-central-1': 1.25,
    'eu-north-1': 1.061,
    'ap-northeast-1': 1.45,
    'ap-northeast-2': 1.229,
  },
  p4d: {
    'us-east-2': 1,
    'us-west-2': 1,
    'ca-central-1': 1.15,
    'eu-west-1': 1.08,
    'eu-west-2': 1.3,
    'eu-central-1': 1.249,
    'eu-north-1': 1.08,
    'ap-northeast-1': 1.371,
    'ap-northeast-2': 1.385,
    'ap-south-1': 1.2,
    'ap-southeast-1': 1.2,
    'ap-southeast-2': 1.3,
    'sa-east-1': 1.619,
  },
  p4de: {
    'us-west-2': 1,
    'eu-central-1': 1.249,
    'ap-northeast-1': 1.371,
    'ap-southeast-1': 1.2,
  },
  p5: {
    'us-east-2': 1,
    'us-west-1': 1.25,
    'us-west-2': 1,
    'ca-central-1': 1.15,
    'eu-west-2': 1.3,
    'eu-north-1': 1.07,
    'ap-northeast-1': 1.25,
    'ap-northeast-2': 1.38,
    'ap-south-1': 1.2,
    'ap-southeast-2': 1.3,
    'sa-east-1': 1.68,
  },
};
