import {
  ACCELERATORS,
  containerDefaults,
  getInstanceType,
  getModel,
  JUMPSTART_CONTAINER_SPECS,
  listInstanceTypes,
  listModels,
  listUnverifiedFigures,
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

  it.each(models.map((m) => [m.id, m] as const))('%s: container defaults on every instance start TGI (input < total ≤ context, prefill ≥ input)', (_id, m) => {
    for (const instance of instances) {
      const { tgi, origins } = containerDefaults(m, instance);
      expect(tgi.maxInputTokens).toBeLessThan(tgi.maxTotalTokens);
      // JumpStart's Mixtral spec sets 32,786, 18 tokens above its config's 32,768: the spec's own value is the bound then.
      expect(tgi.maxTotalTokens).toBeLessThanOrEqual(Math.max(m.contextTokens, m.tgiDefaults.maxTotalTokens));
      expect(tgi.maxBatchPrefillTokens).toBeGreaterThanOrEqual(tgi.maxInputTokens);
      if (tgi.maxBatchTotalTokens !== undefined) expect(tgi.maxBatchTotalTokens).toBeGreaterThanOrEqual(tgi.maxTotalTokens);
      // Every value says where it comes from.
      for (const name of ['MAX_INPUT_TOKENS', 'MAX_TOTAL_TOKENS', 'MAX_BATCH_PREFILL_TOKENS', 'MAX_CONCURRENT_REQUESTS', 'SM_NUM_GPUS'] as const) {
        expect(origins[name]?.why.length).toBeGreaterThan(10);
      }
    }
  });

  it('pins published architecture figures', () => {
    const llama = getModel('llama-2-7b');
    // 0.5 MiB KV per token (docs/theory.md): 2 × layers × kv heads × head dim × 2 bytes.
    expect(2 * llama.layers * llama.kvHeads * llama.headDim * 2).toBe(512 * 1024);
    expect((llama.parameters * 2) / 1e9).toBeCloseTo(13.5, 1);
    expect(llama.gated).toBe(true);
    expect(getModel('llama-2-70b').kvHeads).toBe(8);
    expect(getModel('falcon-7b').kvHeads).toBe(1);
    expect(getModel('mixtral-8x7b').activeParameters).toBeLessThan(getModel('mixtral-8x7b').parameters / 3);
  });

});

describe("JumpStart's container defaults (cited spec values; derived ones marked)", () => {
  const g5x2 = getInstanceType('ml.g5.2xlarge');
  const g5x12 = getInstanceType('ml.g5.12xlarge');
  const g5x48 = getInstanceType('ml.g5.48xlarge');
  const p4d = getInstanceType('ml.p4d.24xlarge');

  it('pins Llama 2 7B (spec 4.2.0): 512 concurrent requests everywhere, per-instance prefill and SM_NUM_GPUS', () => {
    const llama = getModel('llama-2-7b');
    expect(llama.tgiDefaults).toEqual({ maxInputTokens: 4095, maxTotalTokens: 4096, maxBatchPrefillTokens: 8192, maxConcurrentRequests: 512 });
    expect(containerDefaults(llama, g5x2)).toMatchObject({ smNumGpus: 1, tgi: { maxBatchPrefillTokens: 8192, maxConcurrentRequests: 512 } });
    expect(containerDefaults(llama, g5x12)).toMatchObject({ smNumGpus: 4, tgi: { maxBatchPrefillTokens: 16384 } });
    expect(containerDefaults(llama, p4d)).toMatchObject({ smNumGpus: 8, tgi: { maxBatchPrefillTokens: 16384, maxConcurrentRequests: 512 } });
    expect(containerDefaults(llama, p4d).origins.MAX_CONCURRENT_REQUESTS).toMatchObject({ derived: false });
    expect(containerDefaults(getModel('llama-2-70b'), p4d).tgi.maxBatchPrefillTokens).toBe(32768);
  });

  it('pins the other study models and marks what the spec leaves unset as derived', () => {
    const mistral = containerDefaults(getModel('mistral-7b'), g5x2);
    expect(mistral.tgi).toEqual({ maxInputTokens: 8191, maxTotalTokens: 8192, maxBatchPrefillTokens: 8191, maxConcurrentRequests: 128 });
    expect(mistral.origins.MAX_CONCURRENT_REQUESTS).toMatchObject({ derived: true });
    expect(mistral.origins.MAX_INPUT_TOKENS).toMatchObject({ derived: false });
    expect(containerDefaults(getModel('mixtral-8x7b'), g5x48).tgi).toMatchObject({ maxInputTokens: 8191, maxTotalTokens: 8192, maxBatchPrefillTokens: 8191 });
    expect(containerDefaults(getModel('mixtral-8x7b'), p4d).tgi).toMatchObject({ maxInputTokens: 32785, maxTotalTokens: 32786 });
    const falcon40 = containerDefaults(getModel('falcon-40b'), g5x12);
    expect(falcon40).toMatchObject({ smNumGpus: 4, tgi: { maxInputTokens: 1024, maxTotalTokens: 2048, maxBatchPrefillTokens: 2048, maxBatchTotalTokens: 2048 } });
    // Falcon's spec pins a TGI 1.4.0 image, whose launcher defaults the prefill budget to 4096.
    const falcon7 = containerDefaults(getModel('falcon-7b'), g5x2);
    expect(falcon7.tgi.maxBatchPrefillTokens).toBe(4096);
    expect(falcon7.origins.MAX_BATCH_PREFILL_TOKENS).toMatchObject({ derived: true });
    // Llama 2 70B's spec pins TGI 2.0.0: max_input_tokens + 50 where the spec sets no prefill budget.
    expect(containerDefaults(getModel('llama-2-70b'), g5x48).tgi.maxBatchPrefillTokens).toBe(4145);
  });

  it('does not cap ml.p4d.24xlarge at 128 concurrent requests for any model (the published p4d sweeps reached 512)', () => {
    for (const m of models) expect(containerDefaults(m, p4d).tgi.maxConcurrentRequests).toBe(512);
    expect(containerDefaults(getModel('mistral-7b'), p4d).origins.MAX_CONCURRENT_REQUESTS).toMatchObject({ derived: true });
  });

  it('covers every study model with a cited spec version', () => {
    const ids = JUMPSTART_CONTAINER_SPECS.map((s) => s.jumpStartId);
    for (const id of ['llama-2-7b', 'llama-2-13b', 'llama-2-70b', 'mistral-7b', 'mixtral-8x7b', 'falcon-7b', 'falcon-40b', 'falcon-180b']) {
      const model = getModel(id);
      expect(ids).toContain(model.jumpStartId);
      expect(model.tgiDefaultsSource).toMatchObject({ verified: true });
      expect(model.tgiDefaultsSource?.note).toMatch(/v\d+\.\d+\.\d+/);
    }
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
