/**
 * Virtual time of the local control plane. Resources change state at scheduled virtual times;
 * nothing runs in the background: every API call (and every read of the events) first applies the
 * transitions that are due. With a time-compressed endpoint, virtual ms = wall ms × speedup.
 */

/** Current virtual time, epoch ms. */
export type VirtualClock = () => number;

/** A clock that runs `speedup` times faster than the wall clock, from `originMs` (default: the wall clock's now). */
export function compressedClock(speedup: number, wallNow: () => number = Date.now, originMs?: number): VirtualClock {
  const origin = originMs ?? wallNow();
  return () => origin + (wallNow() - origin) * speedup;
}

/**
 * A compressed clock that stands still until `start()`; from then it reads
 * `originMs + (wall − originMs) × speedup` with `originMs` = the wall time of the start (the mapping
 * CloudWatch telemetry uses to put a client's window on the endpoint's clock).
 */
export interface DeferredClock {
  readonly now: VirtualClock;
  start(): void;
  /** Wall time of `start()`, the origin of the compressed time (the creation time before it). */
  originMs(): number;
}

/**
 * The offline harness's control-plane clock: the deployment's lifecycle begins when the pipeline
 * starts, not when the local endpoint was built, so how long the harness took to get there (slow on
 * a loaded machine) moves the lifecycle by that wall time only, never by `speedup` times it.
 */
export function deferredCompressedClock(speedup: number, wallNow: () => number = Date.now): DeferredClock {
  const created = wallNow();
  let startedAt: number | undefined;
  return {
    now: () => (startedAt === undefined ? created : startedAt + (wallNow() - startedAt) * speedup),
    start: () => {
      startedAt ??= wallNow();
    },
    originMs: () => startedAt ?? created,
  };
}

/** A clock the caller moves by hand (tests). */
export interface ManualClock {
  readonly now: VirtualClock;
  advance(ms: number): void;
}

export function manualClock(startMs = Date.UTC(2026, 10, 30, 6, 0, 0)): ManualClock {
  let t = startMs;
  return {
    now: () => t,
    advance: (ms: number) => {
      if (!(ms >= 0)) throw new RangeError(`advance needs ms ≥ 0, got ${ms}`);
      t += ms;
    },
  };
}

interface Scheduled {
  readonly atMs: number;
  readonly order: number;
  readonly apply: (atMs: number) => void;
}

/** Transitions due at virtual times, applied in time order (then in the order they were scheduled). */
export class Timeline {
  private readonly pending: Scheduled[] = [];
  private counter = 0;
  private applying = false;

  constructor(public readonly now: VirtualClock) {}

  /** Runs `apply` at `atMs` (or at the next `advance` if that is already past). */
  at(atMs: number, apply: (atMs: number) => void): void {
    this.pending.push({ atMs, order: this.counter++, apply });
  }

  /** Runs `apply` `delayMs` after `fromMs`. */
  after(fromMs: number, delayMs: number, apply: (atMs: number) => void): void {
    this.at(fromMs + delayMs, apply);
  }

  /** Applies every transition due by now, including those the applied ones schedule. */
  advance(): void {
    if (this.applying) return;
    this.applying = true;
    try {
      const now = this.now();
      for (;;) {
        let next = -1;
        for (let i = 0; i < this.pending.length; i++) {
          const p = this.pending[i] as Scheduled;
          if (p.atMs > now) continue;
          const best = next < 0 ? undefined : this.pending[next];
          if (best === undefined || p.atMs < best.atMs || (p.atMs === best.atMs && p.order < best.order)) next = i;
        }
        if (next < 0) return;
        const [due] = this.pending.splice(next, 1);
        due?.apply(due.atMs);
      }
    } finally {
      this.applying = false;
    }
  }
}
