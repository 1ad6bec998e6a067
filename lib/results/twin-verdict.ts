import { TWIN_VERDICT_VERSION, type TwinVerdict } from './records';

/**
 * When a level measured against the local twin is `lagging`: the twin's timer handed out the engine's
 * events late (CPU starvation beside or inside the twin, or its timer's 1 ms resolution × speedup:
 * https://nodejs.org/api/timers.html#settimeoutcallback-delay-args), so token gaps, TTFT and SLO
 * attainment carry the twin's own lag, not the modelled server's. Lag is in endpoint ms (wall
 * lateness × speedup). A level lags when its lag p99 exceeds both
 * - `lagMsP99` (25 ms: about two thirds of a 7B model's decode step on a g5, ≈ 34 ms), and
 * - `itlFraction` × the level's median inter-token latency (streamed levels): half a token gap, so a
 *   slow model's long gaps tolerate more.
 * Measured on a shared 2-core box (docs/run-integrity.md, "The twin's own lag"): an unloaded twin's lag
 * p99 was 6–20 ms at speedup 1 and 18–30 ms at 10; at 30, 93–98 ms, with ITL p99 doubled (101–107 ms
 * against 46–53 ms at speedup 1); three busy processes beside it gave 88–103 ms at speedup 10; a burner
 * inside its process (20 ms of every 25) gave 50–62 ms at speedup 1 and 287–294 ms at 10. A measured
 * ITL p99 follows the twin's lag p99 once the lag is the larger.
 */
export const TWIN_LAG_THRESHOLDS = {
  lagMsP99: 25,
  itlFraction: 0.5,
} as const;

/** The twin's lag over a level, endpoint ms. */
export interface TwinLagMeasures {
  readonly lagMsP99: number;
  readonly lagMsMax: number;
  /** Catch-ups of the twin's drivers that handed out events in the window. */
  readonly samples: number;
}

/** The verdict on the twin of a level from its lag and the level's median ITL (endpoint ms, when streamed). */
export function twinVerdict(m: TwinLagMeasures, itlMsP50?: number, thresholds: typeof TWIN_LAG_THRESHOLDS = TWIN_LAG_THRESHOLDS): TwinVerdict {
  const itlBound = itlMsP50 !== undefined && itlMsP50 > 0 ? thresholds.itlFraction * itlMsP50 : 0;
  const lagging = m.lagMsP99 > thresholds.lagMsP99 && m.lagMsP99 > itlBound;
  const bound = itlBound > thresholds.lagMsP99 ? `${thresholds.itlFraction} × ITL p50 (${itlBound.toFixed(1)} ms)` : `${thresholds.lagMsP99} ms`;
  return {
    schemaVersion: TWIN_VERDICT_VERSION,
    verdict: lagging ? 'lagging' : 'ok',
    lagMsP99: m.lagMsP99,
    lagMsMax: m.lagMsMax,
    samples: m.samples,
    ...(lagging ? { reason: `twin lag p99 ${m.lagMsP99.toFixed(1)} ms > ${bound} (endpoint ms)` } : {}),
  };
}

/** True when the twin lagged behind the level (levels without a twin verdict are taken as ok). */
export function isTwinLagging(level: { readonly twin?: TwinVerdict }): boolean {
  return level.twin?.verdict === 'lagging';
}

/**
 * The twin's lag over a level measured in several runs (repeats one after another, Lambda workers side
 * by side reading the same twin): the worst run's p99 and max, judged once against the level's median
 * ITL. Undefined when no run read the twin.
 */
export function worstTwinVerdict(measures: readonly (TwinLagMeasures | undefined)[], itlMsP50?: number): TwinVerdict | undefined {
  const known = measures.filter((m): m is TwinLagMeasures => m !== undefined);
  if (known.length === 0) return undefined;
  return twinVerdict(
    { lagMsP99: Math.max(...known.map((m) => m.lagMsP99)), lagMsMax: Math.max(...known.map((m) => m.lagMsMax)), samples: Math.max(...known.map((m) => m.samples)) },
    itlMsP50,
  );
}
