import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeBenchmark } from '../../lib/fleet/benchmark-defaults';
import { BenchmarkSchema } from '../../lib/fleet/schema';
import type { RequestRecord } from '../../lib/results/records';
import { createLengthSampler, parseLengthDistribution } from '../../lib/workload/length-distribution';
import { runFromShareGpt } from '../../loadtest/cli/dataset-command';
import { startLocalEndpoint } from '../../loadtest/local';
import { decideNext } from '../../loadtest/pipeline/decide-next';
import { DEPLOYMENT } from '../pipeline/records-fixture';
import { countTokens, createPayloadSource } from '../../loadtest/payload';
import { loadDataset } from '../../loadtest/payload/dataset';
import { convertShareGpt } from '../../loadtest/payload/sharegpt';
import { runSweep } from '../../loadtest/sweep/run-sweep';
import { createTarget, parseTargetSpec } from '../../loadtest/targets';

const SAMPLE = join(__dirname, '..', '..', 'loadtest', 'payload', 'samples', 'sharegpt-sample.json');

describe('length distributions', () => {
  it('parses the four forms and names the field and the allowed forms on bad input', () => {
    expect(parseLengthDistribution('512', '--input-tokens')).toEqual({ kind: 'fixed', value: 512 });
    expect(parseLengthDistribution('normal:512,128', '--input-tokens')).toEqual({ kind: 'normal', mean: 512, sd: 128 });
    expect(parseLengthDistribution('uniform:128,1024', '--input-tokens')).toEqual({ kind: 'uniform', min: 128, max: 1024 });
    expect(parseLengthDistribution('lognormal:6,0.5', '--input-tokens')).toEqual({ kind: 'lognormal', mu: 6, sigma: 0.5 });
    expect(() => parseLengthDistribution('gamma:2,3', '--input-tokens')).toThrow(/--input-tokens: unknown distribution 'gamma'.*'normal:MEAN,SD', 'uniform:MIN,MAX' or 'lognormal:MU,SIGMA'/);
    expect(() => parseLengthDistribution('uniform:10,5', '--output-tokens')).toThrow(/--output-tokens: 'uniform:10,5': MIN and MAX/);
    expect(() => parseLengthDistribution('normal:512', '--input-tokens')).toThrow(/needs 2 numbers/);
    expect(() => parseLengthDistribution('0', '--input-tokens')).toThrow(/whole number ≥ 1/);
  });

  it('draws the same sequence for a seed, another for another seed, with the distribution’s moments', () => {
    const d = parseLengthDistribution('normal:512,128', 'x');
    const draw = (seed: number): number[] => {
      const sample = createLengthSampler(d, seed);
      return Array.from({ length: 4000 }, () => sample(1, Infinity));
    };
    const a = draw(7);
    expect(draw(7)).toEqual(a);
    expect(draw(8)).not.toEqual(a);
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    const sd = Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / (a.length - 1));
    expect(Math.abs(mean - 512)).toBeLessThan(8); // 3 standard errors (128 / √4000 ≈ 2)
    expect(Math.abs(sd - 128)).toBeLessThan(6);

    const uniform = createLengthSampler(parseLengthDistribution('uniform:3,5', 'x'), 1);
    expect(new Set(Array.from({ length: 300 }, () => uniform(1, Infinity)))).toEqual(new Set([3, 4, 5]));
    const logn = createLengthSampler(parseLengthDistribution('lognormal:5,0.7', 'x'), 2);
    const sorted = Array.from({ length: 4001 }, () => logn(1, Infinity)).sort((x, y) => x - y);
    expect(sorted[2000]).toBeGreaterThan(Math.exp(5) * 0.93); // median e^μ ≈ 148
    expect(sorted[2000]).toBeLessThan(Math.exp(5) * 1.07);
  });

  it('clips draws to the deployment limits and builds prompts of exactly the drawn length', () => {
    const source = createPayloadSource({
      inputTokens: parseLengthDistribution('uniform:20,400', 'x'),
      outputTokens: parseLengthDistribution('normal:300,200', 'x'),
      seed: 3,
      limits: { maxInputTokens: 100, maxTotalTokens: 160 },
    });
    const draws = Array.from({ length: 60 }, () => source.next());
    for (const p of draws) {
      expect(p.inputTokens).toBeGreaterThanOrEqual(20);
      expect(p.inputTokens).toBeLessThanOrEqual(100);
      expect(p.maxNewTokens).toBeGreaterThanOrEqual(1);
      expect(p.inputTokens + p.maxNewTokens).toBeLessThanOrEqual(160);
      expect(countTokens(p.prompt)).toBe(p.inputTokens);
    }
    expect(draws.filter((p) => p.inputTokens === 100).length).toBeGreaterThan(30); // 3/4 of uniform:20,400 lies above 100
    expect(source.describe()).toEqual({ inputTokens: 210, outputTokens: 300, seed: 3, inputDistribution: 'uniform:20,400', outputDistribution: 'normal:300,200' });
  });
});

