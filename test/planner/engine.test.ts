import { getInstanceType, getModel } from '../../lib/catalog';
import type { TgiSettings } from '../../lib/catalog/types';
import { simulateClosedLoop } from '../../lib/planner/engine/closed-loop';
import { createEndpointEngine } from '../../lib/planner/engine/endpoint';
import type { EndpointEngineConfig, EngineEvent } from '../../lib/planner/engine/types';
import { decodeStepMs, prefillMs } from '../../lib/planner/step-time';

const model = getModel('llama-2-7b');
const instance = getInstanceType('ml.g5.2xlarge');
const layout = { model, instance, tp: 1 };

function engineWith(tgi: Partial<TgiSettings> = {}, extra: Partial<EndpointEngineConfig> = {}) {
  return createEndpointEngine({ model, instance, tp: 1, copies: 1, instances: 1, tgi: { ...model.tgiDefaults, ...tgi }, ...extra });
}

function runToIdle(engine: ReturnType<typeof engineWith>): EngineEvent[] {
  const events: EngineEvent[] = [];
  for (let next = engine.nextEventMs(); next !== undefined; next = engine.nextEventMs()) events.push(...engine.advanceTo(next));
  return events;
}

const doneAt = (events: EngineEvent[], id: string): number => {
  const done = events.find((e) => e.type === 'done' && e.id === id);
  if (done === undefined) throw new Error(`no done event for ${id}`);
  return done.atMs;
};

describe('replica admission', () => {
  it('refuses requests beyond MAX_CONCURRENT_REQUESTS as overloaded (429) and serves the rest', () => {
    const engine = engineWith({ maxConcurrentRequests: 2 });
    for (const id of ['a', 'b', 'c']) engine.submit({ id, inputTokens: 10, maxNewTokens: 5 }, 0);
    const events = runToIdle(engine);
    expect(events.filter((e) => e.type === 'rejected')).toEqual([
      { type: 'rejected', id: 'c', atMs: 0, reason: 'overloaded', message: 'Model is overloaded' },
    ]);
    expect(events.filter((e) => e.type === 'done').map((e) => e.id).sort()).toEqual(['a', 'b']);
    expect(engine.inFlight()).toBe(0);
  });

  it.each([
    ['input ≥ MAX_INPUT_TOKENS + 1', 4096, 1],
    ['input + max_new_tokens > MAX_TOTAL_TOKENS', 4000, 97],
  ])('refuses %s as too_long', (_name, inputTokens, maxNewTokens) => {
    const engine = engineWith();
    engine.submit({ id: 'x', inputTokens, maxNewTokens }, 5);
    const events = engine.advanceTo(5);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'rejected', reason: 'too_long', atMs: 5 });
  });

  it('accepts the largest valid request (input 4000 + 96 new = 4096)', () => {
    const engine = engineWith();
    engine.submit({ id: 'x', inputTokens: 4000, maxNewTokens: 96 }, 0);
    expect(runToIdle(engine).filter((e) => e.type === 'done')).toHaveLength(1);
  });
});

describe('continuous batching', () => {
  it('a lone request takes one prefill and maxNew − 1 decode steps', () => {
    const engine = engineWith();
    engine.submit({ id: 'a', inputTokens: 256, maxNewTokens: 4 }, 0);
    const events = runToIdle(engine);
    const expected = prefillMs(layout, 256) + decodeStepMs(layout, 1, 257) + decodeStepMs(layout, 1, 258) + decodeStepMs(layout, 1, 259);
    expect(doneAt(events, 'a')).toBeCloseTo(expected, 6);
    expect(events[0]).toMatchObject({ type: 'done', generatedTokens: 4, firstTokenAtMs: prefillMs(layout, 256) });
  });

  it("pauses decoding for a new arrival's prefill", () => {
    const engine = engineWith({}, { emitTokenEvents: true });
    engine.submit({ id: 'a', inputTokens: 256, maxNewTokens: 50 }, 0);
    engine.submit({ id: 'b', inputTokens: 2000, maxNewTokens: 10 }, 500);
    const events = runToIdle(engine);
    const tokensOfA = events.filter((e) => e.type === 'token' && e.id === 'a').map((e) => e.atMs);
    const gaps = tokensOfA.slice(1).map((t, i) => t - tokensOfA[i]);
    const plainStep = Math.min(...gaps);
    const longest = Math.max(...gaps);
    // The gap that spans b's prefill holds a whole 2,000-token prefill pass on top of a decode step.
    expect(longest - plainStep).toBeGreaterThan(0.9 * prefillMs(layout, 2000));
    expect(events.map((e) => e.atMs)).toEqual([...events.map((e) => e.atMs)].sort((x, y) => x - y));
  });

  it('queues requests whose KV reservation does not fit the batch token budget', () => {
    const engine = engineWith({ maxBatchTotalTokens: 1024 });
    for (const id of ['a', 'b', 'c']) engine.submit({ id, inputTokens: 256, maxNewTokens: 256 }, 0);
    engine.advanceTo(1000);
    expect(engine.runningBatchByReplica()).toEqual([2]);
    expect(engine.inFlight()).toBe(3);
    const events = runToIdle(engine);
    const firstDone = Math.min(doneAt(events, 'a'), doneAt(events, 'b'));
    const done = events.find((e) => e.type === 'done' && e.id === 'c');
    expect(done?.type === 'done' && done.firstTokenAtMs).toBeGreaterThanOrEqual(firstDone);
  });

  it('bounds the running batch by KV capacity when MAX_BATCH_TOTAL_TOKENS is unset', () => {
    const engine = engineWith();
    for (let i = 0; i < 20; i++) engine.submit({ id: `r${i}`, inputTokens: 3096, maxNewTokens: 1000 }, 0);
    let maxBatch = 0;
    for (let next = engine.nextEventMs(); next !== undefined; next = engine.nextEventMs()) {
      engine.advanceTo(next);
      maxBatch = Math.max(maxBatch, engine.runningBatchByReplica()[0]);
    }
    // ≈ 10 GB of KV at 0.5 MiB per token holds 4 sequences of 4,096 tokens (docs/theory.md, published).
    expect(maxBatch).toBe(4);
  });

  it('cancel frees the batch slot at once', () => {
    const engine = engineWith({ maxBatchTotalTokens: 512 });
    engine.submit({ id: 'a', inputTokens: 256, maxNewTokens: 256 }, 0);
    engine.submit({ id: 'b', inputTokens: 256, maxNewTokens: 256 }, 0);
    engine.advanceTo(100);
    engine.cancel('a', 100);
    const events = runToIdle(engine);
    expect(events.some((e) => e.id === 'a')).toBe(false);
    const done = events.find((e) => e.type === 'done' && e.id === 'b');
    expect(done?.type === 'done' && done.firstTokenAtMs).toBeLessThan(200 + prefillMs(layout, 256));
  });
});

