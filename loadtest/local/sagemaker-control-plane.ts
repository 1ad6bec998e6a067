import type { ServerResponse } from 'node:http';
import { asRecord, parseJson } from './http-io';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './sagemaker-runtime-protocol';

/**
 * The part of the SageMaker control plane a deployment pipeline polls while it waits for an
 * endpoint: DescribeEndpoint and DescribeInferenceComponent, AWS JSON 1.1 (POST / with
 * `X-Amz-Target: SageMaker.<Operation>`), as @aws-sdk/client-sagemaker sends them. Shapes:
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeEndpoint.html and
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeInferenceComponent.html
 */

export interface ControlPlaneFacts {
  readonly endpointName: string;
  readonly instanceType: string;
  readonly instances: number;
  /** Inference components and their copy counts; empty for a model-per-variant endpoint. */
  readonly components: readonly { readonly name: string; readonly copies: number; readonly gpus: number }[];
  /** Answer `Creating` to the first N describe calls of each resource, then `settledStatus`. */
  readonly creatingDescribeCalls: number;
  /** Status once created: `Failed` lets a pipeline's failure path be tested. */
  readonly settledStatus: 'InService' | 'Failed';
}

const FAILURE_REASON = 'Injected failure of the local endpoint (settledStatus Failed).';

export interface ControlPlane {
  /** Handles the request if it is a control-plane call; false when it is not one. */
  handle(target: string, body: Buffer, response: ServerResponse): boolean;
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const VARIANT_NAME = 'AllTraffic';

export function createControlPlane(facts: ControlPlaneFacts): ControlPlane {
  const createdAtS = Math.floor(Date.now() / 1000);
  const describeCalls = new Map<string, number>();
  const endpointArn = `arn:aws:sagemaker:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:endpoint/${facts.endpointName.toLowerCase()}`;

  /** Counts a describe call and answers the resource's status at that call. */
  function statusAt(resource: string): 'Creating' | 'InService' | 'Failed' {
    const calls = (describeCalls.get(resource) ?? 0) + 1;
    describeCalls.set(resource, calls);
    return calls <= facts.creatingDescribeCalls ? 'Creating' : facts.settledStatus;
  }

  function describeEndpoint(input: Readonly<Record<string, unknown>>): [number, unknown] {
    if (input.EndpointName !== facts.endpointName) {
      return validationException(`Could not find endpoint "${String(input.EndpointName)}".`);
    }
    const status = statusAt(`endpoint/${facts.endpointName}`);
    return [
      200,
      {
        EndpointName: facts.endpointName,
        EndpointArn: endpointArn,
        EndpointConfigName: `${facts.endpointName}-config`,
        EndpointStatus: status,
        ...(status === 'Failed' ? { FailureReason: FAILURE_REASON } : {}),
        CreationTime: createdAtS,
        LastModifiedTime: createdAtS,
        ProductionVariants: [
          {
            VariantName: VARIANT_NAME,
            CurrentInstanceCount: status === 'InService' ? facts.instances : 0,
            DesiredInstanceCount: facts.instances,
            CurrentWeight: 1,
            DesiredWeight: 1,
          },
        ],
      },
    ];
  }

  function describeInferenceComponent(input: Readonly<Record<string, unknown>>): [number, unknown] {
    const component = facts.components.find((c) => c.name === input.InferenceComponentName);
    if (component === undefined) {
      return validationException(`Could not find inference component "${String(input.InferenceComponentName)}".`);
    }
    const status = statusAt(`inference-component/${component.name}`);
    return [
      200,
      {
        InferenceComponentName: component.name,
        InferenceComponentArn: `arn:aws:sagemaker:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:inference-component/${component.name.toLowerCase()}`,
        EndpointName: facts.endpointName,
        EndpointArn: endpointArn,
        VariantName: VARIANT_NAME,
        InferenceComponentStatus: status,
        ...(status === 'Failed' ? { FailureReason: FAILURE_REASON } : {}),
        CreationTime: createdAtS,
        LastModifiedTime: createdAtS,
        Specification: { ComputeResourceRequirements: { NumberOfAcceleratorDevicesRequired: component.gpus } },
        RuntimeConfig: { DesiredCopyCount: component.copies, CurrentCopyCount: status === 'InService' ? component.copies : 0 },
      },
    ];
  }

  return {
    handle(target: string, body: Buffer, response: ServerResponse): boolean {
      const operation = target.startsWith('SageMaker.') ? target.slice('SageMaker.'.length) : undefined;
      if (operation === undefined) return false;
      const input = asRecord(parseJson(body)) ?? {};
      const [status, output] =
        operation === 'DescribeEndpoint'
          ? describeEndpoint(input)
          : operation === 'DescribeInferenceComponent'
            ? describeInferenceComponent(input)
            : unknownOperation(operation);
      const text = JSON.stringify(output);
      response.writeHead(status, { 'Content-Type': CONTENT_TYPE, 'Content-Length': Buffer.byteLength(text), 'x-amzn-RequestId': 'local' });
      response.end(text);
      return true;
    },
  };
}

function validationException(message: string): [number, unknown] {
  return [400, { __type: 'ValidationException', message }];
}

function unknownOperation(operation: string): [number, unknown] {
  return [
    400,
    {
      __type: 'UnknownOperationException',
      message: `the local endpoint implements SageMaker.DescribeEndpoint and SageMaker.DescribeInferenceComponent only, not ${operation}`,
    },
  ];
}
