import llamaTokenizer from 'llama-tokenizer-js';
import { startLocalEndpoint, type LocalEndpoint } from '../../loadtest/local';
import { countTokens } from '../../loadtest/payload';
import { post, promptOf, sseData } from './http';

const SPEEDUP = 50;

describe('local endpoint: TGI and OpenAI protocols', () => {
  let endpoint: LocalEndpoint;

  beforeAll(async () => {
    endpoint = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', speedup: SPEEDUP, tgi: { maxConcurrentRequests: 3 } });
  });
  afterAll(() => endpoint.close());

  test('POST /generate returns TGI shape with exactly max_new_tokens tokens', async () => {
    const prompt = promptOf(40);
    const answer = await post(`${endpoint.url}/generate`, { inputs: prompt, parameters: { max_new_tokens: 17, details: true } });
    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.text) as { generated_text: string; details: { finish_reason: string; generated_tokens: number } };
    expect(body.details.finish_reason).toBe('length');
    expect(body.details.generated_tokens).toBe(17);
    // The filler text re-tokenizes to the count reported.
    expect(llamaTokenizer.encode(body.generated_text, false, false)).toHaveLength(17);
    // Input count as the load generator's payload builder counts it (BOS included).
    expect(Number(answer.headers.get('x-prompt-tokens'))).toBe(countTokens(prompt));
  });

  test('without details only generated_text is returned', async () => {
    const answer = await post(`${endpoint.url}/generate`, { inputs: 'Hi', parameters: { max_new_tokens: 3 } });
    expect(JSON.parse(answer.text)).toEqual({ generated_text: ' the model is' });
  });

  test('POST /generate_stream sends one event per token, the last with generated_text and details', async () => {
    const answer = await post(`${endpoint.url}/generate_stream`, { inputs: promptOf(10), parameters: { max_new_tokens: 6 } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('text/event-stream');
    const events = sseData(answer.text).map((data) => JSON.parse(data) as Record<string, unknown>);
    expect(events).toHaveLength(6);
    expect(events[0]).toEqual({
      index: 1,
      token: { id: 278, text: ' the', logprob: -0.25, special: false },
      generated_text: null,
      details: null,
    });
    const last = events[5] as { generated_text: string; details: { generated_tokens: number; finish_reason: string } };
    // TGI's StreamDetails carries input_length (router/src/lib.rs@v3.3.7).
    expect(last.details).toEqual({ finish_reason: 'length', generated_tokens: 6, seed: null, input_length: 11 });
    expect(last.generated_text).toBe(' the model is a token of');
  });

  test('GET /info advertises the speedup and the TGI limits', async () => {
    const info = (await (await fetch(`${endpoint.url}/info`)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({
      model_id: 'meta-llama/Llama-2-7b-hf',
      speedup: SPEEDUP,
      max_input_tokens: 4095,
      max_total_tokens: 4096,
      max_concurrent_requests: 3,
      sharded: false,
      num_shard: 1,
    });
    expect(info.max_batch_total_tokens).toEqual(expect.any(Number));
    expect((await fetch(`${endpoint.url}/health`)).status).toBe(200);
  });

  test('more than MAX_CONCURRENT_REQUESTS at once: the extra requests get 429 overloaded', async () => {
    const body = { inputs: promptOf(20), parameters: { max_new_tokens: 1500 } };
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(`${endpoint.url}/generate`, body)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = answers.find((a) => a.status === 429);
    expect(JSON.parse(refused?.text ?? '')).toEqual({ error: 'Model is overloaded', error_type: 'overloaded' });
  });

  test('input longer than MAX_INPUT_TOKENS: 422 with TGI validation message', async () => {
    const short = await startLocalEndpoint({
      model: 'llama-2-7b',
      instance: 'ml.g5.2xlarge',
      speedup: SPEEDUP,
      tgi: { maxInputTokens: 512, maxTotalTokens: 1024 },
    });
    try {
      const prompt = promptOf(600);
      const answer = await post(`${short.url}/generate`, { inputs: prompt, parameters: { max_new_tokens: 10 } });
      expect(answer.status).toBe(422);
      expect(JSON.parse(answer.text)).toEqual({
        error: `Input validation error: \`inputs\` must have less than 512 tokens. Given: ${countTokens(prompt)}`,
        error_type: 'validation',
      });
    } finally {
      await short.close();
    }
  });

  test('input + max_new_tokens above MAX_TOTAL_TOKENS: 422; max_new_tokens 0: 422', async () => {
    const total = await post(`${endpoint.url}/generate`, { inputs: promptOf(100), parameters: { max_new_tokens: 4090 } });
    expect(total.status).toBe(422);
    expect(total.text).toContain('must be <= 4096. Given: 101 `inputs` tokens and 4090 `max_new_tokens`');
    const zero = await post(`${endpoint.url}/generate`, { inputs: 'Hi', parameters: { max_new_tokens: 0 } });
    expect(zero.status).toBe(422);
    const malformed = await post(`${endpoint.url}/generate`, '{"parameters":{}}');
    expect(malformed.status).toBe(422);
  });

  test('generation time follows the engine, scaled by the speedup', async () => {
    const started = performance.now();
    await post(`${endpoint.url}/generate`, { inputs: promptOf(10), parameters: { max_new_tokens: 100 } });
    const virtualMsPerToken = ((performance.now() - started) * SPEEDUP) / 100;
    // Llama 2 7B on one A10G decodes at roughly 30 ms/token at batch 1 (published: 33 ms/token).
    expect(virtualMsPerToken).toBeGreaterThan(20);
    expect(virtualMsPerToken).toBeLessThan(60);
  });

  test('POST /v1/completions answers text_completion with usage', async () => {
    const answer = await post(`${endpoint.url}/v1/completions`, { model: 'm', prompt: promptOf(10), max_tokens: 4 });
    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.text) as Record<string, unknown>;
    expect(body).toMatchObject({
      object: 'text_completion',
      choices: [{ index: 0, text: ' the model is a', finish_reason: 'length', logprobs: null }],
      usage: { prompt_tokens: 11, completion_tokens: 4, total_tokens: 15 },
    });
  });

  test('POST /v1/completions with stream sends chunks, usage on the last, then [DONE]', async () => {
    const answer = await post(`${endpoint.url}/v1/completions`, { prompt: 'Hello', max_tokens: 3, stream: true });
    const data = sseData(answer.text);
    expect(data[data.length - 1]).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as { choices: { text: string; finish_reason: string | null }[]; usage?: unknown });
    expect(chunks.map((c) => c.choices[0]?.text)).toEqual([' the', ' model', ' is']);
    expect(chunks[2]?.choices[0]?.finish_reason).toBe('length');
    expect(chunks[2]?.usage).toEqual({ prompt_tokens: countTokens('Hello'), completion_tokens: 3, total_tokens: countTokens('Hello') + 3 });
  });

  test('unknown route: 404 listing the routes', async () => {
    const answer = await post(`${endpoint.url}/nope`, {});
    expect(answer.status).toBe(404);
    expect(answer.text).toContain('/generate_stream');
  });
});
