import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import llamaTokenizer from 'llama-tokenizer-js';
import { UserInputError } from '../../lib/errors';
import { chatPromptTokens, countTokens, createPayloadSource, renderChatPrompt } from '../../loadtest/payload';

describe('chat prompts of an exact token count (Llama 2 chat template)', () => {
  it('tokenizes the [INST] frame as Llama 2 does: <s> ▁[ INST ] … ▁[ / INST ]', () => {
    // Hugging Face's LlamaTokenizer on "<s>[INST] hello [/INST]": [1, 518, 25580, 29962, 22172, 518, 29914, 25580, 29962].
    expect(llamaTokenizer.encode(renderChatPrompt([{ role: 'user', content: 'hello' }]))).toEqual([1, 518, 25580, 29962, 22172, 518, 29914, 25580, 29962]);
    expect(chatPromptTokens([{ role: 'user', content: ' hello ' }])).toBe(9);
  });

  it("renders TGI's own Llama 2 test conversation (router/src/infer/chat_template.rs@v3.3.7, item \"llama\")", () => {
    const rendered = renderChatPrompt([
      { role: 'system', content: 'You are a friendly chatbot who always responds in the style of a pirate' },
      { role: 'user', content: 'Hello, how are you?' },
      { role: 'assistant', content: "I'm doing great. How can I help you today?" },
      { role: 'user', content: "I'd like to show off how chat templating works!" },
    ]);
    // TGI's target begins with `<s>`: the BOS the tokenizer adds (and counts) here.
    expect(`<s>${rendered}`).toBe(
      "<s>[INST] <<SYS>>\nYou are a friendly chatbot who always responds in the style of a pirate\n<</SYS>>\n\nHello, how are you? [/INST] I'm doing great. How can I help you today? </s><s>[INST] I'd like to show off how chat templating works! [/INST]",
    );
  });

  it.each([12, 64, 256, 1000])('builds messages whose templated prompt is exactly %i tokens', (tokens) => {
    const payload = createPayloadSource({ inputTokens: tokens, outputTokens: 32, api: 'chat' }).next();
    expect(payload.messages).toHaveLength(1);
    expect(payload.messages?.[0]?.role).toBe('user');
    expect(chatPromptTokens(payload.messages ?? [])).toBe(tokens);
    expect(payload.inputTokens).toBe(tokens);
    expect(payload.prompt).toBe(`[INST] ${payload.messages?.[0]?.content} [/INST]`);
    // The frame's tokens are part of the count: the content alone is shorter.
    expect(countTokens(payload.messages?.[0]?.content ?? '')).toBeLessThan(tokens);
  });

  it('describes the template and refuses a count the template alone exceeds', () => {
    expect(createPayloadSource({ inputTokens: 64, outputTokens: 8, api: 'chat' }).describe()).toEqual({ inputTokens: 64, outputTokens: 8, seed: 42, chatTemplate: 'llama-2' });
    expect(createPayloadSource({ inputTokens: 64, outputTokens: 8, api: 'completions' }).describe().chatTemplate).toBeUndefined();
    expect(() => createPayloadSource({ inputTokens: 5, outputTokens: 8, api: 'chat' })).toThrow(UserInputError);
    expect(() => createPayloadSource({ inputTokens: 5, outputTokens: 8, api: 'chat' })).toThrow(/inputTokens: 5 must be an integer ≥ 9 \(BOS, the chat template and at least one token\)/);
  });
});

describe('datasets of messages rows', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'chat-payload-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (rows: readonly unknown[]): string => {
    const path = join(dir, 'rows.jsonl');
    writeFileSync(path, rows.map((row) => JSON.stringify(row)).join('\n'));
    return path;
  };

  it('chat sends messages (a prompt row becomes one user message); other APIs send the rendered template', () => {
    const conversation = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Name a river.' },
    ];
    const path = write([{ messages: conversation }, { prompt: 'plain text' }]);
    const chat = createPayloadSource({ inputTokens: 0, outputTokens: 8, datasetPath: path, api: 'chat', seed: 1 });
    const sent = [chat.next(), chat.next()];
    const byKind = new Map(sent.map((p) => [p.messages?.length, p]));
    expect(byKind.get(2)?.inputTokens).toBe(countTokens('[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nName a river. [/INST]'));
    expect(byKind.get(1)?.messages).toEqual([{ role: 'user', content: 'plain text' }]);
    expect(byKind.get(1)?.inputTokens).toBe(countTokens('[INST] plain text [/INST]'));

    const generate = createPayloadSource({ inputTokens: 0, outputTokens: 8, datasetPath: path, api: 'generate', seed: 1 });
    const prompts = [generate.next(), generate.next()];
    expect(prompts.every((p) => p.messages === undefined)).toBe(true);
    expect(new Set(prompts.map((p) => p.prompt))).toEqual(new Set(['plain text', '[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nName a river. [/INST]']));
    expect(generate.describe().chatTemplate).toBe('llama-2');
  });

  it.each([
    [{ messages: 'hi' }, /rows.jsonl:1: "messages" must be a list/],
    [{ messages: [{ role: 'robot', content: 'x' }] }, /messages\[0\].role must be one of system, user, assistant/],
    [{ messages: [{ role: 'user', content: '' }] }, /messages\[0\].content must be a non-empty string/],
    [{ messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }] }, /message 1 is 'user', expected 'assistant'/],
    [{ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }] }, /must end with a user message/],
  ])('refuses %j naming the line', (row, message) => {
    const path = write([row]);
    expect(() => createPayloadSource({ inputTokens: 0, outputTokens: 8, datasetPath: path, api: 'chat' })).toThrow(message);
  });
});
