import type { SweepResult } from '../../lib/results/records';
import { formatMeasure, MISSING } from './format';
import type { ReportTable } from './report-table';

/**
 * The endpoint's side of each level (CloudWatch, LevelResult.server): GPU utilization beside the
 * client's throughput, and the client's latency split into the model container's time, SageMaker's
 * overhead and the rest (network and client). Only sweeps with telemetry get these tables.
 */

function hasServer(s: SweepResult): boolean {
  return s.levels.some((l) => l.server !== undefined);
}

/** GPU utilization per level beside throughput, one row per configuration with telemetry. */
export function gpuUtilizationTable(sweeps: readonly SweepResult[]): ReportTable[] {
  const withServer = sweeps.filter(hasServer);
  if (withServer.length === 0) return [];
  const columns = [...new Set(withServer.flatMap((s) => s.levels.map((l) => l.concurrency)))].sort((a, b) => a - b);
  return [
    {
      id: 'gpu-utilization',
      title: 'GPU utilization (% of each GPU, CloudWatch) at each concurrency',
      caption: 'GPUUtilizationNormalized with inference components, else GPUUtilization ÷ GPUs per instance; averaged over the level\'s window.',
      headers: ['Configuration', ...columns.map(String)],
      rows: withServer.map((s) => [s.label, ...columns.map((c) => formatMeasure(s.levels.find((l) => l.concurrency === c)?.server?.gpuUtilizationPct))]),
    },
  ];
}

/** Per level of one sweep: throughput and GPU utilization side by side; latency split into model, overhead and the rest. */
export function serverLevelTable(s: SweepResult, index: number): ReportTable[] {
  if (!hasServer(s)) return [];
  const levels = [...s.levels].sort((a, b) => a.concurrency - b.concurrency);
  const notes = [...new Set(levels.flatMap((l) => (l.server?.notes ?? []).map((n) => `c=${l.concurrency}: ${n}`)))];
  return [
    {
      id: `server-${index + 1}`,
      title: `Endpoint telemetry (CloudWatch): ${s.label}`,
      caption:
        'Tokens/s is the client\'s; GPU, memory and CPU are the endpoint\'s (CPU summed over cores). Client e2e = model (ModelLatency) + overhead ' +
        '(OverheadLatency, SageMaker) + rest (network and client). Concurrent = highest ConcurrentRequestsPerModel/PerCopy.' +
        (notes.length > 0 ? ` Notes: ${notes.join('; ')}.` : ''),
      headers: ['c', 'Tokens/s', 'GPU util %', 'GPU mem %', 'CPU %', 'Concurrent', 'client e2e ms', 'model ms', 'overhead ms', 'rest ms', 'Invocations', '4xx', '5xx', 'Model errors', 'Period s'],
      rows: levels.map((l) => {
        const server = l.server;
        const model = server?.modelLatencyMs?.mean;
        const overhead = server?.overheadLatencyMs?.mean;
        const rest = l.ok > 0 && model !== undefined && overhead !== undefined ? Math.max(0, l.e2eMs.mean - model - overhead) : undefined;
        const count = (v: number | undefined): string => (v === undefined ? MISSING : String(Math.round(v)));
        return [
          String(l.concurrency),
          formatMeasure(l.throughputTokensPerS),
          formatMeasure(server?.gpuUtilizationPct),
          formatMeasure(server?.gpuMemoryUtilizationPct),
          formatMeasure(server?.cpuUtilizationPct),
          formatMeasure(server?.concurrentRequestsMax),
          l.ok > 0 ? formatMeasure(l.e2eMs.mean) : MISSING,
          formatMeasure(model),
          formatMeasure(overhead),
          formatMeasure(rest),
          count(server?.invocations),
          count(server?.invocation4xxErrors),
          count(server?.invocation5xxErrors),
          count(server?.invocationModelErrors),
          server !== undefined ? String(server.periodS) : MISSING,
        ];
      }),
    },
  ];
}
