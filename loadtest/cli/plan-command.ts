import type { Command } from 'commander';
import { DEFAULT_PRICE_REGION } from '../../lib/catalog';
import type { LmiSettings, ServingEngine } from '../../lib/catalog/types';
import { UserInputError } from '../../lib/errors';
import { planWithCurve } from '../../lib/planner/plan-curve';
import { renderPlanTable } from '../../lib/planner/plan-table';
import { optionalParamsFlag } from './params-flag';
import { withFlagNames } from './flag-names';
import { addTgiOptions, concurrencyListFlag, optionalWholeNumberFlag, tgiOverridesOf, wholeNumberFlag, type TgiFlags } from './flag-values';
import { addPriceOptions, pricingFromFlags, type PriceFlags } from './pricing-flags';

/**
 * `llm-bench plan`: the planner's view of a configuration (memory, roofline, fit, cost), and with
 * `--concurrency` the engine's predicted latency-throughput curve. Parses flags, calls
 * lib/planner, prints a table or JSON. A configuration that does not fit prints `fits: false`
 * and exits 0; impossible flags, and TGI settings or payloads TGI would refuse, are user errors (exit 1).
 */

interface PlanFlags extends TgiFlags, PriceFlags {
  readonly params?: string;
  readonly model: string;
  readonly instance: string;
  readonly tp?: string;
  readonly inputTokens: string;
  readonly outputTokens: string;
  readonly copies: string;
  readonly instances: string;
  readonly concurrency?: string;
  readonly region?: string;
  readonly json?: boolean;
  readonly engine?: string;
  readonly maxRollingBatchSize?: string;
  readonly maxNumBatchedTokens?: string;
}

const ENGINE_NAMES = ['tgi', 'lmi'] as const;

/** `--engine`: whose scheduler the curve models; unset, the model's JumpStart engine. */
function engineFlag(value: string | undefined): ServingEngine | undefined {
  if (value === undefined) return undefined;
  const engine = ENGINE_NAMES.find((name) => name === value);
  if (engine === undefined) throw new UserInputError('--engine', `'${value}' is not an engine; allowed: ${ENGINE_NAMES.join(', ')}`);
  return engine;
}

/** LMI overrides from flags (only with --engine lmi or a model JumpStart serves with LMI). */
function lmiOverridesOf(flags: PlanFlags): Partial<LmiSettings> {
  const maxRollingBatchSize = optionalWholeNumberFlag('--max-rolling-batch-size', flags.maxRollingBatchSize);
  const maxNumBatchedTokens = optionalWholeNumberFlag('--max-num-batched-tokens', flags.maxNumBatchedTokens);
  if (flags.engine === 'tgi' && (maxRollingBatchSize !== undefined || maxNumBatchedTokens !== undefined)) {
    const flag = maxRollingBatchSize !== undefined ? '--max-rolling-batch-size' : '--max-num-batched-tokens';
    throw new UserInputError(flag, 'is an LMI setting; it does not apply with --engine tgi (allowed: --engine lmi)');
  }
  return {
    ...(maxRollingBatchSize !== undefined ? { maxRollingBatchSize } : {}),
    ...(maxNumBatchedTokens !== undefined ? { maxNumBatchedTokens } : {}),
  };
}

/**
 * Sanity ceilings of the planner (not AWS limits): they keep a typo such as an extra zero from
 * starting a minutes-long simulation or printing nonsense.
 */
export const PLAN_LIMITS = {
  /** Above the context of every model in the catalog (the largest is 131,072). */
  tokens: 1_048_576,
  instances: 100,
  concurrency: 4096,
} as const;

function concurrencyLevels(spec: string): number[] {
  const levels = concurrencyListFlag('--concurrency', spec);
  const tooHigh = levels.find((c) => c > PLAN_LIMITS.concurrency);
  if (tooHigh !== undefined) {
    throw new UserInputError('--concurrency', `${tooHigh} is above the planner's ${PLAN_LIMITS.concurrency} (give levels from 1 to ${PLAN_LIMITS.concurrency})`);
  }
  return levels;
}

