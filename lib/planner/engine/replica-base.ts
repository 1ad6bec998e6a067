import type { EngineEvent, EngineRequest, ReplicaModel } from './types';

/** What every scheduler tracks of a request. Each scheduler adds its own fields and states. */
export interface TrackedSequence {
  readonly id: string;
  readonly inputTokens: number;
  readonly maxNewTokens: number;
  readonly arrivalMs: number;
  /** `arriving` until admitted or refused, `gone` once refused, cancelled or done; the states between are the scheduler's. */
  state: string;
  /** Output tokens sampled so far. */
  generated: number;
  firstTokenAtMs?: number;
}

/** Why a scheduler refuses a request on arrival (the text is what the real server answers). */
export interface Refusal {
  readonly reason: 'overloaded' | 'too_long';
  readonly message: string;
}

/**
 * The bookkeeping the TGI and vLLM replica models share: arrivals in time order, requests by id,
 * the accepted count, the running batch, cancel, and the rejected / token / done events. A
 * scheduler supplies its admission rule (`refusal`, `enqueue`), what a cancel frees (`dropped`) and
 * its work (`workEndMs`, `startWork`, `finishWork`: prefill passes and decode steps, or mixed steps).
 */
export abstract class ReplicaBase<S extends TrackedSequence> implements ReplicaModel {
  private readonly arrivals: S[] = [];
  private arrivalHead = 0;
  private readonly byId = new Map<string, S>();
  /** Requests the server holds: admitted and not yet done (the limit on concurrent requests counts these). */
  protected accepted = 0;
  /** The running batch, oldest first. */
  protected running: S[] = [];

  protected constructor(private readonly emitTokenEvents: boolean) {}

  /** Accepted and not finished, plus arrivals not yet processed: what a least-outstanding router compares. */
  outstanding(): number {
    return this.accepted + (this.arrivals.length - this.arrivalHead);
  }

  inFlight(): number {
    return this.accepted;
  }

  /** Requests in the running batch (being decoded), for tests and diagnostics. */
  runningBatchSize(): number {
    return this.running.length;
  }

  submit(request: EngineRequest, atMs: number): void {
    const sequence = this.newSequence(request, atMs);
    // Arrivals almost always come in time order: insert from the back.
    let i = this.arrivals.length;
    while (i > this.arrivalHead && this.arrivals[i - 1].arrivalMs > atMs) i -= 1;
    this.arrivals.splice(i, 0, sequence);
    this.byId.set(request.id, sequence);
  }

  /** Drops a request wherever it is; frees what it holds at once (the work in progress still runs). */
  cancel(id: string): boolean {
    const sequence = this.byId.get(id);
    if (sequence === undefined) return false;
    this.byId.delete(id);
    this.dropped(sequence);
    if (sequence.state !== 'arriving') this.accepted -= 1;
    markGone(sequence);
    return true;
  }

  nextEventMs(): number | undefined {
    this.skipGoneArrivals();
    const arrival = this.arrivals[this.arrivalHead]?.arrivalMs;
    const workEnd = this.workEndMs();
    if (arrival === undefined) return workEnd;
    if (workEnd === undefined) return arrival;
    return Math.min(arrival, workEnd);
  }

  /** Processes the next internal event (work ending, or the arrivals at one instant), appending its events to `out`. */
  processNext(out: EngineEvent[]): void {
    this.skipGoneArrivals();
    const arrival = this.arrivals[this.arrivalHead];
    const workEnd = this.workEndMs();
    if (workEnd !== undefined && (arrival === undefined || workEnd <= arrival.arrivalMs)) {
      this.finishWork(out);
      this.startWork(workEnd);
      return;
    }
    if (arrival === undefined) return;
    const atMs = arrival.arrivalMs;
    while (this.arrivalHead < this.arrivals.length && this.arrivals[this.arrivalHead].arrivalMs === atMs) {
      this.admit(this.arrivals[this.arrivalHead], out);
      this.arrivalHead += 1;
    }
    this.compactArrivals();
    if (this.workEndMs() === undefined) this.startWork(atMs);
  }

  /** The request as the scheduler tracks it, `arriving`. */
  protected abstract newSequence(request: EngineRequest, atMs: number): S;
  /** Why an arriving request is refused, if it is. */
  protected abstract refusal(sequence: S): Refusal | undefined;
  /** Puts an admitted request in the scheduler's queue (and sets its state). */
  protected abstract enqueue(sequence: S): void;
  /** Frees what a cancelled request holds in the scheduler (the base drops it from the books). */
  protected abstract dropped(sequence: S): void;
  /** When the work in progress ends, if any. */
  protected abstract workEndMs(): number | undefined;
  /** Ends the work in progress (it ends now), appending its events. */
  protected abstract finishWork(out: EngineEvent[]): void;
  /** Starts the next work at `atMs`, if there is any to do. */
  protected abstract startWork(atMs: number): void;

  /** A token event for the sequence's latest token (`generated - 1`), when token events are on. */
  protected emitToken(sequence: S, atMs: number, out: EngineEvent[]): void {
    if (this.emitTokenEvents) out.push({ type: 'token', id: sequence.id, index: sequence.generated - 1, atMs });
  }

  /** A request done (the scheduler has freed what it held): off the books, with its done event. */
  protected complete(sequence: S, atMs: number, out: EngineEvent[]): void {
    this.accepted -= 1;
    markGone(sequence);
    this.byId.delete(sequence.id);
    out.push({
      type: 'done',
      id: sequence.id,
      atMs,
      inputTokens: sequence.inputTokens,
      generatedTokens: sequence.generated,
      firstTokenAtMs: sequence.firstTokenAtMs,
    });
  }

  private admit(sequence: S, out: EngineEvent[]): void {
    if (sequence.state === 'gone') return;
    const refusal = this.refusal(sequence);
    if (refusal !== undefined) {
      this.byId.delete(sequence.id);
      markGone(sequence);
      out.push({ type: 'rejected', id: sequence.id, atMs: sequence.arrivalMs, reason: refusal.reason, message: refusal.message });
      return;
    }
    this.accepted += 1;
    this.enqueue(sequence);
  }

  private skipGoneArrivals(): void {
    while (this.arrivalHead < this.arrivals.length && this.arrivals[this.arrivalHead].state === 'gone') this.arrivalHead += 1;
  }

  private compactArrivals(): void {
    if (this.arrivalHead > 1024 && this.arrivalHead * 2 > this.arrivals.length) {
      this.arrivals.splice(0, this.arrivalHead);
      this.arrivalHead = 0;
    }
  }
}

function markGone(sequence: TrackedSequence): void {
  sequence.state = 'gone';
}
