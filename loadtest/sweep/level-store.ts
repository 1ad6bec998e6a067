import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LEVEL_RESULT_VERSION, type LevelResult, type SweepResult } from '../../lib/results/records';

/** The files of one sweep folder: levels/c-N.json, records/c-N.jsonl[.gz], sweep.json. */
export class LevelStore {
  constructor(
    public readonly outDir: string,
    private readonly gzipRecords = false,
  ) {
    mkdirSync(join(outDir, 'levels'), { recursive: true });
    mkdirSync(join(outDir, 'records'), { recursive: true });
  }

  levelPath(concurrency: number): string {
    return join(this.outDir, 'levels', `c-${concurrency}.json`);
  }

  recordsPath(concurrency: number): string {
    return join(this.outDir, 'records', `c-${concurrency}.jsonl${this.gzipRecords ? '.gz' : ''}`);
  }

  get sweepPath(): string {
    return join(this.outDir, 'sweep.json');
  }

  /** Levels measured by an earlier run into this folder (resume). */
  measuredLevels(): LevelResult[] {
    const dir = join(this.outDir, 'levels');
    const levels: LevelResult[] = [];
    for (const name of readdirSync(dir)) {
      const match = /^c-(\d+)\.json$/.exec(name);
      if (!match) continue;
      const level = JSON.parse(readFileSync(join(dir, name), 'utf8')) as LevelResult;
      if (level.schemaVersion !== LEVEL_RESULT_VERSION || level.concurrency !== Number(match[1])) {
        throw new Error(`${join(dir, name)}: not a LevelResult v${LEVEL_RESULT_VERSION} for c=${match[1]}; remove it to re-measure`);
      }
      levels.push(level);
    }
    return levels.sort((a, b) => a.concurrency - b.concurrency);
  }

  /** startedAt of an earlier run into this folder, if any. */
  previousStartedAt(): string | undefined {
    if (!existsSync(this.sweepPath)) return undefined;
    try {
      return (JSON.parse(readFileSync(this.sweepPath, 'utf8')) as SweepResult).startedAt;
    } catch {
      return undefined;
    }
  }

  /** Moves aside the records of a level that an earlier run started but never finished. */
  setAsideInterrupted(concurrency: number): void {
    const path = this.recordsPath(concurrency);
    if (existsSync(path)) renameSync(path, path.replace(/\.jsonl/, `.interrupted-${Date.now()}.jsonl`));
  }

  saveLevel(level: LevelResult): void {
    writeAtomically(this.levelPath(level.concurrency), JSON.stringify(level, null, 2));
  }

  saveSweep(sweep: SweepResult): void {
    writeAtomically(this.sweepPath, JSON.stringify(sweep, null, 2));
  }
}

function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text + '\n');
  renameSync(tmp, path);
}
