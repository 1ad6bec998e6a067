import { type LevelResult, type RequestRecord, type SweepResult } from '../../lib/results/records';
import { READABLE_LEVEL_VERSIONS, upgradeLevelResult, type StoredLevelResult } from '../../lib/results/upgrade-level';
import { decodeJsonl, encodeJsonl } from '../records/jsonl';
import { REPORT_CONTENT_TYPES, REPORT_FILE_KINDS, REPORT_FILES, type ReportFileKind } from '../report/names';
import { renderReportFiles, sweepJson } from '../report/report-files';
import type { ReportOptions } from '../report/report-model';
import { concurrencyOfLevelKey, parseRecordsKey, type RunKeys } from './layout';
import { promises as fs } from 'node:fs';
import { LocalFolderStore } from './local-store';
import { CONTENT_TYPES, type ResultStore } from './result-store';
import { isWorkerRunFile, type WorkerRunFile } from './worker-run';

/** A level's records file being written as the level runs (see RunFiles.streamedRecords). */
export interface StreamedRecordsFile {
  /** Where to write now: a temporary name beside the final one, which no reader takes for records. */
  readonly path: string;
  /** The level is measured: move the file to its name under the level (replacing one a killed run left). */
  keep(): Promise<string>;
  /** The level was cut short: move the file aside as interrupted records (removed when empty); its location, if kept. */
  setAside(atEpochMs: number): Promise<string | undefined>;
}

/**
 * The files of one run in a results store (layout.ts): the CLI sweep's `--out` folder and a
 * pipeline run read and write their levels, records and report through here.
 */
export class RunFiles {
  constructor(
    public readonly store: ResultStore,
    public readonly keys: RunKeys,
  ) {}

  /** Levels measured so far, ascending; a level file that is not a LevelResult of its concurrency is an error naming it. */
  public async measuredLevels(): Promise<LevelResult[]> {
    const levels: LevelResult[] = [];
    for (const key of await this.store.list(this.keys.levelsPrefix)) {
      const concurrency = concurrencyOfLevelKey(key);
      if (concurrency === undefined) continue;
      const stored = await this.store.getJson<StoredLevelResult>(key);
      if (stored === undefined) continue;
      if (!READABLE_LEVEL_VERSIONS.includes(stored.schemaVersion) || stored.concurrency !== concurrency) {
        throw new Error(`${this.store.locate(key)}: not a LevelResult v${READABLE_LEVEL_VERSIONS.join(' or v')} for c=${concurrency}; remove it to re-measure`);
      }
      levels.push(upgradeLevelResult(stored));
    }
    return levels.sort((a, b) => a.concurrency - b.concurrency);
  }

  public async putLevel(level: LevelResult): Promise<void> {
    await this.store.putJson(this.keys.level(level.concurrency), level);
  }

  /** Raw records of one worker of a level (replaces records a run killed before the level was saved left behind). */
  public async putRecords(concurrency: number, worker: number, records: readonly RequestRecord[], gzip: boolean, repeat?: number): Promise<string> {
    const key = this.keys.records(concurrency, worker, gzip, repeat);
    await this.store.putBytes(key, encodeJsonl(records, { gzip }), CONTENT_TYPES.jsonl);
    return key;
  }

  /** Records of a level cut short: kept beside the level's records under a name no reader takes for them. */
  public async putInterruptedRecords(concurrency: number, worker: number, records: readonly RequestRecord[], gzip: boolean, atEpochMs: number): Promise<string> {
    const key = this.keys.interruptedRecords(concurrency, worker, gzip, atEpochMs);
    await this.store.putBytes(key, encodeJsonl(records, { gzip }), CONTENT_TYPES.jsonl);
    return key;
  }

