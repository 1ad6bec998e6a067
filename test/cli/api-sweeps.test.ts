import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startFromFlags } from '../../loadtest/cli/serve-local-command';
import { runSweepCommand, type SweepFlags } from '../../loadtest/cli/sweep-command';
import type { LocalEndpoint } from '../../loadtest/local';
import { chatPromptTokens, countTokens, renderChatPrompt } from '../../loadtest/payload';
import type { SweepResult } from '../../lib/results/records';
import { UserInputError } from '../../lib/errors';

/**
 * `--api` end to end on loopback: `serve-local --engine lmi|tgi` and `sweep` with each target and
 * API, the SageMaker ones through the real SDK. Llama 2 7B on one A10G decodes at ≈ 30 ms/token at
 * small batches in the engine; TTFT and ITL are read from the streams (JSON lines for LMI on
 * SageMaker, SSE elsewhere) and scaled back by the endpoint's speedup.
 */

function sink(): Writable & { text: string } {
  const writable = new Writable({
    write: (chunk: Buffer, _encoding, callback) => {
      writable.text += chunk.toString();
      callback();
    },
  }) as Writable & { text: string };
  writable.text = '';
  return writable;
}

/** The sweep command warns when a server counts a prompt's tokens differently from the payload. */
let lastStderr = '';

