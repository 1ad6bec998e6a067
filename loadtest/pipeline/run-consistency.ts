import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { LevelResult, OpenLoopLoad, RequestRecord, SweepResult } from '../../lib/results/records';
import { summarizeLevel } from '../../lib/results/summarize-level';
import { readJsonl } from '../records/jsonl';
import { REPORT_FILE_KINDS, REPORT_FILES } from '../report/names';
import { renderReportFiles } from '../report/report-files';
import { parseRecordsKey, RUN_FILES } from './layout';

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

const recordId = (r: RequestRecord): string => `${r.clockOriginMs}/${r.concurrency}/${r.worker}/${r.seq}`;

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
    const kept = files.filter((f) => parseRecordsKey(relative(dir, f).split('\\').join('/'))?.concurrency === concurrency);
    const records = kept.flatMap((f) => readJsonl(f));
    for (const r of records) {
      if (seen.has(recordId(r))) problems.push(`c=${concurrency}: record ${recordId(r)} kept twice`);
      seen.add(recordId(r));
    }
    // Each worker of a process numbers its requests 0, 1, 2, … (warm-up included): a gap is a lost record.
    const seqs = new Map<string, number[]>();
    for (const r of records) seqs.set(`${r.clockOriginMs}/${r.worker}`, [...(seqs.get(`${r.clockOriginMs}/${r.worker}`) ?? []), r.seq]);
    for (const [worker, list] of seqs) {
      const sorted = [...new Set(list)].sort((a, b) => a - b);
      if (sorted.some((seq, i) => seq !== i)) problems.push(`c=${concurrency}: worker ${worker} lost records (seq ${sorted.join(',')})`);
    }
    const measured = records.filter((r) => r.warmup !== true);
    if (measured.length !== level.requests) problems.push(`c=${concurrency}: ${measured.length} kept records for ${level.requests} requests`);
    const processes = new Set(records.map((r) => r.clockOriginMs)).size;
    if (kept.length === 1 && processes !== 1) problems.push(`c=${concurrency}: records of ${processes} processes in one file`);
    // What records cannot carry comes from the level: its load, SLOs and the client's own measures
    // (event-loop delay, CPU); everything else, the client's send lag included, is recomputed.
    const load: Omit<OpenLoopLoad, 'waitedForCap'> | undefined = level.openLoop && { arrival: level.openLoop.arrival, ...(level.openLoop.burstiness !== undefined ? { burstiness: level.openLoop.burstiness } : {}), ...(level.openLoop.maxConcurrency !== undefined ? { maxConcurrency: level.openLoop.maxConcurrency } : {}), ...(level.openLoop.peakInFlight !== undefined ? { peakInFlight: level.openLoop.peakInFlight } : {}) };
    const again = summarizeLevel(records, {
      concurrency,
      speedup,
      ...(level.offeredRatePerS !== undefined ? { offeredRatePerS: level.offeredRatePerS } : {}),
      ...(load !== undefined ? { openLoop: load } : {}),
      ...(level.slo !== undefined ? { slo: level.slo } : {}),
      ...(level.client !== undefined ? { client: { eventLoopDelayMsP99: level.client.eventLoopDelayMsP99, cpuPct: level.client.cpuPct } } : {}),
    });
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
