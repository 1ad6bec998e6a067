import { faultFromException, faultFromHttpStatus, inputLimitFrom } from '../../loadtest/targets/error-kinds';
import { faultFromSageMakerError, retriesOf } from '../../loadtest/targets/sagemaker-faults';

describe('HTTP answers → error kinds', () => {
  it.each([
    [429, '', 'overloaded'],
    [503, '{"error":"Model is overloaded"}', 'overloaded'],
    [424, '{"error":"Request failed during generation"}', 'model_error'],
    [500, '', 'server_error'],
    [504, '', 'timeout'],
    [422, '{"error":"Input validation error: `inputs` must have less than 4096 tokens. Given: 5000"}', 'client_error'],
    [404, 'no route', 'client_error'],
  ])('%i %s → %s', (status, body, kind) => {
    expect(faultFromHttpStatus(status, body)).toMatchObject({ error: kind, status });
  });

  it.each([
    ['`inputs` must have less than 4096 tokens. Given: 5000', 4096],
    ['Input validation error: `inputs` tokens + `max_new_tokens` must be <= 2048. Given: 2000 `inputs` tokens and 256 `max_new_tokens`', 2048],
    ['something else', undefined],
  ])('reads the input limit from %s', (message, limit) => {
    expect(inputLimitFrom(message)).toBe(limit);
  });
});

describe('thrown transport errors → error kinds', () => {
  it('names a deadline a timeout whatever the transport said', () => {
    expect(faultFromException(new Error('socket hang up'), true, 60_000)).toMatchObject({ error: 'timeout', errorMessage: 'no complete response within 60000 ms' });
  });
  it.each(['ECONNRESET', 'ECONNREFUSED', 'UND_ERR_SOCKET'])('%s → network', (code) => {
    expect(faultFromException(Object.assign(new Error('x'), { code }), false, 1)).toMatchObject({ error: 'network' });
  });
  it('finds the code on the cause', () => {
    expect(faultFromException(new Error('fetch failed', { cause: Object.assign(new Error('y'), { code: 'ECONNRESET' }) }), false, 1).errorMessage).toMatch(/^ECONNRESET/);
  });
});

describe('SageMaker runtime errors → error kinds', () => {
  const sdkError = (name: string, extra: Record<string, unknown> = {}, status = 400, attempts = 1) =>
    Object.assign(new Error(`${name} message`), { name, $metadata: { httpStatusCode: status, attempts }, ...extra });

  it.each([
    [sdkError('ModelError', { OriginalStatusCode: 429, OriginalMessage: 'Model is overloaded' }, 424), 'overloaded'],
    [sdkError('ModelError', { OriginalStatusCode: 500, OriginalMessage: 'CUDA OOM' }, 424), 'model_error'],
    [sdkError('ModelError', { OriginalStatusCode: 422, OriginalMessage: '`inputs` must have less than 4096 tokens. Given: 5000' }, 424), 'client_error'],
    [sdkError('ThrottlingException', {}, 400, 4), 'throttled'],
    [sdkError('ValidationError'), 'client_error'],
    [sdkError('ServiceUnavailable', {}, 503), 'server_error'],
    [sdkError('InternalFailure', {}, 500), 'server_error'],
  ])('%s → %s', (error, kind) => {
    expect(faultFromSageMakerError(error, false, 60_000).error).toBe(kind);
  });

  it('keeps the original status of a ModelError in the message', () => {
    const fault = faultFromSageMakerError(sdkError('ModelError', { OriginalStatusCode: 500, OriginalMessage: 'CUDA OOM' }, 424), false, 1);
    expect(fault).toMatchObject({ status: 424, errorMessage: 'ModelError (original status 500): CUDA OOM' });
  });

  it('names an input too long with its limit', () => {
    const fault = faultFromSageMakerError(sdkError('ModelError', { OriginalStatusCode: 422, OriginalMessage: '`inputs` must have less than 4096 tokens' }, 424), false, 1);
    expect(fault.errorMessage).toMatch(/^input too long for the endpoint \(limit 4096 tokens\)/);
  });

  it('counts retries as attempts − 1', () => {
    expect(retriesOf(sdkError('ThrottlingException', {}, 400, 4))).toBe(3);
    expect(retriesOf({})).toBeUndefined();
  });
});