const SPEEDUP = 5;
const OUTPUT_TOKENS = 16;
const BASE = { inputTokens: '64', outputTokens: String(OUTPUT_TOKENS), timeout: '60', retries: '0', maxConcurrency: '8', maxErrorRate: '0.01', concurrency: '2', requests: '4', warmup: '2' };
const serveFlags = (engine: string) => ({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', copies: '1', instances: '1', port: '0', speedup: String(SPEEDUP), engine });

async function sweep(flags: Omit<SweepFlags, keyof typeof BASE | 'out'>): Promise<SweepResult> {
  const out = mkdtempSync(join(tmpdir(), 'api-sweep-'));
  try {
    const stderr = sink();
    try {
      return await runSweepCommand({ ...BASE, ...flags, out }, { stdout: sink(), stderr });
    } finally {
      lastStderr = stderr.text;
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Every request ok with exact token counts; streamed TTFT and ITL where a 7B model on an A10G puts them. */
function expectMeasured(result: SweepResult, inputTokens: number): void {
  const level = result.levels[0];
  expect(level).toMatchObject({ requests: 4, ok: 4, outputTokens: 4 * OUTPUT_TOKENS });
  expect(level?.ttftMs?.p50).toBeGreaterThan(5);
  expect(level?.ttftMs?.p50).toBeLessThan(level?.e2eMs.p50 ?? 0);
  expect(level?.itlMs?.p50).toBeLessThan(80);
  // The twin reads its own lag around the level: on a starved box its late timer hands out tokens
  // together (gaps near 0), and the level says so. The modelled gap only holds when it kept its clock.
  expect(level?.twin).toBeDefined();
  if (level?.twin?.verdict === 'ok') expect(level?.itlMs?.p50).toBeGreaterThan(15);
  else expect(level?.twin?.reason).toMatch(/^twin lag p99 /);
  expect(result.payload.inputTokens).toBe(inputTokens);
}

describe('--api on loopback: serve-local --engine lmi', () => {
  let endpoint: LocalEndpoint;
  beforeAll(async () => {
    endpoint = await startFromFlags(serveFlags('lmi'));
  });
  afterAll(() => endpoint.close());

  it('sagemaker --api chat --stream --container lmi measures TTFT and ITL from JSON-lines chunks', async () => {
    const result = await sweep({ target: `sagemaker:${endpoint.endpointName}`, endpointUrl: endpoint.url, api: 'chat', container: 'lmi', stream: true, speedup: String(SPEEDUP) });
    expectMeasured(result, 64);
    expect(result.target).toMatchObject({ kind: 'sagemaker-stream', api: 'chat', container: 'lmi' });
    expect(result.label).toBe(`${endpoint.endpointName} 64/${OUTPUT_TOKENS} chat`);
    expect(result.payload.chatTemplate).toBe('llama-2');
    expect(lastStderr).not.toContain('warning');
  });

  it('openai:URL --api chat --stream measures TTFT and ITL over SSE', async () => {
    const result = await sweep({ target: `openai:${endpoint.url}`, api: 'chat', stream: true });
    expectMeasured(result, 64);
    expect(result.target).toMatchObject({ kind: 'openai-stream', api: 'chat', speedup: SPEEDUP });
  });

  it.each(['generate', 'completions'])('sagemaker --api %s --stream --container lmi', async (api) => {
    const result = await sweep({ target: `sagemaker:${endpoint.endpointName}`, endpointUrl: endpoint.url, api, container: 'lmi', stream: true, speedup: String(SPEEDUP) });
    expectMeasured(result, 64);
  });
});

describe('--api on loopback: serve-local --engine tgi', () => {
  let endpoint: LocalEndpoint;
  beforeAll(async () => {
    endpoint = await startFromFlags(serveFlags('tgi'));
  });
  afterAll(() => endpoint.close());

  it.each([
    ['generate', 'tgi-stream'],
    ['chat', 'tgi-stream'],
  ])('tgi:URL --api %s --stream', async (api, kind) => {
    const result = await sweep({ target: `tgi:${endpoint.url}`, api, stream: true });
    expectMeasured(result, 64);
    expect(result.target).toMatchObject({ kind, api });
  });

  it('sagemaker --api chat --stream on a TGI container (SSE ending with [DONE])', async () => {
    const result = await sweep({ target: `sagemaker:${endpoint.endpointName}`, endpointUrl: endpoint.url, api: 'chat', stream: true, speedup: String(SPEEDUP) });
    expectMeasured(result, 64);
    expect(result.target).toMatchObject({ api: 'chat', container: 'tgi' });
  });

  it('refuses --api generate for an OpenAI-compatible target and --container for non-SageMaker targets', async () => {
    await expect(sweep({ target: `openai:${endpoint.url}`, api: 'generate' })).rejects.toThrow(/--api: an OpenAI-compatible server has no generate API/);
    await expect(sweep({ target: `tgi:${endpoint.url}`, container: 'lmi' })).rejects.toThrow(UserInputError);
    await expect(sweep({ target: `tgi:${endpoint.url}`, api: 'messages' })).rejects.toThrow(/--api: 'messages' is not an API; allowed: generate, completions, chat/);
    await expect(startFromFlags(serveFlags('vllm'))).rejects.toThrow("--engine: 'vllm' is not an engine; allowed: tgi, lmi");
  });
});

describe('a dataset of messages rows', () => {
  let lmi: LocalEndpoint;
  let tgi: LocalEndpoint;
  let dir: string;
  let dataset: string;
  const conversations = [
    [{ role: 'user', content: 'What is deep learning?' }],
    [
      { role: 'system', content: 'You answer in one sentence.' },
      { role: 'user', content: 'Name a river.' },
      { role: 'assistant', content: 'The Nile.' },
      { role: 'user', content: 'And a city on it?' },
    ],
  ] as const;
  const meanTokens = Math.round(conversations.reduce((sum, messages) => sum + chatPromptTokens(messages), 0) / conversations.length);

  beforeAll(async () => {
    [lmi, tgi] = await Promise.all([startFromFlags(serveFlags('lmi')), startFromFlags(serveFlags('tgi'))]);
    dir = mkdtempSync(join(tmpdir(), 'messages-'));
    dataset = join(dir, 'chats.jsonl');
    writeFileSync(dataset, conversations.map((messages) => JSON.stringify({ messages })).join('\n'));
  });
  afterAll(async () => {
    await Promise.all([lmi.close(), tgi.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts the multi-turn template: BOS, every <s> and </s>, and the [INST] frames', () => {
    expect(renderChatPrompt(conversations[1])).toBe(
      '[INST] <<SYS>>\nYou answer in one sentence.\n<</SYS>>\n\nName a river. [/INST] The Nile. </s><s>[INST] And a city on it? [/INST]',
    );
    // The assistant turn is ` {content} </s>`: its trailing space is a token of its own before </s>.
    const first = countTokens('[INST] <<SYS>>\nYou answer in one sentence.\n<</SYS>>\n\nName a river. [/INST] The Nile. ');
    expect(chatPromptTokens(conversations[1])).toBe(first + 2 + (countTokens('[INST] And a city on it? [/INST]') - 1));
  });

  it.each<[string, () => Omit<SweepFlags, keyof typeof BASE | 'out'>]>([
    ['tgi --api chat', () => ({ target: `tgi:${tgi.url}`, api: 'chat', stream: true })],
    ['openai --api chat', () => ({ target: `openai:${lmi.url}`, api: 'chat', stream: true })],
    ['sagemaker lmi --api chat', () => ({ target: `sagemaker:${lmi.endpointName}`, endpointUrl: lmi.url, api: 'chat', container: 'lmi', stream: true, speedup: String(SPEEDUP) })],
    ['sagemaker tgi --api generate (rendered template)', () => ({ target: `sagemaker:${tgi.endpointName}`, endpointUrl: tgi.url, api: 'generate', stream: true, speedup: String(SPEEDUP) })],
  ])('%s: the server counts the same input tokens as the payload', async (_name, flags) => {
    const result = await sweep({ ...flags(), dataset });
    expectMeasured(result, meanTokens);
    expect(result.payload).toMatchObject({ dataset, chatTemplate: 'llama-2' });
    expect(lastStderr).not.toContain('warning: the server counted');
  });
});
