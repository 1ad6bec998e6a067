import { App, Stack } from 'aws-cdk-lib';
import { getModel } from '../../lib/catalog';
import { JumpStartTgiModel, type JumpStartTgiModelProps } from '../../lib/endpoint/jump-start-tgi-model';
import { InstanceType } from '../../lib/endpoint/instance-type';

/** Offline test stack: explicit account and region, no lookups. */
export function testStack(region = 'us-east-1'): Stack {
  // CloudFormation schema validation runs once, in test/app/cfn-schema.test.ts; skipping it here saves its engine start-up per file.
  return new Stack(new App({ builtinCloudFormationValidation: false }), 'Test', { env: { account: '123456789012', region } });
}

export function llama7b(stack: Stack, props: Partial<JumpStartTgiModelProps> = {}, id = 'Model'): JumpStartTgiModel {
  return new JumpStartTgiModel(stack, id, { modelId: 'llama-2-7b', instanceType: InstanceType.of('ml.p4d.24xlarge'), tp: 1, acceptEula: true, ...props });
}

export const P4D = InstanceType.P4D_24XLARGE;
export const LLAMA_2_7B = getModel('llama-2-7b');
