import { posix } from 'node:path';
import { summarizeFleet, fleetSweeps, type FleetDeploymentInput, type FleetReport } from '../../lib/results/fleet-summary';
import type { SweepResult } from '../../lib/results/records';
import { SCENARIO_KINDS, type ScenarioFigures } from '../../lib/results/scenario';
import { FLEET_REPORT_FILES, renderFleetReportFiles, type FleetScenarioRow } from '../report/fleet-report';
import { REPORT_FILES } from '../report/names';
import { fleetReportPrefix, lastRunKey, latestPrefix, latestScenarioKey, runPrefix, type LastRunPointer, type LatestScenarioPointer } from './layout';
import { CONTENT_TYPES, type ResultStore } from './result-store';

/** A deployment of the fleet and the run of it to show (absent: its newest run, under latest/). */
export interface FleetReportDeployment {
  readonly id: string;
  readonly runId?: string;
  /** Why the run has no results, when its execution failed before writing any. */
  readonly error?: string;
}

export interface BuildFleetReportInput {
  readonly fleet: string;
  readonly deployments: readonly FleetReportDeployment[];
  /** Offline: the run id every deployment's run shares; the report goes to fleets/{fleet}/{runId}/. Absent: latest/{fleet}/. */
  readonly runId?: string;
  readonly latencyBoundMsPerToken: number;
  readonly generatedAt: string;
}

export interface BuiltFleetReport {
  readonly report: FleetReport;
  /** Each deployment's latest scenario of each kind, when it ran one. */
  readonly scenarios: readonly FleetScenarioRow[];
  /** Store keys of the files written, by kind. */
  readonly keys: Readonly<Partial<Record<keyof typeof FLEET_REPORT_FILES, string>>>;
}

const CONTENT_TYPE_OF: Record<keyof typeof FLEET_REPORT_FILES, string> = {
  html: CONTENT_TYPES.html,
  markdown: CONTENT_TYPES.markdown,
  json: CONTENT_TYPES.json,
  svg: CONTENT_TYPES.svg,
};

/**
 * Reads each deployment's sweep.json (its run, or its newest run under latest/), puts the fleet
 * side by side and writes the fleet report's files next to one another. The same code runs offline
 * (into fleets/{fleet}/{runId}/) and in the pipeline's fleet-report step (into latest/{fleet}/).
 */
export async function buildFleetReport(store: ResultStore, input: BuildFleetReportInput): Promise<BuiltFleetReport> {
  const outPrefix = fleetReportPrefix(input.fleet, input.runId);
  const inputs: FleetDeploymentInput[] = [];
  for (const d of input.deployments) {
    // A deployment whose newest run failed is shown from that run, with its failure.
    const last = d.runId === undefined && input.runId === undefined ? await store.getJson<LastRunPointer>(lastRunKey(d.id)) : undefined;
    const runId = d.runId ?? input.runId ?? (last?.failed ? last.runId : undefined);
    const prefix = runId === undefined ? latestPrefix(d.id) : runPrefix(d.id, runId);
    const sweep = await store.getJson<SweepResult>(`${prefix}${REPORT_FILES.json}`);
    inputs.push({
      id: d.id,
      ...(sweep ? { sweep } : {}),
      ...(runId !== undefined ? { runId } : {}),
      ...(d.error !== undefined ? { error: d.error } : {}),
      ...(sweep ? { report: posix.relative(outPrefix, `${prefix}${REPORT_FILES.html}`) } : {}),
    });
  }
  const report = summarizeFleet(inputs, {
    fleet: input.fleet,
    ...(input.runId !== undefined ? { runId: input.runId } : {}),
    generatedAt: input.generatedAt,
    latencyBoundMsPerToken: input.latencyBoundMsPerToken,
  });
  const scenarios = await latestScenarios(store, input.deployments.map((d) => d.id), outPrefix);
  const files = await renderFleetReportFiles(report, fleetSweeps(inputs), scenarios);
  const keys: Partial<Record<keyof typeof FLEET_REPORT_FILES, string>> = {};
  for (const kind of Object.keys(FLEET_REPORT_FILES) as (keyof typeof FLEET_REPORT_FILES)[]) {
    const body = files[FLEET_REPORT_FILES[kind]];
    if (body === undefined) continue;
    keys[kind] = `${outPrefix}${FLEET_REPORT_FILES[kind]}`;
    await store.putText(keys[kind], body, CONTENT_TYPE_OF[kind]);
  }
  return { report, scenarios, keys };
}

/** latest/{deployment}/scenarios/{kind}.json of every deployment and kind that has one. */
async function latestScenarios(store: ResultStore, deploymentIds: readonly string[], outPrefix: string): Promise<FleetScenarioRow[]> {
  const rows: FleetScenarioRow[] = [];
  for (const deploymentId of deploymentIds) {
    for (const kind of SCENARIO_KINDS) {
      const pointer = await store.getJson<LatestScenarioPointer<ScenarioFigures>>(latestScenarioKey(deploymentId, kind));
      if (pointer === undefined) continue;
      rows.push({ deploymentId, kind, runId: pointer.runId, finishedAt: pointer.finishedAt, figures: pointer.figures, report: posix.relative(outPrefix, pointer.report) });
    }
  }
  return rows;
}
