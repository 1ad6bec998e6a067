/**
 * The endpoint's clock as seen from the client's: CloudWatch timestamps are the endpoint's. For an
 * endpoint in AWS the two agree (speedup 1). A time-compressed local endpoint runs
 * endpoint ms = originMs + (client ms − originMs) × speedup (it advertises both in GET /info).
 */
export interface TargetClock {
  readonly speedup: number;
  /** Wall epoch ms where both clocks agree. Irrelevant at speedup 1. */
  readonly originMs: number;
}

export const REAL_TIME: TargetClock = { speedup: 1, originMs: 0 };

/** A window of the client's clock (epoch ms) on the endpoint's clock. */
export function toTargetWindow(window: { readonly startMs: number; readonly endMs: number }, clock: TargetClock): { startMs: number; endMs: number } {
  const map = (ms: number): number => clock.originMs + (ms - clock.originMs) * clock.speedup;
  return { startMs: map(window.startMs), endMs: map(window.endMs) };
}

/** The clock a local endpoint advertises in GET /info (`speedup`, `local.clock_origin_ms`); undefined for other servers. */
export function clockFromInfo(info: unknown): TargetClock | undefined {
  const body = info as { speedup?: unknown; local?: { clock_origin_ms?: unknown } } | undefined;
  const speedup = typeof body?.speedup === 'number' && body.speedup > 0 ? body.speedup : undefined;
  const originMs = body?.local?.clock_origin_ms;
  if (speedup === undefined || typeof originMs !== 'number') return undefined;
  return { speedup, originMs };
}

/** Reads a local endpoint's clock from `{baseUrl}/info`; real time when it has none (an endpoint in AWS, another server). */
export async function discoverTargetClock(baseUrl: string | undefined): Promise<TargetClock> {
  if (baseUrl === undefined) return REAL_TIME;
  try {
    const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/info`, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) return REAL_TIME;
    return clockFromInfo(await response.json()) ?? REAL_TIME;
  } catch {
    return REAL_TIME;
  }
}
