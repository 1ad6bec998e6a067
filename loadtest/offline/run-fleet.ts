import * as path from 'node:path';
import { UserInputError } from '../../lib/errors';
import type { ResolvedFleet } from '../../lib/fleet/types';
import { fleetLatencyBound, type FleetReport } from '../../lib/results/fleet-summary';
import { buildFleetReport } from '../pipeline/fleet-report';
import { runIdProblem } from '../pipeline/layout';
import { LocalFolderStore } from '../pipeline/local-store';
import type { FLEET_REPORT_FILES } from '../report/fleet-report';
import { defaultRunId, runOffline, type OfflineOptions, type OfflineProgress, type OfflineResult } from './run-offline';
import { synthesizeFleet } from './synth';

/** Progress of one deployment of a fleet run, or of the fleet as a whole. */
export type FleetProgress =
  | { readonly kind: 'fleet'; readonly fleet: string; readonly deployments: readonly string[]; readonly runId: string; readonly outDir: string; readonly synthMs: number }
  | { readonly kind: 'deployment'; readonly deploymentId: string; readonly event: OfflineProgress }
  | { readonly kind: 'deployment-error'; readonly deploymentId: string; readonly message: string };

export interface FleetOfflineOptions extends Omit<OfflineOptions, 'deployment' | 'onProgress' | 'endpointUrl' | 'endpointName' | 'inferenceComponentName'> {
  /** Deployments to run, in the fleet's order. @default every deployment of the fleet */
  readonly deployments?: readonly string[];
  /** Deployments measured at once. @default all of them */
  readonly parallel?: number;
  readonly onProgress?: (event: FleetProgress) => void;
}

export interface FleetOfflineResult {
  readonly fleet: string;
  readonly runId: string;
  readonly results: readonly OfflineResult[];
  readonly report: FleetReport;
  /** Absolute paths of the fleet report's files. */
  readonly files: Readonly<Partial<Record<keyof typeof FLEET_REPORT_FILES, string>>>;
  /** True when every deployment's run succeeded. */
  readonly succeeded: boolean;
  readonly durationMs: number;
}

function pickDeployments(fleet: ResolvedFleet, ids: readonly string[] | undefined): string[] {
  const all = fleet.deployments.map((d) => d.id);
  if (ids === undefined) return all;
  const unknown = ids.filter((id) => !all.includes(id));
  if (unknown.length > 0) throw new UserInputError('deployment', `unknown deployment '${unknown.join("', '")}'; the fleet has: ${all.join(', ')}`);
  return all.filter((id) => ids.includes(id));
}

/** Runs `tasks` with at most `limit` in flight, keeping their order in the result. */
async function inParallel<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, lane));
  return results;
}

/**
 * The whole fleet, offline: one synth, then every deployment's run of the synthesized state machine
 * against its own local endpoint twin (concurrently), then the fleet report over all of them in
 * `{outDir}/fleets/{fleet}/{runId}/`. A deployment that fails is shown in the report with its reason;
 * the others still complete.
 */
export async function runFleetOffline(opts: FleetOfflineOptions = {}): Promise<FleetOfflineResult> {
  const started = Date.now();
  const progress = opts.onProgress ?? (() => undefined);
  const runId = opts.runId ?? defaultRunId(new Date());
  const runIdError = runIdProblem(runId);
  if (runIdError) throw new UserInputError('runId', runIdError);
  const synthesized = opts.synthesized ?? synthesizeFleet({ fleetPath: opts.fleetPath, region: opts.region });
  const fleet = synthesized.fleet;
  const ids = pickDeployments(fleet, opts.deployments);
  const outDir = path.resolve(opts.outDir ?? 'bench-results');
  progress({ kind: 'fleet', fleet: fleet.name, deployments: ids, runId, outDir, synthMs: synthesized.durationMs });

  const tasks = ids.map((id) => async (): Promise<OfflineResult | { deploymentId: string; error: string }> => {
    try {
      return await runOffline({
        ...opts,
        synthesized,
        deployment: id,
        runId,
        outDir,
        onProgress: (event) => progress({ kind: 'deployment', deploymentId: id, event }),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      progress({ kind: 'deployment-error', deploymentId: id, message });
      return { deploymentId: id, error: message };
    }
  });
  const outcomes = await inParallel(tasks, opts.parallel ?? ids.length);

  const store = new LocalFolderStore(outDir);
  const built = await buildFleetReport(store, {
    fleet: fleet.name,
    runId,
    deployments: outcomes.map((o) => ({
      id: o.deploymentId,
      ...('succeeded' in o ? (o.succeeded ? {} : { error: o.error ?? 'the run failed' }) : { error: o.error }),
    })),
    latencyBoundMsPerToken: fleetLatencyBound(fleet.deployments.filter((d) => ids.includes(d.id))),
    generatedAt: new Date().toISOString(),
  });
  const files = Object.fromEntries(Object.entries(built.keys).map(([kind, key]) => [kind, store.locate(key)]));
  const results = outcomes.filter((o): o is OfflineResult => 'succeeded' in o);
  return {
    fleet: fleet.name,
    runId,
    results,
    report: built.report,
    files,
    succeeded: results.length === ids.length && results.every((r) => r.succeeded),
    durationMs: Date.now() - started,
  };
}
