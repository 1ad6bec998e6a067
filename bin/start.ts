/**
 * `npm start`: the benchmark pipeline, offline. Synthesizes the default fleet, executes its sweep
 * state machine locally against a time-compressed local endpoint twin of the deployment, and
 * prints the report files and a summary table. Options: --deployment ID, --endpoint-url URL,
 * --speedup X, --out DIR, --run-id ID (resume), --fleet PATH.
 */
// The SDK warns once per process that Node 20 support ends in 2027; npm start's output stays clean.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { Command } from 'commander';
import { isUserFacing } from '../lib/errors';
import { runOffline, type OfflineProgress } from '../loadtest/offline/run-offline';
import { formatSummaryTable } from '../loadtest/offline/summary-table';

function printProgress(event: OfflineProgress): void {
  switch (event.kind) {
    case 'synthesized':
      console.log(`synthesized fleet '${event.fleet}' (${event.deployments} deployments) in ${(event.durationMs / 1000).toFixed(1)} s`);
      break;
    case 'endpoint':
      console.log(
        `${event.local ? 'local endpoint twin' : 'endpoint'} of ${event.deploymentId} (${event.endpointName}) at ${event.url}, speedup ${event.speedup}×`,
      );
      break;
    case 'run':
      console.log(`run ${event.runId} → ${event.outDir}`);
      break;
    case 'level-start':
      process.stdout.write(`  level c=${String(event.concurrency).padEnd(4)} (${event.workers} worker${event.workers > 1 ? 's' : ''}) … `);
      break;
    case 'level': {
      const l = event.level;
      const errors = l.requests - l.ok;
      console.log(
        `${l.throughputTokensPerS.toFixed(0).padStart(6)} tokens/s, ${l.msPerTokenP50.toFixed(1).padStart(6)} ms/token p50, ${l.requests} requests${errors > 0 ? `, ${errors} errors` : ''}${l.timeouts > 0 ? ` (${l.timeouts} timeouts)` : ''}`,
      );
      break;
    }
    case 'done':
      console.log(event.succeeded ? `sweep done: ${event.stopReason ?? 'completed'}` : `sweep FAILED${event.failure ? ` at ${event.failure.step}: ${event.failure.message}` : ''}`);
      break;
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('npm start')
    .description('Run the benchmark pipeline offline: synthesized state machine, local endpoint, report in ./bench-results')
    .option('--deployment <id>', 'deployment of the fleet (default: llama-2-7b on ml.g5.2xlarge)')
    .option('--endpoint-url <url>', 'run against this SageMaker-protocol endpoint instead of a local twin')
    .option('--speedup <x>', 'time compression of the local endpoint', (v) => Number(v))
    .option('--out <dir>', 'results folder', 'bench-results')
    .option('--run-id <id>', 'run id (an existing one resumes)')
    .option('--fleet <path>', 'fleet file', 'fleets/published-study.yaml')
    .option('--debug', 'print stack traces');
  program.parse([...argv]);
  const opts = program.opts<{ deployment?: string; endpointUrl?: string; speedup?: number; out: string; runId?: string; fleet: string; debug?: boolean }>();
  const started = Date.now();
  try {
    const result = await runOffline({
      deployment: opts.deployment,
      endpointUrl: opts.endpointUrl,
      speedup: opts.speedup,
      outDir: opts.out,
      runId: opts.runId,
      fleetPath: opts.fleet,
      onProgress: printProgress,
    });
    console.log('');
    if (result.sweep) console.log(formatSummaryTable(result.sweep));
    console.log('\nreport files:');
    for (const kind of ['html', 'json', 'markdown', 'svg', 'csv'] as const) console.log(`  ${result.files[kind]}`);
    console.log(`\n${result.succeeded ? 'done' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (!result.succeeded) {
      console.error(`error: ${result.error ?? 'the sweep failed'}`);
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
