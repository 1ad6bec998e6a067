import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runValidate } from '../../loadtest/cli/validate-command';
import { buildProgram } from '../../loadtest/cli/main';

function run(file: string | undefined, opts: Parameters<typeof runValidate>[1] = {}): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runValidate(file, opts, { out: (t) => (out += t), err: (t) => (err += t), env: {} });
  return { code, out, err };
}

describe('llm-bench validate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'validate-'));

  it('exits 0 with a summary table for the default fleet', () => {
    const { code, out, err } = run('fleets/published-study.yaml');
    expect(code).toBe(0);
    expect(err).toBe('');
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^deployment\s+model\s+instance\s+engine\s+layout\s+tp×copies\s+instances\s+accelerators\s+\$\/h$/);
    expect(lines[2]).toMatch(/^llama-2-7b-g5-2xlarge\s+llama-2-7b\s+ml\.g5\.2xlarge\s+tgi\s+variant\s+1×1\s+1\s+1\s+\d+\.\d\d$/);
    expect(out).toMatch(/llama-2-7b-p4d-ic-8x-tp1\s+llama-2-7b\s+ml\.p4d\.24xlarge\s+tgi\s+inference-components\s+1×8\s+1\s+8/);
    expect(out).toMatch(/^total\s+5\s+29\s+\d+\.\d\d$/m);
    expect(lines[lines.length - 1]).toMatch(
      /^fleets\/published-study\.yaml: valid; 5 deployments in us-east-1, \$\d+\.\d\d\/h on demand, \$\d+\.\d\d\/h at the autoscaling maximum \(maxHourlyUsd 150\)$/,
    );
  });

  it('prices with --price overrides and prints skipped matrix combinations', () => {
    const { code, out } = run('fleets/examples/matrix.yaml', { price: 'ml.g5.2xlarge=1,ml.g5.12xlarge=5' });
    expect(code).toBe(0);
    expect(out).toMatch(/^skipped llama-2-7b-g5-2xlarge-tp2: tp 2 exceeds the 1 accelerators of ml\.g5\.2xlarge/m);
    expect(out).toMatch(/^llama-2-7b-g5-2xlarge-tp1 .* 1\.00$/m);
  });

  it('exits 1 with one line per problem naming the path, and no stack trace', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'name: bad\ndefaults: { acceptEula: true }\ndeployments:\n  - { model: llama-2-7b, instanceType: ml.g5.2xlarge }\n  - { model: llama-2-7b, instanceType: ml.g5.2xlarge }\n  - { model: llama-2-7b, instanceType: ml.g5.12xlarge, tp: 3, tgi: { maxInputTokens: 9000 } }\n');
    const { code, out, err } = run(file);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err.trim().split('\n')).toEqual([
      `error: ${file}: deployments[1].id: duplicate deployment id 'llama-2-7b-g5-2xlarge-tp1' (also deployments[0]); give each deployment a unique id`,
      `error: ${file}: deployments[2].tp: tp 3 must divide llama-2-7b's 32 attention heads; allowed 1, 2, 4`,
      `error: ${file}: deployments[2].tgi.maxInputTokens: maxInputTokens 9000 must be below maxTotalTokens 4096; allowed ≤ 4095`,
      // JumpStart's prefill budget on ml.g5.12xlarge (16,384) covers an input of 9,000: no prefill problem.
    ]);
  });

  it('reports schema errors with their line and a missing file in one line', () => {
    const file = join(dir, 'schema.yaml');
    writeFileSync(file, 'name: bad\ndeployments:\n  - model: llama-2-7b\n    instanceType: ml.g5.2xlarge\n    tp: two\n');
    expect(run(file).err).toBe(`error: ${file}: deployments[0].tp: Invalid input: expected number, received string (line 5)\n`);
    expect(run(join(dir, 'missing.yaml'))).toEqual({ code: 1, out: '', err: `error: fleet: cannot read fleet file '${join(dir, 'missing.yaml')}' (ENOENT)\n` });
  });

  it('writes the JSON Schema with --json-schema', () => {
    const path = join(dir, 'out', 'fleet.schema.json');
    const { code, out } = run(undefined, { jsonSchema: path });
    expect(code).toBe(0);
    expect(out).toBe(`wrote ${path}\n`);
    const schema = JSON.parse(readFileSync(path, 'utf8')) as { $schema: string; required: string[] };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(['name']);
  });

  it('keeps the committed fleets/fleet.schema.json in sync with the schema', () => {
    const path = join(dir, 'current.schema.json');
    run(undefined, { jsonSchema: path });
    expect(readFileSync('fleets/fleet.schema.json', 'utf8')).toBe(readFileSync(path, 'utf8'));
  });

  it('is registered in the llm-bench program', () => {
    expect(buildProgram().commands.map((c) => c.name())).toContain('validate');
  });
});
