import type { Command } from 'commander';
import { makeOutputFolder } from '../report/output-folder';
import { reproduceStudy, writeReproduction } from '../reproduce';
import { optionalParamsFlag } from './params-flag';

/**
 * `llm-bench reproduce`: predicts every configuration of the published study with the calibrated
 * engine and writes the study's tables (DIR/reproduce.md) and the data (DIR/reproduce.json).
 */

interface ReproduceFlags {
  readonly out: string;
  readonly json?: boolean;
  readonly params?: string;
}

function runReproduce(flags: ReproduceFlags): void {
  makeOutputFolder(flags.out); // fail on an unwritable --out before seconds of prediction
  const study = reproduceStudy(new Date(), optionalParamsFlag(flags.params));
  const paths = writeReproduction(flags.out, study);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(study, null, 2)}\n`);
    return;
  }
  const predicted = study.configurations.filter((c) => c.fits).length;
  process.stdout.write(
    `predicted ${predicted} of ${study.configurations.length} configurations (${study.configurations.length - predicted} do not fit)\n` +
      `wrote ${paths.markdown}\nwrote ${paths.json}\n`,
  );
}

export function register(program: Command): void {
  program
    .command('reproduce')
    .description('predict every configuration of the published SageMaker/TGI study and write its tables, published figures beside predicted ones')
    .option('--out <dir>', 'output folder for reproduce.md and reproduce.json', 'bench-results/reproduce')
    .option('--params <file>', 'step-time parameters written by llm-bench calibrate (default: the shipped calibration)')
    .option('--json', 'also print the predictions as JSON on stdout')
    .action((flags: ReproduceFlags) => runReproduce(flags));
}
