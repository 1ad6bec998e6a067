/**
 * Source of the Lambda function behind `Custom::InferenceComponentCopyCount` (copy-count-reader.ts):
 * Node.js 22 (the Lambda runtime ships AWS SDK for JavaScript v3, so `@aws-sdk/client-sagemaker`
 * needs no bundling: https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html#nodejs-sdk-included ).
 *
 * On Create and Update it answers `CopyCount`: the component's DesiredCopyCount when the component
 * exists (DescribeInferenceComponent; the autoscaler's last decision), else the planned copies (a
 * component being created or renamed: SageMaker answers ValidationException "Could not find
 * inference component"), clamped to the scalable target's [MinCopies, MaxCopies]. Delete answers
 * success. The answer is PUT to the pre-signed ResponseURL as the custom resource response object
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html
 * (Status, Reason, PhysicalResourceId, StackId, RequestId, LogicalResourceId, Data).
 *
 * Kept as plain JavaScript text: CloudFormation inlines it (`Code.ZipFile`), and the tests run this
 * very text against the local SageMaker control plane.
 */
export const COPY_COUNT_READER_SOURCE = `'use strict';
const { SageMakerClient, DescribeInferenceComponentCommand } = require('@aws-sdk/client-sagemaker');
const sagemaker = new SageMakerClient({});

async function currentCopies(name) {
  try {
    const described = await sagemaker.send(new DescribeInferenceComponentCommand({ InferenceComponentName: name }));
    const desired = described.RuntimeConfig && described.RuntimeConfig.DesiredCopyCount;
    return typeof desired === 'number' ? desired : undefined;
  } catch (error) {
    if (error && error.name === 'ValidationException' && /could not find/i.test(String(error.message))) return undefined;
    throw error;
  }
}

exports.handler = async (event, context) => {
  const props = event.ResourceProperties || {};
  const name = String(props.InferenceComponentName);
  let status = 'SUCCESS';
  let reason = 'Delete';
  const data = {};
  try {
    if (event.RequestType !== 'Delete') {
      const planned = Number(props.PlannedCopies);
      const min = Number(props.MinCopies);
      const max = Number(props.MaxCopies);
      const current = await currentCopies(name);
      const copies = Math.min(max, Math.max(min, current === undefined ? planned : current));
      data.CopyCount = copies;
      data.Source = current === undefined ? 'planned' : 'current';
      reason = 'CopyCount ' + copies + ' from the ' + data.Source + ' copies of ' + name;
    }
  } catch (error) {
    status = 'FAILED';
    reason = 'DescribeInferenceComponent ' + name + ': ' + String(error && error.message ? error.message : error);
  }
  const body = JSON.stringify({
    Status: status,
    Reason: reason + ' (log stream ' + (context && context.logStreamName) + ')',
    PhysicalResourceId: name,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: data,
  });
  await fetch(event.ResponseURL, { method: 'PUT', headers: { 'content-type': '', 'content-length': String(Buffer.byteLength(body)) }, body });
  return data;
};
`;
