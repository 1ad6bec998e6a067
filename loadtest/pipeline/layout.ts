/**
 * Key layout of a run, the same in a CLI sweep folder (`--out`, run prefix '') and in the
 * pipeline's results store (run prefix `runs/{deployment}/{runId}/`):
 *   {run}run.json                        the run's manifest: identity (hashed) and start time
 *   {run}run.lock                        owner of the run while it runs (pid, host or execution)
 *   {run}levels/c-{N}.json               LevelResult of a measured (merged) level
 *   {run}records/c-{N}-w{W}.jsonl[.gz]   raw RequestRecords of worker W (the CLI is worker 0)
 *   {run}records/c-{N}-w{W}-r{R}.jsonl.gz pipeline: worker W's records of repeat R ≥ 1 of a repeated level
 *   {run}workers/c-{N}-w{W}[-r{R}].json  pipeline: what worker W measured beside its records (client verdict, peak in flight)
 *   {run}records/c-{N}-w{W}.interrupted-{ms}.jsonl[.gz]  records of a level cut short (not kept)
 *   {run}{sweep.json,report.md,report.html,curve.svg,sweep.csv}  (report/names.ts)
 *   latest/{deployment}/...              pipeline: copy of the newest complete run's report files
 */

/** Files of a run besides its levels, records and report. */
export const RUN_FILES = {
  manifest: 'run.json',
  lock: 'run.lock',
} as const;

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

/** Prefix of a pipeline run in the results store. */
export function runPrefix(deploymentId: string, runId: string): string {
  // Every key of a run goes through here: an unsafe id could otherwise write outside runs/.
  const problem = runIdProblem(runId);
  if (problem) throw new Error(`runId: ${problem}`);
  return `runs/${deploymentId}/${runId}/`;
}

/** Keys of one run under its prefix ('' for a CLI sweep folder). */
export interface RunKeys {
  readonly prefix: string;
  readonly manifest: string;
  readonly lock: string;
  readonly levelsPrefix: string;
  readonly recordsPrefix: string;
  level(concurrency: number): string;
  /** Records of worker W; a repeat R ≥ 1 of the level gets its own file (`-r{R}`). */
  records(concurrency: number, worker: number, gzip: boolean, repeat?: number): string;
  /** What a pipeline worker measured beside its records (WorkerRunFile). */
  workerRun(concurrency: number, worker: number, repeat?: number): string;
  readonly workerRunsPrefix: string;
  /** Records of a level cut short: kept for inspection, never read as the level's records. */
  interruptedRecords(concurrency: number, worker: number, gzip: boolean, atEpochMs: number): string;
  /** Prefix of every worker's records of one level (`c-4-` does not match `c-48-`). */
  levelRecordsPrefix(concurrency: number): string;
  /** Key of a file at the run's top level (report files). */
  file(name: string): string;
}

const repeatSuffix = (repeat: number | undefined): string => (repeat !== undefined && repeat > 0 ? `-r${repeat}` : '');

export function runKeys(prefix: string): RunKeys {
  return {
    prefix,
    manifest: `${prefix}${RUN_FILES.manifest}`,
    lock: `${prefix}${RUN_FILES.lock}`,
    levelsPrefix: `${prefix}levels/`,
    recordsPrefix: `${prefix}records/`,
    level: (concurrency) => `${prefix}levels/c-${concurrency}.json`,
    records: (concurrency, worker, gzip, repeat) => `${prefix}records/c-${concurrency}-w${worker}${repeatSuffix(repeat)}.jsonl${gzip ? '.gz' : ''}`,
    workerRun: (concurrency, worker, repeat) => `${prefix}workers/c-${concurrency}-w${worker}${repeatSuffix(repeat)}.json`,
    workerRunsPrefix: `${prefix}workers/`,
    interruptedRecords: (concurrency, worker, gzip, atEpochMs) =>
      `${prefix}records/c-${concurrency}-w${worker}.interrupted-${atEpochMs}.jsonl${gzip ? '.gz' : ''}`,
    levelRecordsPrefix: (concurrency) => `${prefix}records/c-${concurrency}-w`,
    file: (name) => `${prefix}${name}`,
  };
}

/** Keys of a pipeline run. */
export function pipelineRunKeys(deploymentId: string, runId: string): RunKeys {
  return runKeys(runPrefix(deploymentId, runId));
}

export function runManifestKey(deploymentId: string, runId: string): string {
  return pipelineRunKeys(deploymentId, runId).manifest;
}

export function levelKey(deploymentId: string, runId: string, concurrency: number): string {
  return pipelineRunKeys(deploymentId, runId).level(concurrency);
}

export function levelsPrefix(deploymentId: string, runId: string): string {
  return pipelineRunKeys(deploymentId, runId).levelsPrefix;
}

/** Raw records of pipeline worker W, of repeat R when the level is repeated (always gzip: they travel through S3). */
export function recordsKey(deploymentId: string, runId: string, concurrency: number, worker: number, repeat?: number): string {
  return pipelineRunKeys(deploymentId, runId).records(concurrency, worker, true, repeat);
}

