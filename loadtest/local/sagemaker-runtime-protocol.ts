import type { ServerResponse } from 'node:http';
import { EventStreamCodec, type MessageHeaders } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { runOnce, runStream, type Exchange, type Refusal } from './exchange';
import type { GenerationError } from './generation';
import { sendJson } from './http-io';
import { TGI_GARBAGE_EVENT, parseTgiBody, tgiErrorBody, tgiFinalEvent, tgiGenerateObject, tgiTokenEvent } from './tgi-protocol';

/**
 * The SageMaker runtime API (awsRestJson1, as @aws-sdk/client-sagemaker-runtime speaks it):
 * POST /endpoints/{EndpointName}/invocations answers a JumpStart TGI container's body, a JSON list
 * `[{generated_text, details}]`; /invocations-response-stream answers application/vnd.amazon.eventstream
 * frames, each a PayloadPart whose bytes are TGI server-sent events. Container errors come back as
 * ModelError (424) carrying the container's status and body; a failure after the stream began is a
 * ModelStreamError exception frame. API reference:
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html and
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpointWithResponseStream.html
 */

/** Account id the twin reports in ARNs and messages. */
export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_REGION = 'us-east-1';
const VARIANT_NAME = 'AllTraffic';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** Encodes one event-stream frame. */
export function encodeFrame(headers: Readonly<Record<string, string>>, body: Uint8Array): Uint8Array {
  const messageHeaders: MessageHeaders = {};
  for (const [name, value] of Object.entries(headers)) messageHeaders[name] = { type: 'string', value };
  return codec.encode({ headers: messageHeaders, body });
}

/** A PayloadPart event carrying `bytes`. */
export function payloadPartFrame(bytes: string): Uint8Array {
  return encodeFrame(
    { ':event-type': 'PayloadPart', ':message-type': 'event', ':content-type': 'application/octet-stream' },
    fromUtf8(bytes),
  );
}

/** A ModelStreamError exception frame. */
export function modelStreamErrorFrame(message: string, errorCode: string): Uint8Array {
  return encodeFrame(
    { ':exception-type': 'ModelStreamError', ':message-type': 'exception', ':content-type': 'application/json' },
    fromUtf8(JSON.stringify({ Message: message, ErrorCode: errorCode })),
  );
}

function logStreamArn(endpointName: string): string {
  return `arn:aws:logs:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:log-group:/aws/sagemaker/Endpoints/${endpointName}`;
}

/** Sends a modeled runtime error the way the SDK reads it: `x-amzn-errortype` header + JSON members. */
export function sendRuntimeError(response: ServerResponse, status: number, errorType: string, body: Readonly<Record<string, unknown>>): void {
  sendJson(response, status, body, { 'x-amzn-errortype': errorType, 'x-amzn-RequestId': 'local' });
}

/** ModelError: the container answered an error (or not in time); SageMaker wraps it with status 424. */
export function sendModelError(response: ServerResponse, endpointName: string, originalStatus: number | undefined, originalMessage: string): void {
  const side = originalStatus !== undefined && originalStatus >= 500 ? 'server' : 'client';
  const message =
    originalStatus === undefined
      ? originalMessage
      : `Received ${side} error (${originalStatus}) from primary with message "${originalMessage}". ` +
        `See https://${LOCAL_REGION}.console.aws.amazon.com/cloudwatch/home?region=${LOCAL_REGION}#logEventViewer:group=/aws/sagemaker/Endpoints/${endpointName} ` +
        `in account ${LOCAL_ACCOUNT_ID} for more information.`;
  sendRuntimeError(response, 424, 'ModelError', {
    ErrorCode: side === 'server' ? 'SERVER_ERROR_FROM_MODEL' : 'CLIENT_ERROR_FROM_MODEL',
    Message: message,
    OriginalStatusCode: originalStatus,
    OriginalMessage: originalMessage,
    LogStreamArn: logStreamArn(endpointName),
  });
}

export function sendValidationError(response: ServerResponse, message: string): void {
  sendRuntimeError(response, 400, 'ValidationError', { Message: message });
}

/** SageMaker's 60 s real-time invocation limit, from the runtime's side. */
const TIMEOUT_MESSAGE =
  'Your invocation timed out while waiting for a response from container primary. ' +
  'Review the latency metrics for each container in Amazon CloudWatch, resolve the issue, and try again.';

function sendRuntimeRefusal(response: ServerResponse, endpointName: string, refusal: Refusal): void {
  if (refusal.kind === 'throttled') return sendRuntimeError(response, 400, 'ThrottlingException', { message: 'Rate exceeded' });
  if (refusal.kind === 'timeout') return sendModelError(response, endpointName, undefined, TIMEOUT_MESSAGE);
  const error: GenerationError = refusal.error;
  sendModelError(response, endpointName, error.status, JSON.stringify(tgiErrorBody(error)));
}

export function handleInvokeEndpoint(exchange: Exchange, body: Buffer, endpointName: string): void {
  const { response } = exchange;
  const parsed = parseTgiBody(body);
  if (!parsed.ok) return sendRuntimeRefusal(response, endpointName, { kind: 'error', error: parsed.error });
  const { details } = parsed.request;
  runOnce(exchange, parsed.request, {
    contentType: 'application/json',
    refuse: (refusal) => sendRuntimeRefusal(response, endpointName, refusal),
    // JumpStart's TGI container answers SageMaker with a one-element list.
    render: (result) => JSON.stringify([tgiGenerateObject(result, details)]),
    headers: () => ({ 'x-Amzn-Invoked-Production-Variant': VARIANT_NAME }),
  });
}

export function handleInvokeEndpointWithResponseStream(exchange: Exchange, body: Buffer, endpointName: string): void {
  const { response } = exchange;
  const parsed = parseTgiBody(body);
  if (!parsed.ok) return sendRuntimeRefusal(response, endpointName, { kind: 'error', error: parsed.error });
  const part = (sse: string) => response.write(payloadPartFrame(sse));
  runStream(exchange, parsed.request, {
    refuse: (refusal) => sendRuntimeRefusal(response, endpointName, refusal),
    open: () => {
      response.writeHead(200, {
        'Content-Type': 'application/vnd.amazon.eventstream',
        'X-Amzn-SageMaker-Content-Type': 'text/event-stream',
        'x-Amzn-Invoked-Production-Variant': VARIANT_NAME,
      });
      response.flushHeaders();
    },
    token: (token, index) => part(tgiTokenEvent(token, index)),
    finish: (last, index, result) => response.end(payloadPartFrame(tgiFinalEvent(last, index, result))),
    failMidStream: (error) =>
      response.end(modelStreamErrorFrame(`Received error from primary during streaming: ${JSON.stringify(tgiErrorBody(error))}`, 'ModelStreamError')),
    garbage: () => response.end(payloadPartFrame(TGI_GARBAGE_EVENT)),
  });
}
