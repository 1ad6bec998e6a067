import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserInputError } from '../../lib/errors';
import { buildPrompt, countTokens, createPayloadSource } from '../../loadtest/payload';
import { createPrng } from '../../loadtest/payload/prng';

describe('prompts with exact input token counts', () => {
  it.each([2, 3, 17, 128, 256, 1000, 2047])('builds a prompt of exactly %i Llama tokens (BOS included)', (tokens) => {
    const payload = createPayloadSource({ inputTokens: tokens, outputTokens: 64 }).next();
    expect(countTokens(payload.prompt)).toBe(tokens);
    expect(payload.inputTokens).toBe(tokens);
    expect(payload.maxNewTokens).toBe(64);
  });

  it('is deterministic per seed and differs between seeds', () => {
    expect(buildPrompt(50, 7)).toBe(buildPrompt(50, 7));
    expect(buildPrompt(50, 7)).not.toBe(buildPrompt(50, 8));
    expect(countTokens(buildPrompt(50, 8))).toBe(50);
  });

  it('returns the same cached prompt object for a fixed payload', () => {
    const source = createPayloadSource({ inputTokens: 32, outputTokens: 8, seed: 3 });
    expect(source.next()).toBe(source.next());
    expect(source.describe()).toEqual({ inputTokens: 32, outputTokens: 8, seed: 3 });
  });

  it('counts BOS: "hello world" is 3 tokens', () => {
    expect(countTokens('hello world')).toBe(3);
  });

  it.each([
    [{ inputTokens: 1, outputTokens: 8 }, /^inputTokens: /],
    [{ inputTokens: 8, outputTokens: 0 }, /^outputTokens: /],
  ])('rejects %o', (opts, field) => {
    expect(() => createPayloadSource(opts)).toThrow(UserInputError);
    expect(() => createPayloadSource(opts)).toThrow(field);
  });
});

describe('JSONL datasets', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'payload-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('cycles through every prompt with its own token count', () => {
    const path = join(dir, 'prompts.jsonl');
    writeFileSync(path, ['{"prompt":"hello world"}', '', '{"prompt":"the quick brown fox jumps"}', '{"prompt":"a"}'].join('\n'));
    const source = createPayloadSource({ inputTokens: 0, outputTokens: 16, datasetPath: path, seed: 1 });
    const seen = Array.from({ length: 6 }, () => source.next());
    expect(new Set(seen.slice(0, 3).map((p) => p.prompt))).toEqual(new Set(['hello world', 'the quick brown fox jumps', 'a']));
    expect(seen.slice(3).map((p) => p.prompt)).toEqual(seen.slice(0, 3).map((p) => p.prompt));
    for (const p of seen) expect(p.inputTokens).toBe(countTokens(p.prompt));
    expect(source.describe().dataset).toBe(path);
  });

  it('names the bad line', () => {
    const path = join(dir, 'bad.jsonl');
    writeFileSync(path, '{"prompt":"ok"}\n{"text":"no prompt"}\n');
    expect(() => createPayloadSource({ inputTokens: 0, outputTokens: 4, datasetPath: path })).toThrow(/bad.jsonl:2 has no non-empty string "prompt"/);
  });
});

describe('createPrng', () => {
  it('repeats its sequence for a seed, within [0, 1)', () => {
    const a = createPrng(9);
    const b = createPrng(9);
    const xs = Array.from({ length: 100 }, () => a());
    expect(xs).toEqual(Array.from({ length: 100 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });
});
