import { join } from 'node:path';
import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { DEFAULT_PRICE_REGION, quotePrice } from '../../lib/catalog';
import { UserInputError } from '../../lib/errors';
import { formatStopReason } from '../../lib/results/stop-reason';
import { levelName } from '../../lib/results/level-key';
import { parseSlo } from '../../lib/results/slo';
import type { ArrivalProcess } from '../../lib/results/records';
import { ARRIVAL_PROCESSES, validateArrivals } from '../runner/arrivals';
import { DEFAULT_AUTO_MAX_CONCURRENCY } from '../sweep/next-step';
import type { OpenLoopPlan } from '../sweep/open-loop-plan';
import { DEFAULT_LATENCY_BOUND_MS_PER_TOKEN, DEFAULT_LEVEL_DURATION_S, DEFAULT_MAX_ERROR_RATE, DEFAULT_MIN_COMPLETIONS_PER_SLOT, DEFAULT_MIN_SLO_ATTAINMENT, DEFAULT_PLATEAU_GAIN, SAGEMAKER_INVOCATION_TIMEOUT_S } from '../../lib/results/defaults';
import { createPayloadSource, parseLengthDistribution, type PayloadOptions } from '../payload';
import { MAX_PROCESSES } from '../runner/process-shares';
import { MAX_WINDOW_EXTENSION } from '../../lib/results/level-window';
import { concurrencyListFlag, numberFlag, positiveNumberFlag, wholeNumberFlag } from './flag-values';
import type { DeploymentDescription, LevelResult, RequestRecord, SweepResult } from '../../lib/results/records';
import { REPORT_FILES } from '../report/names';
import { describeOwner } from '../pipeline/run-lock';
import { runSweep } from '../sweep/run-sweep';
import type { StopRuleConfig } from '../sweep/stop-rules';
import { createTarget, defaultApi, parseRequestApi, parseServingContainer, parseTargetSpec, type TargetSpec } from '../targets';
import { addPriceOptions, pricingFromFlags } from './pricing-flags';
import { parseSettleSeconds, parseTelemetryMode, sweepTelemetry } from '../telemetry';
import { twinLagFromInfo, twinLagProbe, type TwinLagProbe } from '../local/twin-lag';

/** Flags of `llm-bench sweep` as commander hands them over (strings until parsed here). */
export interface SweepFlags {
  readonly target: string;
  readonly concurrency?: string;
  readonly inputTokens: string;
  readonly outputTokens: string;
  readonly duration?: string;
  readonly requests?: string;
  readonly warmup?: string;
  readonly timeout: string;
  readonly retries: string;
  readonly stream?: boolean;
  readonly region?: string;
  readonly price?: string;
  readonly discount?: string;
  readonly endpointUrl?: string;
  readonly label?: string;
  readonly hourlyUsd?: string;
  readonly instance?: string;
  readonly instances?: string;
  readonly out: string;
  readonly json?: boolean;
  /** Closed loop: highest level of an adaptive sweep (default DEFAULT_AUTO_MAX_CONCURRENCY). Open loop: cap on requests in flight (default none). */
  readonly maxConcurrency?: string;
  readonly rate?: string;
  readonly maxRate?: string;
  readonly arrival?: string;
  readonly burstiness?: string;
  readonly slo?: string;
  readonly minSloAttainment?: string;
  readonly maxErrorRate: string;
  readonly plateauGain?: string;
  readonly latencySlo?: string;
  readonly latencyBound?: string;
  readonly dataset?: string;
  readonly seed?: string;
  readonly speedup?: string;
  readonly model?: string;
  readonly gzip?: boolean;
  readonly restart?: boolean;
  readonly api?: string;
  readonly container?: string;
  readonly telemetry?: string;
  readonly telemetryMaxWait?: string;
  readonly repeat?: string;
  readonly minCompletionsPerSlot?: string;
  readonly maxInputTokens?: string;
  readonly maxTotalTokens?: string;
  readonly processes?: string;
}

