import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runSweepCommand, type SweepFlags } from '../../loadtest/cli/sweep-command';
import { startLocalEndpoint, type LocalEndpoint } from '../../loadtest/local';
import { checkRunFolder } from '../../loadtest/pipeline/run-consistency';

/** Removes the first line of `file` that `match` picks. */
function dropLine(file: string, match: (line: string) => boolean): void {
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.splice(lines.findIndex(match), 1);
  writeFileSync(file, lines.join('\n'));
}

const CLI = join(__dirname, '..', '..', 'bin', 'llm-bench.js');

function silent(): { stdout: Writable; stderr: Writable & { text: string } } {
  const stderr = new Writable({
    write(chunk: Buffer, _e, cb) {
      stderr.text += chunk.toString();
      cb();
    },
  }) as Writable & { text: string };
  stderr.text = '';
  return { stdout: new Writable({ write: (_c, _e, cb) => cb() }), stderr };
}

describe('run folder consistency (the crash test’s checker) and a SIGKILL mid-sweep', () => {
  let endpoint: LocalEndpoint;
  let base: string;
  let flags: SweepFlags;
  beforeAll(async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    endpoint = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', speedup: 200 });
    base = mkdtempSync(join(tmpdir(), 'consistency-'));
    flags = {
      target: `tgi:${endpoint.url}`, concurrency: '1,2,4', duration: '20', inputTokens: '64', outputTokens: '16',
      timeout: '60', retries: '0', maxConcurrency: '256', maxErrorRate: '0.01', out: join(base, 'killed'),
    };
  });
  afterAll(async () => {
    await endpoint.close();
    rmSync(base, { recursive: true, force: true });
  });

  it('a sweep killed with SIGKILL after its first level resumes into a consistent folder, taking over the stale lock', async () => {
    const child = spawn(process.execPath, [CLI, 'sweep', '--target', flags.target, '--concurrency', flags.concurrency ?? 'auto', '--duration', '20', '--input-tokens', '64', '--output-tokens', '16', '--out', flags.out], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const firstLevel = join(flags.out, 'levels', 'c-1.json');
    while (!existsSync(firstLevel) && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(existsSync(join(flags.out, 'run.lock'))).toBe(true);
    expect(existsSync(join(flags.out, 'levels', 'c-4.json'))).toBe(false);

    const io = silent();
    const sweep = await runSweepCommand(flags, io);
    expect(io.stderr.text).toMatch(/^took over a stale lock of llm-bench sweep pid \d+ .*\(that process is gone\)$/m);
    expect(io.stderr.text).toMatch(/^c=1 \(resumed\): /m);
    expect(sweep.levels.map((l) => l.concurrency)).toEqual([1, 2, 4]);
    expect(await checkRunFolder(flags.out, [1, 2, 4], 200)).toEqual([]);
  }, 30_000);

  it.each<[string, (dir: string) => void, RegExp]>([
    ['a record kept twice', (dir) => appendFileSync(join(dir, 'records', 'c-2-w0.jsonl'), readFileSync(join(dir, 'records', 'c-2-w0.jsonl'), 'utf8').split('\n')[0] + '\n'), /c=2: record .* kept twice/],
    ['a measured record lost', (dir) => dropLine(join(dir, 'records', 'c-2-w0.jsonl'), (line) => line.trim() !== '' && !line.includes('"warmup":true')), /c=2: \d+ kept records for \d+ requests/],
    ['a warm-up record lost', (dir) => dropLine(join(dir, 'records', 'c-2-w0.jsonl'), (line) => line.includes('"warmup":true')), /c=2: worker .* lost records \(seq 1,/],
    ['a JSON file cut short', (dir) => writeFileSync(join(dir, 'levels', 'c-4.json'), '{"schemaVersion": 1, "conc'), /levels\/c-4\.json does not parse/],
    ['a report edited', (dir) => appendFileSync(join(dir, 'report.md'), 'x'), /report\.md differs from the report rebuilt from kept records/],
    ['a lock left', (dir) => writeFileSync(join(dir, 'run.lock'), '{}'), /run\.lock left behind/],
  ])('finds %s', async (_name, tamper, problem) => {
    const copy = join(base, `tampered-${Math.random().toString(36).slice(2)}`);
    cpSync(flags.out, copy, { recursive: true });
    tamper(copy);
    const problems = await checkRunFolder(copy, [1, 2, 4], 200).catch((error: Error) => [error.message]);
    expect(problems.join('\n')).toMatch(problem);
  });
});
