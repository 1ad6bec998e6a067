import { UserInputError } from '../../lib/errors';
import { parseTargetSpec } from '../../loadtest/targets';

describe('parseTargetSpec', () => {
  it.each([
    ['tgi:http://127.0.0.1:8080/', { kind: 'tgi', url: 'http://127.0.0.1:8080' }],
    ['openai:https://host/v1', { kind: 'openai', url: 'https://host/v1' }],
    ['sagemaker:llama-2-7b-ep', { kind: 'sagemaker', endpointName: 'llama-2-7b-ep' }],
    ['sagemaker:ep:ic-1', { kind: 'sagemaker', endpointName: 'ep', inferenceComponent: 'ic-1' }],
  ])('parses %s', (spec, expected) => {
    expect(parseTargetSpec(spec)).toEqual(expected);
  });

  it.each(['tgi:127.0.0.1:8080', 'grpc:x', 'nothing', 'sagemaker:bad_name', 'sagemaker:a:b:c'])('rejects %s naming the field', (spec) => {
    expect(() => parseTargetSpec(spec)).toThrow(UserInputError);
    expect(() => parseTargetSpec(spec)).toThrow(/^target: /);
  });
});