/** Where progress and the summary go; tests pass their own. */
export interface SweepIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** The levels of `--concurrency`: a list in the order to measure, or 'auto'. */
export function parseConcurrencyLevels(text: string, field = '--concurrency'): number[] | 'auto' {
  return concurrencyListFlag(field, text, { allowAuto: true });
}

function deploymentOf(flags: SweepFlags): DeploymentDescription | undefined {
  if (flags.hourlyUsd !== undefined && flags.instance !== undefined) {
    throw new UserInputError('--hourly-usd', 'give either --hourly-usd or --instance (priced from the catalog), not both');
  }
  const instances = flags.instances !== undefined ? wholeNumberFlag('--instances', flags.instances) : 1;
  if (flags.hourlyUsd !== undefined) return { hourlyUsd: numberFlag('--hourly-usd', flags.hourlyUsd), instances };
  if (flags.instance === undefined) return undefined;
  // Priced in the endpoint's region (--region, else AWS_REGION, else us-east-1), with --price/--discount and the local price file.
  const price = quotePrice(flags.instance, pricingFromFlags(flags, flags.region ?? process.env.AWS_REGION ?? DEFAULT_PRICE_REGION));
  return { instanceType: price.instance, instances, hourlyUsd: price.usd * instances, price };
}

/** What a TGI server's GET /info tells: a local endpoint's time compression, its own lag, and TGI's token limits. */
interface ServerInfo {
  readonly speedup?: number;
  readonly maxInputTokens?: number;
  readonly maxTotalTokens?: number;
  /** The target is a local twin: its lag is read around each level (GET /info `twin_lag`). */
  readonly twinLag?: TwinLagProbe;
}

const positive = (value: unknown): number | undefined => (typeof value === 'number' && value > 0 ? value : undefined);

/**
 * GET /info of a TGI server (TGI's Info schema: `max_input_tokens`, `max_total_tokens`; a local endpoint
 * adds `speedup` and `twin_lag`); other servers simply lack it. A SageMaker target is asked at
 * `--endpoint-url` (the local twin) for its lag only; in AWS it has none.
 */
async function detectServerInfo(spec: TargetSpec, endpointUrl: string | undefined): Promise<ServerInfo> {
  const base = spec.kind === 'sagemaker' ? endpointUrl : spec.url.replace(/\/v1$/, '');
  if (base === undefined) return {};
  try {
    const response = await fetch(`${base.replace(/\/+$/, '')}/info`, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) return {};
    const info = (await response.json()) as { speedup?: unknown; max_input_tokens?: unknown; max_total_tokens?: unknown };
    const twinLag = twinLagFromInfo(info) !== undefined ? { twinLag: twinLagProbe(base) } : {};
    if (spec.kind === 'sagemaker') return twinLag;
    return { speedup: positive(info.speedup), maxInputTokens: positive(info.max_input_tokens), maxTotalTokens: positive(info.max_total_tokens), ...twinLag };
  } catch {
    return {};
  }
}

