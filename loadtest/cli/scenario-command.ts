import type { Command } from 'commander';
import { getInstanceType } from '../../lib/catalog';
import { UserInputError } from '../../lib/errors';
import type { ArrivalProcess } from '../../lib/results/records';
import { SCENARIO_LOADS, type ScenarioLoad, type ScenarioResult, type ScenarioSpec } from '../../lib/results/scenario';
import { createPayloadSource } from '../payload';
import { capacityClients, createCapacityReader } from '../scenario/capacity-reader';
import { writeScenarioFiles } from '../scenario/report';
import { socketsFor } from '../scenario/schedule';
import { REAL_TIME, runScenario, type EndpointClock } from '../scenario/run-scenario';
import { scenarioSpec } from '../../lib/results/scenario-schedule';
import { createTarget, parseTargetSpec } from '../targets';
import { parseCapacityFlag } from './capacity-flag';
import { numberFlag, optionalWholeNumberFlag, positiveNumberFlag, wholeNumberFlag } from './flag-values';
import { cloudWatchClientOf, createScenarioTelemetry, gpusOf, parseSettleSeconds, parseTelemetryMode } from '../telemetry';

/**
 * `llm-bench scenario ramp|spike|scale-from-zero`: offered load over time against an autoscaled
 * endpoint (a SageMaker endpoint, or the in-process autoscaling twin of a fleet deployment with
 * `--twin`), capacity and scaling activities read every `--sample` s, then scenario.json and its report.
 */

interface ScenarioFlags {
  readonly target?: string;
  readonly twin?: string;
  readonly fleet?: string;
  readonly endpointUrl?: string;
  readonly region?: string;
  readonly load?: string;
  readonly arrival?: string;
  readonly burstiness?: string;
  readonly seed?: string;
  readonly from?: string;
  readonly to: string;
  readonly over?: string;
  readonly hold?: string;
  readonly fall?: string;
  readonly idle?: string;
  readonly sample?: string;
  readonly sloP99Ms?: string;
  readonly startCopies?: string;
  readonly speedup: string;
  readonly inputTokens: string;
  readonly outputTokens: string;
  readonly price?: string;
  readonly telemetry?: string;
  readonly telemetryMaxWait?: string;
  readonly out: string;
  readonly capacity?: string;
}

const FLAG_OF_SPEC_FIELD: Readonly<Record<string, string>> = {
  kind: 'scenario',
  load: '--load',
  arrival: '--arrival',
  burstiness: '--burstiness',
  seed: '--seed',
  from: '--from',
  to: '--to',
  overS: '--over',
  holdS: '--hold',
  fallS: '--fall',
  idleS: '--idle',
  sampleS: '--sample',
  sloP99LatencyMs: '--slo-p99-ms',
  deployment: '--twin',
};

const optionalSeconds = (flag: string, text: string | undefined): number | undefined => (text === undefined ? undefined : numberFlag(flag, text, { min: 0 }));

export function specOfFlags(kind: string, flags: ScenarioFlags): ScenarioSpec {
  try {
    const rate = flags.load === 'rate';
    return scenarioSpec(kind, {
      ...(flags.load !== undefined ? { load: flags.load as ScenarioLoad } : {}),
      // A rate load counts requests/s (any number), a concurrency load whole streams.
      from: rate ? optionalSeconds('--from', flags.from) : optionalWholeNumberFlag('--from', flags.from, { min: 0 }),
      to: rate ? positiveNumberFlag('--to', flags.to) : wholeNumberFlag('--to', flags.to, { min: 1 }),
      ...(flags.arrival !== undefined ? { arrival: flags.arrival as ArrivalProcess } : {}),
      burstiness: flags.burstiness === undefined ? undefined : positiveNumberFlag('--burstiness', flags.burstiness),
      seed: optionalWholeNumberFlag('--seed', flags.seed, { min: 0 }),
      overS: optionalSeconds('--over', flags.over),
      holdS: optionalSeconds('--hold', flags.hold),
      fallS: optionalSeconds('--fall', flags.fall),
      idleS: optionalSeconds('--idle', flags.idle),
      sampleS: flags.sample === undefined ? undefined : positiveNumberFlag('--sample', flags.sample),
      sloP99LatencyMs: flags.sloP99Ms === undefined ? undefined : positiveNumberFlag('--slo-p99-ms', flags.sloP99Ms),
    });
  } catch (error) {
    throw mapField(error);
  }
}

