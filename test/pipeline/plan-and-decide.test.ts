import { decideNext } from '../../loadtest/pipeline/decide-next';
import { planLevels, splitConcurrency, workerItems } from '../../loadtest/pipeline/plan-levels';
import { DEPLOYMENT, level } from './records-fixture';

describe('planLevels', () => {
  it('keeps listed levels in order, drops duplicates and levels above maxConcurrency', () => {
    expect(planLevels({ concurrency: [1, 2, 2, 4, 1024, 8], maxConcurrency: 512 })).toEqual({ mode: 'list', levels: [1, 2, 4, 8] });
  });
  it('passes the adaptive search through with its cap', () => {
    expect(planLevels({ concurrency: 'auto', maxConcurrency: 64 })).toEqual({ mode: 'auto', maxConcurrency: 64 });
  });
});

describe('splitConcurrency', () => {
  it.each([
    [10, 4, [3, 3, 2, 2]],
    [2, 4, [1, 1]],
    [64, 1, [64]],
    [512, 8, [64, 64, 64, 64, 64, 64, 64, 64]],
  ])('c=%i over %i workers → %j', (c, w, expected) => {
    expect(splitConcurrency(c, w)).toEqual(expected);
    expect(splitConcurrency(c, w).reduce((a, b) => a + b, 0)).toBe(c);
  });
});

describe('workerItems', () => {
  it('gives every worker the same start time, its slice and the level’s seed', () => {
    const items = workerItems({ deploymentId: 'd', runId: 'r', endpointName: 'e', concurrency: 6, settings: DEPLOYMENT.benchmark, startAtEpochMs: 1234 });
    expect(items.map((i) => i.workerConcurrency)).toEqual([2, 2, 1, 1]);
    expect(new Set(items.map((i) => i.startAtEpochMs))).toEqual(new Set([1234]));
    expect(new Set(items.map((i) => i.seed))).toEqual(new Set([1006]));
    expect(items.every((i) => i.phase === 'measure' && i.durationS === 60 && i.concurrency === 6 && i.workers === 4)).toBe(true);
  });
});

describe('decideNext', () => {
  const base = { deployment: DEPLOYMENT, runId: 'run-1', nowEpochMs: 10_000, startLeadMs: 500 };

  it('starts with the first listed level and the warm-up', () => {
    const sweep = decideNext({ ...base, measured: [], withWarmup: true });
    expect(sweep.done).toBe(false);
    expect(sweep.concurrency).toBe(1);
    expect(sweep.workers).toHaveLength(1);
    expect(sweep.workers[0].startAtEpochMs).toBe(10_500);
    expect(sweep.warmup).toMatchObject({ phase: 'warmup', requests: 4, workerConcurrency: 1 });
  });

  it('resumes at the first unmeasured level (a re-run measures nothing twice)', () => {
    const sweep = decideNext({ ...base, measured: [level(2, 34), level(1, 33)] });
    expect(sweep.measured).toEqual([1, 2]);
    expect(sweep.concurrency).toBe(4);
    expect(sweep.workers.map((w) => w.workerConcurrency)).toEqual([1, 1, 1, 1]);
  });

  it('stops with the rule that fired: a timeout at the last level', () => {
    const sweep = decideNext({ ...base, measured: [level(1, 33), level(2, 34, 1)] });
    expect(sweep).toMatchObject({ done: true, stopReason: { rule: 'timeout' }, workers: [] });
    expect(sweep.stopReason?.detail).toContain('c=2');
  });

  it('completes when every listed level is measured', () => {
    const sweep = decideNext({ ...base, measured: [1, 2, 4, 8].map((c) => level(c, 30)) });
    expect(sweep).toMatchObject({ done: true, stopReason: { rule: 'completed', detail: 'every listed level measured (c = 1, 2, 4, 8)' } });
  });

  it('adaptive: starts at 1, then 4 (one level says nothing about scaling)', () => {
    const auto = { ...DEPLOYMENT, benchmark: { ...DEPLOYMENT.benchmark, concurrency: 'auto' as const } };
    expect(decideNext({ ...base, deployment: auto, measured: [] }).concurrency).toBe(1);
    expect(decideNext({ ...base, deployment: auto, measured: [level(1, 30)] }).concurrency).toBe(4);
  });

  it('adaptive: names the rule of the first bad level when bisection ends below the highest level', () => {
    const auto = { ...DEPLOYMENT, benchmark: { ...DEPLOYMENT.benchmark, concurrency: 'auto' as const, maxConcurrency: 64, plateauGain: 0.05 } };
    const at = (c: number, tokensPerS: number): ReturnType<typeof level> => ({ ...level(c, 30), throughputTokensPerS: tokensPerS });
    // Each level is judged a whole doubling back: 5 and 6 against 2 (still rising), 8 against 4 (+2.9 %: a
    // plateau). 7 between 6 and 8 would be a step under 25 %: the stop names 8.
    const measured = [at(1, 100), at(2, 190), at(4, 350), at(8, 360), at(6, 300), at(5, 355)];
    const sweep = decideNext({ ...base, deployment: auto, measured });
    expect(sweep).toMatchObject({ done: true, stopReason: { rule: 'plateau' } });
    expect(sweep.stopReason?.detail).toContain('at c=8');
  });
});