function levelLine(level: LevelResult, resumed: boolean): string {
  const errors = Object.entries(level.errors)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  const achieved = level.offeredRatePerS !== undefined && level.achievedRatePerS !== undefined ? ` (achieved ${level.achievedRatePerS.toFixed(2)} req/s)` : '';
  const goodput = level.goodput !== undefined ? `, SLO attainment ${(level.goodput.attainment * 100).toFixed(1)} %, goodput ${level.goodput.tokensPerS.toFixed(1)} tokens/s` : '';
  const client = level.client?.verdict === 'client-bound' ? ` [CLIENT-BOUND: ${(level.client.reasons ?? []).join('; ')}]` : '';
  const twin = level.twin?.verdict === 'lagging' ? ` [TWIN LAGGING: ${level.twin.reason ?? ''}]` : '';
  const ci = level.repeats;
  const throughput = ci
    ? `${ci.throughputTokensPerS.mean.toFixed(1)} ± ${ci.throughputTokensPerS.halfWidth95.toFixed(1)} tokens/s, ${ci.msPerTokenP50.mean.toFixed(1)} ± ${ci.msPerTokenP50.halfWidth95.toFixed(1)} ms/token p50 (95 % CI over ${ci.n} repeats)`
    : `${level.throughputTokensPerS.toFixed(1)} tokens/s, ${level.latencyMsPerToken.p50.toFixed(1)} ms/token p50`;
  return (
    `${levelName(level)}${achieved}${resumed ? ' (resumed)' : ''}: ${level.requests} requests, ${level.ok} ok${errors ? ` (${errors})` : ''}, ` +
    `${throughput}${goodput}, ${level.durationS.toFixed(1)} s` +
    `${level.server?.gpuUtilizationPct !== undefined ? `, GPU ${level.server.gpuUtilizationPct.toFixed(0)} %` : ''}${client}${twin}\n`
  );
}

/** The rates of `--rate`: requests/s > 0, comma-separated, each once. */
export function parseRates(text: string, field = '--rate'): number[] {
  const rates = text.split(',').map((part) => positiveNumberFlag(field, part.trim()));
  if (new Set(rates).size !== rates.length) throw new UserInputError(field, `'${text}' lists a rate twice`);
  return rates;
}

/**
 * The open-loop load of `--rate` (a list, or 'auto' with `--max-rate`), `--arrival`, `--burstiness`
 * and `--max-concurrency` (undefined without --rate).
 */
export function openLoopOf(flags: SweepFlags, seed: number | undefined): OpenLoopPlan | undefined {
  if (flags.rate !== 'auto' && flags.maxRate !== undefined) throw new UserInputError('--max-rate', 'caps the rate search only: give --rate auto');
  if (flags.rate === undefined) {
    for (const [flag, value] of [['--arrival', flags.arrival], ['--burstiness', flags.burstiness]] as const) {
      if (value !== undefined) throw new UserInputError(flag, 'applies to open-loop sweeps only: give --rate');
    }
    return undefined;
  }
  if (flags.concurrency !== undefined && flags.concurrency !== 'auto') throw new UserInputError('--rate', 'give --rate (open loop) or --concurrency (closed loop), not both');
  const arrival = (flags.arrival ?? 'poisson') as ArrivalProcess;
  if (!ARRIVAL_PROCESSES.includes(arrival)) throw new UserInputError('--arrival', `'${flags.arrival}' is not one of ${ARRIVAL_PROCESSES.join(', ')}`);
  const burstiness = flags.burstiness !== undefined ? positiveNumberFlag('--burstiness', flags.burstiness) : undefined;
  if (burstiness !== undefined && arrival !== 'gamma' && burstiness !== 1) throw new UserInputError('--burstiness', `applies to --arrival gamma only (got --arrival ${arrival})`);
  const auto = flags.rate === 'auto';
  if (auto && flags.slo === undefined) throw new UserInputError('--rate', "auto searches for the highest rate meeting the SLOs: give --slo (e.g. --slo ttft=2000,itl=100)");
  if (auto && flags.maxRate === undefined) throw new UserInputError('--max-rate', 'give the highest rate the search may try, requests/s (--rate auto)');
  const maxRatePerS = auto ? positiveNumberFlag('--max-rate', flags.maxRate ?? '') : undefined;
  const rates = auto ? 'auto' : parseRates(flags.rate);
  for (const ratePerS of rates === 'auto' ? [maxRatePerS ?? 0] : rates) validateArrivals({ ratePerS, process: arrival, burstiness });
  const maxConcurrency = flags.maxConcurrency !== undefined ? wholeNumberFlag('--max-concurrency', flags.maxConcurrency) : undefined;
  return { rates, ...(maxRatePerS !== undefined ? { maxRatePerS } : {}), arrival, ...(burstiness !== undefined ? { burstiness } : {}), ...(maxConcurrency !== undefined ? { maxConcurrency } : {}), ...(seed !== undefined ? { seed } : {}) };
}

