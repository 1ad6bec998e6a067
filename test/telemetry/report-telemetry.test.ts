import { summarizeFleet, fleetSweeps } from '../../lib/results/fleet-summary';
import type { SweepResult } from '../../lib/results/records';
import { SERVER_TELEMETRY_VERSION, type ServerTelemetry } from '../../lib/results/server-telemetry';
import { renderFleetReportFiles } from '../../loadtest/report/fleet-report';
import { buildReportModel } from '../../loadtest/report/report-model';
import { g5Sweep } from '../report/fixtures';

/** The report's telemetry tables: GPU utilization beside throughput; latency split into model, overhead and the rest. */
function withServer(sweep: SweepResult): SweepResult {
  const server = (gpu: number, modelMs: number): ServerTelemetry => ({
    schemaVersion: SERVER_TELEMETRY_VERSION,
    source: 'cloudwatch',
    window: { startMs: 0, endMs: 120_000 },
    periodS: 60,
    gpuUtilizationPct: gpu,
    modelLatencyMs: { mean: modelMs, max: modelMs * 2 },
    overheadLatencyMs: { mean: 5, max: 9 },
    invocations: 12,
    metrics: [],
    notes: ['window 20 s is shorter than the 60 s period: per-period values include time outside the level'],
  });
  return { ...sweep, levels: sweep.levels.map((l, i) => ({ ...l, server: server(40 + i, l.e2eMs.mean - 20) })) };
}

describe('report: endpoint telemetry', () => {
  it('shows GPU utilization per level beside throughput and splits e2e into model + overhead + rest', () => {
    const sweep = withServer(g5Sweep());
    const model = buildReportModel([sweep]);
    const ids = model.tables.map((t) => t.id);
    expect(ids.indexOf('gpu-utilization')).toBe(ids.indexOf('throughput') + 1);
    const gpu = model.tables.find((t) => t.id === 'gpu-utilization');
    expect(gpu?.rows[0]).toEqual([sweep.label, ...sweep.levels.map((_, i) => String(40 + i))]);
    const server = model.tables.find((t) => t.id === 'server-1');
    expect(server?.headers.slice(0, 3)).toEqual(['c', 'Tokens/s', 'GPU util %']);
    const first = sweep.levels[0];
    const row = server?.rows[0] ?? [];
    const col = (name: string): string | undefined => row[server?.headers.indexOf(name) ?? -1];
    // e2e − model (e2e − 20) − overhead 5 = 15 ms of network and client.
    expect(col('rest ms')).toBe('15');
    expect(col('overhead ms')).toBe('5.0');
    expect(col('Invocations')).toBe('12');
    expect(col('Tokens/s')).toBe(String(Math.round(first?.throughputTokensPerS ?? 0)));
    expect(server?.caption).toContain('c=1: window 20 s is shorter than the 60 s period');
  });

  it('no telemetry, no tables', () => {
    const ids = buildReportModel([g5Sweep()]).tables.map((t) => t.id);
    expect(ids.filter((id) => id === 'gpu-utilization' || id.startsWith('server-'))).toEqual([]);
  });

  it('the fleet report carries the GPU utilization table', async () => {
    const inputs = [{ id: 'g5', sweep: withServer(g5Sweep()) }];
    const report = summarizeFleet(inputs, { fleet: 'f', generatedAt: '2026-11-30T07:00:00Z', latencyBoundMsPerToken: 100 });
    const files = await renderFleetReportFiles(report, fleetSweeps(inputs));
    const markdown = Object.entries(files).find(([name]) => name.endsWith('.md'))?.[1] ?? '';
    expect(markdown).toContain('GPU utilization (% of each GPU, CloudWatch)');
  });
});
