import { type Fault, clientFault, faultFromException, inputLimitFrom, truncateMessage } from './error-kinds';

interface SdkError {
  name?: string;
  message?: string;
  OriginalStatusCode?: number;
  OriginalMessage?: string;
  ErrorCode?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

const OVERLOADED_PATTERN = /model is overloaded/i;
const SERVER_SIDE = new Set(['InternalFailure', 'ServiceUnavailable', 'InternalDependencyException', 'ModelNotReadyException', 'InternalStreamFailure']);

/** SDK retries spent before this error (attempts − 1), when the SDK reports them. */
export function retriesOf(error: unknown): number | undefined {
  const attempts = (error as SdkError | undefined)?.$metadata?.attempts;
  return typeof attempts === 'number' ? Math.max(0, attempts - 1) : undefined;
}

/**
 * Maps a SageMaker runtime error to its kind. ModelError (HTTP 424) carries the container's
 * status: TGI's 429 "Model is overloaded" stays `overloaded`, an input longer than the endpoint
 * allows is a `client_error` naming the limit, anything else is `model_error` with the original status.
 */
export function faultFromSageMakerError(error: unknown, deadlineHit: boolean, deadlineMs: number): Fault {
  if (deadlineHit || typeof error !== 'object' || error === null) return faultFromException(error, deadlineHit, deadlineMs);
  const e = error as SdkError;
  const status = e.$metadata?.httpStatusCode;
  const message = e.OriginalMessage ?? e.message ?? String(e.name);
  switch (e.name) {
    case 'ModelError':
    case 'ModelStreamError': {
      const original = e.OriginalStatusCode;
      if (original === 429 || OVERLOADED_PATTERN.test(message)) {
        return { error: 'overloaded', status: status ?? 424, errorMessage: truncateMessage(`ModelError (original status 429): ${message}`) };
      }
      if (inputLimitFrom(message) !== undefined) return clientFault(status ?? 424, message);
      const origin = original !== undefined ? ` (original status ${original})` : e.ErrorCode ? ` (${e.ErrorCode})` : '';
      return { error: 'model_error', status: status ?? 424, errorMessage: truncateMessage(`${e.name}${origin}: ${message}`) };
    }
    case 'ThrottlingException':
      return { error: 'throttled', status: status ?? 429, errorMessage: truncateMessage(`ThrottlingException: ${message}`) };
    case 'ValidationError':
      return clientFault(status ?? 400, `ValidationError: ${message}`);
    default:
      break;
  }
  if (e.name !== undefined && SERVER_SIDE.has(e.name)) {
    return { error: 'server_error', status, errorMessage: truncateMessage(`${e.name}: ${message}`) };
  }
  if (e.name === 'SyntaxError' || e.name === 'SerializationException') {
    return { error: 'invalid_response', status, errorMessage: truncateMessage(`${e.name}: ${message}`) };
  }
  if (status !== undefined && status >= 400) {
    if (status === 429) return { error: 'throttled', status, errorMessage: truncateMessage(`${e.name}: ${message}`) };
    if (status < 500) return clientFault(status, `${e.name}: ${message}`);
    return { error: 'server_error', status, errorMessage: truncateMessage(`${e.name}: ${message}`) };
  }
  return faultFromException(error, false, deadlineMs);
}