/** A progress bar per level on a terminal; nothing in between on a pipe (one line per level is printed instead). */
function createProgress(io: SweepIo, flags: { durationS?: number; requests?: number; speedup?: number }) {
  const tty = io.stderr.isTTY === true;
  let bar: SingleBar | undefined;
  let done = 0;
  let startMs = 0;
  let tokenMismatch: { client: number; server: number } | undefined;
  const total = flags.requests ?? Math.round(flags.durationS ?? 0);
  return {
    start(concurrency: number): void {
      done = 0;
      startMs = performance.now();
      if (!tty) return;
      const unit = flags.requests !== undefined ? 'requests' : 's';
      bar = new SingleBar({ stream: io.stderr, format: `c=${concurrency} [{bar}] {value}/{total} ${unit} | {done} done`, hideCursor: true });
      bar.start(total, 0, { done: 0 });
    },
    /** Measured requests completed so far in the level (client processes report counts, not records). */
    measured(count: number): void {
      done = count;
      const value = flags.requests !== undefined ? done : Math.min(total, Math.floor(((performance.now() - startMs) / 1000) * (flags.speedup ?? 1)));
      bar?.update(value, { done });
    },
    record(record: RequestRecord): void {
      if (record.serverInputTokens !== undefined && record.serverInputTokens !== record.inputTokens) {
        tokenMismatch ??= { client: record.inputTokens, server: record.serverInputTokens };
      }
      if (record.warmup === true) return;
      done += 1;
      // Time-based windows count endpoint seconds (wall seconds × speedup of a local endpoint).
      const value = flags.requests !== undefined ? done : Math.min(total, Math.floor(((performance.now() - startMs) / 1000) * (flags.speedup ?? 1)));
      bar?.update(value, { done });
    },
    level(level: LevelResult, resumed: boolean): void {
      bar?.stop();
      bar = undefined;
      io.stderr.write(levelLine(level, resumed));
    },
    /** Prompts are built with the Llama tokenizer; a server counting otherwise is worth a warning. */
    finish(): void {
      bar?.stop(); // a level cut short by Ctrl-C never reported its end
      bar = undefined;
      if (tokenMismatch === undefined) return;
      io.stderr.write(
        `warning: the server counted ${tokenMismatch.server} input tokens for a prompt built to ${tokenMismatch.client} ` +
          `(its tokenizer differs from Llama's); --input-tokens is approximate for this model\n`,
      );
    },
  };
}

