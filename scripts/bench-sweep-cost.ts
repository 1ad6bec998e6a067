/**
 * `npm run bench:sweep-cost`: what the adaptive search saves. Starts `llm-bench serve-local`
 * (ml.g5.2xlarge, Llama 2 7B, time-compressed), then runs `llm-bench sweep` with the same payload
 * twice: the full grid 1..128 and `--concurrency auto` (up to 128). Prints each sweep's max
 * throughput, knee and cost.levelSeconds (warm-up, window and drain of every level; each level's share
 * is printed, with the measured windows' sum beside it), and checks the targets: auto's max throughput within 5 % of
 * the grid's, its knee within one grid level, its levelSeconds ≤ 50 % of the grid's. Exits 1 when a
 * target is missed. Flags: --speedup X (default 50), --input-tokens N, --output-tokens N (default 256).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { SweepResult } from '../lib/results/records';
import { runSweepCommand, type SweepFlags } from '../loadtest/cli/sweep-command';

function flag(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : process.argv[index + 1];
}

const SPEEDUP = flag('--speedup', '50');
const INPUT = flag('--input-tokens', '256');
const OUTPUT = flag('--output-tokens', '256');
const GRID = [1, 2, 4, 8, 16, 32, 64, 128];
const ROOT = join(__dirname, '..');

async function startServeLocal(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'llm-bench.js'), 'serve-local', '--model', 'llama-2-7b', '--instance', 'ml.g5.2xlarge', '--port', '0', '--speedup', SPEEDUP], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (match) resolve(match[0]);
    });
    child.on('exit', () => reject(new Error(`serve-local exited: ${out}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

async function sweep(url: string, concurrency: string, out: string): Promise<SweepResult> {
  const flags: SweepFlags = {
    target: `tgi:${url}`,
    concurrency,
    inputTokens: INPUT,
    outputTokens: OUTPUT,
    timeout: '60',
    retries: '0',
    out,
    maxConcurrency: '128',
    maxErrorRate: '0.01',
  };
  const sink = new PassThrough();
  sink.resume();
  return runSweepCommand(flags, { stdout: sink, stderr: sink });
}

/** Index of a concurrency on the grid (fractional between grid levels: log2). */
const gridIndex = (c: number): number => Math.log2(c);

async function main(): Promise<void> {
  const server = await startServeLocal();
  const dir = mkdtempSync(join(tmpdir(), 'sweep-cost-'));
  try {
    const grid = await sweep(server.url, GRID.join(','), join(dir, 'grid'));
    const auto = await sweep(server.url, 'auto', join(dir, 'auto'));
    const row = (name: string, s: SweepResult): string =>
      `${name.padEnd(5)} levels ${String(s.levels.length).padStart(2)} (c = ${s.levels.map((l) => l.concurrency).join(', ')})  ` +
      `max ${s.maxThroughput?.tokensPerS.toFixed(1) ?? '-'} tokens/s at c=${s.maxThroughput?.concurrency ?? '-'}  ` +
      `knee c=${s.knee?.concurrency ?? '-'} (${s.knee?.rule ?? '-'})  levelSeconds ${s.cost?.levelSeconds.toFixed(0) ?? '-'}`;
    console.log(`serve-local ml.g5.2xlarge llama-2-7b, speedup ${SPEEDUP}, payload ${INPUT}/${OUTPUT}`);
    console.log(row('grid', grid));
    console.log(row('auto', auto));
    for (const [name, s] of [['grid', grid], ['auto', auto]] as const) {
      const windows = s.levels.reduce((sum, l) => sum + l.durationS, 0);
      console.log(`  ${name} levelSeconds per level: ${s.levels.map((l) => `c=${l.concurrency} ${l.levelSeconds?.toFixed(0) ?? '-'}`).join(', ')} (measured windows alone: ${windows.toFixed(0)})`);
    }
    const maxRatio = (auto.maxThroughput?.tokensPerS ?? 0) / (grid.maxThroughput?.tokensPerS ?? Infinity);
    const kneeSteps = grid.knee && auto.knee ? Math.abs(gridIndex(auto.knee.concurrency) - gridIndex(grid.knee.concurrency)) : Infinity;
    const costRatio = (auto.cost?.levelSeconds ?? Infinity) / (grid.cost?.levelSeconds ?? 0);
    const checks = [
      { name: 'max throughput within 5 % of the grid', ok: maxRatio >= 0.95, value: `${(maxRatio * 100).toFixed(1)} %` },
      { name: 'knee within one grid level', ok: kneeSteps <= 1, value: `${kneeSteps.toFixed(2)} grid levels apart` },
      { name: 'levelSeconds ≤ 50 % of the grid', ok: costRatio <= 0.5, value: `${(costRatio * 100).toFixed(1)} %` },
    ];
    for (const c of checks) console.log(`${c.ok ? 'ok  ' : 'MISS'} ${c.name}: ${c.value}`);
    process.exitCode = checks.every((c) => c.ok) ? 0 : 1;
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
