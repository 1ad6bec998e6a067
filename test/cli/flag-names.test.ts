import { UnknownNameError, UserInputError } from '../../lib/errors';
import { FLAG_OF_FIELD, withFlagNames } from '../../loadtest/cli/flag-names';
import { runLevel } from '../../loadtest/runner/run-level';
import { createPayloadSource } from '../../loadtest/payload';
import type { Target } from '../../loadtest/targets/types';
import { runMain } from '../support/cli';

describe('library errors name domain fields; the CLI maps them to its flags', () => {
  it('rewords the field and the backquoted fields a library error names', async () => {
    const target = { description: { kind: 'tgi', address: 'x' } } as unknown as Target;
    const error = await runLevel({ target, payload: createPayloadSource({ inputTokens: 8, outputTokens: 8 }), concurrency: 1 }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('durationS: give a measured window: `durationS` or `requests`');
    const mapped = withFlagNames(error) as UserInputError;
    expect(mapped).toBeInstanceOf(UserInputError);
    expect(mapped.field).toBe('--duration');
    expect(mapped.message).toBe('--duration: give a measured window: --duration or --requests');
  });

  it('leaves other errors, and fields without a flag, as they are', () => {
    const bug = new Error('boom');
    expect(withFlagNames(bug)).toBe(bug);
    const config = new UserInputError('deployments[2].tp', 'TP 3 does not divide 32');
    expect(withFlagNames(config)).toBe(config);
    const unknown = new UnknownNameError('modelId', 'model', 'lama-2-7b', ['llama-2-7b']);
    expect(withFlagNames(unknown)).toBe(unknown);
    const lookup = new UnknownNameError('model', 'model', 'lama-2-7b', ['llama-2-7b']);
    expect((withFlagNames(lookup) as Error).message).toBe("--model: unknown model 'lama-2-7b'; did you mean 'llama-2-7b'?");
  });

  it('maps every domain field to a flag the CLI defines', () => {
    for (const flag of Object.values(FLAG_OF_FIELD)) expect(flag).toMatch(/^--[a-z][a-z-]+$/);
    expect(FLAG_OF_FIELD.durationS).toBe('--duration');
    expect(FLAG_OF_FIELD.inputTokens).toBe('--input-tokens');
  });

  it('main() prints a library error with the flag', async () => {
    const { stderr, exitCode } = await runMain(['plan', '--model', 'llama-2-7b', '--instance', 'ml.g5.12xlarge', '--tp', '3']);
    expect(stderr).toMatch(/^error: --tp: TP 3 must divide llama-2-7b's 32 attention heads/);
    expect(exitCode).toBe(1);
  });
});
