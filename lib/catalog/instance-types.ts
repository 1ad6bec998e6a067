/**
 * SageMaker hosting instance types with GPUs. Specs (GPUs, vCPUs, host memory) come from the
 * EC2 instance-type pages; prices are SageMaker real-time inference on-demand in us-east-1.
 */
import { A100_40GB, A100_80GB, A10G, H100_SXM, L4, L40S } from './accelerators';
import type { AcceleratorSpec, InstanceTypeSpec, InterconnectSpec, Source } from './types';

const READ_ON = '2026-11-27';
const PRICING_URL = 'https://aws.amazon.com/sagemaker/pricing/';
export const PRICE_REGION = 'us-east-1';

const SPEC_URL: Readonly<Record<string, string>> = {
  g5: 'https://aws.amazon.com/ec2/instance-types/g5/',
  g6: 'https://aws.amazon.com/ec2/instance-types/g6/',
  g6e: 'https://aws.amazon.com/ec2/instance-types/g6e/',
  p4d: 'https://aws.amazon.com/ec2/instance-types/p4/',
  p4de: 'https://aws.amazon.com/ec2/instance-types/p4/',
  p5: 'https://aws.amazon.com/ec2/instance-types/p5/',
};

const SINGLE_GPU: InterconnectSpec = {
  kind: 'none',
  bandwidthGBs: 0,
  source: { url: 'n/a: one GPU, no all-reduce', verified: true },
};

/** PCIe Gen4 x16: 32 GB/s per direction nominal; GPUs of g5/g6/g6e talk over PCIe (no NVLink). */
const PCIE_GEN4: InterconnectSpec = {
  kind: 'PCIe',
  bandwidthGBs: 32,
  source: {
    url: 'https://aws.amazon.com/ec2/instance-types/g5/',
    asOf: READ_ON,
    verified: true,
    note: 'PCIe Gen4 x16: 64 GB/s bidirectional (L40S data sheet), 32 GB/s per direction; measured all-reduce bandwidth is lower.',
  },
};

/** NVSwitch on p4d/p4de: 600 GB/s per GPU bidirectional, 300 GB/s per direction. */
const NVLINK_A100: InterconnectSpec = {
  kind: 'NVLink',
  bandwidthGBs: 300,
  source: {
    url: 'https://aws.amazon.com/ec2/instance-types/p4/',
    asOf: READ_ON,
    verified: true,
    note: '600 GB/s NVSwitch GPU-to-GPU per the P4 page; 300+300 GB/s NVLink per A100 (https://glennklockwood.com/garden/processors/A100).',
  },
};

/** NVSwitch on p5: 900 GB/s per GPU bidirectional, 450 GB/s per direction. */
const NVLINK_H100: InterconnectSpec = {
  kind: 'NVLink',
  bandwidthGBs: 450,
  source: {
    url: 'https://aws.amazon.com/ec2/instance-types/p5/',
    asOf: READ_ON,
    verified: true,
    note: '900 GB/s NVLink 4 per GPU, both directions (H100 SXM data sheet); 450 GB/s per direction.',
  },
};

interface InstanceRow {
  readonly name: string;
  readonly accelerator: AcceleratorSpec;
  readonly gpus: number;
  readonly vCpus: number;
  readonly hostMemoryGiB: number;
  readonly hourlyUsd: number;
  readonly priceVerified: boolean;
  readonly priceNote?: string;
  readonly specVerified: boolean;
}

function interconnectFor(row: InstanceRow): InterconnectSpec {
  if (row.gpus === 1) return SINGLE_GPU;
  if (row.accelerator.family === 'H100') return NVLINK_H100;
  if (row.accelerator.family === 'A100') return NVLINK_A100;
  return PCIE_GEN4;
}

function toSpec(row: InstanceRow): InstanceTypeSpec {
  const family = row.name.split('.')[1];
  const priceSource: Source = {
    url: PRICING_URL,
    asOf: READ_ON,
    verified: row.priceVerified,
    note: row.priceNote ?? CORROBORATED,
  };
  return {
    name: row.name,
    family,
    accelerator: row.accelerator,
    acceleratorCount: row.gpus,
    interconnect: interconnectFor(row),
    vCpus: row.vCpus,
    hostMemoryGiB: row.hostMemoryGiB,
    price: { usd: row.hourlyUsd, region: PRICE_REGION, source: priceSource },
    source: {
      url: SPEC_URL[family],
      asOf: READ_ON,
      verified: row.specVerified,
      note: 'GPU count, vCPUs and GiB agree with public SageMaker instance tables (code search).',
    },
  };
}

/*
 * The AWS pricing page is not in the reference corpus. Prices marked verified agree with at least two
 * independent public tables of us-east-1 SageMaker prices (code search, read 2026-11-27).
 */
const CORROBORATED =
  'SageMaker on-demand us-east-1; agrees with ≥2 independent public us-east-1 SageMaker price tables (hosting, training or notebook tables list the same figure); the AWS page itself was not readable.';
