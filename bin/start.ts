/**
 * `npm start`: the benchmark pipeline, offline. Synthesizes the default fleet, executes its sweep
 * state machine locally for every deployment (concurrently), each against a time-compressed local
 * endpoint twin, and writes the fleet report beside the deployments' own reports. Options:
 * --deployment ID (one deployment), --endpoint-url URL (one deployment against any
 * SageMaker-protocol endpoint), --speedup X, --out DIR, --run-id ID (resume), --fleet PATH,
 * --scenario KIND (an autoscaling scenario on --deployment's twin) with --capacity key=value,….
 */
// The SDK warns once per process that Node 20 support ends in 2027; npm start's output stays clean.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { isUserFacing, UserInputError } from '../lib/errors';
import { formatStopReason } from '../lib/results/stop-reason';
import type { CapacityTimingParams } from '../lib/planner/capacity-timing';
import { parseCapacityFlag } from '../loadtest/cli/capacity-flag';
import { runIdProblem } from '../loadtest/pipeline/layout';
import { describeOwner } from '../loadtest/pipeline/run-lock';
import type { OfflineProgress } from '../loadtest/offline/run-offline';

/** The run in progress, so an interruption can say where its merged levels are and how to resume. */
let currentRun: { runId: string; outDir: string } | undefined;

function onInterrupt(signal: NodeJS.Signals): void {
  const resume = currentRun ? `; merged levels stay in ${currentRun.outDir}, resume with: npm start -- --run-id ${currentRun.runId}` : '';
  console.error(`\ninterrupted (${signal})${resume}`);
  process.exit(130);
}

function printProgress(event: OfflineProgress): void {
  switch (event.kind) {
    case 'synthesized':
      console.log(`synthesized fleet '${event.fleet}' (${event.deployments} deployments) in ${(event.durationMs / 1000).toFixed(1)} s`);
      break;
    case 'endpoint':
      console.log(
        `${event.local ? 'local endpoint twin' : 'endpoint'} of ${event.deploymentId} (${event.endpointName}) at ${event.url}, speedup ${event.speedup}×`,
      );
      if (event.containerFailure !== undefined) console.error(`container did not start: ${event.containerFailure}`);
      break;
    case 'run':
      currentRun = { runId: event.runId, outDir: event.outDir };
      if (event.movedAsideTo !== undefined) console.log(`--restart: moved the previous run aside to ${event.movedAsideTo}`);
      console.log(`run ${event.runId} → ${event.outDir}${event.resumed ? ' (resuming: same run identity)' : ''}`);
      break;
    case 'took-over':
      console.log(`took over a stale lock of ${describeOwner(event.owner)} (that process is gone)`);
      break;
    case 'level-start':
      process.stdout.write(`  level c=${String(event.concurrency).padEnd(4)} (${event.workers} worker${event.workers > 1 ? 's' : ''}) … `);
      break;
    case 'level': {
      const l = event.level;
      const errors = l.requests - l.ok;
      console.log(
        `${l.throughputTokensPerS.toFixed(0).padStart(6)} tokens/s, ${l.msPerTokenP50.toFixed(1).padStart(6)} ms/token p50, ${l.requests} requests${errors > 0 ? `, ${errors} errors` : ''}${l.timeouts > 0 ? ` (${l.timeouts} timeouts)` : ''}${l.twin === 'lagging' ? ' [twin lagging]' : ''}`,
      );
      break;
    }
    case 'done':
      console.log(event.succeeded ? `sweep done: ${event.stopReason ? formatStopReason(event.stopReason) : 'completed'}` : `sweep FAILED${event.failure ? ` at ${event.failure.step}: ${event.failure.message}` : ''}`);
      break;
  }
}

