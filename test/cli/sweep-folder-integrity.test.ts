import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runSweepCommand, type SweepFlags, type SweepIo } from '../../loadtest/cli/sweep-command';
import { RunIdentityError } from '../../loadtest/pipeline/run-identity';
import { RunLockedError } from '../../loadtest/pipeline/run-lock';
import { startLocalEndpoint, type LocalEndpoint } from '../../loadtest/local';
import type { SweepResult } from '../../lib/results/records';

function io(): SweepIo & { err: () => string } {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  return { stdout: new Writable({ write: (_c, _e, cb) => cb() }), stderr: sink, err: () => text };
}

const DEFAULTS = { inputTokens: '64', outputTokens: '16', timeout: '60', retries: '0', maxConcurrency: '256', maxErrorRate: '0.01' };

describe('a results folder holds one run', () => {
  let endpoint: LocalEndpoint;
  let out: string;
  beforeAll(async () => {
    endpoint = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', speedup: 200 });
  });
  afterAll(() => endpoint.close());
  beforeEach(() => (out = mkdtempSync(join(tmpdir(), 'sweep-folder-'))));
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  it('a different target and payload into the same folder are refused, naming the fields; the same sweep resumes and says so', async () => {
    // A first run fails on network errors (nothing listens on port 1)...
    const first: SweepFlags = { ...DEFAULTS, target: 'tgi:http://127.0.0.1:1', concurrency: '1', requests: '3', out, warmup: '0' };
    const failed = await runSweepCommand(first, io()).catch((error: unknown) => error);
    const stored = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')) as SweepResult;
    expect(failed instanceof Error ? 'failed' : (failed as SweepResult).levels[0].errors).toBeDefined();
    expect(stored.target.address).toBe('http://127.0.0.1:1');
    // ...then another endpoint and payload into the same folder: refused before any request.
    const second: SweepFlags = { ...DEFAULTS, target: 'sagemaker:my-ep', endpointUrl: endpoint.url, inputTokens: '5000', concurrency: '1', requests: '2', out, warmup: '0' };
    const refused = runSweepCommand(second, io());
    await expect(refused).rejects.toThrow(RunIdentityError);
    await expect(refused).rejects.toThrow(/target\.address: "http:\/\/127\.0\.0\.1:1" → "my-ep @ http/);
    await expect(refused).rejects.toThrow(/target\.kind: "tgi" → "sagemaker"/);
    await expect(refused).rejects.toThrow(/payload\.inputTokens: 64 → 5000/);
    await expect(refused).rejects.toThrow(/Give a new --out, or add --restart/);
    expect(JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'))).toEqual(stored);

    // The same first sweep resumes and says so.
    const again = io();
    await runSweepCommand(first, again).catch(() => undefined);
    expect(again.err()).toMatch(/^resuming the run started .* \(same run identity sha256:/m);
  });

  it('two sweeps into one folder at once: the second is refused naming the owner; the first completes', async () => {
    const flags: SweepFlags = { ...DEFAULTS, target: `tgi:${endpoint.url}`, concurrency: '1,2', duration: '40', out };
    const firstRun = runSweepCommand(flags, io());
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = runSweepCommand(flags, io());
    await expect(second).rejects.toThrow(RunLockedError);
    await expect(second).rejects.toThrow(new RegExp(`--out: folder '${out}' is in use by llm-bench sweep pid ${process.pid} on .* since .*; wait for that run to end, or give another --out`));
    const sweep = await firstRun;
    expect(sweep.levels.map((l) => l.concurrency)).toEqual([1, 2]);
    expect(readdirSync(join(out, 'records')).filter((name) => name.includes('interrupted'))).toEqual([]);
    expect(existsSync(join(out, 'run.lock'))).toBe(false);
  });
});
