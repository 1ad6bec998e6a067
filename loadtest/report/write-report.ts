import type { SweepResult } from '../../lib/results/records';
import { LocalFolderStore } from '../pipeline/local-store';
import { makeOutputFolder } from './output-folder';
import { REPORT_FILE_KINDS, REPORT_FILES, type ReportFileKind } from './names';
import { renderReportFiles } from './report-files';
import type { ReportOptions } from './report-model';

/** Paths of the report files written, by kind. */
export type ReportFiles = Readonly<Record<ReportFileKind, string>>;

export interface WriteReportOptions extends ReportOptions {
  /**
   * Write sweep.json (one SweepResult, or an array for several). Off when re-rendering into the
   * folder the sweep was read from, so stored results are never rewritten.
   * @default true
   */
  readonly writeJson?: boolean;
}

/**
 * Writes the report files (renderReportFiles) into `dir`, created if needed. Each file is written
 * to a temporary name and renamed, so an interrupted write never replaces a good file.
 */
export async function writeReport(dir: string, sweeps: readonly SweepResult[], opts: WriteReportOptions = {}): Promise<ReportFiles> {
  makeOutputFolder(dir);
  const store = new LocalFolderStore(dir);
  const rendered = await renderReportFiles(sweeps, opts);
  const files = {} as Record<ReportFileKind, string>;
  for (const kind of REPORT_FILE_KINDS) {
    files[kind] = store.locate(REPORT_FILES[kind]);
    if (kind === 'json' && opts.writeJson === false) continue;
    await store.putText(REPORT_FILES[kind], rendered[kind]);
  }
  return files;
}