function mapField(error: unknown): unknown {
  if (!(error instanceof UserInputError)) return error;
  const flag = FLAG_OF_SPEC_FIELD[error.field];
  if (flag === undefined) return error;
  const prefix = `${error.field}: `;
  return new UserInputError(flag, error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message);
}

async function run(kind: string, flags: ScenarioFlags): Promise<ScenarioResult> {
  const spec = specOfFlags(kind, flags);
  const inputTokens = wholeNumberFlag('--input-tokens', flags.inputTokens);
  const outputTokens = wholeNumberFlag('--output-tokens', flags.outputTokens);
  const capacity = flags.capacity === undefined ? undefined : parseCapacityFlag(flags.capacity);
  if (capacity !== undefined && flags.twin === undefined) throw new UserInputError('--capacity', 'sets the twin\'s capacity model: give it with --twin DEPLOYMENT');
  if (flags.twin !== undefined) {
    if (flags.target !== undefined) throw new UserInputError('--twin', 'give --twin DEPLOYMENT or --target, not both');
    // Loaded on use: it synthesizes the fleet (aws-cdk-lib).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runTwinScenario } = require('../scenario/run-twin-scenario') as typeof import('../scenario/run-twin-scenario');
    try {
      const telemetry = parseTelemetryMode(flags.telemetry) === 'on';
      return await runTwinScenario({ deployment: flags.twin, spec, ...(flags.fleet ? { fleetPath: flags.fleet } : {}), ...(capacity ? { capacity } : {}), speedup: positiveNumberFlag('--speedup', flags.speedup), inputTokens, outputTokens, telemetry });
    } catch (error) {
      throw mapField(error);
    }
  }
  if (flags.target === undefined) throw new UserInputError('--target', "give --target sagemaker:ENDPOINT:COMPONENT (or --twin DEPLOYMENT for the offline twin)");
  const target = parseTargetSpec(flags.target, '--target');
  if (target.kind !== 'sagemaker') throw new UserInputError('--target', 'a scenario reads capacity from SageMaker: give sagemaker:ENDPOINT[:COMPONENT]');
  const local = await localInfo(flags.endpointUrl);
  const localPrice = local.instanceType !== undefined ? getInstanceType(local.instanceType).price : undefined;
  const hourlyUsd = flags.price === undefined ? localPrice?.usd : numberFlag('--price', flags.price, { min: 0 });
  if (hourlyUsd === undefined) throw new UserInputError('--price', 'give the instance price in USD/h for the cost figure (llm-bench prices shows it)');
  const clock = local.clock;
  const client = createTarget(target, { maxSockets: socketsFor(spec), endpointUrl: flags.endpointUrl, region: flags.region, retries: 0 });
  // The endpoint's CloudWatch metrics over the run, read once its last period is published (--telemetry-max-wait).
  const maxWaitS = parseSettleSeconds(flags.telemetryMaxWait, '--telemetry-max-wait');
  const cloudWatch = parseTelemetryMode(flags.telemetry) === 'on' ? cloudWatchClientOf({ region: flags.region, endpointUrl: flags.endpointUrl }) : undefined;
  const telemetryTarget = { endpointName: target.endpointName, ...(target.inferenceComponent !== undefined ? { inferenceComponent: target.inferenceComponent } : {}), ...gpusOf(local.instanceType) };
  try {
    return await runScenario({
      ...(cloudWatch
        ? { telemetry: createScenarioTelemetry({ client: cloudWatch, target: telemetryTarget, clock: { speedup: clock.speedup, originMs: 0 }, ...(maxWaitS !== undefined ? { settle: { maxWaitS } } : {}) }) }
        : {}),
      spec,
      target: client,
      payload: createPayloadSource({ inputTokens, outputTokens }),
      capacity: createCapacityReader(capacityClients({ region: flags.region, endpointUrl: flags.endpointUrl }), target.endpointName, target.inferenceComponent),
      clock,
      ...(flags.startCopies !== undefined ? { startCopies: wholeNumberFlag('--start-copies', flags.startCopies, { min: 0 }) } : spec.kind === 'scale-from-zero' ? { startCopies: 0 } : {}),
      hourlyUsd,
      priceSource: flags.price !== undefined ? '--price' : (localPrice?.source.url ?? '--price'),
    });
  } finally {
    cloudWatch?.destroy();
    await client.close();
  }
}

