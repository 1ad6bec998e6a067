import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReproducedStudy } from '../../loadtest/reproduce';
import { runCli } from '../support/cli';

describe('llm-bench reproduce', () => {
  const dir = mkdtempSync(join(tmpdir(), 'reproduce-'));
  let stdout = '';
  let study: ReproducedStudy;
  let markdown = '';

  beforeAll(async () => {
    // One run (the whole study takes a few seconds): files and --json output together.
    stdout = await runCli(['reproduce', '--out', dir, '--json']);
    study = JSON.parse(readFileSync(join(dir, 'reproduce.json'), 'utf8')) as ReproducedStudy;
    markdown = readFileSync(join(dir, 'reproduce.md'), 'utf8');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the same study as JSON with --json', () => {
    const printed = JSON.parse(stdout) as ReproducedStudy;
    expect(printed.schemaVersion).toBe(1);
    expect(printed.concurrency).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512]);
    expect(printed.configurations.map((c) => c.id)).toEqual(study.configurations.map((c) => c.id));
  });

  it('predicts every configuration of the study at both payloads', () => {
    const ids = study.configurations.map((c) => c.id);
    for (const payload of [512, 4096]) {
      expect(ids).toContain(`llama-2-7b/ml.g5.2xlarge/tp1/x1/${payload}`);
      expect(ids).toContain(`llama-2-70b/ml.p4d.24xlarge/tp8/x1/${payload}`);
      expect(ids).toContain(`falcon-180b/ml.p4de.24xlarge/tp8/x1/${payload}`);
      for (const tp of [1, 2, 4, 8]) expect(ids).toContain(`llama-2-13b/ml.p4d.24xlarge/tp${tp}/x1/${payload}`);
      for (const n of [1, 2, 3]) expect(ids).toContain(`llama-2-7b/ml.g5.2xlarge/tp1/x${n}/${payload}`);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(study.configurations.filter((c) => c.published !== undefined)).toHaveLength(4);
  });

  it('writes the study layout: throughput then latency, concurrency columns, published beside predicted', () => {
    expect(markdown).toContain('| configuration | 1 | 2 | 4 | 8 | 16 | 32 | 64 | 128 | 256 | 512 |');
    const throughputAt = markdown.indexOf('### Throughput');
    expect(throughputAt).toBeGreaterThan(0);
    expect(markdown.indexOf('### Latency')).toBeGreaterThan(throughputAt);
    // Calibration row of g5.2xlarge: c = 1 published 30 tokens/s; c = 128 infeasible in both.
    const row = markdown.split('\n').find((l) => l.startsWith('| llama-2-7b · ml.g5.2xlarge · TP 1 |'));
    expect(row).toMatch(/^\| llama-2-7b · ml\.g5\.2xlarge · TP 1 \| \d+ \(30\) \|/);
    expect(row).toContain('— (—)');
  });
});