/** `llm-bench sweep`: parses flags, runs the sweep into --out, writes the report, prints a summary or sweep.json. */
export async function runSweepCommand(flags: SweepFlags, io: SweepIo = { stdout: process.stdout, stderr: process.stderr }): Promise<SweepResult> {
  const spec = parseTargetSpec(flags.target, '--target');
  const seed = flags.seed !== undefined ? wholeNumberFlag('--seed', flags.seed, { min: 0 }) : undefined;
  const openLoop = openLoopOf(flags, seed);
  const slo = flags.slo !== undefined ? parseSlo(flags.slo, '--slo') : undefined;
  if (slo !== undefined && (slo.ttftMs !== undefined || slo.itlMs !== undefined) && flags.stream !== true) {
    throw new UserInputError('--slo', 'ttft and itl are measured on streamed responses only: add --stream');
  }
  if (flags.minSloAttainment !== undefined && slo === undefined) throw new UserInputError('--min-slo-attainment', 'needs --slo');
  const levels = openLoop !== undefined ? [] : parseConcurrencyLevels(flags.concurrency ?? 'auto');
  if (flags.duration !== undefined && flags.requests !== undefined) throw new UserInputError('--duration', 'give --duration or --requests, not both');
  const requests = flags.requests !== undefined ? wholeNumberFlag('--requests', flags.requests) : undefined;
  const durationS = requests === undefined ? (flags.duration !== undefined ? positiveNumberFlag('--duration', flags.duration) : DEFAULT_LEVEL_DURATION_S) : undefined;
  const maxConcurrency = openLoop === undefined ? wholeNumberFlag('--max-concurrency', flags.maxConcurrency ?? String(DEFAULT_AUTO_MAX_CONCURRENCY)) : undefined;
  const stopRules: StopRuleConfig = {
    invocationTimeoutMs: positiveNumberFlag('--timeout', flags.timeout) * 1000,
    maxErrorRate: numberFlag('--max-error-rate', flags.maxErrorRate, { max: 1 }),
    // A fixed list measures every level unless asked to stop on a plateau.
    plateauGain: flags.plateauGain !== undefined ? numberFlag('--plateau-gain', flags.plateauGain, { min: -1 }) : levels === 'auto' ? DEFAULT_PLATEAU_GAIN : -Infinity,
    ...(flags.latencySlo !== undefined ? { latencySloMsPerToken: positiveNumberFlag('--latency-slo', flags.latencySlo) } : {}),
    ...(flags.minSloAttainment !== undefined
      ? { minSloAttainment: numberFlag('--min-slo-attainment', flags.minSloAttainment, { min: 0, max: 1 }) }
      : openLoop?.rates === 'auto'
        ? { minSloAttainment: DEFAULT_MIN_SLO_ATTAINMENT }
        : {}),
  };
  const api = flags.api !== undefined ? parseRequestApi(flags.api, '--api') : defaultApi(spec);
  const container = flags.container !== undefined ? parseServingContainer(flags.container, '--container') : undefined;
  if (container !== undefined && spec.kind !== 'sagemaker') throw new UserInputError('--container', 'applies to sagemaker: targets only (it decides their stream framing)');
  const info = await detectServerInfo(spec, flags.endpointUrl);
  const processCount = flags.processes !== undefined ? wholeNumberFlag('--processes', flags.processes, { max: MAX_PROCESSES }) : 1;
  const payloadOptions: PayloadOptions = {
    api,
    inputTokens: parseLengthDistribution(flags.inputTokens, '--input-tokens'),
    outputTokens: parseLengthDistribution(flags.outputTokens, '--output-tokens'),
    seed,
    datasetPath: flags.dataset,
    limits: {
      maxInputTokens: flags.maxInputTokens !== undefined ? wholeNumberFlag('--max-input-tokens', flags.maxInputTokens) : info.maxInputTokens,
      maxTotalTokens: flags.maxTotalTokens !== undefined ? wholeNumberFlag('--max-total-tokens', flags.maxTotalTokens) : info.maxTotalTokens,
    },
  };
  const payload = createPayloadSource(payloadOptions);
  const deployment = deploymentOf(flags);
  const speedup = flags.speedup !== undefined ? positiveNumberFlag('--speedup', flags.speedup) : info.speedup;
  // An open loop without a cap may have many requests in flight: one socket each, up to the highest closed-loop default.
  const maxSockets = openLoop !== undefined ? (openLoop.maxConcurrency ?? 1024) : levels === 'auto' ? (maxConcurrency ?? DEFAULT_AUTO_MAX_CONCURRENCY) : Math.max(...levels);
  const targetOptions = {
    maxSockets,
    // The deadline is endpoint time: a time-compressed local endpoint answers `speedup` times sooner.
    timeoutMs: stopRules.invocationTimeoutMs / (speedup ?? 1),
    stream: flags.stream === true,
    retries: wholeNumberFlag('--retries', flags.retries, { min: 0 }),
    region: flags.region,
    endpointUrl: flags.endpointUrl,
    model: flags.model,
    api,
    container,
  };
  const target = createTarget(spec, targetOptions, '--api');
  // SageMaker targets: each level joined to the endpoint's CloudWatch metrics (--telemetry off skips it).
  const maxWaitS = parseSettleSeconds(flags.telemetryMaxWait, '--telemetry-max-wait');
  const telemetry = await sweepTelemetry({
    spec,
    mode: parseTelemetryMode(flags.telemetry),
    region: flags.region,
    endpointUrl: flags.endpointUrl,
    instanceType: deployment?.instanceType ?? flags.instance,
    ...(maxWaitS !== undefined ? { settle: { maxWaitS } } : {}),
  });
  const progress = createProgress(io, { durationS, requests, speedup });
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  let sweep: SweepResult;
  try {
    sweep = await runSweep({
      target,
      payload,
      levels,
      outDir: flags.out,
      durationS,
      requests,
      // Closed loop: one warm-up request per worker; open loop: none unless asked (its key is not a worker count).
      warmupRequests: flags.warmup !== undefined ? wholeNumberFlag('--warmup', flags.warmup, { min: 0 }) : openLoop !== undefined ? 0 : (c) => c,
      stopRules,
      // An explicit --api names itself in the default label (rows of an API comparison).
      label: flags.label ?? `${spec.kind === 'sagemaker' ? spec.endpointName : spec.url} ${flags.inputTokens}/${flags.outputTokens}${flags.api !== undefined ? ` ${api}` : ''}`,
      deployment,
      maxConcurrency,
      ...(openLoop !== undefined ? { openLoop } : {}),
      ...(slo !== undefined ? { slo } : {}),
      speedup,
      gzipRecords: flags.gzip === true,
      latencyBoundMsPerToken: flags.latencyBound !== undefined ? positiveNumberFlag('--latency-bound', flags.latencyBound) : undefined,
      restart: flags.restart === true,
      repeat: flags.repeat !== undefined ? wholeNumberFlag('--repeat', flags.repeat) : undefined,
      minCompletionsPerSlot: wholeNumberFlag('--min-completions-per-slot', flags.minCompletionsPerSlot ?? String(DEFAULT_MIN_COMPLETIONS_PER_SLOT), { min: 0 }),
      onOpen: (run) => {
        if (run.movedAsideTo !== undefined) io.stderr.write(`--restart: moved the previous run aside to ${run.movedAsideTo}\n`);
        if (run.tookOver !== undefined) io.stderr.write(`took over a stale lock of ${describeOwner(run.tookOver)} (that process is gone)\n`);
        if (run.resumed) io.stderr.write(`resuming the run started ${run.manifest.startedAt} in ${flags.out} (same run identity ${run.manifest.identityHash.slice(0, 19)}…)\n`);
      },
      signal: controller.signal,
      onLevelStart: (c) => progress.start(c),
      onRecord: (r) => progress.record(r),
      onLevel: (level, resumed) => progress.level(level, resumed),
      ...(telemetry !== undefined ? { enrichLevel: telemetry.enrichLevel } : {}),
      ...(info.twinLag !== undefined ? { twinLag: info.twinLag } : {}),
      // --processes N: each client process makes the same target and payload (its own payload seed) from these.
      ...(processCount > 1 ? { processes: { count: processCount, workload: { target: spec, targetOptions, payload: payloadOptions } }, onProgress: (n: number) => progress.measured(n) } : {}),
    });
  } finally {
    telemetry?.close();
    progress.finish();
    process.removeListener('SIGINT', onSigint);
    await target.close();
  }
  if (flags.json === true) io.stdout.write(JSON.stringify(sweep, null, 2) + '\n');
  else io.stdout.write(sweepSummary(sweep, join(flags.out, REPORT_FILES.html)));
  return sweep;
}

