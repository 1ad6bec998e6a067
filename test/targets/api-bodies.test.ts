import { startLocalEndpoint } from '../../loadtest/local';
import type { ErrorKind } from '../../lib/results/records';
import { UserInputError } from '../../lib/errors';
import { createTarget, parseRequestApi, parseServingContainer, parseTargetSpec } from '../../loadtest/targets';
import { requestBody } from '../../loadtest/targets/bodies';
import { OpenAiStreamReader } from '../../loadtest/targets/openai-stream';
import { TgiStreamReader } from '../../loadtest/targets/tgi-stream';
import { payloadPart, startEventStreamServer } from '../support/event-stream-server';
import { generationRequest, NO_ABORT } from '../support/requests';

const encoder = new TextEncoder();
const request = { prompt: 'Hi there', maxNewTokens: 7 };

describe('request bodies per API', () => {
  it('generate: TGI inputs/parameters; SageMaker adds stream:true, LMI also ignore_eos_token', () => {
    expect(JSON.parse(requestBody('generate', request, { stream: true, exactLength: false }))).toEqual({
      inputs: 'Hi there',
      parameters: { max_new_tokens: 7, details: true, decoder_input_details: false },
    });
    expect(JSON.parse(requestBody('generate', request, { stream: true, exactLength: true, streamFlagInGenerate: true }))).toEqual({
      inputs: 'Hi there',
      parameters: { max_new_tokens: 7, details: true, decoder_input_details: false, ignore_eos_token: true },
      stream: true,
    });
  });

  it('completions and chat: max_tokens, usage on streams, ignore_eos for an exact length', () => {
    expect(JSON.parse(requestBody('completions', request, { stream: false, exactLength: false, model: 'm' }))).toEqual({ model: 'm', prompt: 'Hi there', max_tokens: 7, stream: false });
    expect(JSON.parse(requestBody('chat', request, { stream: true, exactLength: true }))).toEqual({
      messages: [{ role: 'user', content: 'Hi there' }],
      max_tokens: 7,
      ignore_eos: true,
      stream: true,
      stream_options: { include_usage: true },
    });
    const messages = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ] as const;
    expect(JSON.parse(requestBody('chat', { ...request, messages }, { stream: false, exactLength: false })).messages).toEqual(messages);
  });

  it('names the field and the allowed values of a bad api or container (the CLI maps them to --api, --container)', () => {
    expect(() => parseRequestApi('chat-completions')).toThrow(UserInputError);
    expect(() => parseRequestApi('chat-completions')).toThrow("api: 'chat-completions' is not an API; allowed: generate, completions, chat");
    expect(() => parseServingContainer('vllm')).toThrow("container: 'vllm' is not a container; allowed: tgi, lmi");
  });
});

describe('JSON-lines stream readers (LMI)', () => {
  const feed = (reader: { push(chunk: Uint8Array, nowMs: number): void }, text: string, cut: number): void => {
    const bytes = encoder.encode(text);
    for (let i = 0; i < bytes.length; i += cut) reader.push(bytes.subarray(i, i + cut), i);
  };

  it.each([1, 5, 64])('reads TGI-style lines cut every %i bytes (Python separators, input_length, blank lines)', (cut) => {
    const reader = new TgiStreamReader(true, 'jsonlines');
    const token = (text: string) => `{"index": 0, "token": {"id": 1, "text": "${text}", "logprob": -0.1}, "generated_text": null, "details": null}\n`;
    feed(
      reader,
      token(' café') + token(' naïve') + '\n' + '{"index": 0, "token": {"id": 2, "text": " ok", "logprob": -0.1}, "generated_text": " café naïve ok", "details": {"finish_reason": "length", "seed": null, "generated_tokens": 3, "input_length": 12}}\n\n',
      cut,
    );
    expect(reader.end()).toBeUndefined();
    expect([reader.outputTokens, reader.serverInputTokens]).toEqual([3, 12]);
    // "now" is the byte offset of each cut: the first token is seen with the chunk that completes the first line.
    expect(reader.firstTokenMs).toBeLessThan(encoder.encode(token(' café')).length);
    expect(reader.firstTokenMs).toBeGreaterThanOrEqual(encoder.encode(token(' café')).length - cut);
  });

  it('a chat stream without a finish_reason chunk is truncated; one with finish_reason and usage is whole', () => {
    const chunk = (content: string, finish: string | null) => JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content }, finish_reason: finish }] });
    const cut = new OpenAiStreamReader(false, 'jsonlines');
    feed(cut, `${chunk(' a', null)}\n${chunk(' b', null)}\n`, 100);
    expect(cut.end()).toMatchObject({ error: 'invalid_response', errorMessage: expect.stringMatching(/finish_reason/) });
    const whole = new OpenAiStreamReader(false, 'jsonlines');
    feed(whole, `${chunk('', null)}\n${chunk(' a b c', null)}\n${chunk(' d e f', 'length')}\n{"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":6}}\n\n`, 7);
    expect(whole.end()).toBeUndefined();
    expect([whole.outputTokens, whole.serverInputTokens]).toEqual([6, 9]);
  });

  it("relays vLLM's error object as a classified fault", () => {
    const reader = new OpenAiStreamReader(false, 'jsonlines');
    feed(reader, '{"error": {"object": "error", "message": "Model is overloaded", "type": "ServiceUnavailableError", "code": 503}}\n', 50);
    expect(reader.end()).toMatchObject({ error: 'overloaded', status: 503 });
  });
});

describe('SageMaker target on an LMI container: faults of JSON-lines streams (real SDK)', () => {
  it.each<[string, ErrorKind]>([
    ['5xx=1', 'server_error'],
    ['truncate=1', 'invalid_response'],
    ['garbage=1', 'invalid_response'],
    ['overload=1', 'overloaded'],
  ])('%s → %s', async (faults, kind) => {
    const endpoint = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', speedup: 100, container: 'lmi', faults });
    const target = createTarget(parseTargetSpec(`sagemaker:${endpoint.endpointName}`), { maxSockets: 1, stream: true, api: 'chat', container: 'lmi', endpointUrl: endpoint.url, retries: 0 });
    try {
      const record = await target.generate(generationRequest({ maxNewTokens: 6 }), NO_ABORT);
      expect(record.error).toBe(kind);
      expect(record.outputTokens).toBe(0);
    } finally {
      await target.close();
      await endpoint.close();
    }
  });
});

describe('short outputs', () => {
  it('a server that stops before max_new_tokens is recorded with its actual tokens and shortOutput', async () => {
    const sse =
      'data:{"index":1,"token":{"id":1,"text":" a","special":false},"generated_text":null,"details":null}\n\n' +
      'data:{"index":2,"token":{"id":2,"text":"","special":true},"generated_text":" a","details":{"finish_reason":"eos_token","generated_tokens":2}}\n\n';
    const server = await startEventStreamServer(() => [payloadPart(encoder.encode(sse))]);
    const target = createTarget(parseTargetSpec('sagemaker:short'), { maxSockets: 1, stream: true, endpointUrl: server.url, retries: 0 });
    try {
      const short = await target.generate(generationRequest({ maxNewTokens: 8 }), NO_ABORT);
      expect([short.error, short.outputTokens, short.shortOutput]).toEqual([undefined, 2, true]);
      const exact = await target.generate(generationRequest({ maxNewTokens: 2 }), NO_ABORT);
      expect([exact.outputTokens, exact.shortOutput]).toEqual([2, undefined]);
    } finally {
      await target.close();
      await server.close();
    }
  });
});
