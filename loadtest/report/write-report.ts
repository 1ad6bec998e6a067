import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SweepResult } from '../../lib/results/records';
import { renderCsv } from './csv';
import { renderHtml } from './html';
import { SWEEP_FILE_NAME } from './load-sweeps';
import { renderMarkdown } from './markdown';
import { makeOutputFolder } from './output-folder';
import type { ReportOptions } from './report-model';
import { renderSvg } from './svg';

export interface ReportFiles {
  readonly markdown: string;
  readonly csv: string;
  readonly svg: string;
  readonly html: string;
  readonly json: string;
}

export interface WriteReportOptions extends ReportOptions {
  /**
   * Write sweep.json (one SweepResult, or an array for several). Off when re-rendering into the
   * folder the sweep was read from, so stored results are never rewritten.
   * @default true
   */
  readonly writeJson?: boolean;
}

/** Writes report.md, sweep.csv, curve.svg, report.html and sweep.json into `dir` (created if needed). */
export async function writeReport(dir: string, sweeps: readonly SweepResult[], opts: WriteReportOptions = {}): Promise<ReportFiles> {
  makeOutputFolder(dir);
  const files: ReportFiles = {
    markdown: join(dir, 'report.md'),
    csv: join(dir, 'sweep.csv'),
    svg: join(dir, 'curve.svg'),
    html: join(dir, 'report.html'),
    json: join(dir, SWEEP_FILE_NAME),
  };
  const svg = await renderSvg(sweeps);
  const html = await renderHtml(sweeps, { ...opts, svg });
  await writeFile(files.markdown, renderMarkdown(sweeps, opts));
  await writeFile(files.csv, renderCsv(sweeps));
  await writeFile(files.svg, svg);
  await writeFile(files.html, html);
  if (opts.writeJson !== false) {
    await writeFile(files.json, `${JSON.stringify(sweeps.length === 1 ? sweeps[0] : sweeps, null, 2)}\n`);
  }
  return files;
}
