/** Limits of the AWS services the benchmark pipeline runs on, each with its source. */

/**
 * A Lambda function's timeout is at most 900 s (15 minutes).
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html
 */
export const LAMBDA_MAX_TIMEOUT_S = 900;

/**
 * Inline Map states run at most 40 iterations at once; beyond that a Distributed Map is needed.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html
 */
export const INLINE_MAP_MAX_CONCURRENCY = 40;
