import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { register, runReportCommand } from '../../loadtest/cli/report-command';
import { g512Sweep, g5Sweep } from '../report/fixtures';
import { captureWrites } from '../support/cli';

function store(dir: string, sweep: unknown): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'sweep.json'), JSON.stringify(sweep));
  return dir;
}

describe('llm-bench report', () => {
  let root = '';
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'llm-bench-report-cli-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('re-renders one sweep into its own folder without rewriting sweep.json', async () => {
    const dir = store(join(root, 'g5'), g5Sweep());
    const stored = readFileSync(join(dir, 'sweep.json'), 'utf8');
    const program = new Command('llm-bench').exitOverride();
    register(program);
    const printed = await captureWrites(process.stdout, () => program.parseAsync(['node', 'llm-bench', 'report', dir]));
    expect(printed).toContain(join(dir, 'report.html'));
    for (const f of ['report.md', 'report.html', 'curve.svg', 'sweep.csv']) expect(existsSync(join(dir, f))).toBe(true);
    expect(readFileSync(join(dir, 'sweep.json'), 'utf8')).toBe(stored);
  });

  it('compares several sweeps side by side with recommendations', async () => {
    const a = store(join(root, 'a'), g5Sweep());
    const b = store(join(root, 'b'), g512Sweep());
    const out = join(root, 'compare');
    const files = await runReportCommand([a, b], { out });
    const md = readFileSync(files.markdown, 'utf8');
    expect(md).toContain('| llama-2-7b \\| g5.2xlarge | 30 | 54 |');
    expect(md).toContain('| llama-2-7b g5.12xlarge tp4 | 59 | 117 |');
    expect(md).toContain('| min-cost-per-million | llama-2-7b \\| g5.2xlarge | 64 |');
    expect(JSON.parse(readFileSync(files.json, 'utf8'))).toHaveLength(2);
  });

  it('recomputes knees and recommendations for --latency-bound', async () => {
    const a = store(join(root, 'a'), g5Sweep());
    const out = join(root, 'tight');
    const files = await runReportCommand([a], { out, latencyBound: '40' });
    const md = readFileSync(files.markdown, 'utf8');
    expect(md).toContain('| 8 | latency-bound (p50 ms/token < 40) |');
    expect(md).toContain('| best-under-latency-bound | llama-2-7b \\| g5.2xlarge | 8 | 208 tokens/s |');
  });

  it('re-prices stored sweeps with --price', async () => {
    const a = store(join(root, 'priced'), g5Sweep());
    const files = await runReportCommand([a], { out: join(root, 'priced-out'), price: 'ml.g5.2xlarge=3' });
    const md = readFileSync(files.markdown, 'utf8');
    expect(md).toMatch(/\| min-hourly-cost \| llama-2-7b \\\| g5\.2xlarge \| \d+ \| 3 USD\/h \|/);
    await expect(runReportCommand([a], { out: join(root, 'x'), price: 'ml.g5.2xlarge=free' })).rejects.toThrow(/^--price: price 'free' for ml.g5.2xlarge/);
  });

  it('rejects a bad --latency-bound, a missing --out for several sweeps and a bad schemaVersion', async () => {
    const a = store(join(root, 'a'), g5Sweep());
    const b = store(join(root, 'b'), { ...g512Sweep(), schemaVersion: 9 });
    await expect(runReportCommand([a], { latencyBound: 'fast' })).rejects.toThrow("--latency-bound: 'fast' is not a positive number");
    await expect(runReportCommand([a, b], {})).rejects.toThrow('--out: is required when comparing several sweeps');
    await expect(runReportCommand([a, b], { out: join(root, 'x') })).rejects.toThrow(`${join(b, 'sweep.json')}: schemaVersion 9 is not supported`);
  });
});
