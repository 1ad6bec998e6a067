import type { EngineEvent, EngineRequest, ServingEngine } from '../../lib/planner/engine/types';
import { createCopyPoolDriver } from '../../loadtest/local/copy-pool';
import { createRealTimeDriver, type GenerationListener } from '../../loadtest/local/real-time-driver';

/**
 * A deterministic stand-in engine: every request gets a token each `stepMs` after arrival, one replica
 * per request (no batching effects), so the driver's timing can be checked against exact times.
 */
class StepEngine implements ServingEngine {
  nowMs = 0;
  advances = 0;
  cancelled: string[] = [];
  private readonly pending: { id: string; atMs: number; index: number; of: number; inputTokens: number }[] = [];

  constructor(private readonly stepMs: number) {}

  submit(request: EngineRequest, atMs: number): void {
    this.pending.push({ id: request.id, atMs: atMs + this.stepMs, index: 0, of: request.maxNewTokens, inputTokens: request.inputTokens });
  }

  cancel(id: string, atMs: number): void {
    this.nowMs = Math.max(this.nowMs, atMs);
    this.cancelled.push(id);
    const i = this.pending.findIndex((p) => p.id === id);
    if (i >= 0) this.pending.splice(i, 1);
  }

  advanceTo(atMs: number): EngineEvent[] {
    this.advances += 1;
    const out: EngineEvent[] = [];
    for (;;) {
      this.pending.sort((a, b) => a.atMs - b.atMs);
      const next = this.pending[0];
      if (next === undefined || next.atMs > atMs) break;
      out.push({ type: 'token', id: next.id, index: next.index, atMs: next.atMs });
      next.index += 1;
      if (next.index === next.of) {
        out.push({ type: 'done', id: next.id, atMs: next.atMs, inputTokens: next.inputTokens, generatedTokens: next.of });
        this.pending.shift();
      } else {
        next.atMs += this.stepMs;
      }
    }
    this.nowMs = Math.max(this.nowMs, atMs);
    return out;
  }

  nextEventMs(): number | undefined {
    return this.pending.reduce<number | undefined>((min, p) => (min === undefined || p.atMs < min ? p.atMs : min), undefined);
  }

  inFlight(): number {
    return this.pending.length;
  }
}

function listen(): { listener: GenerationListener; done: Promise<{ tokens: number[]; wallMs: number }> } {
  const tokens: number[] = [];
  const started = performance.now();
  let resolve: (value: { tokens: number[]; wallMs: number }) => void = () => undefined;
  const done = new Promise<{ tokens: number[]; wallMs: number }>((r) => (resolve = r));
  return {
    listener: {
      onToken: (index) => tokens.push(index),
      onDone: () => resolve({ tokens, wallMs: performance.now() - started }),
      onRejected: () => resolve({ tokens, wallMs: -1 }),
    },
    done,
  };
}

describe('createRealTimeDriver', () => {
  test('maps virtual time to wall time by the speedup', async () => {
    const engine = new StepEngine(20);
    const driver = createRealTimeDriver(engine, { speedup: 10 });
    const { listener, done } = listen();
    driver.submit({ inputTokens: 5, maxNewTokens: 20 }, listener); // 400 virtual ms = 40 wall ms
    const result = await done;
    expect(result.tokens).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(result.wallMs).toBeGreaterThanOrEqual(39);
    expect(result.wallMs).toBeLessThan(200);
    driver.close();
  });

  test('coalesces events that fall due together and never spins', async () => {
    // 0.05 virtual ms per token at speedup 1: 2,000 tokens fall due within 100 wall ms.
    const engine = new StepEngine(0.05);
    const driver = createRealTimeDriver(engine, { speedup: 1 });
    const { listener, done } = listen();
    driver.submit({ inputTokens: 5, maxNewTokens: 2000 }, listener);
    const result = await done;
    expect(result.tokens).toHaveLength(2000);
    // One advance per timer tick (≥ 1 ms each), far fewer than the events.
    expect(engine.advances).toBeLessThan(200);
    driver.close();
  });

  test('idle: no timer is armed; cancel reaches the engine and silences the listener', async () => {
    const engine = new StepEngine(50);
    const driver = createRealTimeDriver(engine, { speedup: 1 });
    const heard: number[] = [];
    const id = driver.submit({ inputTokens: 5, maxNewTokens: 100 }, { onToken: (i) => heard.push(i), onDone: () => undefined, onRejected: () => undefined });
    await new Promise((r) => setTimeout(r, 120));
    driver.cancel(id);
    const heardAtCancel = heard.length;
    expect(heardAtCancel).toBeGreaterThanOrEqual(1);
    expect(engine.cancelled).toEqual([id]);
    expect(driver.waiting()).toBe(0);
    const advancesAfterCancel = engine.advances;
    await new Promise((r) => setTimeout(r, 120));
    expect(heard).toHaveLength(heardAtCancel);
    expect(engine.advances).toBe(advancesAfterCancel);
    driver.close();
  });

  test('refuses a speedup that is not a positive number', () => {
    expect(() => createRealTimeDriver(new StepEngine(1), { speedup: 0 })).toThrow(/speedup must be a positive number/);
  });
});

