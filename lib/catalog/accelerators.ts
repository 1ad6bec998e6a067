/**
 * GPU peak figures from vendor data sheets. Tensor-core fp16/bf16 figures are the dense
 * (no structured sparsity) numbers: data sheets print the sparse figure with an asterisk,
 * the dense one is half of it.
 */
import type { AcceleratorSpec } from './types';

const READ_ON = '2026-11-27';

/**
 * A10G (AWS variant of the A10). The published study uses 70 TFLOPS fp16 and 600 GB/s
 * (≈116 ops/byte); the planner reproduces that number, so it is kept here as the figure.
 */
export const A10G: AcceleratorSpec = {
  family: 'A10G',
  name: 'A10G',
  vendor: 'NVIDIA',
  memoryGB: 24,
  memoryBandwidthGBs: 600,
  denseFp16Tflops: 70,
  source: {
    url: 'https://aws.amazon.com/ec2/instance-types/g5/',
    asOf: READ_ON,
    verified: false,
    note:
      '24 GB and 600 GB/s confirmed (EC2 G5 page; https://www.baseten.co/blog/nvidia-a10-vs-a10g-for-ml-model-inference/); ' +
      '70 TFLOPS fp16 is the published study figure (docs/theory.md), not confirmed: NVIDIA publishes no A10G data sheet ' +
      '(the A10 sheet says 125 TFLOPS dense fp16 tensor; the A10G has less tensor throughput).',
  },
};

export const L4: AcceleratorSpec = {
  family: 'L4',
  name: 'L4',
  vendor: 'NVIDIA',
  memoryGB: 24,
  memoryBandwidthGBs: 300,
  // Data sheet: FP16 tensor core 242 TFLOPS with sparsity.
  denseFp16Tflops: 121,
  source: {
    url: 'https://www.nvidia.com/en-us/data-center/l4/',
    asOf: READ_ON,
    verified: true,
    note: 'NVIDIA L4 data sheet: 24 GB GDDR6, 300 GB/s, 242 TFLOPS fp16 tensor with sparsity (121 dense); confirmed via https://grokipedia.com/page/NVIDIA_L4_vs_L40S and https://fpsbench.com/compare/gpu/nvidia-l4-vs-nvidia-tesla-m40 (300.1 GB/s).',
  },
};

export const L40S: AcceleratorSpec = {
  family: 'L40S',
  name: 'L40S',
  vendor: 'NVIDIA',
  memoryGB: 48,
  memoryBandwidthGBs: 864,
  // Data sheet: FP16 tensor core 362.05 | 733 TFLOPS (dense | sparse).
  denseFp16Tflops: 362,
  source: {
    url: 'https://www.nvidia.com/en-us/data-center/l40s/',
    asOf: READ_ON,
    verified: true,
    note: 'NVIDIA L40S data sheet: 48 GB GDDR6, 864 GB/s, FP16 tensor 362.05 dense / 733 sparse; confirmed via https://www.mullet.se/product.html?product_id=355414 (data sheet table).',
  },
};

export const A100_40GB: AcceleratorSpec = {
  family: 'A100',
  name: 'A100-40GB',
  vendor: 'NVIDIA',
  memoryGB: 40,
  memoryBandwidthGBs: 1555,
  denseFp16Tflops: 312,
  source: {
    url: 'https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf',
    asOf: READ_ON,
    verified: true,
    note: 'NVIDIA A100 data sheet (SXM 40GB): 1,555 GB/s, 312 TFLOPS fp16 tensor dense (624 sparse), confirmed via https://glennklockwood.com/garden/processors/A100; 312/1555 ≈ 200 ops/byte (the study says ≈208).',
  },
};

export const A100_80GB: AcceleratorSpec = {
  family: 'A100',
  name: 'A100-80GB',
  vendor: 'NVIDIA',
  memoryGB: 80,
  memoryBandwidthGBs: 2039,
  denseFp16Tflops: 312,
  source: {
    url: 'https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf',
    asOf: READ_ON,
    verified: true,
    note: 'NVIDIA A100 data sheet (SXM 80GB): 2,039 GB/s, 312 TFLOPS fp16 tensor dense; confirmed via https://www.thundercompute.com/blog/nvidia-a100-specs-full-guide.',
  },
};

export const H100_SXM: AcceleratorSpec = {
  family: 'H100',
  name: 'H100-SXM',
  vendor: 'NVIDIA',
  memoryGB: 80,
  memoryBandwidthGBs: 3350,
  // Data sheet: FP16 tensor core 1,979 TFLOPS with sparsity.
  denseFp16Tflops: 989,
  source: {
    url: 'https://www.nvidia.com/en-us/data-center/h100/',
    asOf: READ_ON,
    verified: true,
    note: 'NVIDIA H100 SXM data sheet: 80 GB HBM3, 3,350 GB/s, 1,979 TFLOPS fp16 tensor sparse (989 dense); confirmed via https://archive-lib.hpctech.co.jp/gpuproduct/nvidia-h100.html and https://glennklockwood.com/garden/processors/h100.',
  },
};

export const ACCELERATORS: readonly AcceleratorSpec[] = [A10G, L4, L40S, A100_40GB, A100_80GB, H100_SXM];
