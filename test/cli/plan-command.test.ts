import { listInstanceTypes, listModels } from '../../lib/catalog';
import { UserInputError } from '../../lib/errors';
import { runCli, runMain } from '../support/cli';

const REQUIRED_FIELDS = [
  'model',
  'instance',
  'tp',
  'weightsBytes',
  'kvBytesPerToken',
  'kvCapacityTokens',
  'maxBatchByMemory',
  'opsPerByte',
  'criticalBatch',
  'decodeStepMsBatch1',
  'fits',
  'hourlyUsd',
  'usdPerMillionTokensAtBatch1',
] as const;

describe('llm-bench plan', () => {
  it('prints a table by default', async () => {
    const out = await runCli(['plan', '--model', 'llama-2-7b', '--instance', 'ml.g5.2xlarge']);
    expect(out).toMatch(/^llama-2-7b on ml.g5.2xlarge/);
    expect(out).toMatch(/max batch by memory\s+35 sequences of 512 tokens/);
  });

  it('prints JSON with --json: the published figures for Llama 2 7B on one A10G at 4,096 tokens', async () => {
    const plan = JSON.parse(await runCli(['plan', '--model', 'llama-2-7b', '--instance', 'g5.2xlarge', '--input-tokens', '2048', '--output-tokens', '2048', '--json']));
    expect(plan).toMatchObject({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', tp: 1, kvBytesPerToken: 524288, maxBatchByMemory: 4, criticalBatch: 116, fits: true });
  });

  it('reports a model that does not fit with fits: false, exit code untouched', async () => {
    const plan = JSON.parse(await runCli(['plan', '--model', 'llama-2-70b', '--instance', 'ml.g5.2xlarge', '--json']));
    expect(plan.fits).toBe(false);
    expect(plan.reason).toMatch(/weights/);
    expect(plan.shortfallGB).toBeGreaterThan(100);
    expect(process.exitCode ?? 0).toBe(0);
  });

  it('passes TP, copies, instances, TGI settings and prices through', async () => {
    const plan = JSON.parse(
      await runCli([
        'plan', '--model', 'llama-2-7b', '--instance', 'ml.g5.12xlarge', '--tp', '2', '--copies', '2', '--instances', '3',
        '--max-concurrent-requests', '64', '--max-batch-total-tokens', '20000', '--max-batch-prefill-tokens', '8192',
        '--max-total-tokens', '4000', '--max-input-tokens', '3000', '--price', 'ml.g5.12xlarge=5', '--json',
      ]),
    );
    expect(plan).toMatchObject({ tp: 2, tpSource: 'requested', copies: 2, instances: 3, hourlyUsd: 15 });
    expect(plan.tgi).toEqual({ maxConcurrentRequests: 64, maxBatchTotalTokens: 20000, maxBatchPrefillTokens: 8192, maxTotalTokens: 4000, maxInputTokens: 3000 });
    expect(plan.problems).toEqual([]);
  });

  it('adds the predicted curve with --concurrency', async () => {
    const plan = JSON.parse(await runCli(['plan', '--model', 'llama-2-7b', '--instance', 'ml.g5.2xlarge', '--concurrency', '1,2,4,8', '--json']));
    expect(plan.curve).toHaveLength(4);
    for (const level of plan.curve) {
      expect(Object.keys(level)).toEqual(expect.arrayContaining(['concurrency', 'throughputTokensPerS', 'latencyMsPerToken', 'e2eMsP50', 'feasible']));
    }
    expect(plan.maxFeasibleConcurrency).toBe(8);
    expect(plan.maxThroughput.concurrency).toBe(8);
    const table = await runCli(['plan', '--model', 'llama-2-7b', '--instance', 'ml.g5.2xlarge', '--concurrency', '1,2']);
    expect(table).toMatch(/predicted curve/);
    expect(table).toMatch(/max feasible concurrency\s+2/);
  });

  it.each([
    [['--tp', '3'], /--tp: .*valid TP/],
    [['--input-tokens', 'abc'], /--input-tokens: 'abc' is not a whole number/],
    [['--concurrency', '1,-2'], /--concurrency/],
    [['--price', 'ml.g5.2xlarge=free'], /--price/],
    [['--max-total-tokens', '0'], /--max-total-tokens/],
  ])('rejects %j as a user error', async (extra, message) => {
    const attempt = runCli(['plan', '--model', 'llama-2-7b', '--instance', 'ml.g5.2xlarge', ...extra]);
    await expect(attempt).rejects.toThrow(UserInputError);
    await expect(runCli(['plan', '--model', 'llama-2-7b', '--instance', 'ml.g5.2xlarge', ...extra])).rejects.toThrow(message);
  });

  it('prints error: <message> and exits 1 through main()', async () => {
    const { stderr, exitCode } = await runMain(['plan', '--model', 'llama-2-7b', '--instance', 'ml.g5.2xlarge', '--tp', '2']);
    expect(exitCode).toBe(1);
    expect(stderr).toBe('error: --tp: TP 2 needs 2 accelerators; ml.g5.2xlarge has 1; valid TP for llama-2-7b on ml.g5.2xlarge: 1\n');
  });

  it('walks every model × instance pair of the catalog through plan --json', async () => {
    const models = listModels();
    const instances = listInstanceTypes();
    expect(models.length).toBeGreaterThanOrEqual(15);
    let fitting = 0;
    for (const model of models) {
      for (const instance of instances) {
        const plan = JSON.parse(await runCli(['plan', '--model', model.id, '--instance', instance.name, '--json']));
        for (const field of REQUIRED_FIELDS) expect([model.id, instance.name, field, plan[field] !== undefined && plan[field] !== null]).toEqual([model.id, instance.name, field, true]);
        expect([model.id, instance.name, Number.isFinite(plan.decodeStepMsBatch1) && Number.isFinite(plan.usdPerMillionTokensAtBatch1)]).toEqual([model.id, instance.name, true]);
        if (plan.fits) fitting += 1;
        else expect([model.id, instance.name, typeof plan.reason]).toEqual([model.id, instance.name, 'string']);
      }
    }
    expect(fitting).toBeGreaterThan(models.length); // most models fit somewhere, small ones nearly everywhere
  });
});
