/**
 * A per-request deadline for clients that take an AbortSignal (the AWS SDK): one AbortController
 * aborted by a timer or by the caller's signal. `finish()` clears the timer as soon as the request
 * completes (AbortSignal.timeout's timers would live on until they fire).
 */
export class RequestDeadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  /** True once the timer fired (the request hit its deadline). */
  public expired = false;

  constructor(
    public readonly deadlineMs: number,
    private readonly inFlight?: Set<RequestDeadline>,
  ) {
    this.timer = setTimeout(this.onTimeout, deadlineMs);
    inFlight?.add(this);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True when the caller (not the deadline) aborted the request. */
  get cancelled(): boolean {
    return !this.expired && this.controller.signal.aborted;
  }

  cancel(reason: unknown): void {
    this.controller.abort(reason);
  }

  finish(): void {
    clearTimeout(this.timer);
    this.inFlight?.delete(this);
  }

  private readonly onTimeout = (): void => {
    this.expired = true;
    this.controller.abort(new Error(`deadline of ${this.deadlineMs} ms passed`));
  };
}

/**
 * Creates deadlines and cancels those in flight when a caller's signal aborts, through one
 * listener per signal (a level's) rather than one per request.
 */
export class DeadlineTracker {
  private readonly inFlight = new Set<RequestDeadline>();
  private readonly watched = new WeakSet<AbortSignal>();

  constructor(private readonly timeoutMs: number) {}

  start(signal: AbortSignal): RequestDeadline {
    const deadline = new RequestDeadline(this.timeoutMs, this.inFlight);
    if (signal.aborted) deadline.cancel(signal.reason);
    else if (!this.watched.has(signal)) {
      this.watched.add(signal);
      signal.addEventListener(
        'abort',
        () => {
          for (const d of [...this.inFlight]) d.cancel(signal.reason);
        },
        { once: true },
      );
    }
    return deadline;
  }
}
