/**
 * AWS's documented sample "SageMaker Endpoint State Change" event (EndpointStatus IN_SERVICE), with
 * the endpoint's name substituted:
 * https://docs.aws.amazon.com/sagemaker/latest/dg/automating-sagemaker-with-eventbridge.html#eventbridge-endpoint
 * `withLastModified: false` drops the optional LastModifiedTime (an AWS-authored fixture elsewhere omits it).
 */
export function documentedEndpointInServiceEvent(
  endpointName: string,
  opts: { readonly withLastModified: boolean; readonly endpointConfigName?: string },
): Record<string, unknown> {
  const arn = `arn:aws:sagemaker:us-west-2:123456789012:endpoint/${endpointName.toLowerCase()}`;
  return {
    version: '0',
    id: 'd2921b5a-b0ad-cace-a5e1-EXAMPLE',
    'detail-type': 'SageMaker Endpoint State Change',
    source: 'aws.sagemaker',
    account: '123456789012',
    time: '2020-03-10T09:18:09Z',
    region: 'us-west-2',
    resources: [arn],
    detail: {
      EndpointName: endpointName,
      EndpointArn: arn,
      EndpointConfigName: opts.endpointConfigName ?? 'MyEndpointConfig',
      ProductionVariants: [{ DesiredWeight: 1.0, DesiredInstanceCount: 1.0 }],
      EndpointStatus: 'IN_SERVICE',
      CreationTime: 1583831889050,
      ...(opts.withLastModified ? { LastModifiedTime: 1583831889050 } : {}),
      Tags: {},
    },
  };
}
