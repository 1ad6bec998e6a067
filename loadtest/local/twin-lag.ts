import { LatencySketch, type EncodedSketch } from '../../lib/results/sketch';
import type { TwinLagMeasures } from '../../lib/results/twin-verdict';

/**
 * The local twin's own lag on the wire. The twin's drivers record how late they hand out the engine's
 * events (real-time-driver.ts, endpoint ms); GET /info carries the lag since the twin started under
 * `twin_lag`: a summary, and the cumulative sketch a client reads at a window's start and end and
 * diffs (LatencySketch.since) to get the lag over that window alone. Endpoints that are no twin
 * (TGI, SageMaker in AWS) have no such field: their levels carry no twin verdict.
 */

/** `twin_lag` of GET /info: endpoint ms since the twin started. */
export interface TwinLagInfo {
  /** Catch-ups that handed out events (samples of the sketch). */
  readonly samples: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly max_ms: number;
  /** Cumulative: diff two readings for a window. */
  readonly sketch: EncodedSketch;
}

/** The `twin_lag` field of GET /info from the twin's lag sketch (every driver's, merged). */
export function twinLagInfo(lag: LatencySketch): TwinLagInfo {
  const d = lag.distribution();
  return { samples: lag.count, p50_ms: d.p50, p99_ms: d.p99, max_ms: d.max, sketch: lag.encode() };
}

function isEncodedSketch(value: unknown): value is EncodedSketch {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (Array.isArray(v.exact)) return v.exact.every((x) => typeof x === 'number');
  return typeof v.hdr === 'string' && Array.isArray(v.sumPartials) && typeof v.min === 'number' && typeof v.max === 'number' && typeof v.count === 'number';
}

/** The cumulative lag sketch a twin advertises in GET /info; undefined for any other server. */
export function twinLagFromInfo(info: unknown): LatencySketch | undefined {
  const lag = (info as { twin_lag?: { sketch?: unknown } } | undefined)?.twin_lag;
  return isEncodedSketch(lag?.sketch) ? LatencySketch.decode(lag.sketch) : undefined;
}

/** The measures of a window's lag sketch. */
export function lagMeasuresOf(window: LatencySketch): TwinLagMeasures {
  const d = window.distribution();
  return { lagMsP99: d.p99, lagMsMax: d.max, samples: window.count };
}

/**
 * Reads a twin's lag over windows: `begin()` reads the cumulative sketch, the function it returns
 * reads it again and gives the lag in between (undefined when the twin could not be read).
 */
export interface TwinLagProbe {
  begin(): Promise<() => Promise<TwinLagMeasures | undefined>>;
}

/** Reads `{baseUrl}/info` (2 s deadline); undefined when unreachable or not a twin. */
export async function readTwinLag(baseUrl: string): Promise<LatencySketch | undefined> {
  try {
    const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/info`, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) return undefined;
    return twinLagFromInfo(await response.json());
  } catch {
    return undefined;
  }
}

/** A probe of the twin at `baseUrl`. */
export function twinLagProbe(baseUrl: string, read: (url: string) => Promise<LatencySketch | undefined> = readTwinLag): TwinLagProbe {
  return {
    async begin() {
      const before = await read(baseUrl);
      return async () => {
        const after = await read(baseUrl);
        if (before === undefined || after === undefined) return undefined;
        try {
          return lagMeasuresOf(after.since(before));
        } catch {
          return undefined; // not one twin's readings (it restarted in between)
        }
      };
    },
  };
}

/**
 * A probe when `baseUrl` serves a twin (its GET /info has `twin_lag`), else undefined: a real
 * endpoint, or a server that is not this project's twin, gets no twin verdict.
 */
export async function discoverTwinLagProbe(baseUrl: string | undefined): Promise<TwinLagProbe | undefined> {
  if (baseUrl === undefined) return undefined;
  return (await readTwinLag(baseUrl)) !== undefined ? twinLagProbe(baseUrl) : undefined;
}
