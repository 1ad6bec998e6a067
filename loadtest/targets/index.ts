import { UserInputError } from '../../lib/errors';
import { createOpenAiTarget } from './openai';
import { createSageMakerTarget } from './sagemaker';
import { createTgiTarget } from './tgi';
import type { RequestApi } from './api';
import type { Target, TargetOptions, TargetSpec } from './types';

export type { GenerationRequest, Target, TargetOptions, TargetSpec } from './types';
export { REQUEST_APIS, SERVING_CONTAINERS, parseRequestApi, parseServingContainer, type RequestApi, type ServingContainer } from './api';
export { DEFAULT_TIMEOUT_MS } from './types';

const ENDPOINT_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** Parses `tgi:URL`, `openai:URL` or `sagemaker:ENDPOINT[:COMPONENT]`. */
export function parseTargetSpec(spec: string, field = 'target'): TargetSpec {
  const colon = spec.indexOf(':');
  const scheme = colon === -1 ? '' : spec.slice(0, colon);
  const rest = colon === -1 ? '' : spec.slice(colon + 1);
  const allowed = "expected 'tgi:URL', 'openai:URL' or 'sagemaker:ENDPOINT[:COMPONENT]'";
  if (scheme === 'tgi' || scheme === 'openai') {
    if (!/^https?:\/\/[^/]+/.test(rest)) throw new UserInputError(field, `'${spec}': '${rest}' is not an http(s) URL; ${allowed}`);
    return { kind: scheme, url: rest.replace(/\/+$/, '') };
  }
  if (scheme === 'sagemaker') {
    const [endpointName = '', inferenceComponent, ...extra] = rest.split(':');
    if (!ENDPOINT_NAME.test(endpointName) || extra.length > 0 || (inferenceComponent !== undefined && !ENDPOINT_NAME.test(inferenceComponent))) {
      throw new UserInputError(field, `'${spec}': endpoint and component names are 1-63 letters, digits and hyphens; ${allowed}`);
    }
    return inferenceComponent === undefined ? { kind: 'sagemaker', endpointName } : { kind: 'sagemaker', endpointName, inferenceComponent };
  }
  throw new UserInputError(field, `'${spec}' has an unknown target kind '${scheme}'; ${allowed}`);
}

/** The API a target speaks unless told: TGI's generate for TGI and SageMaker, completions for OpenAI-compatible servers. */
export function defaultApi(spec: TargetSpec): RequestApi {
  return spec.kind === 'openai' ? 'completions' : 'generate';
}

/** Creates the target client for a spec. */
export function createTarget(spec: TargetSpec, opts: TargetOptions, field = 'api'): Target {
  const stream = opts.stream ?? false;
  const api = opts.api ?? defaultApi(spec);
  const common = { stream, maxSockets: opts.maxSockets, timeoutMs: opts.timeoutMs, recordChunkGaps: opts.recordChunkGaps };
  const http = { ...common, httpClient: opts.httpClient };
  switch (spec.kind) {
    case 'tgi':
      return createTgiTarget({ url: spec.url, api, model: opts.model, ...http });
    case 'openai':
      if (api === 'generate') throw new UserInputError(field, "an OpenAI-compatible server has no generate API; use 'completions' or 'chat' (or a tgi: target for TGI's /generate)");
      return createOpenAiTarget({ url: spec.url, model: opts.model, api, ...http });
    case 'sagemaker':
      return createSageMakerTarget({
        endpointName: spec.endpointName,
        inferenceComponent: spec.inferenceComponent,
        client: opts.sagemakerClient,
        endpointUrl: opts.endpointUrl,
        region: opts.region,
        retries: opts.retries,
        api,
        container: opts.container,
        ...common,
      });
  }
}
