import type { Dispatcher } from 'undici';
import type { ConnectionSet } from './http-pool';

/** Receives streamed body chunks of a 200 answer as they arrive. */
export interface ChunkSink {
  push(chunk: Uint8Array, nowMs: number): void;
}

/** How one HTTP exchange ended. `body` holds the whole body unless it went to a sink. */
export interface ExchangeOutcome {
  readonly status: number | undefined;
  readonly body: string;
  readonly error: Error | undefined;
  /** The per-request deadline passed before the answer was complete. */
  readonly expired: boolean;
  /** The caller's signal aborted the request. */
  readonly cancelled: boolean;
  readonly endMs: number;
}

export interface ExchangeRequest {
  /** Closed-loop worker: picks its connection. */
  readonly worker: number;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** Chunks of a 200 answer go here instead of being buffered. */
  readonly sink?: ChunkSink;
}

const DEADLINE_ERROR = new Error('deadline passed');
const CANCELLED_ERROR = new Error('aborted by the caller');

/**
 * One request over an undici dispatcher with a raw dispatch handler: no Readable stream, no
 * AbortController, no timer of its own. This is the hot path of the load generator: the client's
 * CPU per request must stay close to autocannon's, since client and server share the cores.
 * It uses undici's raw-header hooks (onConnect/onHeaders/onData/onComplete/onError), which skip
 * the header parsing and the adapter object the controller-style hooks cost per request.
 */
class Exchange implements Dispatcher.DispatchHandler, ExchangeOutcome {
  status: number | undefined;
  body = '';
  error: Error | undefined;
  endMs = 0;
  private chunks: Buffer[] | undefined;
  private abortTransport: ((error?: Error) => void) | undefined;
  private settled = false;
  expired = false;
  cancelled = false;

  constructor(
    readonly deadlineMs: number,
    private readonly sink: ChunkSink | undefined,
    private readonly settle: (outcome: ExchangeOutcome) => void,
    private readonly inFlight: Set<Exchange>,
  ) {
    inFlight.add(this);
  }

  abort(byDeadline: boolean): void {
    if (this.settled) return;
    if (byDeadline) this.expired = true;
    else this.cancelled = true;
    const reason = byDeadline ? DEADLINE_ERROR : CANCELLED_ERROR;
    if (this.abortTransport !== undefined) this.abortTransport(reason);
    // Queued for a connection, or the transport did not call back: settle now all the same.
    this.finish(reason);
  }

  onConnect(abort: (error?: Error) => void): void {
    this.abortTransport = abort;
    if (this.settled) abort(this.expired ? DEADLINE_ERROR : CANCELLED_ERROR);
  }

  onHeaders(statusCode: number): boolean {
    this.status = statusCode;
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.settled) return true;
    if (this.sink !== undefined && this.status === 200) this.sink.push(chunk, performance.now());
    else (this.chunks ??= []).push(chunk);
    return true;
  }

  onComplete(): void {
    this.finish(undefined);
  }

  onError(error: Error): void {
    this.finish(error);
  }

  fail(error: unknown): void {
    this.finish(error instanceof Error ? error : new Error(String(error)));
  }

  private finish(error: Error | undefined): void {
    if (this.settled) return;
    this.settled = true;
    this.inFlight.delete(this);
    this.endMs = performance.now();
    this.error = error;
    const chunks = this.chunks;
    if (chunks !== undefined) this.body = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
    // The exchange is its own outcome: no extra object per request.
    this.settle(this);
  }
}

/**
 * Sends requests over a set of connections. Deadlines are enforced by one sweep timer over the requests in
 * flight (resolution timeoutMs / 20, at most 250 ms) instead of a timer per request; a caller's
 * signal aborts every request in flight through one listener per signal.
 */
export class ExchangeClient {
  private readonly inFlight = new Set<Exchange>();
  private readonly watched = new WeakSet<AbortSignal>();
  private sweeper: NodeJS.Timeout | undefined;
  private readonly sweepEveryMs: number;

  constructor(
    private readonly connections: ConnectionSet,
    private readonly timeoutMs: number,
  ) {
    this.sweepEveryMs = Math.min(250, Math.max(2, timeoutMs / 20));
  }

  send(request: ExchangeRequest, signal: AbortSignal): Promise<ExchangeOutcome> {
    this.watch(signal);
    this.sweeper ??= setInterval(this.sweep, this.sweepEveryMs);
    return new Promise<ExchangeOutcome>((resolve) => {
      const exchange = new Exchange(performance.now() + this.timeoutMs, request.sink, resolve, this.inFlight);
      if (signal.aborted) {
        exchange.abort(false);
        return;
      }
      try {
        this.connections.forWorker(request.worker).dispatch({ path: request.path, method: 'POST', headers: request.headers, body: request.body }, exchange);
      } catch (error) {
        exchange.fail(error); // e.g. the connection was closed
      }
    });
  }

  close(): void {
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  private readonly sweep = (): void => {
    if (this.inFlight.size === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
      return;
    }
    const now = performance.now();
    for (const exchange of this.inFlight) if (now >= exchange.deadlineMs) exchange.abort(true);
  };

  /** One listener per distinct signal (a level's), not one per request. */
  private watch(signal: AbortSignal): void {
    if (this.watched.has(signal)) return;
    this.watched.add(signal);
    signal.addEventListener(
      'abort',
      () => {
        for (const exchange of [...this.inFlight]) exchange.abort(false);
      },
      { once: true },
    );
  }
}
