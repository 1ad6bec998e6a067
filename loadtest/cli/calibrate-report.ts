import type { FitReport } from '../../lib/planner/calibration/fit';

/** Text tables of a calibration fit: per measured level, then median errors overall and per family. */

const fmt = (value: number | null | undefined, digits = 0): string => (value === null || value === undefined ? '—' : value.toFixed(digits));

/** Overall and per-family median |error| lines. */
export function formatMedians(report: FitReport): string {
  const lines = [
    `median |error|: throughput ${report.medianAbsErrorPct.throughput.toFixed(1)} %, ms/token ${report.medianAbsErrorPct.latency.toFixed(1)} %` +
      ` (${report.cells.length} levels; mean |log error| ${report.objective.toFixed(4)})`,
  ];
  for (const [family, m] of Object.entries(report.byFamily)) {
    lines.push(`  ${family.padEnd(5)} throughput ${m.throughput.toFixed(1)} %, ms/token ${m.latency.toFixed(1)} % (${m.cells} levels)`);
  }
  return lines.join('\n');
}

/** The per-level table (measured vs predicted) followed by the medians. */
export function formatFitReport(report: FitReport): string {
  const header = ['sweep', 'c', 'tok/s meas', 'tok/s pred', 'err %', 'ms/tok meas', 'ms/tok pred', 'err %'];
  const rows = report.cells.map((c) => [
    c.sweepId,
    String(c.concurrency),
    fmt(c.publishedThroughput),
    fmt(c.predictedThroughput),
    fmt(c.throughputErrorPct, 1),
    fmt(c.publishedLatency),
    fmt(c.predictedLatency, 1),
    fmt(c.latencyErrorPct, 1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), ...rows.map(line), formatMedians(report)].join('\n');
}
