/**
 * Key layout of the results store:
 *   runs/{deployment}/{runId}/run.json                 the run's settings and start time
 *   runs/{deployment}/{runId}/levels/c-{N}.json         LevelResult of a merged level
 *   runs/{deployment}/{runId}/records/c-{N}-w{W}.jsonl.gz  raw RequestRecords of worker W
 *   runs/{deployment}/{runId}/{sweep.json,report.md,report.html,curve.svg,sweep.csv}
 *   latest/{deployment}/...                             copy of the newest run's report files
 */

export function runPrefix(deploymentId: string, runId: string): string {
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
