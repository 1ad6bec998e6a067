import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { LevelResult, OpenLoopLoad, RequestRecord, SweepResult } from '../../lib/results/records';
import { summarizeLevel } from '../../lib/results/summarize-level';
import { poolLevelRuns } from '../../lib/results/pool-runs';
import { readJsonl } from '../records/jsonl';
import { REPORT_FILE_KINDS, REPORT_FILES } from '../report/names';
import { renderReportFiles } from '../report/report-files';
import { parseRecordsKey, RUN_FILES } from './layout';
import { isWorkerRunFile, type WorkerRunFile } from './worker-run';

/**
 * Consistency of a finished run folder (a CLI `--out` folder or a pipeline run's folder), as the
 * crash test checks it after killing and resuming runs:
 *   - every JSON file parses and no lock is left;
 *   - sweep.json lists each level once (the expected levels when given), each with its level file;
 *   - each level's kept records (warm-up excluded) number its `requests`, no record is kept twice,
 *     each worker's requests are numbered without a gap, and a single records file holds the
 *     records of one process;
 *   - each level file equals summarizeLevel of its kept records and sweep.json's copy of it;
 *   - every report file equals renderReportFiles of the sweep rebuilt from the kept records.
 * Returns the problems found (none for a consistent folder) and adds levels and records to `counts`.
 */
function walk(dir: string, into: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, into);
    else into.push(path);
  }
  return into;
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

const recordId = (r: RequestRecord): string => `${r.clockOriginMs}/${r.concurrency}/${r.repeat ?? 0}/${r.worker}/${r.seq}`;

