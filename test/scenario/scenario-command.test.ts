import { runProgram } from '../../loadtest/cli/main';

const run = (...args: string[]) => runProgram(['node', 'llm-bench', 'scenario', ...args]);

describe('llm-bench scenario: errors name the flags', () => {
  it('maps the spec fields to their flags before anything runs', async () => {
    await expect(run('soak', '--to', '4', '--twin', 'x')).rejects.toThrow(/scenario: 'soak' is not a scenario; allowed: ramp, spike, scale-from-zero/);
    await expect(run('ramp', '--to', '4', '--from', '9', '--twin', 'x')).rejects.toThrow(/--from: 9 is above to \(4\)/);
    await expect(run('ramp', '--to', '4', '--sample', '0', '--twin', 'x')).rejects.toThrow(/--sample/);
    await expect(run('ramp', '--to', '4')).rejects.toThrow(/--target: give --target sagemaker:ENDPOINT:COMPONENT/);
    await expect(run('ramp', '--to', '4', '--target', 'tgi:http://127.0.0.1:1')).rejects.toThrow(/--target: a scenario reads capacity from SageMaker/);
    await expect(run('ramp', '--to', '4', '--twin', 'x', '--capacity', 'bootS=3')).rejects.toThrow(/--capacity: unknown key 'bootS'; allowed keys: containerStartS, downloadGBps, loadToGpuGBps, instanceProvisionS/);
    await expect(run('ramp', '--to', '4', '--target', 'sagemaker:e:c', '--capacity', 'containerStartS=10')).rejects.toThrow(/--capacity: sets the twin's capacity model: give it with --twin DEPLOYMENT/);
  });

  it('takes an open-loop rate load (--load rate: requests/s, --arrival, --burstiness, --seed), naming bad flags', async () => {
    const { specOfFlags } = await import('../../loadtest/cli/scenario-command');
    const base = { to: '2.5', speedup: '30', inputTokens: '256', outputTokens: '128', out: 'x' };
    expect(specOfFlags('ramp', { ...base, load: 'rate', from: '0.5', arrival: 'gamma', burstiness: '0.5', seed: '9' })).toMatchObject({ load: 'rate', from: 0.5, to: 2.5, arrival: 'gamma', burstiness: 0.5, seed: 9 });
    await expect(run('ramp', '--load', 'bursts', '--to', '4', '--twin', 'x')).rejects.toThrow(/--load: 'bursts' is not a load; allowed: concurrency, rate/);
    await expect(run('ramp', '--load', 'rate', '--to', '2', '--arrival', 'uniform', '--twin', 'x')).rejects.toThrow(/--arrival: 'uniform' is not an arrival process; allowed: poisson, gamma, constant/);
    await expect(run('ramp', '--to', '4', '--arrival', 'poisson', '--twin', 'x')).rejects.toThrow(/--arrival: applies to load rate only/);
    await expect(run('ramp', '--to', '2.5', '--twin', 'x')).rejects.toThrow(/--to/);
  });

  it('refuses a twin deployment that is not in the fleet, listing those that are', async () => {
    await expect(run('ramp', '--to', '4', '--twin', 'nope')).rejects.toThrow(/--twin: 'nope' is not in .*deployments: .*llama-2-7b-p4d-ic-8x-tp1/);
  });
});

describe('llm-bench serve-local --autoscaling-twin', () => {
  const flags = { copies: '1', instances: '1', port: '0', speedup: '30' };

  it('takes the model and instance from the fleet, not from flags', async () => {
    const { startFromFlags } = await import('../../loadtest/cli/serve-local-command');
    await expect(startFromFlags({ ...flags, autoscalingTwin: 'llama-2-7b-p4d-ic-8x-tp1', model: 'llama-2-7b' })).rejects.toThrow(/--autoscaling-twin: takes the model, instance and policies from the fleet/);
  });

  it('serves the twin with its policies registered, one copy in service at MinCapacity', async () => {
    const { startFromFlags } = await import('../../loadtest/cli/serve-local-command');
    const endpoint = await startFromFlags({ ...flags, autoscalingTwin: 'llama-2-7b-p4d-ic-8x-tp1' });
    try {
      expect(endpoint.targetTrackers).toHaveLength(1);
      const info = (await (await fetch(`${endpoint.url}/info`)).json()) as { virtual_clock: { speedup: number }; local: { instance_type: string } };
      expect(info.virtual_clock.speedup).toBe(30);
      expect(info.local.instance_type).toBe('ml.p4d.24xlarge');
    } finally {
      await endpoint.close();
    }
  });
});
