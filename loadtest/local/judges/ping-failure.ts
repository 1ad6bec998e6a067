/**
 * DescribeEndpoint's FailureReason for a container that exits before answering /ping, with the
 * container's last log line (what CloudWatch Logs shows for the endpoint) quoted. The first sentence
 * is SageMaker's wording as observed on real endpoints (not from the API reference); the container
 * log part is this project's.
 */
export function pingFailureReason(variantName: string, container: string, message: string): string {
  return `The primary container for production variant ${variantName} did not pass the ping health check. Please check CloudWatch logs for this endpoint. Container log (${container}): ${message}`;
}
