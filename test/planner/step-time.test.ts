import { getInstanceType, getModel } from '../../lib/catalog';
import { defaultStepTimeParams } from '../../lib/planner/calibration/params';
import { allReduceMs, decodeStepMs, prefillMs, prefillPassMs } from '../../lib/planner/step-time';

const llama7b = getModel('llama-2-7b');
const g5 = getInstanceType('ml.g5.2xlarge');
const g5x12 = getInstanceType('ml.g5.12xlarge');
const g5x48 = getInstanceType('ml.g5.48xlarge');
const p4d = getInstanceType('ml.p4d.24xlarge');
const params = defaultStepTimeParams();

describe('decodeStepMs', () => {
  it('batch 1 of Llama 2 7B on one A10G reads 13.5 GB of weights: about the published 33 ms per token', () => {
    const stepMs = decodeStepMs({ model: llama7b, instance: g5, tp: 1 }, 1, 512);
    expect(stepMs).toBeGreaterThan(28);
    expect(stepMs).toBeLessThan(36);
    // Memory-bound: at least the ideal weights read at peak bandwidth (13.48 GB / 600 GB/s).
    expect(stepMs).toBeGreaterThan((llama7b.parameters * 2) / 600e6);
  });

  it('is memory-bound below the critical batch: doubling a small batch costs little', () => {
    const layout = { model: llama7b, instance: g5, tp: 1 };
    const one = decodeStepMs(layout, 1, 256);
    const eight = decodeStepMs(layout, 8, 8 * 256);
    expect(eight / one).toBeLessThan(1.3);
  });

  it('grows with the KV cache read', () => {
    const layout = { model: llama7b, instance: g5, tp: 1 };
    const kvPerTokenMs = (decodeStepMs(layout, 4, 10_000) - decodeStepMs(layout, 4, 0)) / 10_000;
    // 0.5 MiB per token over 600 GB/s × the attention kernel's KV bandwidth efficiency.
    expect(kvPerTokenMs).toBeCloseTo(524_288 / (600e6 * params.families.A10G.kvEfficiency), 9);
  });

  it('becomes compute-bound at large batches (linear in batch)', () => {
    const layout = { model: llama7b, instance: g5, tp: 1 };
    const a = decodeStepMs(layout, 2000, 0);
    const b = decodeStepMs(layout, 4000, 0);
    expect(b - a).toBeGreaterThan(0.9 * (a - decodeStepMs(layout, 0, 0)));
  });

  it('sharding cuts the weights read but adds all-reduces that grow with TP', () => {
    const tp1 = decodeStepMs({ model: llama7b, instance: g5, tp: 1 }, 1, 256);
    const tp4 = decodeStepMs({ model: llama7b, instance: g5x12, tp: 4 }, 1, 256);
    expect(tp4).toBeLessThan(tp1);
    expect(allReduceMs({ model: llama7b, instance: g5, tp: 1 }, 64)).toBe(0);
    const ar4 = allReduceMs({ model: llama7b, instance: g5x12, tp: 4 }, 64);
    const ar8 = allReduceMs({ model: llama7b, instance: g5x48, tp: 8 }, 64);
    expect(ar8).toBeGreaterThan(ar4);
    // NVLink (300 GB/s) moves the same message faster than PCIe (32 GB/s).
    expect(allReduceMs({ model: llama7b, instance: p4d, tp: 8 }, 512)).toBeLessThan(allReduceMs({ model: llama7b, instance: g5x48, tp: 8 }, 512));
  });
});

describe('prefillMs', () => {
  it('is compute-bound for long prompts: ~linear in tokens plus quadratic attention', () => {
    const layout = { model: llama7b, instance: g5, tp: 1 };
    const short = prefillMs(layout, 1024);
    const long = prefillMs(layout, 2048);
    expect(long / short).toBeGreaterThan(1.9);
    expect(long / short).toBeLessThan(2.4);
  });

  it('never beats reading the weights once (one token costs about a decode step)', () => {
    const layout = { model: llama7b, instance: g5, tp: 1 };
    expect(prefillMs(layout, 1)).toBeGreaterThan(0.9 * decodeStepMs(layout, 1, 0) - params.families.A10G.perSequenceStepMs);
  });

  it('batched prompts cost less attention than one prompt of the same total length', () => {
    const layout = { model: llama7b, instance: g5, tp: 1 };
    expect(prefillPassMs(layout, 4000, 4 * 1000 * 1000)).toBeLessThan(prefillMs(layout, 4000));
  });
});
