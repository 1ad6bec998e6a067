import { DEFAULT_MAX_ERROR_RATE, SAGEMAKER_INVOCATION_TIMEOUT_MS } from '../../results/defaults';
import type { ServingEngine } from './types';

/**
 * A closed-loop client in virtual time: `concurrency` workers, each sending its next request as soon
 * as the last one returns (after `overloadBackoffMs` when it was refused), with the invocation
 * deadline cutting slow requests (counted as timeouts, cancelled in the engine). After `warmupCompletions`
 * completions (ok or timed out) the measured window opens; it closes at the `measuredCompletions`-th next one.
 *
 * Workers start `startSpreadMs / concurrency` apart. In a real closed loop the workers' phases
 * spread over a request's lifetime (send times, network delays and the server's own scheduling
 * differ per request); with identical requests all sent at t = 0, a simulation in exact virtual
 * time would instead keep them in lockstep forever: one prefill of all c prompts, c first tokens at
 * once, c completions at once. Spreading the first sends over one request's service time starts
 * the simulation in the staggered steady state, which the warm-up then settles.
 */

export interface ClosedLoopOptions {
  readonly concurrency: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** @default 60000 (SageMaker real-time invocation limit) */
  readonly invocationTimeoutMs?: number;
  readonly warmupCompletions: number;
  readonly measuredCompletions: number;
  /** Wait of a worker after an immediate refusal (429) before it sends again. @default 1000 */
  readonly overloadBackoffMs?: number;
  /** The workers' first sends are spread evenly over this many ms (worker w at w / c of it). @default 0 (all at t = 0) */
  readonly startSpreadMs?: number;
  /** Virtual time after which the simulation stops even if the window is not complete. @default 3,600,000 (1 h) */
  readonly maxVirtualMs?: number;
  /**
   * Refusals (overloaded) after which the level is clearly infeasible and the simulation stops,
   * keeping what it measured. @default 50 × (warm-up + measured completions)
   */
  readonly maxRefusals?: number;
  /**
   * Stop as soon as the measured window shows the level infeasible (a timeout, or refusals above
   * the error allowance (1 %) of the measured completions): enough for sweeps that stop at the first infeasible level.
   * @default false
   */
  readonly stopWhenInfeasible?: boolean;
}

export type ClosedLoopOutcome = 'ok' | 'timeout' | 'overloaded' | 'too_long';

/** One request that ended inside the measured window. */
export interface SimulatedRequest {
  readonly worker: number;
  readonly sentMs: number;
  readonly endMs: number;
  readonly firstTokenMs?: number;
  readonly outputTokens: number;
  readonly outcome: ClosedLoopOutcome;
}

export interface ClosedLoopResult {
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  /** Requests that ended in (windowStartMs, windowEndMs]. */
  readonly requests: readonly SimulatedRequest[];
  /** True when the window closed by completions (false: stopped by maxVirtualMs or nothing could complete). */
  readonly complete: boolean;
}

interface InFlight {
  readonly worker: number;
  readonly sentMs: number;
  readonly deadlineMs: number;
}