function sweepSummary(sweep: SweepResult, htmlPath: string): string {
  // Levels by name: c=8, or 0.5 req/s for an open-loop level (its key is not a concurrency).
  const named = (key: number): string => levelName(sweep.levels.find((l) => l.concurrency === key) ?? { concurrency: key });
  const lines = [`sweep '${sweep.label}': ${sweep.levels.length} levels, stopped: ${sweep.stopReason ? formatStopReason(sweep.stopReason) : 'completed'}`];
  if (sweep.maxThroughput) lines.push(`  max throughput ${sweep.maxThroughput.tokensPerS.toFixed(1)} tokens/s at ${named(sweep.maxThroughput.concurrency)}`);
  if (sweep.minLatency) lines.push(`  min latency ${sweep.minLatency.msPerToken.toFixed(1)} ms/token at ${named(sweep.minLatency.concurrency)}`);
  if (sweep.maxFeasibleConcurrency !== undefined) lines.push(`  max feasible level ${named(sweep.maxFeasibleConcurrency)}`);
  if (sweep.knee) lines.push(`  knee ${named(sweep.knee.concurrency)} (${sweep.knee.rule})`);
  if (sweep.maxGoodput) lines.push(`  max goodput ${sweep.maxGoodput.tokensPerS.toFixed(1)} tokens/s at ${named(sweep.maxGoodput.concurrency)} (SLO attainment ${(sweep.maxGoodput.attainment * 100).toFixed(1)} %)`);
  if (sweep.minCostAtSlo) {
    const at = sweep.minCostAtSlo;
    lines.push(`  $ per 1M tokens at SLO ${at.usdPerMillionTokens.toFixed(3)} at ${named(at.concurrency)} (attainment ${(at.attainment * 100).toFixed(1)} % ≥ ${(at.minAttainment * 100).toFixed(1)} %)`);
  }
  if (sweep.cost) lines.push(`  cost ${sweep.cost.levelSeconds.toFixed(0)} level-seconds (${sweep.cost.instanceSeconds.toFixed(0)} instance-seconds)`);
  lines.push(`  report: ${htmlPath}`);
  return lines.join('\n') + '\n';
}

