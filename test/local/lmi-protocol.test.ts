import { InvokeEndpointCommand, InvokeEndpointWithResponseStreamCommand, ModelError, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { startLocalEndpoint, type LocalEndpoint } from '../../loadtest/local';
import { chatPromptTokens, countTokens } from '../../loadtest/payload';
import { post, sseData } from './http';

/**
 * The local endpoint as an LMI container (`container: 'lmi'`), read with the real SageMaker SDK:
 * /invocations routes by body key, TGI-style bodies default to 30 tokens, streams are JSON lines
 * (no `data:`, no `[DONE]`) inside PayloadPart frames. The same endpoint as a TGI container streams
 * SSE for chat bodies, ending with `data: [DONE]`.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const messages = [{ role: 'user', content: 'What is deep learning?' }] as const;

async function streamed(client: SageMakerRuntimeClient, endpointName: string, body: unknown): Promise<{ text: string; parts: number; contentType?: string }> {
  const output = await client.send(new InvokeEndpointWithResponseStreamCommand({ EndpointName: endpointName, Body: encoder.encode(JSON.stringify(body)), ContentType: 'application/json' }));
  let text = '';
  let parts = 0;
  for await (const event of output.Body ?? []) {
    if (event.PayloadPart?.Bytes === undefined) continue;
    parts += 1;
    text += decoder.decode(event.PayloadPart.Bytes);
  }
  return { text, parts, contentType: output.ContentType };
}

const lines = (text: string): Record<string, unknown>[] =>
  text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe.each(['lmi', 'tgi'] as const)('local endpoint as a %s container', (container) => {
  let endpoint: LocalEndpoint;
  let client: SageMakerRuntimeClient;
  beforeAll(async () => {
    endpoint = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', speedup: 100, container });
    client = new SageMakerRuntimeClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await endpoint.close();
  });

  const invoke = async (body: unknown): Promise<Record<string, unknown> | Record<string, unknown>[]> => {
    const output = await client.send(new InvokeEndpointCommand({ EndpointName: endpoint.endpointName, Body: encoder.encode(JSON.stringify(body)), ContentType: 'application/json' }));
    return JSON.parse(decoder.decode(output.Body)) as Record<string, unknown>;
  };

  test('a TGI-style body without max_new_tokens: LMI generates 30 tokens and answers the bare object; TGI a list', async () => {
    const answer = await invoke({ inputs: 'Hello there', parameters: { details: true } });
    if (container === 'lmi') {
      expect(Array.isArray(answer)).toBe(false);
      expect(answer).toMatchObject({ details: { generated_tokens: 30, finish_reason: 'length', prefill: [] } });
    } else {
      expect(Array.isArray(answer)).toBe(true);
    }
  });

  test('a prompt body is a completion and a messages body a chat completion, with usage', async () => {
    const completion = await invoke({ prompt: 'Hello there', max_tokens: 5 });
    expect(completion).toMatchObject({ object: 'text_completion', usage: { prompt_tokens: countTokens('Hello there'), completion_tokens: 5 } });
    const chat = await invoke({ messages, max_tokens: 4 });
    expect(chat).toMatchObject({
      object: 'chat.completion',
      choices: [{ message: { role: 'assistant', content: ' the model is a' }, finish_reason: 'length' }],
      usage: { prompt_tokens: chatPromptTokens(messages), completion_tokens: 4 },
    });
  });

  test('a streamed chat body: JSON lines (LMI) or SSE ending with [DONE] (TGI), usage last', async () => {
    const { text, parts, contentType } = await streamed(client, endpoint.endpointName, { messages, max_tokens: 3, stream: true, stream_options: { include_usage: true } });
    const chunks = container === 'lmi' ? lines(text) : sseData(text).slice(0, -1).map((d) => JSON.parse(d) as Record<string, unknown>);
    if (container === 'lmi') {
      expect(contentType).toBe('application/jsonlines');
      expect(text).not.toContain('data:');
      expect(text).not.toContain('[DONE]');
    } else {
      expect(contentType).toBe('text/event-stream');
      expect(sseData(text).at(-1)).toBe('[DONE]');
    }
    expect(parts).toBeGreaterThanOrEqual(4);
    const deltas = chunks.map((c) => (c.choices as { delta?: { content?: string } }[])[0]?.delta?.content);
    expect(deltas.slice(0, 3)).toEqual([' the', ' model', ' is']);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: chatPromptTokens(messages), completion_tokens: 3 } });
  });

  test('a streamed TGI-style body: token events, the last with details', async () => {
    const { text } = await streamed(client, endpoint.endpointName, { inputs: 'Hello', parameters: { max_new_tokens: 3, details: true }, stream: true });
    const events = container === 'lmi' ? lines(text) : sseData(text).map((d) => JSON.parse(d) as Record<string, unknown>);
    expect(events).toHaveLength(3);
    expect(events.at(-1)).toMatchObject({ generated_text: ' the model is', details: { generated_tokens: 3, input_length: countTokens('Hello') } });
  });

  test('a body with none of prompt, inputs, messages is a ModelError carrying 422', async () => {
    const error = await client.send(new InvokeEndpointCommand({ EndpointName: endpoint.endpointName, Body: encoder.encode('{"text":"hi"}') })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).OriginalStatusCode).toBe(422);
    expect((error as ModelError).message).toMatch(/must contain prompt, inputs, or messages/);
  });

  test('plain POST /invocations streams as the container does; /v1/chat/completions streams SSE', async () => {
    const plain = await post(`${endpoint.url}/invocations`, { messages, max_tokens: 2, stream: true });
    expect(plain.headers.get('content-type')).toBe(container === 'lmi' ? 'application/jsonlines' : 'text/event-stream');
    const openai = await post(`${endpoint.url}/v1/chat/completions`, { messages, max_tokens: 2, stream: true, stream_options: { include_usage: true } });
    const data = sseData(openai.text);
    expect(data.at(-1)).toBe('[DONE]');
    expect(JSON.parse(data.at(-2) ?? '{}')).toMatchObject({ usage: { completion_tokens: 2 } });
  });
});