export function simulateClosedLoop(engine: ServingEngine, opts: ClosedLoopOptions): ClosedLoopResult {
  const timeoutMs = opts.invocationTimeoutMs ?? SAGEMAKER_INVOCATION_TIMEOUT_MS;
  const backoffMs = opts.overloadBackoffMs ?? 1000;
  const maxVirtualMs = opts.maxVirtualMs ?? 3_600_000;
  const inFlight = new Map<string, InFlight>();
  const deadlines: string[] = [];
  let deadlineHead = 0;
  const retries: { worker: number; atMs: number }[] = [];
  let retryHead = 0;
  const requests: SimulatedRequest[] = [];
  const sequenceOf = new Array<number>(opts.concurrency).fill(0);
  let completions = 0;
  let windowStartMs = 0;
  let windowOpen = opts.warmupCompletions === 0;
  const target = opts.warmupCompletions + opts.measuredCompletions;
  const maxRefusals = opts.maxRefusals ?? 50 * target;
  let refusals = 0;
  let windowTimeouts = 0;
  let windowRefusals = 0;
  const refusalAllowance = DEFAULT_MAX_ERROR_RATE * opts.measuredCompletions;

  const send = (worker: number, atMs: number): void => {
    const id = `${worker}:${sequenceOf[worker]++}`;
    inFlight.set(id, { worker, sentMs: atMs, deadlineMs: atMs + timeoutMs });
    deadlines.push(id);
    engine.submit({ id, inputTokens: opts.inputTokens, maxNewTokens: opts.outputTokens }, atMs);
  };
  const record = (request: SimulatedRequest): void => {
    requests.push(request);
    if (request.outcome === 'overloaded') refusals += 1;
    if (windowOpen && request.outcome === 'timeout') windowTimeouts += 1;
    if (windowOpen && request.outcome === 'overloaded') windowRefusals += 1;
    if (request.outcome === 'ok' || request.outcome === 'timeout') {
      completions += 1;
      if (!windowOpen && completions === opts.warmupCompletions) {
        windowOpen = true;
        windowStartMs = request.endMs;
      }
    }
  };

  const spreadMs = opts.startSpreadMs ?? 0;
  const startAt = (w: number): number => (spreadMs * w) / opts.concurrency;
  let nextStart = 0;
  while (nextStart < opts.concurrency && startAt(nextStart) === 0) send(nextStart++, 0);
  let nowMs = 0;
  let tooLong = false;
  const infeasible = (): boolean => opts.stopWhenInfeasible === true && (windowTimeouts > 0 || windowRefusals > refusalAllowance);
  while (completions < target && !tooLong && refusals < maxRefusals && !infeasible()) {
    while (deadlineHead < deadlines.length && !inFlight.has(deadlines[deadlineHead])) deadlineHead += 1;
    const candidates = [
      engine.nextEventMs() ?? Infinity,
      deadlineHead < deadlines.length ? inFlight.get(deadlines[deadlineHead])!.deadlineMs : Infinity,
      retryHead < retries.length ? retries[retryHead].atMs : Infinity,
      nextStart < opts.concurrency ? startAt(nextStart) : Infinity,
    ];
    nowMs = Math.min(...candidates);
    if (!Number.isFinite(nowMs) || nowMs > maxVirtualMs) break;
    const resend: number[] = [];
    for (const event of engine.advanceTo(nowMs)) {
      if (event.type === 'token') continue;
      const flight = inFlight.get(event.id);
      if (flight === undefined) continue;
      inFlight.delete(event.id);
      if (event.type === 'done') {
        record({ worker: flight.worker, sentMs: flight.sentMs, endMs: event.atMs, firstTokenMs: event.firstTokenAtMs, outputTokens: event.generatedTokens, outcome: 'ok' });
        resend.push(flight.worker);
      } else {
        record({ worker: flight.worker, sentMs: flight.sentMs, endMs: event.atMs, outputTokens: 0, outcome: event.reason });
        if (event.reason === 'too_long') tooLong = true;
        else retries.push({ worker: flight.worker, atMs: event.atMs + backoffMs });
      }
    }
    while (deadlineHead < deadlines.length) {
      const id = deadlines[deadlineHead];
      const flight = inFlight.get(id);
      if (flight !== undefined && flight.deadlineMs > nowMs) break;
      deadlineHead += 1;
      if (flight === undefined) continue;
      inFlight.delete(id);
      engine.cancel(id, nowMs);
      record({ worker: flight.worker, sentMs: flight.sentMs, endMs: nowMs, outputTokens: 0, outcome: 'timeout' });
      resend.push(flight.worker);
    }
    while (retryHead < retries.length && retries[retryHead].atMs <= nowMs) resend.push(retries[retryHead++].worker);
    while (nextStart < opts.concurrency && startAt(nextStart) <= nowMs) resend.push(nextStart++);
    if (completions >= target || infeasible()) break;
    for (const worker of resend) send(worker, nowMs);
  }
  // Stopped early (refusals, time cap) before the warm-up ended: the whole run is the window.
  // (start, end] by time: completions at the warm-up's closing instant belong to the warm-up, so a
  // window between two bursts of simultaneous completions spans whole periods.
  const measured = windowOpen ? requests.filter((r) => r.endMs > windowStartMs) : requests;
  return { windowStartMs: windowOpen ? windowStartMs : 0, windowEndMs: nowMs, requests: measured, complete: completions >= target };
}
