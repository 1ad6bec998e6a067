import type { ServerResponse } from 'node:http';
import { EventStreamCodec, type MessageHeaders } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { runOnce, runStream, type Exchange, type Refusal } from './exchange';
import type { GenerationError } from './generation';
import { sendJson } from './http-io';
import { parseInvocation } from './invocation-body';
import { invocationStream, renderInvocation, type ContainerContext } from './invocations';
import { framedEmitter } from './stream-events';
import { tgiErrorBody } from './tgi-protocol';

/**
 * The SageMaker runtime API (awsRestJson1, as @aws-sdk/client-sagemaker-runtime speaks it):
 * POST /endpoints/{EndpointName}/invocations answers the container's body (JumpStart TGI's JSON list
 * `[{generated_text, details}]`, LMI's object, or an OpenAI object for `prompt`/`messages` bodies; see
 * invocations.ts); /invocations-response-stream answers application/vnd.amazon.eventstream frames, each a
 * PayloadPart whose bytes are one event of the container's stream (TGI SSE, LMI JSON lines). Container errors come back as
 * ModelError (424) carrying the container's status and body; a failure after the stream began is a
 * ModelStreamError exception frame. API reference:
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html and
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpointWithResponseStream.html
 */

const TGI_CONTAINER: ContainerContext = { container: 'tgi', modelId: 'tgi' };

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

export function handleInvokeEndpoint(exchange: Exchange, body: Buffer, endpointName: string, context: ContainerContext = TGI_CONTAINER): void {
  const { response } = exchange;
  const parsed = parseInvocation(body, { container: context.container });
  if (!parsed.ok) return sendRuntimeRefusal(response, endpointName, { kind: 'error', error: parsed.error });
  const { invocation } = parsed;
  runOnce(exchange, invocation.request, {
    contentType: 'application/json',
    refuse: (refusal) => sendRuntimeRefusal(response, endpointName, refusal),
    render: (result) => renderInvocation(context, invocation, result),
    headers: () => ({ 'x-Amzn-Invoked-Production-Variant': VARIANT_NAME }),
  });
}

/**
 * InvokeEndpointWithResponseStream: the container's stream (TGI SSE or LMI JSON lines), one
 * PayloadPart per event. The twin streams whatever the body's `stream` flag says (real containers
 * answer a body without it in one part); a TGI failure after the stream began is a ModelStreamError
 * frame, LMI's is vLLM's error line.
 */
export function handleInvokeEndpointWithResponseStream(exchange: Exchange, body: Buffer, endpointName: string, context: ContainerContext = TGI_CONTAINER): void {
  const { response } = exchange;
  const parsed = parseInvocation(body, { container: context.container });
  if (!parsed.ok) return sendRuntimeRefusal(response, endpointName, { kind: 'error', error: parsed.error });
  const { invocation } = parsed;
  const { events, framing, contentType } = invocationStream(context, invocation);
  runStream(
    exchange,
    invocation.request,
    framedEmitter(events, framing, {
      refuse: (refusal) => sendRuntimeRefusal(response, endpointName, refusal),
      open: () => {
        response.writeHead(200, {
          'Content-Type': 'application/vnd.amazon.eventstream',
          'X-Amzn-SageMaker-Content-Type': contentType,
          'x-Amzn-Invoked-Production-Variant': VARIANT_NAME,
        });
        response.flushHeaders();
      },
      write: (bytes) => response.write(payloadPartFrame(bytes)),
      end: (bytes) => response.end(bytes === '' ? undefined : payloadPartFrame(bytes)),
      ...(context.container === 'tgi'
        ? {
            failMidStream: (error: GenerationError) =>
              response.end(modelStreamErrorFrame(`Received error from primary during streaming: ${JSON.stringify(tgiErrorBody(error))}`, 'ModelStreamError')),
          }
        : {}),
    }),
  );
}