  /**
   * A records file to stream one worker's records of a level into as they complete, so no record is
   * held in memory (a store in a local folder only: the CLI sweep's `--out`). A crash leaves only the
   * temporary file, which readers skip (like every `.tmp` in the store).
   */
  public streamedRecords(concurrency: number, worker: number, gzip: boolean): StreamedRecordsFile {
    const store = this.store;
    if (!(store instanceof LocalFolderStore)) throw new Error(`records are streamed to a local folder only, not to ${store.locate('')}`);
    const key = this.keys.records(concurrency, worker, gzip);
    const path = `${store.locate(key)}.${process.pid}.writing.tmp`;
    return {
      path,
      keep: async () => {
        await fs.rename(path, store.locate(key));
        return key;
      },
      setAside: async (atEpochMs) => {
        const size = await fs.stat(path).then((st) => st.size, () => 0);
        if (size === 0) {
          await fs.rm(path, { force: true });
          return undefined;
        }
        const aside = this.keys.interruptedRecords(concurrency, worker, gzip, atEpochMs);
        await fs.rename(path, store.locate(aside));
        return aside;
      },
    };
  }

  /** Every kept records file of a level by worker, its repeats in order (interrupted records excluded). */
  public async levelRecords(concurrency: number): Promise<Map<number, RequestRecord[]>> {
    const byWorker = new Map<number, RequestRecord[]>();
    for (const part of await this.levelRecordFiles(concurrency)) byWorker.set(part.worker, [...(byWorker.get(part.worker) ?? []), ...part.records]);
    return byWorker;
  }

  /** Every kept records file of a level with its worker and repeat, ordered by repeat then worker. */
  public async levelRecordFiles(concurrency: number): Promise<{ readonly worker: number; readonly repeat: number; readonly records: RequestRecord[] }[]> {
    const parts: { worker: number; repeat: number; records: RequestRecord[] }[] = [];
    for (const key of await this.store.list(this.keys.levelRecordsPrefix(concurrency))) {
      const parsed = parseRecordsKey(key);
      if (parsed === undefined || parsed.concurrency !== concurrency) continue;
      const bytes = await this.store.getBytes(key);
      if (bytes !== undefined) parts.push({ worker: parsed.worker, repeat: parsed.repeat, records: decodeJsonl(bytes, this.store.locate(key)) });
    }
    return parts.sort((a, b) => a.repeat - b.repeat || a.worker - b.worker);
  }

  public async putWorkerRun(run: WorkerRunFile): Promise<string> {
    const key = this.keys.workerRun(run.concurrency, run.worker, run.repeat);
    await this.store.putJson(key, run);
    return key;
  }

  /** What the workers of a level measured beside their records (files of another format are an error naming them). */
  public async workerRuns(concurrency: number): Promise<WorkerRunFile[]> {
    const runs: WorkerRunFile[] = [];
    // `c-4-w` does not match `c-48-w`.
    for (const key of await this.store.list(`${this.keys.workerRunsPrefix}c-${concurrency}-w`)) {
      const stored = await this.store.getJson<unknown>(key);
      if (stored === undefined) continue;
      if (!isWorkerRunFile(stored) || stored.concurrency !== concurrency) throw new Error(`${this.store.locate(key)}: not a worker run v1 of c=${concurrency}`);
      runs.push(stored);
    }
    return runs.sort((a, b) => a.repeat - b.repeat || a.worker - b.worker);
  }

  public async putSweep(sweeps: readonly SweepResult[]): Promise<void> {
    await this.store.putText(this.keys.file(REPORT_FILES.json), sweepJson(sweeps), REPORT_CONTENT_TYPES.json);
  }

  /** Renders and writes every report file of `sweeps`; returns their locations by kind. */
  public async putReport(sweeps: readonly SweepResult[], opts: ReportOptions = {}): Promise<Record<ReportFileKind, string>> {
    const rendered = await renderReportFiles(sweeps, opts);
    const files = {} as Record<ReportFileKind, string>;
    for (const kind of REPORT_FILE_KINDS) {
      const key = this.keys.file(REPORT_FILES[kind]);
      await this.store.putText(key, rendered[kind], REPORT_CONTENT_TYPES[kind]);
      files[kind] = this.store.locate(key);
    }
    return files;
  }
}
