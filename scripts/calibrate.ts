/**
 * `npm run calibrate`: fits the step-time parameters on the published Llama 2 7B sweeps
 * (lib/planner/calibration/llama-2-7b-published.json) and writes lib/planner/calibration/params.json.
 * Prints the per-cell fit (published vs predicted throughput and ms/token) and the median errors.
 * `--check` only evaluates the shipped parameters (no fit, no write).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateFit, FIT_START, fitParameters, FREE_PARAMETERS, withBorrowedFamilies, type FitReport } from '../lib/planner/calibration/fit';
import { calibrationProvenance, defaultStepTimeParams, type CalibrationFile } from '../lib/planner/calibration/params';

const PARAMS_PATH = join(__dirname, '..', 'lib', 'planner', 'calibration', 'params.json');

const fmt = (value: number | null | undefined, digits = 0): string => (value === null || value === undefined ? '—' : value.toFixed(digits));

function printReport(report: FitReport): void {
  const header = ['sweep', 'c', 'tok/s pub', 'tok/s pred', 'err %', 'ms/tok pub', 'ms/tok pred', 'err %'];
  const rows = report.cells.map((c) => [
    c.sweepId,
    String(c.concurrency),
    fmt(c.publishedThroughput),
    fmt(c.predictedThroughput),
    fmt(c.throughputErrorPct, 1),
    fmt(c.publishedLatency),
    fmt(c.predictedLatency, 1),
    fmt(c.latencyErrorPct, 1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  console.log(
    `median |error|: throughput ${report.medianAbsErrorPct.throughput.toFixed(1)} %, ms/token ${report.medianAbsErrorPct.latency.toFixed(1)} %` +
      ` (objective: mean |log error| ${report.objective.toFixed(4)}, ${report.cells.length} cells)`,
  );
}

function main(argv: readonly string[]): void {
  if (argv.includes('--check')) {
    console.log(`parameters fitted ${calibrationProvenance().fittedAt}`);
    printReport(evaluateFit(defaultStepTimeParams()));
    return;
  }
  const t0 = Date.now();
  const fitted = withBorrowedFamilies(
    fitParameters(FIT_START, { onProgress: (objective, n) => process.stderr.write(`  objective ${objective.toFixed(4)} after ${n} evaluations\n`) }),
  );
  const report = evaluateFit(fitted);
  printReport(report);
  const round = (v: number): number => Number(v.toPrecision(4));
  const file: CalibrationFile = {
    provenance: {
      fittedAt: new Date().toISOString().slice(0, 10),
      procedure:
        `npm run calibrate: coordinate descent in log space (steps ×1.4 halving to ×1.02) over ${FREE_PARAMETERS.length} parameters ` +
        '(A10G and A100 efficiencies and step overhead; general comm efficiency, collective latency, per-sequence step cost), ' +
        'closed-loop simulation of each published level (warm-up c, window max(3c, 16) completions); L4/L40S borrow A10G, H100 borrows A100',
      dataFile: 'lib/planner/calibration/llama-2-7b-published.json',
      objective: 'mean over published figures of |log(predicted / published)|, throughput and ms/token',
      medianAbsErrorPct: { throughput: round(report.medianAbsErrorPct.throughput), latency: round(report.medianAbsErrorPct.latency) },
    },
    families: Object.fromEntries(
      Object.entries(fitted.families).map(([family, f]) => [
        family,
        {
          memoryEfficiency: round(f.memoryEfficiency),
          computeEfficiency: round(f.computeEfficiency),
          prefillEfficiency: round(f.prefillEfficiency),
          stepOverheadMs: round(f.stepOverheadMs),
          ...(f.borrowedFrom !== undefined ? { borrowedFrom: f.borrowedFrom } : {}),
        },
      ]),
    ) as CalibrationFile['families'],
    general: {
      commEfficiency: round(fitted.general.commEfficiency),
      collectiveLatencyMs: round(fitted.general.collectiveLatencyMs),
      perSequenceStepMs: round(fitted.general.perSequenceStepMs),
    },
  };
  writeFileSync(PARAMS_PATH, `${JSON.stringify(file, null, 2)}\n`);
  console.log(`wrote ${PARAMS_PATH} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

main(process.argv.slice(2));
