/**
 * Key layout of the results store:
 *   runs/{deployment}/{runId}/run.json                 the run's settings and start time
 *   runs/{deployment}/{runId}/levels/c-{N}.json         LevelResult of a merged level
 *   runs/{deployment}/{runId}/records/c-{N}-w{W}.jsonl.gz  raw RequestRecords of worker W
 *   runs/{deployment}/{runId}/{sweep.json,report.md,report.html,curve.svg,sweep.csv}
 *   latest/{deployment}/...                             copy of the newest run's report files
 */

/**
 * A run id is one key segment: the characters of a Step Functions execution name that are safe in
 * S3 keys and file names (no '/', '..' or spaces), 1-80 long.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html (name: 1-80 characters)
 */
export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/;

/** Problem with `runId` as a run id, or undefined when it is valid. */
export function runIdProblem(runId: string): string | undefined {
  return RUN_ID_PATTERN.test(runId) ? undefined : `'${runId}' is not a valid run id: use 1-80 letters, digits, '-' or '_', starting with a letter or digit`;
}

export function runPrefix(deploymentId: string, runId: string): string {
  // Every key of a run goes through here: an unsafe id could otherwise write outside runs/.
  const problem = runIdProblem(runId);
  if (problem) throw new Error(`runId: ${problem}`);
  return `runs/${deploymentId}/${runId}/`;
}

export function runManifestKey(deploymentId: string, runId: string): string {
  return `${runPrefix(deploymentId, runId)}run.json`;
}

export function levelKey(deploymentId: string, runId: string, concurrency: number): string {
  return `${runPrefix(deploymentId, runId)}levels/c-${concurrency}.json`;
}

export function levelsPrefix(deploymentId: string, runId: string): string {
  return `${runPrefix(deploymentId, runId)}levels/`;
}

export function recordsKey(deploymentId: string, runId: string, concurrency: number, worker: number): string {
  return `${runPrefix(deploymentId, runId)}records/c-${concurrency}-w${worker}.jsonl.gz`;
}

/** Prefix of every worker's records of one level (`c-4-` does not match `c-48-`). */
export function levelRecordsPrefix(deploymentId: string, runId: string, concurrency: number): string {
  return `${runPrefix(deploymentId, runId)}records/c-${concurrency}-w`;
}

export function latestPrefix(deploymentId: string): string {
  return `latest/${deploymentId}/`;
}

export const REPORT_FILES = {
  json: 'sweep.json',
  markdown: 'report.md',
  html: 'report.html',
  svg: 'curve.svg',
  csv: 'sweep.csv',
} as const;

export type ReportFileKind = keyof typeof REPORT_FILES;

/** Concurrency of a level file key, or undefined for other keys. */
export function concurrencyOfLevelKey(key: string): number | undefined {
  const match = /\/levels\/c-(\d+)\.json$/.exec(key);
  return match ? Number(match[1]) : undefined;
}

/** Folder of a fleet report: one offline run of the whole fleet, or the fleet's newest runs in AWS. */
export function fleetReportPrefix(fleet: string, runId?: string): string {
  if (runId === undefined) return `latest/${fleet}/`;
  const problem = runIdProblem(runId);
  if (problem) throw new Error(`runId: ${problem}`);
  return `fleets/${fleet}/${runId}/`;
}
