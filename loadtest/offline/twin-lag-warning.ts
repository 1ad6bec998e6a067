import { levelName } from '../../lib/results/level-key';
import type { SweepResult } from '../../lib/results/records';
import { isTwinLagging } from '../../lib/results/twin-verdict';

/**
 * The line the offline run prints when levels were measured against a lagging local twin (their
 * latencies carry the twin's own lag, docs/run-integrity.md); undefined when none lagged.
 */
export function twinLagWarning(sweeps: readonly (SweepResult | undefined)[]): string | undefined {
  const levels = sweeps.flatMap((s) => (s === undefined ? [] : s.levels.map((level) => ({ label: s.label, level }))));
  const lagging = levels.filter((l) => isTwinLagging(l.level));
  if (lagging.length === 0) return undefined;
  const worst = lagging.reduce((a, b) => ((b.level.twin?.lagMsP99 ?? 0) > (a.level.twin?.lagMsP99 ?? 0) ? b : a));
  const where = sweeps.filter((s) => s !== undefined).length > 1 ? `${worst.label} ${levelName(worst.level)}` : levelName(worst.level);
  return (
    `warning: ${lagging.length} of ${levels.length} levels were measured against a lagging local twin (worst: ${where}, ${worst.level.twin?.reason ?? 'lagging'}); ` +
    `their token gaps, TTFT and SLO attainment carry the twin's own lag: lower --speedup or run on a less loaded machine`
  );
}