export function register(program: Command): void {
  const command = program
    .command('sweep')
    .description('measure an endpoint over concurrency levels (closed loop), write records, sweep.json and the report')
    .requiredOption('--target <spec>', "tgi:URL | openai:URL | sagemaker:ENDPOINT[:COMPONENT]")
    .option('--concurrency <levels>', "closed loop: comma-separated levels, or 'auto' (double until a stop rule fires, then bisect) (default: auto)")
    .option('--rate <r1,r2,...|auto>', "open loop: offered requests/s per level, sent whatever the endpoint does; 'auto' searches for the highest rate meeting --slo (needs --max-rate)")
    .option('--max-rate <r>', '--rate auto: highest rate to try, requests/s')
    .option('--arrival <process>', `open loop arrivals: ${ARRIVAL_PROCESSES.join(' | ')} (default poisson)`)
    .option('--burstiness <k>', 'gamma arrivals: shape k (1 = Poisson, < 1 burstier)')
    .option('--slo <bounds>', 'per-request SLOs, any of ttft=MS,itl=MS,e2e=MS,msPerToken=MS: levels report goodput and attainment')
    .option('--min-slo-attainment <r>', `stop when fewer than this share of requests meet every SLO (e.g. 0.9; --rate auto: default ${DEFAULT_MIN_SLO_ATTAINMENT})`)
    .option('--input-tokens <n|dist>', "exact prompt tokens (Llama tokenizer, BOS included), or a distribution: 'normal:MEAN,SD', 'uniform:MIN,MAX', 'lognormal:MU,SIGMA'", '256')
    .option('--output-tokens <n|dist>', 'max_new_tokens, fixed or a distribution (as --input-tokens); a dataset row\'s outputTokens wins', '256')
    .option('--max-input-tokens <n>', 'clip drawn input lengths to this (default: the server\'s max_input_tokens from GET /info)')
    .option('--max-total-tokens <n>', 'clip input + output to this (default: the server\'s max_total_tokens from GET /info)')
    .option('--duration <s>', `measured window per level, s (default ${DEFAULT_LEVEL_DURATION_S})`)
    .option('--requests <n>', 'measured requests per level (instead of --duration)')
    .option('--warmup <n>', 'warm-up requests per level (default: one per worker)')
    .option('--timeout <s>', `client deadline per request, s (SageMaker real-time: ${SAGEMAKER_INVOCATION_TIMEOUT_S})`, String(SAGEMAKER_INVOCATION_TIMEOUT_S))
    .option('--retries <n>', 'SDK retries per request (SageMaker, standard mode)', '2')
    .option('--stream', 'use the streaming API (TTFT and inter-token latency)')
    .option('--api <api>', "request body: generate (TGI inputs) | completions (prompt) | chat (messages); default generate, completions for openai:")
    .option('--container <kind>', 'container behind a sagemaker: endpoint: tgi (SSE streams, the default) | lmi (JSON-lines streams)')
    .option('--region <region>', 'AWS region (SageMaker)')
    .option('--endpoint-url <url>', 'SageMaker runtime URL override, e.g. a local endpoint')
    .option('--label <text>', 'configuration label in reports')
    .option('--hourly-usd <usd>', 'price of all instances per hour, for cost figures')
    .option('--instance <type>', 'instance type priced from the catalog (with --instances)')
    .option('--instances <n>', 'instance count behind the endpoint');
  addPriceOptions(command)
    .requiredOption('--out <dir>', 'output folder (re-running the same sweep into it resumes; one run at a time)')
    .option('--json', 'print sweep.json to stdout')
    .option('--max-concurrency <n>', `closed loop: highest level of an adaptive sweep (default ${DEFAULT_AUTO_MAX_CONCURRENCY}); open loop: cap on requests in flight (arrivals over it wait)`)
    .option('--max-error-rate <r>', 'highest tolerated error rate (timeouts excluded)', String(DEFAULT_MAX_ERROR_RATE))
    .option('--plateau-gain <r>', `stop when throughput gains less than this per doubling (auto default ${DEFAULT_PLATEAU_GAIN}; lists: off)`)
    .option('--latency-slo <ms>', 'stop when mean ms/token exceeds this')
    .option('--latency-bound <ms>', `knee latency bound, ms/token (default ${DEFAULT_LATENCY_BOUND_MS_PER_TOKEN})`)
    .option('--dataset <path>', 'JSONL file of {"prompt": ...} or {"messages": [...]} lines, each with an optional "outputTokens": N, instead of built prompts')
    .option('--seed <n>', 'seed of the prompt builder / dataset order')
    .option('--speedup <x>', 'time compression of a local endpoint (default: read from GET /info)')
    .option('--model <name>', "OpenAI 'model' field")
    .option('--gzip', 'write records as .jsonl.gz')
    .option('--repeat <n>', 'measure each level n times: mean and 95 % CI (Student t) of throughput, ms/token p50, TTFT p50', '1')
    .option('--min-completions-per-slot <n>', `extend a level's window until n requests per worker completed (at most ${MAX_WINDOW_EXTENSION}× --duration; default ${DEFAULT_MIN_COMPLETIONS_PER_SLOT})`)
    .option('--processes <n>', `client processes to spread each level's load over (workers or rate split evenly; records merged exactly; 1 to ${MAX_PROCESSES})`, '1')
    .option('--restart', 'move a different run already in --out aside (to OUT.replaced-TIME) and start afresh')
    .option('--telemetry <on|off>', "SageMaker targets: join each level to the endpoint's CloudWatch metrics (GPU utilization, model and overhead latency)", 'on')
    .option('--telemetry-max-wait <s>', "longest wait after a level for CloudWatch to publish its last period, endpoint s (180)")
    .action(async (flags: SweepFlags) => {
      await runSweepCommand(flags);
    });
}
