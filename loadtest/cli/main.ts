import { Command, CommanderError } from 'commander';
import { isUserFacing } from '../../lib/errors';
import { withFlagNames } from './flag-names';
import { register as registerPlan } from './plan-command';
import { register as registerReport } from './report-command';
import { register as registerSweep } from './sweep-command';
import { register as registerServeLocal } from './serve-local-command';
import { register as registerValidate } from './validate-command';
import { register as registerReproduce } from './reproduce-command';
import { register as registerPrices } from './prices-command';
import { register as registerCalibrate } from './calibrate-command';
import { register as registerDataset } from './dataset-command';
import { register as registerScenario } from './scenario-command';

/**
 * The `llm-bench` command: one entry point, one module per subcommand.
 * Each subcommand module exports `register(program)`.
 */
export function buildProgram(): Command {
  const program = new Command('llm-bench')
    .description('Plan, serve locally, sweep and report on LLM endpoints (SageMaker, TGI, OpenAI-compatible)')
    .option('--debug', 'print stack traces of errors')
    .showHelpAfterError()
    .exitOverride();
  // Subcommands register themselves here (one line each).
  registerPlan(program);
  registerReport(program);
  registerSweep(program);
  registerServeLocal(program);
  registerValidate(program);
  registerReproduce(program);
  registerPrices(program);
  registerCalibrate(program);
  registerDataset(program);
  registerScenario(program);
  return program;
}

/**
 * Parses `argv` and runs the subcommand. Library code names domain fields in its errors
 * (`durationS`); they are rethrown naming the flags the user typed (`--duration`).
 */
export async function runProgram(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (error) {
    throw withFlagNames(error);
  }
}

/** Runs the CLI; prints `error: <message>` and exits 1 on failure, a stack only with --debug. */
export async function main(argv: readonly string[]): Promise<void> {
  try {
    await runProgram(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    // Input errors are complete as they are; anything else is a bug worth a hint at --debug.
    const hint = isUserFacing(error) ? '' : ' (run with --debug for the stack trace)';
    process.stderr.write(`error: ${message}${hint}\n`);
    if (argv.includes('--debug') && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  }
}