describe('the driver measures its own lag (endpoint ms = wall lateness × speedup)', () => {
  const silent: GenerationListener = { onToken: () => undefined, onDone: () => undefined, onRejected: () => undefined };
  afterEach(() => jest.useRealTimers());

  test('an injected clock: each catch-up that hands out events records how late the earliest was', () => {
    jest.useFakeTimers();
    let wallMs = 1000;
    // A token every 20 virtual ms; speedup 10: 2 wall ms per token.
    const engine = new StepEngine(20);
    const driver = createRealTimeDriver(engine, { speedup: 10, clock: () => wallMs });
    driver.submit({ inputTokens: 5, maxNewTokens: 10 }, silent); // at virtual 0: tokens due at 20, 40, 60, …
    // The arrival's own tick hands out nothing: no sample.
    wallMs = 1000.5;
    jest.advanceTimersToNextTimer();
    expect(driver.lag().count).toBe(0);
    // The timer for virtual 20 fires at wall +2.5 ms (virtual 25): 5 endpoint ms late.
    wallMs = 1002.5;
    jest.advanceTimersToNextTimer();
    // On time for 40 (virtual 40.0): 0 ms.
    wallMs = 1004;
    jest.advanceTimersToNextTimer();
    // 3 wall ms late for 60 (virtual 90): the catch-up hands out 60 and 80; the earliest is 30 ms late.
    wallMs = 1009;
    jest.advanceTimersToNextTimer();
    // An arrival catching up hands out 100 at virtual 107: 7 ms late, counted too.
    wallMs = 1010.7;
    driver.submit({ inputTokens: 5, maxNewTokens: 1 }, silent);
    const lag = driver.lag();
    expect(lag.count).toBe(4);
    expect(lag.distribution()).toMatchObject({ min: 0, max: 30, p50: 5 });
    expect(lag.distribution().mean).toBeCloseTo((5 + 0 + 30 + 7) / 4, 9);
    // lag() is a copy: what the caller does with it does not reach the driver.
    lag.add(1000);
    expect(driver.lag().count).toBe(4);
    driver.close();
  });

  test('a copy pool reports every copy\'s lag, merged', () => {
    jest.useFakeTimers();
    let wallMs = 0;
    const copies = [0, 1].map((k) => createRealTimeDriver(new StepEngine(10), { speedup: 5, clock: () => wallMs, idPrefix: `c${k}-` }));
    const pool = createCopyPoolDriver(copies, () => 2);
    pool.submit({ inputTokens: 5, maxNewTokens: 1 }, silent); // copy 0: its token due at virtual 10
    pool.submit({ inputTokens: 5, maxNewTokens: 1 }, silent); // copy 1 (fewer waiting): due at 10 too
    wallMs = 2.4; // virtual 12: both copies' timers fire 2 ms late
    jest.runOnlyPendingTimers();
    jest.runOnlyPendingTimers();
    expect(copies.map((c) => c.lag().count)).toEqual([1, 1]);
    const merged = pool.lag();
    expect(merged.count).toBe(2);
    expect(merged.distribution()).toMatchObject({ min: 2, max: 2 });
    pool.close();
  });
});