describe('endpoint router', () => {
  const twoInstances = { instances: 2 } as const;

  it('least-outstanding spreads requests evenly over replicas', () => {
    const engine = engineWith({}, { ...twoInstances, copies: 1 });
    for (let i = 0; i < 10; i++) engine.submit({ id: `r${i}`, inputTokens: 100, maxNewTokens: 100 }, 0);
    engine.advanceTo(0);
    expect(engine.inFlightByReplica()).toEqual([5, 5]);
  });

  it('random routing is seeded: same seed, same spread; every replica gets work', () => {
    const spread = (seed: number): number[] => {
      const engine = engineWith({}, { instances: 4, router: 'random', seed });
      for (let i = 0; i < 40; i++) engine.submit({ id: `r${i}`, inputTokens: 100, maxNewTokens: 100 }, 0);
      engine.advanceTo(0);
      return engine.inFlightByReplica();
    };
    expect(spread(7)).toEqual(spread(7));
    expect(spread(7).every((n) => n > 0)).toBe(true);
    expect(spread(7).reduce((a, b) => a + b, 0)).toBe(40);
  });

  it('emits the events of several replicas in exact time order', () => {
    const engine = engineWith({}, { instances: 3, emitTokenEvents: true });
    for (let i = 0; i < 9; i++) engine.submit({ id: `r${i}`, inputTokens: 100 + 300 * i, maxNewTokens: 5 + i }, 10 * i);
    const events = runToIdle(engine);
    const times = events.map((e) => e.atMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(events.filter((e) => e.type === 'done')).toHaveLength(9);
    expect(events.filter((e) => e.type === 'token')).toHaveLength(9 * 5 + 36);
  });

  it('rejects copies × tp beyond the GPUs of the instance', () => {
    expect(() => engineWith({}, { copies: 2 })).toThrow(/copies × tp = 2 × 1 exceeds the 1 GPUs of ml.g5.2xlarge/);
  });
});

describe('closed loop', () => {
  it('cuts requests at the invocation timeout and counts them', () => {
    const engine = engineWith();
    const result = simulateClosedLoop(engine, {
      concurrency: 128,
      inputTokens: 256,
      outputTokens: 256,
      warmupCompletions: 128,
      measuredCompletions: 128,
    });
    const timeouts = result.requests.filter((r) => r.outcome === 'timeout');
    expect(timeouts.length).toBeGreaterThan(0);
    for (const r of timeouts) expect(r.endMs - r.sentMs).toBeCloseTo(60_000, 6);
  });

  it('simulates 512 clients × 256 tokens fast', () => {
    const big = createEndpointEngine({
      model,
      instance: getInstanceType('ml.p4d.24xlarge'),
      tp: 8,
      copies: 1,
      instances: 1,
      tgi: { ...model.tgiDefaults, maxConcurrentRequests: 512 },
    });
    const opts = { concurrency: 512, inputTokens: 256, outputTokens: 256, warmupCompletions: 512, measuredCompletions: 512 };
    simulateClosedLoop(big, opts); // JIT warm-up
    const engine = createEndpointEngine({
      model,
      instance: getInstanceType('ml.p4d.24xlarge'),
      tp: 8,
      copies: 1,
      instances: 1,
      tgi: { ...model.tgiDefaults, maxConcurrentRequests: 512 },
    });
    const t0 = performance.now();
    const result = simulateClosedLoop(engine, opts);
    // Tens of ms on an idle core; the bound leaves room for a shared, loaded CI machine.
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(result.complete).toBe(true);
    expect(result.requests.filter((r) => r.outcome === 'ok')).toHaveLength(512);
  });
});
