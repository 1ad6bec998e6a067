import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalDeployment } from './deployment';
import type { Backend, Exchange } from './exchange';
import type { FaultPicker } from './faults';
import { sendJson } from './http-io';
import { parseInvocation } from './invocation-body';
import { handleHttpInvocation, type ContainerContext } from './invocations';
import { handleOpenAi } from './openai-protocol';
import type { ServingContainer } from '../../lib/results/records';
import { CLOUDWATCH_TARGET_PREFIX, type TwinTelemetry } from './cloudwatch';
import type { ControlPlane } from './sagemaker-control-plane';
import { LOCAL_ACCOUNT_ID, handleInvokeEndpoint, handleInvokeEndpointWithResponseStream, sendValidationError } from './sagemaker-runtime-protocol';
import { handleTgiGenerate, handleTgiGenerateStream } from './tgi-protocol';
import { accessKeyIdOf, type AwsCall, type CallAuthorizer } from './judges/aws-call';
import { asRecord, parseJson } from './http-io';

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
  /**
   * Authorizes SageMaker runtime and control-plane calls against the caller's IAM policies (the
   * offline run's IAM judge); none: every call is allowed.
   */
  readonly authorize?: CallAuthorizer;
  /** Set when the container did not start: runtime calls are refused with this message. */
  readonly containerFailure?: string;
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
  if (path === '/' && typeof target === 'string') {
    const call = controlPlaneCall(target, body);
    if (call !== undefined && context.authorize !== undefined) {
      return authorizeThen(context.authorize, request, call, (code, message) => sendJsonProtocolError(response, code, message), () => {
        if (!context.controlPlane.handle(target, body, response) && !context.telemetry.cloudWatch.handle(target, body, response)) notFound(response, method, path);
      });
    }
    if (context.controlPlane.handle(target, body, response) || context.telemetry.cloudWatch.handle(target, body, response)) return;
  }

  const runtime = RUNTIME_PATH.exec(path);
  if (runtime !== null) {
    const endpointName = decodeURIComponent(runtime[1] ?? '');
    const component = headerValue(request, COMPONENT_HEADER);
    if (context.authorize !== undefined) {
      const call = runtimeCall(runtime[2] === 'invocations' ? 'InvokeEndpoint' : 'InvokeEndpointWithResponseStream', endpointName, component);
      return authorizeThen(context.authorize, request, call, (code, message) => sendRuntimeDenial(response, code, message), () => routeRuntime(context, request, response, body, endpointName, runtime[2]));
    }
    return routeRuntime(context, request, response, body, endpointName, runtime[2]);
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

function routeRuntime(context: RouteContext, request: IncomingMessage, response: ServerResponse, body: Buffer, endpointName: string, operation: string | undefined): void {
  if (endpointName !== context.deployment.endpointName) {
    return sendValidationError(response, `Endpoint ${endpointName} of account ${LOCAL_ACCOUNT_ID} not found.`);
  }
  if (context.containerFailure !== undefined) {
    return sendValidationError(response, `Endpoint ${endpointName} of account ${LOCAL_ACCOUNT_ID} is not InService: ${context.containerFailure}`);
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
  if (operation === 'invocations') return handleInvokeEndpoint({ ...exchange, deadlineVirtualMs: context.deployment.invocationTimeoutMs }, body, endpointName, container);
  return handleInvokeEndpointWithResponseStream(exchange, body, endpointName, container);
}

/**
 * InvokeEndpoint{,WithResponseStream} is authorized on the endpoint and, when the request names an
 * inference component, on the component too (Service Authorization Reference for SageMaker:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html).
 */
function runtimeCall(operation: string, endpointName: string, component: string | undefined): AwsCall {
  return {
    action: `sagemaker:${operation}`,
    resources: [{ type: 'endpoint', name: endpointName }, ...(component !== undefined ? [{ type: 'inference-component', name: component }] : [])],
  };
}

/**
 * The control-plane calls the twin answers, with the resource type each is authorized on (Service
 * Authorization Reference: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html,
 * .../list_applicationautoscaling.html, .../list_amazoncloudwatch.html).
 */
function controlPlaneCall(target: string, body: Buffer): AwsCall | undefined {
  const input = asRecord(parseJson(body)) ?? {};
  if (target === 'SageMaker.DescribeEndpoint') return { action: 'sagemaker:DescribeEndpoint', resources: [{ type: 'endpoint', name: String(input.EndpointName) }] };
  if (target === 'SageMaker.DescribeInferenceComponent') {
    return { action: 'sagemaker:DescribeInferenceComponent', resources: [{ type: 'inference-component', name: String(input.InferenceComponentName) }] };
  }
  if (target === 'SageMaker.UpdateInferenceComponentRuntimeConfig') {
    return { action: 'sagemaker:UpdateInferenceComponentRuntimeConfig', resources: [{ type: 'inference-component', name: String(input.InferenceComponentName) }] };
  }
  if (target === 'SageMaker.UpdateEndpointWeightsAndCapacities') {
    return { action: 'sagemaker:UpdateEndpointWeightsAndCapacities', resources: [{ type: 'endpoint', name: String(input.EndpointName) }] };
  }
  if (target === 'SageMaker.DescribeEndpointConfig') {
    return { action: 'sagemaker:DescribeEndpointConfig', resources: [{ type: 'endpoint-config', name: String(input.EndpointConfigName) }] };
  }
  // CloudWatch GetMetricData: classic metrics have no resource-level permission, so "*"
  // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html).
  if (target === `${CLOUDWATCH_TARGET_PREFIX}GetMetricData`) return { action: 'cloudwatch:GetMetricData', resources: [{ arn: '*' }] };
  // Application Auto Scaling (awsJson1_1, `AnyScaleFrontendService.<Operation>`): scalable targets have
  // generated ARNs, so policies grant `*` and narrow with the namespace and dimension condition keys
  // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_applicationautoscaling.html).
  const scaling = /^AnyScaleFrontendService\.(\w+)$/.exec(target);
  if (scaling !== null) {
    const context: Record<string, string> = {};
    if (typeof input.ServiceNamespace === 'string') context['application-autoscaling:service-namespace'] = input.ServiceNamespace;
    if (typeof input.ScalableDimension === 'string') context['application-autoscaling:scalable-dimension'] = input.ScalableDimension;
    return { action: `application-autoscaling:${scaling[1] ?? ''}`, resources: [{ arn: '*' }], context };
  }
  return undefined;
}

function authorizeThen(
  authorize: CallAuthorizer,
  request: IncomingMessage,
  call: AwsCall,
  deny: (code: string, message: string) => void,
  proceed: () => void,
): void {
  authorize(accessKeyIdOf(request), call)
    .then((decision) => (decision.allowed ? proceed() : deny(decision.code, decision.message)))
    .catch((error: unknown) => deny('AccessDeniedException', `authorization failed: ${error instanceof Error ? error.message : String(error)}`));
}

/** The runtime API (restJson1): status 403 and `x-amzn-errortype` (AccessDeniedException, UnrecognizedClientException). */
function sendRuntimeDenial(response: ServerResponse, code: string, message: string): void {
  sendJson(response, 403, { message }, { 'x-amzn-errortype': code, 'x-amzn-RequestId': 'local' });
}

/** The control plane (awsJson1_1): `__type` names the error. */
function sendJsonProtocolError(response: ServerResponse, type: string, message: string): void {
  const text = JSON.stringify({ __type: type, message });
  if (response.headersSent) return;
  response.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': Buffer.byteLength(text), 'x-amzn-RequestId': 'local' });
  response.end(text);
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