/** How a deployment's run was claimed, when it is worth a line: resumed, restarted, a stale lock taken over. */
function printRunClaim(deploymentId: string, event: OfflineProgress): void {
  if (event.kind === 'took-over') console.log(`  ${deploymentId}: took over a stale lock of ${describeOwner(event.owner)} (that process is gone)`);
  if (event.kind === 'run' && event.movedAsideTo !== undefined) console.log(`  ${deploymentId}: --restart moved the previous run aside to ${event.movedAsideTo}`);
  if (event.kind === 'run' && event.resumed) console.log(`  ${deploymentId}: resuming run ${event.runId} (same run identity)`);
}

interface StartOptions {
  readonly deployment?: string;
  readonly endpointUrl?: string;
  readonly endpointName?: string;
  readonly inferenceComponent?: string;
  readonly speedup?: string;
  readonly out: string;
  readonly runId?: string;
  readonly restart?: boolean;
  readonly fleet: string;
  readonly debug?: boolean;
  readonly scenario?: string;
  readonly capacity?: string;
}

/** Checks every option before the (slower) synth, so a typo costs nothing and writes nothing. */
function validateOptions(opts: StartOptions): { speedup?: number; capacity?: Partial<CapacityTimingParams> } {
  let speedup: number | undefined;
  let capacity: Partial<CapacityTimingParams> | undefined;
  if (opts.capacity !== undefined) {
    if (opts.scenario === undefined) throw new UserInputError('--capacity', "sets the autoscaling twin's capacity model: give it with --scenario KIND");
    capacity = parseCapacityFlag(opts.capacity);
  }
  if (opts.speedup !== undefined) {
    speedup = Number(opts.speedup);
    if (opts.speedup.trim() === '' || !Number.isFinite(speedup) || speedup <= 0) {
      throw new UserInputError('--speedup', `'${opts.speedup}' is not a number > 0 (e.g. 30 runs the local endpoint 30× faster than real time)`);
    }
  }
  if (opts.runId !== undefined) {
    const problem = runIdProblem(opts.runId);
    if (problem) throw new UserInputError('--run-id', problem);
  }
  if (opts.endpointUrl !== undefined) {
    let protocol = '';
    try {
      protocol = new URL(opts.endpointUrl).protocol;
    } catch {
      // reported below
    }
    if (protocol !== 'http:' && protocol !== 'https:') {
      throw new UserInputError('--endpoint-url', `'${opts.endpointUrl}' is not an http(s) URL (e.g. http://127.0.0.1:8080)`);
    }
  }
  ensureWritableFolder(path.resolve(opts.out));
  return { ...(speedup !== undefined ? { speedup } : {}), ...(capacity !== undefined ? { capacity } : {}) };
}

/**
 * Creates `dir` one level at a time and writes a probe file into it. (Node's recursive mkdir
 * never returns under /proc, and access(W_OK) says yes to root everywhere, so neither is enough.)
 */
function ensureWritableFolder(dir: string): void {
  const missing: string[] = [];
  let existing = dir;
  while (!fs.existsSync(existing)) {
    missing.unshift(existing);
    existing = path.dirname(existing);
  }
  try {
    for (const folder of missing) fs.mkdirSync(folder);
    const probe = path.join(dir, `.write-probe-${process.pid}`);
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UserInputError('--out', `cannot write to results folder '${dir}' (${code}); pass a writable folder`);
  }
}

