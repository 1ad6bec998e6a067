import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { DeploymentInput } from '../../lib/benchmark/pipeline-state';
import { createPlanLevelsHandler } from '../../loadtest/handlers/plan-levels';
import { createReportHandler } from '../../loadtest/handlers/report';
import { pipelineRunKeys } from '../../loadtest/pipeline/layout';
import { LocalFolderStore } from '../../loadtest/pipeline/local-store';
import type { ResultStore } from '../../loadtest/pipeline/result-store';
import { claimPipelineRun, executionOwner } from '../../loadtest/pipeline/run-claim';
import { RunIdentityError } from '../../loadtest/pipeline/run-identity';
import { acquireRunLock, RunLockedError, type RunOwner } from '../../loadtest/pipeline/run-lock';
import { S3Store } from '../../loadtest/pipeline/s3-store';
import { checkOutputFolder } from '../../loadtest/report/output-folder';
import { DEPLOYMENT } from './records-fixture';
import { startLoopbackS3, type LoopbackS3 } from '../support/loopback-s3';

const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
const NOW = new Date('2026-11-27T04:00:00Z');
const place = { field: '--out', location: 'folder D', remedy: 'give another --out' };

function tmp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The pid of a process that has exited (for a stale lock). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe.each<[string, () => Promise<{ store: ResultStore; done: () => Promise<void> }>]>([
  ['LocalFolderStore (link(2))', async () => ({ store: new LocalFolderStore(tmp('claim-')), done: async () => undefined })],
  [
    'S3Store (real @aws-sdk/client-s3, If-None-Match: * against a loopback S3)',
    async () => {
      const s3: LoopbackS3 = await startLoopbackS3();
      return { store: new S3Store(s3.client(), 'results', 'env/'), done: () => s3.close() };
    },
  ],
])('create-only claims in %s', (_name, open) => {
  let store: ResultStore;
  let done: () => Promise<void>;
  beforeEach(async () => ({ store, done } = await open()));
  afterEach(() => done());

  it('of ten writers of one key at once exactly one wins and the key keeps its content', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.createIfAbsent('runs/d/r/run.lock', `{"writer":${i}}`)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.getJson('runs/d/r/run.lock')).toEqual({ writer: results.indexOf(true) });
  });

  it('two executions claiming one run id: one owns it, the other is refused naming the owner; the owner re-enters', async () => {
    const claims = await Promise.allSettled(
      ['exec-a', 'exec-b'].map((execution) => claimPipelineRun(store, DEPLOYMENT, 'r1', executionOwner(execution, NOW), 1, NOW)),
    );
    const won = claims.findIndex((c) => c.status === 'fulfilled');
    const lost = claims.find((c) => c.status === 'rejected') as PromiseRejectedResult;
    expect(won).toBeGreaterThanOrEqual(0);
    expect(lost.reason).toBeInstanceOf(RunLockedError);
    expect((lost.reason as Error).message).toMatch(`runId: run r1 of ${DEPLOYMENT.id} is in use by llm-bench pipeline execution exec-${won === 0 ? 'a' : 'b'}`);
    const again = await claimPipelineRun(store, DEPLOYMENT, 'r1', executionOwner(won === 0 ? 'exec-a' : 'exec-b', NOW), 1, NOW);
    expect(again.resumed).toBe(true);
  });

  it('a reused run id with another deployment setting is refused naming the differing fields', async () => {
    await claimPipelineRun(store, DEPLOYMENT, 'r2', executionOwner('exec-a', NOW), 1, NOW);
    await store.delete(pipelineRunKeys(DEPLOYMENT.id, 'r2').lock); // exec-a ended
    const other: DeploymentInput = { ...DEPLOYMENT, benchmark: { ...DEPLOYMENT.benchmark, inputTokens: 5000 } };
    const refused = claimPipelineRun(store, other, 'r2', executionOwner('exec-b', NOW), 1, NOW);
    await expect(refused).rejects.toThrow(RunIdentityError);
    await expect(refused).rejects.toThrow(/payload\.inputTokens: \d+ → 5000/);
    // The refused execution left no lock behind: the same identity resumes.
    expect((await claimPipelineRun(store, DEPLOYMENT, 'r2', executionOwner('exec-c', NOW), 1, NOW)).resumed).toBe(true);
  });
});

