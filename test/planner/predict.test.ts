import { getInstanceType, getModel } from '../../lib/catalog';
import { predictCurve, predictSweep } from '../../lib/planner/predict';
import { SWEEP_RESULT_VERSION } from '../../lib/results/records';

const LEVELS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
const base = {
  model: getModel('llama-2-7b'),
  instance: getInstanceType('ml.g5.2xlarge'),
  tp: 1,
  inputTokens: 256,
  outputTokens: 256,
  concurrency: LEVELS,
};

describe('predictCurve', () => {
  const curve = predictCurve(base);

  it('has one level per concurrency, throughput rising then flattening, latency rising', () => {
    expect(curve.curve.map((l) => l.concurrency)).toEqual(LEVELS);
    const feasible = curve.curve.filter((l) => l.feasible);
    for (let i = 1; i < feasible.length; i++) {
      expect(feasible[i].throughputTokensPerS).toBeGreaterThan(0.95 * feasible[i - 1].throughputTokensPerS);
      expect(feasible[i].latencyMsPerToken).toBeGreaterThanOrEqual(feasible[i - 1].latencyMsPerToken * 0.99);
    }
    // Closed loop, Little's law at c = 1: throughput ≈ 1000 / (ms per token).
    expect(curve.curve[0].throughputTokensPerS).toBeCloseTo(1000 / curve.curve[0].latencyMsPerToken, 0);
  });

  it('marks levels whose requests pass the 60 s invocation limit infeasible, as the study found past c = 64', () => {
    expect(curve.maxFeasibleConcurrency).toBe(64);
    const c128 = curve.curve.find((l) => l.concurrency === 128);
    expect(c128?.feasible).toBe(false);
    expect(c128?.timeouts).toBeGreaterThan(0);
    // JumpStart's Llama 2 spec admits 512 requests: c = 512 queues (and times out) instead of being refused.
    const c512 = curve.curve.find((l) => l.concurrency === 512);
    expect(c512?.overloaded).toBe(0);
    expect(c512?.timeouts).toBeGreaterThan(0);
  });

  it('reports max throughput among feasible levels and a knee with its rule', () => {
    expect(curve.maxThroughput?.concurrency).toBe(64);
    expect(curve.maxThroughput?.tokensPerS).toBeGreaterThan(400);
    expect(curve.knee?.rule).toBeDefined();
    expect(curve.knee?.concurrency).toBeLessThanOrEqual(64);
  });

  it('reports TTFT and e2e p50', () => {
    const c1 = curve.curve[0];
    expect(c1.ttftMsP50).toBeGreaterThan(0);
    expect(c1.ttftMsP50).toBeLessThan(c1.e2eMsP50);
    expect(c1.e2eMsP50).toBeCloseTo(c1.latencyMsPerToken * 256, 0);
  });

  it('predicts 10 levels from 1 to 512 well under a second', () => {
    const t0 = performance.now();
    predictCurve({ ...base, instance: getInstanceType('ml.p4d.24xlarge'), tp: 8 });
    // ~0.1–0.3 s on an idle core; the bound leaves room for a loaded shared machine.
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});

describe('predictSweep', () => {
  it('returns the measured shapes with target kind predicted and the deployment cost', () => {
    const sweep = predictSweep({ ...base, concurrency: [4, 1, 16], instances: 2, label: 'two g5' });
    expect(sweep.schemaVersion).toBe(SWEEP_RESULT_VERSION);
    expect(sweep.label).toBe('two g5');
    expect(sweep.target.kind).toBe('predicted');
    expect(sweep.levels.map((l) => l.concurrency)).toEqual([1, 4, 16]);
    expect(sweep.payload).toEqual({ inputTokens: 256, outputTokens: 256 });
    expect(sweep.deployment?.hourlyUsd).toBeCloseTo(2 * base.instance.price.usd, 6);
    for (const level of sweep.levels) expect(level.requests).toBe(level.ok + Object.values(level.errors).reduce((a, b) => a + (b ?? 0), 0));
    expect(sweep.cost?.usdPerMillionTokensAtMaxThroughput).toBeGreaterThan(0);
  });

  it('is deterministic', () => {
    const a = predictCurve({ ...base, concurrency: [8, 64], instances: 3, router: 'random', seed: 3 });
    const b = predictCurve({ ...base, concurrency: [8, 64], instances: 3, router: 'random', seed: 3 });
    expect(a).toEqual(b);
  });
});

describe('predict input errors', () => {
  it.each([
    ['concurrency', { concurrency: [0] }],
    ['outputTokens', { outputTokens: 0 }],
    ['inputTokens', { inputTokens: 1.5 }],
  ])('names %s', (field, override) => {
    expect(() => predictCurve({ ...base, ...override })).toThrow(new RegExp(`^${field}: must be a whole number ≥ 1`));
  });

  it('a request longer than MAX_TOTAL_TOKENS makes every level infeasible instead of hanging', () => {
    const curve = predictCurve({ ...base, inputTokens: 4000, outputTokens: 200, concurrency: [1, 4] });
    expect(curve.curve.every((l) => !l.feasible && l.throughputTokensPerS === 0)).toBe(true);
    expect(curve.maxFeasibleConcurrency).toBeUndefined();
  });
});

describe('theory knee', () => {
  it('adds the knee the specs predict: the KV cache limit of Llama 2 7B on one A10G at 512 tokens (≈35 sequences)', () => {
    const sweep = predictSweep(base);
    const theory = sweep.knees?.find((k) => k.rule === 'predicted');
    expect(theory?.concurrency).toBe(32);
    expect(theory?.detail).toMatch(/^KV cache holds 3\d sequences per replica × 1 replica = 3\d$/);
    // The knee the sweep reports stays the analysis rules' (the study's latency jump lies past c = 16).
    expect(sweep.knee?.rule).not.toBe('predicted');
  });
});