export function levelRecordsPrefix(deploymentId: string, runId: string, concurrency: number): string {
  return pipelineRunKeys(deploymentId, runId).levelRecordsPrefix(concurrency);
}

export function latestPrefix(deploymentId: string): string {
  return `latest/${deploymentId}/`;
}

/** Concurrency of a level file key, or undefined for other keys. */
export function concurrencyOfLevelKey(key: string): number | undefined {
  const match = /(?:^|\/)levels\/c-(\d+)\.json$/.exec(key);
  return match ? Number(match[1]) : undefined;
}

export const LAST_RUN_VERSION = 1 as const;

/** Where a deployment's newest run is, complete or failed (latest/{deployment}/last-run.json). */
export interface LastRunPointer {
  readonly schemaVersion: typeof LAST_RUN_VERSION;
  readonly runId: string;
  readonly finishedAt: string;
  /** True when the run ended on a failure (latest/{deployment}/ then still holds the last good run). */
  readonly failed: boolean;
}

export function lastRunKey(deploymentId: string): string {
  return `${latestPrefix(deploymentId)}last-run.json`;
}

/** Folder of a fleet report: one offline run of the whole fleet, or the fleet's newest runs in AWS. */
export function fleetReportPrefix(fleet: string, runId?: string): string {
  if (runId === undefined) return `latest/${fleet}/`;
  const problem = runIdProblem(runId);
  if (problem) throw new Error(`runId: ${problem}`);
  return `fleets/${fleet}/${runId}/`;
}

/** Level, worker and repeat (0 when absent) of a kept records key, or undefined for other keys (interrupted records included). */
export function parseRecordsKey(key: string): { readonly concurrency: number; readonly worker: number; readonly repeat: number } | undefined {
  const match = /(?:^|\/)records\/c-(\d+)-w(\d+)(?:-r(\d+))?\.jsonl(?:\.gz)?$/.exec(key);
  return match ? { concurrency: Number(match[1]), worker: Number(match[2]), repeat: match[3] !== undefined ? Number(match[3]) : 0 } : undefined;
}

/**
 * Keys of a scenario run (the pipeline's scenario path), beside the sweep runs:
 *   scenarios/{deployment}/{runId}/records/window-{K}-w{W}.jsonl.gz  raw RequestRecords of worker W in window K
 *   scenarios/{deployment}/{runId}/readings/window-{K}.json          capacity readings of window K's sampler
 *   scenarios/{deployment}/{runId}/handoff/window-{K}-s{I}.json      stream I of window K is done (window K+1's stream I starts)
 *   scenarios/{deployment}/{runId}/{scenario.json,scenario.md,scenario.html,scenario.svg,scenario-series.csv}
 *   latest/{deployment}/scenarios/{kind}.json                         pointer to the newest run of each kind, with its figures
 */
export interface ScenarioKeys {
  readonly prefix: string;
  readonly recordsPrefix: string;
  readonly readingsPrefix: string;
  records(window: number, worker: number): string;
  /** Written when stream `stream` of window K has sent its last request and it finished (the next window's stream waits for it). */
  handoff(window: number, stream: number): string;
  /** Prefix of every stream's hand-off marker of window K. */
  handoffPrefix(window: number): string;
  readings(window: number): string;
  /** Key of a file at the scenario run's top level (scenario.json and its report). */
  file(name: string): string;
}

export function scenarioKeys(deploymentId: string, runId: string): ScenarioKeys {
  const problem = runIdProblem(runId);
  if (problem) throw new Error(`runId: ${problem}`);
  const prefix = `scenarios/${deploymentId}/${runId}/`;
  return {
    prefix,
    recordsPrefix: `${prefix}records/`,
    readingsPrefix: `${prefix}readings/`,
    records: (window, worker) => `${prefix}records/window-${window}-w${worker}.jsonl.gz`,
    handoff: (window, stream) => `${prefix}handoff/window-${window}-s${stream}.json`,
    handoffPrefix: (window) => `${prefix}handoff/window-${window}-s`,
    readings: (window) => `${prefix}readings/window-${window}.json`,
    file: (name) => `${prefix}${name}`,
  };
}

export const LATEST_SCENARIO_VERSION = 1 as const;

/** The newest scenario run of one kind on a deployment (latest/{deployment}/scenarios/{kind}.json). */
export interface LatestScenarioPointer<Figures = unknown> {
  readonly schemaVersion: typeof LATEST_SCENARIO_VERSION;
  readonly kind: string;
  readonly runId: string;
  readonly finishedAt: string;
  /** Store key of the run's scenario.html. */
  readonly report: string;
  readonly figures: Figures;
}

export function latestScenarioKey(deploymentId: string, kind: string): string {
  return `${latestPrefix(deploymentId)}scenarios/${kind}.json`;
}
