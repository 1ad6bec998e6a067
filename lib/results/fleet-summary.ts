import { recommend, type Recommendation } from './recommend';
import type { CostAtSlo, Knee, MaxGoodput, SweepResult } from './records';
import { formatStopReason } from './stop-reason';

export const FLEET_REPORT_VERSION = 1 as const;

/**
 * How a deployment's latest run ended: every level it planned (`completed`), a stop rule ended it
 * before the last planned level (`stopped-early`: normal for a sweep that reached its limit), a
 * step failed (`failed`, the report is partial), or there is no run to show (`missing`).
 */
export type FleetDeploymentStatus = 'completed' | 'stopped-early' | 'failed' | 'missing';

/** Stop reasons that mean "every planned level was measured". */
/** One deployment's row of the fleet report. */
export interface FleetDeploymentSummary {
  readonly id: string;
  readonly status: FleetDeploymentStatus;
  /** Stop rule and detail, or the failure, or why there is no run. */
  readonly reason?: string;
  readonly runId?: string;
  /** Link to the deployment's own report, relative to the fleet report's folder. */
  readonly report?: string;
  readonly model?: string;
  readonly instanceType?: string;
  readonly tp?: number;
  readonly copies?: number;
  readonly instances?: number;
  readonly hourlyUsd?: number;
  readonly maxThroughput?: { readonly concurrency: number; readonly tokensPerS: number };
  readonly minLatency?: { readonly concurrency: number; readonly msPerToken: number };
  readonly knee?: Knee;
  readonly maxFeasibleConcurrency?: number;
  /** Cost per 1M output tokens at max throughput, USD. */
  readonly usdPerMillionTokens?: number;
  /** Highest goodput (tokens/s of requests meeting every SLO), when the levels were judged on SLOs. */
  readonly maxGoodput?: MaxGoodput;
  /** Cheapest $ per 1M goodput tokens among levels meeting the SLO attainment target. */
  readonly minCostAtSlo?: CostAtSlo;
  readonly levels: number;
}

/** The fleet report: every deployment side by side and the recommendations across them. */
export interface FleetReport {
  readonly schemaVersion: typeof FLEET_REPORT_VERSION;
  readonly fleet: string;
  /** Run id shared by the deployments' runs (offline), or absent when built from each one's latest run. */
  readonly runId?: string;
  readonly generatedAt: string;
  readonly latencyBoundMsPerToken: number;
  readonly deployments: readonly FleetDeploymentSummary[];
  /** Winners across the fleet, per goal; labels are deployment ids. */
  readonly recommendations: readonly Recommendation[];
}

/** A deployment's input to the fleet report: its sweep, if any run left one. */
export interface FleetDeploymentInput {
  readonly id: string;
  readonly sweep?: SweepResult;
  readonly runId?: string;
  readonly report?: string;
  /** Why there is no sweep (e.g. the execution failed before writing one). */
  readonly error?: string;
}

export interface SummarizeFleetOptions {
  readonly fleet: string;
  readonly runId?: string;
  readonly generatedAt: string;
  /** Latency bound, p50 ms per output token, for the 'best under the bound' goal. */
  readonly latencyBoundMsPerToken: number;
  /** SLO attainment a level must reach for the '$ per 1M tokens at SLO' goal. @default 0.9 */
  readonly minSloAttainment?: number;
}

function statusOf(input: FleetDeploymentInput): { status: FleetDeploymentStatus; reason?: string } {
  const { sweep } = input;
  if (sweep === undefined) return { status: 'missing', reason: input.error ?? 'no run has written results yet' };
  if (sweep.failure) return { status: 'failed', reason: `${sweep.failure.step}: ${sweep.failure.message}` };
  if (input.error !== undefined) return { status: 'failed', reason: input.error };
  // Running out of levels (every listed one, or the highest allowed one, measured) is completion.
  if (sweep.stopReason === undefined || sweep.stopReason.rule === 'completed') return { status: 'completed' };
  return { status: 'stopped-early', reason: formatStopReason(sweep.stopReason) };
}

function summarizeDeployment(input: FleetDeploymentInput): FleetDeploymentSummary {
  const { sweep } = input;
  const d = sweep?.deployment;
  const { status, reason } = statusOf(input);
  const copy = <T>(key: string, value: T | undefined): Record<string, T> => (value === undefined ? {} : { [key]: value });
  return {
    id: input.id,
    status,
    ...copy('reason', reason),
    ...copy('runId', input.runId),
    ...copy('report', input.report),
    ...copy('model', d?.model),
    ...copy('instanceType', d?.instanceType),
    ...copy('tp', d?.tp),
    ...copy('copies', d?.copies),
    ...copy('instances', d?.instances),
    ...copy('hourlyUsd', sweep?.cost?.hourlyUsd ?? d?.hourlyUsd),
    ...copy('maxThroughput', sweep?.maxThroughput),
    ...copy('minLatency', sweep?.minLatency),
    ...copy('knee', sweep?.knee),
    ...copy('maxFeasibleConcurrency', sweep?.maxFeasibleConcurrency),
    ...copy('usdPerMillionTokens', sweep?.cost?.usdPerMillionTokensAtMaxThroughput),
    ...copy('maxGoodput', sweep?.maxGoodput),
    ...copy('minCostAtSlo', sweep?.minCostAtSlo),
    levels: sweep?.levels.length ?? 0,
  };
}

/**
 * Puts the deployments of a fleet side by side. Recommendations come from the same `recommend`
 * each deployment's own report uses, over every deployment with measured levels, so a fleet
 * winner's figure is the best of the deployments' own figures for that goal.
 */
export function summarizeFleet(inputs: readonly FleetDeploymentInput[], opts: SummarizeFleetOptions): FleetReport {
  const sweeps = fleetSweeps(inputs);
  return {
    schemaVersion: FLEET_REPORT_VERSION,
    fleet: opts.fleet,
    ...(opts.runId !== undefined ? { runId: opts.runId } : {}),
    generatedAt: opts.generatedAt,
    latencyBoundMsPerToken: opts.latencyBoundMsPerToken,
    deployments: inputs.map(summarizeDeployment),
    recommendations: recommend(sweeps, {
      latencyBoundMsPerToken: opts.latencyBoundMsPerToken,
      ...(opts.minSloAttainment !== undefined ? { minSloAttainment: opts.minSloAttainment } : {}),
    }),
  };
}

/** The sweeps a fleet report charts and tabulates, labelled by deployment id. */
export function fleetSweeps(inputs: readonly FleetDeploymentInput[]): SweepResult[] {
  return inputs.flatMap((i) => (i.sweep && i.sweep.levels.length > 0 ? [{ ...i.sweep, label: i.id }] : []));
}

/** The one latency bound of a fleet's recommendations: the strictest any deployment asks for. */
export function fleetLatencyBound(deployments: readonly { readonly benchmark: { readonly latencyBoundMsPerToken: number } }[]): number {
  return Math.min(...deployments.map((d) => d.benchmark.latencyBoundMsPerToken));
}