function runPlan(flags: PlanFlags): void {
  const engine = engineFlag(flags.engine);
  const tgi = tgiOverridesOf(flags);
  if (engine === 'lmi' && Object.keys(tgi).length > 0) {
    throw new UserInputError('--engine', `TGI settings (${Object.keys(tgi).join(', ')}) do not apply with --engine lmi; allowed with --engine tgi`);
  }
  const plan = planWithCurve({
    model: flags.model,
    instance: flags.instance,
    // TP and copies are checked against the instance's accelerators by the planner.
    tp: optionalWholeNumberFlag('--tp', flags.tp),
    inputTokens: wholeNumberFlag('--input-tokens', flags.inputTokens, { max: PLAN_LIMITS.tokens }),
    outputTokens: wholeNumberFlag('--output-tokens', flags.outputTokens, { max: PLAN_LIMITS.tokens }),
    copies: wholeNumberFlag('--copies', flags.copies),
    instances: wholeNumberFlag('--instances', flags.instances, { max: PLAN_LIMITS.instances }),
    tgi,
    engine,
    lmi: lmiOverridesOf(flags),
    pricing: pricingFromFlags(flags, flags.region ?? process.env.AWS_REGION ?? DEFAULT_PRICE_REGION),
    concurrency: flags.concurrency !== undefined ? concurrencyLevels(flags.concurrency) : undefined,
    stepTimeParams: optionalParamsFlag(flags.params),
  });
  // Settings TGI would refuse, or a payload every request of which it would refuse, are bad input.
  // The planner names payload fields as the library does (`inputTokens`); the CLI shows its flags.
  if (plan.problems.length > 0) throw withFlagNames(new UserInputError(plan.engine === 'lmi' ? 'LMI settings' : 'TGI settings', plan.problems.join('; ')));
  process.stdout.write(flags.json ? `${JSON.stringify(plan, null, 2)}\n` : renderPlanTable(plan));
}

export function register(program: Command): void {
  const command = program
    .command('plan')
    .description('predict memory fit, batch limits, step times and cost of a model on an instance type (and, with --concurrency, its latency-throughput curve)')
    .requiredOption('--model <id>', "model id ('llama-2-7b') or JumpStart id")
    .requiredOption('--instance <type>', "SageMaker instance type ('ml.g5.2xlarge')")
    .option('--tp <n>', "tensor-parallel degree (default: JumpStart's for the instance, else the smallest that fits)")
    .option('--input-tokens <n>', 'input tokens per request', '256')
    .option('--output-tokens <n>', 'output tokens per request', '256')
    .option('--copies <n>', 'model copies per instance (inference components)', '1')
    .option('--instances <n>', `instances behind the endpoint (1 to ${PLAN_LIMITS.instances})`, '1')
    .option('--concurrency <list>', `predict the curve at these concurrency levels (1 to ${PLAN_LIMITS.concurrency}), e.g. 1,2,4,8,16,32,64,128`);
  addPriceOptions(addTgiOptions(command))
    .option('--params <file>', 'step-time parameters written by llm-bench calibrate (default: the shipped calibration)')
    .option('--region <region>', `region of the prices (default: AWS_REGION, else ${DEFAULT_PRICE_REGION})`)
    .option('--engine <engine>', "serving container whose scheduler the curve models: tgi | lmi (vLLM) (default: the model's JumpStart engine)")
    .option('--max-rolling-batch-size <n>', 'LMI OPTION_MAX_ROLLING_BATCH_SIZE (vLLM max_num_seqs) (default: the catalog LMI default)')
    .option('--max-num-batched-tokens <n>', "LMI OPTION_MAX_NUM_BATCHED_TOKENS (vLLM's step token budget) (default: vLLM's)")
    .option('--json', 'print JSON instead of a table')
    .action((flags: PlanFlags) => runPlan(flags));
}
