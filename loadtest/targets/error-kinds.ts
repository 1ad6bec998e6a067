import type { ErrorKind } from '../../lib/results/records';

/** How one failed request is classified: its kind, the HTTP status seen (if any) and a short message. */
export interface Fault {
  readonly error: ErrorKind;
  readonly status?: number;
  readonly errorMessage: string;
}

const MAX_MESSAGE_CHARS = 300;
const OVERLOADED_PATTERN = /model is overloaded/i;
/** TGI validation messages, e.g. "`inputs` must have less than 4096 tokens. Given: 5000" or "... must be <= 4096". */
const INPUT_LIMIT_PATTERN = /inputs`?\s*(?:tokens\s*\+\s*`?max_new_tokens`?\s*)?must (?:have less than|be <=|be less than or equal to) (\d+)/i;
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export function truncateMessage(message: string): string {
  return message.length > MAX_MESSAGE_CHARS ? message.slice(0, MAX_MESSAGE_CHARS) : message;
}

/** Extracts the input limit from a server's "input too long" message, e.g. 4096. */
export function inputLimitFrom(message: string): number | undefined {
  const match = INPUT_LIMIT_PATTERN.exec(message);
  return match ? Number(match[1]) : undefined;
}

/** Classifies a non-2xx HTTP answer from a TGI or OpenAI-compatible server. */
export function faultFromHttpStatus(status: number, body: string): Fault {
  const text = body.trim();
  if (status === 429 || OVERLOADED_PATTERN.test(text)) {
    return { error: 'overloaded', status, errorMessage: truncateMessage(text || 'HTTP 429') };
  }
  if (status === 424) return { error: 'model_error', status, errorMessage: truncateMessage(text) };
  if (status === 408 || status === 504) return { error: 'timeout', status, errorMessage: truncateMessage(text || `HTTP ${status}`) };
  if (status >= 400 && status < 500) return clientFault(status, text);
  return { error: 'server_error', status, errorMessage: truncateMessage(text || `HTTP ${status}`) };
}

/** A 4xx validation error; an input longer than the endpoint allows is named as such, with the limit. */
export function clientFault(status: number | undefined, text: string): Fault {
  const limit = inputLimitFrom(text);
  const prefix = limit !== undefined ? `input too long for the endpoint (limit ${limit} tokens): ` : '';
  return { error: 'client_error', status, errorMessage: truncateMessage(prefix + (text || `HTTP ${status}`)) };
}

/** Classifies an error event inside a TGI stream: `{"error": "...", "error_type": "overloaded"}`. */
export function faultFromStreamError(message: string, errorType: string | undefined, status?: number): Fault {
  if (errorType === 'overloaded' || OVERLOADED_PATTERN.test(message)) return { error: 'overloaded', status, errorMessage: truncateMessage(message) };
  if (errorType === 'validation') return clientFault(status, message);
  return { error: 'server_error', status, errorMessage: truncateMessage(message) };
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error ? errorCode(cause) : undefined;
}

/**
 * Classifies a thrown transport error. `deadlineHit` wins: an abort caused by the per-request
 * deadline is a timeout whatever error the transport surfaced for it.
 */
export function faultFromException(error: unknown, deadlineHit: boolean, deadlineMs: number): Fault {
  if (deadlineHit) return { error: 'timeout', errorMessage: `no complete response within ${deadlineMs} ms` };
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (error instanceof SyntaxError) return { error: 'invalid_response', errorMessage: truncateMessage(message) };
  const code = errorCode(error);
  if (code !== undefined && (NETWORK_CODES.has(code) || code.startsWith('UND_ERR'))) {
    return { error: 'network', errorMessage: truncateMessage(`${code}: ${message}`) };
  }
  if (error instanceof Error && (error.name === 'AbortError' || /socket hang up|other side closed/i.test(error.message))) {
    return { error: 'network', errorMessage: truncateMessage(message) };
  }
  return { error: 'network', errorMessage: truncateMessage(message) };
}
