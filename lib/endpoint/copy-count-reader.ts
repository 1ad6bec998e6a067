import { CustomResource, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { COPY_COUNT_READER_SOURCE } from './copy-count-reader-source';

/** Resource type of the reader; the offline harness reads its creation value (`PlannedCopies`). */
export const COPY_COUNT_READER_TYPE = 'Custom::InferenceComponentCopyCount';

export interface CopyCountReaderProps {
  readonly inferenceComponentName: string;
  /** The copies a new component starts with. */
  readonly plannedCopies: number;
  /** The scalable target's bounds: the copies sent are kept within them. */
  readonly minCopies: number;
  readonly maxCopies: number;
  /**
   * Every other property of the component (endpoint, variant, specification): when one changes,
   * CloudFormation updates the reader first (the component depends on its answer), so it reads the
   * copies again right before the component update that would otherwise send stale ones.
   */
  readonly componentProperties: Readonly<Record<string, unknown>>;
}

/**
 * `RuntimeConfig.CopyCount` for an autoscaled inference component that does not fight the autoscaler.
 *
 * The hazard. CopyCount is a write-only property of AWS::SageMaker::InferenceComponent ("Update
 * requires: No interruption"; writeOnlyProperties in the resource schema,
 * aws-cloudformation/cfn-lint src/cfnlint/data/schemas/providers/us_east_1/aws-sagemaker-inferencecomponent.json),
 * and CloudFormation hands a resource's update handler the template's whole desired state, so an
 * update of the component (e.g. a new Model after an environment change) sends the template's
 * CopyCount with UpdateInferenceComponent (RuntimeConfig.CopyCount: "The number of runtime copies of
 * the model container to deploy with the inference component",
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateInferenceComponent.html ) and
 * sets back the copies Application Auto Scaling chose. The handler of this resource type is not
 * published (no aws-sagemaker-inferencecomponent in aws-cloudformation/aws-cloudformation-resource-providers-sagemaker),
 * so whether it sends an unchanged CopyCount cannot be checked; this makes the answer irrelevant.
 * RuntimeConfig is optional in the schema (required: EndpointName, Specification) and in
 * UpdateInferenceComponent, but a component is created with its copies, and a template cannot give a
 * property at creation only (the CDK fix for the same hazard of AutoScalingGroup.DesiredCapacity was
 * to leave it out: aws/aws-cdk#5507).
 *
 * The remedy. CopyCount comes from this custom resource: at creation the planned copies, at every
 * later update of the component the component's own DesiredCopyCount read just before
 * (DescribeInferenceComponent), kept within the scalable target's bounds. The update then sends the
 * copies the autoscaler set. Residual window: a scaling activity between the read and the update.
 */
export class CopyCountReader extends Construct {
  /** The copies to put in RuntimeConfig.CopyCount. */
  public readonly copyCount: number;
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: CopyCountReaderProps) {
    super(scope, id);
    const fn = new lambda.SingletonFunction(this, 'Function', {
      uuid: 'b7c2e0d4-3f61-4c8e-9a57-2c1d0e6f4a93',
      lambdaPurpose: 'InferenceComponentCopyCount',
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(COPY_COUNT_READER_SOURCE),
      timeout: Duration.seconds(60),
      description: 'llm-bench: the current copies of an autoscaled inference component, so that a stack update does not reset them',
    });
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sagemaker:DescribeInferenceComponent'],
        resources: [Stack.of(this).formatArn({ service: 'sagemaker', resource: 'inference-component', resourceName: props.inferenceComponentName })],
      }),
    );
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: fn.functionArn,
      resourceType: COPY_COUNT_READER_TYPE,
      properties: {
        InferenceComponentName: props.inferenceComponentName,
        PlannedCopies: props.plannedCopies,
        MinCopies: props.minCopies,
        MaxCopies: props.maxCopies,
        ComponentProperties: props.componentProperties,
      },
    });
    this.copyCount = Token.asNumber(this.resource.getAtt('CopyCount'));
    const stack = Stack.of(this);
    Validations.of(stack).acknowledge(
      {
        id: 'AwsSolutions-L1',
        reason: 'Node.js 22 is the runtime this project targets and tests against; moving to a newer runtime is a deliberate project-wide change.',
      },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'The AWS managed basic execution policy grants only CloudWatch Logs writes (CreateLogGroup/CreateLogStream/PutLogEvents), the minimum every function needs.',
      },
    );
  }
}
