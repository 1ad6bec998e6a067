import type { EngineEvent, ServingEngine } from '../../lib/planner/engine/types';
import { LatencySketch } from '../../lib/results/sketch';

/**
 * Runs a virtual-time serving engine against the wall clock:
 * virtualMs = (performance.now() − t0) × speedup. One timer sleeps until the engine's next event,
 * then advances the engine to "now" (coalescing every event that fell due meanwhile) and hands the
 * events to the waiting requests. Nothing spins: with no work in flight no timer is armed.
 *
 * The driver measures its own lag: on a busy machine the timer fires late, and every event it then
 * hands out reaches its request later than the engine's virtual time says. Each catch-up that hands
 * out events (a timer tick, or an arrival or cancel catching up) records how late the earliest of
 * them was, in endpoint (virtual) ms: wall lateness × speedup, so 2 wall ms at speedup 50 are
 * 100 endpoint ms. Arrivals are not events here: the engine places them at their virtual time.
 * Even an idle machine costs up to ≈ 1 wall ms × speedup: Node timers have a 1 ms resolution ("less
 * than 1 … the delay will be set to 1. Non-integer delays are truncated to an integer",
 * https://nodejs.org/api/timers.html#settimeoutcallback-delay-args).
 */

/** What a waiting request hears from the engine. */
export interface GenerationListener {
  onToken(index: number, atMs: number): void;
  onDone(generatedTokens: number, inputTokens: number, atMs: number): void;
  onRejected(reason: 'overloaded' | 'too_long', message: string): void;
}

export interface DriverRequest {
  readonly inputTokens: number;
  readonly maxNewTokens: number;
  readonly component?: string;
}

export interface RealTimeDriver {
  readonly speedup: number;
  /** Current virtual time, ms. */
  virtualNowMs(): number;
  /** Submits a request arriving now; returns its id (for `cancel`). */
  submit(request: DriverRequest, listener: GenerationListener): string;
  /** Client gone: the engine frees the request's slot. Unknown or finished ids are ignored. */
  cancel(id: string): void;
  /** Requests submitted and not yet finished, as seen by the driver. */
  waiting(): number;
  /**
   * How late the driver handed out the engine's events since it started, endpoint ms (a copy of its
   * sketch: one sample per catch-up that handed out events, the lateness of the earliest of them).
   */
  lag(): LatencySketch;
  /** Stops the timer; pending requests hear nothing more. */
  close(): void;
}

export interface RealTimeDriverOptions {
  /** Virtual ms per wall ms (1 = real time). */
  readonly speedup: number;
  /** Monotonic wall clock, ms (tests may inject one). */
  readonly clock?: () => number;
  /** Prefix of request ids, unique per driver. */
  readonly idPrefix?: string;
}

/** Node runs timers at whole wall milliseconds (https://nodejs.org/api/timers.html#settimeoutcallback-delay-args). */
const TIMER_RESOLUTION_MS = 1;

export function createRealTimeDriver(engine: ServingEngine, options: RealTimeDriverOptions): RealTimeDriver {
  const { speedup } = options;
  if (!(speedup > 0) || !Number.isFinite(speedup)) throw new RangeError(`speedup must be a positive number, got ${speedup}`);
  const clock = options.clock ?? (() => performance.now());
  const prefix = options.idPrefix ?? 'r';
  const originMs = clock();
  const listeners = new Map<string, GenerationListener>();
  let sequence = 0;
  /** Cancels the armed timer (a timeout, or an immediate for an event due within half a wall ms). */
  let timer: (() => void) | undefined;
  /** Virtual time the armed timer is due at. */
  let timerDueMs = Number.POSITIVE_INFINITY;
  let closed = false;
  /** Lateness of overdue events when handed out, endpoint ms (constant memory: exact, then an HDR histogram). */
  const lag = new LatencySketch();

  const wallVirtualMs = (): number => (clock() - originMs) * speedup;
  const virtualNowMs = (): number => Math.max(wallVirtualMs(), engine.nowMs);

  function tick(): void {
    timer = undefined;
    timerDueMs = Number.POSITIVE_INFINITY;
    if (closed) return;
    catchUp();
    arm(engine.nextEventMs());
  }

  let dispatching = false;

  /**
   * Advances the engine to now and dispatches what fell due; returns the engine's time. A listener
   * that cancels while events are being dispatched must not advance the engine again (the later
   * events would overtake the ones still being dispatched), so re-entrant calls stay at engine time.
   */
  function catchUp(): number {
    if (dispatching) return engine.nowMs;
    dispatching = true;
    try {
      const nowMs = virtualNowMs();
      const events = engine.advanceTo(nowMs);
      // Events come in time order: the first is the most overdue one handed out now (endpoint ms).
      const first = events[0];
      if (first !== undefined) lag.add(nowMs - first.atMs);
      for (const event of events) dispatch(event);
    } finally {
      dispatching = false;
    }
    return engine.nowMs;
  }

  function dispatch(event: EngineEvent): void {
    const listener = listeners.get(event.id);
    if (listener === undefined) return;
    switch (event.type) {
      case 'token':
        listener.onToken(event.index, event.atMs);
        break;
      case 'done':
        listeners.delete(event.id);
        listener.onDone(event.generatedTokens, event.inputTokens, event.atMs);
        break;
      case 'rejected':
        listeners.delete(event.id);
        listener.onRejected(event.reason, event.message);
        break;
    }
  }

  /** Makes sure a timer fires no later than virtual time `dueMs`. */
  function arm(dueMs: number | undefined): void {
    if (closed || dueMs === undefined || dueMs >= timerDueMs) return;
    timer?.();
    // Rounded up: Node truncates a fractional delay, and a timer that fired before its event was due
    // would only re-arm and wait another whole tick. Never earlier: a client must not see a token
    // before the engine produced it (its latencies would undercut the model's own).
    const delayMs = Math.max(0, Math.ceil((dueMs - wallVirtualMs()) / speedup / TIMER_RESOLUTION_MS) * TIMER_RESOLUTION_MS);
    timerDueMs = dueMs;
    const timeout = setTimeout(tick, delayMs).unref();
    timer = () => clearTimeout(timeout);
  }

  return {
    speedup,
    virtualNowMs,
    submit(request: DriverRequest, listener: GenerationListener): string {
      if (closed) throw new Error('the local endpoint is closed');
      sequence += 1;
      const id = `${prefix}${sequence}`;
      // Catch up first so the router sees every replica's state as of the arrival.
      const atMs = catchUp();
      listeners.set(id, listener);
      engine.submit({ id, ...request }, atMs);
      // The arrival (or its rejection, reported by the next advance) is processed on the next tick.
      arm(atMs);
      return id;
    },
    cancel(id: string): void {
      if (!listeners.delete(id) || closed) return;
      // Catch up first: events other requests earned until now must not be lost in the cancel.
      engine.cancel(id, catchUp());
      // The armed timer may have been for the cancelled request: re-arm for what is left, if anything.
      timer?.();
      timer = undefined;
      timerDueMs = Number.POSITIVE_INFINITY;
      arm(engine.nextEventMs());
    },
    waiting: () => listeners.size,
    lag(): LatencySketch {
      const copy = new LatencySketch();
      copy.merge(lag);
      return copy;
    },
    close(): void {
      closed = true;
      timer?.();
      timer = undefined;
      listeners.clear();
    },
  };
}
