import type { Interval } from '../../lib/results/confidence';
import type { SweepResult } from '../../lib/results/records';
import { formatMeasure, MISSING } from './format';

/** A repeated level's figure as "mean ± half-width" of its 95 % interval (— when the level was measured once). */
export function formatInterval(interval: Interval | undefined): string {
  if (interval === undefined || interval.n < 2) return MISSING;
  return `${formatMeasure(interval.mean)} ± ${formatMeasure(interval.halfWidth95)}`;
}

/** How a report names the level with key `key` in `sweep`: its concurrency, or `R req/s` for an open-loop level. */
export function levelLabel(sweep: SweepResult, key: number | undefined): string {
  if (key === undefined) return MISSING;
  const rate = sweep.levels.find((l) => l.concurrency === key)?.offeredRatePerS;
  return rate !== undefined ? `${rate} req/s` : String(key);
}