export async function checkRunFolder(dir: string, expectedLevels: readonly number[] | undefined, speedup: number, counts: { levels: number; records: number } = { levels: 0, records: 0 }): Promise<string[]> {
  const problems: string[] = [];
  const files = walk(dir);
  for (const file of files.filter((f) => f.endsWith('.json'))) {
    try {
      JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      problems.push(`${relative(dir, file)} does not parse: ${(error as Error).message}`);
    }
  }
  if (existsSync(join(dir, RUN_FILES.lock))) problems.push(`${RUN_FILES.lock} left behind`);
  const sweep = readJson<SweepResult>(join(dir, REPORT_FILES.json));
  if (sweep === undefined) return [...problems, `${REPORT_FILES.json} missing or unreadable`];
  const listed = sweep.levels.map((l) => l.concurrency);
  if (new Set(listed).size !== listed.length) problems.push(`sweep.json lists a level twice: ${listed.join(',')}`);
  if (expectedLevels !== undefined && !isDeepStrictEqual(listed, expectedLevels)) problems.push(`sweep.json levels ${listed.join(',')} ≠ ${expectedLevels.join(',')}`);
  const seen = new Set<string>();
  const rebuilt: LevelResult[] = [];
  for (const concurrency of listed) {
    const levelFile = join(dir, 'levels', `c-${concurrency}.json`);
    if (!existsSync(levelFile)) {
      problems.push(`c=${concurrency}: no level file`);
      continue;
    }
    const level = readJson<LevelResult>(levelFile);
    if (level === undefined) continue; // reported above
    // In the merge's order: by repeat, then worker.
    const keyOf = (f: string) => parseRecordsKey(relative(dir, f).split('\\').join('/'));
    const kept = files
      .filter((f) => keyOf(f)?.concurrency === concurrency)
      .sort((a, b) => (keyOf(a)?.repeat ?? 0) - (keyOf(b)?.repeat ?? 0) || (keyOf(a)?.worker ?? 0) - (keyOf(b)?.worker ?? 0));
    const records = kept.flatMap((f) => readJsonl(f));
    for (const r of records) {
      if (seen.has(recordId(r))) problems.push(`c=${concurrency}: record ${recordId(r)} kept twice`);
      seen.add(recordId(r));
    }
    // Each worker of a process numbers its requests 0, 1, 2, … (warm-up included): a gap is a lost record.
    const seqs = new Map<string, number[]>();
    // (Each repeat of a level numbers its requests afresh.)
    const slot = (r: RequestRecord): string => `${r.clockOriginMs}/${r.repeat ?? 0}/${r.worker}`;
    for (const r of records) seqs.set(slot(r), [...(seqs.get(slot(r)) ?? []), r.seq]);
    for (const [worker, list] of seqs) {
      const sorted = [...new Set(list)].sort((a, b) => a - b);
      if (sorted.some((seq, i) => seq !== i)) problems.push(`c=${concurrency}: worker ${worker} lost records (seq ${sorted.join(',')})`);
    }
    const measured = records.filter((r) => r.warmup !== true);
    if (measured.length !== level.requests) problems.push(`c=${concurrency}: ${measured.length} kept records for ${level.requests} requests`);
    const processes = new Set(records.map((r) => r.clockOriginMs)).size;
    if (kept.length === 1 && processes !== 1) problems.push(`c=${concurrency}: records of ${processes} processes in one file`);
    // What records cannot carry comes from the level (its load, SLOs, the client's own measures:
    // event-loop delay, CPU; the endpoint's telemetry) or from the workers' files of a pipeline run;
    // everything else, the client's send lag included, is recomputed.
    const load: Omit<OpenLoopLoad, 'waitedForCap'> | undefined = level.openLoop && { arrival: level.openLoop.arrival, ...(level.openLoop.burstiness !== undefined ? { burstiness: level.openLoop.burstiness } : {}), ...(level.openLoop.maxConcurrency !== undefined ? { maxConcurrency: level.openLoop.maxConcurrency } : {}), ...(level.openLoop.peakInFlight !== undefined ? { peakInFlight: level.openLoop.peakInFlight } : {}) };
    // A pipeline level's workers wrote their own measures (workers/): the level pools them as the merge does.
    const workerRuns = files
      .filter((f) => relative(dir, f).split('\\').join('/').startsWith(`workers/c-${concurrency}-w`))
      .map((f) => readJson<unknown>(f))
      .filter((w): w is WorkerRunFile => isWorkerRunFile(w));
    const common = {
      concurrency,
      speedup,
      ...(level.offeredRatePerS !== undefined ? { offeredRatePerS: level.offeredRatePerS } : {}),
      ...(level.slo !== undefined ? { slo: level.slo } : {}),
    };
    const pooled =
      workerRuns.length > 0
        ? poolLevelRuns(records, workerRuns, { ...common, ...(load !== undefined ? { openLoop: { arrival: load.arrival, ...(load.burstiness !== undefined ? { burstiness: load.burstiness } : {}), ...(load.maxConcurrency !== undefined ? { maxConcurrency: load.maxConcurrency } : {}) } } : {}) })
        : summarizeLevel(records, {
            ...common,
            ...(load !== undefined ? { openLoop: load } : {}),
            ...(level.client !== undefined ? { client: { eventLoopDelayMsP99: level.client.eventLoopDelayMsP99, cpuPct: level.client.cpuPct } } : {}),
          });
    // The endpoint's telemetry of the window (a pipeline merge joins it) is not in the records either,
    // nor a CLI level's reading of the twin's lag (a pipeline's is in its workers' files).
    const again = { ...pooled, ...(level.server !== undefined ? { server: level.server } : {}), ...(level.twin !== undefined && workerRuns.length === 0 ? { twin: level.twin } : {}) };
    if (!isDeepStrictEqual(again, level)) problems.push(`c=${concurrency}: levels/c-${concurrency}.json differs from the summary of its kept records`);
    if (!isDeepStrictEqual(sweep.levels.find((l) => l.concurrency === concurrency), level)) problems.push(`c=${concurrency}: sweep.json level differs from levels/c-${concurrency}.json`);
    rebuilt.push(again);
    counts.levels += 1;
    counts.records += records.length;
  }
  const levelFiles = files.filter((f) => /[/\\]levels[/\\]c-\d+\.json$/.test(f)).length;
  if (levelFiles !== listed.length) problems.push(`${levelFiles} level files for ${listed.length} levels in sweep.json`);
  const rendered = await renderReportFiles([{ ...sweep, levels: rebuilt }], {});
  for (const kind of REPORT_FILE_KINDS) {
    if (kind === 'json') continue;
    const file = join(dir, REPORT_FILES[kind]);
    if (!existsSync(file)) problems.push(`${REPORT_FILES[kind]} missing`);
    else if (readFileSync(file, 'utf8') !== rendered[kind]) problems.push(`${REPORT_FILES[kind]} differs from the report rebuilt from kept records`);
  }
  return problems;
}
