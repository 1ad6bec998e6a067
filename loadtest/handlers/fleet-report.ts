import type { FleetReportEvent, FleetReportResult } from '../../lib/benchmark/pipeline-state';
import { buildFleetReport, type FleetReportDeployment } from '../pipeline/fleet-report';
import { lastRunKey, type LastRunPointer } from '../pipeline/layout';
import { defaultCommonDeps, type CommonDeps } from './deps';

/** Rebuilds at most this many times when another deployment's run lands while the report is built. */
const MAX_REBUILDS = 3;

/**
 * The fleet report after a deployment's run, into latest/{fleet}/: every deployment's newest run
 * (latest/{deployment}/, or the run folder its last-run.json names when that run failed, so the
 * failure shows with its reason). Best effort: the state machine catches
 * its failure, so a sweep never fails because the fleet report could not be rebuilt.
 */
export function createFleetReportHandler(deps: CommonDeps) {
  const stamp = async (ids: readonly string[]): Promise<string> =>
    JSON.stringify(await Promise.all(ids.map(async (id) => (await deps.store.getJson<LastRunPointer>(lastRunKey(id)))?.finishedAt ?? null)));

  return async (event: FleetReportEvent): Promise<FleetReportResult> => {
    const deployments: FleetReportDeployment[] = event.deployments.map((id) => ({ id }));
    // Another deployment's run may land while this one reads: rebuild until nothing moved meanwhile.
    for (let attempt = 1; ; attempt++) {
      const before = await stamp(event.deployments);
      const built = await buildFleetReport(deps.store, {
        fleet: event.fleet,
        deployments,
        latencyBoundMsPerToken: event.latencyBoundMsPerToken,
        generatedAt: deps.now().toISOString(),
      });
      if ((await stamp(event.deployments)) === before || attempt >= MAX_REBUILDS) {
        deps.logger.info('fleet report written', { fleet: event.fleet, keys: built.keys, attempts: attempt });
        return {
          fleet: event.fleet,
          files: built.keys,
          deployments: built.report.deployments.map((d) => ({ id: d.id, status: d.status, ...(d.reason !== undefined ? { reason: d.reason } : {}) })),
        };
      }
    }
  };
}

let cached: ReturnType<typeof createFleetReportHandler> | undefined;
export const handler = (event: FleetReportEvent): Promise<FleetReportResult> =>
  (cached ??= createFleetReportHandler(defaultCommonDeps('llm-bench-fleet-report')))(event);