describe('datasets with per-row outputTokens and the ShareGPT converter', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'workloads-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes each row’s outputTokens (clipped to the total limit) and names a bad one', () => {
    const path = join(dir, 'rows.jsonl');
    writeFileSync(path, ['{"prompt":"hello world","outputTokens":7}', '{"prompt":"the quick brown fox","outputTokens":5000}', '{"prompt":"no length"}'].join('\n'));
    const source = createPayloadSource({ inputTokens: 1, outputTokens: 16, datasetPath: path, seed: 1, limits: { maxTotalTokens: 1000 } });
    const byPrompt = new Map(Array.from({ length: 3 }, () => source.next()).map((p) => [p.prompt, p.maxNewTokens]));
    expect(byPrompt).toEqual(new Map([['hello world', 7], ['the quick brown fox', 1000 - countTokens('the quick brown fox')], ['no length', 16]]));
    writeFileSync(path, '{"prompt":"ok","outputTokens":0}\n');
    expect(() => loadDataset(path)).toThrow(/rows.jsonl:1 has "outputTokens": 0; expected a whole number ≥ 1 or no field/);
  });

  it('converts the shipped ShareGPT sample: first human turn → prompt, the answer’s tokens → outputTokens', () => {
    const text = readFileSync(SAMPLE, 'utf8');
    const { rows, skipped } = convertShareGpt(text);
    // 8 conversations: one without an answer, one too short ("Hi"); a system turn before the first human turn is skipped over.
    expect(skipped).toEqual({ 'no-first-exchange': 1, 'too-short': 1, 'too-long': 0 });
    expect(rows).toHaveLength(6);
    const conversations = JSON.parse(text) as { conversations: { from: string; value: string }[] }[];
    expect(rows[0].prompt).toBe(conversations[0].conversations[0].value);
    expect(rows[0].outputTokens).toBe(countTokens(conversations[0].conversations[1].value) - 1);
    expect(rows[2].prompt).toBe('What is the difference between a process and a thread?');
    // The filter's limits apply (here a 20-token prompt limit).
    expect(convertShareGpt(text, { minTokens: 4, maxPromptTokens: 20, maxTotalTokens: 2048 }).skipped['too-long']).toBeGreaterThan(0);

    const out = join(dir, 'sharegpt.jsonl');
    runFromShareGpt(SAMPLE, out);
    expect(loadDataset(out).map((r) => r.outputTokens)).toEqual(rows.map((r) => r.outputTokens));
  });

  it('sends each row’s outputTokens as max_new_tokens to a loopback TGI endpoint, none ending early', async () => {
    const path = join(dir, 'rows.jsonl');
    writeFileSync(path, ['{"prompt":"hello world","outputTokens":3}', '{"prompt":"the quick brown fox","outputTokens":9}', '{"prompt":"one more prompt here","outputTokens":17}'].join('\n'));
    const endpoint = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', speedup: 200 });
    const target = createTarget(parseTargetSpec(`tgi:${endpoint.url}`), { maxSockets: 2 });
    const records: RequestRecord[] = [];
    try {
      const sweep = await runSweep({
        target,
        payload: createPayloadSource({ inputTokens: 1, outputTokens: 64, datasetPath: path, seed: 5 }),
        levels: [2],
        outDir: join(dir, 'out'),
        requests: 9,
        stopRules: { invocationTimeoutMs: 60_000, maxErrorRate: 0.01, plateauGain: -Infinity },
        label: 'dataset',
        speedup: 200,
        onRecord: (r) => records.push(r),
      });
      expect(records).toHaveLength(9);
      for (const r of records) {
        expect(r.error).toBeUndefined();
        expect([3, 9, 17]).toContain(r.outputTokens);
        expect(r.shortOutput).toBeUndefined();
      }
      expect(sweep.levels[0].outputTokens).toBe(3 * (3 + 9 + 17));
      expect(sweep.levels[0].endedEarly).toBeUndefined();
      expect(sweep.payload).toMatchObject({ dataset: path, outputTokens: Math.round((3 + 9 + 17) / 3) });
    } finally {
      await target.close();
      await endpoint.close();
    }
  });
});

describe('fleet benchmark lengths', () => {
  it('accepts a distribution, carried as its spec beside its mean; a later fixed length clears it', () => {
    const layer = BenchmarkSchema.parse({ inputTokens: 'normal:512,128', outputTokens: 'lognormal:5,0.5' });
    const merged = mergeBenchmark(layer);
    expect(merged).toMatchObject({ inputTokens: 512, inputDistribution: 'normal:512,128', outputTokens: Math.round(Math.exp(5.125)), outputDistribution: 'lognormal:5,0.5' });
    const fixed = mergeBenchmark(layer, BenchmarkSchema.parse({ inputTokens: 300 }));
    expect(fixed.inputTokens).toBe(300);
    expect(fixed.inputDistribution).toBeUndefined();
    expect(fixed.outputDistribution).toBe('lognormal:5,0.5');
    const bad = BenchmarkSchema.safeParse({ inputTokens: 'poisson:3' });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toMatch(/'poisson:3' is not a length; allowed: a whole number ≥ 1, 'normal:MEAN,SD'/);
  });
});

describe('pipeline lengths', () => {
  it('hands the distributions and the TGI limits to every worker of a level', () => {
    const tokenLimits = { maxInputTokens: 4095, maxTotalTokens: 4096 };
    const deployment = {
      ...DEPLOYMENT,
      benchmark: { ...DEPLOYMENT.benchmark, workers: 2, inputDistribution: 'normal:512,128', outputDistribution: 'uniform:128,1024', tokenLimits },
    };
    const state = decideNext({ deployment, runId: 'r', measured: [], nowEpochMs: 0, startLeadMs: 0 });
    expect(state.workers.length).toBeGreaterThan(0);
    for (const item of state.workers) expect(item).toMatchObject({ inputDistribution: 'normal:512,128', outputDistribution: 'uniform:128,1024', tokenLimits });
  });
});
