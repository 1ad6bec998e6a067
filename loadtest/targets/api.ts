import { UserInputError } from '../../lib/errors';
import type { RequestApi, ServingContainer } from '../../lib/results/records';

export type { RequestApi, ServingContainer } from '../../lib/results/records';

/**
 * Which request API a target speaks, and which container serves a SageMaker endpoint.
 * - `generate`: TGI's `{"inputs", "parameters"}` (`/generate`, `/generate_stream`; JumpStart TGI and
 *   LMI on SageMaker).
 * - `completions`: OpenAI `{"prompt", "max_tokens"}` (`/v1/completions`).
 * - `chat`: OpenAI `{"messages", "max_tokens"}` (`/v1/chat/completions`).
 * Sources beside the bodies in bodies.ts and the stream readers.
 */
export const REQUEST_APIS: readonly RequestApi[] = ['generate', 'completions', 'chat'];
export const SERVING_CONTAINERS: readonly ServingContainer[] = ['tgi', 'lmi'];

export function parseRequestApi(text: string, field = 'api'): RequestApi {
  if ((REQUEST_APIS as readonly string[]).includes(text)) return text as RequestApi;
  throw new UserInputError(field, `'${text}' is not an API; allowed: ${REQUEST_APIS.join(', ')}`);
}

export function parseServingContainer(text: string, field = 'container'): ServingContainer {
  if ((SERVING_CONTAINERS as readonly string[]).includes(text)) return text as ServingContainer;
  throw new UserInputError(field, `'${text}' is not a container; allowed: ${SERVING_CONTAINERS.join(', ')}`);
}
