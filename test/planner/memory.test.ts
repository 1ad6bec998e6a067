import { getInstanceType, getModel } from '../../lib/catalog';
import type { ModelSpec } from '../../lib/catalog/types';
import {
  kvBudgetBytes,
  kvBytesPerToken,
  kvBytesPerTokenPerShard,
  kvCapacityTokens,
  maxBatchByMemory,
  runtimeAllowanceBytes,
  weightsBytes,
  weightsBytesPerShard,
} from '../../lib/planner/memory';

const MiB = 1024 * 1024;
const llama7b = getModel('llama-2-7b');
const g5x2 = getInstanceType('ml.g5.2xlarge');
const g5x12 = getInstanceType('ml.g5.12xlarge');

describe('weights', () => {
  it('Llama 2 7B weighs about 13.5 GB in fp16 (published ~14 GB)', () => {
    expect(weightsBytes(llama7b) / 1e9).toBeCloseTo(13.48, 2);
    expect(Math.abs(weightsBytes(llama7b) / 1e9 - 14) / 14).toBeLessThan(0.05);
  });

  it('shards the weights evenly over TP', () => {
    expect(weightsBytesPerShard(llama7b, 4)).toBeCloseTo(weightsBytes(llama7b) / 4, 0);
  });

  it('counts every expert of a mixture-of-experts model', () => {
    const mixtral = getModel('mixtral-8x7b');
    expect(weightsBytes(mixtral)).toBe(mixtral.parameters * 2);
    expect(mixtral.activeParameters).toBeLessThan(mixtral.parameters);
  });
});

describe('kvBytesPerToken', () => {
  it('is exactly 0.5 MiB for Llama 2 7B (2 × 32 layers × 32 KV heads × 128 × 2 bytes)', () => {
    expect(kvBytesPerToken(llama7b)).toBe(0.5 * MiB);
  });

  it('shrinks by attention heads / KV heads under grouped-query attention (Llama 2 70B: 64 / 8)', () => {
    const llama70b = getModel('llama-2-70b');
    expect(kvBytesPerToken(llama70b)).toBe(2 * 80 * 8 * 128 * 2);
    const asMha = { ...llama70b, kvHeads: 64 };
    expect(kvBytesPerToken(asMha) / kvBytesPerToken(llama70b)).toBe(8);
  });

  it('replicates a single KV head on every shard (multi-query)', () => {
    const mqa: ModelSpec = { ...llama7b, kvHeads: 1 };
    expect(kvBytesPerTokenPerShard(mqa, 4)).toBe(kvBytesPerToken(mqa));
    expect(kvBytesPerTokenPerShard(llama7b, 4)).toBe(kvBytesPerToken(llama7b) / 4);
  });
});

describe('KV capacity', () => {
  it('leaves about 10 GB for KV cache for Llama 2 7B on one A10G (published ≈10 GB)', () => {
    const budgetGB = kvBudgetBytes(llama7b, g5x2, 1) / 1e9;
    expect(budgetGB).toBeGreaterThan(9.0);
    expect(budgetGB).toBeLessThan(10.5);
  });

  it('holds a batch of about 4 sequences of 4,096 tokens (published)', () => {
    expect(maxBatchByMemory(llama7b, g5x2, 1, 4096)).toBe(4);
  });

  it('keeps a runtime allowance of 0.5 GB + 2 % per accelerator', () => {
    expect(runtimeAllowanceBytes(g5x2.accelerator)).toBeCloseTo(0.5e9 + 0.02 * 24e9, 0);
  });

  it('sums the free memory of every shard: TP 4 on g5.12xlarge holds more than 4 × TP 1', () => {
    const perShardFree = 24e9 - weightsBytes(llama7b) / 4 - runtimeAllowanceBytes(g5x12.accelerator);
    expect(kvCapacityTokens(llama7b, g5x12, 4)).toBe(Math.floor(perShardFree / (0.5 * MiB / 4)));
    expect(kvCapacityTokens(llama7b, g5x12, 4)).toBeGreaterThan(4 * kvCapacityTokens(llama7b, g5x12, 1));
  });

  it('is 0 when the weights do not fit (Llama 2 70B on one A10G)', () => {
    const llama70b = getModel('llama-2-70b');
    expect(kvCapacityTokens(llama70b, g5x2, 1)).toBe(0);
    expect(kvBudgetBytes(llama70b, g5x2, 1)).toBe(0);
    expect(maxBatchByMemory(llama70b, g5x2, 1, 512)).toBe(0);
  });

  it('rejects a payload of no tokens', () => {
    expect(() => maxBatchByMemory(llama7b, g5x2, 1, 0)).toThrow(RangeError);
  });
});
