import type { BenchmarkSchedule, ScheduledScenario } from '../benchmark/pipeline-state';
import { UserInputError } from '../errors';
import type { ScenarioKind } from '../results/scenario';
import { defaultScenarioTo, scenarioSpec } from '../results/scenario-schedule';
import type { FleetIssue } from './errors';
import type { ScenarioEntryConfig } from './schema';
import type { ResolvedAutoscaling } from './types';

/** Parameters an entry may carry besides `kind` and `schedule` (a sweep's come from the benchmark block). */
const SCENARIO_PARAMETERS = ['load', 'from', 'to', 'arrival', 'burstiness', 'seed', 'overS', 'holdS', 'fallS', 'idleS', 'sampleS', 'sloP99LatencyMs', 'retryBackoffS'] as const;

export interface ResolvedScenarios {
  /** The sweep's schedule: the `sweep` entry's own, else the benchmark block's; off when the list leaves the sweep out. */
  readonly sweepSchedule: BenchmarkSchedule;
  readonly scenarios: ScheduledScenario[];
}

/** Why `kind` cannot run on a deployment with this autoscaling, or undefined. */
function autoscalingProblem(kind: ScenarioKind, autoscaling: ResolvedAutoscaling | undefined): string | undefined {
  if (autoscaling === undefined) {
    return `${kind} measures autoscaling, which stays enabled while it runs; this deployment has no autoscaling block (add autoscaling, or list only sweep)`;
  }
  if (kind === 'scale-from-zero' && (autoscaling.kind !== 'copies' || autoscaling.minCopies !== 0)) {
    const min = autoscaling.kind === 'copies' ? `MinCapacity ${autoscaling.minCopies} copies` : 'instance autoscaling (a variant cannot scale to zero)';
    return `scale-from-zero needs an inference component whose autoscaling allows MinCapacity 0 (autoscaling.scaleToZero: true); this deployment has ${min}`;
  }
  return undefined;
}

/**
 * `benchmark.scenarios` of one deployment → the sweep's schedule and the resolved scenarios. Each
 * entry is a kind or `{ kind, ...parameters, schedule }`; a kind appears once; ramp and spike need
 * autoscaling, scale-from-zero a component that may scale to MinCapacity 0. A scenario without `to`
 * gets half the maximum capacity (at least 2) at the policy's concurrency target. Scenario
 * schedules default to off. Problems go to `issues` with the entry's path.
 */
export function resolveScenarios(
  entries: readonly ScenarioEntryConfig[] | undefined,
  ctx: { readonly path: string; readonly autoscaling: ResolvedAutoscaling | undefined; readonly benchmarkSchedule: BenchmarkSchedule },
  issues: FleetIssue[],
): ResolvedScenarios {
  if (entries === undefined) return { sweepSchedule: ctx.benchmarkSchedule, scenarios: [] };
  let sweepSchedule: BenchmarkSchedule = 'off';
  const scenarios: ScheduledScenario[] = [];
  const seen = new Map<string, number>();
  entries.forEach((entry, j) => {
    const at = `${ctx.path}[${j}]`;
    const config = typeof entry === 'string' ? { kind: entry } : entry;
    const earlier = seen.get(config.kind);
    if (earlier !== undefined) {
      issues.push({ path: `${at}.kind`, message: `'${config.kind}' is listed twice (also [${earlier}]); each kind runs once per deployment` });
      return;
    }
    seen.set(config.kind, j);
    if (config.kind === 'sweep') {
      const given = SCENARIO_PARAMETERS.filter((field) => (config as Record<string, unknown>)[field] !== undefined);
      if (given.length > 0) {
        issues.push({ path: `${at}.${given[0]}`, message: `a sweep entry takes only schedule; the sweep's parameters are the benchmark block's (concurrency, durationS, …)` });
      }
      sweepSchedule = 'schedule' in config && config.schedule !== undefined ? config.schedule : ctx.benchmarkSchedule;
      return;
    }
    const kind = config.kind;
    const problem = autoscalingProblem(kind, ctx.autoscaling);
    if (problem !== undefined) {
      issues.push({ path: `${at}.kind`, message: problem });
      return;
    }
    const autoscaling = ctx.autoscaling as ResolvedAutoscaling;
    const { schedule, kind: _kind, ...parameters } = config as Exclude<ScenarioEntryConfig, string>;
    const maxCapacity = autoscaling.kind === 'copies' ? autoscaling.maxCopies : autoscaling.maxInstances;
    if (parameters.load === 'rate' && parameters.to === undefined) {
      issues.push({ path: `${at}.to`, message: 'a rate load needs `to` (requests/s at the top): no rate follows from the policy target alone' });
      return;
    }
    const to = parameters.to ?? defaultScenarioTo(kind, { maxCapacity, ...(autoscaling.metric === 'concurrent-requests' ? { concurrencyPerCopy: autoscaling.targetValue } : {}) });
    try {
      scenarios.push({ spec: scenarioSpec(kind, { ...parameters, to }), schedule: schedule ?? 'off' });
    } catch (error) {
      if (!(error instanceof UserInputError)) throw error;
      issues.push({ path: `${at}.${error.field}`, message: error.message.slice(error.field.length + 2) });
    }
  });
  return { sweepSchedule, scenarios };
}
