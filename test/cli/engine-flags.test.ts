import { UserInputError } from '../../lib/errors';
import { createEndpointEngine } from '../../lib/planner/engine';
import type { EndpointEngineConfig } from '../../lib/planner/engine/types';
import { startFromFlags, type ServeLocalFlags } from '../../loadtest/cli/serve-local-command';
import { startLocalEndpoint } from '../../loadtest/local/server';
import { runCli } from '../support/cli';

/** `--engine` picks the scheduler: `plan` predicts with it, `serve-local` serves with it. */

const plan = ['plan', '--model', 'llama-3-1-8b', '--instance', 'ml.g5.2xlarge', '--input-tokens', '512', '--output-tokens', '64'];

describe('plan --engine', () => {
  it('lmi: the table shows the vLLM scheduler settings and the KV cache in blocks; --json carries them', async () => {
    const table = await runCli([...plan, '--engine', 'lmi', '--max-rolling-batch-size', '16', '--max-num-batched-tokens', '1024']);
    expect(table).toMatch(/engine\s+LMI \(vLLM scheduler/);
    expect(table).toMatch(/vLLM scheduling\s+max_num_seqs 16, max_num_batched_tokens 1024, chunked prefill on, KV cache [\d,]+ blocks of 16 tokens \(gpu_memory_utilization 0\.92\)/);
    expect(table).not.toMatch(/TGI batching/);
    const json = JSON.parse(await runCli([...plan, '--engine', 'lmi', '--json'])) as { engine: string; vllm: { maxNumSeqs: number; kvCacheBlocks: number } };
    expect(json.engine).toBe('lmi');
    expect(json.vllm.maxNumSeqs).toBe(32);
    expect(json.vllm.kvCacheBlocks).toBeGreaterThan(2000);
  });

  it('tgi: the TGI rows, as before', async () => {
    const table = await runCli([...plan, '--engine', 'tgi']);
    expect(table).toMatch(/TGI batching\s+MAX_BATCH_PREFILL_TOKENS/);
    expect(table).not.toMatch(/vLLM scheduling/);
  });

  it.each([
    [['--engine', 'vllm'], "--engine: 'vllm' is not an engine; allowed: tgi, lmi"],
    [['--engine', 'tgi', '--max-rolling-batch-size', '8'], '--max-rolling-batch-size: is an LMI setting; it does not apply with --engine tgi'],
    [['--engine', 'lmi', '--max-batch-prefill-tokens', '4096'], '--engine: TGI settings (maxBatchPrefillTokens) do not apply with --engine lmi'],
    [['--engine', 'lmi', '--input-tokens', '8000', '--output-tokens', '500'], 'exceeds OPTION_MAX_MODEL_LEN 8192: vLLM would refuse every request'],
  ])('rejects %j naming the flag', async (extra, message) => {
    const attempt = runCli([...plan, ...extra]);
    await expect(attempt).rejects.toThrow(UserInputError);
    await expect(runCli([...plan, ...extra])).rejects.toThrow(message);
  });
});

describe('serve-local --engine', () => {
  it('lmi builds the engine with the vLLM scheduler and the LMI settings; tgi with the TGI one', async () => {
    const configs: EndpointEngineConfig[] = [];
    const engineFactory = (config: EndpointEngineConfig) => {
      configs.push(config);
      return createEndpointEngine(config);
    };
    for (const container of ['lmi', 'tgi'] as const) {
      const endpoint = await startLocalEndpoint({ model: 'llama-3-1-8b', instance: 'ml.g5.2xlarge', container, engineFactory, lmi: { maxRollingBatchSize: 48 } });
      await endpoint.close();
    }
    expect(configs.map((c) => c.engine)).toEqual(['lmi', 'tgi']);
    expect(configs[0].lmi?.maxRollingBatchSize).toBe(48);
    // Its request limits, what the protocol front end checks, come from the same LMI settings.
    expect(configs[0].tgi.maxTotalTokens).toBe(configs[0].lmi?.maxModelLen);
    expect(configs[1].lmi).toBeUndefined();
  });

  it('refuses TGI settings for an LMI endpoint, naming them', async () => {
    const flags: ServeLocalFlags = { model: 'llama-3-1-8b', instance: 'ml.g5.2xlarge', copies: '1', instances: '1', port: '0', speedup: '20', engine: 'lmi', maxBatchPrefillTokens: '4096' };
    await expect(startFromFlags(flags)).rejects.toThrow('--engine: TGI settings (maxBatchPrefillTokens) do not apply to an LMI endpoint; allowed with --engine tgi');
  });
});
