import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { parseDiscount, parsePriceOverrides } from '../../lib/catalog';
import { priceFilePath, readPriceFile } from '../pricing/price-file';
import { UserInputError } from '../../lib/errors';
import { withLatencyBound } from '../../lib/results/with-latency-bound';
import { withPrices } from '../../lib/results/with-prices';
import { loadSweeps, SWEEP_FILE_NAME } from '../report/load-sweeps';
import { writeReport, type ReportFiles } from '../report/write-report';

export interface ReportCommandOptions {
  readonly out?: string;
  readonly latencyBound?: string;
  /** Hourly price overrides, `ml.g5.2xlarge=1.2,...`: re-prices the stored sweeps of those instance types. */
  readonly price?: string;
  /** Fraction off every price (re-prices every sweep with an instance type). */
  readonly discount?: string;
  /** Region to re-price in (default: each sweep's own). */
  readonly region?: string;
}

/** Where the stored sweep.json of an input path is (a folder or the file itself). */
function sweepFileOf(path: string): string {
  return existsSync(path) && statSync(path).isDirectory() ? join(path, SWEEP_FILE_NAME) : path;
}

function parseLatencyBound(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new UserInputError('--latency-bound', `'${text}' is not a positive number of ms per output token (e.g. 100)`);
  }
  return value;
}

function outputDirOf(paths: readonly string[], out: string | undefined): string {
  if (out !== undefined) return out;
  if (paths.length > 1) throw new UserInputError('--out', 'is required when comparing several sweeps (e.g. --out reports/compare)');
  return dirname(sweepFileOf(paths[0]));
}

/**
 * `llm-bench report DIR...`: re-renders report.md, sweep.csv, curve.svg and report.html from stored
 * sweep.json files. One sweep renders into its own folder by default; several are compared side by
 * side (with recommendations) into --out. A stored sweep.json is never overwritten.
 */
export async function runReportCommand(paths: readonly string[], opts: ReportCommandOptions): Promise<ReportFiles> {
  const latencyBoundMsPerToken = parseLatencyBound(opts.latencyBound);
  const outDir = outputDirOf(paths, opts.out);
  const repricing = {
    overrides: opts.price !== undefined ? parsePriceOverrides(opts.price, '--price') : undefined,
    discount: opts.discount !== undefined ? parseDiscount(opts.discount) : undefined,
    region: opts.region,
    refreshed: readPriceFile(priceFilePath()),
  };
  const loaded = loadSweeps(paths).map((s) => withPrices(s, repricing));
  const sweeps = latencyBoundMsPerToken === undefined ? loaded : loaded.map((s) => withLatencyBound(s, latencyBoundMsPerToken));
  const target = resolve(outDir, SWEEP_FILE_NAME);
  const writeJson = !paths.some((p) => resolve(sweepFileOf(p)) === target);
  return writeReport(outDir, sweeps, { writeJson, ...(latencyBoundMsPerToken !== undefined ? { latencyBoundMsPerToken } : {}) });
}

export function register(program: Command): void {
  program
    .command('report')
    .description('re-render Markdown, CSV, SVG and HTML reports from stored sweep.json files; several sweeps are compared side by side')
    .argument('<dirs...>', 'sweep folders (holding sweep.json) or sweep.json files')
    .option('--out <dir>', 'output folder (default: the sweep folder when one sweep is given; required for several)')
    .option('--latency-bound <ms>', 'latency bound for knees and recommendations, p50 ms per output token (default 100)')
    .option('--price <overrides>', 're-price sweeps of these instance types, USD per instance-hour, e.g. ml.g5.2xlarge=1.2,ml.p4d.24xlarge=30')
    .option('--discount <fraction>', 're-price every sweep with this fraction off, e.g. 0.3 for a Savings Plan (also 30%)')
    .option('--region <region>', "re-price every sweep in this region (default: each sweep's own)")
    .action(async (dirs: string[], opts: ReportCommandOptions) => {
      const files = await runReportCommand(dirs, opts);
      process.stdout.write(`report written:\n  ${files.markdown}\n  ${files.html}\n  ${files.svg}\n  ${files.csv}\n  ${files.json}\n`);
    });
}
