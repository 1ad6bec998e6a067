import { buildProgram } from '../../loadtest/cli/main';
import { describeEndpoint, startFromFlags, type ServeLocalFlags } from '../../loadtest/cli/serve-local-command';
import { UserInputError } from '../../lib/errors';
import { post } from './http';

const base: ServeLocalFlags = { model: 'llama-2-7b', instance: 'ml.g5.2xlarge', copies: '1', instances: '1', port: '0', speedup: '20' };

describe('llm-bench serve-local', () => {
  test('is registered with its flags', () => {
    const command = buildProgram().commands.find((c) => c.name() === 'serve-local');
    expect(command).toBeDefined();
    const flags = command?.options.map((o) => o.long) ?? [];
    expect(flags).toEqual(expect.arrayContaining(['--model', '--instance', '--tp', '--copies', '--instances', '--port', '--speedup', '--faults', '--endpoint-name', '--component']));
  });

  test('starts from flags, prints the URL and the hints, and serves', async () => {
    const endpoint = await startFromFlags({ ...base, component: ['ic-a', 'ic-b'], faults: 'overload=0.5,seed=3', maxConcurrentRequests: '4' });
    try {
      const text = describeEndpoint(endpoint);
      expect(text).toContain(`url        ${endpoint.url}`);
      expect(text).toContain(`curl -s ${endpoint.url}/generate`);
      expect(text).toContain("InferenceComponentName one of 'ic-a', 'ic-b'");
      expect(text).toContain('speedup 20×, faults overload=0.5,seed=3');
      const info = JSON.parse((await (await fetch(`${endpoint.url}/info`)).text())) as { max_concurrent_requests: number; speedup: number };
      expect(info).toMatchObject({ max_concurrent_requests: 4, speedup: 20 });
      const answer = await post(`${endpoint.url}/generate`, { inputs: 'Hi', parameters: { max_new_tokens: 2 } }, { 'X-Amzn-SageMaker-Inference-Component': 'ic-b' });
      expect([200, 429]).toContain(answer.status);
    } finally {
      await endpoint.close();
    }
  });

  test.each([
    [{ speedup: '0' }, /--speedup: '0' is not a positive number/],
    [{ port: '70000' }, /--port: 70000 is not a port/],
    [{ copies: 'two' }, /--copies: 'two' is not a whole number/],
    [{ copies: '2' }, /--copies: 2 copies × TP 1 need 2 accelerators; ml.g5.2xlarge has 1/],
    [{ copies: '2', tp: '1' }, /--copies: copies × tp = 2 × 1 exceeds the 1 GPUs of ml.g5.2xlarge/],
    [{ faults: 'hang=2' }, /--faults: rate of 'hang' must be between 0 and 1/],
    [{ endpointName: 'bad_name' }, /--endpoint-name: 'bad_name' is not a SageMaker endpoint name/],
    [{ component: ['a', 'a'] }, /--component: 'a' is given twice/],
  ])('refuses %p', async (override, message) => {
    const attempt = startFromFlags({ ...base, ...override });
    await expect(attempt).rejects.toThrow(UserInputError);
    await expect(startFromFlags({ ...base, ...override })).rejects.toThrow(message);
  });

  test('a busy port is a user error naming --port', async () => {
    const first = await startFromFlags(base);
    try {
      await expect(startFromFlags({ ...base, port: String(first.port) })).rejects.toThrow(/--port: port \d+ is in use/);
    } finally {
      await first.close();
    }
  });
});
