/**
 * SageMaker hosting instance types with GPUs. Specs (GPUs, vCPUs, host memory) come from the
 * EC2 instance-type pages; `price` is the us-east-1 row of the price table (price-table.ts), for
 * reference: cost figures take a region and go through quotePrice (prices.ts).
 */
import { A100_40GB, A100_80GB, A10G, H100_SXM, L4, L40S } from './accelerators';
import { PRICE_TABLE } from './price-table';
import type { AcceleratorSpec, InstanceTypeSpec, InterconnectSpec, Source } from './types';

const READ_ON = '2026-11-27';
const PRICE_REGION = 'us-east-1';

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
  const priceRow = PRICE_TABLE.find((p) => p.instance === row.name && p.region === PRICE_REGION);
  if (priceRow === undefined) throw new Error(`price table has no ${PRICE_REGION} row for ${row.name}`);
  const priceSource: Source = {
    url: priceRow.source,
    asOf: priceRow.asOf,
    verified: priceRow.verified,
    note: priceRow.derivedFrom ?? priceRow.note,
  };
  return {
    name: row.name,
    family,
    accelerator: row.accelerator,
    acceleratorCount: row.gpus,
    interconnect: interconnectFor(row),
    vCpus: row.vCpus,
    hostMemoryGiB: row.hostMemoryGiB,
    price: { usd: priceRow.usd, region: PRICE_REGION, source: priceSource },
    source: {
      url: SPEC_URL[family],
      asOf: READ_ON,
      verified: row.specVerified,
      note: 'GPU count, vCPUs and GiB agree with public SageMaker instance tables (code search).',
    },
  };
}

const ROWS: readonly InstanceRow[] = [
  { name: 'ml.g5.xlarge', accelerator: A10G, gpus: 1, vCpus: 4, hostMemoryGiB: 16, specVerified: true },
  { name: 'ml.g5.2xlarge', accelerator: A10G, gpus: 1, vCpus: 8, hostMemoryGiB: 32, specVerified: true },
  { name: 'ml.g5.4xlarge', accelerator: A10G, gpus: 1, vCpus: 16, hostMemoryGiB: 64, specVerified: true },
  { name: 'ml.g5.8xlarge', accelerator: A10G, gpus: 1, vCpus: 32, hostMemoryGiB: 128, specVerified: true },
  { name: 'ml.g5.12xlarge', accelerator: A10G, gpus: 4, vCpus: 48, hostMemoryGiB: 192, specVerified: true },
  { name: 'ml.g5.16xlarge', accelerator: A10G, gpus: 1, vCpus: 64, hostMemoryGiB: 256, specVerified: true },
  { name: 'ml.g5.24xlarge', accelerator: A10G, gpus: 4, vCpus: 96, hostMemoryGiB: 384, specVerified: true },
  { name: 'ml.g5.48xlarge', accelerator: A10G, gpus: 8, vCpus: 192, hostMemoryGiB: 768, specVerified: true },
  { name: 'ml.g6.xlarge', accelerator: L4, gpus: 1, vCpus: 4, hostMemoryGiB: 16, specVerified: true },
  { name: 'ml.g6.2xlarge', accelerator: L4, gpus: 1, vCpus: 8, hostMemoryGiB: 32, specVerified: true },
  { name: 'ml.g6.12xlarge', accelerator: L4, gpus: 4, vCpus: 48, hostMemoryGiB: 192, specVerified: true },
  { name: 'ml.g6.48xlarge', accelerator: L4, gpus: 8, vCpus: 192, hostMemoryGiB: 768, specVerified: true },
  { name: 'ml.g6e.xlarge', accelerator: L40S, gpus: 1, vCpus: 4, hostMemoryGiB: 32, specVerified: true },
  { name: 'ml.g6e.2xlarge', accelerator: L40S, gpus: 1, vCpus: 8, hostMemoryGiB: 64, specVerified: true },
  { name: 'ml.g6e.12xlarge', accelerator: L40S, gpus: 4, vCpus: 48, hostMemoryGiB: 384, specVerified: true },
  { name: 'ml.g6e.48xlarge', accelerator: L40S, gpus: 8, vCpus: 192, hostMemoryGiB: 1536, specVerified: true },
  { name: 'ml.p4d.24xlarge', accelerator: A100_40GB, gpus: 8, vCpus: 96, hostMemoryGiB: 1152, specVerified: true },
  { name: 'ml.p4de.24xlarge', accelerator: A100_80GB, gpus: 8, vCpus: 96, hostMemoryGiB: 1152, specVerified: true },
  { name: 'ml.p5.48xlarge', accelerator: H100_SXM, gpus: 8, vCpus: 192, hostMemoryGiB: 2048, specVerified: true },
];

export const INSTANCE_TYPES: readonly InstanceTypeSpec[] = ROWS.map(toSpec);