describe('run lock', () => {
  it('refuses a second live owner naming pid, host and start; takes over a dead process’s lock and reports it', async () => {
    const store = new LocalFolderStore(tmp('lock-'));
    const live: RunOwner = { pid: process.ppid, host: hostname(), startedAt: '2026-11-27T03:00:00.000Z', command: 'llm-bench sweep' };
    await store.putJson('run.lock', live);
    const me: RunOwner = { pid: process.pid, host: hostname(), startedAt: NOW.toISOString(), command: 'llm-bench sweep', token: 'me' };
    await expect(acquireRunLock(store, 'run.lock', me, place)).rejects.toThrow(
      `--out: folder D is in use by llm-bench sweep pid ${process.ppid} on ${hostname()} since 2026-11-27T03:00:00.000Z; give another --out`,
    );
    const stale: RunOwner = { ...live, pid: deadPid() };
    await store.putJson('run.lock', stale);
    const held = await acquireRunLock(store, 'run.lock', me, place);
    expect(held.tookOver).toEqual(stale);
    expect(await store.getJson('run.lock')).toEqual(me);
    await held.release();
    expect(await store.exists('run.lock')).toBe(false);
  });

  it('never takes over a lock of another host (its pid cannot be checked)', async () => {
    const store = new LocalFolderStore(tmp('lock-'));
    await store.putJson('run.lock', { pid: deadPid(), host: 'other-host', startedAt: NOW.toISOString() });
    await expect(acquireRunLock(store, 'run.lock', { pid: process.pid, host: hostname(), startedAt: NOW.toISOString() }, place)).rejects.toThrow(/on other-host/);
  });
});

describe('pipeline steps of a refused execution', () => {
  it('plan-levels refuses, and the report step ends with a refusal, writing nothing into the other run', async () => {
    const store = new LocalFolderStore(tmp('refused-'));
    const deps = { store, logger, speedup: 1, now: () => NOW, startLeadMs: 0 };
    await createPlanLevelsHandler(deps)({ state: { deployment: DEPLOYMENT, runId: 'shared' }, executionName: 'exec-a' });
    const before = readdirSync(store.locate(pipelineRunKeys(DEPLOYMENT.id, 'shared').prefix)).sort();
    await expect(createPlanLevelsHandler(deps)({ state: { deployment: DEPLOYMENT, runId: 'shared' }, executionName: 'exec-b' })).rejects.toThrow(RunLockedError);
    const result = await createReportHandler({ ...deps, emfSink: () => undefined })({
      state: { deployment: DEPLOYMENT, runId: 'shared', failedStep: 'PlanLevels', error: { Error: 'RunLockedError', Cause: 'in use' } },
      executionName: 'exec-b',
    });
    expect(result).toMatchObject({ runId: 'shared', levels: 0, stopReason: { rule: 'refused' }, files: {} });
    expect(result.refused).toMatch(/is in use by llm-bench pipeline execution exec-a/);
    expect(readdirSync(store.locate(pipelineRunKeys(DEPLOYMENT.id, 'shared').prefix)).sort()).toEqual(before);
    expect(await store.getJson<RunOwner>(pipelineRunKeys(DEPLOYMENT.id, 'shared').lock)).toMatchObject({ execution: 'exec-a' });
  });
});

describe('unusable output locations are refused before anything runs', () => {
  const dir = tmp('out-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a file in the way', () => {
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => checkOutputFolder(join(dir, 'file'))).toThrow(`--out: cannot create folder '${join(dir, 'file')}' (not a directory: a file is in the way)`);
    expect(() => checkOutputFolder(join(dir, 'file', 'sub'))).toThrow(/not a directory/);
  });

  it('a read-only file system', () => {
    // sysfs is mounted read-only in containers and refuses new entries even to root.
    expect(() => checkOutputFolder('/sys/llm-bench-out')).toThrow(/--out: cannot create folder '\/sys\/llm-bench-out' \((read-only file system|permission denied)\)/);
  });

  it('a full disk (the write check lands on /dev/full)', () => {
    const full = join(dir, 'full');
    mkdirSync(full);
    symlinkSync('/dev/full', join(full, `.llm-bench-write-check-${process.pid}`));
    expect(() => checkOutputFolder(full)).toThrow(`--out: cannot write to '${full}' (disk full (no space left on the device)); give a writable folder with free space`);
  });
});
