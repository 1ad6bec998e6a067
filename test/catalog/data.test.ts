import {
  ACCELERATORS,
  MAX_WEIGHTS_SHARE_OF_GPU_MEMORY,
  getInstanceType,
  getModel,
  listInstanceTypes,
  listModels,
  listUnverifiedFigures,
  tpDividesHeads,
} from '../../lib/catalog';
import type { Source } from '../../lib/catalog';

const models = listModels();
const instances = listInstanceTypes();

function expectSourced(source: Source | undefined): void {
  expect(source).toBeDefined();
  expect(source?.url.length).toBeGreaterThan(5);
  expect(typeof source?.verified).toBe('boolean');
  if (source?.asOf !== undefined) expect(source.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
}

describe('models', () => {
  it('have unique short ids and JumpStart ids', () => {
    const names = models.flatMap((m) => [m.id, m.jumpStartId]);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(models.map((m) => [m.id, m] as const))('%s: kv heads divide heads; head dim × heads = hidden', (_id, m) => {
    expect(m.attentionHeads % m.kvHeads).toBe(0);
    expect(m.headDim * m.attentionHeads).toBe(m.hiddenSize);
    expect(m.activeParameters).toBeLessThanOrEqual(m.parameters);
  });

  it.each(models.map((m) => [m.id, m] as const))('%s: TGI defaults are valid (input < total ≤ context, prefill ≥ input)', (_id, m) => {
    const t = m.tgiDefaults;
    expect(t.maxInputTokens).toBeLessThan(t.maxTotalTokens);
    expect(t.maxTotalTokens).toBeLessThanOrEqual(m.contextTokens);
    expect(t.maxBatchPrefillTokens).toBeGreaterThanOrEqual(t.maxInputTokens);
    expect(t.maxConcurrentRequests).toBe(128);
  });

  it.each(models.map((m) => [m.id, m] as const))('%s: every default TP is a catalog instance, all its GPUs, valid and fitting', (_id, m) => {
    const entries = Object.entries(m.defaultTpByInstance);
    expect(entries.length).toBeGreaterThan(0);
    for (const [name, tp] of entries) {
      const instance = getInstanceType(name);
      expect(instance.name).toBe(name);
      expect(tp).toBeLessThanOrEqual(instance.acceleratorCount);
      expect(tp).toBe(instance.acceleratorCount);
      expect(tpDividesHeads(m, tp)).toBe(true);
      expect((m.parameters * 2) / tp).toBeLessThanOrEqual(MAX_WEIGHTS_SHARE_OF_GPU_MEMORY * instance.accelerator.memoryGB * 1e9);
    }
  });

  it('pins published architecture figures', () => {
    const llama = getModel('llama-2-7b');
    // 0.5 MiB KV per token (CONTEXT.md): 2 × layers × kv heads × head dim × 2 bytes.
    expect(2 * llama.layers * llama.kvHeads * llama.headDim * 2).toBe(512 * 1024);
    expect((llama.parameters * 2) / 1e9).toBeCloseTo(13.5, 1);
    expect(llama.tgiDefaults).toEqual({ maxInputTokens: 4095, maxTotalTokens: 4096, maxBatchPrefillTokens: 4096, maxConcurrentRequests: 128 });
    expect(llama.gated).toBe(true);
    expect(llama.defaultTpByInstance['ml.g5.2xlarge']).toBe(1);
    expect(llama.defaultTpByInstance['ml.g5.12xlarge']).toBe(4);
    expect(llama.defaultTpByInstance['ml.p4d.24xlarge']).toBe(8);
    expect(getModel('llama-2-70b').kvHeads).toBe(8);
    expect(getModel('falcon-7b').kvHeads).toBe(1);
    expect(getModel('mixtral-8x7b').activeParameters).toBeLessThan(getModel('mixtral-8x7b').parameters / 3);
  });

  it('does not list instances where the model cannot be sharded or does not fit', () => {
    // Falcon 7B has 71 heads: only single-GPU instances.
    expect(Object.values(getModel('falcon-7b').defaultTpByInstance).every((tp) => tp === 1)).toBe(true);
    expect(getModel('llama-2-70b').defaultTpByInstance['ml.g5.12xlarge']).toBeUndefined();
    expect(getModel('falcon-180b').defaultTpByInstance['ml.p4d.24xlarge']).toBeUndefined();
    expect(getModel('falcon-180b').defaultTpByInstance['ml.p4de.24xlarge']).toBe(8);
  });
});

describe('instance types and accelerators', () => {
  it('reproduce the published ops per byte (A10G ≈116, A100 ≈200–208)', () => {
    const a10g = getInstanceType('ml.g5.2xlarge').accelerator;
    expect((a10g.denseFp16Tflops * 1e12) / (a10g.memoryBandwidthGBs * 1e9)).toBeCloseTo(116.7, 0);
    const a100 = getInstanceType('ml.p4d.24xlarge').accelerator;
    const a100OpsPerByte = (a100.denseFp16Tflops * 1e12) / (a100.memoryBandwidthGBs * 1e9);
    expect(a100OpsPerByte).toBeGreaterThan(195);
    expect(a100OpsPerByte).toBeLessThan(210);
  });

  it.each(instances.map((i) => [i.name, i] as const))('%s: consistent interconnect, positive figures', (_name, i) => {
    expect(i.name).toBe(`ml.${i.family}.${i.name.split('.')[2]}`);
    expect(i.interconnect.kind === 'none').toBe(i.acceleratorCount === 1);
    expect(i.interconnect.bandwidthGBs > 0).toBe(i.acceleratorCount > 1);
    expect(i.vCpus).toBeGreaterThan(0);
    expect(i.hostMemoryGiB).toBeGreaterThanOrEqual(16);
    expect(i.price.usd).toBeGreaterThan(0);
    expect(i.price.region).toBe('us-east-1');
  });

  it('uses NVLink on p4d/p4de/p5 and PCIe on multi-GPU g instances', () => {
    expect(getInstanceType('ml.p4d.24xlarge').interconnect.kind).toBe('NVLink');
    expect(getInstanceType('ml.p5.48xlarge').interconnect.kind).toBe('NVLink');
    expect(getInstanceType('ml.g5.48xlarge').interconnect.kind).toBe('PCIe');
    expect(getInstanceType('ml.g6e.12xlarge').interconnect.kind).toBe('PCIe');
  });

  it('orders prices within a family by GPU count', () => {
    expect(getInstanceType('ml.g5.48xlarge').price.usd).toBeGreaterThan(getInstanceType('ml.g5.12xlarge').price.usd);
    expect(getInstanceType('ml.g5.12xlarge').price.usd).toBeGreaterThan(getInstanceType('ml.g5.2xlarge').price.usd);
  });
});

describe('sources', () => {
  it('every figure has a source', () => {
    for (const a of ACCELERATORS) expectSourced(a.source);
    for (const i of instances) {
      expectSourced(i.source);
      expectSourced(i.price.source);
      expectSourced(i.interconnect.source);
    }
    for (const m of models) {
      expectSourced(m.source);
      expectSourced(m.tgiDefaultsSource);
      expectSourced(m.defaultTpSource);
      expectSourced(m.jumpStartArtifact?.source);
    }
  });

  it('listUnverifiedFigures names each unverified figure once', () => {
    const lines = listUnverifiedFigures();
    expect(new Set(lines).size).toBe(lines.length);
    const unverifiedPrices = instances.filter((i) => !i.price.source.verified);
    for (const i of unverifiedPrices) expect(lines.some((l) => l.startsWith(`${i.name} price:`))).toBe(true);
    expect(lines.some((l) => l.startsWith('llama-2-7b TGI defaults'))).toBe(false);
    // A10G's 70 TFLOPS is the study's figure, not a data sheet's; L4 was confirmed.
    expect(lines.some((l) => l.startsWith('accelerator A10G:'))).toBe(true);
    expect(lines.some((l) => l.startsWith('accelerator L4:'))).toBe(false);
    expect(lines.some((l) => l.startsWith('ml.p5.48xlarge price:'))).toBe(true);
  });
});
