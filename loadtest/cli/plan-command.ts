import type { Command } from 'commander';
import { parsePriceOverrides } from '../../lib/catalog';
import type { TgiSettings } from '../../lib/catalog/types';
import { UserInputError } from '../../lib/errors';
import { parseConcurrencyList, planWithCurve } from '../../lib/planner/plan-curve';
import { renderPlanTable } from '../../lib/planner/plan-table';

/**
 * `llm-bench plan`: the planner's view of a configuration (memory, roofline, fit, cost), and with
 * `--concurrency` the engine's predicted latency-throughput curve. Parses flags, calls
 * lib/planner, prints a table or JSON. A configuration that does not fit prints `fits: false`
 * and exits 0; impossible flags are user errors (exit 1).
 */

interface PlanFlags {
  readonly model: string;
  readonly instance: string;
  readonly tp?: string;
  readonly inputTokens: string;
  readonly outputTokens: string;
  readonly copies: string;
  readonly instances: string;
  readonly concurrency?: string;
  readonly maxConcurrentRequests?: string;
  readonly maxBatchTotalTokens?: string;
  readonly maxBatchPrefillTokens?: string;
  readonly maxTotalTokens?: string;
  readonly maxInputTokens?: string;
  readonly price?: string;
  readonly json?: boolean;
}

function wholeNumber(field: string, text: string): number {
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || value < 1) throw new UserInputError(field, `'${text}' is not a whole number ≥ 1`);
  return value;
}

function optionalWholeNumber(field: string, text: string | undefined): number | undefined {
  return text === undefined ? undefined : wholeNumber(field, text);
}

function tgiOverrides(flags: PlanFlags): Partial<TgiSettings> {
  return {
    maxConcurrentRequests: optionalWholeNumber('--max-concurrent-requests', flags.maxConcurrentRequests),
    maxBatchTotalTokens: optionalWholeNumber('--max-batch-total-tokens', flags.maxBatchTotalTokens),
    maxBatchPrefillTokens: optionalWholeNumber('--max-batch-prefill-tokens', flags.maxBatchPrefillTokens),
    maxTotalTokens: optionalWholeNumber('--max-total-tokens', flags.maxTotalTokens),
    maxInputTokens: optionalWholeNumber('--max-input-tokens', flags.maxInputTokens),
  };
}

function runPlan(flags: PlanFlags): void {
  const plan = planWithCurve({
    model: flags.model,
    instance: flags.instance,
    tp: optionalWholeNumber('--tp', flags.tp),
    inputTokens: wholeNumber('--input-tokens', flags.inputTokens),
    outputTokens: wholeNumber('--output-tokens', flags.outputTokens),
    copies: wholeNumber('--copies', flags.copies),
    instances: wholeNumber('--instances', flags.instances),
    tgi: tgiOverrides(flags),
    priceOverrides: flags.price !== undefined ? parsePriceOverrides(flags.price) : undefined,
    concurrency: flags.concurrency !== undefined ? parseConcurrencyList(flags.concurrency) : undefined,
  });
  process.stdout.write(flags.json ? `${JSON.stringify(plan, null, 2)}\n` : renderPlanTable(plan));
}

export function register(program: Command): void {
  program
    .command('plan')
    .description('Predict memory fit, batch limits, step times and cost of a model on an instance type (and, with --concurrency, its latency-throughput curve)')
    .requiredOption('--model <id>', "model id ('llama-2-7b') or JumpStart id")
    .requiredOption('--instance <type>', "SageMaker instance type ('ml.g5.2xlarge')")
    .option('--tp <n>', "tensor-parallel degree (default: JumpStart's for the instance, else the smallest that fits)")
    .option('--input-tokens <n>', 'input tokens per request', '256')
    .option('--output-tokens <n>', 'output tokens per request', '256')
    .option('--copies <n>', 'model copies per instance (inference components)', '1')
    .option('--instances <n>', 'instances behind the endpoint', '1')
    .option('--concurrency <list>', 'predict the curve at these concurrency levels, e.g. 1,2,4,8,16,32,64,128')
    .option('--max-concurrent-requests <n>', 'TGI MAX_CONCURRENT_REQUESTS')
    .option('--max-batch-total-tokens <n>', 'TGI MAX_BATCH_TOTAL_TOKENS (default: sized from free memory)')
    .option('--max-batch-prefill-tokens <n>', 'TGI MAX_BATCH_PREFILL_TOKENS')
    .option('--max-total-tokens <n>', 'TGI MAX_TOTAL_TOKENS')
    .option('--max-input-tokens <n>', 'TGI MAX_INPUT_TOKENS')
    .option('--price <overrides>', 'hourly price overrides, e.g. ml.g5.2xlarge=1.6,ml.p4d.24xlarge=30')
    .option('--json', 'print JSON instead of a table')
    .action((flags: PlanFlags) => runPlan(flags));
}
