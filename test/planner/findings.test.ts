/**
 * The published study's qualitative findings (docs/theory.md), predicted with the calibrated
 * parameters and no further fitting.
 */
import { getInstanceType, getModel } from '../../lib/catalog';
import { createEndpointEngine } from '../../lib/planner/engine/endpoint';
import { predictCurve, type PredictOptions } from '../../lib/planner/predict';
import { resolveTgiSettings } from '../../lib/planner/deployment-shape';

const LEVELS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
const llama7b = getModel('llama-2-7b');
const payload512 = { inputTokens: 256, outputTokens: 256, concurrency: LEVELS };
/** The study's p4d endpoint admitted ≥ 512 requests (the catalog's container defaults carry 512). */
const p4dStudyTgi = { maxConcurrentRequests: 512 };

// Max throughput and max feasible concurrency come from feasible levels: levels past the first infeasible one add nothing.
const maxThroughput = (opts: PredictOptions): number => predictCurve({ ...opts, stopAtFirstInfeasible: true }).maxThroughput?.tokensPerS ?? 0;

describe('published findings, predicted without further fitting', () => {
  it('KV cache bounds Llama 2 7B on one A10G to a batch of about 4 sequences of 4,096 tokens', () => {
    const instance = getInstanceType('ml.g5.2xlarge');
    const engine = createEndpointEngine({ model: llama7b, instance, tp: 1, copies: 1, instances: 1, tgi: resolveTgiSettings(llama7b, instance, 1) });
    for (let i = 0; i < 16; i++) engine.submit({ id: `r${i}`, inputTokens: 3840, maxNewTokens: 256 }, 0);
    let maxBatch = 0;
    for (let next = engine.nextEventMs(); next !== undefined; next = engine.nextEventMs()) {
      engine.advanceTo(next);
      maxBatch = Math.max(maxBatch, engine.runningBatchByReplica()[0]);
    }
    expect(maxBatch).toBeGreaterThanOrEqual(3);
    expect(maxBatch).toBeLessThanOrEqual(5);
  });

  it('ml.p4d.24xlarge reaches a higher max throughput than every g5 configuration for Llama 2 7B', () => {
    const p4d = maxThroughput({ model: llama7b, instance: getInstanceType('ml.p4d.24xlarge'), tp: 8, tgi: p4dStudyTgi, ...payload512 });
    for (const [name, tp] of [['ml.g5.2xlarge', 1], ['ml.g5.12xlarge', 4], ['ml.g5.48xlarge', 8]] as const) {
      expect(p4d).toBeGreaterThan(maxThroughput({ model: llama7b, instance: getInstanceType(name), tp, ...payload512 }));
    }
  });

  it.each(['llama-2-7b', 'llama-2-13b'])('%s gains little from more shards on ml.p4d.24xlarge', (modelId) => {
    const model = getModel(modelId);
    const instance = getInstanceType('ml.p4d.24xlarge');
    const byTp = new Map([1, 2, 4, 8].map((tp) => [tp, maxThroughput({ model, instance, tp, tgi: p4dStudyTgi, ...payload512 })]));
    const perGpu = (tp: number): number => (byTp.get(tp) ?? 0) / tp;
    // Throughput per GPU falls as the model is spread wider (from TP 2 on: 13B barely fits one 40 GB A100).
    expect(perGpu(4)).toBeLessThan(perGpu(2));
    expect(perGpu(8)).toBeLessThan(perGpu(4));
    if (modelId === 'llama-2-7b') expect(perGpu(2)).toBeLessThan(perGpu(1));
    // TP 8 is not much better than TP 4, or worse (published for 7B: 3,004 vs 3,752 tokens/s). Not
    // asserted for 13B: at TP 4 its KV cache holds ~310 sequences of 512 tokens, so c = 512 queues
    // there and not at TP 8; the study publishes the comparison for 7B only.
    if (modelId === 'llama-2-7b') expect(byTp.get(8) ?? 0).toBeLessThan(1.15 * (byTp.get(4) ?? 0));
  });

  it('more ml.g5.2xlarge instances move the max feasible concurrency right and scale max throughput ~linearly (published 492/949/1400)', () => {
    const instance = getInstanceType('ml.g5.2xlarge');
    const curves = [1, 2, 3].map((instances) => predictCurve({ model: llama7b, instance, tp: 1, instances, ...payload512, stopAtFirstInfeasible: true }));
    const feasible = curves.map((c) => c.maxFeasibleConcurrency ?? 0);
    expect(feasible[1]).toBeGreaterThan(feasible[0]);
    expect(feasible[2]).toBeGreaterThanOrEqual(feasible[1]);
    const published = [492, 949, 1400];
    curves.forEach((curve, i) => {
      const predicted = curve.maxThroughput?.tokensPerS ?? 0;
      expect(Math.abs(predicted - published[i]) / published[i]).toBeLessThan(0.15);
    });
    const one = curves[0].maxThroughput?.tokensPerS ?? 0;
    expect((curves[2].maxThroughput?.tokensPerS ?? 0) / one).toBeGreaterThan(2.6);
  });
});
