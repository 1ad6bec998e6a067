import { recommend } from '../../lib/results/recommend';
import { summarizeFleet, type FleetDeploymentInput } from '../../lib/results/fleet-summary';
import type { SweepResult } from '../../lib/results/records';
import { summarizeSweep } from '../../lib/results/summarize-sweep';
import { level } from './fixtures';

function sweep(label: string, hourlyUsd: number, points: readonly [number, number, number][], extra: Partial<SweepResult> = {}): SweepResult {
  return {
    ...summarizeSweep({
      label,
      target: { kind: 'sagemaker', address: label },
      payload: { inputTokens: 256, outputTokens: 256 },
      deployment: { id: label, instanceType: 'ml.g5.2xlarge', hourlyUsd, instances: 1, tp: 1, copies: 1 },
      levels: points.map(([c, tokensPerS, msPerToken]) => level(c, tokensPerS, msPerToken)),
      startedAt: '2026-11-30T00:00:00.000Z',
      stopReason: { rule: 'completed', detail: 'every listed level measured' },
    }),
    ...extra,
  };
}

// Three deployments whose winners differ by goal: cheap-slow, fast-dear, balanced.
const cheap = sweep('cheap', 1.5, [[1, 30, 33], [8, 200, 40], [32, 450, 71], [64, 480, 136]]);
const fast = sweep('fast', 37.7, [[1, 45, 21], [8, 330, 24], [32, 1200, 27], [128, 3000, 43]]);
const balanced = sweep('balanced', 7.1, [[1, 55, 17], [8, 400, 20], [32, 900, 35], [128, 970, 125]], { stopReason: { rule: 'plateau', detail: 'throughput rose 7.8 % when concurrency doubled' } });
const inputs: FleetDeploymentInput[] = [
  { id: 'cheap', sweep: cheap, report: '../../../runs/cheap/r/report.html' },
  { id: 'fast', sweep: fast },
  { id: 'balanced', sweep: balanced },
  { id: 'broken', sweep: { ...sweep('broken', 20, [[1, 20, 50]]), failure: { step: 'RunLevel', message: 'injected worker crash' } } },
  { id: 'never-ran', error: 'DescribeEndpoint: endpoint Failed' },
];
const report = summarizeFleet(inputs, { fleet: 'study', generatedAt: '2026-11-30T00:00:00.000Z', latencyBoundMsPerToken: 100 });

describe('summarizeFleet', () => {
  it('puts each deployment side by side with its status and reason', () => {
    expect(report.schemaVersion).toBe(1);
    expect(report.deployments.map((d) => [d.id, d.status, d.reason])).toEqual([
      ['cheap', 'completed', undefined],
      ['fast', 'completed', undefined],
      ['balanced', 'stopped-early', 'plateau: throughput rose 7.8 % when concurrency doubled'],
      ['broken', 'failed', 'RunLevel: injected worker crash'],
      ['never-ran', 'missing', 'DescribeEndpoint: endpoint Failed'],
    ]);
    const f = report.deployments[1];
    expect(f.maxThroughput).toEqual({ concurrency: 128, tokensPerS: 3000 });
    expect(f.knee?.concurrency).toBe(128);
    expect(f.maxFeasibleConcurrency).toBe(128);
    // 37.7 USD/h × 10^6 / (3000 tokens/s × 3600 s/h)
    expect(f.usdPerMillionTokens).toBeCloseTo((37.7 * 1e6) / (3000 * 3600), 10);
    expect(report.deployments[0].report).toBe('../../../runs/cheap/r/report.html');
  });

  it("recommends what the deployments' own reports say, the best of them per goal", () => {
    const own = inputs.filter((i) => i.sweep).map((i) => recommend([i.sweep as SweepResult], { latencyBoundMsPerToken: 100 }));
    const lowerIsBetter = new Set(['min-latency', 'min-cost-per-million', 'min-hourly-cost']);
    expect(report.recommendations.map((r) => r.goal)).toEqual(['min-latency', 'max-throughput', 'min-cost-per-million', 'best-under-latency-bound', 'min-hourly-cost']);
    for (const fleetPick of report.recommendations) {
      const candidates = own.flatMap((recs) => recs.filter((r) => r.goal === fleetPick.goal));
      const values = candidates.map((r) => r.value);
      const best = lowerIsBetter.has(fleetPick.goal) ? Math.min(...values) : Math.max(...values);
      expect(fleetPick.value).toBe(best);
      const winner = candidates.find((r) => r.value === best);
      expect([fleetPick.label, fleetPick.concurrency]).toEqual([winner?.label, winner?.concurrency]);
    }
    const byGoal = Object.fromEntries(report.recommendations.map((r) => [r.goal, r.label]));
    expect(byGoal).toEqual({
      'min-latency': 'balanced',
      'max-throughput': 'fast',
      'min-cost-per-million': 'cheap',
      'best-under-latency-bound': 'fast',
      'min-hourly-cost': 'cheap',
    });
  });
});