/** One deployment against `--endpoint-url` (any SageMaker-protocol endpoint): per-level lines, its own report. */
async function runOne(opts: StartOptions, common: { speedup?: number; outDir: string; runId?: string; restart: boolean; fleetPath: string }, started: number): Promise<void> {
  const { runOffline } = await import('../loadtest/offline/run-offline');
  const { formatSummaryTable } = await import('../loadtest/offline/summary-table');
  const result = await runOffline({
    ...common,
    deployment: opts.deployment,
    endpointUrl: opts.endpointUrl,
    endpointName: opts.endpointName,
    inferenceComponentName: opts.inferenceComponent,
    onProgress: printProgress,
  });
  const { twinLagWarning } = await import('../loadtest/offline/twin-lag-warning');
  console.log('');
  if (result.sweep) console.log(formatSummaryTable(result.sweep));
  const lagged = twinLagWarning([result.sweep]);
  if (lagged !== undefined) console.error(lagged);
  console.log('\nreport files:');
  for (const kind of ['html', 'json', 'markdown', 'svg', 'csv'] as const) console.log(`  ${result.files[kind]}`);
  console.log(`\n${result.succeeded ? 'done' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (!result.succeeded) {
    const failure = result.sweep?.failure;
    // The failed step is the field at fault; levels measured before it stay in the report.
    console.error(`error: ${failure ? `${failure.step}: ${failure.message}` : (result.error ?? 'the sweep failed')}`);
    process.exitCode = 1;
  }
}

/**
 * `--scenario KIND --deployment ID`: the synthesized state machine's scenario path against the
 * deployment's autoscaling twin; scenario.json, its time series and report, and the EMF document.
 */
async function runScenario(
  opts: StartOptions,
  common: { speedup?: number; outDir: string; runId?: string; fleetPath: string },
  capacity: Partial<CapacityTimingParams> | undefined,
  started: number,
): Promise<void> {
  if (opts.deployment === undefined) throw new UserInputError('--scenario', 'needs --deployment ID (a deployment that declares the scenario in benchmark.scenarios)');
  if (opts.endpointUrl !== undefined) throw new UserInputError('--scenario', 'runs against the local autoscaling twin; use `llm-bench scenario --target` for another endpoint');
  const { runScenarioPipelineOffline } = await import('../loadtest/offline/run-scenario-offline');
  console.log(`scenario ${opts.scenario} on ${opts.deployment}: the synthesized state machine's scenario path against its autoscaling twin (policies from its synthesized template) …`);
  const run = await runScenarioPipelineOffline({
    deployment: opts.deployment,
    scenario: opts.scenario as string,
    fleetPath: common.fleetPath,
    outDir: common.outDir,
    ...(common.speedup ? { speedup: common.speedup } : {}),
    ...(common.runId ? { runId: common.runId } : {}),
    ...(capacity ? { capacity } : {}),
    onProgress: (message) => console.log(message),
  });
  if (!run.succeeded || run.result === undefined) {
    const failure = run.result?.failure;
    if (failure !== undefined) console.error(`partial report (what was measured until ${failure.state} failed): ${run.files.html}`);
    console.error(`error: the scenario failed: ${failure ? `${failure.state}: ${failure.error}${failure.cause ? ` (${failure.cause})` : ''}` : (run.error ?? 'no scenario.json was written')}`);
    process.exitCode = 1;
    return;
  }
  const f = run.result.figures;
  const s = (v: number | undefined): string => (v === undefined ? '—' : `${v.toFixed(1)} s`);
  console.log(`copies ${f.startCapacity} → ${f.peakCapacity}; time to first added capacity ${s(f.timeToFirstAddedCapacityS)}, to full capacity ${s(f.timeToFullCapacityS)}${f.coldStartS !== undefined ? `, cold start ${s(f.coldStartS)}` : ''}; ${f.requests - f.ok} of ${f.requests} requests failed; $${f.costUsd.toFixed(2)}`);
  console.log('\nscenario files:');
  for (const file of Object.values(run.files)) console.log(`  ${file}`);
  console.log(`  ${run.emfPath} (EMF: TimeToFirstAddedCapacityS, ColdStartS, …)`);
  console.log(`\ndone in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('npm start')
    .description('Run the benchmark pipeline offline: synthesized state machine, local endpoint, report in ./bench-results')
    .option('--deployment <id>', 'run only this deployment of the fleet (default: every deployment)')
    .option('--endpoint-url <url>', 'run against this SageMaker-protocol endpoint instead of a local twin')
    .option('--endpoint-name <name>', "endpoint name to invoke at --endpoint-url (default: the deployment's)")
    .option('--inference-component <name>', 'inference component to address with --endpoint-name')
    .option('--speedup <x>', 'time compression of the local endpoint (default 30; 1 with --endpoint-url)')
    .option('--out <dir>', 'results folder', 'bench-results')
    .option('--run-id <id>', 'run id (an existing one with the same settings resumes)')
    .option('--restart', 'move an existing run of --run-id aside and start it afresh')
    .option('--fleet <path>', 'fleet file', 'fleets/published-study.yaml')
    .option('--scenario <kind>', 'run an autoscaling scenario (ramp, spike, scale-from-zero) on --deployment instead of the sweep')
    .option('--capacity <key=value,...>', "--scenario: the twin's capacity model over the fleet's benchmark.twin.capacity: containerStartS, downloadGBps, loadToGpuGBps, instanceProvisionS (e.g. containerStartS=10,downloadGBps=1.5)")
    .option('--debug', 'print stack traces')
    .exitOverride()
    .configureOutput({ outputError: () => undefined });
  try {
    program.parse([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode !== 0) {
        // One line naming the option at fault, like every other user error.
        const field = /'(--?[\w-]+)/.exec(error.message)?.[1] ?? 'options';
        console.error(`error: ${field}: ${error.message.replace(/^error: /, '')} (see npm start -- --help)`);
      }
      process.exitCode = error.exitCode;
      return;
    }
    throw error;
  }
  const opts = program.opts<StartOptions>();
  const started = Date.now();
  try {
    const { speedup, capacity } = validateOptions(opts);
    process.once('SIGINT', onInterrupt).once('SIGTERM', onInterrupt);
    // Loaded after validation: a bad option is refused in well under a second (CDK loads slowly).
    const common = { speedup, outDir: opts.out, runId: opts.runId, restart: opts.restart === true, fleetPath: opts.fleet };
    if (opts.scenario !== undefined) {
      await runScenario(opts, common, capacity, started);
      return;
    }
    if (opts.endpointUrl !== undefined) {
      await runOne(opts, common, started);
      return;
    }
    const { runFleetOffline } = await import('../loadtest/offline/run-fleet');
    const { FleetProgressView, formatFleetTable } = await import('../loadtest/offline/fleet-progress');
    const { formatSummaryTable } = await import('../loadtest/offline/summary-table');
    const view = new FleetProgressView();
    const fleet = await runFleetOffline({
      ...common,
      ...(opts.deployment !== undefined ? { deployments: [opts.deployment] } : {}),
      onProgress: (event) => {
        if (event.kind === 'fleet') currentRun = { runId: event.runId, outDir: event.outDir };
        if (event.kind === 'deployment') printRunClaim(event.deploymentId, event.event);
        view.onProgress(event);
      },
    });
    console.log('');
    if (fleet.results.length === 1 && fleet.results[0].sweep) console.log(`${formatSummaryTable(fleet.results[0].sweep)}\n`);
    console.log(formatFleetTable(fleet.report));
    const { twinLagWarning } = await import('../loadtest/offline/twin-lag-warning');
    const lagged = twinLagWarning(fleet.results.map((r) => r.sweep));
    if (lagged !== undefined) console.error(lagged);
    console.log('\nfleet report:');
    for (const kind of ['html', 'markdown', 'json', 'svg'] as const) if (fleet.files[kind]) console.log(`  ${fleet.files[kind]}`);
    console.log('deployment reports:');
    for (const r of fleet.results) console.log(`  ${r.files.html}`);
    console.log(`\n${fleet.succeeded ? 'done' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (!fleet.succeeded) {
      const failed = fleet.report.deployments.filter((d) => d.status === 'failed' || d.status === 'missing');
      console.error(`error: ${failed.map((d) => `${d.id}: ${d.reason ?? d.status}`).join('; ') || 'a deployment failed'}`);
      process.exitCode = 1;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`error: ${message}${isUserFacing(error) ? '' : ' (run with --debug for the stack trace)'}`);
    if (opts.debug && error instanceof Error) console.error(error.stack);
    process.exitCode = 1;
  }
}

void main(process.argv);