/** A local twin advertises its virtual clock and instance type in GET /info; AWS runs in real time. */
async function localInfo(endpointUrl: string | undefined): Promise<{ clock: EndpointClock; instanceType?: string }> {
  if (endpointUrl === undefined) return { clock: REAL_TIME };
  try {
    const info = (await (await fetch(`${endpointUrl}/info`)).json()) as {
      virtual_clock?: { virtual_now_ms: number; wall_now_ms: number; speedup: number };
      local?: { instance_type?: string };
    };
    const v = info.virtual_clock;
    return {
      clock: v ? { speedup: v.speedup, anchorWallMs: v.wall_now_ms, anchorVirtualMs: v.virtual_now_ms } : REAL_TIME,
      ...(info.local?.instance_type ? { instanceType: info.local.instance_type } : {}),
    };
  } catch {
    return { clock: REAL_TIME };
  }
}

export function register(program: Command): void {
  program
    .command('scenario')
    .description('autoscaling scenario (ramp, spike, scale-from-zero): load over time, capacity and scaling activities, time to capacity, cold start')
    .argument('<kind>', 'ramp | spike | scale-from-zero')
    .option('--target <spec>', 'sagemaker:ENDPOINT[:COMPONENT]')
    .option('--endpoint-url <url>', 'SageMaker API endpoint override (a local twin)')
    .option('--region <region>', 'AWS region', 'us-east-1')
    .option('--twin <deployment>', 'run against the in-process autoscaling twin of this fleet deployment (policies from its synthesized template)')
    .option('--fleet <path>', 'fleet file of --twin (default fleets/published-study.yaml)')
    .option('--load <kind>', `what --from/--to count: ${SCENARIO_LOADS.join(' | ')} (concurrency: closed-loop streams; rate: open-loop requests/s)`, 'concurrency')
    .requiredOption('--to <n>', 'load at the top: concurrency, or requests/s with --load rate')
    .option('--from <n>', 'load at the start (ramp, scale-from-zero: 1; spike: 0)')
    .option('--arrival <process>', 'arrival gaps of --load rate: poisson | gamma | constant (default poisson)')
    .option('--burstiness <k>', 'gamma shape of --arrival gamma (1 = Poisson)')
    .option('--seed <n>', 'seed of --load rate arrivals (default 1)')
    .option('--over <s>', 'rise time, s (ramp 300, scale-from-zero 120)')
    .option('--hold <s>', 'time held at --to, s')
    .option('--fall <s>', 'fall time, s')
    .option('--idle <s>', 'idle time before the load (spike 30, scale-from-zero 10), s')
    .option('--sample <s>', 'sampling interval of the time series, s (5)')
    .option('--slo-p99-ms <ms>', 'latency SLO: a window whose p99 exceeds it is a breach')
    .option('--start-copies <n>', 'set this copy count before the load (scale-from-zero: 0; inference components only)')
    .option('--speedup <x>', 'time compression of --twin', '30')
    .option('--capacity <key=value,...>', "--twin's capacity model over the fleet's benchmark.twin.capacity: containerStartS, downloadGBps, loadToGpuGBps, instanceProvisionS (e.g. containerStartS=10,downloadGBps=1.5)")
    .option('--input-tokens <n>', 'input tokens per request', '256')
    .option('--output-tokens <n>', 'output tokens per request', '128')
    .option('--price <usd>', 'instance price, USD/h (default: the catalog price of a local twin\'s instance)')
    .option('--telemetry <on|off>', "join the endpoint's CloudWatch metrics over the run (GPU utilization, model and overhead latency, concurrency per copy)", 'on')
    .option('--telemetry-max-wait <s>', 'longest wait for CloudWatch to publish the run\'s last period, endpoint s (180)')
    .option('--out <dir>', 'results folder', 'scenario-results')
    .action(async (kind: string, flags: ScenarioFlags) => {
      const result = await run(kind, flags);
      const files = await writeScenarioFiles(flags.out, result);
      const f = result.figures;
      const s = (v: number | undefined): string => (v === undefined ? '—' : `${v.toFixed(1)} s`);
      process.stdout.write(
        `${result.spec.kind}: capacity ${f.startCapacity} → ${f.peakCapacity}, time to first added capacity ${s(f.timeToFirstAddedCapacityS)}, to full ${s(f.timeToFullCapacityS)}` +
          `${f.coldStartS !== undefined ? `, cold start ${s(f.coldStartS)}` : ''}, ${f.requests - f.ok} of ${f.requests} requests failed, $${f.costUsd.toFixed(2)}\n` +
          `wrote ${files.json}, ${files.markdown}, ${files.html}, ${files.svg}\n`,
      );
    });
}
