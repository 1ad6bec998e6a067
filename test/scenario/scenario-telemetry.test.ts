import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scenarioSpec } from '../../lib/results/scenario-schedule';
import { writeScenarioFiles } from '../../loadtest/scenario/report';
import { runTwinScenario } from '../../loadtest/scenario/run-twin-scenario';

// `llm-bench scenario --twin`: the twin's CloudWatch, read through the real client once the load ended,
// joined to scenario.json, its samples, CSV, report and chart.
jest.setTimeout(60_000);

describe("a scenario's endpoint telemetry (CLI path, autoscaling twin)", () => {
  it('joins GPU utilization, model and overhead latency and concurrency per copy to the run and its samples', async () => {
    // A short ramp that stays under the policy's target (16 per copy): one copy serves it all.
    const spec = scenarioSpec('ramp', { from: 1, to: 8, overS: 20, holdS: 100, fallS: 0 });
    const result = await runTwinScenario({ deployment: 'llama-2-7b-p4d-ic-8x-tp1', spec, speedup: 40 });
    const server = result.server;
    expect(server?.schemaVersion).toBe(1);
    expect(server?.publication).toMatchObject({ complete: true, reads: 1 });
    expect(server?.windows).toBeUndefined();
    // Every request the client made reached the copy: CloudWatch's Invocations over the run's periods count them.
    expect(result.figures.failedByKind).toEqual({});
    expect(server?.series.reduce((sum, p) => sum + (p.invocations ?? 0), 0)).toBe(result.figures.requests);
    // ModelLatency is the container's time: never more than the client's end-to-end latency of the same
    // period. A period's mean is joined to each of its samples, and a sample early in a rising period saw
    // shorter requests than the period's mean: compare with the highest p99 of the period's samples.
    const joined = result.samples.filter((x) => x.modelLatencyMs !== undefined && x.latencyP99Ms !== undefined);
    expect(joined.length).toBeGreaterThan(0);
    const periodP99 = new Map<number, number>();
    for (const x of joined) periodP99.set(x.modelLatencyMs as number, Math.max(periodP99.get(x.modelLatencyMs as number) ?? 0, x.latencyP99Ms as number));
    for (const [modelLatencyMs, p99] of periodP99) expect(modelLatencyMs).toBeLessThanOrEqual(p99 + 1);
    expect(server?.whole.overheadLatencyMs?.mean).toBe(5);
    // One copy, at most 8 streams: concurrency per copy ≤ 8; the held load keeps the copy's GPU busy.
    const concurrency = result.samples.map((x) => x.concurrentRequestsPerCopy as number);
    expect(concurrency.every((c) => c >= 0 && c <= 8 + 1e-9)).toBe(true);
    expect(Math.max(...concurrency)).toBeGreaterThan(2);
    const held = result.samples.filter((x) => x.tS >= 60 && x.tS < 110);
    expect(held.every((x) => (x.gpuUtilizationPct as number) > 50 && (x.gpuUtilizationPct as number) <= 100)).toBe(true);
    expect(result.figures.peakCapacity).toBe(1);

    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'scenario-telemetry-'));
    const files = await writeScenarioFiles(dir, result);
    const [header, first] = (await fs.readFile(files.csv, 'utf8')).split('\n');
    const columns = (header as string).split(',');
    expect(columns.slice(-4)).toEqual(['gpuUtilizationPct', 'modelLatencyMs', 'overheadLatencyMs', 'concurrentRequestsPerCopy']);
    const row = Object.fromEntries(columns.map((c, i) => [c, (first as string).split(',')[i]]));
    expect(Number(row.gpuUtilizationPct)).toBeCloseTo(result.samples[0]?.gpuUtilizationPct as number, 2);
    const markdown = await fs.readFile(files.markdown, 'utf8');
    expect(markdown).toContain('## Endpoint telemetry (CloudWatch)');
    expect(markdown).toContain(`| whole run (0–${result.durationS.toFixed(0)} s) |`);
    const svg = await fs.readFile(files.svg, 'utf8');
    expect(svg).toContain('GPU utilization');
    expect(svg).toContain('model latency (CloudWatch)');
    expect(JSON.parse(await fs.readFile(files.json, 'utf8')).server.series.length).toBe(server?.series.length);
  });
});
