import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from '../support/cli';

/**
 * Every bad input of plan, report, reproduce and serve-local ends in one line
 * `error: <field>: ...` naming the field and what is allowed, exit code 1, no stack trace.
 */

const dir = mkdtempSync(join(tmpdir(), 'llm-bench-bad-inputs-'));
const notJson = join(dir, 'not-json.json');
const emptyArray = join(dir, 'empty-array.json');
const aFile = join(dir, 'a-file');
writeFileSync(notJson, '{bad');
writeFileSync(emptyArray, '[]');
writeFileSync(aFile, 'not a folder');

const PLAN = ['plan', '--model', 'llama-2-7b', '--instance', 'ml.g5.2xlarge'];
const SERVE = ['serve-local', '--model', 'llama-2-7b', '--instance', 'ml.g5.2xlarge', '--port', '0'];

const CASES: readonly (readonly [string, readonly string[], RegExp])[] = [
  ['unknown model, nothing close: lists the models', ['plan', '--model', 'gpt-4', '--instance', 'ml.g5.2xlarge'], /^--model: unknown model 'gpt-4'; known models: llama-2-7b, /],
  ['unknown instance: close matches', ['plan', '--model', 'llama-2-7b', '--instance', 'ml.g5.3xlarge'], /^--instance: unknown instance type 'ml.g5.3xlarge'; did you mean 'ml.g5.2xlarge'/],
  ['TP not a number', [...PLAN, '--tp', 'abc'], /^--tp: 'abc' is not a whole number ≥ 1$/],
  ['TP beyond the instance', ['plan', '--model', 'llama-2-7b', '--instance', 'ml.g5.12xlarge', '--tp', '8'], /^--tp: TP 8 needs 8 accelerators; .*valid TP for llama-2-7b on ml.g5.12xlarge: 1, 2, 4$/],
  ['TP not dividing the heads', ['plan', '--model', 'llama-2-7b', '--instance', 'ml.g5.12xlarge', '--tp', '3'], /^--tp: TP 3 must divide llama-2-7b's 32 attention heads; valid TP for llama-2-7b on ml.g5.12xlarge: 1, 2, 4$/],
  ['input tokens not a number', [...PLAN, '--input-tokens', 'abc'], /^--input-tokens: 'abc' is not a whole number from 1 to 1,048,576$/],
  ['input tokens negative', [...PLAN, '--input-tokens=-5'], /^--input-tokens: '-5' is not a whole number from 1 to/],
  ['output tokens zero', [...PLAN, '--output-tokens', '0'], /^--output-tokens: '0' is not a whole number from 1 to/],
  ['input tokens huge', [...PLAN, '--input-tokens', '99999999999'], /^--input-tokens: '99999999999' is not a whole number from 1 to 1,048,576$/],
  ['input tokens in exponent form', [...PLAN, '--input-tokens', '1e3'], /^--input-tokens: '1e3' is not a whole number/],
  ['copies beyond the accelerators', [...PLAN, '--copies', '5'], /^--copies: 5 copies × TP 1 need 5 accelerators; ml.g5.2xlarge has 1$/],
  ['instances huge', [...PLAN, '--instances', '100000'], /^--instances: '100000' is not a whole number from 1 to 100$/],
  ['concurrency with a word', [...PLAN, '--concurrency', '1,2,abc'], /^--concurrency: 'abc' is not a whole number ≥ 1 \(in '1,2,abc'\)$/],
  ['concurrency with an empty entry', [...PLAN, '--concurrency', '1,,2'], /^--concurrency: '1,,2' has an empty entry/],
  ['concurrency empty', [...PLAN, '--concurrency', ''], /^--concurrency: '' lists no levels/],
  ['concurrency huge', [...PLAN, '--concurrency', '1,100000'], /^--concurrency: 100000 is above the planner's 4096/],
  ['TGI setting zero', [...PLAN, '--max-concurrent-requests', '0'], /^--max-concurrent-requests: '0' is not a whole number from 1 to/],
  ['TGI setting beyond the model context', [...PLAN, '--max-total-tokens', '8000'], /^TGI settings: --max-total-tokens \(MAX_TOTAL_TOKENS\) 8000 exceeds llama-2-7b's context of 4096 tokens; allowed ≤ 4096$/],
  ['payload beyond MAX_TOTAL_TOKENS', [...PLAN, '--input-tokens', '4000', '--output-tokens', '500'], /^TGI settings: --input-tokens \+ --output-tokens = 4500 exceeds MAX_TOTAL_TOKENS 4096: TGI would refuse every request \(422\)$/],
  ['price without =', [...PLAN, '--price', 'foo'], /^--price: /],
  ['price negative', [...PLAN, '--price', 'ml.g5.2xlarge=-1'], /^--price: /],
  ['price of an unknown instance', [...PLAN, '--price', 'ml.g9.2xlarge=1'], /^--price: unknown instance type 'ml.g9.2xlarge'/],
  ['report of a missing folder', ['report', join(dir, 'missing')], /no such file or directory \(give a sweep.json or a folder holding one\)$/],
  ['report of bad JSON', ['report', notJson], /not-json.json: not valid JSON/],
  ['report of an empty array', ['report', emptyArray], /empty-array.json: holds an empty array; expected a SweepResult/],
  ['report of several sweeps without --out', ['report', notJson, emptyArray], /^--out: is required when comparing several sweeps/],
  ['report with a bad latency bound', ['report', notJson, '--latency-bound', '-1'], /^--latency-bound: '-1' is not a positive number/],
  ['reproduce into a file', ['reproduce', '--out', join(aFile, 'x')], /^--out: cannot create folder '.*a-file\/x' \(not a directory: a file is in the way\)/],
  ['serve-local of a model that does not fit', ['serve-local', '--model', 'llama-2-70b', '--instance', 'ml.g5.2xlarge', '--port', '0'], /^--instance: llama-2-70b does not fit ml.g5.2xlarge at TP 1: weights/],
  ['serve-local port out of range', [...SERVE, '--port', '99999'], /^--port: 99999 is not a port \(0..65535/],
  ['serve-local speedup zero', [...SERVE, '--speedup', '0'], /^--speedup: '0' is not a positive number$/],
  ['serve-local instances huge', [...SERVE, '--instances', '5000'], /^--instances: '5000' is not a whole number from 1 to 100$/],
  ['serve-local TGI prefill below the input', [...SERVE, '--max-batch-prefill-tokens', '10'], /^TGI settings: --max-batch-prefill-tokens \(MAX_BATCH_PREFILL_TOKENS\) 10 is below --max-input-tokens \(MAX_INPUT_TOKENS\) 4095; allowed ≥ 4095$/],
  ['serve-local unknown fault', [...SERVE, '--faults', '429=2'], /^--faults: unknown fault '429'; allowed keys: overload, /],
];

describe('bad CLI inputs', () => {
  it.each(CASES)('%s', async (_name, args, expected) => {
    const { stderr, exitCode } = await runMain(args);
    expect(exitCode).toBe(1);
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).not.toMatch(/--debug|\bat .*\.ts:\d+/);
    expect(lines[0].slice('error: '.length)).toMatch(expected);
  });
});
