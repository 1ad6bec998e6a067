import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import { UserInputError } from '../../lib/errors';
import type { ResultStore } from '../pipeline/result-store';
import { S3Store } from '../pipeline/s3-store';

/** What every step needs; handlers take these so tests and the offline harness inject their own. */
export interface CommonDeps {
  readonly store: ResultStore;
  readonly logger: Logger;
  /** Time compression of the endpoint (1 in AWS; > 1 for a local endpoint). */
  readonly speedup: number;
  readonly now: () => Date;
}

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new UserInputError(name, 'environment variable is not set');
  return value;
}

export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName });
}

/** Deps of a step running in Lambda: the results bucket named by RESULTS_BUCKET. */
export function defaultCommonDeps(serviceName: string): CommonDeps {
  return {
    store: new S3Store(new S3Client({}), requiredEnv('RESULTS_BUCKET')),
    logger: createLogger(serviceName),
    speedup: 1,
    now: () => new Date(),
  };
}
