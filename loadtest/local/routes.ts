import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalDeployment } from './deployment';
import type { Backend, Exchange } from './exchange';
import type { FaultPicker } from './faults';
import { sendJson } from './http-io';
import { parseInvocation } from './invocation-body';
import { handleHttpInvocation, type ContainerContext } from './invocations';
import { handleOpenAi } from './openai-protocol';
import type { ServingContainer } from '../../lib/results/records';
import type { TwinTelemetry } from './cloudwatch';
import type { ControlPlane } from './sagemaker-control-plane';
import { LOCAL_ACCOUNT_ID, handleInvokeEndpoint, handleInvokeEndpointWithResponseStream, sendValidationError } from './sagemaker-runtime-protocol';
import { handleTgiGenerate, handleTgiGenerateStream } from './tgi-protocol';

/** Which handler answers which request, and the per-request fault draw. */

export interface RouteContext {
  readonly deployment: LocalDeployment;
  /** One backend per inference component. */
  readonly backends: ReadonlyMap<string, Backend>;
  /** The backend of a model-per-variant endpoint (no components). */
  readonly variantBackend: Backend | undefined;
  readonly faults: FaultPicker;
  readonly controlPlane: ControlPlane;
  /** The container the endpoint imitates: TGI or LMI (body routing and stream framing of /invocations). */
  readonly container: ServingContainer;
  /** CloudWatch GetMetricData, and the record of invocations it answers from. */
  readonly telemetry: TwinTelemetry;
  info(): Record<string, unknown>;
}

const COMPONENT_HEADER = 'x-amzn-sagemaker-inference-component';
const RUNTIME_PATH = /^\/endpoints\/([^/]+)\/(invocations|invocations-response-stream)$/;

export function routeRequest(context: RouteContext, request: IncomingMessage, response: ServerResponse, body: Buffer): void {
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  const method = request.method ?? 'GET';
  if (method === 'GET' && (path === '/health' || path === '/ping')) return sendJson(response, 200, {});
  if (method === 'GET' && path === '/info') return sendJson(response, 200, context.info());
  if (method !== 'POST') return notFound(response, method, path);

  const target = request.headers['x-amz-target'];
  if (path === '/' && typeof target === 'string' && (context.controlPlane.handle(target, body, response) || context.telemetry.cloudWatch.handle(target, body, response))) return;

  const runtime = RUNTIME_PATH.exec(path);
  if (runtime !== null) {
    const endpointName = decodeURIComponent(runtime[1] ?? '');
    if (endpointName !== context.deployment.endpointName) {
      return sendValidationError(response, `Endpoint ${endpointName} of account ${LOCAL_ACCOUNT_ID} not found.`);
    }
    const component = headerValue(request, COMPONENT_HEADER);
    const backend = sagemakerBackend(context, component);
    if (typeof backend === 'string') return sendValidationError(response, backend);
    const noCapacity = context.controlPlane.admitInvocation(backend.component === undefined ? undefined : component);
    if (noCapacity !== undefined) return sendValidationError(response, noCapacity);
    const exchange = startExchange(context, request, response, backend);
    if (exchange === undefined) return;
    // From here the model container answers: SageMaker's invocation metrics count it.
    context.telemetry.recordInvocation(backend.component, response);
    const container = containerContext(context);
    if (runtime[2] === 'invocations') return handleInvokeEndpoint({ ...exchange, deadlineVirtualMs: context.deployment.invocationTimeoutMs }, body, endpointName, container);
    return handleInvokeEndpointWithResponseStream(exchange, body, endpointName, container);
  }

  if (DIRECT_ROUTES.has(path)) {
    const backend = directBackend(context, headerValue(request, COMPONENT_HEADER));
    if (typeof backend === 'string') return sendJson(response, 422, { error: backend, error_type: 'validation' });
    const exchange = startExchange(context, request, response, backend);
    if (exchange === undefined) return;
    if (path === '/generate') return handleTgiGenerate(exchange, body);
    if (path === '/generate_stream') return handleTgiGenerateStream(exchange, body);
    if (path === '/invocations') {
      const parsed = parseInvocation(body, { container: context.container });
      if (!parsed.ok) return sendJson(response, parsed.error.status, { error: parsed.error.message, error_type: parsed.error.errorType });
      return handleHttpInvocation(exchange, parsed.invocation, containerContext(context));
    }
    return handleOpenAi(exchange, body, path === '/v1/chat/completions' ? 'chat' : 'completions', context.deployment.model.huggingFaceId);
  }
  notFound(response, method, path);
}

/** Routes on the container itself: TGI's, OpenAI-compatible, and the container's own /invocations. */
const DIRECT_ROUTES = new Set(['/generate', '/generate_stream', '/v1/completions', '/v1/chat/completions', '/invocations']);

function containerContext(context: RouteContext): ContainerContext {
  return { container: context.container, modelId: context.deployment.model.huggingFaceId };
}

/**
 * Draws the request's fault. Hang and reset are carried out here (the protocol never sees them);
 * undefined means the request is already taken care of.
 */
function startExchange(context: RouteContext, request: IncomingMessage, response: ServerResponse, backend: Backend): Exchange | undefined {
  const fault = context.faults.next();
  if (fault === 'hang') return undefined; // answered never; the socket closes when the client gives up
  if (fault === 'reset') {
    request.socket.destroy();
    return undefined;
  }
  return { request, response, backend, fault };
}

/** SageMaker routes: with components, the header must name one; a variant endpoint ignores it. */
function sagemakerBackend(context: RouteContext, component: string | undefined): Backend | string {
  if (context.variantBackend !== undefined) return context.variantBackend;
  const allowed = [...context.backends.keys()].join(', ');
  if (component === undefined) {
    return (
      `Inference Component Name header is required for endpoints to which you plan to deploy inference components. ` +
      `Endpoint ${context.deployment.endpointName} has: ${allowed}.`
    );
  }
  return context.backends.get(component) ?? `Inference component ${component} not found on endpoint ${context.deployment.endpointName}; it has: ${allowed}.`;
}

/** TGI and OpenAI routes: the component header is optional (first component by default). */
function directBackend(context: RouteContext, component: string | undefined): Backend | string {
  if (context.variantBackend !== undefined) return context.variantBackend;
  if (component === undefined) return context.backends.values().next().value as Backend;
  return sagemakerBackend(context, component);
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function notFound(response: ServerResponse, method: string, path: string): void {
  sendJson(response, 404, {
    error: `no route for ${method} ${path}; routes: GET /health /info, POST /generate /generate_stream /v1/completions /v1/chat/completions /invocations ` +
      `/endpoints/{name}/invocations /endpoints/{name}/invocations-response-stream, POST / (X-Amz-Target SageMaker.Describe*)`,
    error_type: 'not_found',
  });
}
