import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadFleetFile } from '../../lib/fleet/load';
import { resolveFleet } from '../../lib/fleet/resolve';
import { runOffline, type OfflineResult } from '../../loadtest/offline/run-offline';
import { synthesizePipeline, type SynthesizedFleet } from '../../loadtest/offline/synth';
import type { CfnTemplate } from '../../loadtest/offline/definition';
import { readTemplateDeployment } from '../../loadtest/offline/template-deployment';
import { startTemplateEndpoint } from '../../loadtest/offline/template-endpoint';
import { cloneSynthesized, modelEnvironment } from './template-fixture';

/**
 * An LMI deployment's container environment, as its synthesized template declares it, goes through
 * the LMI container-start judge in the offline run: the settings it resolves are what the twin
 * serves with, and a container that would exit leaves the endpoint Failed with LMI's message.
 */
const LMI = 'llama31-8b-lmi';
const FAST = { durationS: 20, warmupRequests: 1, concurrency: [1], plateauGain: 0 } as const;

let synthesized: SynthesizedFleet;
beforeAll(() => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const fleet = resolveFleet(loadFleetFile('fleets/examples/engines-llama-3-1-8b.yaml'), { region: 'us-east-1' });
  synthesized = synthesizePipeline({ ...fleet, deployments: fleet.deployments.filter((d) => d.id === LMI) });
});

function run(synth: SynthesizedFleet): Promise<OfflineResult> {
  return runOffline({ synthesized: synth, deployment: LMI, speedup: 60, outDir: mkdtempSync(path.join(tmpdir(), 'llm-bench-lmi-')), benchmark: FAST });
}

describe('LMI container start in the offline run', () => {
  it("serves with the settings the template's environment gives the container", async () => {
    const synth = cloneSynthesized(synthesized);
    modelEnvironment(synth, LMI).OPTION_MAX_ROLLING_BATCH_SIZE = '48';
    const deployment = readTemplateDeployment(synth.deploymentTemplates[LMI] as CfnTemplate, synth.region);
    expect(deployment.image).toContain('djl-inference:0.36.0-lmi27.0.0');
    const { endpoint, start } = await startTemplateEndpoint(deployment, { speedup: 60 });
    try {
      expect(start).toMatchObject({ started: true, tp: 1, settings: { maxRollingBatchSize: 48, maxModelLen: 4096, maxNumBatchedTokens: 4096 } });
      const info = (await (await fetch(`${endpoint.url}/info`)).json()) as { container: string; local: Record<string, unknown> };
      expect(info.container).toBe('lmi');
      expect(info.local).toMatchObject({ instance_type: 'ml.g5.2xlarge', tp: 1 });
    } finally {
      await endpoint.close();
    }
  });

  it('the unedited template starts and the sweep measures it', async () => {
    const result = await run(cloneSynthesized(synthesized));
    expect(result.container).toMatchObject({ started: true });
    expect(result.succeeded).toBe(true);
    expect(result.sweep?.levels[0]?.ok).toBeGreaterThan(0);
  });

  it("a template whose env repeats the batch under vLLM's name leaves the endpoint Failed with LMI's message", async () => {
    const synth = cloneSynthesized(synthesized);
    // `validate` refuses this (lmi-max-num-seqs-matches-batch-size); an edited template bypasses it.
    modelEnvironment(synth, LMI).OPTION_MAX_NUM_SEQS = '128';
    const result = await run(synth);
    expect(result.succeeded).toBe(false);
    expect(result.container).toMatchObject({ started: false, stage: 'engine-args' });
    expect(result.sweep?.failure?.step).toBe('DescribeEndpoint');
    expect(result.sweep?.failure?.message).toContain('is Failed: The primary container for production variant AllTraffic did not pass the ping health check');
    expect(result.sweep?.failure?.message).toContain('Both the DJL 128=128 and vLLM max_num_seqs=128 configs have been set with conflicting values.');
    expect(result.sweep?.levels).toEqual([]);
  });

  it('a max_model_len beyond the model context fails in vLLM, as the container would', async () => {
    const synth = cloneSynthesized(synthesized);
    modelEnvironment(synth, LMI).OPTION_MAX_MODEL_LEN = '200000';
    const deployment = readTemplateDeployment(synth.deploymentTemplates[LMI] as CfnTemplate, synth.region);
    const { endpoint, start } = await startTemplateEndpoint(deployment, { speedup: 60 });
    await endpoint.close();
    expect(start).toMatchObject({ started: false, stage: 'engine-config' });
    expect(start.started ? '' : start.message).toContain('User-specified max_model_len (200000) is greater than the derived max_model_len (max_position_embeddings=131072');
  });
});
