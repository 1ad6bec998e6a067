import { A100_40GB, A10G, getInstanceType, getModel } from '../../lib/catalog';
import type { ModelSpec } from '../../lib/catalog/types';
import { checkFit, fewestAcceleratorsFor, tpProblem, validTpDegrees } from '../../lib/planner/deployment-shape';

const llama7b = getModel('llama-2-7b');
const llama70b = getModel('llama-2-70b');
const g5x2 = getInstanceType('ml.g5.2xlarge');
const g5x12 = getInstanceType('ml.g5.12xlarge');
const g5x48 = getInstanceType('ml.g5.48xlarge');
const p4d = getInstanceType('ml.p4d.24xlarge');

describe('validTpDegrees', () => {
  it.each([
    ['llama-2-7b', 'ml.g5.48xlarge', [1, 2, 4, 8]],
    ['llama-2-7b', 'ml.g5.12xlarge', [1, 2, 4]],
    ['llama-2-7b', 'ml.g5.2xlarge', [1]],
    ['llama-2-13b', 'ml.g5.48xlarge', [1, 2, 4, 5, 8]], // 40 heads: 5 divides, 3, 6, 7 do not
    ['falcon-7b', 'ml.g5.48xlarge', [1]], // 71 attention heads (prime)
    ['qwen2-5-7b-instruct', 'ml.g5.48xlarge', [1, 2, 4]], // 28 heads, 4 KV heads
    ['falcon-180b', 'ml.p4d.24xlarge', [1, 2, 4, 8]], // 232 heads, 8 KV heads
  ])('%s on %s → %j', (model, instance, expected) => {
    expect(validTpDegrees(getModel(model), getInstanceType(instance))).toEqual(expected);
  });

  it('splits KV heads evenly (TGI flash_llama_modeling.py), replicating only a single KV head (flash_rw_modeling.py)', () => {
    const twoKvHeads: ModelSpec = { ...llama7b, kvHeads: 2 };
    expect(validTpDegrees(twoKvHeads, g5x48)).toEqual([1, 2]);
    const oneKvHead: ModelSpec = { ...llama7b, kvHeads: 1 };
    expect(validTpDegrees(oneKvHead, g5x48)).toEqual([1, 2, 4, 8]);
    const sixKvHeads: ModelSpec = { ...llama7b, attentionHeads: 48, kvHeads: 6 };
    expect(validTpDegrees(sixKvHeads, g5x48)).toEqual([1, 2, 3, 6]);
  });

  it('names the rule that a TP breaks', () => {
    expect(tpProblem(llama7b, g5x48, 3)).toMatch(/TP 3 must divide llama-2-7b's 32 attention heads/);
    expect(tpProblem(llama7b, g5x12, 8)).toMatch(/TP 8 needs 8 accelerators; ml\.g5\.12xlarge has 4/);
    expect(tpProblem(llama7b, g5x12, 0)).toMatch(/whole number/);
  });
});

describe('checkFit', () => {
  it('fits Llama 2 7B on one A10G with room for thousands of tokens', () => {
    const fit = checkFit(llama7b, g5x2, 1);
    expect(fit.fits).toBe(true);
    expect(fit.reason).toBeUndefined();
    expect(fit.kvCapacityTokens).toBeGreaterThan(4 * 4096);
  });

  it('reports Llama 2 70B on ml.g5.2xlarge as not fitting, with the shortfall, without throwing', () => {
    const fit = checkFit(llama70b, g5x2, 1);
    expect(fit.fits).toBe(false);
    expect(fit.reason).toMatch(/weights of llama-2-70b need 137\.95 GB per shard at TP 1/);
    // 137.95 GB weights + 0.98 GB runtime + 1.34 GB KV for 4,096 tokens − 24 GB
    expect(fit.shortfallGB).toBeGreaterThan(115);
    expect(fit.shortfallGB).toBeLessThan(117);
    expect(fit.kvCapacityTokens).toBe(0);
  });

  it('fits Llama 2 70B at TP 8 on g5.48xlarge and p4d but not at TP 4 on g5.12xlarge', () => {
    expect(checkFit(llama70b, g5x48, 8).fits).toBe(true);
    expect(checkFit(llama70b, p4d, 8).fits).toBe(true);
    expect(checkFit(llama70b, g5x12, 4).fits).toBe(false);
  });

  it('fails on KV cache when weights fit but one request does not', () => {
    const fit = checkFit(llama7b, g5x2, 1, { tokensPerSequence: 32768 });
    expect(fit.fits).toBe(false);
    expect(fit.reason).toMatch(/KV cache for one request of 32768 tokens/);
    // 16 GiB of KV against ≈9.54 GB free
    expect(fit.shortfallGB).toBeCloseTo(17.18 - 9.54, 1);
  });

  it('reports an invalid TP as not fitting instead of throwing', () => {
    const fit = checkFit(llama7b, g5x2, 2);
    expect(fit.fits).toBe(false);
    expect(fit.reason).toMatch(/needs 2 accelerators/);
    expect(fit.shortfallGB).toBeUndefined();
  });
});

describe('fewestAcceleratorsFor', () => {
  it('Llama 2 7B at B* = 116 sequences of 512 tokens needs 2 A10Gs (13.5 GB + 31 GB over 23 GB each)', () => {
    const needed = fewestAcceleratorsFor(llama7b, A10G, 512);
    expect(needed.criticalBatch).toBe(116);
    expect(needed.kvBytesForCriticalBatch).toBe(116 * 512 * 0.5 * 1024 * 1024);
    expect(needed.accelerators).toBe(2);
  });

  it('needs many more at 4,096 tokens per sequence', () => {
    expect(fewestAcceleratorsFor(llama7b, A10G, 4096).accelerators).toBe(12);
  });

  it('needs 2 A100 40GB at 512 tokens (B* = 200)', () => {
    const needed = fewestAcceleratorsFor(llama7b, A100_40GB, 512);
    expect(needed.criticalBatch).toBe(200);
    expect(needed.accelerators).toBe(2);
  });
});