const P4D_NOTE =
  'the published-study era real-time price (also in a 2026-03 public table); a 2026-09 public table lists 25.2513 after the 2025 P4/P5 price cut: check and override with --price.';
const P4DE_NOTE = 'estimated: p4d price × (p4de/p4d ratio of a public 2026 table, 31.5641/25.2513); not read from the AWS page.';
const P5_NOTE = 'pre-2025 list price (1.15 × EC2 98.32); a 2026-09 public table lists 63.296 after the price cut: check and override with --price.';

const ROWS: readonly InstanceRow[] = [
  { name: 'ml.g5.xlarge', accelerator: A10G, gpus: 1, vCpus: 4, hostMemoryGiB: 16, hourlyUsd: 1.408, priceVerified: true, specVerified: true },
  { name: 'ml.g5.2xlarge', accelerator: A10G, gpus: 1, vCpus: 8, hostMemoryGiB: 32, hourlyUsd: 1.515, priceVerified: true, specVerified: true },
  { name: 'ml.g5.4xlarge', accelerator: A10G, gpus: 1, vCpus: 16, hostMemoryGiB: 64, hourlyUsd: 2.03, priceVerified: true, specVerified: true },
  { name: 'ml.g5.8xlarge', accelerator: A10G, gpus: 1, vCpus: 32, hostMemoryGiB: 128, hourlyUsd: 3.06, priceVerified: true, specVerified: true },
  { name: 'ml.g5.12xlarge', accelerator: A10G, gpus: 4, vCpus: 48, hostMemoryGiB: 192, hourlyUsd: 7.09, priceVerified: true, specVerified: true },
  { name: 'ml.g5.16xlarge', accelerator: A10G, gpus: 1, vCpus: 64, hostMemoryGiB: 256, hourlyUsd: 5.12, priceVerified: true, specVerified: true },
  { name: 'ml.g5.24xlarge', accelerator: A10G, gpus: 4, vCpus: 96, hostMemoryGiB: 384, hourlyUsd: 10.18, priceVerified: true, specVerified: true },
  { name: 'ml.g5.48xlarge', accelerator: A10G, gpus: 8, vCpus: 192, hostMemoryGiB: 768, hourlyUsd: 20.36, priceVerified: true, specVerified: true },
  { name: 'ml.g6.xlarge', accelerator: L4, gpus: 1, vCpus: 4, hostMemoryGiB: 16, hourlyUsd: 1.127, priceVerified: true, specVerified: true },
  { name: 'ml.g6.2xlarge', accelerator: L4, gpus: 1, vCpus: 8, hostMemoryGiB: 32, hourlyUsd: 1.222, priceVerified: true, specVerified: true },
  { name: 'ml.g6.12xlarge', accelerator: L4, gpus: 4, vCpus: 48, hostMemoryGiB: 192, hourlyUsd: 5.752, priceVerified: true, specVerified: true },
  { name: 'ml.g6.48xlarge', accelerator: L4, gpus: 8, vCpus: 192, hostMemoryGiB: 768, hourlyUsd: 16.688, priceVerified: true, specVerified: true },
  { name: 'ml.g6e.xlarge', accelerator: L40S, gpus: 1, vCpus: 4, hostMemoryGiB: 32, hourlyUsd: 2.61, priceVerified: true, specVerified: true },
  { name: 'ml.g6e.2xlarge', accelerator: L40S, gpus: 1, vCpus: 8, hostMemoryGiB: 64, hourlyUsd: 2.8, priceVerified: true, specVerified: true },
  { name: 'ml.g6e.12xlarge', accelerator: L40S, gpus: 4, vCpus: 48, hostMemoryGiB: 384, hourlyUsd: 13.12, priceVerified: true, specVerified: true },
  { name: 'ml.g6e.48xlarge', accelerator: L40S, gpus: 8, vCpus: 192, hostMemoryGiB: 1536, hourlyUsd: 37.66, priceVerified: true, specVerified: true },
  { name: 'ml.p4d.24xlarge', accelerator: A100_40GB, gpus: 8, vCpus: 96, hostMemoryGiB: 1152, hourlyUsd: 37.688, priceVerified: false, priceNote: P4D_NOTE, specVerified: true },
  { name: 'ml.p4de.24xlarge', accelerator: A100_80GB, gpus: 8, vCpus: 96, hostMemoryGiB: 1152, hourlyUsd: 47.11, priceVerified: false, priceNote: P4DE_NOTE, specVerified: true },
  { name: 'ml.p5.48xlarge', accelerator: H100_SXM, gpus: 8, vCpus: 192, hostMemoryGiB: 2048, hourlyUsd: 113.07, priceVerified: false, priceNote: P5_NOTE, specVerified: true },
];

export const INSTANCE_TYPES: readonly InstanceTypeSpec[] = ROWS.map(toSpec);
