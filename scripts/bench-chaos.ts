/**
 * `npm run bench:chaos`: crash safety as a measurement. Starts `llm-bench serve-local` (loopback,
 * time-compressed), then for each seeded trial runs `llm-bench sweep` into a fresh folder, kills it
 * with SIGKILL at a random moment (up to --kills times), resumes it each time with the same
 * command, and lets the last attempt finish. Then it checks the folder (checkRunFolder): every JSON
 * file parses, no lock is left, every level is measured exactly once, no record is lost or kept
 * twice, and every level and report file equals one rebuilt from the kept records.
 * Then the offline pipeline (`npm start -- --run-id`) is killed and resumed --offline-trials times
 * and checked the same way per level (the merged level equals the summary of its workers' records).
 * Prints trials, kills, levels, records, inconsistencies; exits 1 when any inconsistency is found.
 * Flags: --trials N (default 20), --kills N per trial (default 3), --seed N (default 1),
 * --offline-trials N (default 3).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../lib/planner/engine/prng';
import { checkRunFolder } from '../loadtest/pipeline/run-consistency';

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

const TRIALS = flag('--trials', 20);
const KILLS = flag('--kills', 3);
const SEED = flag('--seed', 1);
const OFFLINE_TRIALS = flag('--offline-trials', 3);
const LEVELS = [1, 2, 4, 8];
const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'bin', 'llm-bench.js');

interface Attempt {
  readonly code: number | null;
  readonly killed: boolean;
  readonly stderr: string;
}

/** When to kill: after a fixed delay, or a delay after a file appears (e.g. the first level of a run). */
type KillAt = number | { readonly afterFile: () => boolean; readonly delayMs: number };

/** Runs a command; kills it with SIGKILL at `killAt` when given. */
function run(command: string, args: readonly string[], killAt?: KillAt): Promise<Attempt> {
  return new Promise((resolve) => {
    const child: ChildProcess = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let killed = false;
    const kill = (): void => {
      if (child.exitCode === null) killed = child.kill('SIGKILL');
    };
    let timer: NodeJS.Timeout | undefined;
    if (typeof killAt === 'number') timer = setTimeout(kill, killAt);
    else if (killAt !== undefined) {
      const poll = (): void => {
        if (child.exitCode !== null) return;
        if (killAt.afterFile()) timer = setTimeout(kill, killAt.delayMs);
        else timer = setTimeout(poll, 20);
      };
      poll();
    }
    child.on('exit', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, killed: killed && code === null, stderr });
    });
  });
}

async function startServeLocal(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [CLI, 'serve-local', '--model', 'llama-2-7b', '--instance', 'ml.g5.2xlarge', '--port', '0', '--speedup', '100'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (match) resolve(match[0]);
    });
    child.on('exit', () => reject(new Error(`serve-local exited: ${out}`)));
  });
  return { url, child };
}

async function main(): Promise<void> {
  const random = mulberry32(SEED);
  const serve = await startServeLocal();
  const base = mkdtempSync(join(tmpdir(), 'llm-bench-chaos-'));
  const totals = { trials: 0, kills: 0, attempts: 0, levels: 0, records: 0 };
  const inconsistencies: string[] = [];
  const started = Date.now();
  const sweepArgs = (out: string): string[] =>
    [CLI, 'sweep', '--target', `tgi:${serve.url}`, '--concurrency', LEVELS.join(','), '--duration', '30', '--input-tokens', '64', '--output-tokens', '32', '--out', out, '--json'];
  try {
    // One uninterrupted sweep sets the kill window: from start-up (CLI loading) to its last level.
    const calibrationStart = Date.now();
    await run(process.execPath, sweepArgs(join(base, 'calibration')));
    const windowMs = Math.max(1000, Date.now() - calibrationStart);
    for (let trial = 1; trial <= TRIALS; trial++) {
      const out = join(base, `trial-${trial}`);
      const args = sweepArgs(out);
      let finished = false;
      for (let attempt = 0; attempt <= KILLS + 5 && !finished; attempt++) {
        // Kills land anywhere from start-up to the end of the last level (a resume is shorter: some land after it ends).
        const killAfterMs = attempt < KILLS ? Math.floor(random() * windowMs) : undefined;
        const result = await run(process.execPath, args, killAfterMs);
        totals.attempts += 1;
        if (result.killed) totals.kills += 1;
        else if (result.code === 0) finished = true;
        else inconsistencies.push(`trial ${trial}: attempt ${attempt} exited ${result.code}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
      }
      if (!finished) {
        inconsistencies.push(`trial ${trial}: never finished`);
        continue;
      }
      totals.trials += 1;
      for (const problem of await checkRunFolder(out, LEVELS, 100, totals)) inconsistencies.push(`trial ${trial}: ${problem}`);
      process.stderr.write(`trial ${trial}/${TRIALS}: ${totals.kills} kills so far\n`);
    }

    const offline = { trials: 0, kills: 0, levels: 0, records: 0 };
    for (let trial = 1; trial <= OFFLINE_TRIALS; trial++) {
      const out = join(base, `offline-${trial}`);
      const runId = `chaos-${trial}`;
      const args = ['--import', 'tsx', 'bin/start.ts', '--run-id', runId, '--out', out, '--speedup', '200'];
      // Killed while the deployments' sweeps run: 0-3 s after the first level of any deployment is merged.
      const firstLevel = (): boolean => existsSync(join(out, 'runs')) && readdirSync(join(out, 'runs')).some((d) => existsSync(join(out, 'runs', d, runId, 'levels', 'c-1.json')));
      const killed = await run(process.execPath, args, { afterFile: firstLevel, delayMs: Math.floor(random() * 3000) });
      if (killed.killed) offline.kills += 1;
      const resumed = await run(process.execPath, args);
      if (resumed.code !== 0) {
        inconsistencies.push(`offline ${trial}: resume exited ${resumed.code}: ${resumed.stderr.trim().split('\n').slice(-3).join(' | ')}`);
        continue;
      }
      offline.trials += 1;
      const runs = join(out, 'runs');
      for (const deployment of readdirSync(runs)) {
        const dir = join(runs, deployment, runId);
        if (!existsSync(dir)) continue;
        for (const problem of await checkRunFolder(dir, undefined, 200, offline)) inconsistencies.push(`offline ${trial}: ${problem}`);
      }
    }

    const s = ((Date.now() - started) / 1000).toFixed(0);
    console.log(`CLI sweep (serve-local, SIGKILL within ${windowMs} ms of start, seed ${SEED}): trials ${totals.trials}, kills ${totals.kills}, attempts ${totals.attempts}, levels ${totals.levels}, records ${totals.records}`);
    console.log(`offline pipeline (npm start --run-id): trials ${offline.trials}, kills ${offline.kills}, levels ${offline.levels}, records ${offline.records}`);
    console.log(`inconsistencies ${inconsistencies.length} (${s} s)`);
    for (const problem of inconsistencies) console.log(`  ${problem}`);
    process.exitCode = inconsistencies.length === 0 ? 0 : 1;
  } finally {
    serve.child.kill('SIGTERM');
    rmSync(base, { recursive: true, force: true });
  }
}

void main();
