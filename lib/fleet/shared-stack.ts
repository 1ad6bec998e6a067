import { Stack, Tags, type StackProps } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { BenchmarkPipeline } from '../benchmark/benchmark-pipeline';
import type { ResolvedFleet } from './types';

export interface FleetSharedStackProps extends StackProps {
  /** The resolved fleet: its manifest and one benchmark pipeline for all its deployments. */
  readonly fleet: ResolvedFleet;
}

/** What the manifest parameter lists per deployment (enough for a client to find its endpoint). */
export interface FleetManifestEntry {
  readonly id: string;
  readonly endpointName: string;
  readonly inferenceComponentName?: string;
  readonly stackName: string;
}

/**
 * Fleet-wide resources: the deployment manifest (SSM parameter `/llm-bench/{fleet}/deployments`)
 * and the benchmark pipeline.
 */
export class FleetSharedStack extends Stack {
  public readonly fleet: ResolvedFleet;
  public readonly manifestParameter: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: FleetSharedStackProps) {
    super(scope, id, { description: `llm-bench ${props.fleet.name}: shared resources and the benchmark pipeline`, ...props });
    this.fleet = props.fleet;
    Tags.of(this).add('llm-bench:fleet', props.fleet.name);
    const manifest: FleetManifestEntry[] = props.fleet.deployments.map((d) => ({
      id: d.id,
      endpointName: d.endpointName,
      inferenceComponentName: d.inferenceComponentName,
      stackName: d.stackName,
    }));
    this.manifestParameter = new ssm.StringParameter(this, 'Manifest', {
      parameterName: `/llm-bench/${props.fleet.name}/deployments`,
      description: `Deployments of llm-bench fleet ${props.fleet.name}`,
      stringValue: JSON.stringify(manifest),
      // Standard parameters hold 4 KB; larger fleets move to the advanced tier (8 KB) automatically.
      tier: ssm.ParameterTier.INTELLIGENT_TIERING,
    });

    // [pipeline] The benchmark pipeline is added on the next line:
    new BenchmarkPipeline(this, 'Benchmark', { fleet: props.fleet });
  }
}
