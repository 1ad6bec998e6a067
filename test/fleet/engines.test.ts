import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFleetFile, parseFleetYaml } from '../../lib/fleet/load';
import { resolveFleet } from '../../lib/fleet/resolve';
import { deploymentInputOf } from '../../lib/benchmark/deployment-input';
import { runValidate } from '../../loadtest/cli/validate-command';
import { warmupItem, workerItems } from '../../loadtest/pipeline/plan-levels';
import { fleetIssues } from '../support/fleet-issues';

const resolve = (yaml: string) => resolveFleet(parseFleetYaml(yaml), { region: 'us-east-1' });

const issuesOf = fleetIssues;

const HEAD = 'name: e\ndefaults: { acceptEula: true }\ndeployments:\n';

describe('engine dimension', () => {
  it("defaults to the model's JumpStart engine: TGI for the study's models, LMI for Llama 3.1", () => {
    const fleet = resolve(`${HEAD}  - { model: llama-2-7b, instanceType: ml.g5.2xlarge }\n  - { model: llama-3-1-8b, instanceType: ml.g5.2xlarge }\n`);
    expect(fleet.deployments.map((d) => [d.id, d.engine])).toEqual([
      ['llama-2-7b-g5-2xlarge-tp1', 'tgi'],
      ['llama-3-1-8b-g5-2xlarge-tp1', 'lmi'],
    ]);
    const lmi = fleet.deployments[1];
    expect(lmi.lmi).toEqual({ rollingBatch: 'auto', maxRollingBatchSize: 32, maxModelLen: 8192, maxConcurrentRequests: 1000 });
    // The request limits the twin and the planner serve it with.
    expect(lmi.tgi).toEqual({ maxInputTokens: 8191, maxTotalTokens: 8192, maxBatchPrefillTokens: 8192, maxConcurrentRequests: 32 });
  });

  it('runs the example: same model and instance, both engines, LMI settings as written', () => {
    const fleet = resolveFleet(loadFleetFile('fleets/examples/engines-llama-3-1-8b.yaml'), { region: 'us-east-1' });
    expect(fleet.deployments.map((d) => [d.id, d.engine, d.model.id, d.instanceType.name, d.tp])).toEqual([
      ['llama31-8b-lmi', 'lmi', 'llama-3-1-8b', 'ml.g5.2xlarge', 1],
      ['llama31-8b-tgi', 'tgi', 'llama-3-1-8b', 'ml.g5.2xlarge', 1],
    ]);
    expect(fleet.deployments[0].lmi).toMatchObject({ maxRollingBatchSize: 128, maxModelLen: 4096, maxNumBatchedTokens: 4096 });
    expect(fleet.deployments[1].tgi).toMatchObject({ maxTotalTokens: 4096, maxConcurrentRequests: 128 });
  });

  it("carries the LMI container to the sweep's workers (JSON-lines streams), TGI deployments unchanged", () => {
    const fleet = resolveFleet(loadFleetFile('fleets/examples/engines-llama-3-1-8b.yaml'), { region: 'us-east-1' });
    const [lmi, tgi] = fleet.deployments.map(deploymentInputOf);
    expect(lmi.benchmark.container).toBe('lmi');
    expect('container' in tgi.benchmark).toBe(false);
    const common = { deploymentId: lmi.id, runId: 'r', endpointName: lmi.endpointName, settings: lmi.benchmark, startAtEpochMs: 0 };
    expect(workerItems({ ...common, concurrency: 8 }).map((w) => w.container)).toEqual(['lmi']);
    expect(warmupItem(common)?.container).toBe('lmi');
    expect(workerItems({ ...common, settings: tgi.benchmark, concurrency: 8 })[0].container).toBeUndefined();
  });

  it('compares engines in a matrix, each combination named by its engine', () => {
    const fleet = resolve('name: m\nmaxHourlyUsd: 50\ndefaults: { acceptEula: true }\nmatrix:\n  models: [llama-3-1-8b]\n  instanceTypes: [ml.g5.2xlarge, ml.g5.12xlarge]\n  engine: [tgi, lmi]\n  tp: [1]\n');
    expect(fleet.deployments.map((d) => d.id)).toEqual([
      'llama-3-1-8b-g5-2xlarge-tp1-tgi',
      'llama-3-1-8b-g5-2xlarge-tp1-lmi',
      'llama-3-1-8b-g5-12xlarge-tp1-tgi',
      'llama-3-1-8b-g5-12xlarge-tp1-lmi',
    ]);
  });

  it('refuses settings of the other engine and bad LMI settings, naming the field', () => {
    expect(issuesOf(`${HEAD}  - { model: llama-2-7b, instanceType: ml.g5.2xlarge, engine: tgi, lmi: { maxRollingBatchSize: 64 } }\n`)).toEqual([
      { path: 'deployments[0].lmi', message: 'lmi settings do not apply: this deployment runs engine tgi; allowed: tgi: { ... } or engine: lmi' },
    ]);
    const issues = issuesOf(
      `${HEAD}  - model: llama-3-1-8b\n    instanceType: ml.g5.12xlarge\n    tp: 3\n    lmi: { maxRollingBatchSize: 64, maxNumBatchedTokens: 32, env: { OPTION_MAX_NUM_SEQS: '128' } }\n`,
    );
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(byPath['deployments[0].tp']).toMatch(/tp 3 must divide llama-3-1-8b's 32 attention heads/);
    expect(byPath['deployments[0].lmi.env.OPTION_MAX_NUM_SEQS']).toMatch(/128 disagrees with maxRollingBatchSize 64/);
    expect(byPath['deployments[0].lmi.maxNumBatchedTokens']).toMatch(/maxNumBatchedTokens 32 is below maxRollingBatchSize 64/);
  });

  it('refuses a benchmark request longer than OPTION_MAX_MODEL_LEN', () => {
    const issues = issuesOf(`${HEAD}  - { model: llama-3-1-8b, instanceType: ml.g5.2xlarge, lmi: { maxModelLen: 1024 }, benchmark: { inputTokens: 900, outputTokens: 256 } }\n`);
    expect(issues).toContainEqual({
      path: 'deployments[0].benchmark.outputTokens',
      message: 'inputTokens + outputTokens = 1156 exceeds lmi.maxModelLen 1024 (OPTION_MAX_MODEL_LEN): vLLM would refuse every request; allowed ≤ 1024, or raise lmi.maxModelLen',
    });
  });
});

describe('llm-bench validate with engines', () => {
  const run = (file: string): { code: number; out: string; err: string } => {
    let out = '';
    let err = '';
    const code = runValidate(file, {}, { out: (t) => (out += t), err: (t) => (err += t), env: {} });
    return { code, out, err };
  };

  it('lists both engines of the example', () => {
    const { code, out } = run('fleets/examples/engines-llama-3-1-8b.yaml');
    expect(code).toBe(0);
    expect(out).toMatch(/^llama31-8b-lmi\s+llama-3-1-8b\s+ml\.g5\.2xlarge\s+lmi\s+variant\s+1×1/m);
    expect(out).toMatch(/^llama31-8b-tgi\s+llama-3-1-8b\s+ml\.g5\.2xlarge\s+tgi\s+variant\s+1×1/m);
  });

  it('names the LMI field of a refused setting', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'engines-')), 'bad.yaml');
    writeFileSync(file, `${HEAD}  - model: llama-3-1-8b\n    instanceType: ml.g5.2xlarge\n    engine: lmi\n    lmi:\n      maxRollingBatchSize: 64\n      env: { OPTION_MAX_NUM_SEQS: '256' }\n`);
    const { code, err } = run(file);
    expect(code).toBe(1);
    expect(err).toMatch(/deployments\[0\]\.lmi\.env\.OPTION_MAX_NUM_SEQS.*256 disagrees with maxRollingBatchSize 64/);
  });
});
