import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserInputError } from '../../lib/errors';
import { SWEEP_RESULT_VERSION } from '../../lib/results/records';
import { loadSweeps } from '../../loadtest/report/load-sweeps';
import { writeReport } from '../../loadtest/report/write-report';
import { g512Sweep, g5Sweep } from './fixtures';

describe('loadSweeps and writeReport', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'llm-bench-report-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every report file and reads the sweep back identically', async () => {
    const sweep = g5Sweep();
    const files = await writeReport(join(dir, 'out'), [sweep]);
    expect(Object.values(files).map((f) => f.slice(dir.length + 5)).sort()).toEqual(['curve.svg', 'report.html', 'report.md', 'sweep.csv', 'sweep.json']);
    for (const f of Object.values(files)) expect(existsSync(f)).toBe(true);
    expect(loadSweeps([join(dir, 'out')])).toEqual([sweep]);
    expect(loadSweeps([files.json])).toEqual([sweep]);
    expect(readFileSync(files.markdown, 'utf8')).toContain('## Throughput');
  });

  it('stores several sweeps as an array that loads back in order', async () => {
    const files = await writeReport(dir, [g5Sweep(), g512Sweep()]);
    expect(loadSweeps([files.json]).map((s) => s.label)).toEqual(['llama-2-7b | g5.2xlarge', 'llama-2-7b g5.12xlarge tp4']);
  });

  it('skips sweep.json when asked', async () => {
    const files = await writeReport(dir, [g5Sweep()], { writeJson: false });
    expect(existsSync(files.json)).toBe(false);
    expect(existsSync(files.html)).toBe(true);
  });

  it('reads a schemaVersion 1 sweep.json, its stopReason string as { rule, detail }', () => {
    const v1 = join(dir, 'v1.json');
    const cliStopped = { ...g5Sweep(), schemaVersion: 1, stopReason: 'plateau: throughput rose 2.0 % per doubling' };
    const pipelineStopped = { ...g5Sweep(), schemaVersion: 1, stopReason: 'timeout' };
    const capped = { ...g5Sweep(), schemaVersion: 1, stopReason: 'max concurrency reached' };
    writeFileSync(v1, JSON.stringify([cliStopped, pipelineStopped, capped]));
    const sweeps = loadSweeps([v1]);
    expect(sweeps.map((s) => s.schemaVersion)).toEqual([SWEEP_RESULT_VERSION, SWEEP_RESULT_VERSION, SWEEP_RESULT_VERSION]);
    expect(sweeps.map((s) => s.stopReason)).toEqual([
      { rule: 'plateau', detail: 'throughput rose 2.0 % per doubling' },
      { rule: 'timeout', detail: '' },
      { rule: 'completed', detail: 'reached the highest allowed level' },
    ]);
    expect(sweeps[0].levels).toEqual(g5Sweep().levels);
  });

  it('names the file and the problem for unsupported or broken input', () => {
    const future = join(dir, 'future.json');
    writeFileSync(future, JSON.stringify({ ...g5Sweep(), schemaVersion: 5 }));
    expect(() => loadSweeps([future])).toThrow(UserInputError);
    expect(() => loadSweeps([future])).toThrow(`${future}: schemaVersion 5 is not supported (this llm-bench reads schemaVersion 1 or 2 or 3 or 4)`);

    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"schemaVersion": 1,');
    expect(() => loadSweeps([broken])).toThrow(new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not valid JSON`));

    const badLevel = join(dir, 'bad-level.json');
    writeFileSync(badLevel, JSON.stringify({ ...g5Sweep(), levels: [{ concurrency: 1 }] }));
    expect(() => loadSweeps([badLevel])).toThrow('levels[0].requests must be a number');

    mkdirSync(join(dir, 'empty'));
    expect(() => loadSweeps([join(dir, 'empty')])).toThrow('folder has no sweep.json');
    expect(() => loadSweeps([join(dir, 'missing')])).toThrow('no such file or directory');
  });
});
