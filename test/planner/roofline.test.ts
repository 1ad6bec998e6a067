import { A100_40GB, A10G, getInstanceType, getModel } from '../../lib/catalog';
import { weightsBytes } from '../../lib/planner/memory';
import {
  allReduceMsPerStep,
  criticalBatch,
  decodeStepMsComputeBound,
  decodeStepMsMemoryBound,
  decodeStepMsRoofline,
  opsPerByte,
  prefillMs,
} from '../../lib/planner/roofline';

const llama7b = getModel('llama-2-7b');
const g5x2 = getInstanceType('ml.g5.2xlarge');
const g5x12 = getInstanceType('ml.g5.12xlarge');
const g5x48 = getInstanceType('ml.g5.48xlarge');
const p4d = getInstanceType('ml.p4d.24xlarge');

describe('arithmetic intensity', () => {
  it('A10G ≈ 116 ops/byte (published: 70 TFLOPS / 600 GB/s)', () => {
    expect(opsPerByte(A10G)).toBeGreaterThan(115);
    expect(opsPerByte(A10G)).toBeLessThan(118);
    expect(criticalBatch(A10G)).toBe(116);
  });

  it('A100 ≈ 208 ops/byte within 5 % (published)', () => {
    expect(Math.abs(opsPerByte(A100_40GB) - 208) / 208).toBeLessThan(0.05);
  });
});

describe('decode step', () => {
  it('reads the weights once per step: Llama 2 7B on one A10G ≈ 22.5 ms at batch 1', () => {
    expect(decodeStepMsMemoryBound(llama7b, A10G, 1, 0)).toBeCloseTo((weightsBytes(llama7b) / 600e9) * 1000, 6);
    expect(decodeStepMsMemoryBound(llama7b, A10G, 1, 0)).toBeCloseTo(22.46, 1);
  });

  it('adds the KV cache read: 4,096 tokens of 0.5 MiB cost 2 GiB more', () => {
    const extraMs = decodeStepMsMemoryBound(llama7b, A10G, 1, 4096) - decodeStepMsMemoryBound(llama7b, A10G, 1, 0);
    expect(extraMs).toBeCloseTo((2 * 1024 ** 3 / 600e9) * 1000, 6);
  });

  it('divides memory time by TP (aggregate bandwidth)', () => {
    expect(decodeStepMsMemoryBound(llama7b, A10G, 4, 1000)).toBeCloseTo(decodeStepMsMemoryBound(llama7b, A10G, 1, 1000) / 4, 9);
  });

  it('meets the compute roof at the critical batch: memory time ≈ compute time at B*', () => {
    const memoryMs = decodeStepMsMemoryBound(llama7b, A10G, 1, 0);
    const computeMs = decodeStepMsComputeBound(llama7b, A10G, 1, opsPerByte(A10G));
    expect(Math.abs(computeMs - memoryMs) / memoryMs).toBeLessThan(0.01);
    expect(decodeStepMsComputeBound(llama7b, A10G, 1, 8)).toBeLessThan(memoryMs / 10);
  });

  it('uses active parameters for compute (mixture-of-experts)', () => {
    const mixtral = getModel('mixtral-8x7b');
    expect(decodeStepMsComputeBound(mixtral, A10G, 1, 1)).toBeCloseTo(((2 * mixtral.activeParameters) / 70e12) * 1000, 9);
  });

  it('takes the slower roof plus all-reduces', () => {
    const low = decodeStepMsRoofline(llama7b, g5x12, 4, 1, 512);
    expect(low).toBeCloseTo(decodeStepMsMemoryBound(llama7b, A10G, 4, 512) + allReduceMsPerStep(llama7b, g5x12, 4, 1), 9);
    const high = decodeStepMsRoofline(llama7b, g5x2, 1, 500, 500);
    expect(high).toBeCloseTo(decodeStepMsComputeBound(llama7b, A10G, 1, 500), 9);
  });
});

describe('prefill', () => {
  it('is compute-bound for a 256-token prompt: 2 × params × tokens + attention over FLOPS', () => {
    const expectedMs = ((2 * llama7b.parameters * 256 + 2 * 32 * 256 * 256 * 32 * 128) / 70e12) * 1000;
    expect(prefillMs(llama7b, A10G, 1, 256)).toBeCloseTo(expectedMs, 6);
    expect(prefillMs(llama7b, A10G, 1, 256)).toBeGreaterThan(decodeStepMsMemoryBound(llama7b, A10G, 1, 0));
  });

  it('never beats reading the weights once', () => {
    expect(prefillMs(llama7b, A10G, 1, 1)).toBeCloseTo(decodeStepMsMemoryBound(llama7b, A10G, 1, 0), 6);
  });
});

describe('allReduceMsPerStep', () => {
  it('is 0 without sharding', () => {
    expect(allReduceMsPerStep(llama7b, g5x2, 1, 64)).toBe(0);
  });

  it('is 2 ring all-reduces per layer over PCIe on g5.12xlarge, the 4 ring flows sharing the host fabric', () => {
    // 2 × 32 layers × (4 GPUs × 2·3/4 × 1 token × 4096 × 2 B / 32 GB/s + 30 µs)
    const expectedMs = 2 * 32 * ((4 * 1.5 * 4096 * 2) / 32e9 + 30e-6) * 1000;
    expect(allReduceMsPerStep(llama7b, g5x12, 4, 1)).toBeCloseTo(expectedMs, 9);
    expect(allReduceMsPerStep(llama7b, g5x12, 4, 1, { latencyUsPerCollective: 0 })).toBeCloseTo(2 * 32 * ((4 * 1.5 * 8192) / 32e9) * 1000, 9);
  });

  it('over NVLink each GPU has its own link: 2·(TP − 1)/TP of the message per GPU', () => {
    const expectedMs = 2 * 32 * ((1.75 * 64 * 8192) / 300e9) * 1000;
    expect(allReduceMsPerStep(llama7b, p4d, 8, 64, { latencyUsPerCollective: 0 })).toBeCloseTo(expectedMs, 9);
  });

  it('costs less over NVLink (p4d) than over PCIe (g5.48xlarge) at the same TP', () => {
    expect(allReduceMsPerStep(llama7b, p4d, 8, 64)).toBeLessThan(allReduceMsPerStep(llama7b, g5x48, 8, 64) / 2);
  });

  it('grows with the tokens in the step', () => {
    expect(allReduceMsPerStep(llama7b, g5x48, 8, 4096)).toBeGreaterThan(allReduceMsPerStep(llama7b, g5x48, 8, 1) * 10);
  });

  it('refuses TP > 1 on an instance without an interconnect', () => {
    expect(() => allReduceMsPerStep(llama7b, g5x2, 2, 1)).toThrow(/no interconnect/);
  });
});
