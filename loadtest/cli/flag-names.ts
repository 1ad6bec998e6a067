import { UserInputError } from '../../lib/errors';

/**
 * The CLI's flag for each domain field that library code names in its errors. Library code
 * (which also runs in Lambda) names fields as its options do (`durationS`); the CLI rewords its
 * errors with the flags a user typed.
 */
export const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  concurrency: '--concurrency',
  levels: '--concurrency',
  durationS: '--duration',
  requests: '--requests',
  inputTokens: '--input-tokens',
  outputTokens: '--output-tokens',
  datasetPath: '--dataset',
  target: '--target',
  tp: '--tp',
  copies: '--copies',
  instances: '--instances',
  speedup: '--speedup',
  model: '--model',
  instance: '--instance',
  priceOverrides: '--price',
  faults: '--faults',
  api: '--api',
  container: '--container',
  templatePath: '--from-template',
  deploymentId: '--deployment',
  discount: '--discount',
  params: '--params',
  ratePerS: '--rate',
  arrival: '--arrival',
  burstiness: '--burstiness',
  maxConcurrency: '--max-concurrency',
  slo: '--slo',
  minSloAttainment: '--min-slo-attainment',
};

/**
 * A UserInputError naming a domain field, reworded with the CLI's flags: the field it is about
 * and any other field the message names in backquotes (`` `requests` ``). Other errors pass unchanged.
 */
export function withFlagNames(error: unknown): unknown {
  if (!(error instanceof UserInputError)) return error;
  const flag = FLAG_OF_FIELD[error.field];
  const prefix = `${error.field}: `;
  const body = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  const reworded = body.replace(/`([A-Za-z]+)`/g, (quoted: string, field: string) => FLAG_OF_FIELD[field] ?? quoted);
  if (flag === undefined && reworded === body) return error;
  const mapped = new UserInputError(flag ?? error.field, reworded);
  mapped.stack = error.stack;
  return mapped;
}
