import type { SweepResult } from '../../lib/results/records';
import { formatStopReason } from '../../lib/results/stop-reason';

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** A plain-text table of a sweep's levels and its headline figures (what `npm start` ends with). */
export function formatSummaryTable(sweep: SweepResult): string {
  const header = ['concurrency', 'requests', 'errors', 'tokens/s', 'ms/token p50', 'ms/token p90', 'e2e p50 s'];
  const rows = sweep.levels.map((l) => [
    String(l.concurrency),
    String(l.requests),
    String(l.requests - l.ok),
    l.throughputTokensPerS.toFixed(0),
    l.latencyMsPerToken.p50.toFixed(1),
    l.latencyMsPerToken.p90.toFixed(1),
    (l.e2eMs.p50 / 1000).toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => pad(c, widths[i], i > 0)).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  const facts: string[] = [];
  if (sweep.maxThroughput) facts.push(`max throughput ${sweep.maxThroughput.tokensPerS.toFixed(0)} tokens/s at c=${sweep.maxThroughput.concurrency}`);
  if (sweep.knee) facts.push(`knee c=${sweep.knee.concurrency} (${sweep.knee.rule}${sweep.knee.detail ? `: ${sweep.knee.detail}` : ''})`);
  if (sweep.maxFeasibleConcurrency !== undefined) facts.push(`max feasible concurrency ${sweep.maxFeasibleConcurrency}`);
  const { usdPerMillionTokensAtMaxThroughput: usdPerM, hourlyUsd } = sweep.cost ?? {};
  if (usdPerM !== undefined && hourlyUsd !== undefined) facts.push(`$${usdPerM.toFixed(2)} per 1M tokens at max throughput ($${hourlyUsd.toFixed(2)}/h)`);
  if (sweep.stopReason) facts.push(`stopped: ${formatStopReason(sweep.stopReason)}`);
  if (sweep.failure) facts.push(`FAILED at step ${sweep.failure.step}: ${sweep.failure.message}`);
  return [...out, '', ...facts.map((f) => `  ${f}`)].join('\n');
}
