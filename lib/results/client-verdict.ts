import type { ClientVerdict } from './records';

/**
 * Thresholds past which a level is `client-bound`: the client, not the server, limited it, so its
 * figures say nothing about the endpoint (reports flag it; stop rules skip it).
 * - send lag p99 > 25 ms: requests left later than the load meant to send them (beyond any wait for
 *   a concurrency cap), so the offered load was not generated;
 * - event-loop delay p99 > 25 ms beyond the sampling interval: completions and sends queued behind
 *   other work in the client, which inflates every measured latency;
 * - CPU ≥ 90 % of one core: a Node client runs its load on one thread; at that share it has no headroom.
 * An idle loop on a shared 2-core machine measured event-loop delay p99 ≈ 6 ms beyond the interval; a
 * loop blocked 30 ms in every 40 ms measured ≈ 40 ms (docs/metrics.md).
 */
export const CLIENT_BOUND_THRESHOLDS = {
  sendLagMsP99: 25,
  eventLoopDelayMsP99: 25,
  cpuPct: 90,
} as const;

/** The client's own measurements over a level. */
export interface ClientMeasures {
  readonly sendLagMsP99: number;
  readonly eventLoopDelayMsP99: number;
  readonly cpuPct: number;
}

/** The verdict on a level's client from its measures and {@link CLIENT_BOUND_THRESHOLDS}. */
export function clientVerdict(m: ClientMeasures, thresholds: typeof CLIENT_BOUND_THRESHOLDS = CLIENT_BOUND_THRESHOLDS): ClientVerdict {
  const reasons: string[] = [];
  if (m.sendLagMsP99 > thresholds.sendLagMsP99) reasons.push(`send lag p99 ${m.sendLagMsP99.toFixed(1)} ms > ${thresholds.sendLagMsP99} ms`);
  if (m.eventLoopDelayMsP99 > thresholds.eventLoopDelayMsP99) {
    reasons.push(`event-loop delay p99 ${m.eventLoopDelayMsP99.toFixed(1)} ms > ${thresholds.eventLoopDelayMsP99} ms`);
  }
  if (m.cpuPct >= thresholds.cpuPct) reasons.push(`client CPU ${m.cpuPct.toFixed(0)} % ≥ ${thresholds.cpuPct} % of a core`);
  return {
    verdict: reasons.length > 0 ? 'client-bound' : 'ok',
    sendLagMsP99: m.sendLagMsP99,
    eventLoopDelayMsP99: m.eventLoopDelayMsP99,
    cpuPct: m.cpuPct,
    ...(reasons.length > 0 ? { reasons } : {}),
  };
}

/** True when a level was limited by its client (levels without a verdict are taken as ok). */
export function isClientBound(level: { readonly client?: ClientVerdict }): boolean {
  return level.client?.verdict === 'client-bound';
}

/**
 * The verdict of a level measured by several clients (Lambda workers, processes, repeats): each
 * measure is the worst client's (the highest send lag, event-loop delay and CPU), judged by the same
 * thresholds, so the level is client-bound when any client was. Send lag and event-loop delay are
 * each client's own p99, never taken over merged samples, so one starved client cannot hide among
 * healthy ones. With `names` (one per verdict, e.g. `process 1`), the reasons say which client
 * crossed which threshold. Undefined when none has a verdict.
 */
export function worstClientVerdict(verdicts: readonly (ClientVerdict | undefined)[], names?: readonly string[]): ClientVerdict | undefined {
  const known = verdicts.filter((v): v is ClientVerdict => v !== undefined);
  if (known.length === 0) return undefined;
  const worst = clientVerdict({
    sendLagMsP99: Math.max(...known.map((v) => v.sendLagMsP99)),
    eventLoopDelayMsP99: Math.max(...known.map((v) => v.eventLoopDelayMsP99)),
    cpuPct: Math.max(...known.map((v) => v.cpuPct)),
  });
  if (names === undefined || worst.reasons === undefined) return worst;
  return { ...worst, reasons: verdicts.flatMap((v, i) => (v?.reasons ?? []).map((reason) => `${names[i] ?? `client ${i}`}: ${reason}`)) };
}
