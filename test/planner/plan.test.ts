import { getInstanceType } from '../../lib/catalog';
import { UnknownNameError, UserInputError } from '../../lib/errors';
import { costPerMillionTokensUsd } from '../../lib/results/cost';
import { planConfiguration } from '../../lib/planner/plan';
import { planWithCurve } from '../../lib/planner/plan-curve';
import { renderPlanTable } from '../../lib/planner/plan-table';

const base = { inputTokens: 256, outputTokens: 256 };

describe('planConfiguration', () => {
  it('plans Llama 2 7B on ml.g5.2xlarge with the published figures', () => {
    const plan = planConfiguration({ ...base, model: 'llama-2-7b', instance: 'ml.g5.2xlarge', inputTokens: 2048, outputTokens: 2048 });
    expect(plan).toMatchObject({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', tp: 1, tpSource: 'jumpstart-default', fits: true, criticalBatch: 116 });
    expect(plan.kvBytesPerToken).toBe(524288);
    expect(plan.maxBatchByMemory).toBe(4);
    expect(plan.weightsBytes / 1e9).toBeCloseTo(13.48, 2);
    expect(plan.opsPerByte).toBeCloseTo(116.7, 1);
    expect(plan.batchLimit).toBe('memory');
    expect(plan.acceleratorsForCriticalBatch).toBe(12); // 116 × 2 GiB + 13.5 GB over ≈23 GB per A10G
    expect(plan.reason).toBeUndefined();
    expect(plan.problems).toEqual([]);
  });

  it('prices batch 1 from the one-request throughput', () => {
    const plan = planConfiguration({ ...base, model: 'llama-2-7b', instance: 'g5.2xlarge' });
    const expectedTokensPerS = (256 / (plan.prefillMsInput + 256 * plan.decodeStepMsBatch1)) * 1000;
    expect(plan.throughputTokensPerSBatch1).toBeCloseTo(expectedTokensPerS, 9);
    expect(plan.hourlyUsd).toBe(getInstanceType('ml.g5.2xlarge').price.usd);
    expect(plan.usdPerMillionTokensAtBatch1).toBeCloseTo(costPerMillionTokensUsd(plan.hourlyUsd, expectedTokensPerS), 9);
    // Memory-bound: one step ≈ 13.5 GB / 600 GB/s plus the KV of 384 tokens
    expect(plan.decodeStepMsBatch1).toBeGreaterThan(22.4);
    expect(plan.decodeStepMsBatch1).toBeLessThan(23.0);
  });

  it('reports Llama 2 70B on ml.g5.2xlarge as not fitting, with reason and shortfall', () => {
    const plan = planConfiguration({ ...base, model: 'llama-2-70b', instance: 'ml.g5.2xlarge' });
    expect(plan.fits).toBe(false);
    expect(plan.tpSource).toBe('largest-valid');
    expect(plan.reason).toMatch(/weights of llama-2-70b need/);
    expect(plan.shortfallGB).toBeGreaterThan(100);
    expect(plan.kvCapacityTokens).toBe(0);
  });

  it('names the cheapest instance types that hold a model that does not fit, and none when it fits', () => {
    const plan = planConfiguration({ ...base, model: 'llama-2-70b', instance: 'ml.g5.2xlarge' });
    const alternatives = plan.fitsOn ?? [];
    expect(alternatives).toHaveLength(3);
    expect(alternatives.map((a) => a.hourlyUsd)).toEqual([...alternatives.map((a) => a.hourlyUsd)].sort((a, b) => a - b));
    for (const a of alternatives) expect(planConfiguration({ ...base, model: 'llama-2-70b', instance: a.instance, tp: a.tp }).fits).toBe(true);
    expect(alternatives.map((a) => a.instance)).not.toContain('ml.g5.2xlarge');
    expect(planConfiguration({ ...base, model: 'llama-2-7b', instance: 'ml.g5.2xlarge' }).fitsOn).toBeUndefined();
    expect(renderPlanTable(plan)).toMatch(/^fits instead on\s+ml\.\S+ TP \d \(\d+\.\d{3} USD\/h\), /m);
  });

  it('uses the JumpStart TP when listed, else the smallest TP that fits', () => {
    expect(planConfiguration({ ...base, model: 'llama-2-70b', instance: 'ml.p4d.24xlarge' }).tp).toBe(8);
    const falcon = planConfiguration({ ...base, model: 'falcon-7b', instance: 'ml.g5.12xlarge' });
    expect(falcon.tp).toBe(1);
    // JumpStart's SM_NUM_GPUS 4 does not divide Falcon 7B's 71 heads: the smallest TP that fits.
    expect(falcon.tpSource).toBe('smallest-fitting');
  });

  it('honours a requested TP and rejects an impossible one naming the valid ones', () => {
    expect(planConfiguration({ ...base, model: 'llama-2-7b', instance: 'ml.g5.12xlarge', tp: 2 })).toMatchObject({ tp: 2, tpSource: 'requested' });
    expect(() => planConfiguration({ ...base, model: 'llama-2-7b', instance: 'ml.g5.12xlarge', tp: 3 })).toThrow(
      /^tp: TP 3 must divide llama-2-7b's 32 attention heads; valid TP for llama-2-7b on ml.g5.12xlarge: 1, 2, 4/,
    );
  });

  it('rejects copies × TP beyond the GPUs of the instance', () => {
    const attempt = () => planConfiguration({ ...base, model: 'llama-2-7b', instance: 'ml.g5.12xlarge', tp: 4, copies: 2 });
    expect(attempt).toThrow(UserInputError);
    expect(attempt).toThrow(/^copies: 2 copies × TP 4 need 8 accelerators; ml.g5.12xlarge has 4/);
  });

  it('scales price with instances and applies price overrides', () => {
    const plan = planConfiguration({ ...base, model: 'llama-2-7b', instance: 'ml.g5.2xlarge', instances: 3, pricing: { region: 'us-east-1', overrides: { 'ml.g5.2xlarge': 2 } } });
    expect(plan.hourlyUsd).toBe(6);
    expect(plan.predictedKneeConcurrency).toBe(3 * plan.maxBatchByMemory);
  });

  it('lists payloads the TGI limits would refuse, and broken settings', () => {
    const plan = planConfiguration({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', inputTokens: 4000, outputTokens: 200, tgi: { maxBatchPrefillTokens: 100 } });
    expect(plan.problems).toEqual([
      expect.stringMatching(/^--max-batch-prefill-tokens \(MAX_BATCH_PREFILL_TOKENS\) 100 is below --max-input-tokens \(MAX_INPUT_TOKENS\) 4095; allowed ≥ 4095$/),
      expect.stringMatching(/`inputTokens` \+ `outputTokens` = 4200 exceeds MAX_TOTAL_TOKENS 4096/),
    ]);
  });

  it('fails on unknown names and bad numbers with the field', () => {
    expect(() => planConfiguration({ ...base, model: 'llama-2-7', instance: 'ml.g5.2xlarge' })).toThrow(UnknownNameError);
    expect(() => planConfiguration({ ...base, model: 'llama-2-7b', instance: 'ml.g5.2xlarge', inputTokens: 0 })).toThrow(/^inputTokens: /);
  });
});

describe('planWithCurve', () => {
  it('adds the predicted curve, max feasible concurrency, max throughput and knee', () => {
    const plan = planWithCurve({ ...base, model: 'llama-2-7b', instance: 'ml.g5.2xlarge', concurrency: [1, 4, 16] });
    expect(plan.curve?.map((l) => l.concurrency)).toEqual([1, 4, 16]);
    expect(plan.curve?.[2].throughputTokensPerS).toBeGreaterThan(plan.curve?.[0].throughputTokensPerS ?? Infinity);
    expect(plan.maxThroughput?.concurrency).toBe(16);
    expect(plan.maxFeasibleConcurrency).toBe(16);
    expect(plan.usdPerMillionTokensAtMaxThroughput).toBeCloseTo(costPerMillionTokensUsd(plan.hourlyUsd, plan.maxThroughput?.tokensPerS ?? 0), 9);
  });

  it('skips the curve of a configuration that does not fit, with the reason', () => {
    const plan = planWithCurve({ ...base, model: 'llama-2-70b', instance: 'ml.g5.2xlarge', concurrency: [1, 2] });
    expect(plan.curve).toEqual([]);
    expect(plan.curveSkippedReason).toMatch(/weights of llama-2-70b/);
  });

  it('has no curve without levels', () => {
    expect(planWithCurve({ ...base, model: 'llama-2-7b', instance: 'ml.g5.2xlarge' }).curve).toBeUndefined();
  });
});

describe('renderPlanTable', () => {
  it('prints the figures and a row per level', () => {
    const text = renderPlanTable(planWithCurve({ ...base, model: 'llama-2-7b', instance: 'ml.g5.2xlarge', concurrency: [1, 2] }));
    expect(text).toMatch(/^llama-2-7b on ml.g5.2xlarge \(1 × A10G\), TP 1/);
    expect(text).toMatch(/KV cache per token\s+0\.500 MiB \(524,288 B\)/);
    expect(text).toMatch(/ops\/byte, critical batch B\*\s+116\.7, B\* = 116/);
    expect(text).toMatch(/^TGI request limits\s+MAX_INPUT_TOKENS 4095, MAX_TOTAL_TOKENS 4096$/m);
    expect(text).toMatch(/^TGI batching\s+MAX_BATCH_PREFILL_TOKENS 8192, MAX_BATCH_TOTAL_TOKENS auto, MAX_CONCURRENT_REQUESTS 512$/m);
    expect(text.split('\n').filter((line) => /^\s+[12]\s+\d+/.test(line))).toHaveLength(2);
  });

  it('shows a dash, not 0 ms, for the latency of a level where no request completed', () => {
    const plan = planConfiguration({ ...base, model: 'llama-2-7b', instance: 'ml.g5.2xlarge' });
    const level = { throughputTokensPerS: 0, latencyMsPerToken: 0, e2eMsP50: 0, ttftMsP50: 0, itlMsP50: 0, feasible: false, timeouts: 3, overloaded: 500 };
    const text = renderPlanTable({ ...plan, curve: [{ ...level, concurrency: 512 }] });
    expect(text).toMatch(/^\s+512\s+0\s+—\s+—\s+—\s+no\s+3\s+500$/m);
  });

  it('says NO with the reason when it does not fit', () => {
    const text = renderPlanTable(planConfiguration({ ...base, model: 'llama-2-70b', instance: 'ml.g5.2xlarge' }));
    expect(text).toMatch(/fits\s+NO: weights of llama-2-70b .* \(short by 116\.\d\d GB\)/);
  });
});
